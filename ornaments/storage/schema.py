"""Tables, as SQLAlchemy Core. schema.sql is the PostgreSQL DDL of the same tables (a test compares them)."""

import sqlalchemy as sa

from ornaments.fields import FIELDS

# BIGINT keys on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
Money = sa.Numeric(12, 2)

metadata = sa.MetaData()

_COLUMN_TYPES = {
    "text": lambda f: sa.Text, "name": lambda f: sa.String(f.max_length), "key": lambda f: sa.String(f.max_length),
    "int": lambda f: sa.Integer, "money": lambda f: Money, "currency": lambda f: sa.String(3),
    "availability": lambda f: sa.String(20), "json": lambda f: sa.Text,  # json: a JSON list as text
}


def _field_columns() -> list[sa.Column]:
    """The products columns of the product's fields (ornaments.fields.FIELDS)."""
    return [sa.Column(f.name, _COLUMN_TYPES[f.column](f), nullable=not f.required and f.column != "availability")
            for f in FIELDS]


products = sa.Table(
    "products", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    *_field_columns(),
    sa.Column("content_hash", sa.String(32), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_seen_at", Timestamp, nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
    sa.Column("removed_at", Timestamp),
    # Consecutive clean runs of the product's scope that did not see it (ORNAMENTS_REMOVE_AFTER_MISSES).
    sa.Column("missed_runs", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("vendor", "vendor_product_id", name="uq_products_vendor_product"),
    # What the website asks: "what changed for this vendor since T", and per-year listings.
    sa.Index("ix_products_vendor_changed_at", "vendor", "changed_at"),
    sa.Index("ix_products_vendor_release_year", "vendor", "release_year"),
    sa.Index("ix_products_changed_at", "changed_at"),
    # Room on each page, so the last_seen_at bump of an unchanged product is a HOT update (no index writes).
    postgresql_with={"fillfactor": 90},
)

sync_runs = sa.Table(
    "sync_runs", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("spider", sa.String(64), nullable=False),
    sa.Column("vendor", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),  # all | year | url | query
    sa.Column("scope_year", sa.Integer),
    sa.Column("arguments", sa.Text, nullable=False),  # JSON object
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("finish_reason", sa.Text),
    sa.Column("items_new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_removed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_dropped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("dropped_reasons", sa.Text),  # JSON object: reason -> count
    sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("details", sa.Text),  # JSON object: coverage, problems, stats worth keeping
    sa.Column("reasons", sa.Text),  # JSON list: why the run ended as it did (one line per check)
    sa.Column("stats", sa.Text),  # JSON object: Scrapy's whole stats dump (no secrets in it)
    sa.Column("items_seen", sa.Integer, nullable=False, server_default="0"),  # stored + dropped with a key
    sa.Column("held_back_removals", sa.Integer, nullable=False, server_default="0"),  # guard said no
    sa.Column("pid", sa.Integer),  # the crawl process, so a run that died can be marked abandoned
    sa.Column("hostname", sa.String(255)),
    sa.Index("ix_sync_runs_vendor_started_at", "vendor", "started_at"),
)

price_history = sa.Table(
    "price_history", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("price", Money),
    sa.Column("currency", sa.String(3)),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    sa.Index("ix_price_history_product_recorded_at", "product_id", "recorded_at"),
)

product_changes = sa.Table(
    "product_changes", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    sa.Column("changed_at", Timestamp, nullable=False),
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    sa.Index("ix_product_changes_product_changed_at", "product_id", "changed_at"),
)

# One row per committed batch: a retried batch whose commit did land is recognised, not applied twice.
sync_batches = sa.Table(
    "sync_batches", metadata,
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("batch_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("items_new", sa.Integer, nullable=False),
    sa.Column("items_updated", sa.Integer, nullable=False),
    sa.Column("items_unchanged", sa.Integer, nullable=False),
    sa.Column("committed_at", Timestamp, nullable=False),
)

# One row per (product, image file) on the sFTP server; written by ornaments/storage/images.py.
# Linked to products by (vendor, vendor_product_id), not by products.id: product rows are written in
# background batches, so an upload may be recorded before its product row exists. Rows of one path
# always agree on checksum/size/uploaded_at/status: they describe the one file the server holds.
product_images = sa.Table(
    "product_images", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("vendor", sa.String(64), nullable=False),
    sa.Column("vendor_product_id", sa.String(255), nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("path", sa.String(512), nullable=False),  # relative to SFTP_REMOTE_DIR and IMAGES_STORE
    sa.Column("public_url", sa.Text),  # IMAGES_BASE_URL + path, when set
    sa.Column("checksum", sa.String(64)),  # sha256 of the file the server holds; NULL before any upload
    sa.Column("size", sa.BigInteger),
    sa.Column("status", sa.String(16), nullable=False),  # uploaded | failed (the server lacks this version)
    sa.Column("last_error", sa.Text),
    sa.Column("uploaded_at", Timestamp),
    sa.Column("last_seen_at", Timestamp, nullable=False),
    sa.UniqueConstraint("vendor", "vendor_product_id", "path", name="uq_product_images_product_path"),
    sa.Index("ix_product_images_path", "path"),
    sa.Index("ix_product_images_status", "status"),
)
