"""the people's side of the desk: roles, page context, CSAT, internal notes, canned replies, feedback

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Agents get a role (``agent``, ``supervisor``, ``admin``); a conversation keeps the context the
embedding page passed; customers rate a conversation once (``csat_ratings``); agents keep internal
notes and canned replies, and rate what the AI proposed (``agent_feedback``, with the versions).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from relaydesk.storage.tables import JsonType

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agents", sa.Column("role", sa.String(length=16), nullable=False, server_default="agent"))
    op.add_column("conversations", sa.Column("page_context", JsonType, nullable=True))
    op.create_table(
        "csat_ratings",
        sa.Column(
            "conversation_id", sa.String(length=64), sa.ForeignKey("conversations.id"), primary_key=True
        ),
        sa.Column("workspace_id", sa.String(length=64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_csat_ratings_workspace_id", "csat_ratings", ["workspace_id"])
    op.create_table(
        "agent_notes",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("conversation_id", sa.String(length=64), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("agent_id", sa.String(length=64), sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_agent_notes_conversation", "agent_notes", ["conversation_id", "created_at"])
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("workspace_id", sa.String(length=64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_canned_replies_workspace_id", "canned_replies", ["workspace_id"])
    op.create_table(
        "agent_feedback",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("workspace_id", sa.String(length=64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("agent_id", sa.String(length=64), sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("target_ref", sa.String(length=200), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("model_version", sa.String(length=200), nullable=True),
        sa.Column("policy_version", sa.String(length=200), nullable=True),
        sa.Column("flow_version", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_agent_feedback_workspace", "agent_feedback", ["workspace_id", "created_at"])
    op.create_index("ix_agent_feedback_conversation_id", "agent_feedback", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_agent_feedback_conversation_id", table_name="agent_feedback")
    op.drop_index("ix_agent_feedback_workspace", table_name="agent_feedback")
    op.drop_table("agent_feedback")
    op.drop_index("ix_canned_replies_workspace_id", table_name="canned_replies")
    op.drop_table("canned_replies")
    op.drop_index("ix_agent_notes_conversation", table_name="agent_notes")
    op.drop_table("agent_notes")
    op.drop_index("ix_csat_ratings_workspace_id", table_name="csat_ratings")
    op.drop_table("csat_ratings")
    # plain DROP COLUMN (SQLite 3.35+ too): a table copy would trip the foreign keys pointing here
    op.drop_column("conversations", "page_context")
    op.drop_column("agents", "role")
