"""Flows speak the customer's language: every question, confirmation and closing line a customer
reads is written in English, Spanish, French, German and Portuguese, and a conversation in one of
them goes through a flow in it."""

from __future__ import annotations

import string

from relaydesk.services.flow_catalogue import store_tool_names
from relaydesk.specialists.flow_spec import STEP_KINDS, bundled_library
from relaydesk.specialists.flow_texts import LANGUAGES, TEXTS
from tests.specialists.test_flow_dialogues import Chat, Shop, records, status

FOR_THE_TEAM = {("handoff", "why")}
"""Settings read by a person (the brief), not by the customer: English only."""


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_flow_text_a_customer_reads_is_written_in_every_language() -> None:
    library = bundled_library(store_tool_names())
    missing = []
    for flow in library.flows.values():
        if flow.kind != "intake" and set(flow.titles) != set(LANGUAGES):
            missing.append(f"{flow.name}: title")
        for n, step in enumerate(flow.steps, start=1):
            for key in STEP_KINDS[step.kind].templates:
                value = step.get(key)
                if value is None or (step.kind, key) in FOR_THE_TEAM:
                    continue
                if not isinstance(value, dict) or set(value) != set(LANGUAGES):
                    missing.append(f"{flow.name} step {n} ({step.kind}) {key}")
                    continue
                for language, text in value.items():
                    if _fields(text) - _fields(value["en"]):
                        missing.append(
                            f"{flow.name} step {n} {key}: {language} names a value English does not"
                        )
    assert missing == []


def test_every_step_library_text_has_every_language_and_no_value_english_lacks() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        for language, text in texts.items():
            assert not _fields(text) - _fields(texts["en"]), (key, language)


def test_a_spanish_customer_cancelling_an_order_is_asked_and_answered_in_spanish(shop: Shop) -> None:
    chat = Chat(shop)
    before = records(shop, "ivan_santos_6635")
    text = chat.say("Hola, quiero cancelar mi pedido #W8770097")
    assert (chat.flow, chat.asks) == ("cancel_order@1", "identity")
    assert "¿cuál es el correo electrónico de tu cuenta?" in text
    text = chat.say("ivan.santos3158@example.com")  # no words to tell a language by: still Spanish
    assert chat.asks == "reason" and "¿Me dices por qué quieres cancelarlo" in text
    text = chat.say("ya no lo necesito")
    assert chat.asks == "confirm"
    assert "Voy a cancelar el pedido #W8770097" in text and "¿Sigo adelante? (sí / no)" in text
    assert "Shall I" not in text and records(shop, "ivan_santos_6635") == before
    text = chat.say("sí")
    assert status(shop, "#W8770097") == "cancelled"
    assert "El pedido #W8770097 está cancelado" in text and "¿Puedo ayudarte con algo más?" in text


def test_a_short_answer_keeps_the_flow_in_the_customers_language(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("Olá, quero devolver a mochila da encomenda #W7913362")
    text = chat.say("mohamed.lee1888@example.com")
    # "a mochila" names the backpacks; the order has two, so which one is asked, in Portuguese
    assert chat.asks == "items" and "A sua encomenda tem mais de um Backpack" in text
    text = chat.say("a grande")  # two words: not enough to tell a language by
    assert "Which" not in text and "Order #W7913362" not in text

    french = Chat(shop)
    french.say("Bonjour, je voudrais annuler ma commande #W2090453")
    french.say("olivia.jackson2465@example.com")
    text = french.say("je n'en ai plus besoin")
    assert "Je vais annuler la commande #W2090453" in text and "(oui / non)" in text
    assert "D'accord, je n'ai rien changé." in french.say("non")
