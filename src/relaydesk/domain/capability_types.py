"""What the capabilities hand each other: triage results, escalation decisions, replies, routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from relaydesk.domain.models import Agent, Conversation, Customer, CustomerTier, Message


@dataclass(frozen=True, slots=True)
class Entity:
    """Something named in a message: an order id, an email, an amount."""

    kind: str
    text: str
    start: int
    end: int
    value: Any = None
    """Normalised value: the order id, the lower-cased email, the amount as a float."""
    unit: str | None = None
    """For amounts, the ISO currency code when the message says it (``USD``, ``EUR``)."""


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """A piece of personal data in a message and how it is masked."""

    kind: str
    start: int
    end: int
    mask: str


@dataclass(frozen=True, slots=True)
class TriageResult:
    """Everything the rest of the system needs to know about one customer message."""

    intent: str | None
    confidence: float
    """Calibrated probability that ``intent`` is right (0..1)."""
    in_scope: bool
    """False when the message is outside what the AI was built for."""
    frustration: float
    """0 calm .. 1 very frustrated, read from the conversation, not just this message."""
    urgency: float
    """0 routine .. 1 urgent (deadlines, safety, money at risk)."""
    language: str | None
    entities: tuple[Entity, ...] = ()
    pii: tuple[PiiSpan, ...] = ()
    wants_human: bool = False
    """The customer explicitly asked for a person."""
    reasons: tuple[str, ...] = ()
    """Short phrases that explain the scores (``"asked for a human"``, ``"shouting"``)."""
    embedding: tuple[float, ...] | None = None
    """The message's sentence vector, shared with knowledge retrieval and similar-case search."""
    version: str = "unknown"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_log(self) -> dict[str, Any]:
        """The result as plain data for the decision log (without the vector)."""
        return {
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "in_scope": self.in_scope,
            "frustration": round(self.frustration, 4),
            "urgency": round(self.urgency, 4),
            "language": self.language,
            "wants_human": self.wants_human,
            "entities": [
                {
                    "kind": e.kind,
                    "value": e.value if isinstance(e.value, str | int | float) else None,
                    "unit": e.unit,
                }
                for e in self.entities
            ],
            "pii": [{"kind": p.kind, "start": p.start, "end": p.end} for p in self.pii],
            "reasons": list(self.reasons),
            **({"extra": self.extra} if self.extra else {}),
        }


@dataclass(frozen=True, slots=True)
class ConversationContext:
    """What a capability may read about the conversation a message belongs to."""

    conversation: Conversation
    customer: Customer
    history: tuple[Message, ...]
    """Earlier messages, oldest first, not including the current one."""
    now_ts: float = 0.0


class EscalationMode(StrEnum):
    HARD = "hard"
    """The AI steps back entirely; a human owns the conversation."""
    SOFT = "soft"
    """A human owns it, the AI stays on as the agent's co-pilot."""


@dataclass(frozen=True, slots=True)
class FiredRule:
    """One trigger that fired, with the values it saw."""

    rule: str
    family: str
    """explicit, implicit, policy, time_turns"""
    reason: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EscalationDecision:
    escalate: bool
    reason: str
    """Plain words: why a human is (or is not) brought in."""
    fired: tuple[FiredRule, ...] = ()
    priority: int = 0
    required_skills: tuple[str, ...] = ()
    mode: EscalationMode = EscalationMode.HARD
    offer_only: bool = False
    """True when the AI should offer a human rather than hand over at once."""
    version: str = "unknown"
    declined_person: bool = False
    """The customer turned down the offer of a person: nothing but their own request brings one."""


class ReplyAction(StrEnum):
    SEND = "send"
    """Send the AI's reply (followed by the offer of a person when the verdict carries one)."""
    OFFER_INSTEAD = "offer_instead"
    """The reply is only a last resort: offer the customer a person instead of sending it."""
    ESCALATE = "escalate"
    """The reply would not answer (the knowledge base has nothing): a person takes over."""


@dataclass(frozen=True, slots=True)
class ReplyVerdict:
    """The escalation policy's word on the reply the AI proposes for a message."""

    action: ReplyAction
    offer: EscalationDecision | None = None
    """With SEND: offer a person after the reply. With OFFER_INSTEAD: the offer to make."""
    escalation: EscalationDecision | None = None
    """With ESCALATE: the decision to hand over."""
    withdrawn: EscalationDecision | None = None
    """An offer the reply made needless (it answered what triage doubted), logged as withdrawn."""


@dataclass(frozen=True, slots=True)
class Citation:
    title: str
    url: str | None
    snippet: str


@dataclass(frozen=True, slots=True)
class ResponderReply:
    """What a responder (knowledge, a specialist, the fallback) proposes to say."""

    text: str | None
    """None when the responder abstains."""
    responder: str
    resolved: bool = False
    """True when the customer's need is met (counts toward containment)."""
    confidence: float = 0.0
    citations: tuple[Citation, ...] = ()
    abstain_reason: str | None = None
    """When it abstains: why, e.g. ``missing knowledge``; this can trigger escalation."""
    reasons: tuple[str, ...] = ()
    version: str = "unknown"
    flow_state: dict[str, Any] | None = None
    """A specialist flow's new state, stored on the conversation with the reply (None: unchanged)."""
    progressed: bool = False
    """The reply moved a flow on (filled a slot, acted): not a turn that failed to help."""
    handoff_reason: str | None = None
    """Set when the responder asks for a person after its reply (a flow that could not finish)."""
    asks: str | None = None
    """What the reply asks the customer for (``confirm``, ``order_id``, ``items``...), if anything."""
    flow: str | None = None
    """``name@version`` of the flow that replied."""
    act: str | None = None
    """A social reply's act (``greeting``, ``thanks``, ``off_topic``, ``offer_declined``...)."""
    follow_up: tuple[str, int] | None = None
    """A message to send the customer later, and in how many seconds (scheduled with the reply)."""


@dataclass(frozen=True, slots=True)
class RouteRequest:
    conversation: Conversation
    customer: Customer
    required_skills: tuple[str, ...]
    language: str | None
    priority: int
    reason: str
    preferred_skills: tuple[str, ...] = ()
    queued_ahead: int = 0
    """Conversations ahead of this one in the queue."""
    handle_time_s: float | None = None
    """What a conversation takes an agent in this workspace (median of recent ones), if measured."""


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """What the router asks of a conversation it queues: preferred skills and when it is due."""

    preferred_skills: tuple[str, ...] = ()
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QueuedCase:
    """A queued conversation with what the router needs to know of its customer."""

    conversation: Conversation
    customer_tier: CustomerTier
    customer_language: str | None = None
    """The customer's language, for a conversation whose own language triage has not read yet."""


@dataclass(frozen=True, slots=True)
class RouteDecision:
    queue: str
    agent: Agent | None
    """An agent to offer the conversation to now, or None to leave it in the queue."""
    reason: str
    estimated_wait_s: float | None = None
    scores: dict[str, float] = field(default_factory=dict)
    version: str = "unknown"
    candidates: tuple[str, ...] = ()
    """Ids of every agent who may take it now, best first (``agent`` is the first)."""
