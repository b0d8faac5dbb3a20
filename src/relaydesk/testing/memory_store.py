"""``MemoryStore``: the store ports (``domain.ports.SupportStore``) in memory.

For tests of the use cases that need no database, and a reference of what the ports promise: it
passes the same contract tests as the SQL store (tests/storage/test_store_contract.py). One lock
serialises transactions (as SQLite's write lock does); a transaction that raises puts every
record back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import ConversationId, MessageId, WorkspaceId, new_id
from relaydesk.domain.models import (
    Channel,
    ConversationStatus,
    Decision,
    Message,
    MessageRole,
    utcnow,
)
from relaydesk.testing.memory_records import MemoryRecords, _Delivery


class MemoryTransaction:
    def __init__(self) -> None:
        self.state: dict[str, Any] = {}
        self._before: list[Any] = []
        self._after: list[Any] = []

    def before_commit(self, callback: Any) -> None:
        self._before.append(callback)

    def after_commit(self, callback: Any) -> None:
        self._after.append(callback)


class MemoryStore(MemoryRecords):
    """Implements ``SupportStore`` in memory (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._current: ContextVar[MemoryTransaction | None] = ContextVar(f"memory-{id(self)}", default=None)

    # -- transactions -----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[MemoryTransaction]:
        current = self._current.get()
        if current is not None:
            yield current
            return
        tx = MemoryTransaction()
        with self._lock:
            snapshot = self._t.copy()
            token = self._current.set(tx)
            try:
                yield tx
                while tx._before:
                    tx._before.pop(0)()
            except BaseException:
                self._t = snapshot
                raise
            finally:
                self._current.reset(token)
        for callback in tx._after:
            with suppress(Exception):  # as the SQL store: committed work stands
                callback()

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._lock:  # a consistent view: no transaction commits meanwhile
            yield

    def current_transaction(self) -> MemoryTransaction | None:
        return self._current.get()

    @property
    def in_transaction(self) -> bool:
        return self._current.get() is not None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self._lock:
            snapshot = self._t.copy()
            try:
                yield
            except BaseException:
                self._t = snapshot
                raise

    # -- messages ---------------------------------------------------------------------------------
    def _in(self, conversation_id: str) -> list[Message]:
        return sorted(
            (m for m in self._t.messages.values() if m.conversation_id == conversation_id),
            key=lambda m: m.seq,
        )

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
        with self._lock:
            conversation = self.get_conversation(conversation_id)
            existing = self._in(conversation_id)
            if idempotency_key is not None:
                for m in existing:
                    if m.idempotency_key == idempotency_key:
                        return m, False
            allowed = [str(x) for x in only_if] if only_if is not None else None
            if allowed is not None and str(conversation.status) not in allowed:
                raise Conflict(
                    f'Conversation "{conversation_id}" is {conversation.status}, '
                    f"no longer {' or '.join(allowed)}",
                    reason="status_changed",
                )
            now = utcnow()
            message = Message(
                MessageId(new_id("msg")),
                ConversationId(conversation_id),
                MessageRole(role),
                text,
                Channel(channel),
                now,
                author_id,
                idempotency_key,
                MessageId(reply_to_id) if reply_to_id else None,
                dict(metadata or {}),
                (existing[-1].seq if existing else 0) + 1,
            )
            self._t.messages[message.id] = message
            leased = not handled and lease_owner is not None
            self._t.deliveries[message.id] = _Delivery(
                now if handled else None,
                lease_owner if leased else None,
                now + timedelta(seconds=lease_s) if leased else None,
                1 if leased else 0,
            )
            self._changed(conversation, updated_at=now)
            return message, True

    def message_by_idempotency_key(self, conversation_id: str, key: str) -> Message | None:
        return next((m for m in self._in(conversation_id) if m.idempotency_key == key), None)

    def get_message(self, message_id: str) -> Message:
        if message_id not in self._t.messages:
            raise NotFound(f'No message with id "{message_id}"')
        return self._t.messages[message_id]

    def messages(self, conversation_id: str, *, after_seq: int = 0, limit: int = 1000) -> list[Message]:
        return [m for m in self._in(conversation_id) if m.seq > after_seq][:limit]

    def recent_messages(self, conversation_id: str, *, limit: int = 1000) -> list[Message]:
        return list(self._in(conversation_id))[-limit:]

    def replies_to(self, message_id: str) -> list[Message]:
        found = [m for m in self._t.messages.values() if m.reply_to_id == message_id]
        return sorted(found, key=lambda m: m.seq)

    def mark_handled(self, message_id: str) -> None:
        with self._lock:
            if message_id in self._t.deliveries:
                d = self._t.deliveries[message_id]
                self._t.deliveries[message_id] = replace(
                    d, handled_at=utcnow(), lease_owner=None, lease_until=None
                )

    def message_handled(self, message_id: str) -> bool:
        d = self._t.deliveries.get(message_id)
        return d is not None and d.handled_at is not None

    def message_lease(self, message_id: str) -> tuple[datetime | None, datetime | None]:
        self.get_message(message_id)
        d = self._t.deliveries[message_id]
        return d.handled_at, d.lease_until

    def claim_message(
        self, message_id: str, owner: str, lease_s: float, *, backoff_cap_s: float = 300.0
    ) -> bool:
        with self._lock:
            d = self._t.deliveries.get(message_id)
            now = utcnow()
            if d is None or d.handled_at is not None or (d.lease_until is not None and d.lease_until >= now):
                return False
            lease = min(lease_s * (2 ** max(d.attempts, 0)), max(backoff_cap_s, lease_s))
            self._t.deliveries[message_id] = replace(
                d, lease_owner=owner, lease_until=now + timedelta(seconds=lease), attempts=d.attempts + 1
            )
            return True

    def message_attempts(self, message_id: str) -> int:
        d = self._t.deliveries.get(message_id)
        return d.attempts if d else 0

    def stranded_customer_messages(self, limit: int = 100) -> list[Message]:
        now = utcnow()
        found = [
            m
            for m in self._t.messages.values()
            if m.role == MessageRole.CUSTOMER
            and (d := self._t.deliveries[m.id]).handled_at is None
            and (d.lease_until is None or d.lease_until < now)
        ]
        return sorted(found, key=lambda m: (m.created_at, m.id))[:limit]

    # -- decisions and outbox ---------------------------------------------------------------------
    def add_decision(
        self,
        *,
        workspace_id: str,
        kind: str,
        outcome: str,
        summary: str,
        conversation_id: str | None = None,
        message_id: str | None = None,
        inputs: dict[str, Any] | None = None,
        reasons: list[Any] | None = None,
        version: str = "unknown",
        latency_ms: float = 0.0,
        at: datetime | None = None,
    ) -> Decision:
        if not kind or not outcome:
            raise InvalidInput("A decision needs a kind and an outcome")
        decision = Decision(
            new_id("dec"),
            WorkspaceId(workspace_id),
            ConversationId(conversation_id) if conversation_id else None,
            MessageId(message_id) if message_id else None,
            str(kind),
            outcome,
            summary,
            dict(inputs or {}),
            list(reasons or []),
            version,
            float(latency_ms),
            at or utcnow(),
        )
        with self._lock:
            self._t.decisions.append(decision)
        return decision

    def decisions(self, conversation_id: str) -> list[Decision]:
        found = [d for d in self._t.decisions if d.conversation_id == conversation_id]
        found.sort(key=lambda d: d.id)
        found.sort(key=lambda d: d.created_at)
        return found

    def add_outbox_events(self, events: Sequence[dict[str, Any]]) -> list[str]:
        with self._lock:
            now = utcnow()
            ids = [new_id("evt") for _ in events]
            for row_id, event in zip(ids, events, strict=True):
                self._t.outbox[row_id] = (dict(event), now, None)
            return ids

    def delete_outbox_events(self, ids: Sequence[str]) -> None:
        with self._lock:
            for row_id in ids:
                self._t.outbox.pop(row_id, None)

    def claim_outbox_events(
        self, *, older_than_s: float, claim_s: float, limit: int = 200
    ) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            now = utcnow()
            due = sorted(
                (
                    (created, row_id, event)
                    for row_id, (event, created, claimed) in self._t.outbox.items()
                    if created < now - timedelta(seconds=older_than_s) and (claimed is None or claimed < now)
                ),
                key=lambda x: (x[0], x[1]),
            )[:limit]
            for created, row_id, event in due:
                self._t.outbox[row_id] = (event, created, now + timedelta(seconds=claim_s))
            return [(row_id, dict(event)) for _, row_id, event in due]


def _serialised(method: Any) -> Any:
    def call(self: MemoryStore, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    call.__name__, call.__doc__, call.__wrapped__ = method.__name__, method.__doc__, method  # type: ignore[attr-defined]
    return call


# Every read and write holds the lock, so a reader never sees a transaction half-way (as on SQLite).
for _name, _method in [*vars(MemoryRecords).items(), *vars(MemoryStore).items()]:
    if (
        callable(_method)
        and not _name.startswith("_")
        and _name not in ("transaction", "savepoint", "reading")
    ):
        setattr(MemoryStore, _name, _serialised(_method))
