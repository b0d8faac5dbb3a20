"""Alembic environment: relaydesk runs migrations programmatically (``relaydesk db upgrade``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

# Every module that defines tables, so autogenerate sees the whole schema.
from relaydesk.storage import (  # noqa: F401
    commerce_tables,
    desk_tables,
    knowledge_tables,
    outcome_tables,
    privacy_tables,
)
from relaydesk.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
