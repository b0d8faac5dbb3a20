"""commerce back end, approvals and policy versions (issue 5)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Reserved so the chain is fixed while capabilities are built in parallel; empty until its issue lands.
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
