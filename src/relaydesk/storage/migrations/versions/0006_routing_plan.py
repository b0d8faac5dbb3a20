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
    # Plain ALTER TABLE ... ADD COLUMN, not a batch operation: on SQLite a batch copies and drops
    # the table, which the foreign keys of existing messages and decisions refuse.
    op.add_column(
        "conversations",
        sa.Column(
            "preferred_skills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
            server_default=sa.text("'[]'"),
        ),
    )
    op.add_column("conversations", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_conversations_due",
        "conversations",
        ["workspace_id", "status", "priority", "due_at"],
        unique=False,
    )
    op.create_index("ix_conversations_status", "conversations", ["status"], unique=False)
    op.add_column("agents", sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True))
    # Conversations already waiting are due now: they keep their place ahead of newer ones.
    op.execute("UPDATE conversations SET due_at = queued_at WHERE status = 'queued' AND due_at IS NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops plain columns in place (3.35+). A batch operation would copy and drop the
        # tables instead, which foreign keys from other tables refuse.
        op.drop_index("ix_conversations_status", table_name="conversations")
        op.drop_index("ix_conversations_due", table_name="conversations")
        for table, column in (
            ("agents", "last_assigned_at"),
            ("conversations", "due_at"),
            ("conversations", "preferred_skills"),
        ):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        return
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("last_assigned_at")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_status")
        batch_op.drop_index("ix_conversations_due")
        batch_op.drop_column("due_at")
        batch_op.drop_column("preferred_skills")
