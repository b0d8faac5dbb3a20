"""Turns that were right in English and wrong in Spanish, French, German or Portuguese: a report of
someone else using the customer's card, a question about whether the customer writes with a bot,
and a goodbye. Each is played on the demo desk as a customer would write it."""

from __future__ import annotations

import pytest

from relaydesk.dialogue.catalogue import say
from relaydesk.services.runtime import Runtime
from tests.dialogue.conftest import Chat

CARD_USED_BY_SOMEONE_ELSE = [
    "Jemand hat ohne mein Wissen mit meiner Kreditkarte bei Ihnen bestellt. Das war nicht ich!",
    "Alguien ha comprado con mi tarjeta sin mi permiso, no fui yo",
    "Quelqu'un a commandé avec ma carte sans mon accord, ce n'était pas moi",
    "Alguém fez uma compra com o meu cartão sem a minha autorização, não fui eu",
    "someone ordered with my card without my permission",
]


@pytest.mark.parametrize("text", CARD_USED_BY_SOMEONE_ELSE)
def test_someone_else_using_the_customers_card_goes_to_the_escalations_team_at_once(
    desk: Runtime, text: str
) -> None:
    chat = Chat(desk)
    chat.say(text)
    assert chat.status == "queued"
    escalation = [d for d in chat.decisions("escalation") if d.outcome == "escalate"][-1]
    assert escalation.reasons[0]["rule"] == "legal_or_security"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Schreibe ich hier mit einem Menschen oder mit einer KI?", "eine KI"),
        ("¿Hablo con una IA o con una persona?", "una IA"),
        ("Falo com um robô ou com uma pessoa?", "uma IA"),
        ("Est-ce que je parle à un robot ?", "une IA"),
        ("Je parle à une IA ou à une personne ?", "une IA"),
        ("Bist du eigentlich ein Bot?", "eine KI"),
    ],
)
def test_asking_whether_one_writes_with_a_bot_is_answered_not_handed_over(
    desk: Runtime, text: str, says: str
) -> None:
    chat = Chat(desk)
    chat.say("Hallo" if text.split()[0] in ("Schreibe", "Bist") else "hola")
    chat.say(text)
    assert chat.status == "with_ai" and says in chat.text


@pytest.mark.parametrize(
    "text",
    ["¿Puedo hablar con una persona?", "Falo com uma pessoa, por favor", "quiero hablar con una persona"],
)
def test_asking_for_a_person_in_the_same_words_still_brings_one(desk: Runtime, text: str) -> None:
    chat = Chat(desk)
    chat.say(text)
    assert chat.status == "queued"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Alles klar, danke. Schönen Abend noch!", "de"),
        ("Gracias, buen fin de semana", "es"),
        ("Obrigado, tenha um bom dia", "pt"),
    ],
)
def test_a_goodbye_after_an_answer_is_a_goodbye(desk: Runtime, text: str, language: str) -> None:
    chat = Chat(desk)
    chat.say("how long does standard shipping take?")
    chat.say(text)
    assert chat.status != "queued" and say("farewell", language) in chat.text  # and it may close


@pytest.mark.parametrize(
    ("text", "language"), [("Buenas tardes", "es"), ("Bom dia", "pt"), ("Boa noite", "pt")]
)
def test_good_afternoon_opening_a_chat_is_a_greeting_not_a_goodbye(
    desk: Runtime, text: str, language: str
) -> None:
    chat = Chat(desk)
    chat.say(text)
    assert chat.status == "with_ai" and chat.text == say("greeting", language)


@pytest.mark.parametrize(
    ("first", "no", "reply"),
    [
        ("are you a bot?", "no thanks", "No problem. If you need anything later"),
        ("hola", "no gracias", "Sin problema."),
        ("¿eres un bot?", "no gracias", "Sin problema."),  # read 0.56 frustrated: no person offered
    ],
)
def test_no_thanks_before_the_ai_helped_with_anything_is_not_told_glad_i_could_help(
    desk: Runtime, first: str, no: str, reply: str
) -> None:
    chat = Chat(desk)
    chat.say(first)
    chat.say(no)
    assert chat.status == "with_ai" and reply in chat.text and "Glad I could help" not in chat.text
    assert chat.offers() == 0 and len(chat.replies) == 1


def test_no_thanks_after_an_answer_is_still_a_goodbye(desk: Runtime) -> None:
    chat = Chat(desk)
    chat.say("do gift cards expire?")
    chat.say("no thanks")
    assert "Glad I could help" in chat.text


def test_a_damaged_camera_in_german_is_understood_not_asked_to_say_more(desk: Runtime) -> None:
    chat = Chat(desk)
    chat.say(
        "Hallo, meine Kamera aus Bestellung W3638028 kam mit einem gesprungenen Objektiv an. "
        "Ich möchte mein Geld zurück."
    )
    # a person takes it (the refund flow's words are English; the gloss reads the camera now)
    assert "nicht sicher, ob ich Sie richtig verstanden" not in chat.text
    assert chat.status == "queued" or chat.conversation.flow


WAITING_COMPLAINTS = {
    "en": "I've been waiting 20 minutes, this is ridiculous",
    "es": "llevo 20 minutos esperando, esto es ridículo",
    "fr": "j'attends depuis 20 minutes, c'est ridicule",
    "de": "Ich warte seit 20 Minuten, das ist lächerlich",
    "pt": "estou à espera há 20 minutos, isto é ridículo",
}


def _frustration_of(desk: Runtime, text: str) -> float:
    chat = Chat(desk)
    chat.say("I want to talk to a person")
    chat.say(text)
    return float(chat.decisions("triage")[-1].reasons[0]["frustration"])


def test_a_complaint_about_the_wait_reads_as_frustrated_in_every_language(desk: Runtime) -> None:
    # walkthrough: the brief said "very frustrated" for the English nudge and "calm" for the same
    # words in Spanish (the reader learnt English cues and read the Spanish as written, 0.05)
    english = _frustration_of(desk, WAITING_COMPLAINTS["en"])
    for language in ("es", "fr", "de", "pt"):
        assert abs(_frustration_of(desk, WAITING_COMPLAINTS[language]) - english) < 0.1, language
