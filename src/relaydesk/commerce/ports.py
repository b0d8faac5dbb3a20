"""The store's records as the commerce tools see them; ``storage/commerce_store.py`` implements it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from relaydesk.commerce.records import Order, Product, User


class CommerceRepository(Protocol):
    def user(self, user_id: str) -> User | None: ...

    def user_by_email(self, email: str) -> User | None: ...

    def user_by_name_zip(self, first_name: str, last_name: str, zip_code: str) -> User | None: ...

    def order(self, order_id: str) -> Order | None: ...

    def product(self, product_id: str) -> Product | None: ...

    def product_of_item(self, item_id: str) -> Product | None:
        """The product that has a variant with this item id."""
        ...

    def products(self) -> list[Product]: ...

    def save(
        self, *, users: Sequence[tuple[User, User]] = (), orders: Sequence[tuple[Order, Order]] = ()
    ) -> None:
        """Write ``(before, after)`` pairs in one transaction.

        Raises ``Conflict`` (and writes nothing) when a record changed since ``before`` was read.
        """
        ...
