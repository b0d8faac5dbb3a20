"""API payloads: the third shape, separate from domain objects and table rows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationInfo, field_validator

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCase
    from relaydesk.handoff.brief import HandoffBrief
    from relaydesk.services.desk import QueueItem

from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    CustomerTier,
    Decision,
    Message,
    MessageRole,
)
from relaydesk.services.payloads import (
    conversation_payload,
    message_payload,
    public_conversation,
    public_message,
)


def _no_nul(value: Any, where: str = "") -> Any:
    """Refuse NUL characters anywhere in a payload: no database stores them in text."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(f"{where or 'text'} must not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key, where)
            _no_nul(item, where)
    if isinstance(value, list | tuple):
        for item in value:
            _no_nul(item, where)
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any, info: ValidationInfo) -> Any:
        return _no_nul(value, info.field_name or "")


class CustomerIn(Strict):
    external_id: str | None = Field(None, max_length=200)
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)
    tier: CustomerTier = CustomerTier.STANDARD
    language: str = Field("en", min_length=2, max_length=16)
    attributes: dict[str, Any] = Field(default_factory=dict)
    signature: str | None = Field(
        None,
        max_length=128,
        description="With external_id: hex HMAC-SHA256 of external_id keyed with the desk's signing secret "
        "(see docs/api.md); the chat takes no external_id without it",
    )


class StartConversationIn(Strict):
    workspace: str = Field(..., min_length=1, max_length=64, description="The workspace slug")
    channel: Channel = Channel.WEB
    subject: str | None = Field(None, max_length=300)
    customer: CustomerIn = Field(default_factory=CustomerIn)  # type: ignore[arg-type]


class MessageIn(Strict):
    text: StrictStr = Field(..., description="The message text (non-empty)")
    idempotency_key: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Re-posting with the same key returns the first result and stores nothing twice "
        "(the Idempotency-Key header works too)",
    )


class AgentTextIn(Strict):
    text: StrictStr


class AgentStatusIn(Strict):
    status: AgentStatus


class NoteIn(Strict):
    note: str | None = Field(None, max_length=2000)


class MessageOut(BaseModel):
    id: str
    conversation_id: str
    seq: int = Field(description="Position in the conversation (1, 2, ...); unique, so ?after=N pages safely")
    role: MessageRole
    text: str
    channel: Channel
    author_id: str | None
    reply_to_id: str | None
    created_at: datetime
    metadata: dict[str, Any]

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        return cls.model_validate(message_payload(m))


class ConversationOut(BaseModel):
    id: str
    workspace_id: str
    customer_id: str
    channel: Channel
    status: ConversationStatus
    subject: str | None
    language: str | None
    assigned_agent_id: str | None
    priority: int
    required_skills: list[str]
    escalation_reason: str | None
    ai_turns: int
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    assigned_at: datetime | None
    resolved_at: datetime | None
    preferred_skills: list[str] = []
    due_at: datetime | None = None
    """When a person should have taken the conversation (routing rules' service level)."""
    resolution: str | None = None
    """How it closed: ``ai_confirmed``, ``ai_quiet``, ``agent`` or ``abandoned`` (docs/outcomes.md)."""
    topic: str | None = None
    """What it is about: the first intent triage read with confidence."""

    @classmethod
    def of(cls, c: Conversation) -> ConversationOut:
        return cls.model_validate(conversation_payload(c))


class QueueItemOut(ConversationOut):
    """A conversation as the agent console lists it."""

    customer_name: str | None = None
    customer_external_id: str | None = Field(
        None,
        description="For a customer without a name: the id the company's site knows them by "
        "(null for an anonymous visitor)",
    )
    first_request: str | None = Field(None, description="The customer's first message, masked and cut short")
    waiting_s: float | None = Field(None, description="Seconds since it was queued (queued conversations)")

    @classmethod
    def of_item(cls, item: QueueItem) -> QueueItemOut:
        return cls.model_validate(
            {
                **conversation_payload(item.conversation),
                "customer_name": item.customer_name,
                "customer_external_id": None if item.customer_name else item.customer_external_id,
                "first_request": item.first_request,
                "waiting_s": item.waiting_s,
            }
        )


class CustomerMessageOut(MessageOut):
    """A message as the conversation's customer sees it: public metadata only (what the widget
    needs: the event, place in line, who took it, the articles an answer quotes)."""

    @classmethod
    def of(cls, m: Message) -> CustomerMessageOut:
        return cls.model_validate(public_message(message_payload(m)))


class CustomerConversationOut(BaseModel):
    """A conversation as its customer sees it: its public state, never the desk's internals
    (escalation reasons, priority, skills, scores, topic)."""

    id: str
    workspace_id: str
    customer_id: str
    channel: Channel
    status: ConversationStatus
    subject: str | None
    language: str | None
    assigned_agent_id: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    resolution: str | None = None
    """How it closed: ``ai_confirmed``, ``ai_quiet``, ``agent`` or ``abandoned``."""
    position: int | None = Field(
        None,
        description="Place in line while queued for a person, as it is now (1: next); null otherwise",
    )

    @classmethod
    def of(cls, c: Conversation, position: int | None = None) -> CustomerConversationOut:
        payload = public_conversation(conversation_payload(c))
        queued = c.status == ConversationStatus.QUEUED
        return cls.model_validate({**payload, "position": position if queued else None})


class StartedConversationOut(BaseModel):
    conversation: CustomerConversationOut
    token: str = Field(description="Send as X-Conversation-Token; shown once")
    stream_url: str


class PostedMessageOut(BaseModel):
    message: CustomerMessageOut
    replies: list[CustomerMessageOut]
    conversation: CustomerConversationOut
    replayed: bool = Field(description="True when the idempotency key had been seen: nothing new stored")
    answer_pending: bool = Field(
        False,
        description="True when the message is stored but its answer is not ready yet; it follows on the "
        "conversation's stream (and in its history)",
    )


class AgentOut(BaseModel):
    id: str
    workspace_id: str
    name: str
    email: str
    skills: dict[str, float]
    languages: list[str]
    tier: int
    capacity: int
    status: str
    role: str = "agent"
    """agent, supervisor or admin (what the console offers beyond working one's own conversations)."""

    @classmethod
    def of(cls, a: Agent) -> AgentOut:
        return cls(
            id=a.id,
            workspace_id=a.workspace_id,
            name=a.name,
            email=a.email,
            skills=a.skills,
            languages=list(a.languages),
            tier=a.tier,
            capacity=a.capacity,
            status=str(a.status),
            role=str(a.role),
        )


class DecisionOut(BaseModel):
    id: str
    kind: str
    outcome: str
    summary: str
    message_id: str | None
    inputs: dict[str, Any]
    reasons: list[Any]
    version: str
    latency_ms: float
    created_at: datetime

    @classmethod
    def of(cls, d: Decision) -> DecisionOut:
        return cls(
            id=d.id,
            kind=d.kind,
            outcome=d.outcome,
            summary=d.summary,
            message_id=d.message_id,
            inputs=d.inputs,
            reasons=d.reasons,
            version=d.version,
            latency_ms=d.latency_ms,
            created_at=d.created_at,
        )


class CaseSearchIn(Strict):
    text: StrictStr = Field(..., min_length=1, max_length=2000)
    limit: int = Field(5, ge=1, le=50)


class SimilarCaseOut(BaseModel):
    """A past conversation like the one being searched from; personal data is masked."""

    conversation_id: str
    similarity: float
    status: str
    subject: str | None
    intent: str | None
    request: str
    escalation_reason: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None
    agent_reply: str | None
    same_customer: bool

    @classmethod
    def of(cls, case: SimilarCase) -> SimilarCaseOut:
        return cls(**{name: getattr(case, name) for name in cls.model_fields})


class EntitySeenOut(BaseModel):
    kind: str
    value: str


class AiAnswerOut(BaseModel):
    text: str
    responder: str
    sources: list[str]


class PastConversationOut(BaseModel):
    conversation_id: str
    status: str
    subject: str | None
    created_at: datetime
    escalation_reason: str | None


class HandoffBriefOut(BaseModel):
    """What an agent needs to take over without starting cold; personal data masked."""

    conversation_id: str
    status: str
    summary: str
    customer: dict[str, Any]
    escalation_reason: str | None
    triggers: list[str]
    topics: list[str]
    requests: list[str]
    entities: list[EntitySeenOut]
    frustration: dict[str, Any]
    urgency: dict[str, Any]
    ai_answers: list[AiAnswerOut]
    routing: dict[str, Any]
    past_conversations: list[PastConversationOut]
    similar_cases: list[SimilarCaseOut]
    suggested_reply: str
    transcript: list[dict[str, Any]]
    intake: dict[str, Any] = {}
    flow: dict[str, Any] | None = None
    page: dict[str, Any] = {}
    """Where the customer was when they wrote (the widget's page context)."""

    @classmethod
    def of(cls, brief: HandoffBrief) -> HandoffBriefOut:
        return cls(
            conversation_id=brief.conversation_id,
            status=brief.status,
            summary=brief.summary,
            customer=brief.customer,
            escalation_reason=brief.escalation_reason,
            triggers=list(brief.triggers),
            topics=list(brief.topics),
            requests=list(brief.requests),
            entities=[EntitySeenOut(kind=e.kind, value=e.value) for e in brief.entities],
            frustration=brief.frustration,
            urgency=brief.urgency,
            ai_answers=[
                AiAnswerOut(text=a.text, responder=a.responder, sources=list(a.sources))
                for a in brief.ai_answers
            ],
            routing=brief.routing,
            past_conversations=[
                PastConversationOut(
                    conversation_id=p.conversation_id,
                    status=p.status,
                    subject=p.subject,
                    created_at=p.created_at,
                    escalation_reason=p.escalation_reason,
                )
                for p in brief.past_conversations
            ],
            similar_cases=[SimilarCaseOut.of(c) for c in brief.similar_cases],
            suggested_reply=brief.suggested_reply,
            intake=brief.intake,
            flow=brief.flow,
            page=brief.page,
            transcript=list(brief.transcript),
        )


class ConversationDetailOut(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]
