"""knowledge base sources and chunks (issue 4)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "kb_sources",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("uri", sa.String(length=2000), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("pipeline", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_kb_sources_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_sources")),
        sa.UniqueConstraint("workspace_id", "uri", name="uq_kb_sources_uri"),
    )
    with op.batch_alter_table("kb_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_sources_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "kb_chunks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("article_key", sa.String(length=64), nullable=False),
        sa.Column("article_title", sa.String(length=500), nullable=False),
        sa.Column("article_url", sa.String(length=2000), nullable=True),
        sa.Column("headings", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["kb_sources.id"],
            name=op.f("fk_kb_chunks_source_id_kb_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_chunks")),
    )
    with op.batch_alter_table("kb_chunks", schema=None) as batch_op:
        batch_op.create_index("ix_kb_chunks_source_ordinal", ["source_id", "ordinal"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_chunks_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_chunks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_chunks_workspace_id"))
        batch_op.drop_index("ix_kb_chunks_source_ordinal")
    op.drop_table("kb_chunks")
    with op.batch_alter_table("kb_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_sources_workspace_id"))
    op.drop_table("kb_sources")
