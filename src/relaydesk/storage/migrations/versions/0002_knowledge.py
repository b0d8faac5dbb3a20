"""knowledge base sources and chunks (issue 4)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Reserved so the chain is fixed while capabilities are built in parallel; empty until its issue lands.
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
