"""The records half of ``MemoryStore``: workspaces, customers, agents, conversations and the
routing queue, kept as frozen domain objects in plain dicts (a copy of the dicts is a snapshot)."""

from __future__ import annotations

import hashlib
import statistics
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from relaydesk.domain.capability_types import QueuedCase
from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.ids import AgentId, ConversationId, CustomerId, WorkspaceId, new_id
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


class MemoryRecords:
    """Workspaces, customers, agents, conversations and the queue, in memory."""

    def __init__(self) -> None:
        self._t = _Tables()
        self._lock = threading.RLock()

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
        keep_existing: bool = False,
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
            if found is not None and keep_existing:
                return found
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

    def customer_by_external_id(self, workspace_id: str, external_id: str) -> Customer | None:
        return next(
            (
                c
                for c in self._t.customers.values()
                if c.workspace_id == workspace_id and c.external_id == external_id
            ),
            None,
        )

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

    def quiet_conversations(self, before: datetime, *, limit: int = 200) -> list[str]:
        found = []
        for c in sorted(self._t.conversations.values(), key=lambda c: c.updated_at):
            if c.status != ConversationStatus.WITH_AI or c.updated_at >= before:
                continue
            mine = [
                m for m in self._t.messages.values() if m.conversation_id == c.id and m.role == "customer"
            ]
            if mine and all(self._t.deliveries[m.id].handled_at is not None for m in mine):
                found.append(str(c.id))
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
