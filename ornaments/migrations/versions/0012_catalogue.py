"""The cross-shop catalogue (issue 23): catalog_items, item_keys, item_listings, match_proposals, watches.

Existing products get their items on their next change, or all at once with `scrapy matches rebuild`.

Revision ID: catalogue
Revises: search_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "catalogue"
down_revision = "affiliate_links"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
Money = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "catalog_items",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("brand", sa.String(64), nullable=False, server_default=""),
        sa.Column("item_number", sa.String(32)),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("release_year", sa.Integer),
        sa.Column("series", sa.Text),
        sa.Column("series_number", sa.Integer),
        sa.Column("gtins", sa.Text),
        sa.Column("image_url", sa.Text),
        sa.Column("offers", sa.Integer, nullable=False, server_default="0"),
        sa.Column("shops_in_stock", sa.Integer, nullable=False, server_default="0"),
        sa.Column("best_prices", sa.Text),
        sa.Column("best_price", Money),
        sa.Column("best_currency", sa.String(3)),
        sa.Column("state_at", Timestamp),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
    )
    op.create_index("ix_catalog_items_brand_year", "catalog_items", ["brand", "release_year"])
    op.create_index("ix_catalog_items_item_number", "catalog_items", ["item_number"])
    op.create_index("ix_catalog_items_year_id", "catalog_items", ["release_year", "id"])
    op.create_index("ix_catalog_items_best_price", "catalog_items", ["best_currency", "best_price", "id"])
    op.create_table(
        "item_keys",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_item_keys_item_id", "item_keys", ["item_id"])
    op.create_table(
        "item_listings",
        sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True,
                  autoincrement=False),
        sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("match_key", sa.String(32), nullable=False),
        sa.Column("linked_at", Timestamp, nullable=False),
    )
    op.create_index("ix_item_listings_item_id", "item_listings", ["item_id"])
    op.create_table(
        "match_proposals",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("decided_at", Timestamp),
        sa.UniqueConstraint("product_id", "item_id", name="uq_match_proposals_product_item"),
    )
    op.create_index("ix_match_proposals_state_id", "match_proposals", ["state", "id"])
    op.create_index("ix_match_proposals_item_id", "match_proposals", ["item_id"])
    op.create_table(
        "watches",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.Column("threshold", Money),
        sa.Column("percent", sa.Numeric(5, 2)),
        sa.Column("baseline", Money),
        sa.Column("reference", sa.String(255)),
        sa.Column("holding", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("triggered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_triggered_at", Timestamp),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("cancelled_at", Timestamp),
    )
    op.create_index("ix_watches_item_id", "watches", ["item_id"])


def downgrade() -> None:
    for table in ("watches", "match_proposals", "item_listings", "item_keys", "catalog_items"):
        op.drop_table(table)
