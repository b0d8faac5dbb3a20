"""The brief of a conversation a specialist flow worked on: who the AI verified, every tool call it
made, where the flow stopped (steps numbered from 1, named by kind), what intake gathered, and what
the customer actually asked about."""

from __future__ import annotations

from pathlib import Path

from relaydesk.demo import __path__ as demo_path
from relaydesk.domain.decisions import DecisionKind
from relaydesk.handoff.brief import HandoffBrief
from relaydesk.services.runtime import Runtime
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.testing import make_agent, make_workspace

DEMO_STORE = Path(list(demo_path)[0]) / "tau_retail"


class Shop:
    def __init__(self, runtime: Runtime) -> None:
        SqlCommerceStore(runtime.store.engine).load_json(DEMO_STORE)
        self.runtime = runtime
        workspace = make_workspace(runtime.store, slug="shop")
        self.agent = make_agent(runtime.store, workspace, name="Maya Okafor").agent

    def chat(self, *texts: str) -> str:
        conversation_id = self.runtime.desk.start_conversation("shop").conversation.id
        for text in texts:
            self.runtime.desk.post_customer_message(conversation_id, text)
        return conversation_id

    def brief(self, conversation_id: str) -> HandoffBrief:
        return self.runtime.desk.brief(self.agent, conversation_id)


def test_the_brief_names_the_customer_the_ai_verified_and_every_tool_call(runtime: Runtime) -> None:
    shop = Shop(runtime)
    conv = shop.chat(
        "please cancel order #W8770097", "ivan.santos3158@example.com", "I want to talk to a human"
    )
    brief = shop.brief(conv)
    assert brief.flow is not None and brief.flow["verified_customer"] == "ivan_santos_6635"
    assert brief.customer["name"] == "Ivan Santos"  # from the store's record of the verified account
    assert brief.customer["email"] == "[email]"  # on file, masked
    assert brief.summary.startswith("Ivan Santos (standard")
    assert brief.suggested_reply.startswith("Hi Ivan, I'm Maya")
    calls = brief.flow["tool_calls"]
    assert {
        "tool": "find_user_id_by_email",
        "outcome": "executed",
        "by": "AI",
        "args": {"email": "[email]"},
    } in [{k: c[k] for k in ("tool", "outcome", "by", "args")} for c in calls]
    assert any(c["tool"] == "get_order_details" and c["args"] == {"order_id": "#W8770097"} for c in calls)
    assert "ivan.santos3158" not in str(brief.flow) + str(brief.customer)


def test_steps_are_numbered_from_one_and_named_by_kind_everywhere(runtime: Runtime) -> None:
    shop = Shop(runtime)
    conv = shop.chat(
        "I want to return something from order #W1067251",
        "a.nobody@example.com",
        "b.nobody@example.com",
        "c.nobody@example.com",
    )
    brief = shop.brief(conv)
    assert brief.flow is not None
    stopped = brief.flow["finished"][-1]
    assert stopped["flow"] == "return_items" and stopped["outcome"] == "escalated"
    assert brief.flow["step"] == stopped["step"] == "step 1 (identify)"
    assert "stopped at step 1" in (brief.escalation_reason or "")
    refused = [c for c in brief.flow["tool_calls"] if c["tool"] == "find_user_id_by_email"]
    assert len(refused) == 3 and {c["outcome"] for c in refused} == {"refused"}  # three e-mails tried
    assert all(c["args"] == {"email": "[email]"} for c in refused)


def test_intake_shows_the_answers_and_the_question_still_open(runtime: Runtime) -> None:
    shop = Shop(runtime)
    conv = shop.chat("my order #W8770097 arrived damaged")
    intake = {"_name": "intake_damaged_item", "_flow": "intake_damaged_item@1", "_asked": "order_id"}
    runtime.store.update_conversation(conv, flow={"intake": intake})
    assert shop.brief(conv).intake == {"waiting_for": "order_id"}

    intake |= {"order_id": "#W8770097", "_asked": "item"}
    runtime.store.update_conversation(conv, flow={"intake": intake})
    assert shop.brief(conv).intake == {"order_id": "#W8770097", "waiting_for": "item"}

    intake |= {"item": "the office chair, its leg is broken", "_done": True}
    intake.pop("_asked")
    runtime.store.update_conversation(conv, flow={"intake": intake})
    assert shop.brief(conv).intake == {"order_id": "#W8770097", "item": "the office chair, its leg is broken"}


def _side_reading(runtime: Runtime, conv: str, intent: str, confidence: float) -> None:
    """A triage reading of a later message, as triage logs it."""
    conversation = runtime.store.get_conversation(conv)
    runtime.store.add_decision(
        workspace_id=conversation.workspace_id,
        conversation_id=conv,
        kind=str(DecisionKind.TRIAGE),
        outcome=intent,
        summary=f"Triage read intent {intent}.",
        reasons=[
            {"intent": intent, "confidence": confidence, "in_scope": True, "frustration": 0.1, "urgency": 0.0}
        ],
    )


def test_the_summary_and_reply_lead_with_the_flow_in_progress_not_a_side_reading(runtime: Runtime) -> None:
    shop = Shop(runtime)
    conv = shop.chat("please cancel order #W8770097")
    _side_reading(runtime, conv, "damaged_item", 0.41)  # triage unsure of a later message
    brief = shop.brief(conv)
    assert brief.topics == ("cancel_order",)
    assert "asked about cancelling an order:" in brief.summary and "damaged" not in brief.summary
    assert "You're asking about cancelling your order" in brief.suggested_reply
    assert "damaged" not in brief.suggested_reply

    _side_reading(runtime, conv, "damaged_item", 0.95)  # they did mention a damaged item too
    brief = shop.brief(conv)
    assert brief.topics == ("cancel_order", "damaged_item")
    assert "asked about cancelling an order (also an item that arrived damaged)" in brief.summary
    assert "You're asking about cancelling your order" in brief.suggested_reply
