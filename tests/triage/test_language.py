"""Language identification says "unsure" for short or mixed text, and an unsure reading never
lowers the intent confidence."""

from __future__ import annotations

import pytest

from relaydesk.triage.intent.vectors import model_vectors
from relaydesk.triage.language import Unsure, load_language_identifier
from relaydesk.triage.message_triage import MessageTriage

SHORT_OR_MISSPELT = ["Ok thanx", "thx", "ok", "65", "Hy", "ok thanx alot", "hii"]
MIXED = [
    "I want to cancel, merci beaucoup",
    "Where is my order? Ich warte seit zwei Wochen darauf",
    "my package hasn't arrived yet, necesito ayuda por favor",
]


def _model_confidence(triage: MessageTriage, text: str) -> float:
    """What the intent model alone reads in ``text``, before triage adjusts anything."""
    [prediction] = triage.intents.predict([text], model_vectors(triage.intents, triage.embedder, [text]))
    return round(prediction.confidence, 6)


@pytest.mark.parametrize("text", SHORT_OR_MISSPELT)
def test_short_or_misspelt_messages_are_unsure(text: str) -> None:
    reading = load_language_identifier().read(text)
    assert reading.language is None and reading.unsure is not None


@pytest.mark.parametrize("text", SHORT_OR_MISSPELT)
def test_an_unsure_language_does_not_lower_the_intent_confidence(triage: MessageTriage, text: str) -> None:
    result = triage.analyze(text, None)  # type: ignore[arg-type]
    assert result.language is None and result.extra["language_unsure"]
    assert not any(reason.startswith("written in") for reason in result.reasons)
    if text != "65":  # no words at all: read as no intent, whatever the language
        assert result.confidence == _model_confidence(triage, text)


@pytest.mark.parametrize("text", MIXED)
def test_a_line_mixing_languages_is_unsure(text: str) -> None:
    reading = load_language_identifier().read(text)
    assert reading.language is None and reading.unsure is Unsure.MIXED


def test_a_mixed_line_keeps_the_intent_confidence(triage: MessageTriage) -> None:
    text = "I want to cancel, merci beaucoup"
    result = triage.analyze(text, None)  # type: ignore[arg-type]
    assert result.language is None and result.extra["language_unsure"] == "mixed languages"
    assert result.confidence == _model_confidence(triage, text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, I need help. My order has not arrived yet.", "en"),
        ("Hola, necesito ayuda. Mi pedido no ha llegado todavía.", "es"),
        ("Bonjour, j'ai besoin d'aide. Ma commande n'est pas arrivée.", "fr"),
        ("Hallo, ich brauche Hilfe. Meine Bestellung ist noch nicht da.", "de"),
        ("Olá, preciso de ajuda. O meu pedido ainda não chegou.", "pt"),
        ("I ordered running shoes last week and they still have not arrived", "en"),
        ("Pedí unas zapatillas la semana pasada y todavía no han llegado", "es"),
        ("J'ai commandé des chaussures la semaine dernière et elles ne sont pas arrivées", "fr"),
        ("Ich habe letzte Woche Schuhe bestellt und sie sind noch nicht angekommen", "de"),
        ("Encomendei uns sapatos na semana passada e ainda não chegaram", "pt"),
        ("Quiero hablar con una persona", "es"),
        ("Quero falar com um atendente humano", "pt"),
        ("Hola, quiero devolver el pedido #W9549057 porque llegó roto", "es"),
    ],
)
def test_clear_sentences_in_the_five_product_languages_are_identified(text: str, language: str) -> None:
    reading = load_language_identifier().read(text)
    assert (reading.language, reading.unsure) == (language, None)


@pytest.mark.parametrize(("text", "language"), [("hola", "es"), ("obrigado", "pt"), ("merci", "fr")])
def test_the_glossary_names_a_greeting_or_thanks_that_lingua_cannot(text: str, language: str) -> None:
    assert load_language_identifier().read(text).language == language


def test_a_word_every_language_shares_names_none() -> None:
    assert load_language_identifier().read("Hi").language is None  # "hi" is in the German glossary too


def test_a_spanish_request_for_a_person_is_read_through_its_gloss(triage: MessageTriage) -> None:
    result = triage.analyze("Quiero hablar con una persona", None)  # type: ignore[arg-type]
    assert result.language == "es" and "language_unsure" not in result.extra
    assert result.wants_human


@pytest.mark.parametrize(
    "text", ["james.li4495@example.com", "W3632959", "https://shop.example/orders/123", "#123-456 65"]
)
def test_an_address_a_link_or_an_order_number_alone_names_no_language(text: str) -> None:
    reading = load_language_identifier().read(text)
    assert reading.language is None and reading.unsure == Unsure.NO_WORDS
