"""commerce back end, approvals and policy versions (issue 5)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

The demo store (customers, orders, products, item index) and the approval tasks of governance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "commerce_users",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("zip", sa.String(length=20), nullable=False),
        sa.Column("address", JSON, nullable=False),
        sa.Column("payment_methods", JSON, nullable=False),
        sa.Column("order_ids", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_users")),
    )
    with op.batch_alter_table("commerce_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_users_email"), ["email"], unique=False)
        batch_op.create_index("ix_commerce_users_name_zip", ["first_name", "last_name", "zip"], unique=False)

    op.create_table(
        "commerce_products",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("variants", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_products")),
    )
    op.create_table(
        "commerce_items",
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["commerce_products.id"],
            name=op.f("fk_commerce_items_product_id_commerce_products"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_commerce_items")),
    )
    with op.batch_alter_table("commerce_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_items_product_id"), ["product_id"], unique=False)

    op.create_table(
        "commerce_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("address", JSON, nullable=False),
        sa.Column("items", JSON, nullable=False),
        sa.Column("fulfillments", JSON, nullable=False),
        sa.Column("payments", JSON, nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["commerce_users.id"], name=op.f("fk_commerce_orders_user_id_commerce_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commerce_orders")),
    )
    with op.batch_alter_table("commerce_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commerce_orders_user_id"), ["user_id"], unique=False)

    op.create_table(
        "approvals",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tool", sa.String(length=100), nullable=False),
        sa.Column("args", JSON, nullable=False),
        sa.Column("facts", JSON, nullable=False),
        sa.Column("authenticated_user_id", sa.String(length=100), nullable=True),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("approver_tier", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("result", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_approvals_workspace_id_workspaces")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name=op.f("fk_approvals_conversation_id_conversations")
        ),
        sa.ForeignKeyConstraint(["decided_by"], ["agents.id"], name=op.f("fk_approvals_decided_by_agents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index("ix_approvals_queue", ["workspace_id", "status", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_approvals_conversation_id"), ["conversation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approvals_conversation_id"))
        batch_op.drop_index("ix_approvals_queue")
    op.drop_table("approvals")
    with op.batch_alter_table("commerce_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_orders_user_id"))
    op.drop_table("commerce_orders")
    with op.batch_alter_table("commerce_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commerce_items_product_id"))
    op.drop_table("commerce_items")
    op.drop_table("commerce_products")
    with op.batch_alter_table("commerce_users", schema=None) as batch_op:
        batch_op.drop_index("ix_commerce_users_name_zip")
        batch_op.drop_index(batch_op.f("ix_commerce_users_email"))
    op.drop_table("commerce_users")
