"""outcomes: how a conversation closed, what it is about, and follow-ups on a durable timer

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

``conversations.resolution`` says how a closed conversation closed (the AI with the customer's
confirmation, the AI after the customer went quiet, a person, or abandoned); ``conversations.topic``
keeps the first intent triage read with confidence (repeat contacts, per-intent reports);
``follow_ups`` holds messages to send later, each sent exactly once by whichever worker's timer
finds it due.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("resolution", sa.String(length=16), nullable=True))
    op.add_column("conversations", sa.Column("topic", sa.String(length=100), nullable=True))
    op.create_index("ix_conversations_started", "conversations", ["workspace_id", "created_at"])
    # conversations closed before this revision were closed by an agent
    op.execute("UPDATE conversations SET resolution = 'agent' WHERE status = 'resolved'")
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("workspace_id", sa.String(length=64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_follow_ups_due", "follow_ups", ["status", "due_at"])
    op.create_index("ix_follow_ups_conversation_id", "follow_ups", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_follow_ups_conversation_id", table_name="follow_ups")
    op.drop_index("ix_follow_ups_due", table_name="follow_ups")
    op.drop_table("follow_ups")
    op.drop_index("ix_conversations_started", table_name="conversations")
    op.drop_column("conversations", "topic")
    op.drop_column("conversations", "resolution")
