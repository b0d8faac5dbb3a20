"""personal data out of the append-only decision log: the values a decision refers to, erasable

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

A decision stores a reference (``[email pd0]``) in place of each piece of personal data; the values
live here, one row per decision, and are deleted when a customer's data is erased on request
(``relaydesk customer erase``). Decisions written before this revision are left as they were: the
log refuses UPDATE (docs/privacy.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "decision_personal_data",
        sa.Column("decision_id", sa.String(64), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("data", json_type, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("decision_id", name="pk_decision_personal_data"),
    )
    op.create_index(
        "ix_decision_personal_data_conversation_id", "decision_personal_data", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_decision_personal_data_conversation_id", table_name="decision_personal_data")
    op.drop_table("decision_personal_data")
