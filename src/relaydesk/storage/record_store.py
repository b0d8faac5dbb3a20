"""What every record-type store shares: the write and read sessions of one database."""

from __future__ import annotations

import hashlib

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
