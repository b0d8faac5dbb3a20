"""Row -> domain object conversion, in one place."""

from __future__ import annotations

from datetime import UTC, datetime

from relaydesk.domain.ids import AgentId, ConversationId, CustomerId, MessageId, WorkspaceId
from relaydesk.domain.models import (
    Agent,
    AgentRole,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Decision,
    Message,
    MessageRole,
    Resolution,
    Workspace,
)
from relaydesk.storage.tables import (
    AgentRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    MessageRow,
    WorkspaceRow,
)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    result = aware(value)
    assert result is not None
    return result


def workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(WorkspaceId(row.id), row.slug, row.name, _aware(row.created_at))


def customer(row: CustomerRow) -> Customer:
    return Customer(
        id=CustomerId(row.id),
        workspace_id=WorkspaceId(row.workspace_id),
        external_id=row.external_id,
        name=row.name,
        email=row.email,
        tier=CustomerTier(row.tier),
        language=row.language,
        attributes=dict(row.attributes or {}),
        created_at=_aware(row.created_at),
    )


def agent(row: AgentRow) -> Agent:
    return Agent(
        id=AgentId(row.id),
        workspace_id=WorkspaceId(row.workspace_id),
        name=row.name,
        email=row.email,
        skills={k: float(v) for k, v in (row.skills or {}).items()},
        languages=tuple(row.languages or ()),
        tier=row.tier,
        capacity=row.capacity,
        status=AgentStatus(row.status),
        created_at=_aware(row.created_at),
        role=AgentRole(row.role or AgentRole.AGENT),
    )


def conversation(row: ConversationRow) -> Conversation:
    return Conversation(
        id=ConversationId(row.id),
        workspace_id=WorkspaceId(row.workspace_id),
        customer_id=CustomerId(row.customer_id),
        channel=Channel(row.channel),
        status=ConversationStatus(row.status),
        subject=row.subject,
        language=row.language,
        assigned_agent_id=AgentId(row.assigned_agent_id) if row.assigned_agent_id else None,
        priority=row.priority,
        required_skills=tuple(row.required_skills or ()),
        escalation_reason=row.escalation_reason,
        ai_turns=row.ai_turns,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        queued_at=aware(row.queued_at),
        assigned_at=aware(row.assigned_at),
        resolved_at=aware(row.resolved_at),
        preferred_skills=tuple(row.preferred_skills or ()),
        due_at=aware(row.due_at),
        flow=row.flow or None,
        page_context=row.page_context or None,
        resolution=Resolution(row.resolution) if row.resolution else None,
        topic=row.topic,
    )


def message(row: MessageRow) -> Message:
    return Message(
        id=MessageId(row.id),
        conversation_id=ConversationId(row.conversation_id),
        role=MessageRole(row.role),
        text=row.text,
        channel=Channel(row.channel),
        created_at=_aware(row.created_at),
        author_id=row.author_id,
        idempotency_key=row.idempotency_key,
        reply_to_id=MessageId(row.reply_to_id) if row.reply_to_id else None,
        metadata=dict(row.meta or {}),
        seq=row.seq,
    )


def decision(row: DecisionRow) -> Decision:
    return Decision(
        id=row.id,
        workspace_id=WorkspaceId(row.workspace_id),
        conversation_id=ConversationId(row.conversation_id) if row.conversation_id else None,
        message_id=MessageId(row.message_id) if row.message_id else None,
        kind=row.kind,
        outcome=row.outcome,
        summary=row.summary,
        inputs=dict(row.inputs or {}),
        reasons=list(row.reasons or []),
        version=row.version,
        latency_ms=row.latency_ms,
        created_at=_aware(row.created_at),
    )
