"""What every record-type store shares: the write and read sessions of one database."""

from __future__ import annotations

import hashlib
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from relaydesk.storage.database import Sessions


def digest(secret: str) -> str:
    """SHA-256 of an API key or token: only digests are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class RecordStore:
    """Writes through ``_sessions.begin()``, reads through ``session()``; both join the open
    transaction of the same database (``storage/database.py``)."""

    def __init__(self, sessions: Sessions, reads: Sessions) -> None:
        self._sessions = sessions
        self._reads = reads

    def session(self) -> Session:
        return self._reads()  # type: ignore[no-any-return]


def row_columns(model: type[Any]) -> tuple[Any, ...]:
    """Every column of ``model``'s table, labelled with its attribute's name: ``select(*row_columns(M))``
    reads rows that ``convert`` takes as it takes ``M`` objects (``row.meta``, ``row.status``), through
    SQLAlchemy Core. The hot path reads this way: no ORM objects built, tracked, expired or flushed."""
    table = table_of(model)
    return tuple(
        table.c[column.name].label(attribute.key)
        for attribute in sa_inspect(model).column_attrs
        for column in attribute.columns
    )


def core(session: Session) -> Any:
    """The session's connection, for Core statements that need none of the ORM (it joins the
    session's transaction; the ORM's cached objects are expired at the next store call anyway)."""
    return session.connection()


def table_of(model: type[Any]) -> Table:
    """``model``'s table, typed as one (``__table__`` is typed as any FROM clause)."""
    return cast(Table, model.__table__)
