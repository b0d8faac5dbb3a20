"""Table rows. One shape per table; domain objects and API schemas are separate shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id", name="uq_customers_external"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    tier: Mapped[str] = mapped_column(String(32), default="standard")
    language: Mapped[str] = mapped_column(String(16), default="en")
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AgentRow(Base):
    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("workspace_id", "email", name="uq_agents_email"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    skills: Mapped[dict[str, float]] = mapped_column(JsonType, default=dict)
    languages: Mapped[list[str]] = mapped_column(JsonType, default=list)
    tier: Mapped[int] = mapped_column(Integer, default=1)
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(16), default="online")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(16), default="agent", server_default="agent")
    """``agent``, ``supervisor`` (sees the whole desk) or ``admin`` (also manages it). Migration 0010."""


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_queue", "workspace_id", "status", "priority", "queued_at"),
        Index("ix_conversations_due", "workspace_id", "status", "priority", "due_at"),
        Index("ix_conversations_status", "status"),
        Index("ix_conversations_started", "workspace_id", "created_at"),
        Index("ix_conversations_contacts", "workspace_id", "customer_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    customer_token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(16))
    assigned_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    required_skills: Mapped[list[str]] = mapped_column(JsonType, default=list)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    ai_turns: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    preferred_skills: Mapped[list[str]] = mapped_column(JsonType, default=list, server_default=text("'[]'"))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flow: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    page_context: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    """What the embedding page passed (the page the customer is on, attributes the site signed). 0010."""
    resolution: Mapped[str | None] = mapped_column(String(16))
    """How it closed (``domain.models.Resolution``): ``ai_confirmed``, ``ai_quiet``, ``agent`` or
    ``abandoned``; NULL while open. Migration 0011."""
    topic: Mapped[str | None] = mapped_column(String(100))
    """The first intent triage read with confidence in scope: what the conversation is about
    (repeat contacts and per-intent reports). 0011."""
    first_customer_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the customer first wrote (NULL: no contact yet); kept by the message store. 0012."""
    first_ai_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ai_messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Messages the AI wrote here (the cost KPI)."""


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "idempotency_key", name="uq_messages_idempotency"),
        Index("uq_messages_conversation_seq", "conversation_id", "seq", unique=True),
        Index(
            "ix_messages_unhandled",
            "created_at",
            sqlite_where=text("handled_at IS NULL"),
            postgresql_where=text("handled_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, autoincrement=False)
    """Position in the conversation (1, 2, ...), so history order never depends on clocks."""
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    role: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    reply_to_id: Mapped[str | None] = mapped_column(String(64), index=True)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JsonType, default=dict)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the orchestrator finished with a customer message; NULL means it must be (re)handled."""
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    """The worker handling an unhandled customer message; nobody else takes it until the lease ends."""
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many times handling began; each retry of a stranded message waits longer (backoff)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """The append-only decision log. Database triggers refuse UPDATE and DELETE."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_conversation", "conversation_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    inputs: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    reasons: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    version: Mapped[str] = mapped_column(String(100))
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseVectorRow(Base):
    """One conversation's place in similar-case search: the sum of the sentence vectors of the
    customer's first requests, kept per embedding model so a model change never mixes spaces."""

    __tablename__ = "case_vectors"
    __table_args__ = (
        Index("ix_case_vectors_workspace", "workspace_id", "model_id", "dimension", "updated_at"),
    )

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64))
    model_id: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """Little-endian float32 sum of unit vectors; search normalises it."""
    messages: Mapped[int] = mapped_column(Integer, default=0)
    """How many customer messages the sum holds."""
    request_seq: Mapped[int | None] = mapped_column(Integer)
    """``seq`` of the first message counted: the request an agent is shown."""
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    """``seq`` of the last message counted, so a message handled twice is counted once."""
    intent: Mapped[str | None] = mapped_column(String(100))
    """Triage's intent for the first message counted, when triage was confident and in scope."""
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """Events written in the transaction that caused them and published after it commits; a row
    left behind (a crash, the bus down) is published later by the outbox relay."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """While a relay publishes a left-behind row, no other relay takes it."""
