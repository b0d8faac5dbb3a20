"""Cases from a walkthrough of the demo, played through the whole runtime: an item named the way a
customer names it stays in the order being discussed, a damaged item and a wish for a person in
Spanish gets the damaged-item questions, and a wrong size with a crushed box is offered an
exchange (or a return) with the box acknowledged."""

from __future__ import annotations

import pytest

from relaydesk.rules_files.reader import PolicyFileError
from relaydesk.services.flow_catalogue import store_tool_names
from relaydesk.specialists import extract as ex
from relaydesk.specialists.flow_spec import check_flow_text
from tests.specialists.test_flow_dialogues import Chat, Shop, records

JAMES = "james.li4495@example.com"
CAMERA = {
    "name": "Indoor Security Camera",
    "item_id": "1",
    "options": {"resolution": "4K", "field of view": "130 degrees", "connectivity": "Wi-Fi"},
}
PUZZLE = {"name": "Jigsaw Puzzle", "item_id": "2", "options": {"pieces": "1000", "theme": "animals"}}


def _damaged_refund_at_the_item_question(shop: Shop) -> Chat:
    chat = Chat(shop)
    chat.say("my order W3638028 arrived damaged and I want a refund")
    text = chat.say(JAMES)
    assert (chat.flow, chat.asks) == ("refund_damaged_item@1", "items")
    assert "Indoor Security Camera" in text and "Jigsaw Puzzle" in text
    return chat


def test_an_item_named_in_part_while_describing_the_damage_stays_in_the_order_discussed(shop: Shop) -> None:
    before = records(shop, "james_li_5688")
    chat = _damaged_refund_at_the_item_question(shop)
    # the damage words ("the lens is cracked") are no new report about another order
    text = chat.say("the security camera, the lens is cracked")
    assert (chat.flow, chat.asks) == ("refund_damaged_item@1", "confirm")
    assert "#W3638028" in text and "Indoor Security Camera" in text
    assert "#W4435622" not in text and "Jigsaw" not in text
    assert records(shop, "james_li_5688") == before  # restated, not done


def test_an_item_is_named_by_a_word_of_its_name_or_by_its_kind(shop: Shop) -> None:
    chat = _damaged_refund_at_the_item_question(shop)
    text = chat.say("the jigsaw")
    assert chat.asks == "confirm" and "Jigsaw Puzzle" in text and "#W3638028" in text


def test_an_item_named_in_part_in_the_first_message_finds_its_order_and_the_item(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("my security camera arrived cracked, I want a refund")
    text = chat.say(JAMES)
    # the one delivered order of theirs with a security camera, and that item, not the puzzle
    assert (chat.flow, chat.asks) == ("refund_damaged_item@1", "confirm")
    assert "#W3638028" in text and "Indoor Security Camera" in text and "Jigsaw" not in text


def test_a_damage_without_the_item_asks_again_with_the_items_of_the_same_order(shop: Shop) -> None:
    chat = _damaged_refund_at_the_item_question(shop)
    text = chat.say("the lens is cracked")
    assert (chat.flow, chat.asks) == ("refund_damaged_item@1", "items")
    assert "#W3638028" in text and "Indoor Security Camera" in text and "#W4435622" not in text
    text = chat.say("the camera")
    assert chat.asks == "confirm" and "Indoor Security Camera" in text and "#W3638028" in text


def test_a_damaged_item_refund_and_a_wish_for_a_person_in_spanish_gets_the_damaged_item_questions(
    shop: Shop,
) -> None:
    chat = Chat(shop)
    text = chat.say("mi pedido W3638028 llegó roto y quiero un reembolso. Prefiero hablar con un agente")
    conversation = shop.runtime.store.get_conversation(chat.id)
    assert conversation.status.value == "queued"
    intake = chat.replies[-1]
    assert intake.metadata.get("flow") == "intake_damaged_item@1" and intake.metadata.get("asks") == "item"
    # the order was given: asked is the item and what happened to it, in Spanish
    assert "¿Qué artículo es y qué le pasó" in text and "devolviste" not in text
    chat.say("la cámara, la lente está rajada")
    gathered = (shop.runtime.store.get_conversation(chat.id).flow or {}).get("intake", {})
    assert gathered.get("order_id") == "#W3638028" and "cámara" in gathered.get("item", "")


def test_a_refund_that_has_not_come_still_gets_the_refund_questions(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("I still haven't received my refund for order #W3220387, I want to talk to a person")
    assert chat.replies[-1].metadata.get("flow") == "intake_refund@1"


def test_a_wrong_size_and_a_crushed_box_is_offered_an_exchange_or_a_return(shop: Shop) -> None:
    before = records(shop, "james_li_5688")
    chat = Chat(shop)
    text = chat.say("hiking boots are the wrong size and the box was crushed")
    assert (chat.flow, chat.asks) == ("exchange_items@1", "identity")
    assert "exchange it for another size" in text and "return it for a refund" in text
    assert "damaged box" in text and "refunded instead" in text
    text = chat.say(JAMES)
    # the one delivered order with hiking boots, and the size to change to is asked
    assert chat.asks == "new_items" and "Hiking Boots (size 12" in text
    assert records(shop, "james_li_5688") == before


def test_a_received_wrong_size_is_still_reported_and_a_question_about_fit_is_not_an_exchange(
    shop: Shop,
) -> None:
    chat = Chat(shop)
    chat.say("I received the wrong size")
    assert chat.flow == "report_item_problem@1"
    question = Chat(shop)
    question.say("what if my shoes do not fit?")
    assert not [r for r in question.replies if r.metadata.get("flow")]


def test_an_item_bought_as_a_gift_is_asked_which_way_to_refund_not_sent_to_a_gift_card(shop: Shop) -> None:
    before = records(shop, "harper_khan_9597")
    chat = Chat(shop)
    chat.say("the espresso machine I bought as a gift arrived cracked, I want a refund")
    text = chat.say("harper.khan1177@example.com")
    # paid by card, and a gift card on the account: the customer chooses
    assert (chat.flow, chat.asks) == ("refund_damaged_item@1", "payment")
    assert "gift card" in text and "Mastercard" in text
    text = chat.say("the original card please")
    assert chat.asks == "confirm" and "#W3134391" in text and "Mastercard card ending in 7159" in text
    assert records(shop, "harper_khan_9597") == before
    assert ex.payment_method("it was a gift for my son", [{"id": "gift_card_1", "source": "gift_card"}]) == (
        None,
        False,
    )
    assert ex.payment_method("the gift one", [{"id": "gift_card_1", "source": "gift_card"}]) == (
        "gift_card_1",
        False,
    )


# -- items of one order named loosely -------------------------------------------------------------------
def test_loose_names_kinds_and_options_pick_one_item_of_the_order() -> None:
    items = [CAMERA, PUZZLE]
    for text, expected in [
        ("the security camera, the lens is cracked", ["1"]),
        ("the camera", ["1"]),
        ("la cámara", ["1"]),
        ("the jigsaw", ["2"]),
        ("the camera and the puzzles", ["1", "2"]),
    ]:
        match = ex.loose_items(text, items)
        assert match is not None and match.item_ids == expected, text
    assert ex.loose_items("the lens is cracked", items, by_options=True) is None
    boots = {"name": "Hiking Boots", "item_id": "3", "options": {"size": "12"}}
    bottle = {"name": "Water Bottle", "item_id": "4", "options": {"capacity": "750ml", "color": "red"}}
    match = ex.loose_items("the shoes", [boots, bottle])
    assert match is not None and match.item_ids == ["3"]
    # "water" is too common a word to name the bottle: water in the boots is about the boots
    match = ex.loose_items("water got into my boots", [boots, bottle])
    assert match is not None and match.item_ids == ["3"]
    # an option names an item only as the answer to "which item?"
    assert ex.loose_items("the red one", [boots, bottle]) is None
    match = ex.loose_items("the red one", [boots, bottle], by_options=True)
    assert match is not None and match.item_ids == ["4"]


def test_a_word_that_fits_two_products_of_the_order_names_neither() -> None:
    action = {"name": "Action Camera", "item_id": "5", "options": {"resolution": "1080p"}}
    assert ex.loose_items("the camera", [CAMERA, action]) is None
    match = ex.loose_items("the security camera", [CAMERA, action])
    assert match is not None and match.item_ids == ["1"]


# -- remarks a flow makes when it starts ---------------------------------------------------------------
FLOW = """
flow: t
version: "1"
start:
  words: ['\\bexchange\\b']
remarks:
{remarks}
steps:
  - step: identify
"""


def test_a_flow_remark_needs_a_valid_pattern_and_a_text() -> None:
    tools = set(store_tool_names())
    spec = check_flow_text(
        FLOW.format(remarks="  - {when: 'box', say: {en: 'Sorry.', es: 'Lo siento.'}}"), "t", tools
    )
    assert spec.remarks_for("the box was wet", "es") == ["Lo siento."]
    assert spec.remarks_for("fine", "es") == []
    with pytest.raises(PolicyFileError, match="not a valid pattern"):
        check_flow_text(FLOW.format(remarks="  - {when: '(', say: 'Sorry.'}"), "t", tools)
    with pytest.raises(PolicyFileError, match="exactly when"):
        check_flow_text(FLOW.format(remarks="  - {when: 'box'}"), "t", tools)
