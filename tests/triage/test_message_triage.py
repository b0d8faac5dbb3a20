"""The full triage of one message: intent, human requests, signals, and bad input that never breaks it."""

from __future__ import annotations

import pytest

from relaydesk.domain.ports import Triage
from relaydesk.triage.message_triage import MAX_CHARS, MessageTriage, clean_message


def test_message_triage_implements_the_port(triage: MessageTriage) -> None:
    port: Triage = triage
    assert port.version.startswith("message-triage-1/store-intents-1-")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where is my package? it was supposed to come on monday", "order_status"),
        ("please cancel my order, I bought the wrong size", "cancel_order"),
        ("the mug arrived smashed into pieces", "damaged_item"),
        ("ten days later the refund is still missing from my account", "refund_status"),
        ("can't sign in, forgot my password", "reset_password"),
    ],
)
def test_store_messages_get_their_intent(triage: MessageTriage, text: str, intent: str) -> None:
    result = triage.analyze(text, None)  # type: ignore[arg-type]
    assert result.intent == intent
    assert result.in_scope
    assert result.confidence > 0.4


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a human",
        "let me speak with a real person please",
        "get me a live agent",
        "can i tlak to a humna pls",  # written in a hurry
        "Quiero hablar con una persona",
        "Je voudrais parler à un conseiller",
        "Ich möchte mit einem Mitarbeiter sprechen",
    ],
)
def test_explicit_request_for_a_person_sets_wants_human(triage: MessageTriage, text: str) -> None:
    result = triage.analyze(text, None)  # type: ignore[arg-type]
    assert result.wants_human
    assert "asked for a human" in result.reasons


def test_ordinary_question_does_not_ask_for_a_human(triage: MessageTriage) -> None:
    assert not triage.analyze("how much is shipping to Canada", None).wants_human  # type: ignore[arg-type]


def test_off_topic_question_is_out_of_scope(triage: MessageTriage) -> None:
    result = triage.analyze("who won the world cup in 1998", None)  # type: ignore[arg-type]
    assert not result.in_scope
    assert result.intent is None
    assert result.extra["intent_guess"]


def test_signals_entities_pii_and_embedding_come_back(triage: MessageTriage) -> None:
    text = "Order #W2378156 never came!! I paid $49.99, write me at jane.doe@example.com"
    result = triage.analyze(text, None)  # type: ignore[arg-type]
    kinds = {e.kind for e in result.entities}
    assert {"order_id", "email"} <= kinds
    assert [p.kind for p in result.pii] == ["email"]
    assert result.language == "en"
    assert result.embedding is not None and len(result.embedding) == triage.embedder.dimension
    assert result.to_log()["intent"] == result.intent


def test_shouting_angry_customer_reads_as_frustrated(triage: MessageTriage) -> None:
    calm = triage.analyze("could you tell me where my order is", None)  # type: ignore[arg-type]
    angry = triage.analyze("THIS IS RIDICULOUS, I ALREADY TRIED THAT TWICE", None)  # type: ignore[arg-type]
    assert angry.frustration > 0.5 > calm.frustration
    assert "shouting" in angry.reasons


BAD_INPUT = {
    "empty": "",
    "whitespace": " \n\t ",
    "huge": "where is my order " * 20000,
    "binary": b"\x00\xff\xfe\x01\x02garbage\x00\x00",
    "control characters": "\x00\x01\x02\x03\x04\x05\x06",
    "lone surrogate": "order \ud800 status",
    "emoji only": "😡😡😡🔥🔥",
    "digits only": "1234567890",
    "mixed languages": "hola, where está mi pedido? je suis très fâché",
    "unknown language": "Haluan palauttaa kengät, ne ovat liian pienet",
    "not a string": None,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_gives_a_valid_result(triage: MessageTriage, name: str) -> None:
    result = triage.analyze(BAD_INPUT[name], None)  # type: ignore[arg-type]
    assert 0.0 <= result.confidence <= 1.0
    assert 0.0 <= result.frustration <= 1.0 and 0.0 <= result.urgency <= 1.0
    assert result.embedding is not None
    assert result.version == triage.version


@pytest.mark.parametrize(
    "name", ["empty", "whitespace", "binary", "control characters", "emoji only", "not a string"]
)
def test_input_without_words_has_no_intent_and_low_confidence(triage: MessageTriage, name: str) -> None:
    result = triage.analyze(BAD_INPUT[name], None)  # type: ignore[arg-type]
    assert result.intent is None
    assert not result.in_scope
    assert result.confidence <= 0.1


def test_huge_message_is_cut_and_says_so(triage: MessageTriage) -> None:
    result = triage.analyze(BAD_INPUT["huge"], None)  # type: ignore[arg-type]
    assert f"message cut to {MAX_CHARS} characters" in result.reasons
    assert all(p.end <= MAX_CHARS for p in result.pii)


def test_a_message_in_a_language_the_glossary_knows_is_read_through_its_english_gloss(
    triage: MessageTriage,
) -> None:
    result = triage.analyze("Ich möchte meine Bestellung stornieren, bitte", None)  # type: ignore[arg-type]
    assert result.language == "de"
    assert result.extra["gloss"] == "i would like my order cancel please"
    assert result.intent == "cancel_order" and result.confidence > 0.9
    assert any("written in de; the models read an English gloss" in r for r in result.reasons)


def test_a_language_without_a_glossary_still_gets_damped_confidence(triage: MessageTriage) -> None:
    result = triage.analyze("Vorrei annullare il mio ordine, per favore", None)  # type: ignore[arg-type]
    assert result.language == "it" and "gloss" not in result.extra
    assert result.confidence <= 0.5
    assert any("written in it; the intent model reads en" in r for r in result.reasons)


def test_clean_message_removes_control_characters_and_reports_truncation() -> None:
    text, truncated, junk = clean_message("a\x00b\x07c " + "x" * 50, limit=20)
    assert text.startswith("a b c")
    assert truncated
    assert junk > 0


def test_batch_gives_the_same_results_as_one_by_one(triage: MessageTriage) -> None:
    texts = ["where is my order", "I want a refund", ""]
    batch = triage.analyze_many(texts, [None, None, None])
    for text, result in zip(texts, batch, strict=True):
        single = triage.analyze(text, None)  # type: ignore[arg-type]
        assert (single.intent, round(single.confidence, 3)) == (result.intent, round(result.confidence, 3))
