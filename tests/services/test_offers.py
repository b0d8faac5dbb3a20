"""Soft triggers offer a person once; the customer's answer decides, and a refusal is respected."""

from __future__ import annotations

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

QUESTION = "Can you look at the strange noise my blender makes?"


def _start(runtime: Runtime) -> str:
    ws = make_workspace(runtime.store, slug="offers")
    make_agent(runtime.store, ws)
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
