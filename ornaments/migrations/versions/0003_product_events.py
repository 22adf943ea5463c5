"""The change outbox: product_events.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "product_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("vendor", sa.String(64), nullable=False),
        sa.Column("vendor_product_id", sa.String(255), nullable=False),
        sa.Column("product_id", sa.BigInteger),
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_product_events_vendor_id", "product_events", ["vendor", "id"])
    op.create_index("ix_product_events_occurred_at", "product_events", ["occurred_at"])
    op.create_index("ix_product_events_run_id", "product_events", ["run_id"])


def downgrade() -> None:
    op.drop_table("product_events")
