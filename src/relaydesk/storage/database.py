"""Engines, sessions and migrations. Nothing connects at import time."""

from __future__ import annotations

import logging
import threading
from collections import deque
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
SQLITE_TIMEOUT_S = 30
"""How long a SQLite writer waits for the database lock before it gives up."""


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite gets WAL, foreign keys and a busy timeout; Postgres a pool."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": SQLITE_TIMEOUT_S}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_TIMEOUT_S * 1000}")
            cur.close()

        writers = _WriterQueue()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get(READ_ONLY):
                # A reader needs no lock under WAL: a deferred BEGIN lets writers go on meanwhile.
                conn.exec_driver_sql("BEGIN")
                return
            # Writers of this process queue on a lock, woken the moment the one before commits;
            # SQLite's own busy handler (for other processes) polls with sleeps of up to 100 ms,
            # which under concurrent turns made the tail of the message path seconds long.
            writers.acquire()
            conn.info[_HOLDS_WRITE_LOCK] = True
            try:
                # Take the write lock at BEGIN so concurrent writers queue instead of failing late.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                _release_writer(conn, writers)
                raise

        _release_after_end(engine, writers)
        _disable_pysqlite_autobegin(engine)
        return engine
    return create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


_HOLDS_WRITE_LOCK = "relaydesk_holds_write_lock"


def _release_after_end(engine: Engine, writers: _WriterQueue) -> None:
    """Free the writers' lock once COMMIT or ROLLBACK has run (not before it, as the engine's
    events would: the next writer would find the database still locked and sleep)."""
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            _release_writer(dbapi_connection, writers)

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            _release_writer(dbapi_connection, writers)

    dialect.do_commit = do_commit  # type: ignore[method-assign]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign]


def _release_writer(conn: Any, writers: _WriterQueue) -> None:
    """End of a write transaction on SQLite: the next writer of this process may begin."""
    try:
        info = conn.info
    except (AttributeError, NotImplementedError):  # a bare connection (the engine's first connect)
        return
    if info.pop(_HOLDS_WRITE_LOCK, False):
        writers.release()


class _WriterQueue:
    """The SQLite writers of one process, one at a time, first come first served (the lock is
    handed to the longest waiter, so a thread that writes in a loop cannot starve the others).
    Re-entrant for a thread (a second connection of the same thread then waits on SQLite's lock, as
    it did before); released by whichever thread ends the transaction; after ``SQLITE_TIMEOUT_S``
    a writer goes ahead and leaves the wait to SQLite, so nothing waits here longer than SQLite
    itself would."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._waiting: deque[tuple[int, threading.Event]] = deque()

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._lock:
            if self._depth == 0 or self._owner == me:
                self._owner = me
                self._depth += 1
                return
            turn = threading.Event()
            self._waiting.append((me, turn))
        if turn.wait(SQLITE_TIMEOUT_S):
            return  # handed over by ``release``
        with self._lock:
            if (me, turn) not in self._waiting:
                return  # handed over just as the wait ended
            self._waiting.remove((me, turn))
            self._depth += 1
        log.warning("a SQLite writer waited %s s for this process's writers", SQLITE_TIMEOUT_S)

    def release(self) -> None:
        with self._lock:
            self._depth = max(0, self._depth - 1)
            if self._depth:
                return
            if self._waiting:
                self._owner, turn = self._waiting.popleft()
                self._depth = 1
                turn.set()
            else:
                self._owner = None


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
