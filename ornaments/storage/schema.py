"""Tables, as SQLAlchemy Core. schema.sql is the PostgreSQL DDL of the same tables, generated from them
(ornaments.storage.schema_sql; tests compare them)."""

import sqlalchemy as sa

from ornaments.fields import FIELDS
from ornaments.storage import mysql_ddl  # noqa: F401  (how these tables are spelled on MariaDB/MySQL)
from ornaments.storage.schema_base import (  # noqa: F401  (BigId, Money, Timestamp: the types, shared)
    SEARCH_STATISTICS, TRIGRAM_EXTENSION, BigId, Money, Timestamp, metadata)

_COLUMN_TYPES = {
    "text": lambda f: sa.Text, "name": lambda f: sa.String(f.max_length), "key": lambda f: sa.String(f.max_length),
    "int": lambda f: sa.Integer, "money": lambda f: Money, "currency": lambda f: sa.String(3),
    "availability": lambda f: sa.String(20), "json": lambda f: sa.Text,  # json: a JSON list as text
}


def _field_columns() -> list[sa.Column]:
    """The products columns of the product's fields (ornaments.fields.FIELDS)."""
    return [sa.Column(f.name, _COLUMN_TYPES[f.column](f), nullable=f.nullable) for f in FIELDS]


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
    # Start time of the run that last wrote, confirmed or removed the values: an older-started run never
    # writes over them (ornaments.storage.sync). NULL: older than any run.
    sa.Column("written_run_started_at", Timestamp),
    sa.UniqueConstraint("vendor", "vendor_product_id", name="uq_products_vendor_product"),
    # What the website asks: "what changed for this vendor since T", and per-year listings.
    sa.Index("ix_products_vendor_changed_at", "vendor", "changed_at"),
    # (vendor, release_year) listings, and GET /products?vendor=&year= pages ordered by id.
    sa.Index("ix_products_vendor_year_id", "vendor", "release_year", "id"),
    sa.Index("ix_products_changed_at", "changed_at"),
    # GET /products pages one vendor by id (keyset pagination), and the availability filter.
    sa.Index("ix_products_vendor_id", "vendor", "id"),
    sa.Index("ix_products_availability_id", "availability", "id"),
    # GET /products?q= (text in the name or SKU, ILIKE '%q%'): trigrams find the rows without a scan.
    # PostgreSQL only (the pg_trgm extension, created below); on SQLite the search stays a scan.
    sa.Index("ix_products_name_sku_trgm", "name", "sku", postgresql_using="gin",
             postgresql_ops={"name": "gin_trgm_ops", "sku": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    # Half of each page free, so every re-sync's last_seen_at bump is a HOT update (no index writes, and
    # the old versions are pruned in place): migration products_fillfactor says what it measured.
    postgresql_with={"fillfactor": 50},
)

# The trigram index needs pg_trgm; the searched columns get 1000 histogram bounds (schema_base says why).
sa.event.listen(products, "before_create", sa.DDL(TRIGRAM_EXTENSION).execute_if(dialect="postgresql"))
for _column in ("name", "sku"):
    sa.event.listen(products, "after_create", sa.DDL(SEARCH_STATISTICS.format(table="products", column=_column))
                    .execute_if(dialect="postgresql"))

sync_runs = sa.Table(
    "sync_runs", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("spider", sa.String(64), nullable=False),
    sa.Column("vendor", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),  # all | year | url | query | files | partial
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
    # Live products of the run's scope after its removals (or with them held back): the removal guard's
    # window compares with the largest of these (ornaments.storage.removal).
    sa.Column("scope_live", sa.Integer),
    sa.Column("guard_reset_at", Timestamp),  # a person accepted the run's removals: the window starts here
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

# The change outbox (issue 12): one row per change a sync committed, written in the change's own transaction.
# id is the consumers' cursor (`scrapy changes --since`, webhooks, GET /events). type is one of
# created | price_changed | back_in_stock | out_of_stock | updated | removed | returned; data is a JSON
# object (old and new values). product_id is not a foreign key: events outlive the rows they describe.
product_events = sa.Table(
    "product_events", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("vendor", sa.String(64), nullable=False),
    sa.Column("vendor_product_id", sa.String(255), nullable=False),
    sa.Column("product_id", sa.BigInteger),
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    sa.Column("occurred_at", Timestamp, nullable=False),
    sa.Column("data", sa.Text, nullable=False, server_default="{}"),  # JSON object
    sa.Index("ix_product_events_vendor_id", "vendor", "id"),
    sa.Index("ix_product_events_occurred_at", "occurred_at"),
    sa.Index("ix_product_events_run_id", "run_id"),
)

# Offers of our products at an offers service (issue 11, ornaments/storage/offers.py): one row per
# (source, product, offer), its current price and stock. An offer the service no longer lists for a
# product it answered for gets removed_at. A poll that changes nothing writes nothing.
offers = sa.Table(
    "offers", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(64), nullable=False),  # the spider's vendor: which offers service
    sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("offer_id", sa.String(255), nullable=False),  # the service's id of the offer
    sa.Column("price", Money),
    sa.Column("currency", sa.String(3)),
    sa.Column("items_in_stock", sa.Integer),
    sa.Column("first_seen_at", Timestamp, nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
    sa.Column("removed_at", Timestamp),
    sa.UniqueConstraint("source", "product_id", "offer_id", name="uq_offers_source_product_offer"),
    sa.Index("ix_offers_product_id", "product_id"),
    sa.Index("ix_offers_changed_at", "changed_at"),
)

# Every price and stock an offer had: a row when it is first seen, on each change of price, currency or
# stock, and when it goes (price and stock empty) or comes back.
offer_history = sa.Table(
    "offer_history", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("offer_row_id", BigId, sa.ForeignKey("offers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("price", Money),
    sa.Column("currency", sa.String(3)),
    sa.Column("items_in_stock", sa.Integer),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    sa.Index("ix_offer_history_offer_recorded_at", "offer_row_id", "recorded_at"),
)

# The task table of drop-folder sources (issue 11): one row per (source, key, ETag), written by
# ornaments/storage/feed_files.py. A changed object (new ETag) is a new task. status is one of
# pending | processing | done | failed; a run claims a row with a conditional UPDATE, so two runs
# never process the same file. run_id is the run that processed (or is processing) it.
feed_files = sa.Table(
    "feed_files", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(512), nullable=False),  # s3://bucket/prefix/, as the run was given it
    sa.Column("key", sa.String(1024), nullable=False),
    sa.Column("etag", sa.String(128), nullable=False),  # without quotes
    sa.Column("size", sa.BigInteger),
    sa.Column("last_modified", Timestamp),  # the object's; files are processed oldest first
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("claimed_at", Timestamp),
    sa.Column("finished_at", Timestamp),
    sa.UniqueConstraint("source", "key", "etag", name="uq_feed_files_source_key_etag"),
    sa.Index("ix_feed_files_source_status", "source", "status"),
)

# Webhook endpoints (ornaments/webhooks): each has its own filter, secret and cursor into product_events.
# The secret is stored encrypted (Fernet, ORNAMENTS_WEBHOOK_KEY): the dispatcher must sign with it, so it
# cannot be hashed, and a copy of the database alone does not let anyone forge deliveries.
# cursor: every event up to it is settled (delivered, or not for this endpoint). pending_through: the
# last event of the batch being delivered, pinned so that its retries send the same message (same
# webhook-id). failures: failed attempts of that batch; after ORNAMENTS_WEBHOOK_MAX_ATTEMPTS the endpoint
# is paused and its events wait. lease_until: a dispatcher is delivering to it until then.
webhook_endpoints = sa.Table(
    "webhook_endpoints", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("event_types", sa.Text, nullable=False),  # comma-separated product_events types
    sa.Column("vendors", sa.Text),  # comma-separated vendors; NULL: every vendor
    sa.Column("secret", sa.Text, nullable=False),  # encrypted
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),  # active | paused
    sa.Column("cursor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("pending_through", sa.BigInteger),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", Timestamp),
    sa.Column("lease_until", Timestamp),
    sa.Column("last_error", sa.Text),
    sa.Column("last_delivered_at", Timestamp),
    sa.Column("paused_at", Timestamp),
    sa.Column("created_at", Timestamp, nullable=False),
)

# One row per delivery attempt. The attempt that paused its endpoint is "dead": the dead letter, which
# `scrapy webhooks dead` lists and `scrapy webhooks resume` delivers again.
webhook_deliveries = sa.Table(
    "webhook_deliveries", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("endpoint_id", BigId, sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    sa.Column("message_id", sa.String(64), nullable=False),  # the webhook-id header
    sa.Column("first_event_id", sa.BigInteger, nullable=False),
    sa.Column("last_event_id", sa.BigInteger, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # delivered | failed | dead
    sa.Column("http_status", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("attempted_at", Timestamp, nullable=False),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Index("ix_webhook_deliveries_endpoint_id", "endpoint_id", "id"),
    sa.Index("ix_webhook_deliveries_status", "status"),
)

# API keys (ornaments/api): only the sha256 of a key is stored; the key itself is shown once, at creation.
api_keys = sa.Table(
    "api_keys", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),  # hex sha256 of the key
    sa.Column("prefix", sa.String(16), nullable=False),  # the key's first characters, to recognise it in lists
    sa.Column("scopes", sa.String(64), nullable=False),  # "read" or "read,write"
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_used_at", Timestamp),
    sa.Column("revoked_at", Timestamp),
    # The vendor an upload with this key is stored under when it names none (`scrapy apikeys --source`).
    sa.Column("default_source", sa.String(64)),
    sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
)

# Locks held until the end of a transaction on MariaDB/MySQL (ornaments.storage.mysql.transaction_lock): a
# row per lock name (the events' ordering lock, one per vendor), made on first use. PostgreSQL uses
# advisory locks and SQLite its write lock instead; there the table stays empty.
transaction_locks = sa.Table(
    "transaction_locks", metadata,
    sa.Column("name", sa.String(191), primary_key=True),
)

# The cross-shop catalogue's tables, here in the metadata's order (schema.sql follows it).
from ornaments.storage.schema_catalogue import (  # noqa: E402,F401
    catalog_items, item_keys, item_listings, item_prices, match_proposals, watches)

# One row per check of a product's affiliate link (scrapy crawl linkcheck; docs/affiliate-networks.md).
link_checks = sa.Table(
    "link_checks", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("product_id", sa.BigInteger, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("vendor", sa.String(64), nullable=False),
    sa.Column("checked_at", Timestamp, nullable=False),
    sa.Column("link", sa.Text, nullable=False),  # the link followed (affiliate_url, else url)
    sa.Column("outcome", sa.String(32), nullable=False),  # ok, broken, redirected-away, price-mismatch, ...
    sa.Column("status", sa.Integer),  # the last HTTP status (None: no answer)
    sa.Column("final_url", sa.Text),
    sa.Column("chain", sa.Text, nullable=False, server_default="[]"),  # JSON [[status, url], ...]
    sa.Column("lands_on_product", sa.Boolean),
    sa.Column("tracking_kept", sa.Boolean),
    sa.Column("page_price", Money),
    sa.Column("page_availability", sa.String(20)),
    sa.Column("detail", sa.Text),  # why, for a person
    sa.Index("ix_link_checks_product_id", "product_id", "id"),
    sa.Index("ix_link_checks_vendor_checked_at", "vendor", "checked_at"),
)
