"""approvals go to an agent with the authority: who it was offered to, and by when

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

An approval task is offered to one online agent who holds the authority it needs
(``assigned_agent_id``), with its own service level (``due_at``); the routing sweep offers it
again when it is overdue or was left unassigned.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FK_NAME = "fk_approvals_assigned_agent_id_agents"


def upgrade() -> None:
    # Plain ADD COLUMN, no table copy (on SQLite a batch copy trips the foreign keys that point at
    # the table); SQLite takes the foreign key inline, PostgreSQL as a named constraint.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE approvals ADD COLUMN assigned_agent_id VARCHAR(64) REFERENCES agents (id)")
    else:
        op.add_column("approvals", sa.Column("assigned_agent_id", sa.String(length=64), nullable=True))
        op.create_foreign_key(FK_NAME, "approvals", "agents", ["assigned_agent_id"], ["id"])
    op.add_column("approvals", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_approvals_assigned", "approvals", ["assigned_agent_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_approvals_assigned", table_name="approvals")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that is in a foreign key: copy the table (no other table
        # points at ``approvals``, so the copy is safe with foreign keys on).
        with op.batch_alter_table("approvals", recreate="always") as batch:
            batch.drop_column("due_at")
            batch.drop_column("assigned_agent_id")
        return
    op.drop_constraint(FK_NAME, "approvals", type_="foreignkey")
    op.drop_column("approvals", "due_at")
    op.drop_column("approvals", "assigned_agent_id")
