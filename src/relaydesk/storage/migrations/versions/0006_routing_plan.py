"""routing: each queued conversation's preferred skills and service-level due time; when each
agent was last given a conversation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

The skill router records, when it queues a conversation, the skills it prefers for it (from what
triage read) and when a person should have taken it (the routing rules' service level).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "preferred_skills",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_conversations_due", ["workspace_id", "status", "priority", "due_at"], unique=False
        )

    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True))
    # Conversations already waiting are due now: they keep their place ahead of newer ones.
    op.execute("UPDATE conversations SET due_at = queued_at WHERE status = 'queued' AND due_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("last_assigned_at")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_due")
        batch_op.drop_column("due_at")
        batch_op.drop_column("preferred_skills")
