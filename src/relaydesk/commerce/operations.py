"""The store's own rules for changing records, as pure functions from records to new records.

Written from the store's support policy: cancel or modify only pending orders, return or exchange
only delivered ones, item swaps stay within one product, refunds go back to the original payment
method or a gift card, a gift card must cover what it pays. Money is kept to whole cents.
Each function raises a ``RelaydeskError`` naming the offending value when a rule is broken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from relaydesk.commerce.records import (
    CANCEL_REASONS,
    Address,
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    PaymentSource,
    Product,
    Transaction,
    TransactionKind,
    User,
    cents,
)
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound

ProductOfItem = Callable[[str], Product | None]


@dataclass(frozen=True, slots=True)
class Change:
    """New versions of records, paired with the versions they were computed from."""

    users: tuple[tuple[User, User], ...] = ()
    orders: tuple[tuple[Order, Order], ...] = ()

    @property
    def order(self) -> Order:
        return self.orders[0][1]


def require_status(order: Order, allowed: Sequence[str], action: str) -> None:
    if order.status not in allowed:
        raise Conflict(
            f'order {order.id} is "{order.status}"; only a {" or ".join(allowed)} order can be {action}'
        )


def payment_method(user: User, method_id: str) -> PaymentMethod:
    method = user.payment_method(method_id)
    if method is None:
        raise NotFound(f'payment method "{method_id}" is not in the profile of {user.id}')
    return method


def with_balance(user: User, method_id: str, delta: float) -> User:
    """The user with gift card ``method_id``'s balance changed by ``delta``."""
    methods = tuple(
        replace(m, balance=cents((m.balance or 0) + delta)) if m.id == method_id else m
        for m in user.payment_methods
    )
    return replace(user, payment_methods=methods)


def gift_card_covers(method: PaymentMethod, amount: float) -> bool:
    return method.source != PaymentSource.GIFT_CARD or amount <= 0 or (method.balance or 0) >= cents(amount)


# -- cancel ---------------------------------------------------------------------------------------
def cancel_pending_order(order: Order, user: User, reason: str) -> Change:
    require_status(order, [OrderStatus.PENDING], "cancelled")
    if reason not in CANCEL_REASONS:
        raise InvalidInput(f'cancellation reason "{reason}" must be one of: {", ".join(CANCEL_REASONS)}')
    refunds = [
        Transaction(TransactionKind.REFUND, amount, method) for method, amount in net_paid(order).items()
    ]
    new_user = user
    for refund in refunds:
        method = user.payment_method(refund.payment_method_id)
        if method is not None and method.source == PaymentSource.GIFT_CARD:
            new_user = with_balance(new_user, method.id, refund.amount)
    new_order = replace(
        order,
        status=str(OrderStatus.CANCELLED),
        payments=order.payments + tuple(refunds),
        details={**order.details, "cancel_reason": reason},
    )
    return Change(users=((user, new_user),) if new_user != user else (), orders=((order, new_order),))


def net_paid(order: Order) -> dict[str, float]:
    """Per payment method: what it paid for the order minus what it got back (only positive)."""
    net: dict[str, float] = {}
    for t in order.payments:
        sign = 1 if t.kind == TransactionKind.PAYMENT else -1
        net[t.payment_method_id] = net.get(t.payment_method_id, 0.0) + sign * t.amount
    return {m: cents(a) for m, a in net.items() if cents(a) > 0}


# -- modify a pending order ------------------------------------------------------------------------
def modify_pending_order_address(order: Order, address: Address) -> Change:
    require_status(order, [OrderStatus.PENDING], "modified")
    return Change(orders=((order, replace(order, address=address)),))


def modify_user_address(user: User, address: Address) -> Change:
    return Change(users=((user, replace(user, address=address)),))


def modify_pending_order_payment(order: Order, user: User, method_id: str) -> Change:
    require_status(order, [OrderStatus.PENDING], "modified")
    new_method = payment_method(user, method_id)
    paid = net_paid(order)
    if len(paid) != 1:
        raise Conflict(f"order {order.id} is paid with {len(paid)} payment methods; only one can be replaced")
    ((old_id, amount),) = paid.items()
    if old_id == method_id:
        raise InvalidInput(f'order {order.id} is already paid with "{method_id}"; choose a different method')
    if not gift_card_covers(new_method, amount):
        raise Conflict(f"gift card {method_id} has {new_method.balance:.2f}, not enough to pay {amount:.2f}")
    payments = order.payments + (
        Transaction(TransactionKind.PAYMENT, amount, method_id),
        Transaction(TransactionKind.REFUND, amount, old_id),
    )
    new_user = user
    if new_method.source == PaymentSource.GIFT_CARD:
        new_user = with_balance(new_user, method_id, -amount)
    old_method = user.payment_method(old_id)
    if old_method is not None and old_method.source == PaymentSource.GIFT_CARD:
        new_user = with_balance(new_user, old_id, amount)
    return Change(
        users=((user, new_user),) if new_user != user else (),
        orders=((order, replace(order, payments=payments)),),
    )


@dataclass(frozen=True, slots=True)
class Swap:
    """Items of an order swapped for other variants of the same products."""

    items: tuple[OrderItem, ...]
    """The order's items after the swap."""
    difference: float
    """New prices minus old prices: above 0 the customer pays, below 0 they get money back."""
    old: tuple[str, ...]
    new: tuple[str, ...]


def swap_items(
    order: Order, item_ids: Sequence[str], new_item_ids: Sequence[str], product_of_item: ProductOfItem
) -> Swap:
    """Check and price swapping ``item_ids`` of ``order`` for ``new_item_ids`` (pairwise)."""
    if not item_ids:
        raise InvalidInput("name at least one item to change")
    if len(item_ids) != len(new_item_ids):
        raise InvalidInput(
            f"{len(item_ids)} items to change but {len(new_item_ids)} new items; they go in pairs"
        )
    wanted = Counter(item_ids)
    have = Counter(i.item_id for i in order.items)
    for item_id, count in wanted.items():
        if have[item_id] < count:
            raise NotFound(
                f"item {item_id} is not in order {order.id}"
                if not have[item_id]
                else f"order {order.id} has {have[item_id]} of item {item_id}, not {count}"
            )
    items = list(order.items)
    used: set[int] = set()
    difference = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        index = next(k for k, i in enumerate(items) if i.item_id == old_id and k not in used)
        used.add(index)
        old = items[index]
        product = product_of_item(new_id)
        if product is None or new_id not in product.variants:
            raise NotFound(f"item {new_id} does not exist")
        if product.id != old.product_id:
            raise InvalidInput(
                f"item {new_id} is a {product.name}, not a {old.name}; the product cannot change"
            )
        variant = product.variants[new_id]
        if not variant.available:
            raise Conflict(f"item {new_id} ({product.name}, {_options(variant.options)}) is not available")
        items[index] = OrderItem(new_id, product.id, old.name, variant.price, dict(variant.options))
        difference += variant.price - old.price
    return Swap(tuple(items), cents(difference), tuple(item_ids), tuple(new_item_ids))


def modify_pending_order_items(
    order: Order,
    user: User,
    item_ids: Sequence[str],
    new_item_ids: Sequence[str],
    method_id: str,
    product_of_item: ProductOfItem,
) -> Change:
    require_status(order, [OrderStatus.PENDING], "modified")
    swap = swap_items(order, item_ids, new_item_ids, product_of_item)
    method = payment_method(user, method_id)
    if not gift_card_covers(method, swap.difference):
        raise Conflict(
            f"gift card {method_id} has {method.balance:.2f}, not enough to pay {swap.difference:.2f}"
        )
    kind = TransactionKind.PAYMENT if swap.difference > 0 else TransactionKind.REFUND
    new_order = replace(
        order,
        items=swap.items,
        status=str(OrderStatus.ITEMS_MODIFIED),
        payments=order.payments + (Transaction(kind, abs(swap.difference), method_id),),
    )
    new_user = user
    if method.source == PaymentSource.GIFT_CARD:
        new_user = with_balance(user, method_id, -swap.difference)
    return Change(users=((user, new_user),) if new_user != user else (), orders=((order, new_order),))


# -- delivered orders -----------------------------------------------------------------------------
def refund_method_allowed(order: Order, method: PaymentMethod) -> bool:
    """A refund goes to a method that paid for the order, or to a gift card."""
    return method.id in order.paid_methods or method.source == PaymentSource.GIFT_CARD


def returned_amount(order: Order, item_ids: Sequence[str]) -> float:
    prices: dict[str, float] = {i.item_id: i.price for i in order.items}
    return cents(sum(prices.get(i, 0.0) for i in item_ids))


def return_delivered_order_items(order: Order, user: User, item_ids: Sequence[str], method_id: str) -> Change:
    require_status(order, [OrderStatus.DELIVERED], "returned")
    if not item_ids:
        raise InvalidInput("name at least one item to return")
    have = Counter(i.item_id for i in order.items)
    for item_id, count in Counter(item_ids).items():
        if have[item_id] < count:
            raise NotFound(f"item {item_id} is not in order {order.id}")
    method = payment_method(user, method_id)
    if not refund_method_allowed(order, method):
        raise Conflict(f"a refund goes to the original payment method or a gift card, not {method_id}")
    details = {**order.details, "return_items": sorted(item_ids), "return_payment_method_id": method_id}
    return Change(
        orders=((order, replace(order, status=str(OrderStatus.RETURN_REQUESTED), details=details)),)
    )


def exchange_delivered_order_items(
    order: Order,
    user: User,
    item_ids: Sequence[str],
    new_item_ids: Sequence[str],
    method_id: str,
    product_of_item: ProductOfItem,
) -> Change:
    require_status(order, [OrderStatus.DELIVERED], "exchanged")
    swap = swap_items(order, item_ids, new_item_ids, product_of_item)
    method = payment_method(user, method_id)
    if not gift_card_covers(method, swap.difference):
        raise Conflict(
            f"gift card {method_id} has {method.balance:.2f}, not enough to pay {swap.difference:.2f}"
        )
    details: dict[str, Any] = {
        **order.details,
        "exchange_items": sorted(item_ids),
        "exchange_new_items": sorted(new_item_ids),
        "exchange_payment_method_id": method_id,
        "exchange_price_difference": swap.difference,
    }
    return Change(
        orders=((order, replace(order, status=str(OrderStatus.EXCHANGE_REQUESTED), details=details)),)
    )


def _options(options: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in options.items())
