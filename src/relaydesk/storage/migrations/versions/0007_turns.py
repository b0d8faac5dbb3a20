"""the message path as one transaction: unique positions, message leases, an outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

- A message's position (``seq``) is unique in its conversation. Before this, two writers racing on
  PostgreSQL could both take the same position; the duplicates are renumbered first, keeping
  their order (position, then time, then id).
- An unhandled customer message carries a lease (owner, until when, attempts), so a live worker's
  message is never taken by another and a stranded one is retried with backoff.
- The outbox holds events written in the transaction that caused them, until published.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _renumber_duplicate_positions() -> None:
    bind = op.get_bind()
    duplicated = bind.execute(
        sa.text(
            "SELECT DISTINCT conversation_id FROM messages GROUP BY conversation_id, seq HAVING COUNT(*) > 1"
        )
    ).scalars()
    for conversation_id in list(duplicated):
        ids = list(
            bind.execute(
                sa.text("SELECT id FROM messages WHERE conversation_id = :c ORDER BY seq, created_at, id"),
                {"c": conversation_id},
            ).scalars()
        )
        # Move them out of the way first (negative positions), then number them 1..n in order.
        for position, message_id in enumerate(ids, start=1):
            bind.execute(
                sa.text("UPDATE messages SET seq = :s WHERE id = :i"), {"s": -position, "i": message_id}
            )
        bind.execute(
            sa.text("UPDATE messages SET seq = -seq WHERE conversation_id = :c"), {"c": conversation_id}
        )


def upgrade() -> None:
    _renumber_duplicate_positions()
    op.drop_index("ix_messages_conversation_seq", table_name="messages")
    op.create_index("uq_messages_conversation_seq", "messages", ["conversation_id", "seq"], unique=True)
    # Plain ADD COLUMN (no batch copy: foreign keys of existing rows refuse a table copy on SQLite).
    op.add_column("messages", sa.Column("lease_owner", sa.String(64), nullable=True))
    op.add_column("messages", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "messages", sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )
    op.create_index(
        "ix_messages_unhandled",
        "messages",
        ["created_at"],
        unique=False,
        sqlite_where=sa.text("handled_at IS NULL"),
        postgresql_where=sa.text("handled_at IS NULL"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("event", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_created_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_messages_unhandled", table_name="messages")
    if op.get_bind().dialect.name == "sqlite":
        for column in ("attempts", "lease_until", "lease_owner"):
            op.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    else:
        for column in ("attempts", "lease_until", "lease_owner"):
            op.drop_column("messages", column)
    op.drop_index("uq_messages_conversation_seq", table_name="messages")
    op.create_index("ix_messages_conversation_seq", "messages", ["conversation_id", "seq"], unique=False)
