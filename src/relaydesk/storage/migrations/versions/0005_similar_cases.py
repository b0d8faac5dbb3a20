"""similar-case search: one vector per conversation (issue 3)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

The sentence vectors triage computes for a conversation's first requests, summed, so agents can
find past conversations like the one in front of them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_vectors",
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("request_seq", sa.Integer(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_case_vectors_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_case_vectors")),
    )
    with op.batch_alter_table("case_vectors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_vectors_workspace", ["workspace_id", "model_id", "dimension", "updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_vectors", schema=None) as batch_op:
        batch_op.drop_index("ix_case_vectors_workspace")
    op.drop_table("case_vectors")
