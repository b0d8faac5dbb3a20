"""Approvals: a held action runs only when an agent with authority approves it, and the customer is told."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from relaydesk.domain.errors import Conflict, Forbidden, NotFound
from relaydesk.domain.models import Channel, MessageRole
from relaydesk.governance.actions import ActionSession
from relaydesk.governance.approval import ApprovalStatus
from relaydesk.governance.governed import GovernedTools, ToolStatus
from relaydesk.services.approvals import ApprovalService, governed_commerce
from relaydesk.storage.approval_store import SqlApprovalStore
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.store import SqlStore
from relaydesk.testing import AgentWithKey, make_agent, make_workspace

CANCEL = {"order_id": "#W6247578", "reason": "no longer needed"}  # 53.27 paid: above the 50 limit


@dataclass
class Desk:
    store: SqlStore
    repo: SqlCommerceStore
    tools: GovernedTools
    service: ApprovalService
    session: ActionSession
    junior: AgentWithKey
    senior: AgentWithKey


@pytest.fixture
def desk(store: SqlStore) -> Desk:
    repo = SqlCommerceStore(store.engine)
    repo.load_json()
    workspace = make_workspace(store, slug="shop")
    customer = store.upsert_customer(workspace.id, external_id="yusuf", name="Yusuf Rossi")
    conversation = store.create_conversation(workspace.id, customer.id, token="t", channel=Channel.WEB)
    tools = governed_commerce(store)
    service = ApprovalService(store, SqlApprovalStore(store.engine), tools)
    session = ActionSession(conversation.id, workspace.id)
    assert tools.call(session, "find_user_id_by_email", {"email": "yusuf.rossi7301@example.com"}).accepted
    return Desk(
        store,
        repo,
        tools,
        service,
        session,
        make_agent(store, workspace, name="June", tier=1),
        make_agent(store, workspace, name="Sam", tier=2),
    )


def hold(desk: Desk) -> str:
    desk.tools.confirm(desk.session, "cancel_pending_order", CANCEL)
    held = desk.tools.call(desk.session, "cancel_pending_order", CANCEL)
    assert held.status == ToolStatus.PENDING_APPROVAL and held.approval_id
    return held.approval_id


def system_messages(desk: Desk) -> list[str]:
    messages = desk.store.messages(desk.session.conversation_id or "")
    return [m.text for m in messages if m.role == MessageRole.SYSTEM]


def test_an_approved_refund_runs_and_the_conversation_is_told(desk: Desk) -> None:
    approval_id = hold(desk)
    assert [a.id for a in desk.service.list_approvals(desk.senior.agent)] == [approval_id]
    decided = desk.service.approve(desk.senior.agent, approval_id, note="loyal customer")
    assert decided.approval.status == ApprovalStatus.APPROVED and decided.outcome is not None
    assert desk.repo.order("#W6247578").status == "cancelled"  # type: ignore[union-attr]
    assert "approved cancelling order" in system_messages(desk)[-1]
    assert "The order is cancelled and the money goes back" in system_messages(desk)[-1]
    kinds = [(d.kind, d.outcome) for d in desk.store.decisions(desk.session.conversation_id or "")]
    assert kinds[-3:] == [
        ("tool_call", "needs_approval"),
        ("tool_call", "executed"),
        ("approval", "approved"),
    ]
    assert desk.service.list_approvals(desk.senior.agent) == []


def test_an_agent_below_the_required_tier_cannot_decide(desk: Desk) -> None:
    approval_id = hold(desk)
    with pytest.raises(Forbidden, match="tier 2"):
        desk.service.approve(desk.junior.agent, approval_id)
    assert desk.repo.order("#W6247578").status == "pending"  # type: ignore[union-attr]


def test_a_denied_action_never_runs_and_the_note_reaches_the_customer(desk: Desk) -> None:
    approval_id = hold(desk)
    decided = desk.service.deny(desk.senior.agent, approval_id, note="Orders this old cannot be refunded.")
    assert decided.approval.status == ApprovalStatus.DENIED and decided.outcome is None
    assert desk.repo.order("#W6247578").status == "pending"  # type: ignore[union-attr]
    assert "Orders this old cannot be refunded." in system_messages(desk)[-1]


def test_an_approval_is_decided_only_once(desk: Desk) -> None:
    approval_id = hold(desk)
    desk.service.approve(desk.senior.agent, approval_id)
    with pytest.raises(Conflict, match="already approved"):
        desk.service.deny(desk.senior.agent, approval_id)
    with pytest.raises(Conflict):
        desk.service.approve(desk.senior.agent, approval_id)
    payments = desk.repo.order("#W6247578").payments  # type: ignore[union-attr]
    assert [t.kind for t in payments] == ["payment", "refund"]


def test_an_approved_action_that_is_no_longer_possible_fails_without_changing_anything(desk: Desk) -> None:
    approval_id = hold(desk)
    order = desk.repo.order("#W6247578")
    assert order is not None
    desk.repo.save(orders=[(order, replace(order, status="processed"))])
    decided = desk.service.approve(desk.senior.agent, approval_id)
    assert decided.approval.status == ApprovalStatus.FAILED
    assert decided.approval.result["rule"] == "cancel_only_pending"
    assert "could not be done" in system_messages(desk)[-1]


def test_other_workspaces_cannot_see_or_decide_an_approval(desk: Desk) -> None:
    approval_id = hold(desk)
    elsewhere = make_agent(desk.store, make_workspace(desk.store, slug="other"), tier=3)
    with pytest.raises(NotFound):
        desk.service.approve(elsewhere.agent, approval_id)
    assert desk.service.list_approvals(elsewhere.agent) == []


def test_the_audit_trail_explains_each_step_in_words(desk: Desk) -> None:
    approval_id = hold(desk)
    desk.service.approve(desk.senior.agent, approval_id)
    trail = desk.service.audit_trail(desk.senior.agent, desk.session.conversation_id or "")
    headlines = [e.headline for e in trail]
    assert (
        headlines[0]
        == "Tool call: The AI verified the customer as yusuf_rossi_9620 with find_user_id_by_email."
    )
    assert any(
        "asked a person to approve cancel_pending_order" in h and "rule refund_approval" in h
        for h in headlines
    )
    assert headlines[-1].startswith("Approval decision: Sam (tier 2) approved cancel_pending_order")


def test_the_decision_is_told_in_the_customers_language_and_says_what_happens_next() -> None:
    # walkthrough: a Spanish customer read "A member of our team reviewed your request (return
    # delivered items for a refund ...)" in English; an approved return was told "it is done"
    from relaydesk.services.approval_texts import decision_text

    args = {"order_id": "#W1304208"}
    denied = decision_text("denied", "return_delivered_order_items", args, 253.89, "es", "Envíanos fotos.")
    assert denied.startswith("Una persona de nuestro equipo revisó la devolución y el reembolso del pedido")
    assert "#W1304208 ($253.89)" in denied and denied.endswith("Su nota: Envíanos fotos.")
    approved = decision_text("approved", "return_delivered_order_items", args, 274.98, "en")
    assert "it is done" not in approved and "the refund is made once the item reaches us" in approved
    german = decision_text("approved", "cancel_pending_order", args, 10.0, "de")
    assert "Die Bestellung ist storniert" in german
    address = decision_text("approved", "modify_user_address", {"user_id": "u1"}, None, "en")
    assert address == "Good news: a member of our team approved your request. It's done."
