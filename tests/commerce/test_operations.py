"""The store's own rules, on small records built here."""

from __future__ import annotations

import re
from typing import Any

import pytest

from relaydesk.commerce import operations as ops
from relaydesk.commerce.records import (
    OrderStatus,
    Product,
    order_from_json,
    product_from_json,
    user_from_json,
)
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound

ADDRESS = {
    "address1": "1 Main St",
    "address2": "",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}
SHIRT = product_from_json(
    {
        "name": "T-Shirt",
        "product_id": "p1",
        "variants": {
            "s-red": {"item_id": "s-red", "options": {"color": "red"}, "available": True, "price": 20.0},
            "s-blue": {"item_id": "s-blue", "options": {"color": "blue"}, "available": True, "price": 25.5},
            "s-gold": {"item_id": "s-gold", "options": {"color": "gold"}, "available": False, "price": 90.0},
        },
    }
)
MUG = product_from_json(
    {
        "name": "Mug",
        "product_id": "p2",
        "variants": {
            "m-white": {"item_id": "m-white", "options": {"size": "M"}, "available": True, "price": 8.0},
        },
    }
)


def product_of_item(item_id: str) -> Product | None:
    return next((p for p in (SHIRT, MUG) if item_id in p.variants), None)


def user(gift_balance: float = 10.0):  # type: ignore[no-untyped-def]
    return user_from_json(
        "ann_1",
        {
            "name": {"first_name": "Ann", "last_name": "Lee"},
            "address": ADDRESS,
            "email": "ann@example.test",
            "payment_methods": {
                "card_1": {"source": "credit_card", "brand": "visa", "last_four": "1111", "id": "card_1"},
                "gift_1": {"source": "gift_card", "balance": gift_balance, "id": "gift_1"},
                "paypal_1": {"source": "paypal", "id": "paypal_1"},
            },
            "orders": ["#A1"],
        },
    )


def order(status: str = "pending", method: str = "card_1", **extra: Any):  # type: ignore[no-untyped-def]
    return order_from_json(
        {
            "order_id": "#A1",
            "user_id": "ann_1",
            "address": ADDRESS,
            "status": status,
            "fulfillments": [],
            "items": [
                {
                    "name": "T-Shirt",
                    "product_id": "p1",
                    "item_id": "s-red",
                    "price": 20.0,
                    "options": {"color": "red"},
                },
                {
                    "name": "Mug",
                    "product_id": "p2",
                    "item_id": "m-white",
                    "price": 8.0,
                    "options": {"size": "M"},
                },
            ],
            "payment_history": [{"transaction_type": "payment", "amount": 28.0, "payment_method_id": method}],
            **extra,
        }
    )


def test_cancelling_a_pending_order_refunds_each_payment_and_records_the_reason() -> None:
    change = ops.cancel_pending_order(order(), user(), "ordered by mistake")
    new = change.order
    assert new.status == OrderStatus.CANCELLED
    assert new.details["cancel_reason"] == "ordered by mistake"
    assert [t.to_json() for t in new.payments][-1] == {
        "transaction_type": "refund",
        "amount": 28.0,
        "payment_method_id": "card_1",
    }
    assert change.users == ()


def test_cancelling_refunds_a_gift_card_at_once() -> None:
    change = ops.cancel_pending_order(order(method="gift_1"), user(gift_balance=2.0), "no longer needed")
    assert change.users[0][1].payment_method("gift_1").balance == 30.0


@pytest.mark.parametrize("status", ["delivered", "processed", "cancelled", "pending (item modified)"])
def test_only_a_pending_order_can_be_cancelled(status: str) -> None:
    with pytest.raises(Conflict, match=re.escape(f'"{status}"')):
        ops.cancel_pending_order(order(status=status), user(), "no longer needed")


def test_a_cancellation_reason_outside_the_two_allowed_is_refused() -> None:
    with pytest.raises(InvalidInput, match="too expensive"):
        ops.cancel_pending_order(order(), user(), "too expensive")


def test_modifying_items_charges_the_difference_and_locks_the_order() -> None:
    change = ops.modify_pending_order_items(
        order(), user(), ["s-red"], ["s-blue"], "paypal_1", product_of_item
    )
    new = change.order
    assert new.status == OrderStatus.ITEMS_MODIFIED
    assert new.items[0].item_id == "s-blue" and new.items[0].price == 25.5
    assert new.payments[-1].to_json() == {
        "transaction_type": "payment",
        "amount": 5.5,
        "payment_method_id": "paypal_1",
    }
    with pytest.raises(Conflict):
        ops.modify_pending_order_items(new, user(), ["s-blue"], ["s-red"], "paypal_1", product_of_item)


def test_a_gift_card_pays_an_item_difference_only_with_enough_balance() -> None:
    with pytest.raises(Conflict, match="gift_1"):
        ops.modify_pending_order_items(
            order(), user(gift_balance=5.0), ["s-red"], ["s-blue"], "gift_1", product_of_item
        )
    change = ops.modify_pending_order_items(
        order(), user(gift_balance=6.0), ["s-red"], ["s-blue"], "gift_1", product_of_item
    )
    assert change.users[0][1].payment_method("gift_1").balance == 0.5


def test_an_item_can_only_become_another_available_option_of_the_same_product() -> None:
    with pytest.raises(InvalidInput, match="product cannot change"):
        ops.modify_pending_order_items(order(), user(), ["s-red"], ["m-white"], "card_1", product_of_item)
    with pytest.raises(Conflict, match="not available"):
        ops.modify_pending_order_items(order(), user(), ["s-red"], ["s-gold"], "card_1", product_of_item)
    with pytest.raises(NotFound, match="s-blue is not in order"):
        ops.modify_pending_order_items(order(), user(), ["s-blue"], ["s-red"], "card_1", product_of_item)


def test_a_return_refunds_only_to_the_original_method_or_a_gift_card() -> None:
    delivered = order(status="delivered")
    with pytest.raises(Conflict, match="paypal_1"):
        ops.return_delivered_order_items(delivered, user(), ["s-red"], "paypal_1")
    to_card = ops.return_delivered_order_items(delivered, user(), ["m-white", "s-red"], "card_1").order
    assert to_card.status == OrderStatus.RETURN_REQUESTED
    assert to_card.details == {"return_items": ["m-white", "s-red"], "return_payment_method_id": "card_1"}
    assert (
        ops.return_delivered_order_items(delivered, user(), ["s-red"], "gift_1").order.status
        == "return requested"
    )


def test_an_exchange_records_the_items_and_the_price_difference_without_moving_money() -> None:
    change = ops.exchange_delivered_order_items(
        order(status="delivered"), user(), ["s-red"], ["s-blue"], "card_1", product_of_item
    )
    assert change.users == ()
    assert change.order.details["exchange_price_difference"] == 5.5
    assert change.order.payments == order().payments


def test_changing_the_payment_method_pays_with_the_new_one_and_refunds_the_old() -> None:
    change = ops.modify_pending_order_payment(order(method="gift_1"), user(gift_balance=1.0), "paypal_1")
    assert [t.to_json() for t in change.order.payments][1:] == [
        {"transaction_type": "payment", "amount": 28.0, "payment_method_id": "paypal_1"},
        {"transaction_type": "refund", "amount": 28.0, "payment_method_id": "gift_1"},
    ]
    assert change.users[0][1].payment_method("gift_1").balance == 29.0
    with pytest.raises(InvalidInput, match="already paid"):
        ops.modify_pending_order_payment(order(), user(), "card_1")
    with pytest.raises(Conflict, match="not enough"):
        ops.modify_pending_order_payment(order(), user(gift_balance=27.99), "gift_1")
