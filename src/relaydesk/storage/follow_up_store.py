"""Follow-ups (table ``follow_ups``) on SQLite or PostgreSQL. The table is the timer: a due row is
claimed with a compare-and-set on ``status`` in the transaction that stores its message, so it is
sent once, whichever worker's sweep finds it and however often the process restarts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update

from relaydesk.domain.follow_ups import FollowUp, FollowUpAuthor, FollowUpStatus
from relaydesk.storage.convert import aware
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.outcome_tables import FollowUpRow
from relaydesk.storage.record_store import RecordStore


def _utc(value: datetime) -> datetime:
    """Stored and compared in UTC (SQLite keeps the wall time it is given, without its zone)."""
    return value.astimezone(UTC)


def _follow_up(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        id=row.id,
        workspace_id=row.workspace_id,
        conversation_id=row.conversation_id,
        due_at=aware(row.due_at) or row.due_at,
        text=row.text,
        created_by=FollowUpAuthor(row.created_by),
        author_id=row.author_id,
        status=FollowUpStatus(row.status),
        created_at=aware(row.created_at) or row.created_at,
        sent_at=aware(row.sent_at),
        message_id=row.message_id,
    )


class SqlFollowUpStore(RecordStore):
    """Implements :class:`relaydesk.domain.follow_ups.FollowUpRecords`."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(make_session_factory(engine), read_only_sessions(engine))
        self._postgres = engine.dialect.name == "postgresql"

    def add_follow_up(self, follow_up: FollowUp) -> None:
        with self._sessions.begin() as s:
            s.add(
                FollowUpRow(
                    id=follow_up.id,
                    workspace_id=follow_up.workspace_id,
                    conversation_id=follow_up.conversation_id,
                    due_at=_utc(follow_up.due_at),
                    text=follow_up.text,
                    created_by=str(follow_up.created_by),
                    author_id=follow_up.author_id,
                    status=str(follow_up.status),
                    sent_at=None,
                    message_id=None,
                    created_at=_utc(follow_up.created_at),
                )
            )

    def follow_up(self, follow_up_id: str) -> FollowUp | None:
        with self.session() as s:
            row = s.get(FollowUpRow, follow_up_id)
            return _follow_up(row) if row is not None else None

    def follow_ups_of(self, conversation_id: str) -> list[FollowUp]:
        query = (
            select(FollowUpRow)
            .where(FollowUpRow.conversation_id == conversation_id)
            .order_by(FollowUpRow.due_at, FollowUpRow.id)
        )
        with self.session() as s:
            return [_follow_up(r) for r in s.scalars(query)]

    def scheduled_count(self, conversation_id: str) -> int:
        query = select(func.count()).where(
            FollowUpRow.conversation_id == conversation_id,
            FollowUpRow.status == str(FollowUpStatus.SCHEDULED),
        )
        with self.session() as s:
            return int(s.scalar(query) or 0)

    def due_ids(self, now: datetime, limit: int) -> list[str]:
        query = (
            select(FollowUpRow.id)
            .where(FollowUpRow.status == str(FollowUpStatus.SCHEDULED), FollowUpRow.due_at <= _utc(now))
            .order_by(FollowUpRow.due_at, FollowUpRow.id)
            .limit(limit)
        )
        with self.session() as s:
            return list(s.scalars(query))

    def lock_scheduled(self, follow_up_id: str) -> FollowUp | None:
        # PostgreSQL: a row another worker is sending is skipped, not waited for. SQLite: the
        # write transaction (BEGIN IMMEDIATE) already keeps every other writer out.
        query = (
            select(FollowUpRow)
            .where(FollowUpRow.id == follow_up_id, FollowUpRow.status == str(FollowUpStatus.SCHEDULED))
            .with_for_update(skip_locked=self._postgres)
            .execution_options(populate_existing=True)
        )
        with self._sessions.begin() as s:
            row = s.scalar(query)
            return _follow_up(row) if row is not None else None

    def settle(self, follow_up_id: str, status: FollowUpStatus, at: datetime) -> bool:
        with self._sessions.begin() as s:
            done = s.execute(
                update(FollowUpRow)
                .where(FollowUpRow.id == follow_up_id, FollowUpRow.status == str(FollowUpStatus.SCHEDULED))
                .values(status=str(status), sent_at=_utc(at) if status == FollowUpStatus.SENT else None)
            )
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def set_message(self, follow_up_id: str, message_id: str) -> None:
        with self._sessions.begin() as s:
            s.execute(update(FollowUpRow).where(FollowUpRow.id == follow_up_id).values(message_id=message_id))
