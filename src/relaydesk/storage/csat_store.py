"""CSAT ratings (table ``csat_ratings``, one per conversation) and the widget's page context
(column ``conversations.page_context``) on SQLite or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.desk_records import AlreadyRated, CsatRating
from relaydesk.domain.errors import NotFound
from relaydesk.storage.convert import aware
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.desk_tables import CsatRow
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import ConversationRow
from relaydesk.triage.pii import redact_card_numbers_deep


def _rating(row: CsatRow) -> CsatRating:
    created = aware(row.created_at)
    assert created is not None
    return CsatRating(row.conversation_id, row.workspace_id, row.score, row.comment, created)


class SqlCsatStore(RecordStore):
    """Implements :class:`relaydesk.services.csat.CsatRecords`."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(make_session_factory(engine), read_only_sessions(engine))

    def add_rating(self, rating: CsatRating) -> None:
        row = CsatRow(
            conversation_id=rating.conversation_id,
            workspace_id=rating.workspace_id,
            score=rating.score,
            comment=rating.comment,
            created_at=rating.created_at,
        )
        try:
            with self._sessions.begin() as s:
                s.add(row)
                s.flush()
        except IntegrityError:  # a racing rating won: the primary key keeps it to one
            existing = self.rating(rating.conversation_id)
            raise AlreadyRated(rating.conversation_id, existing.score if existing else 0) from None

    def rating(self, conversation_id: str) -> CsatRating | None:
        with self.session() as s:
            row = s.get(CsatRow, conversation_id)
            return _rating(row) if row is not None else None

    def set_page_context(self, conversation_id: str, context: dict[str, Any]) -> None:
        with self._sessions.begin() as s:
            done = s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(page_context=redact_card_numbers_deep(context))  # no card stored whole
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise NotFound(f'No conversation with id "{conversation_id}"')

    def page_context(self, conversation_id: str) -> dict[str, Any] | None:
        with self.session() as s:
            value = s.scalar(
                select(ConversationRow.page_context).where(ConversationRow.id == conversation_id)
            )
            return dict(value) if value else None
