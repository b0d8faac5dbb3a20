"""The specialists' optional LLM help (specialists/llm_assist.py), against a real HTTP model server."""

from __future__ import annotations

import pytest

from relaydesk.domain.errors import LLMUnavailable
from relaydesk.domain.llm_ports import ChatTurn, ToolCallRequest
from relaydesk.llm import OpenAICompatibleLLM
from relaydesk.specialists.llm_assist import LLMPhraser, LLMPlanner, phrasing_problem
from relaydesk.testing import ScriptedLLM
from tests.llm.openai_server import ChatCompletionsServer
from tests.llm.test_openai_compat import ORDER_TOOLS

DRAFT = "Order #W1234567 was refunded $25.00. It reaches your card within 5 business days."
EMAIL = "jo.doe@mail.example"
CARD = "4111 1111 1111 1111"
PERSONAL_DRAFT = f"We will write to {EMAIL} once the refund to card {CARD} for order #W1234567 is done."


def _llm(server: ChatCompletionsServer) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(server.url, "m", timeout_s=2)


# -- phrasing ---------------------------------------------------------------------------------


def test_a_faithful_rephrasing_is_used_in_the_customers_language(chat_server: ChatCompletionsServer) -> None:
    better = "Bonne nouvelle : la commande #W1234567 a été remboursée de $25.00, sous 5 jours ouvrés."
    chat_server.reply_text(f"  {better}\n")
    phraser = LLMPhraser(_llm(chat_server))
    assert phraser.phrase(DRAFT, language="fr") == better
    assert phraser.fallbacks == 0
    system, user = chat_server.requests[0].body["messages"]
    assert "language: fr" in system["content"] and "Do not add facts" in system["content"]
    assert user == {"role": "user", "content": DRAFT}


def test_a_rephrasing_that_adds_a_number_keeps_the_draft(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text(
        "Order #W1234567 was refunded $25.00 plus a $5 voucher; it arrives in 5 business days."
    )
    phraser = LLMPhraser(_llm(chat_server))
    assert phraser.phrase(DRAFT, language=None) == DRAFT
    assert phraser.fallbacks == 1
    assert phraser.last_problem == "the model's text adds $5"


def test_a_rephrasing_that_drops_the_order_id_keeps_the_draft(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text("Your order was refunded $25.00 and reaches your card within 5 business days.")
    phraser = LLMPhraser(_llm(chat_server))
    assert phraser.phrase(DRAFT, language="en") == DRAFT
    assert phraser.last_problem == "the model's text leaves out #W1234567"


def test_personal_data_never_leaves_and_comes_back_in_the_reply(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text(
        "All set! Once the refund to card ⟦2⟧ for order #W1234567 is done, we'll email ⟦1⟧."
    )
    phrased = LLMPhraser(_llm(chat_server)).phrase(PERSONAL_DRAFT, language=None)
    assert (
        phrased
        == f"All set! Once the refund to card {CARD} for order #W1234567 is done, we'll email {EMAIL}."
    )
    sent = chat_server.requests[0].raw
    assert EMAIL not in sent and "4111" not in sent and "jo.doe" not in sent
    assert "⟦1⟧" in chat_server.requests[0].body["messages"][1]["content"]


def test_personal_data_is_sent_as_it_is_when_masking_is_off(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text(f"All set! We'll email {EMAIL} when card {CARD}'s refund for #W1234567 is done.")
    phraser = LLMPhraser(_llm(chat_server), mask=False)
    assert phraser.phrase(PERSONAL_DRAFT, language=None).startswith("All set!")
    assert chat_server.requests[0].body["messages"][1]["content"] == PERSONAL_DRAFT


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("All set, we'll email ⟦1⟧ about order #W1234567.", "leaves out the placeholders ⟦2⟧"),
        ("We'll email ⟦1⟧ and ⟦3⟧ about card ⟦2⟧ and #W1234567.", 'placeholder "⟦3⟧", which hides nothing'),
        ("   ", "the model sent no text"),
    ],
)
def test_a_broken_placeholder_or_empty_answer_keeps_the_draft(answer: str, problem: str) -> None:
    phraser = LLMPhraser(ScriptedLLM([answer]))
    assert phraser.phrase(PERSONAL_DRAFT, language=None) == PERSONAL_DRAFT
    assert phraser.last_problem is not None and problem in phraser.last_problem


def test_a_rambling_answer_keeps_the_draft() -> None:
    phraser = LLMPhraser(ScriptedLLM([DRAFT + " We value you." * 30]))
    assert phraser.phrase(DRAFT, language=None) == DRAFT
    assert phraser.last_problem is not None and "over 3x the draft" in phraser.last_problem


def test_an_unavailable_model_keeps_the_draft(chat_server: ChatCompletionsServer, closed_url: str) -> None:
    chat_server.reply_raw(500, {"error": "overloaded"})
    phraser = LLMPhraser(_llm(chat_server))
    assert phraser.phrase(DRAFT, language=None) == DRAFT
    assert phraser.last_problem is not None and "answered HTTP 500" in phraser.last_problem
    down = LLMPhraser(OpenAICompatibleLLM(closed_url, "m"))
    assert down.phrase(DRAFT, language=None) == DRAFT
    assert phraser.fallbacks == 1 and down.fallbacks == 1


def test_the_guard_compares_numbers_ids_amounts_and_emails() -> None:
    assert (
        phrasing_problem("Refund of €12.50 for #A12 sent to a@b.io.", "We sent €12.50 for #A12 to a@b.io!")
        is None
    )
    assert phrasing_problem("Refund of €12.50.", "Refund of €12.5.") == "the model's text leaves out €12.50"
    assert phrasing_problem("Write to a@b.io.", "Write to c@d.io.") == "the model's text leaves out a@b.io"
    assert phrasing_problem("It ships today.", "It ships today, in 2 days.") == "the model's text adds 2"


# -- planning ---------------------------------------------------------------------------------


def test_a_plan_is_read_from_the_tool_calls_with_personal_data_restored(
    chat_server: ChatCompletionsServer,
) -> None:
    chat_server.reply_tool_calls(("get_order", {"order_id": "#W1234567", "email": "⟦1⟧"}))
    planner = LLMPlanner(_llm(chat_server))
    history = [("customer", "Hi, I need help."), ("ai", "Sure, what is it about?")]
    plan = planner.plan(f"Where is #W1234567? I'm {EMAIL}.", history, ORDER_TOOLS)
    assert plan == [ToolCallRequest("get_order", {"order_id": "#W1234567", "email": EMAIL})]
    request = chat_server.requests[0]
    assert EMAIL not in request.raw
    assert request.body["tools"] == ORDER_TOOLS and request.body["tool_choice"] == "auto"
    messages = request.body["messages"]
    assert "checked by governance" in messages[0]["content"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[-1]["content"] == "Where is #W1234567? I'm ⟦1⟧."


def test_a_plan_with_no_call_is_empty_and_not_a_fallback(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text("Happy to help!")
    planner = LLMPlanner(_llm(chat_server))
    assert planner.plan("thanks", [], ORDER_TOOLS) == []
    assert planner.fallbacks == 0


def test_a_tool_that_was_not_offered_voids_the_plan(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_tool_calls(("get_order", {"order_id": "#W1"}), ("refund_everything", {}))
    planner = LLMPlanner(_llm(chat_server))
    assert planner.plan("Refund me", [], ORDER_TOOLS) == []
    assert planner.last_problem == 'the model asked for the tool "refund_everything", which was not offered'


def test_a_server_that_is_down_plans_nothing(closed_url: str) -> None:
    planner = LLMPlanner(OpenAICompatibleLLM(closed_url, "m"))
    assert planner.plan("Where is my order?", [], ORDER_TOOLS) == []
    assert planner.fallbacks == 1 and "could not be reached" in (planner.last_problem or "")


@pytest.mark.parametrize(
    "turn",
    [
        ChatTurn(None, (ToolCallRequest("get_order", ["#W1"]),)),  # type: ignore[arg-type]
        ChatTurn(None, (ToolCallRequest("get_order", {"order_id": "⟦7⟧"}),)),
        LLMUnavailable("bad JSON"),
    ],
)
def test_unusable_arguments_plan_nothing(turn: ChatTurn | Exception) -> None:
    planner = LLMPlanner(ScriptedLLM([turn]))
    assert planner.plan(f"Order #W1 for {EMAIL}", [], ORDER_TOOLS) == []
    assert planner.fallbacks == 1


def test_masking_off_sends_the_text_as_it_is() -> None:
    llm = ScriptedLLM([ChatTurn(None, (ToolCallRequest("get_order", {"email": EMAIL}),))])
    plan = LLMPlanner(llm, mask=False).plan(f"I'm {EMAIL}", [], ORDER_TOOLS)
    assert plan == [ToolCallRequest("get_order", {"email": EMAIL})]
    assert EMAIL in llm.calls[0].sent_text and llm.calls[0].tools == ORDER_TOOLS


def test_no_tools_offered_asks_nothing() -> None:
    llm = ScriptedLLM()
    assert LLMPlanner(llm).plan("Where is my order?", [], []) == []
    assert llm.calls == []
