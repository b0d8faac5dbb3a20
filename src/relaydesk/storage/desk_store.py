"""The agent console's records: internal notes, canned replies, agents' feedback on the co-pilot,
and what the queue shows of each conversation (the customer's name and first request)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from relaydesk.domain.desk_records import AgentNote, CannedReply, CoPilotFeedback, MessagePage, QueueFacts
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import MessageRole, utcnow
from relaydesk.storage.convert import aware, message
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.desk_tables import AgentNoteRow, CannedReplyRow, FeedbackRow
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import AgentRow, ConversationRow, CustomerRow, MessageRow

_CHUNK = 500
"""Ids per IN (...) query, well under every database's parameter limit."""


class SqlDeskStore(RecordStore):
    """Implements :class:`relaydesk.services.desk.DeskRecords` on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(make_session_factory(engine), read_only_sessions(engine))

    # -- internal notes -----------------------------------------------------------------------------
    def add_note(self, conversation_id: str, agent_id: str, text: str) -> AgentNote:
        row = AgentNoteRow(
            id=new_id("note"),
            conversation_id=conversation_id,
            agent_id=agent_id,
            text=text,
            created_at=utcnow(),
        )
        with self._sessions.begin() as s:
            s.add(row)
            s.flush()
            name = s.scalar(select(AgentRow.name).where(AgentRow.id == agent_id))
            return AgentNote(row.id, conversation_id, agent_id, name or "", text, row.created_at)

    def notes(self, conversation_id: str) -> list[AgentNote]:
        query = (
            select(AgentNoteRow, AgentRow.name)
            .join(AgentRow, AgentRow.id == AgentNoteRow.agent_id)
            .where(AgentNoteRow.conversation_id == conversation_id)
            .order_by(AgentNoteRow.created_at, AgentNoteRow.id)
        )
        with self.session() as s:
            return [
                AgentNote(
                    r.id, r.conversation_id, r.agent_id, name, r.text, aware(r.created_at) or r.created_at
                )
                for r, name in s.execute(query)
            ]

    # -- canned replies -----------------------------------------------------------------------------
    def add_canned_reply(self, workspace_id: str, title: str, text: str) -> CannedReply:
        row = CannedReplyRow(
            id=new_id("can"), workspace_id=workspace_id, title=title, text=text, created_at=utcnow()
        )
        with self._sessions.begin() as s:
            s.add(row)
        return CannedReply(row.id, title, text)

    def canned_replies(self, workspace_id: str) -> list[CannedReply]:
        query = (
            select(CannedReplyRow)
            .where(CannedReplyRow.workspace_id == workspace_id)
            .order_by(CannedReplyRow.title, CannedReplyRow.id)
        )
        with self.session() as s:
            return [CannedReply(r.id, r.title, r.text) for r in s.scalars(query)]

    # -- feedback -----------------------------------------------------------------------------------
    def add_feedback(self, feedback: CoPilotFeedback) -> None:
        with self._sessions.begin() as s:
            s.add(
                FeedbackRow(
                    id=feedback.id,
                    workspace_id=feedback.workspace_id,
                    conversation_id=feedback.conversation_id,
                    agent_id=feedback.agent_id,
                    target=feedback.target,
                    target_ref=feedback.target_ref,
                    rating=feedback.rating,
                    note=feedback.note,
                    model_version=feedback.model_version,
                    policy_version=feedback.policy_version,
                    flow_version=feedback.flow_version,
                    created_at=feedback.created_at,
                )
            )

    def feedback(self, conversation_id: str) -> list[CoPilotFeedback]:
        query = (
            select(FeedbackRow)
            .where(FeedbackRow.conversation_id == conversation_id)
            .order_by(FeedbackRow.created_at, FeedbackRow.id)
        )
        with self.session() as s:
            return [
                CoPilotFeedback(
                    id=r.id,
                    workspace_id=r.workspace_id,
                    conversation_id=r.conversation_id,
                    agent_id=r.agent_id,
                    target=r.target,
                    target_ref=r.target_ref,
                    rating=r.rating,
                    note=r.note,
                    model_version=r.model_version,
                    policy_version=r.policy_version,
                    flow_version=r.flow_version,
                    created_at=_at(r.created_at),
                )
                for r in s.scalars(query)
            ]

    # -- what the queue shows -----------------------------------------------------------------------
    def queue_facts(self, conversation_ids: Sequence[str]) -> dict[str, QueueFacts]:
        """The customer's name (and the site's id for them) and first message of each conversation,
        in two queries per chunk."""
        facts: dict[str, QueueFacts] = {}
        ids = list(dict.fromkeys(conversation_ids))
        with self.session() as s:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                names = {
                    cid: (name, external_id)
                    for cid, name, external_id in s.execute(
                        select(ConversationRow.id, CustomerRow.name, CustomerRow.external_id)
                        .join(CustomerRow, CustomerRow.id == ConversationRow.customer_id)
                        .where(ConversationRow.id.in_(chunk))
                    ).all()
                }
                first_seq = (
                    select(MessageRow.conversation_id, func.min(MessageRow.seq).label("seq"))
                    .where(
                        MessageRow.conversation_id.in_(chunk),
                        MessageRow.role == str(MessageRole.CUSTOMER),
                    )
                    .group_by(MessageRow.conversation_id)
                    .subquery()
                )
                firsts = dict(
                    s.execute(
                        select(MessageRow.conversation_id, MessageRow.text).join(
                            first_seq,
                            (first_seq.c.conversation_id == MessageRow.conversation_id)
                            & (first_seq.c.seq == MessageRow.seq),
                        )
                    ).all()
                )
                for cid in chunk:
                    name, external_id = names.get(cid, (None, None))
                    facts[cid] = QueueFacts(name, firsts.get(cid), external_id)
        return facts

    # -- the transcript, a page at a time ----------------------------------------------------------
    def message_page(
        self, conversation_id: str, *, before_seq: int | None, after_seq: int | None, limit: int
    ) -> MessagePage:
        query = select(MessageRow).where(MessageRow.conversation_id == conversation_id)
        with self.session() as s:
            if after_seq is not None:
                rows = list(
                    s.scalars(
                        query.where(MessageRow.seq > after_seq).order_by(MessageRow.seq).limit(limit + 1)
                    )
                )
                page = rows[:limit]
                has_earlier = self._exists_before(s, conversation_id, after_seq + 1)
                return MessagePage([message(r) for r in page], has_earlier, len(rows) > limit)
            if before_seq is not None:
                query = query.where(MessageRow.seq < before_seq)
            rows = list(s.scalars(query.order_by(MessageRow.seq.desc()).limit(limit + 1)))
            page = rows[:limit][::-1]
            has_later = before_seq is not None and self._exists_after(s, conversation_id, before_seq - 1)
            return MessagePage([message(r) for r in page], len(rows) > limit, has_later)

    @staticmethod
    def _exists_before(s: Any, conversation_id: str, seq: int) -> bool:
        found = s.scalar(
            select(MessageRow.seq)
            .where(MessageRow.conversation_id == conversation_id, MessageRow.seq < seq)
            .limit(1)
        )
        return found is not None

    @staticmethod
    def _exists_after(s: Any, conversation_id: str, seq: int) -> bool:
        found = s.scalar(
            select(MessageRow.seq)
            .where(MessageRow.conversation_id == conversation_id, MessageRow.seq > seq)
            .limit(1)
        )
        return found is not None


def _at(value: datetime) -> datetime:
    return aware(value) or value
