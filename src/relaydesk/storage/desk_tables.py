"""Tables of the people's side of the desk (migration 0010): customer ratings (CSAT), agents'
internal notes, canned replies, and agents' feedback on what the AI proposed. Agents' roles and
the widget's page context are columns on ``agents`` and ``conversations`` (storage/tables.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.storage.tables import Base


class CsatRow(Base):
    """The customer's rating of a conversation: once per conversation, 1 to 5, with a comment."""

    __tablename__ = "csat_ratings"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AgentNoteRow(Base):
    """An internal note on a conversation: agents see it, the customer never does."""

    __tablename__ = "agent_notes"
    __table_args__ = (Index("ix_agent_notes_conversation", "conversation_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CannedReplyRow(Base):
    """A reply a workspace keeps ready for agents to insert."""

    __tablename__ = "canned_replies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedbackRow(Base):
    """An agent's rating of something the AI proposed (a suggested reply, a knowledge passage, a
    similar case, an AI reply), stored with the versions that produced it."""

    __tablename__ = "agent_feedback"
    __table_args__ = (Index("ix_agent_feedback_workspace", "workspace_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    target: Mapped[str] = mapped_column(String(32))
    """``suggested_reply``, ``passage``, ``similar_case`` or ``ai_reply``."""
    target_ref: Mapped[str | None] = mapped_column(String(200))
    rating: Mapped[str] = mapped_column(String(16))
    """``up`` or ``down`` (co-pilot), ``accurate``, ``partly`` or ``wrong`` (AI replies)."""
    note: Mapped[str | None] = mapped_column(Text)
    model_version: Mapped[str | None] = mapped_column(String(200))
    policy_version: Mapped[str | None] = mapped_column(String(200))
    flow_version: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
