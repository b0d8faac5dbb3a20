"""Migration 0013 creates exactly the table that keeps personal data beside the append-only
decision log, on SQLite and PostgreSQL, and goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from relaydesk.storage import privacy_tables  # noqa: F401  (registers the table on Base.metadata)
from relaydesk.storage.database import alembic_config
from relaydesk.storage.store import SqlStore
from relaydesk.storage.tables import Base


def _diff(store: SqlStore) -> list[str]:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return [repr(d) for d in diff if "decision_personal_data" in repr(d)]


def test_migration_0013_creates_the_table_and_goes_down_and_up(store: SqlStore) -> None:
    assert _diff(store) == []
    engine = store.engine
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    assert _diff(store)  # gone
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert _diff(store) == []
