"""Similar-case search storage: one summed sentence vector per conversation, and what an agent is
shown about the conversations a search finds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import Engine, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import ConversationStatus, MessageRole, utcnow
from relaydesk.domain.ports import CaseRecord, CaseVector
from relaydesk.storage.convert import aware
from relaydesk.storage.database import make_session_factory
from relaydesk.storage.personal_data import as_masks
from relaydesk.storage.tables import (
    AgentRow,
    CaseVectorRow,
    ConversationRow,
    DecisionRow,
    MessageRow,
)

_REPLY_WORDS = 6
"""An agent message shorter than this ("one moment", "anything else?") is not shown as the reply."""
_CHUNK = 500
"""Ids per IN (...) query, well under every database's parameter limit."""

_CASES: Table = CaseVectorRow.__table__  # type: ignore[assignment]
_CASE_FOR_UPDATE = (
    select(
        _CASES.c.model_id,
        _CASES.c.dimension,
        _CASES.c.vector,
        _CASES.c.messages,
        _CASES.c.last_seq,
        _CASES.c.intent,
    )
    .where(_CASES.c.conversation_id == bindparam("id"))
    .with_for_update()
)
_INSERT = insert(_CASES)


class SqlCaseStore:
    """Implements :class:`~relaydesk.domain.ports.CaseVectors` on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = make_session_factory(engine)

    def add_to_case(
        self,
        conversation_id: str,
        workspace_id: str,
        model_id: str,
        vector: np.ndarray,
        *,
        seq: int,
        intent: str | None,
        max_messages: int,
    ) -> bool:
        values = np.asarray(vector, dtype="<f4").ravel()
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise InvalidInput(f'Case vector for "{conversation_id}" is empty or not finite')
        for attempt in range(2):
            try:
                with self._sessions.begin() as s:
                    db = s.connection()  # Core: this runs on every customer message
                    row = db.execute(_CASE_FOR_UPDATE, {"id": conversation_id}).first()
                    now = utcnow()
                    fresh = {  # a case's first message, or the first of another model's vectors
                        "model_id": model_id,
                        "dimension": values.size,
                        "vector": values.tobytes(),
                        "messages": 1,
                        "request_seq": seq,
                        "last_seq": seq,
                        "intent": intent,
                    }
                    if row is None:
                        db.execute(
                            _INSERT,
                            {
                                **fresh,
                                "conversation_id": conversation_id,
                                "workspace_id": workspace_id,
                                "updated_at": now,
                            },
                        )
                        return True
                    if row.model_id != model_id or row.dimension != values.size:
                        changes = fresh  # vectors of another model live in another space: start again
                    elif row.messages >= max_messages or seq <= row.last_seq:
                        return False
                    else:
                        stored = np.frombuffer(row.vector, dtype="<f4")
                        changes = {
                            "vector": (stored + values).astype("<f4").tobytes(),
                            "messages": row.messages + 1,
                            "last_seq": seq,
                            "intent": row.intent or intent,
                        }
                    db.execute(
                        update(_CASES).where(_CASES.c.conversation_id == conversation_id),
                        {**changes, "updated_at": now},
                    )
                    return True
            except IntegrityError:
                # Two first messages of one conversation raced to insert: retry once as an update.
                if attempt:
                    raise
        return False  # pragma: no cover - the loop returns or raises

    def case_vectors(
        self, workspace_id: str, model_id: str, dimension: int, *, updated_since: datetime | None = None
    ) -> list[CaseVector]:
        columns = (CaseVectorRow.conversation_id, CaseVectorRow.vector, CaseVectorRow.messages)
        query = select(*columns, CaseVectorRow.intent, CaseVectorRow.updated_at).where(
            CaseVectorRow.workspace_id == workspace_id,
            CaseVectorRow.model_id == model_id,
            CaseVectorRow.dimension == dimension,
        )
        if updated_since is not None:
            query = query.where(CaseVectorRow.updated_at >= updated_since)
        with self._sessions() as s:
            return [
                CaseVector(
                    conversation_id=conversation_id,
                    vector=np.frombuffer(vector, dtype="<f4"),
                    messages=messages,
                    intent=intent,
                    updated_at=updated_at,  # as stored, so it can be handed back as a watermark
                )
                for conversation_id, vector, messages, intent, updated_at in s.execute(
                    query.order_by(CaseVectorRow.updated_at)
                )
            ]

    def resolved_among(self, conversation_ids: Sequence[str]) -> set[str]:
        ids = list(dict.fromkeys(conversation_ids))
        found: set[str] = set()
        with self._sessions() as s:
            for start in range(0, len(ids), _CHUNK):
                found.update(
                    s.scalars(
                        select(ConversationRow.id).where(
                            ConversationRow.id.in_(ids[start : start + _CHUNK]),
                            ConversationRow.status == ConversationStatus.RESOLVED.value,
                        )
                    )
                )
        return found

    def case_records(self, conversation_ids: Sequence[str]) -> dict[str, CaseRecord]:
        ids = list(dict.fromkeys(conversation_ids))
        records: dict[str, CaseRecord] = {}
        with self._sessions() as s:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                conversations = {
                    row.id: row
                    for row in s.scalars(select(ConversationRow).where(ConversationRow.id.in_(chunk)))
                }
                first_seq = (
                    select(MessageRow.conversation_id, func.min(MessageRow.seq).label("seq"))
                    .where(
                        MessageRow.conversation_id.in_(chunk),
                        MessageRow.role == MessageRole.CUSTOMER.value,
                    )
                    .group_by(MessageRow.conversation_id)
                    .subquery()
                )
                counted = dict(
                    s.execute(
                        select(CaseVectorRow.conversation_id, CaseVectorRow.request_seq).where(
                            CaseVectorRow.conversation_id.in_(chunk), CaseVectorRow.request_seq.is_not(None)
                        )
                    ).all()
                )
                seqs = dict(s.execute(select(first_seq.c.conversation_id, first_seq.c.seq)).all())
                seqs.update(counted)
                requests: dict[str, str] = {}
                if seqs:
                    wanted = list(seqs.items())
                    for conversation_id, seq, text in s.execute(
                        select(MessageRow.conversation_id, MessageRow.seq, MessageRow.text).where(
                            MessageRow.conversation_id.in_([c for c, _ in wanted]),
                            MessageRow.seq.in_({q for _, q in wanted}),
                        )
                    ):
                        if seqs.get(conversation_id) == seq:
                            requests[conversation_id] = text
                replies: dict[str, str] = {}
                for conversation_id, text in s.execute(
                    select(MessageRow.conversation_id, MessageRow.text)
                    .where(MessageRow.conversation_id.in_(chunk), MessageRow.role == MessageRole.AGENT.value)
                    .order_by(MessageRow.conversation_id, MessageRow.seq)
                ):
                    if len(text.split()) >= _REPLY_WORDS:
                        replies[conversation_id] = text  # the last one wins
                resolutions: dict[str, DecisionRow] = {}
                for decision in s.scalars(
                    select(DecisionRow)
                    .where(DecisionRow.conversation_id.in_(chunk), DecisionRow.kind == "resolution")
                    .order_by(DecisionRow.created_at, DecisionRow.id)
                ):
                    resolutions[str(decision.conversation_id)] = decision  # the latest one wins
                agent_ids = {str((r.inputs or {}).get("agent_id")) for r in resolutions.values()}
                agents = dict(
                    s.execute(select(AgentRow.id, AgentRow.name).where(AgentRow.id.in_(agent_ids))).all()
                )
                for conversation_id, row in conversations.items():
                    resolution = resolutions.get(conversation_id)
                    # personal data in the decision is a reference (storage/personal_data.py): a mask here
                    inputs = as_masks(resolution.inputs or {}) if resolution is not None else {}
                    records[conversation_id] = CaseRecord(
                        conversation_id=conversation_id,
                        customer_id=row.customer_id,
                        status=row.status,
                        subject=row.subject,
                        request=requests.get(conversation_id, ""),
                        escalation_reason=row.escalation_reason,
                        resolved_at=aware(row.resolved_at),
                        resolved_by=agents.get(str(inputs.get("agent_id"))),
                        resolution_note=inputs.get("note") or None,
                        agent_reply=replies.get(conversation_id),
                    )
        return records

    def conversations_without_vector(
        self,
        model_id: str,
        dimension: int,
        *,
        after_id: str = "",
        limit: int = 500,
        workspace_id: str | None = None,
    ) -> list[tuple[str, str]]:
        """``(conversation id, workspace id)`` of conversations with no vector from ``model_id`` at
        ``dimension``, in id order after ``after_id`` (for ``relaydesk cases reindex``)."""
        current = select(CaseVectorRow.conversation_id).where(
            CaseVectorRow.model_id == model_id, CaseVectorRow.dimension == dimension
        )
        query = select(ConversationRow.id, ConversationRow.workspace_id).where(
            ConversationRow.id > after_id, ConversationRow.id.not_in(current)
        )
        if workspace_id is not None:
            query = query.where(ConversationRow.workspace_id == workspace_id)
        with self._sessions() as s:
            return [(a, b) for a, b in s.execute(query.order_by(ConversationRow.id).limit(limit)).all()]

    def customer_texts(
        self, conversation_ids: Sequence[str], *, per_conversation: int
    ) -> dict[str, list[tuple[int, str]]]:
        """``(seq, text)`` of the first customer messages of each conversation, oldest first."""
        texts: dict[str, list[tuple[int, str]]] = {c: [] for c in conversation_ids}
        with self._sessions() as s:
            for start in range(0, len(texts), _CHUNK):
                chunk = list(texts)[start : start + _CHUNK]
                rows = s.execute(
                    select(MessageRow.conversation_id, MessageRow.seq, MessageRow.text)
                    .where(
                        MessageRow.conversation_id.in_(chunk),
                        MessageRow.role == MessageRole.CUSTOMER.value,
                    )
                    .order_by(MessageRow.conversation_id, MessageRow.seq)
                )
                for conversation_id, seq, text in rows:
                    bucket = texts[conversation_id]
                    if len(bucket) < per_conversation * 4:  # room for messages too short to count
                        bucket.append((seq, text))
        return texts
