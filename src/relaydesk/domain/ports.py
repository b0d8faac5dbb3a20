"""Ports: the Protocols that capabilities and edges implement. The core depends only on these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from relaydesk.domain.models import Agent, CustomerTier, Message


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


class EventBus(Protocol):
    """Fans conversation events out to subscribers (WebSockets, webhooks, metrics)."""

    def publish(self, event: ConversationEvent) -> None: ...

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        """Register a handler for every event; returns a function that unsubscribes."""
        ...


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One turn of a chat-completion request."""

    role: str
    """``system``, ``user`` or ``assistant``."""
    content: str


class LLM(Protocol):
    """A chat-completion language model (an OpenAI-compatible endpoint, or ``ScriptedLLM`` in tests).

    Implementations raise a ``RelaydeskError`` when the model cannot be reached or answers badly;
    callers fall back to what works without a model.
    """

    model: str

    def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> str: ...


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
