"""The database schema: bring it up to date, read its revision, open a migrated database.

For commands that run once and exit (``relaydesk db``, ``serve`` before it starts, the admin
commands); a running server gets its database from the composition root (``runtime.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relaydesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True, slots=True)
class SchemaState:
    revision: str | None
    """The revision the database is at (None: no schema yet)."""
    database: str
    """The database's URL, password hidden."""


def migrate_schema(settings: Settings, revision: str = "head") -> SchemaState:
    """Bring the configured database to ``revision`` (default: the newest). Safe to run any time."""
    from relaydesk.storage.database import current_revision, upgrade

    with open_database(settings, migrate=False) as engine:
        upgrade(engine, revision)
        return SchemaState(current_revision(engine), engine.url.render_as_string())


def schema_revision(settings: Settings) -> str | None:
    """The schema revision of the configured database (None when it has no schema yet)."""
    from relaydesk.storage.database import current_revision

    with open_database(settings, migrate=False) as engine:
        return current_revision(engine)


@contextmanager
def open_database(settings: Settings, *, migrate: bool = True) -> Iterator[Engine]:
    """An engine on the configured database (migrated to the newest schema first, unless
    ``migrate`` is false), closed when the block ends."""
    from relaydesk.storage.database import make_engine, upgrade

    engine = make_engine(settings.database_url)
    try:
        if migrate:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()
