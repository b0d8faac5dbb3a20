"""The demo store in SQL: the shipped data loads, look-ups work, stale writes are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from relaydesk.domain.errors import Conflict
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.commerce_tables import Base
from relaydesk.storage.store import SqlStore
from tests.commerce.conftest import YUSUF, YUSUF_EMAIL

MY_TABLES = {"commerce_users", "commerce_orders", "commerce_products", "commerce_items", "approvals"}


def test_the_shipped_demo_data_loads_every_record(repo: SqlCommerceStore) -> None:
    assert repo.counts() == {"users": 500, "orders": 1000, "products": 50}


def test_loading_twice_is_refused_but_loading_if_empty_is_safe(repo: SqlCommerceStore) -> None:
    with pytest.raises(Conflict, match="already has customers"):
        repo.load_json()
    assert repo.load_demo_if_empty() == {"users": 500, "orders": 1000, "products": 50}


def test_customers_are_found_by_email_or_by_name_and_zip(repo: SqlCommerceStore) -> None:
    assert repo.user_by_email(YUSUF_EMAIL.upper()).id == YUSUF  # type: ignore[union-attr]
    assert repo.user_by_name_zip("yusuf", "Rossi", "19122").id == YUSUF  # type: ignore[union-attr]
    assert repo.user_by_name_zip("Yusuf", "Rossi", "00000") is None
    assert repo.user_by_email("nobody@example.test") is None


def test_a_record_round_trips_in_the_shape_of_the_source_data(repo: SqlCommerceStore) -> None:
    import json

    from relaydesk.storage.commerce_store import DEMO_DATA

    source = json.loads((DEMO_DATA / "orders.json").read_text())["#W2378156"]
    assert repo.order("#W2378156").to_json() == source  # type: ignore[union-attr]
    assert repo.product_of_item("1151293680").name == "Mechanical Keyboard"  # type: ignore[union-attr]


def test_a_write_based_on_a_stale_read_is_refused_and_changes_nothing(repo: SqlCommerceStore) -> None:
    order = repo.order("#W6247578")
    assert order is not None
    repo.save(orders=[(order, replace(order, status="cancelled"))])
    with pytest.raises(Conflict, match="#W6247578 changed"):
        repo.save(orders=[(order, replace(order, status="delivered"))])
    assert repo.order("#W6247578").status == "cancelled"  # type: ignore[union-attr]


def test_migration_0003_creates_exactly_the_tables_the_code_uses(demo_store: SqlStore) -> None:
    with demo_store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diffs if any(t in repr(d) for t in MY_TABLES)]
    assert mine == []
