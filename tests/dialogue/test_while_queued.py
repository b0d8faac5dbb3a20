"""A customer waiting in the queue for a person, played on the demo desk (issue 15: the AI
acknowledges their messages once, not on every line, keeps them informed, and adds what they say
to the brief)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from relaydesk.domain.models import utcnow
from relaydesk.services.runtime import Runtime
from tests.dialogue.conftest import Chat


def _queued_chat(desk: Runtime, ask: str = "I want to talk to a person") -> Chat:
    chat = Chat(desk)
    chat.say(ask)
    assert chat.status == "queued"
    return chat


def _later(desk: Runtime, minutes: float) -> None:
    """The customer writes again ``minutes`` from now (the waiting turns' clock moves on)."""
    at = utcnow() + timedelta(minutes=minutes)
    desk.orchestrator.waiting.clock = lambda: at


def _maya(desk: Runtime, chat: Chat):  # type: ignore[no-untyped-def]
    agents = desk.store.list_agents(chat.conversation.workspace_id)
    return next(a for a in agents if a.email.startswith("maya"))


def test_a_nudge_then_a_question_about_the_wait_are_answered_in_different_words(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    [nudged] = chat.say("hello?")
    [asked] = chat.say("how long will this take?")
    assert "haven't been forgotten" in nudged.text and "next in line" in nudged.text
    assert asked.text != nudged.text and "exact time" in asked.text  # no estimate: no promise
    assert "still in line" not in asked.text


def test_a_burst_of_nudges_is_answered_once(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    assert len(chat.say("hello?")) == 1
    assert chat.say("anyone there?") == []
    assert chat.say("still waiting...") == []


def test_a_customer_nudging_again_after_a_while_is_told_where_they_are_now(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    [first] = chat.say("hello?")
    _later(desk, 3)
    [again] = chat.say("still waiting...")
    assert again.text != first.text
    assert again.text.startswith("Thanks for your patience.") and "next in line" in again.text
    _later(desk, 6)
    [asked] = chat.say("how long?")  # a question about the wait is answered again later too
    assert "next in line" in asked.text and asked.text not in (first.text, again.text)


def test_a_customer_who_moved_up_is_told_so_and_the_place_is_the_current_one(desk: Runtime) -> None:
    ahead = _queued_chat(desk)
    chat = _queued_chat(desk, "can I speak to a human please")
    [first] = chat.say("hello?")
    assert "number 2 in line" in first.text and first.metadata["position"] == 2
    desk.desk.claim(_maya(desk, ahead), ahead.conversation_id)
    [moved] = chat.say("anyone there?")  # within the burst, but something changed: said at once
    assert moved.text.startswith("Good news: you've moved up.") and "next in line" in moved.text
    assert moved.metadata["position"] == 1


def test_a_new_question_while_waiting_is_added_to_the_case_and_said_so(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    chat.say("hello?")
    chat.say("how long will this take?")
    [added] = chat.say("also where is my order W2611340")
    assert "added that to your case" in added.text and "next in line" in added.text
    brief = desk.desk.brief(_maya(desk, chat), chat.conversation_id)
    assert any("2611340" in str(e) for e in brief.entities)
    assert chat.say("and is it still on time?") == []  # not every line of a burst
    assert chat.say("ok") == []


def test_a_question_about_how_long_something_else_takes_is_not_answered_with_the_wait(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    chat.say("hello?")
    [told] = chat.say("how long does a refund take to reach my card?")
    assert "exact time" not in told.text
    assert "3 to 10 business days" in told.text  # the help center answers it: see below


def test_a_routine_question_while_waiting_is_answered_from_the_help_center_and_the_place_kept(
    desk: Runtime,
) -> None:
    chat = _queued_chat(desk)
    [noted] = chat.say("hello?")
    [answered] = chat.say("how long does a refund take to reach my card?")  # within the burst too
    assert answered.author_id == "knowledge" and answered.metadata["citations"]
    assert "Credit and debit cards: 3 to 10 business days" in answered.text
    assert "A person is still coming" in answered.text and "next in line" in answered.text
    assert chat.status == "queued"
    logged = [d for d in chat.decisions("response") if d.outcome == "knowledge"]
    assert len(logged) == 1 and "stays in the queue" in logged[0].summary
    # asked again: never the same passage twice; the question goes to the person instead
    [again] = chat.say("how long does a refund take to reach my card??")
    assert again.author_id == "waiting" and "added that to your case" in again.text
    [spanish] = _queued_chat(desk, "quiero hablar con una persona").say("¿cuánto cuesta el envío exprés?")
    assert "Expedited shipping" in spanish.text and "Una persona sigue en camino" in spanish.text


def test_a_question_about_the_customers_own_order_while_waiting_is_left_to_the_person(desk: Runtime) -> None:
    chat = _queued_chat(desk)
    chat.say("hello?")
    [added] = chat.say("can you also tell me where order W2611340 is now?")
    assert added.author_id == "waiting" and "added that to your case" in added.text


@pytest.mark.parametrize(
    ("ask", "nudge", "question", "added"),
    [
        (
            "quiero hablar con una persona",
            "¿hay alguien?",
            "¿dónde está mi pedido W2611340?",
            "añadido a tu caso",
        ),
        (
            "je veux parler à un humain",
            "il y a quelqu'un ?",
            "où est ma commande W2611340 ?",
            "votre dossier",
        ),
        (
            "ich möchte mit einem Menschen sprechen",
            "ist da jemand?",
            "wo ist meine Bestellung W2611340?",
            "Anliegen",
        ),
        (
            "quero falar com um atendente",
            "alguém aí?",
            "onde está a minha encomenda W2611340?",
            "ao seu caso",
        ),
    ],
)
def test_the_waiting_words_are_in_the_customers_language(
    desk: Runtime, ask: str, nudge: str, question: str, added: str
) -> None:
    chat = _queued_chat(desk, ask)
    [nudged] = chat.say(nudge)
    [told] = chat.say(question)
    assert added in told.text and told.text != nudged.text


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=utcnow().tzinfo)


def _wait_reply(estimate_s: float | None, queued_minutes_ago: float) -> str:
    from relaydesk.services.waiting_turns import LastWord, WaitingTurns

    waiting = WaitingTurns.__new__(WaitingTurns)
    waiting.clock = lambda: NOW
    last = LastWord(
        "noted", 3, NOW - timedelta(minutes=5), estimate_s, NOW - timedelta(minutes=queued_minutes_ago)
    )
    reply = waiting._reply("how long will it be?", 3, last, None, "en")
    assert reply is not None and reply[0] == "wait"
    return reply[1]


def test_the_wait_is_what_is_left_of_the_estimate_and_an_apology_once_it_has_passed() -> None:
    assert _wait_reply(600, 2) == "You're number 3 in line. The wait should be about 8 minutes."
    assert _wait_reply(600, 12).startswith("You're number 3 in line. I'm sorry this is taking longer")
    assert "exact time" in _wait_reply(None, 2)


def test_new_details_written_while_waiting_are_acknowledged_once(desk: Runtime) -> None:
    # walkthrough: "mi pedido es W3638028 y el producto llegó roto" got no word back at all
    chat = _queued_chat(desk, "quiero hablar con una persona")
    chat.say("¿hay alguien?")
    [added] = chat.say("mi pedido es W3638028 y el producto llegó roto")
    assert "añadido a tu caso" in added.text
    assert chat.say("la lente de la cámara está rota y la caja también") == []  # once per burst
    assert chat.say("vale") == []
