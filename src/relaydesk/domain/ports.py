"""Ports: the Protocols that capabilities and edges implement. The core depends only on these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import numpy as np

from relaydesk.domain.capability_types import (
    ConversationContext,
    EscalationDecision,
    QueuedCase,
    ReplyVerdict,
    ResponderReply,
    RouteDecision,
    RoutePlan,
    RouteRequest,
    TriageResult,
)
from relaydesk.domain.events import ConversationEvent
from relaydesk.domain.models import (
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
)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised sentence vectors (one row per text)."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Triage(Protocol):
    """Reads one customer message in its conversation and says what it is."""

    version: str

    def analyze(self, text: str, context: ConversationContext) -> TriageResult: ...


class EscalationPolicy(Protocol):
    """Decides whether a human must take over after this message."""

    version: str

    def evaluate(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> EscalationDecision: ...

    def review_reply(
        self, decision: EscalationDecision, reply: ResponderReply, abstained: Sequence[ResponderReply]
    ) -> ReplyVerdict:
        """Given ``evaluate``'s decision (no escalation, or an offer) and the reply the AI
        proposes: send it, offer a person instead, or escalate (nothing in the knowledge base)."""
        ...


class Responder(Protocol):
    """Proposes the AI's reply to a message, or abstains with a reason."""

    name: str

    def respond(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> ResponderReply: ...


@dataclass(frozen=True, slots=True)
class AgentLoad:
    """An agent with how many open conversations they own right now."""

    agent: Agent
    open_conversations: int
    last_assigned_at: datetime | None = None
    """When the agent was last given a conversation (None: never)."""


class Router(Protocol):
    """Chooses the queue and, when one fits, the agent for an escalated conversation; and which
    queued conversation an agent who can take one should get next."""

    version: str
    auto_assign: bool
    """Give queued conversations to agents as soon as they can take one."""

    def plan(self, *, intent: str | None, tier: CustomerTier, priority: int, now: datetime) -> RoutePlan: ...

    def route(self, request: RouteRequest, agents: Sequence[AgentLoad]) -> RouteDecision: ...

    def rank(self, agent: AgentLoad, queued: Sequence[QueuedCase], now: datetime) -> list[QueuedCase]:
        """The queued conversations ``agent`` may take, best first."""
        ...


EventHandler = Callable[[ConversationEvent], Any]


class EventPublisher(Protocol):
    """Where use cases publish events (``services.outbox.EventOutbox``: after their commit)."""

    def publish(self, event: ConversationEvent) -> None: ...


class EventBus(Protocol):
    """Fans conversation events out to subscribers (WebSockets, webhooks, metrics)."""

    def publish(self, event: ConversationEvent) -> None: ...

    def subscribe(self, handler: EventHandler, *, conversation_id: str | None = None) -> Callable[[], None]:
        """Register a handler for every event, or for one conversation's events only; returns a
        function that unsubscribes."""
        ...


@dataclass(frozen=True, slots=True)
class CaseVector:
    """A conversation's stored place in similar-case search."""

    conversation_id: str
    vector: np.ndarray
    """The sum of the unit sentence vectors of the requests counted so far (not normalised)."""
    messages: int
    intent: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What an agent is shown about a past conversation found by similar-case search (unmasked;
    the finder masks personal data before it leaves)."""

    conversation_id: str
    customer_id: str
    status: str
    subject: str | None
    request: str
    """The first customer message counted as a request (else the first customer message)."""
    escalation_reason: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    """The name of the agent who resolved it."""
    resolution_note: str | None
    agent_reply: str | None = None
    """The last substantial reply a person wrote to the customer (six words or more)."""


class CaseVectors(Protocol):
    """Storage for similar-case search (``storage.case_store.SqlCaseStore``)."""

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
        """Add the vector of message ``seq`` to the conversation's sum. False when the sum already
        holds ``max_messages`` or a message at or after ``seq`` (a message handled twice counts
        once). A sum made with another model or width is started afresh."""
        ...

    def case_vectors(
        self, workspace_id: str, model_id: str, dimension: int, *, updated_since: datetime | None = None
    ) -> list[CaseVector]: ...

    def resolved_among(self, conversation_ids: Sequence[str]) -> set[str]:
        """Which of ``conversation_ids`` are resolved."""
        ...

    def case_records(self, conversation_ids: Sequence[str]) -> dict[str, CaseRecord]: ...


# -- store ports: what the use cases need from storage, by record type ---------------------------
# ``storage.store.SqlStore`` implements them on SQLite and PostgreSQL, and
# ``relaydesk.testing.MemoryStore`` in memory; tests/storage/test_store_contract.py runs the same
# contract on all three. Services are typed against ``SupportStore``.


class Transaction(Protocol):
    """An open transaction that every store call of the same thread joins."""

    state: dict[str, Any]
    """Scratch space for the layers above for the life of the transaction."""

    def before_commit(self, callback: Callable[[], None]) -> None: ...

    def after_commit(self, callback: Callable[[], None]) -> None: ...


class Transactions(Protocol):
    def transaction(self) -> AbstractContextManager[Transaction]:
        """One transaction for a whole use case; re-entrant; all of it commits or none of it."""
        ...

    def current_transaction(self) -> Transaction | None: ...

    def reading(self) -> AbstractContextManager[None]:
        """Several reads in one consistent snapshot (one read transaction instead of one each)."""
        ...

    @property
    def in_transaction(self) -> bool: ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A part of the open transaction that may fail alone (its writes undone, error raised)."""
        ...


class WorkspaceStore(Protocol):
    def create_workspace(self, slug: str, name: str) -> Workspace: ...

    def workspace_by_slug(self, slug: str) -> Workspace: ...

    def get_workspace(self, workspace_id: str) -> Workspace: ...


class CustomerStore(Protocol):
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
        """``keep_existing``: an existing record is returned as it is (a customer's own claim never
        rewrites what the company recorded: name, e-mail, tier, attributes)."""
        ...

    def get_customer(self, customer_id: str) -> Customer: ...

    def customer_by_external_id(self, workspace_id: str, external_id: str) -> Customer | None: ...


class AgentStore(Protocol):
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
    ) -> Agent: ...

    def agent_by_api_key(self, api_key: str) -> Agent | None: ...

    def get_agent(self, agent_id: str) -> Agent: ...

    def list_agents(self, workspace_id: str) -> list[Agent]: ...

    def set_agent_status(self, agent_id: str, status: AgentStatus) -> Agent: ...

    def lock_agent(self, agent_id: str) -> Agent:
        """Read the agent and hold them until the transaction ends (agent before conversation)."""
        ...

    def agent_load(self, agent_id: str) -> AgentLoad: ...

    def agent_loads(self, workspace_id: str) -> list[AgentLoad]: ...


class ConversationStore(Protocol):
    def create_conversation(
        self,
        workspace_id: str,
        customer_id: str,
        *,
        token: str,
        channel: Channel,
        subject: str | None = None,
        language: str | None = None,
    ) -> Conversation: ...

    def get_conversation(self, conversation_id: str) -> Conversation: ...

    def lock_conversation(self, conversation_id: str) -> Conversation:
        """Read it and hold it against other writers until the transaction ends."""
        ...

    def conversation_token_matches(self, conversation_id: str, token: str) -> bool: ...

    def list_conversations(
        self,
        workspace_id: str,
        *,
        statuses: Iterable[ConversationStatus] | None = None,
        agent_id: str | None = None,
        limit: int = 100,
    ) -> list[Conversation]: ...

    def customer_conversations(self, customer_id: str, limit: int = 10) -> list[Conversation]: ...

    def quiet_conversations(self, before: datetime, *, limit: int = 200) -> list[str]: ...

    def transition(
        self,
        conversation_id: str,
        *,
        expected: Iterable[ConversationStatus],
        to: ConversationStatus,
        expected_agent_id: str | None = None,
        **changes: Any,
    ) -> Conversation:
        """Compare-and-set of the status; Conflict when it is not one of ``expected``."""
        ...

    def update_conversation(self, conversation_id: str, **changes: Any) -> Conversation: ...

    def increment_ai_turns(self, conversation_id: str) -> None: ...


class QueueStore(Protocol):
    """Reads and writes of the routing queue and assignment."""

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
        """Exactly-once, capacity-safe assignment; Conflict (reason at_capacity, not_online, or
        the status) when refused."""
        ...

    def queue(self, workspace_id: str, limit: int = 200) -> list[Conversation]: ...

    def queued_cases(
        self, workspace_id: str, limit: int = 500, *, after: QueuedCase | None = None
    ) -> list[QueuedCase]: ...

    def queue_position(self, conversation: Conversation) -> int: ...

    def workspaces_with_queue(self) -> list[str]: ...

    def median_handle_time_s(
        self, workspace_id: str, *, last: int = 50, at_least: int = 5
    ) -> float | None: ...


class MessageStore(Protocol):
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
        """Store at the next position (unique); ``(first message, False)`` for a used key."""
        ...

    def message_by_idempotency_key(self, conversation_id: str, key: str) -> Message | None: ...

    def get_message(self, message_id: str) -> Message: ...

    def messages(self, conversation_id: str, *, after_seq: int = 0, limit: int = 1000) -> list[Message]: ...

    def recent_messages(self, conversation_id: str, *, limit: int = 1000) -> list[Message]:
        """The latest ``limit`` messages, oldest first: what a turn, a brief or a timer reads of
        a conversation however long it has grown."""
        ...

    def replies_to(self, message_id: str) -> list[Message]: ...

    def mark_handled(self, message_id: str) -> None: ...

    def message_handled(self, message_id: str) -> bool: ...

    def message_lease(self, message_id: str) -> tuple[datetime | None, datetime | None]: ...

    def claim_message(
        self, message_id: str, owner: str, lease_s: float, *, backoff_cap_s: float = 300.0
    ) -> bool:
        """Take an unhandled message whose lease ended; exactly one of many claimers wins."""
        ...

    def message_attempts(self, message_id: str) -> int: ...

    def stranded_customer_messages(self, limit: int = 100) -> list[Message]: ...


class DecisionLog(Protocol):
    """Appends to the decision log (what governance needs)."""

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
    ) -> Decision: ...


class DecisionStore(DecisionLog, Protocol):
    """The decision log, written and read."""

    def decisions(self, conversation_id: str) -> list[Decision]: ...


class OutboxStore(Protocol):
    def add_outbox_events(self, events: Sequence[dict[str, Any]]) -> list[str]: ...

    def delete_outbox_events(self, ids: Sequence[str]) -> None: ...

    def claim_outbox_events(
        self, *, older_than_s: float, claim_s: float, limit: int = 200
    ) -> list[tuple[str, dict[str, Any]]]: ...


class SupportStore(
    Transactions,
    WorkspaceStore,
    CustomerStore,
    AgentStore,
    ConversationStore,
    QueueStore,
    MessageStore,
    DecisionStore,
    OutboxStore,
    Protocol,
):
    """Everything the conversation use cases need from storage."""
