"""Domain objects: what relaydesk talks about, independent of tables and API payloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from relaydesk.domain.ids import AgentId, ConversationId, CustomerId, MessageId, WorkspaceId


def utcnow() -> datetime:
    """Timezone-aware now; relaydesk never stores naive datetimes."""
    return datetime.now(UTC)


class ConversationStatus(StrEnum):
    WITH_AI = "with_ai"
    """The AI owns the conversation and answers the customer."""
    QUEUED = "queued"
    """Escalated: waiting for a human agent to take it."""
    ASSIGNED = "assigned"
    """A human agent owns it; the AI stays quiet (co-pilot only)."""
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    """The agent replied and waits for the customer; the agent still owns it."""
    RESOLVED = "resolved"
    """Closed. New customer messages are refused; a new conversation is started instead."""


class Resolution(StrEnum):
    """How a conversation closed (``docs/outcomes.md``)."""

    AI_CONFIRMED = "ai_confirmed"
    """The AI settled the request and the customer confirmed it (thanks, goodbye, "that worked")."""
    AI_QUIET = "ai_quiet"
    """The AI settled the request and the customer asked for nothing more within the settle time."""
    AGENT = "agent"
    """A person resolved it."""
    ABANDONED = "abandoned"
    """The customer went quiet before anything was settled: closed, but not resolved."""


RESOLVED_BY_AI = frozenset({Resolution.AI_CONFIRMED, Resolution.AI_QUIET})
REPEAT_CONTACT_WINDOW = timedelta(days=7)
"""A contact by the same customer on the same topic within this time after a resolution is a
repeat contact (the KPIs and the handoff brief)."""


OPEN_STATUSES = frozenset(
    {
        ConversationStatus.WITH_AI,
        ConversationStatus.QUEUED,
        ConversationStatus.ASSIGNED,
        ConversationStatus.WAITING_ON_CUSTOMER,
    }
)
HUMAN_OWNED = frozenset({ConversationStatus.ASSIGNED, ConversationStatus.WAITING_ON_CUSTOMER})


class MessageRole(StrEnum):
    CUSTOMER = "customer"
    """Written by the customer."""
    AI = "ai"
    """Written by relaydesk's AI (a specialist or the knowledge composer)."""
    AGENT = "agent"
    """Written by a human agent."""
    SYSTEM = "system"
    """A notice from the system itself (queued, assigned, resolved)."""


class Channel(StrEnum):
    WEB = "web"
    """The web chat widget (WebSocket or REST)."""
    API = "api"
    """A direct REST integration."""
    EMAIL = "email"
    """Inbound e-mail."""
    WEBHOOK = "webhook"
    """A message relayed by another system's webhook."""


class AgentStatus(StrEnum):
    ONLINE = "online"
    """Available for new conversations."""
    AWAY = "away"
    """Signed in but not taking new conversations."""
    OFFLINE = "offline"
    """Not working."""


class AgentRole(StrEnum):
    """What an agent may do beyond working conversations (every role works conversations)."""

    AGENT = "agent"
    """Works conversations: queue, replies, approvals within their authority."""
    SUPERVISOR = "supervisor"
    """An agent who also watches the desk: live queues, every agent's load, KPIs, decisions."""
    ADMIN = "admin"
    """A supervisor who also administers the workspace."""


REPORT_ROLES = frozenset({AgentRole.SUPERVISOR, AgentRole.ADMIN})
"""The roles that may read the desk's reports (the supervisor dashboard)."""


class CustomerTier(StrEnum):
    STANDARD = "standard"
    """Default tier."""
    PREMIUM = "premium"
    """Paying for a better service level."""
    VIP = "vip"
    """Hand-picked customers with the highest service level."""
    ENTERPRISE = "enterprise"
    """A business account with a contract."""


@dataclass(frozen=True, slots=True)
class Workspace:
    id: WorkspaceId
    slug: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Customer:
    id: CustomerId
    workspace_id: WorkspaceId
    external_id: str | None
    name: str | None
    email: str | None
    tier: CustomerTier
    language: str
    attributes: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Agent:
    """A human support agent."""

    id: AgentId
    workspace_id: WorkspaceId
    name: str
    email: str
    skills: dict[str, float]
    """Skill name -> proficiency from 0 to 1."""
    languages: tuple[str, ...]
    tier: int
    """Seniority: 1 = front line, 2 = senior, 3 = expert / supervisor."""
    capacity: int
    """How many conversations the agent can own at once."""
    status: AgentStatus
    created_at: datetime
    role: AgentRole = AgentRole.AGENT
    """What the agent may do beyond working conversations (reports need supervisor or admin)."""


@dataclass(frozen=True, slots=True)
class Conversation:
    id: ConversationId
    workspace_id: WorkspaceId
    customer_id: CustomerId
    channel: Channel
    status: ConversationStatus
    subject: str | None
    language: str | None
    assigned_agent_id: AgentId | None
    priority: int
    """0 = normal; higher is more urgent."""
    required_skills: tuple[str, ...]
    escalation_reason: str | None
    ai_turns: int
    """The AI's replies that have not settled the customer's need yet: a resolved answer or a
    hand-back to the AI starts it at 0, small talk does not count (the turn limit reads it)."""
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None = None
    assigned_at: datetime | None = None
    resolved_at: datetime | None = None
    preferred_skills: tuple[str, ...] = ()
    """Skills the router prefers for this conversation (from what triage read), not required."""
    due_at: datetime | None = None
    """When a person should have taken the conversation, by the routing rules' service level."""
    flow: dict[str, Any] | None = None
    """The specialist flow the conversation is in (``specialists/state.py``), as plain data."""
    page_context: dict[str, Any] | None = None
    """Where the customer wrote from, as the embedding page told it (``services/csat.py``)."""
    resolution: Resolution | None = None
    """How it closed; None while open (``services/outcomes.py``)."""
    topic: str | None = None
    """The first intent triage read with confidence in scope."""


@dataclass(frozen=True, slots=True)
class Message:
    id: MessageId
    conversation_id: ConversationId
    role: MessageRole
    text: str
    channel: Channel
    created_at: datetime
    author_id: str | None = None
    idempotency_key: str | None = None
    reply_to_id: MessageId | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    """Position in the conversation (1, 2, ...) once stored; 0 for a message not read from storage."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the system chose, with what it saw and why. Append-only."""

    id: str
    workspace_id: WorkspaceId
    conversation_id: ConversationId | None
    message_id: MessageId | None
    kind: str
    """What was decided: triage, escalation, response, route, assignment, handback, resolution, ..."""
    outcome: str
    """The choice in one word or short phrase (``escalate``, ``reply``, ``queued``)."""
    summary: str
    """The reason in plain words, for a person reading the audit trail."""
    inputs: dict[str, Any]
    reasons: list[dict[str, Any]]
    version: str
    """Policy, model or component version that made it."""
    latency_ms: float
    created_at: datetime
