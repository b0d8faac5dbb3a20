"""specialist flows: the flow a conversation is in, with its filled slots

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

A conversation carries the state of the specialist flow it is in (which flow and version, the
step, the slots filled, flows set aside for a moment, the tool calls made), written in the same
transaction as the AI's reply, so a handoff brief can show where the flow stopped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # A plain ADD/DROP COLUMN (no table copy: on SQLite a batch copy of ``conversations`` would
    # trip the foreign keys that point at it).
    op.add_column("conversations", sa.Column("flow", JSON, nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE conversations DROP COLUMN flow")
