"""A request in Spanish, French, German or Portuguese starts the flow its English words would
(read through triage's English gloss, or the flow's own words in that language), and asks in the
customer's language; a question in those languages stays with the help center (walkthrough: a
German damaged-item refund reached a person; a previous attempt started flows from questions like
'¿Cuánto cuesta el envío exprés?')."""

from __future__ import annotations

import pytest

from tests.specialists.test_flow_dialogues import Chat, Shop


@pytest.mark.parametrize(
    ("text", "flow", "asked"),
    [
        (
            "Meine Kamera kam mit einem gesprungenen Objektiv an, ich möchte mein Geld zurück",
            "refund_damaged_item@1",
            "Zuerst muss ich bestätigen",
        ),
        ("mi pedido W3638028 llegó roto y quiero un reembolso", "refund_damaged_item@1", "Siento"),
        (
            "La caméra de ma commande W3638028 est arrivée cassée, je veux être remboursé",
            "refund_damaged_item@1",
            "Désolé",
        ),
        (
            "A câmara da encomenda W3638028 chegou partida, quero um reembolso",
            "refund_damaged_item@1",
            "Lamento",
        ),
        ("Je veux annuler ma commande W2611340", "cancel_order@1", "votre identité"),
        ("Onde está a minha encomenda W2611340?", "order_status@1", "confirmar quem é"),
        ("Wo ist meine Bestellung W2611340?", "order_status@1", "bestätigen, wer Sie sind"),
        ("Je voudrais retourner la caméra de ma commande W3638028", "return_items@1", "votre identité"),
        ("Ich möchte die Kamera aus der Bestellung W3638028 zurückschicken", "return_items@1", "Zuerst"),
    ],
)
def test_a_request_in_another_language_starts_its_flow_in_that_language(
    shop: Shop, text: str, flow: str, asked: str
) -> None:
    chat = Chat(shop)
    reply = chat.say(text)
    assert (chat.flow, chat.asks) == (flow, "identity")
    assert asked in reply and chat.with_ai


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuánto cuesta el envío exprés?",
        "Quanto custa o Northwind Plus?",
        "Je peux retourner un oreiller que j'ai déjà ouvert ?",
        "O que significa quando o meu pedido está com o status Processando?",
    ],
)
def test_a_question_in_another_language_starts_no_flow(shop: Shop, text: str) -> None:
    chat = Chat(shop)
    chat.say(text)
    assert not any(r.metadata.get("flow") for r in chat.replies), [r.text for r in chat.replies]
