"""The extraction helpers on their own: how customers name variants and products."""

from __future__ import annotations

from relaydesk.specialists import extract as ex

SUNGLASSES = [
    {"item_id": "1", "available": True, "options": {"frame color": "black", "lens color": "brown"}},
    {"item_id": "2", "available": True, "options": {"frame color": "brown", "lens color": "brown"}},
    {"item_id": "3", "available": True, "options": {"frame color": "brown", "lens color": "black"}},
    {"item_id": "4", "available": True, "options": {"frame color": "black", "lens color": "black"}},
]


def test_a_value_named_twice_changes_the_option_that_does_not_have_it_yet() -> None:
    current = {"item_id": "1", "options": SUNGLASSES[0]["options"]}
    choice = ex.resolve_variant("the sunglasses should be brown, brown", current, SUNGLASSES)
    assert choice.new_item_id == "2"


def test_a_value_the_item_already_has_named_once_is_not_a_change() -> None:
    current = {"item_id": "1", "options": SUNGLASSES[0]["options"]}
    assert ex.resolve_variant("the brown sunglasses", current, SUNGLASSES).problem == "not_said"


def test_a_product_name_that_is_also_an_option_value_is_read_as_the_option() -> None:
    text = "for the Backpack, I'd like green, laptop instead; for the Laptop, I'd like 15-inch"
    found = ex.mentions(text, ["Backpack", "Laptop"], {"laptop", "camera", "green"})
    assert [name for name, _, _ in found] == ["Backpack", "Laptop"]
    backpack = next(text[a:b] for name, a, b in found if name == "Backpack")
    assert "laptop instead" in backpack
    # without the option values, the bare word cuts the backpack's window short
    assert [name for name, _, _ in ex.mentions(text, ["Backpack", "Laptop"])] == [
        "Backpack",
        "Laptop",
        "Laptop",
    ]


def test_an_option_value_that_is_also_a_product_is_not_an_item_from_another_order() -> None:
    backpack = {"item_id": "9", "name": "Backpack", "options": {"color": "navy", "compartment": "laptop"}}
    match = ex.resolve_items("the Backpack (navy, small, nylon, laptop)", [backpack], ["Backpack", "Laptop"])
    assert match.item_ids == ["9"] and match.unknown == []
    match = ex.resolve_items("the backpack and the laptop", [backpack], ["Backpack", "Laptop"])
    assert match.unknown == ["Laptop"]


def test_a_camera_storage_card_is_not_a_payment_card() -> None:
    methods = [
        {"id": "credit_card_1", "source": "credit_card", "brand": "visa", "last_four": "2364"},
        {"id": "gift_card_1", "source": "gift_card"},
    ]
    assert ex.payment_method("the Digital Camera (30MP, zoom 3x, SD card)", methods) == (None, False)
    assert ex.payment_method("my card please", methods) == ("credit_card_1", False)


def test_ordinals_pick_from_a_numbered_list() -> None:
    assert [ex.ordinal(t, 3) for t in ("the second one", "2", "number 3 please", "the last one")] == [
        1,
        1,
        2,
        2,
    ]
    assert ex.ordinal("the fourth", 3) is None and ex.ordinal("yes", 3) is None
    assert ex.ordinal("size 2 is fine", 3) is None


def test_an_address_on_two_parts_with_the_unit_inside_the_street() -> None:
    found = ex.address("123 Maple st apt 4, Austin TX 78701")
    assert found is not None
    assert (found["address1"], found["address2"], found["city"], found["state"], found["zip"]) == (
        "123 Maple st",
        "apt 4",
        "Austin",
        "TX",
        "78701",
    )


def test_products_named_as_customers_write_them() -> None:
    names = ["T-Shirt", "Mechanical Keyboard", "Smart Watch", "Water Bottle"]
    assert ex.named_products("my tshirt", names) == ["T-Shirt"]
    assert ex.named_products("the shirt in blue", names) == ["T-Shirt"]
    assert ex.named_products("the keyboard one", names) == ["Mechanical Keyboard"]
    assert ex.named_products("the light", names) == []


def test_size_words_name_letter_sizes() -> None:
    assert ex.option_score("in small please", {"size": "S"})[0] == 1
    assert ex.option_score("extra large", {"size": "L"})[0] == 0
    assert ex.option_score("extra large", {"size": "XL"})[0] == 1


def test_a_side_question_is_not_an_answer() -> None:
    assert ex.side_question("wait, does the backpack come in black?")
    assert not ex.side_question("yes?") and not ex.side_question("ok go ahead?")
