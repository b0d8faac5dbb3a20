"""``MemoryStore``: the store ports (``domain.ports.SupportStore``) in memory.

For tests of the use cases that need no database, and a reference of what the ports promise: it
passes the same contract tests as the SQL store (tests/storage/test_store_contract.py). One lock
serialises transactions (as SQLite's write lock does); a transaction that raises puts every
record back as it was.
"""

from __future__ import annotations

import hashlib
import statistics
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from relaydesk.domain.capability_types import QueuedCase
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import AgentId, ConversationId, CustomerId, MessageId, WorkspaceId, new_id
from relaydesk.domain.models import (
    HUMAN_OWNED,
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Decision,
    Message,
    MessageRole,
    Workspace,
    utcnow,
)
from relaydesk.domain.ports import AgentLoad

MIN_HANDLE_S = 10.0
_TUPLE_FIELDS = ("required_skills", "preferred_skills")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Delivery:
    """What the SQL store keeps beside a message: handling and lease."""

    handled_at: datetime | None
    lease_owner: str | None = None
    lease_until: datetime | None = None
    attempts: int = 0


@dataclass
class _Tables:
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    api_keys: dict[str, str] = field(default_factory=dict)
    last_assigned: dict[str, datetime] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    deliveries: dict[str, _Delivery] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    outbox: dict[str, tuple[dict[str, Any], datetime, datetime | None]] = field(default_factory=dict)

    def copy(self) -> _Tables:
        # Records are frozen: copying the containers is a full snapshot.
        copies: dict[str, Any] = {
            k: (list(v) if isinstance(v, list) else dict(v)) for k, v in vars(self).items()
        }
        return _Tables(**copies)


class MemoryTransaction:
    def __init__(self) -> None:
        self.state: dict[str, Any] = {}
        self._before: list[Any] = []
        self._after: list[Any] = []

    def before_commit(self, callback: Any) -> None:
        self._before.append(callback)

    def after_commit(self, callback: Any) -> None:
        self._after.append(callback)


class MemoryStore:
    """Implements ``SupportStore`` in memory (see the module docstring)."""

    def __init__(self) -> None:
        self._t = _Tables()
        self._lock = threading.RLock()
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

    # -- workspaces and customers -----------------------------------------------------------------
    def create_workspace(self, slug: str, name: str) -> Workspace:
        with self._lock:
            if any(w.slug == slug for w in self._t.workspaces.values()):
                raise Conflict(f'A workspace with slug "{slug}" already exists')
            ws = Workspace(WorkspaceId(new_id("ws")), slug, name, utcnow())
            self._t.workspaces[ws.id] = ws
            return ws

    def workspace_by_slug(self, slug: str) -> Workspace:
        for w in self._t.workspaces.values():
            if w.slug == slug:
                return w
        raise NotFound(f'No workspace with slug "{slug}"')

    def get_workspace(self, workspace_id: str) -> Workspace:
        if workspace_id not in self._t.workspaces:
            raise NotFound(f'No workspace with id "{workspace_id}"')
        return self._t.workspaces[workspace_id]

    def upsert_customer(
        self,
        workspace_id: str,
        *,
        external_id: str | None = None,
        name: str | None = None,
        email: str | None = None,
        tier: CustomerTier = CustomerTier.STANDARD,
        language: str = "en",
        attributes: dict[str, Any] | None = None,
    ) -> Customer:
        with self._lock:
            found = next(
                (
                    c
                    for c in self._t.customers.values()
                    if external_id is not None
                    and c.workspace_id == workspace_id
                    and c.external_id == external_id
                ),
                None,
            )
            base = found or Customer(
                CustomerId(new_id("cus")),
                WorkspaceId(workspace_id),
                external_id,
                None,
                None,
                tier,
                language,
                {},
                utcnow(),
            )
            customer = replace(
                base,
                name=name if name is not None else base.name,
                email=email if email is not None else base.email,
                tier=CustomerTier(tier),
                language=language,
                attributes={**base.attributes, **attributes} if attributes else dict(base.attributes),
            )
            self._t.customers[customer.id] = customer
            return customer

    def get_customer(self, customer_id: str) -> Customer:
        if customer_id not in self._t.customers:
            raise NotFound(f'No customer with id "{customer_id}"')
        return self._t.customers[customer_id]

    # -- agents -----------------------------------------------------------------------------------
    def create_agent(
        self,
        workspace_id: str,
        *,
        name: str,
        email: str,
        api_key: str,
        skills: dict[str, float] | None = None,
        languages: Sequence[str] = ("en",),
        tier: int = 1,
        capacity: int = 3,
        status: AgentStatus = AgentStatus.ONLINE,
    ) -> Agent:
        with self._lock:
            key = _digest(api_key)
            taken = any(a.workspace_id == workspace_id and a.email == email for a in self._t.agents.values())
            if taken or key in self._t.api_keys:
                raise Conflict(f'An agent with email "{email}" or that API key already exists')
            agent = Agent(
                AgentId(new_id("agt")),
                WorkspaceId(workspace_id),
                name,
                email,
                dict(skills or {}),
                tuple(languages),
                tier,
                capacity,
                AgentStatus(status),
                utcnow(),
            )
            self._t.agents[agent.id] = agent
            self._t.api_keys[key] = agent.id
            return agent

    def agent_by_api_key(self, api_key: str) -> Agent | None:
        agent_id = self._t.api_keys.get(_digest(api_key))
        return self._t.agents.get(agent_id) if agent_id else None

    def get_agent(self, agent_id: str) -> Agent:
        if agent_id not in self._t.agents:
            raise NotFound(f'No agent with id "{agent_id}"')
        return self._t.agents[agent_id]

    def list_agents(self, workspace_id: str) -> list[Agent]:
        return sorted(
            (a for a in self._t.agents.values() if a.workspace_id == workspace_id), key=lambda a: a.name
        )

    def lock_agent(self, agent_id: str) -> Agent:
        return self.get_agent(agent_id)  # the transaction's lock already excludes writers

    def set_agent_status(self, agent_id: str, status: AgentStatus) -> Agent:
        with self._lock:
            agent = replace(self.get_agent(agent_id), status=AgentStatus(status))
            self._t.agents[agent_id] = agent
            return agent

    def _open_count(self, agent_id: str) -> int:
        return sum(
            1
            for c in self._t.conversations.values()
            if c.assigned_agent_id == agent_id and c.status in HUMAN_OWNED
        )

    def agent_load(self, agent_id: str) -> AgentLoad:
        agent = self.get_agent(agent_id)
        return AgentLoad(agent, self._open_count(agent_id), self._t.last_assigned.get(agent_id))

    def agent_loads(self, workspace_id: str) -> list[AgentLoad]:
        return [
            AgentLoad(a, self._open_count(a.id), self._t.last_assigned.get(a.id))
            for a in self._t.agents.values()
            if a.workspace_id == workspace_id
        ]

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
        with self._lock:
            now = utcnow()
            conversation = Conversation(
                ConversationId(new_id("conv")),
                WorkspaceId(workspace_id),
                CustomerId(customer_id),
                Channel(channel),
                ConversationStatus.WITH_AI,
                subject,
                language,
                None,
                0,
                (),
                None,
                0,
                now,
                now,
            )
            self._t.conversations[conversation.id] = conversation
            self._t.tokens[conversation.id] = _digest(token)
            return conversation

    def get_conversation(self, conversation_id: str) -> Conversation:
        if conversation_id not in self._t.conversations:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        return self._t.conversations[conversation_id]

    def lock_conversation(self, conversation_id: str) -> Conversation:
        return self.get_conversation(conversation_id)  # the transaction's lock already excludes writers

    def conversation_token_matches(self, conversation_id: str, token: str) -> bool:
        return self._t.tokens.get(conversation_id) == _digest(token)

    def list_conversations(
        self,
        workspace_id: str,
        *,
        statuses: Iterable[ConversationStatus] | None = None,
        agent_id: str | None = None,
        limit: int = 100,
    ) -> list[Conversation]:
        wanted = {str(s) for s in statuses} if statuses is not None else None
        found = [
            c
            for c in self._t.conversations.values()
            if c.workspace_id == workspace_id
            and (wanted is None or str(c.status) in wanted)
            and (agent_id is None or c.assigned_agent_id == agent_id)
        ]
        return sorted(found, key=lambda c: c.updated_at, reverse=True)[:limit]

    def customer_conversations(self, customer_id: str, limit: int = 10) -> list[Conversation]:
        found = [c for c in self._t.conversations.values() if c.customer_id == customer_id]
        found.sort(key=lambda c: c.id)
        found.sort(key=lambda c: c.created_at, reverse=True)
        return found[:limit]

    def _changed(self, conversation: Conversation, **changes: Any) -> Conversation:
        values: dict[str, Any] = {
            k: (tuple(v) if k in _TUPLE_FIELDS and v is not None else v) for k, v in changes.items()
        }
        if "status" in values:
            values["status"] = ConversationStatus(values["status"])
        updated = replace(conversation, **values)
        self._t.conversations[conversation.id] = updated
        return updated

    @staticmethod
    def _wrong_status(conversation: Conversation, expected: list[str]) -> Conflict:
        return Conflict(
            f'Conversation "{conversation.id}" is {conversation.status}'
            + (f" (owned by {conversation.assigned_agent_id})" if conversation.assigned_agent_id else "")
            + f"; it must be {' or '.join(expected)} for this",
            conversation_status=str(conversation.status),
        )

    def transition(
        self,
        conversation_id: str,
        *,
        expected: Iterable[ConversationStatus],
        to: ConversationStatus,
        expected_agent_id: str | None = None,
        **changes: Any,
    ) -> Conversation:
        with self._lock:
            expected_values = [str(x) for x in expected]
            conversation = self.get_conversation(conversation_id)
            if str(conversation.status) not in expected_values or (
                expected_agent_id is not None and conversation.assigned_agent_id != expected_agent_id
            ):
                raise self._wrong_status(conversation, expected_values)
            return self._changed(conversation, status=to, updated_at=utcnow(), **changes)

    def update_conversation(self, conversation_id: str, **changes: Any) -> Conversation:
        with self._lock:
            return self._changed(self.get_conversation(conversation_id), updated_at=utcnow(), **changes)

    def increment_ai_turns(self, conversation_id: str) -> None:
        with self._lock:
            conversation = self.get_conversation(conversation_id)
            self._changed(conversation, ai_turns=conversation.ai_turns + 1, updated_at=utcnow())

    # -- the queue --------------------------------------------------------------------------------
    @staticmethod
    def _queue_key(c: Conversation) -> tuple[Any, ...]:
        due = c.due_at.timestamp() if c.due_at else float("inf")
        return (-c.priority, due, (c.queued_at or c.updated_at).timestamp(), c.id)

    def _queued(self, workspace_id: str) -> list[Conversation]:
        found = [
            c
            for c in self._t.conversations.values()
            if c.workspace_id == workspace_id and c.status == ConversationStatus.QUEUED
        ]
        return sorted(found, key=self._queue_key)

    def queue(self, workspace_id: str, limit: int = 200) -> list[Conversation]:
        return self._queued(workspace_id)[:limit]

    def queued_cases(
        self, workspace_id: str, limit: int = 500, *, after: QueuedCase | None = None
    ) -> list[QueuedCase]:
        rows = self._queued(workspace_id)
        if after is not None:
            mark = self._queue_key(after.conversation)
            rows = [c for c in rows if self._queue_key(c) > mark]
        out = []
        for c in rows[:limit]:
            customer = self._t.customers[c.customer_id]
            out.append(QueuedCase(c, customer.tier, customer.language))
        return out

    def queue_position(self, conversation: Conversation) -> int:
        mark = self._queue_key(conversation)
        ahead = [
            c
            for c in self._queued(conversation.workspace_id)
            if c.id != conversation.id and self._queue_key(c) < mark
        ]
        return len(ahead) + 1

    def workspaces_with_queue(self) -> list[str]:
        return sorted(
            {c.workspace_id for c in self._t.conversations.values() if c.status == ConversationStatus.QUEUED}
        )

    def median_handle_time_s(self, workspace_id: str, *, last: int = 50, at_least: int = 5) -> float | None:
        done = [
            c
            for c in self._t.conversations.values()
            if c.workspace_id == workspace_id
            and c.status == ConversationStatus.RESOLVED
            and c.assigned_agent_id
            and c.assigned_at
            and c.resolved_at
        ]
        done.sort(key=lambda c: c.resolved_at, reverse=True)  # type: ignore[arg-type,return-value]
        spans = [
            s
            for c in done[:last]
            if (s := (c.resolved_at - c.assigned_at).total_seconds()) >= MIN_HANDLE_S  # type: ignore[operator]
        ]
        return statistics.median(spans) if len(spans) >= at_least else None

    def assign_agent(
        self,
        conversation_id: str,
        agent_id: str,
        *,
        expected: Iterable[ConversationStatus],
        capacity: int | None,
        require_online: bool = False,
        **changes: Any,
    ) -> Conversation:
        with self._lock:
            expected_values = [str(x) for x in expected]
            agent = self.get_agent(agent_id)
            if require_online and agent.status != AgentStatus.ONLINE:
                raise Conflict(f"The agent is {agent.status}, not taking conversations", reason="not_online")
            conversation = self.get_conversation(conversation_id)
            if str(conversation.status) not in expected_values:
                raise self._wrong_status(conversation, expected_values)
            if capacity is not None and self._open_count(agent_id) >= capacity:
                raise Conflict(
                    f"The agent is at capacity ({capacity} of {capacity} open conversations)",
                    reason="at_capacity",
                )
            now = utcnow()
            self._t.last_assigned[agent_id] = now
            values = {"assigned_at": now, **changes}
            return self._changed(
                conversation,
                status=ConversationStatus.ASSIGNED,
                assigned_agent_id=AgentId(agent_id),
                updated_at=now,
                **values,
            )

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
for _name, _method in list(vars(MemoryStore).items()):
    if (
        callable(_method)
        and not _name.startswith("_")
        and _name not in ("transaction", "savepoint", "reading")
    ):
        setattr(MemoryStore, _name, _serialised(_method))
