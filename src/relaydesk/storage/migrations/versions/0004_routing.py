"""routing and handoff tables (later issues)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

Reserved so the chain is fixed while capabilities are built in parallel; empty until its issue lands.
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
