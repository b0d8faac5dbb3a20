"""Messages: positions, idempotency keys, handling and leases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.ids import ConversationId, MessageId, new_id
from relaydesk.domain.models import (
    Channel,
    ConversationStatus,
    Message,
    MessageRole,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore, core, row_columns, table_of
from relaydesk.storage.tables import (
    ConversationRow,
    MessageRow,
)

# The hot path's statements, built once (Core: no ORM objects to build, track and flush).
_M = table_of(MessageRow)
_C = table_of(ConversationRow)
_COLUMNS = row_columns(MessageRow)
_STATUS_FOR_UPDATE = select(_C.c.status).where(_C.c.id == bindparam("id")).with_for_update()
_BY_KEY = select(*_COLUMNS).where(
    _M.c.conversation_id == bindparam("conversation_id"), _M.c.idempotency_key == bindparam("key")
)
_LAST_SEQ = select(func.max(_M.c.seq)).where(_M.c.conversation_id == bindparam("conversation_id"))
_INSERT = insert(_M)
_RECENT = (
    select(*_COLUMNS)
    .where(_M.c.conversation_id == bindparam("conversation_id"))
    .order_by(_M.c.seq.desc())
    .limit(bindparam("limit"))
)
_MARK_HANDLED = (
    update(_M)
    .where(_M.c.id == bindparam("message_id"))
    .values(handled_at=bindparam("at"), lease_owner=None, lease_until=None)
)
_HANDLED_AT = select(_M.c.handled_at).where(_M.c.id == bindparam("id"))


def _stored(values: dict[str, Any]) -> Message:
    """The message just inserted with ``values`` (column names), as reading it back gives it."""
    return Message(
        id=MessageId(values["id"]),
        conversation_id=ConversationId(values["conversation_id"]),
        role=MessageRole(values["role"]),
        text=values["text"],
        channel=Channel(values["channel"]),
        created_at=values["created_at"],
        author_id=values["author_id"],
        idempotency_key=values["idempotency_key"],
        reply_to_id=MessageId(values["reply_to_id"]) if values["reply_to_id"] else None,
        metadata=dict(values["metadata"]),
        seq=values["seq"],
    )


class SqlMessageStore(RecordStore):
    """Messages of conversations, with the lease of each unhandled customer message."""

    # -- messages ---------------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: str,
        *,
        role: MessageRole,
        text: str,
        channel: Channel,
        author_id: str | None = None,
        idempotency_key: str | None = None,
        reply_to_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        handled: bool = True,
        only_if: Iterable[ConversationStatus] | None = None,
        lease_owner: str | None = None,
        lease_s: float = 0.0,
    ) -> tuple[Message, bool]:
        """Store a message at the conversation's next position; returns ``(message, created)``.

        The conversation row is locked while the position is taken, so positions are unique and
        gapless even with many writers (a unique index backs this). With an idempotency key already
        used in this conversation, nothing is stored and the first message is returned with
        ``created=False``. With ``only_if``, the message is stored only while the conversation is in
        one of those statuses (checked under the same lock); otherwise Conflict with
        ``reason="status_changed"``. An unhandled message may be stored leased to ``lease_owner``
        for ``lease_s`` seconds (see ``claim_message``).
        """
        allowed = [str(x) for x in only_if] if only_if is not None else None
        for _attempt in range(3):
            try:
                with self._sessions.begin() as s:
                    db = core(s)
                    status = db.execute(_STATUS_FOR_UPDATE, {"id": conversation_id}).scalar()
                    if status is None:
                        raise NotFound(f'No conversation with id "{conversation_id}"')
                    now = utcnow()  # once the lock is held: a lease starts when the message is stored
                    if idempotency_key is not None:
                        existing = db.execute(
                            _BY_KEY, {"conversation_id": conversation_id, "key": idempotency_key}
                        ).first()
                        if existing is not None:
                            return convert.message(existing), False
                    if allowed is not None and status not in allowed:
                        raise Conflict(
                            f'Conversation "{conversation_id}" is {status}, no longer {" or ".join(allowed)}',
                            reason="status_changed",
                        )
                    seq = (db.execute(_LAST_SEQ, {"conversation_id": conversation_id}).scalar() or 0) + 1
                    leased = not handled and lease_owner is not None
                    values = {
                        "id": new_id("msg"),
                        "seq": seq,
                        "conversation_id": conversation_id,
                        "role": str(role),
                        "author_id": author_id,
                        "text": text,
                        "channel": str(channel),
                        "idempotency_key": idempotency_key,
                        "reply_to_id": reply_to_id,
                        "metadata": dict(metadata or {}),
                        "handled_at": now if handled else None,
                        "lease_owner": lease_owner if leased else None,
                        "lease_until": now + timedelta(seconds=lease_s) if leased else None,
                        "attempts": 1 if leased else 0,
                        "created_at": now,
                    }
                    db.execute(_INSERT, values)
                    db.execute(_counters_update(str(role)), {"conversation_id": conversation_id, "now": now})
                    return _stored(values), True
            except IntegrityError:
                if self._sessions.in_transaction:
                    raise  # the shared transaction is spoiled; the use case retries as a whole
                # Only a racing writer with the same idempotency key gets here (positions are taken
                # under the conversation lock); the next attempt finds its message.
                continue
        raise Conflict(f'Could not store the message in conversation "{conversation_id}"; try again')

    def message_by_idempotency_key(self, conversation_id: str, key: str) -> Message | None:
        with self.session() as s:
            row = core(s).execute(_BY_KEY, {"conversation_id": conversation_id, "key": key}).first()
            return convert.message(row) if row else None

    def get_message(self, message_id: str) -> Message:
        with self.session() as s:
            row = s.get(MessageRow, message_id)
            if row is None:
                raise NotFound(f'No message with id "{message_id}"')
            return convert.message(row)

    def messages(self, conversation_id: str, *, after_seq: int = 0, limit: int = 1000) -> list[Message]:
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow)
                .where(MessageRow.conversation_id == conversation_id, MessageRow.seq > after_seq)
                .order_by(MessageRow.seq)
                .limit(limit)
            )
            return [convert.message(r) for r in rows]

    def recent_messages(self, conversation_id: str, *, limit: int = 1000) -> list[Message]:
        """The latest ``limit`` messages, oldest first."""
        with self.session() as s:
            rows = core(s).execute(_RECENT, {"conversation_id": conversation_id, "limit": limit}).all()
            return [convert.message(r) for r in reversed(rows)]

    def replies_to(self, message_id: str) -> list[Message]:
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow).where(MessageRow.reply_to_id == message_id).order_by(MessageRow.seq)
            )
            return [convert.message(r) for r in rows]

    def mark_handled(self, message_id: str) -> None:
        with self._sessions.begin() as s:
            core(s).execute(_MARK_HANDLED, {"message_id": message_id, "at": utcnow()})

    def message_handled(self, message_id: str) -> bool:
        with self.session() as s:
            return core(s).execute(_HANDLED_AT, {"id": message_id}).scalar() is not None

    def message_lease(self, message_id: str) -> tuple[datetime | None, datetime | None]:
        """``(handled_at, lease_until)`` of a message."""
        with self.session() as s:
            row = s.execute(
                select(MessageRow.handled_at, MessageRow.lease_until).where(MessageRow.id == message_id)
            ).first()
            if row is None:
                raise NotFound(f'No message with id "{message_id}"')
            return convert.aware(row[0]), convert.aware(row[1])

    def claim_message(
        self, message_id: str, owner: str, lease_s: float, *, backoff_cap_s: float = 300.0
    ) -> bool:
        """Take an unhandled message whose lease has ended (or that has none) for ``owner``: a
        compare-and-set, so of many workers exactly one wins, and a live worker's message is never
        taken. Each claim leases it for longer (``lease_s`` doubled per earlier attempt, up to
        ``backoff_cap_s``), so a message that keeps failing is retried ever more slowly."""
        now = utcnow()
        with self._sessions.begin() as s:
            attempts = s.scalar(select(MessageRow.attempts).where(MessageRow.id == message_id)) or 0
            lease = min(lease_s * (2 ** max(attempts, 0)), max(backoff_cap_s, lease_s))
            result = s.execute(
                update(MessageRow)
                .where(
                    MessageRow.id == message_id,
                    MessageRow.handled_at.is_(None),
                    or_(MessageRow.lease_until.is_(None), MessageRow.lease_until < now),
                )
                .values(
                    lease_owner=owner,
                    lease_until=now + timedelta(seconds=lease),
                    attempts=MessageRow.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]

    def message_attempts(self, message_id: str) -> int:
        with self.session() as s:
            return int(s.scalar(select(MessageRow.attempts).where(MessageRow.id == message_id)) or 0)

    def stranded_customer_messages(self, limit: int = 100) -> list[Message]:
        """Customer messages stored but not handled whose lease has ended (their worker died or
        failed), oldest first. A live worker's message (lease still running) is not among them."""
        now = utcnow()
        query = (
            select(MessageRow)
            .where(
                MessageRow.handled_at.is_(None),
                MessageRow.role == str(MessageRole.CUSTOMER),
                or_(MessageRow.lease_until.is_(None), MessageRow.lease_until < now),
            )
            .order_by(MessageRow.created_at, MessageRow.id)
            .limit(limit)
        )
        with self.session() as s:
            return [convert.message(r) for r in s.scalars(query)]

    def unhandled_customer_messages(self, limit: int = 100) -> list[Message]:
        """Customer messages stored but never fully handled, leased or not."""
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow)
                .where(MessageRow.role == str(MessageRole.CUSTOMER), MessageRow.handled_at.is_(None))
                .order_by(MessageRow.created_at)
                .limit(limit)
            )
            return [convert.message(r) for r in rows]


@lru_cache(maxsize=16)
def _counters_update(role: str) -> Any:
    """The conversation's UPDATE when a message of ``role`` is stored (built once per role): its
    time, and what the reports keep as messages arrive (the KPIs read these instead of scanning
    every message): the first customer and AI message times and the AI's count."""
    c = table_of(ConversationRow).c
    now: Any = bindparam("now", type_=c.updated_at.type)
    counters: dict[str, Any] = {}
    if role == MessageRole.CUSTOMER:
        counters = {"first_customer_message_at": func.coalesce(c.first_customer_message_at, now)}
    elif role == MessageRole.AI:
        counters = {
            "first_ai_message_at": func.coalesce(c.first_ai_message_at, now),
            "ai_messages": c.ai_messages + 1,
        }
    return (
        update(table_of(ConversationRow))
        .where(c.id == bindparam("conversation_id"))
        .values(updated_at=now, **counters)
    )
