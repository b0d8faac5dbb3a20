"""Soft triggers offer a person once; the customer's answer decides, and a refusal is respected."""

from __future__ import annotations

from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

QUESTION = "Can you look at the strange noise my blender makes?"


def _start(runtime: Runtime) -> str:
    ws = make_workspace(runtime.store, slug="offers")
    make_agent(runtime.store, ws, status=AgentStatus.AWAY)  # away: an accepted offer waits in the queue
    return runtime.desk.start_conversation("offers").conversation.id


def _offer_made(runtime: Runtime, conv_id: str) -> int:
    return sum(1 for m in runtime.store.messages(conv_id) if m.metadata.get("escalation_offer"))


def test_the_same_question_twice_brings_an_offer_and_yes_queues_it(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    runtime.desk.post_customer_message(conv_id, QUESTION)
    second = runtime.desk.post_customer_message(conv_id, QUESTION)
    assert second.conversation.status == "with_ai"
    assert second.replies[-1].metadata.get("escalation_offer") is True
    accepted = runtime.desk.post_customer_message(conv_id, "yes please")
    assert accepted.conversation.status == "queued"


def test_a_declined_offer_is_not_made_again(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    runtime.desk.post_customer_message(conv_id, QUESTION)
    runtime.desk.post_customer_message(conv_id, QUESTION)
    declined = runtime.desk.post_customer_message(conv_id, "no thanks, I'll keep trying with you")
    assert declined.conversation.status == "with_ai"
    runtime.desk.post_customer_message(conv_id, QUESTION)
    assert _offer_made(runtime, conv_id) == 1


def test_an_off_topic_question_is_declined_politely_without_a_person_and_carrying_on_works(
    runtime: Runtime,
) -> None:
    conv_id = _start(runtime)
    first = runtime.desk.post_customer_message(conv_id, "what is the capital of peru")
    [declined] = first.replies
    assert declined.metadata.get("act") == "off_topic" and not declined.metadata.get("escalation_offer")
    assert declined.text.startswith("That's not something I can help with here")
    assert "orders, deliveries" in declined.text and first.conversation.status == "with_ai"
    carrying_on = runtime.desk.post_customer_message(conv_id, "ok and where is my order #W2378156?")
    assert carrying_on.conversation.status == "with_ai"
    assert all(m.metadata.get("event") != "queued" for m in carrying_on.replies)
