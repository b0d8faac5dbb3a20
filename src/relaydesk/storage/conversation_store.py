"""Conversations: creation, reads, locks and compare-and-set status changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy import inspect as sa_inspect

from relaydesk.domain.errors import NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    Channel,
    Conversation,
    ConversationStatus,
    MessageRole,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore, core, digest, row_columns, table_of
from relaydesk.storage.routing_queries import wrong_status
from relaydesk.storage.tables import ConversationRow, MessageRow

_TABLE = table_of(ConversationRow)
_COLUMNS = row_columns(ConversationRow)
_BY_ID = select(*_COLUMNS).where(_TABLE.c.id == bindparam("id"))
_LOCK_BY_ID = _BY_ID.with_for_update()
_UPDATE = update(_TABLE).where(_TABLE.c.id == bindparam("key_id")).returning(*_COLUMNS)
_COLUMN_OF = {a.key: a.columns[0].name for a in sa_inspect(ConversationRow).column_attrs}
_ATTRIBUTES = frozenset(_COLUMN_OF)


class SqlConversationStore(RecordStore):
    """Conversations and their status."""

    # -- conversations ----------------------------------------------------------------------------
    def create_conversation(
        self,
        workspace_id: str,
        customer_id: str,
        *,
        token: str,
        channel: Channel,
        subject: str | None = None,
        language: str | None = None,
    ) -> Conversation:
        now = utcnow()
        row = ConversationRow(
            id=new_id("conv"),
            workspace_id=workspace_id,
            customer_id=customer_id,
            customer_token_hash=digest(token),
            channel=str(channel),
            status=str(ConversationStatus.WITH_AI),
            subject=subject,
            language=language,
            priority=0,
            required_skills=[],
            ai_turns=0,
            created_at=now,
            updated_at=now,
        )
        with self._sessions.begin() as s:
            s.add(row)
        return convert.conversation(row)

    def get_conversation(self, conversation_id: str) -> Conversation:
        with self.session() as s:
            row = core(s).execute(_BY_ID, {"id": conversation_id}).first()
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            return convert.conversation(row)

    def conversation_token_matches(self, conversation_id: str, token: str) -> bool:
        with self.session() as s:
            stored = s.scalar(
                select(ConversationRow.customer_token_hash).where(ConversationRow.id == conversation_id)
            )
            return stored is not None and stored == digest(token)

    def list_conversations(
        self,
        workspace_id: str,
        *,
        statuses: Iterable[ConversationStatus] | None = None,
        agent_id: str | None = None,
        limit: int = 100,
    ) -> list[Conversation]:
        query = select(ConversationRow).where(ConversationRow.workspace_id == workspace_id)
        if statuses is not None:
            query = query.where(ConversationRow.status.in_([str(x) for x in statuses]))
        if agent_id is not None:
            query = query.where(ConversationRow.assigned_agent_id == agent_id)
        query = query.order_by(ConversationRow.updated_at.desc()).limit(limit)
        with self.session() as s:
            return [convert.conversation(r) for r in s.scalars(query)]

    def quiet_conversations(self, before: datetime, *, limit: int = 200) -> list[str]:
        """Ids of conversations the AI holds, untouched since ``before``, where the customer wrote
        and every customer message has been answered (the outcome timer closes them)."""
        c = ConversationRow
        customer = str(MessageRole.CUSTOMER)
        wrote = exists().where(MessageRow.conversation_id == c.id, MessageRow.role == customer)
        unanswered = exists().where(
            MessageRow.conversation_id == c.id, MessageRow.role == customer, MessageRow.handled_at.is_(None)
        )
        query = (
            select(c.id)
            .where(c.status == str(ConversationStatus.WITH_AI), c.updated_at < before, wrote, ~unanswered)
            .order_by(c.updated_at)
            .limit(limit)
        )
        with self.session() as s:
            return list(s.scalars(query))

    def customer_conversations(self, customer_id: str, limit: int = 10) -> list[Conversation]:
        """The customer's conversations, newest first."""
        query = (
            select(ConversationRow)
            .where(ConversationRow.customer_id == customer_id)
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id)
            .limit(limit)
        )
        with self.session() as s:
            return [convert.conversation(r) for r in s.scalars(query)]

    def transition(
        self,
        conversation_id: str,
        *,
        expected: Iterable[ConversationStatus],
        to: ConversationStatus,
        expected_agent_id: str | None = None,
        **changes: Any,
    ) -> Conversation:
        """Compare-and-set the status: succeeds only from an ``expected`` status, atomically.

        Two callers racing for the same transition cannot both win: the UPDATE's WHERE clause
        re-checks the status inside the database, so exactly one sees a changed row.
        """
        expected_values = [str(x) for x in expected]
        now = utcnow()
        values: dict[str, Any] = {"status": str(to), "updated_at": now, **changes}
        where = [ConversationRow.id == conversation_id, ConversationRow.status.in_(expected_values)]
        if expected_agent_id is not None:
            where.append(ConversationRow.assigned_agent_id == expected_agent_id)
        with self._sessions.begin() as s:
            result = s.execute(update(ConversationRow).where(*where).values(**values))
            if result.rowcount != 1:  # type: ignore[attr-defined]
                row = s.get(ConversationRow, conversation_id)
                if row is None:
                    raise NotFound(f'No conversation with id "{conversation_id}"')
                raise wrong_status(conversation_id, row, expected_values)
            row = s.get(ConversationRow, conversation_id)
            assert row is not None
            s.refresh(row)
            return convert.conversation(row)

    def update_conversation(self, conversation_id: str, **changes: Any) -> Conversation:
        unknown = sorted(set(changes) - _ATTRIBUTES)
        if unknown:
            raise AttributeError(f"A conversation has no {', '.join(unknown)}")
        values = {_COLUMN_OF[key]: value for key, value in changes.items()}
        values["updated_at"] = utcnow()
        with self._sessions.begin() as s:
            row = core(s).execute(_UPDATE.values(**values), {"key_id": conversation_id}).first()
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            return convert.conversation(row)

    def increment_ai_turns(self, conversation_id: str) -> None:
        with self._sessions.begin() as s:
            s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(ai_turns=ConversationRow.ai_turns + 1, updated_at=utcnow())
            )

    def lock_conversation(self, conversation_id: str) -> Conversation:
        """Read the conversation and hold it until the transaction ends (a row lock on PostgreSQL;
        SQLite's write transaction already excludes every other writer)."""
        with self._sessions.begin() as s:
            row = core(s).execute(_LOCK_BY_ID, {"id": conversation_id}).first()
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            return convert.conversation(row)
