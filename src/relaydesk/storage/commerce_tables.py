"""Tables of governance (approvals) and of the demo store (customers, orders, products). Migration 0003
(approvals' assignment: 0009)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.storage.tables import Base, JsonType


class CommerceUserRow(Base):
    """A customer of the demo store (a "user" in the tau-retail data)."""

    __tablename__ = "commerce_users"
    __table_args__ = (Index("ix_commerce_users_name_zip", "first_name", "last_name", "zip"),)

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(320), index=True)
    zip: Mapped[str] = mapped_column(String(20))
    address: Mapped[dict[str, Any]] = mapped_column(JsonType)
    payment_methods: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    order_ids: Mapped[list[str]] = mapped_column(JsonType)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class CommerceOrderRow(Base):
    __tablename__ = "commerce_orders"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("commerce_users.id"), index=True)
    status: Mapped[str] = mapped_column(String(40))
    address: Mapped[dict[str, Any]] = mapped_column(JsonType)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    fulfillments: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    payments: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class CommerceProductRow(Base):
    __tablename__ = "commerce_products"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    variants: Mapped[dict[str, Any]] = mapped_column(JsonType)


class CommerceItemRow(Base):
    """Which product each item (variant) id belongs to."""

    __tablename__ = "commerce_items"

    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("commerce_products.id"), index=True)


class ApprovalRow(Base):
    """A tool call held until an agent with authority approves or denies it."""

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_queue", "workspace_id", "status", "created_at"),
        Index("ix_approvals_assigned", "assigned_agent_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    tool: Mapped[str] = mapped_column(String(100))
    args: Mapped[dict[str, Any]] = mapped_column(JsonType)
    facts: Mapped[dict[str, Any]] = mapped_column(JsonType)
    authenticated_user_id: Mapped[str | None] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float)
    approver_tier: Mapped[int] = mapped_column(Integer)
    policy_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    note: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    assigned_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    """Migration 0009: the agent the approval was offered to, and by when they should decide."""
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
