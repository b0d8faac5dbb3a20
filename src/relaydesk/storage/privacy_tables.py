"""Personal data kept beside the append-only decision log, so it can be erased (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.storage.tables import Base, JsonType


class DecisionPersonalDataRow(Base):
    """The personal values one decision referred to. The decision itself stores a reference in
    their place (``[email pd0]``); reading the decision puts them back, and erasing a customer
    deletes this row, after which the reference reads as ``[email erased]``. Migration 0013."""

    __tablename__ = "decision_personal_data"

    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    data: Mapped[list[Any]] = mapped_column(JsonType)
    """The values in reference order: ``[email pd0]`` is ``data[0]``."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
