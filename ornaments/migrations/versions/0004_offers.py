"""Offers of our products at an offers service, with their price and stock history (issue 11).

Revision ID: offers
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "offers"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
Money = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("offer_id", sa.String(255), nullable=False),
        sa.Column("price", Money),
        sa.Column("currency", sa.String(3)),
        sa.Column("items_in_stock", sa.Integer),
        sa.Column("first_seen_at", Timestamp, nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
        sa.Column("removed_at", Timestamp),
        sa.UniqueConstraint("source", "product_id", "offer_id", name="uq_offers_source_product_offer"),
    )
    op.create_index("ix_offers_product_id", "offers", ["product_id"])
    op.create_index("ix_offers_changed_at", "offers", ["changed_at"])
    op.create_table(
        "offer_history",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("offer_row_id", BigId, sa.ForeignKey("offers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("price", Money),
        sa.Column("currency", sa.String(3)),
        sa.Column("items_in_stock", sa.Integer),
        sa.Column("recorded_at", Timestamp, nullable=False),
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    )
    op.create_index("ix_offer_history_offer_recorded_at", "offer_history", ["offer_row_id", "recorded_at"])


def downgrade() -> None:
    op.drop_table("offer_history")
    op.drop_table("offers")
