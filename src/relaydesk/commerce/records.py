"""The demo store's records: customers (users), orders and products, as frozen domain objects.

The JSON shape of each record (``to_json``/``*_from_json``) is the one the tau-bench retail data
uses, so the shipped demo data loads as is and tool results read the way that data reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OrderStatus(StrEnum):
    PENDING = "pending"
    """Placed, not yet processed: it can be cancelled or modified."""
    ITEMS_MODIFIED = "pending (item modified)"
    """Still pending, but its items were changed once; nothing more can be changed."""
    PROCESSED = "processed"
    """Being packed or shipped: no action is possible."""
    DELIVERED = "delivered"
    """Received by the customer: items can be returned or exchanged (once)."""
    CANCELLED = "cancelled"
    """Cancelled and refunded."""
    RETURN_REQUESTED = "return requested"
    """The customer asked to return items; instructions were e-mailed."""
    EXCHANGE_REQUESTED = "exchange requested"
    """The customer asked to exchange items; instructions were e-mailed."""


class PaymentSource(StrEnum):
    CREDIT_CARD = "credit_card"
    """A card on file; refunds take 5 to 7 business days."""
    PAYPAL = "paypal"
    """A PayPal account; refunds take 5 to 7 business days."""
    GIFT_CARD = "gift_card"
    """A store gift card with a balance; refunds land at once."""


class TransactionKind(StrEnum):
    PAYMENT = "payment"
    """Money taken from the customer."""
    REFUND = "refund"
    """Money given back to the customer."""


CANCEL_REASONS = ("no longer needed", "ordered by mistake")


def cents(amount: float) -> float:
    """Round a money amount to whole cents."""
    return round(float(amount), 2) + 0.0


@dataclass(frozen=True, slots=True)
class Address:
    address1: str
    address2: str
    city: str
    state: str
    country: str
    zip: str

    def to_json(self) -> dict[str, str]:
        return {
            "address1": self.address1,
            "address2": self.address2,
            "city": self.city,
            "country": self.country,
            "state": self.state,
            "zip": self.zip,
        }


def address_from_json(data: dict[str, Any]) -> Address:
    return Address(
        address1=str(data["address1"]),
        address2=str(data.get("address2", "")),
        city=str(data["city"]),
        state=str(data["state"]),
        country=str(data["country"]),
        zip=str(data["zip"]),
    )


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    id: str
    source: PaymentSource
    brand: str | None = None
    last_four: str | None = None
    balance: float | None = None
    """Only gift cards have a balance."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": str(self.source)}
        if self.brand is not None:
            data["brand"] = self.brand
        if self.last_four is not None:
            data["last_four"] = self.last_four
        if self.balance is not None:
            data["balance"] = self.balance
        data["id"] = self.id
        return data


@dataclass(frozen=True, slots=True)
class User:
    """A customer of the demo store (called a user in its data)."""

    id: str
    first_name: str
    last_name: str
    email: str
    address: Address
    payment_methods: tuple[PaymentMethod, ...]
    order_ids: tuple[str, ...]
    revision: int = 0
    """Bumped on every write; a write based on an older revision is refused."""

    def payment_method(self, method_id: str) -> PaymentMethod | None:
        return next((m for m in self.payment_methods if m.id == method_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": {"first_name": self.first_name, "last_name": self.last_name},
            "address": self.address.to_json(),
            "email": self.email,
            "payment_methods": {m.id: m.to_json() for m in self.payment_methods},
            "orders": list(self.order_ids),
        }


def user_from_json(user_id: str, data: dict[str, Any]) -> User:
    methods = tuple(
        PaymentMethod(
            id=str(m["id"]),
            source=PaymentSource(m["source"]),
            brand=m.get("brand"),
            last_four=m.get("last_four"),
            balance=m.get("balance"),
        )
        for m in data["payment_methods"].values()
    )
    return User(
        id=user_id,
        first_name=str(data["name"]["first_name"]),
        last_name=str(data["name"]["last_name"]),
        email=str(data["email"]),
        address=address_from_json(data["address"]),
        payment_methods=methods,
        order_ids=tuple(data.get("orders", ())),
    )


@dataclass(frozen=True, slots=True)
class OrderItem:
    item_id: str
    product_id: str
    name: str
    price: float
    options: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "product_id": self.product_id,
            "item_id": self.item_id,
            "price": self.price,
            "options": dict(self.options),
        }


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: TransactionKind
    amount: float
    payment_method_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "transaction_type": str(self.kind),
            "amount": self.amount,
            "payment_method_id": self.payment_method_id,
        }


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    user_id: str
    status: str
    """An :class:`OrderStatus` value (kept as text so unknown states in data still load)."""
    address: Address
    items: tuple[OrderItem, ...]
    fulfillments: tuple[dict[str, Any], ...]
    payments: tuple[Transaction, ...]
    details: dict[str, Any] = field(default_factory=dict)
    """What the last action recorded: cancel reason, returned or exchanged items, and so on."""
    revision: int = 0
    """Bumped on every write; a write based on an older revision is refused."""

    @property
    def paid_methods(self) -> tuple[str, ...]:
        return tuple(t.payment_method_id for t in self.payments if t.kind == TransactionKind.PAYMENT)

    @property
    def total_paid(self) -> float:
        """Payments minus refunds: what the customer has paid for this order so far."""
        paid = sum(t.amount for t in self.payments if t.kind == TransactionKind.PAYMENT)
        refunded = sum(t.amount for t in self.payments if t.kind == TransactionKind.REFUND)
        return cents(paid - refunded)

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.id,
            "user_id": self.user_id,
            "address": self.address.to_json(),
            "items": [i.to_json() for i in self.items],
            "fulfillments": [dict(f) for f in self.fulfillments],
            "status": self.status,
            "payment_history": [t.to_json() for t in self.payments],
            **self.details,
        }


ORDER_CORE_KEYS = frozenset(
    {"order_id", "user_id", "address", "items", "fulfillments", "status", "payment_history"}
)


def order_from_json(data: dict[str, Any]) -> Order:
    return Order(
        id=str(data["order_id"]),
        user_id=str(data["user_id"]),
        status=str(data["status"]),
        address=address_from_json(data["address"]),
        items=tuple(
            OrderItem(
                item_id=str(i["item_id"]),
                product_id=str(i["product_id"]),
                name=str(i["name"]),
                price=float(i["price"]),
                options=dict(i.get("options", {})),
            )
            for i in data["items"]
        ),
        fulfillments=tuple(dict(f) for f in data.get("fulfillments", ())),
        payments=tuple(
            Transaction(
                TransactionKind(t["transaction_type"]), float(t["amount"]), str(t["payment_method_id"])
            )
            for t in data["payment_history"]
        ),
        details={k: v for k, v in data.items() if k not in ORDER_CORE_KEYS},
    )


@dataclass(frozen=True, slots=True)
class Variant:
    item_id: str
    options: dict[str, str]
    available: bool
    price: float

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "options": dict(self.options),
            "available": self.available,
            "price": self.price,
        }


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    variants: dict[str, Variant]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "product_id": self.id,
            "variants": {k: v.to_json() for k, v in self.variants.items()},
        }


def product_from_json(data: dict[str, Any]) -> Product:
    return Product(
        id=str(data["product_id"]),
        name=str(data["name"]),
        variants={
            str(k): Variant(str(v["item_id"]), dict(v["options"]), bool(v["available"]), float(v["price"]))
            for k, v in data["variants"].items()
        },
    )
