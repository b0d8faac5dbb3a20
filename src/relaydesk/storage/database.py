"""Engines, sessions and migrations. Nothing connects at import time."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


READ_ONLY = "relaydesk_read_only"
"""Execution option of connections that only read (``read_only_sessions``)."""


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite gets WAL, foreign keys and a busy timeout; Postgres a pool."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get(READ_ONLY):
                # A reader needs no lock under WAL: a deferred BEGIN lets writers go on meanwhile.
                conn.exec_driver_sql("BEGIN")
            else:
                # Take the write lock at BEGIN so concurrent writers queue instead of failing late.
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        _disable_pysqlite_autobegin(engine)
        return engine
    return create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _disable_pysqlite_autobegin(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None


class UnitOfWork:
    """One open transaction that every store on the same database joins (see ``Sessions``).

    A use case opens it with ``Sessions.transaction()``; while it is open, every read and write of
    every store built on the same engine, in this thread, goes through its one session, and
    nothing is committed until the use case's block ends. ``after_commit`` callbacks run once it
    has committed (publishing events, work that must not hold the transaction open); none run
    when it rolls back."""

    def __init__(self, session: Session, pool: object, *, read_only: bool = False) -> None:
        self.session = session
        self.pool = pool
        self.read_only = read_only
        """A read snapshot (``Sessions.reading``): reads join it, writes never do."""
        self._after_commit: list[Callable[[], None]] = []
        self._before_commit: list[Callable[[], None]] = []
        self.state: dict[str, Any] = {}
        """Per-transaction scratch space for the layers above (the outbox's pending events)."""

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Run as the last step inside the transaction (writing the outbox in one statement)."""
        self._before_commit.append(callback)

    def run_before_commit(self) -> None:
        while self._before_commit:
            self._before_commit.pop(0)()
        self.session.flush()

    @contextmanager
    def join(self) -> Iterator[Session]:
        """The shared session for one store call. Cached rows are expired first, so a read sees
        what earlier statements of this transaction wrote (including bulk UPDATEs); pending
        writes are flushed at the end, so an error surfaces in the call that caused it."""
        self.session.expire_all()
        yield self.session
        self.session.flush()

    def run_after_commit(self) -> None:
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # committed work is done; a follow-up failure is logged, not raised
                log.exception("an after-commit step failed")


_CURRENT: ContextVar[UnitOfWork | None] = ContextVar("relaydesk_unit_of_work", default=None)


def current_unit_of_work() -> UnitOfWork | None:
    """The transaction open in this thread (or task), if any."""
    return _CURRENT.get()


class Sessions:
    """Opens sessions on one engine, joining the open ``UnitOfWork`` of the same database.

    ``begin()`` is a write transaction of its own, or the open unit of work's session;
    ``Sessions()`` (calling it) a session for reads, or the same shared session. So a store method
    written as one short transaction becomes one step of a larger one when a use case asks."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._read_factory = sessionmaker(
            engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self._writes = sessionmaker(engine, expire_on_commit=False)
        self._factory = self._read_factory if read_only else self._writes
        self._pool = engine.pool

    def _joined(self) -> UnitOfWork | None:
        uow = _CURRENT.get()
        return uow if uow is not None and uow.pool is self._pool else None

    def _writing(self) -> UnitOfWork | None:
        uow = self._joined()
        return uow if uow is not None and not uow.read_only else None

    def begin(self) -> Any:
        uow = self._writing()
        return uow.join() if uow is not None else self._writes.begin()

    def __call__(self) -> Any:
        uow = self._joined()
        return uow.join() if uow is not None else self._factory()

    @property
    def in_transaction(self) -> bool:
        return self._writing() is not None

    def current(self) -> UnitOfWork | None:
        """The open (write) unit of work on this database, if any."""
        return self._writing()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read snapshot for several reads (one transaction instead of one per read; deferred
        on SQLite, so writers are not held up). Inside a transaction, that transaction."""
        if self._joined() is not None:
            yield
            return
        with self._read_factory() as session, session.begin():
            token = _CURRENT.set(UnitOfWork(session, self._pool, read_only=True))
            try:
                yield
            finally:
                _CURRENT.reset(token)

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One transaction for a whole use case; re-entrant (an inner call joins the outer one)."""
        uow = self._writing()
        if uow is not None:
            yield uow
            return
        with self._writes.begin() as session:
            uow = UnitOfWork(session, self._pool)
            token = _CURRENT.set(uow)
            try:
                yield uow
                uow.run_before_commit()
            finally:
                _CURRENT.reset(token)
        uow.run_after_commit()


def make_session_factory(engine: Engine) -> Sessions:
    return Sessions(engine)


def read_only_sessions(engine: Engine) -> Sessions:
    """Sessions for reads only. On SQLite they begin deferred, so a long read (the routing timer
    reading a long queue) does not hold the write lock; writing in one is a bug. Inside an open
    unit of work they are its session."""
    return Sessions(engine, read_only=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest). Safe to run on every start."""
    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
