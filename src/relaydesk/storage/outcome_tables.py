"""Tables of outcomes (migration 0011): follow-ups on a durable timer. How a conversation closed
and what it is about are columns on ``conversations`` (``resolution``, ``topic``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.storage.tables import Base


class FollowUpRow(Base):
    """A message to send the customer later ("is the parcel there?"). The timer that sends it is
    the table itself: any worker's sweep sends a due row, and a compare-and-set on ``status`` in the
    transaction that stores the message makes it go out exactly once."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "status", "due_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(16))
    """``agent``, ``flow`` or ``specialist``."""
    author_id: Mapped[str | None] = mapped_column(String(100))
    """The agent's id, or the flow's or specialist's name."""
    status: Mapped[str] = mapped_column(String(16))
    """``scheduled``, ``sent`` or ``cancelled``."""
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[str | None] = mapped_column(String(64))
    """The message it became."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
