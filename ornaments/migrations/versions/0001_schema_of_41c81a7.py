"""The schema of commit 41c81a7, the last one made by metadata.create_all without Alembic.

A database created then has these tables and no alembic_version: ornaments.storage.migrate stamps it
0001 instead of running this. Frozen: the types are spelled out here, never imported from schema.py.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite auto-increments INTEGER keys only
Timestamp = sa.DateTime(timezone=True)
Money = sa.Numeric(12, 2)


def _id() -> sa.Column:
    return sa.Column("id", BigId, primary_key=True, autoincrement=True)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False, server_default="0")


def upgrade() -> None:
    op.create_table(
        "products",
        _id(),
        sa.Column("vendor", sa.String(64), nullable=False),
        sa.Column("vendor_product_id", sa.String(255), nullable=False),
        sa.Column("sku", sa.Text),
        sa.Column("gtin", sa.Text),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("brand", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("series", sa.Text),
        sa.Column("category", sa.Text),
        sa.Column("release_year", sa.Integer),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("price", Money),
        sa.Column("currency", sa.String(3)),
        sa.Column("availability", sa.String(20), nullable=False),
        sa.Column("image_urls", sa.Text),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("last_seen_at", Timestamp, nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
        sa.Column("removed_at", Timestamp),
        sa.UniqueConstraint("vendor", "vendor_product_id", name="uq_products_vendor_product"),
        postgresql_with={"fillfactor": 90},  # room for HOT updates of last_seen_at
    )
    op.create_index("ix_products_vendor_changed_at", "products", ["vendor", "changed_at"])
    op.create_index("ix_products_vendor_release_year", "products", ["vendor", "release_year"])
    op.create_index("ix_products_changed_at", "products", ["changed_at"])

    op.create_table(
        "sync_runs",
        _id(),
        sa.Column("spider", sa.String(64), nullable=False),
        sa.Column("vendor", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("scope_year", sa.Integer),
        sa.Column("arguments", sa.Text, nullable=False),
        sa.Column("started_at", Timestamp, nullable=False),
        sa.Column("finished_at", Timestamp),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("finish_reason", sa.Text),
        _count("items_new"),
        _count("items_updated"),
        _count("items_unchanged"),
        _count("items_removed"),
        _count("items_dropped"),
        sa.Column("dropped_reasons", sa.Text),
        _count("errors"),
        sa.Column("details", sa.Text),
    )
    op.create_index("ix_sync_runs_vendor_started_at", "sync_runs", ["vendor", "started_at"])

    op.create_table(
        "price_history",
        _id(),
        sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("price", Money),
        sa.Column("currency", sa.String(3)),
        sa.Column("recorded_at", Timestamp, nullable=False),
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    )
    op.create_index("ix_price_history_product_recorded_at", "price_history", ["product_id", "recorded_at"])

    op.create_table(
        "product_changes",
        _id(),
        sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("changed_at", Timestamp, nullable=False),
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    )
    op.create_index("ix_product_changes_product_changed_at", "product_changes", ["product_id", "changed_at"])

    op.create_table(
        "sync_batches",
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("batch_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("items_new", sa.Integer, nullable=False),
        sa.Column("items_updated", sa.Integer, nullable=False),
        sa.Column("items_unchanged", sa.Integer, nullable=False),
        sa.Column("committed_at", Timestamp, nullable=False),
    )

    op.create_table(
        "product_images",
        _id(),
        sa.Column("vendor", sa.String(64), nullable=False),
        sa.Column("vendor_product_id", sa.String(255), nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("public_url", sa.Text),
        sa.Column("checksum", sa.String(64)),
        sa.Column("size", sa.BigInteger),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("uploaded_at", Timestamp),
        sa.Column("last_seen_at", Timestamp, nullable=False),
        sa.UniqueConstraint("vendor", "vendor_product_id", "path", name="uq_product_images_product_path"),
    )
    op.create_index("ix_product_images_path", "product_images", ["path"])
    op.create_index("ix_product_images_status", "product_images", ["status"])


def downgrade() -> None:
    for table in ("product_images", "sync_batches", "product_changes", "price_history", "sync_runs", "products"):
        op.drop_table(table)
