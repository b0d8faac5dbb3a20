"""Migration 0010 (roles, page context, CSAT, notes, canned replies, feedback) creates exactly what
the tables declare, on SQLite and PostgreSQL, and goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from relaydesk.storage import desk_tables  # noqa: F401  (registers the tables on Base.metadata)
from relaydesk.storage.database import alembic_config
from relaydesk.storage.store import SqlStore
from relaydesk.storage.tables import Base

DESK = ("csat_ratings", "agent_notes", "canned_replies", "agent_feedback", "role", "page_context")


def _desk_diff(store: SqlStore) -> list[str]:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return [repr(d) for d in diff if any(name in repr(d) for name in DESK)]


def test_migration_0010_creates_exactly_the_desk_tables_and_goes_down_and_up(store: SqlStore) -> None:
    assert _desk_diff(store) == []
    engine = store.engine
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
    assert _desk_diff(store)  # gone
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert _desk_diff(store) == []
