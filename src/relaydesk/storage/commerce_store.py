"""The demo store's records in SQL (SQLite or PostgreSQL): implements ``CommerceRepository``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from relaydesk.commerce.records import (
    Order,
    Product,
    User,
    order_from_json,
    product_from_json,
    user_from_json,
)
from relaydesk.domain.errors import Conflict, InvalidInput
from relaydesk.storage.commerce_tables import (
    CommerceItemRow,
    CommerceOrderRow,
    CommerceProductRow,
    CommerceUserRow,
)
from relaydesk.storage.database import make_session_factory

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "tau_retail"


def _user(row: CommerceUserRow) -> User:
    data = {
        "name": {"first_name": row.first_name, "last_name": row.last_name},
        "address": row.address,
        "email": row.email,
        "payment_methods": {m["id"]: m for m in row.payment_methods},
        "orders": row.order_ids,
    }
    user = user_from_json(row.id, data)
    return User(
        user.id,
        user.first_name,
        user.last_name,
        user.email,
        user.address,
        user.payment_methods,
        user.order_ids,
        row.revision,
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "zip": user.address.zip,
        "address": user.address.to_json(),
        "payment_methods": [m.to_json() for m in user.payment_methods],
        "order_ids": list(user.order_ids),
    }


def _order(row: CommerceOrderRow) -> Order:
    data = {
        "order_id": row.id,
        "user_id": row.user_id,
        "address": row.address,
        "items": row.items,
        "fulfillments": row.fulfillments,
        "status": row.status,
        "payment_history": row.payments,
        **row.details,
    }
    order = order_from_json(data)
    return Order(
        order.id,
        order.user_id,
        order.status,
        order.address,
        order.items,
        order.fulfillments,
        order.payments,
        order.details,
        row.revision,
    )


def _order_values(order: Order) -> dict[str, Any]:
    data = order.to_json()
    return {
        "user_id": order.user_id,
        "status": order.status,
        "address": data["address"],
        "items": data["items"],
        "fulfillments": data["fulfillments"],
        "payments": data["payment_history"],
        "details": dict(order.details),
    }


class SqlCommerceStore:
    """Reads and writes the demo store's customers, orders and products."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = make_session_factory(engine)

    # -- reads --------------------------------------------------------------------------------------
    def user(self, user_id: str) -> User | None:
        with self._sessions() as s:
            row = s.get(CommerceUserRow, user_id)
            return _user(row) if row else None

    def user_by_email(self, email: str) -> User | None:
        with self._sessions() as s:
            row = s.scalar(
                select(CommerceUserRow).where(func.lower(CommerceUserRow.email) == email.strip().lower())
            )
            return _user(row) if row else None

    def user_by_name_zip(self, first_name: str, last_name: str, zip_code: str) -> User | None:
        with self._sessions() as s:
            row = s.scalar(
                select(CommerceUserRow)
                .where(
                    func.lower(CommerceUserRow.first_name) == first_name.strip().lower(),
                    func.lower(CommerceUserRow.last_name) == last_name.strip().lower(),
                    CommerceUserRow.zip == zip_code.strip(),
                )
                .order_by(CommerceUserRow.id)
            )
            return _user(row) if row else None

    def order(self, order_id: str) -> Order | None:
        with self._sessions() as s:
            row = s.get(CommerceOrderRow, order_id)
            return _order(row) if row else None

    def orders_of(self, user_id: str) -> list[Order]:
        with self._sessions() as s:
            rows = s.scalars(
                select(CommerceOrderRow)
                .where(CommerceOrderRow.user_id == user_id)
                .order_by(CommerceOrderRow.id)
            )
            return [_order(r) for r in rows]

    def product(self, product_id: str) -> Product | None:
        with self._sessions() as s:
            row = s.get(CommerceProductRow, product_id)
            return self._product(row) if row else None

    def product_of_item(self, item_id: str) -> Product | None:
        with self._sessions() as s:
            row = s.scalar(
                select(CommerceProductRow)
                .join(CommerceItemRow, CommerceItemRow.product_id == CommerceProductRow.id)
                .where(CommerceItemRow.item_id == item_id)
            )
            return self._product(row) if row else None

    def products(self) -> list[Product]:
        with self._sessions() as s:
            return [
                self._product(r)
                for r in s.scalars(select(CommerceProductRow).order_by(CommerceProductRow.id))
            ]

    @staticmethod
    def _product(row: CommerceProductRow) -> Product:
        return product_from_json({"product_id": row.id, "name": row.name, "variants": row.variants})

    def counts(self) -> dict[str, int]:
        with self._sessions() as s:
            return {
                "users": s.scalar(select(func.count()).select_from(CommerceUserRow)) or 0,
                "orders": s.scalar(select(func.count()).select_from(CommerceOrderRow)) or 0,
                "products": s.scalar(select(func.count()).select_from(CommerceProductRow)) or 0,
            }

    # -- writes -------------------------------------------------------------------------------------
    def save(
        self, *, users: Sequence[tuple[User, User]] = (), orders: Sequence[tuple[Order, Order]] = ()
    ) -> None:
        with self._sessions.begin() as s:
            for before, after in users:
                self._compare_and_set(s, CommerceUserRow, before.id, before.revision, _user_values(after))
            for before_order, after_order in orders:
                self._compare_and_set(
                    s, CommerceOrderRow, before_order.id, before_order.revision, _order_values(after_order)
                )

    @staticmethod
    def _compare_and_set(
        s: Session, table: Any, record_id: str, revision: int, values: dict[str, Any]
    ) -> None:
        result = s.execute(
            update(table)
            .where(table.id == record_id, table.revision == revision)
            .values(**values, revision=revision + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"{record_id} changed while this action was prepared; look it up again and retry")

    def load_demo_if_empty(self) -> dict[str, int]:
        """Load the shipped demo store unless the tables already hold customers (safe on every start)."""
        counts = self.counts()
        return counts if counts["users"] else self.load_json(DEMO_DATA)

    def load_json(self, directory: str | Path = DEMO_DATA) -> dict[str, int]:
        """Load users.json, orders.json and products.json (tau-retail shape) into empty tables."""
        directory = Path(directory)
        if self.counts()["users"]:
            raise Conflict("the store already has customers; load demo data only into an empty database")
        data = {}
        for name in ("users", "orders", "products"):
            path = directory / f"{name}.json"
            try:
                data[name] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InvalidInput(f"cannot read {path}: {exc}") from exc
        products = [product_from_json(p) for p in data["products"].values()]
        users = [user_from_json(uid, u) for uid, u in data["users"].items()]
        orders = [order_from_json(o) for o in data["orders"].values()]
        with self._sessions.begin() as s:
            s.execute(
                insert(CommerceProductRow),
                [
                    {"id": p.id, "name": p.name, "variants": {k: v.to_json() for k, v in p.variants.items()}}
                    for p in products
                ],
            )
            s.execute(
                insert(CommerceItemRow),
                [{"item_id": item_id, "product_id": p.id} for p in products for item_id in p.variants],
            )
            s.execute(
                insert(CommerceUserRow), [{"id": u.id, **_user_values(u), "revision": 0} for u in users]
            )
            s.execute(
                insert(CommerceOrderRow), [{"id": o.id, **_order_values(o), "revision": 0} for o in orders]
            )
        return {"users": len(users), "orders": len(orders), "products": len(products)}
