-- PostgreSQL DDL of the ornaments database, generated from the tables the code creates
-- (ornaments/storage/schema.py, product fields from ornaments/fields.py): do not edit, regenerate with
-- `python scripts/generate.py`. Apply with: psql "$DATABASE_URL" -f schema.sql
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE TABLE IF NOT EXISTS products (
    id BIGSERIAL NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    vendor_product_id VARCHAR(255) NOT NULL,
    sku TEXT,
    gtin TEXT,
    name VARCHAR(500) NOT NULL,
    brand TEXT,
    description TEXT,
    series TEXT,
    category TEXT,
    release_year INTEGER,
    url TEXT,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    availability VARCHAR(20) NOT NULL,
    image_urls TEXT,
    regular_price NUMERIC(12, 2),
    item_group_id TEXT,
    affiliate_url TEXT,
    content_hash VARCHAR(32) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    removed_at TIMESTAMP WITH TIME ZONE,
    missed_runs INTEGER DEFAULT '0' NOT NULL,
    written_run_started_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    CONSTRAINT uq_products_vendor_product UNIQUE (vendor, vendor_product_id)
)
WITH (fillfactor = 50);

CREATE INDEX IF NOT EXISTS ix_products_availability_id ON products (availability, id);
CREATE INDEX IF NOT EXISTS ix_products_changed_at ON products (changed_at);
CREATE INDEX IF NOT EXISTS ix_products_name_sku_trgm ON products USING gin (name gin_trgm_ops, sku gin_trgm_ops);
CREATE INDEX IF NOT EXISTS ix_products_vendor_changed_at ON products (vendor, changed_at);
CREATE INDEX IF NOT EXISTS ix_products_vendor_id ON products (vendor, id);
CREATE INDEX IF NOT EXISTS ix_products_vendor_year_id ON products (vendor, release_year, id);

ALTER TABLE products ALTER COLUMN name SET STATISTICS 1000;
ALTER TABLE products ALTER COLUMN sku SET STATISTICS 1000;
CREATE TABLE IF NOT EXISTS sync_runs (
    id BIGSERIAL NOT NULL,
    spider VARCHAR(64) NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    mode VARCHAR(16) NOT NULL,
    scope_year INTEGER,
    arguments TEXT NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR(16) NOT NULL,
    finish_reason TEXT,
    items_new INTEGER DEFAULT '0' NOT NULL,
    items_updated INTEGER DEFAULT '0' NOT NULL,
    items_unchanged INTEGER DEFAULT '0' NOT NULL,
    items_removed INTEGER DEFAULT '0' NOT NULL,
    items_dropped INTEGER DEFAULT '0' NOT NULL,
    dropped_reasons TEXT,
    errors INTEGER DEFAULT '0' NOT NULL,
    details TEXT,
    reasons TEXT,
    stats TEXT,
    items_seen INTEGER DEFAULT '0' NOT NULL,
    held_back_removals INTEGER DEFAULT '0' NOT NULL,
    pid INTEGER,
    hostname VARCHAR(255),
    scope_live INTEGER,
    guard_reset_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ix_sync_runs_vendor_started_at ON sync_runs (vendor, started_at);

CREATE TABLE IF NOT EXISTS product_images (
    id BIGSERIAL NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    vendor_product_id VARCHAR(255) NOT NULL,
    source_url TEXT,
    path VARCHAR(512) NOT NULL,
    public_url TEXT,
    checksum VARCHAR(64),
    size BIGINT,
    status VARCHAR(16) NOT NULL,
    last_error TEXT,
    uploaded_at TIMESTAMP WITH TIME ZONE,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_product_images_product_path UNIQUE (vendor, vendor_product_id, path)
);

CREATE INDEX IF NOT EXISTS ix_product_images_path ON product_images (path);
CREATE INDEX IF NOT EXISTS ix_product_images_status ON product_images (status);

-- Webhook endpoints: filter, encrypted secret (ORNAMENTS_WEBHOOK_KEY), cursor into product_events, pause state.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    id BIGSERIAL NOT NULL,
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    vendors TEXT,
    secret TEXT NOT NULL,
    status VARCHAR(16) DEFAULT 'active' NOT NULL,
    cursor BIGINT DEFAULT '0' NOT NULL,
    pending_through BIGINT,
    failures INTEGER DEFAULT '0' NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    lease_until TIMESTAMP WITH TIME ZONE,
    last_error TEXT,
    last_delivered_at TIMESTAMP WITH TIME ZONE,
    paused_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id)
);

-- API keys: only the sha256 of a key is stored.
CREATE TABLE IF NOT EXISTS api_keys (
    id BIGSERIAL NOT NULL,
    name VARCHAR(100) NOT NULL,
    key_hash VARCHAR(64) NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    scopes VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at TIMESTAMP WITH TIME ZONE,
    default_source VARCHAR(64),
    PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);

CREATE TABLE IF NOT EXISTS transaction_locks (
    name VARCHAR(191) NOT NULL,
    PRIMARY KEY (name)
);

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE TABLE IF NOT EXISTS catalog_items (
    id BIGSERIAL NOT NULL,
    brand VARCHAR(64) DEFAULT '' NOT NULL,
    item_number VARCHAR(32),
    name VARCHAR(500) NOT NULL,
    search_name VARCHAR(500),
    release_year INTEGER,
    series TEXT,
    series_number INTEGER,
    gtins TEXT,
    image_url TEXT,
    offers INTEGER DEFAULT '0' NOT NULL,
    shops_in_stock INTEGER DEFAULT '0' NOT NULL,
    best_prices TEXT,
    best_price NUMERIC(12, 2),
    best_currency VARCHAR(3),
    state_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id)
)
WITH (fillfactor = 70);

CREATE INDEX IF NOT EXISTS ix_catalog_items_brand_year ON catalog_items (brand, release_year);
CREATE INDEX IF NOT EXISTS ix_catalog_items_item_number ON catalog_items (item_number);
CREATE INDEX IF NOT EXISTS ix_catalog_items_search_name_trgm ON catalog_items USING gin (search_name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS ix_catalog_items_year_id ON catalog_items (release_year, id);

ALTER TABLE catalog_items ALTER COLUMN search_name SET STATISTICS 1000;
CREATE TABLE IF NOT EXISTS item_keys (
    kind VARCHAR(8) NOT NULL,
    key VARCHAR(100) NOT NULL,
    item_id BIGINT NOT NULL,
    PRIMARY KEY (kind, key, item_id)
);

CREATE INDEX IF NOT EXISTS ix_item_keys_item_id ON item_keys (item_id);

CREATE TABLE IF NOT EXISTS item_listings (
    product_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    method VARCHAR(16) NOT NULL,
    confidence FLOAT NOT NULL,
    state VARCHAR(16) NOT NULL,
    match_key VARCHAR(32) NOT NULL,
    linked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (product_id)
);

CREATE INDEX IF NOT EXISTS ix_item_listings_item_id ON item_listings (item_id);

CREATE TABLE IF NOT EXISTS item_prices (
    item_id BIGINT NOT NULL,
    currency VARCHAR(3) NOT NULL,
    price NUMERIC(12, 2) NOT NULL,
    PRIMARY KEY (item_id, currency)
);

CREATE INDEX IF NOT EXISTS ix_item_prices_currency_price ON item_prices (currency, price, item_id);

CREATE TABLE IF NOT EXISTS price_history (
    id BIGSERIAL NOT NULL,
    product_id BIGINT NOT NULL,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id BIGINT,
    PRIMARY KEY (id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE,
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_price_history_product_recorded_at ON price_history (product_id, recorded_at);

CREATE TABLE IF NOT EXISTS product_changes (
    id BIGSERIAL NOT NULL,
    product_id BIGINT NOT NULL,
    field VARCHAR(64) NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id BIGINT,
    PRIMARY KEY (id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE,
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_product_changes_product_changed_at ON product_changes (product_id, changed_at);

CREATE TABLE IF NOT EXISTS sync_batches (
    run_id BIGINT NOT NULL,
    batch_no INTEGER NOT NULL,
    items_new INTEGER NOT NULL,
    items_updated INTEGER NOT NULL,
    items_unchanged INTEGER NOT NULL,
    committed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, batch_no),
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE CASCADE
);

-- The change outbox: one row per committed change; id is the consumers' cursor.
CREATE TABLE IF NOT EXISTS product_events (
    id BIGSERIAL NOT NULL,
    type VARCHAR(32) NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    vendor_product_id VARCHAR(255) NOT NULL,
    product_id BIGINT,
    run_id BIGINT,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    data TEXT DEFAULT '{}' NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_product_events_occurred_at ON product_events (occurred_at);
CREATE INDEX IF NOT EXISTS ix_product_events_run_id ON product_events (run_id);
CREATE INDEX IF NOT EXISTS ix_product_events_vendor_id ON product_events (vendor, id);

-- Offers of our products at an offers service: current price and stock per (source, product, offer).
CREATE TABLE IF NOT EXISTS offers (
    id BIGSERIAL NOT NULL,
    source VARCHAR(64) NOT NULL,
    product_id BIGINT NOT NULL,
    offer_id VARCHAR(255) NOT NULL,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    items_in_stock INTEGER,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    removed_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    CONSTRAINT uq_offers_source_product_offer UNIQUE (source, product_id, offer_id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_offers_changed_at ON offers (changed_at);
CREATE INDEX IF NOT EXISTS ix_offers_product_id ON offers (product_id);

CREATE TABLE IF NOT EXISTS feed_files (
    id BIGSERIAL NOT NULL,
    source VARCHAR(512) NOT NULL,
    key VARCHAR(1024) NOT NULL,
    etag VARCHAR(128) NOT NULL,
    size BIGINT,
    last_modified TIMESTAMP WITH TIME ZONE,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER DEFAULT '0' NOT NULL,
    last_error TEXT,
    run_id BIGINT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    CONSTRAINT uq_feed_files_source_key_etag UNIQUE (source, key, etag),
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_feed_files_source_status ON feed_files (source, status);

-- One row per delivery attempt; "dead" is the attempt that paused its endpoint (the dead letter).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id BIGSERIAL NOT NULL,
    endpoint_id BIGINT NOT NULL,
    message_id VARCHAR(64) NOT NULL,
    first_event_id BIGINT NOT NULL,
    last_event_id BIGINT NOT NULL,
    events INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    status VARCHAR(16) NOT NULL,
    http_status INTEGER,
    error TEXT,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_endpoint_id ON webhook_deliveries (endpoint_id, id);
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_status ON webhook_deliveries (status);

CREATE TABLE IF NOT EXISTS match_proposals (
    id BIGSERIAL NOT NULL,
    product_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    score FLOAT NOT NULL,
    reasons TEXT NOT NULL,
    state VARCHAR(16) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    CONSTRAINT uq_match_proposals_product_item UNIQUE (product_id, item_id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE,
    FOREIGN KEY(item_id) REFERENCES catalog_items (id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_match_proposals_item_id ON match_proposals (item_id);
CREATE INDEX IF NOT EXISTS ix_match_proposals_state_id ON match_proposals (state, id);

CREATE TABLE IF NOT EXISTS watches (
    id BIGSERIAL NOT NULL,
    item_id BIGINT NOT NULL,
    kind VARCHAR(24) NOT NULL,
    currency VARCHAR(3),
    threshold NUMERIC(12, 2),
    percent NUMERIC(5, 2),
    baseline NUMERIC(12, 2),
    reference VARCHAR(255),
    holding BOOLEAN DEFAULT false NOT NULL,
    triggered INTEGER DEFAULT '0' NOT NULL,
    last_triggered_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    cancelled_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    FOREIGN KEY(item_id) REFERENCES catalog_items (id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_watches_item_id ON watches (item_id);

CREATE TABLE IF NOT EXISTS link_checks (
    id BIGSERIAL NOT NULL,
    product_id BIGINT NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    checked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    link TEXT NOT NULL,
    outcome VARCHAR(32) NOT NULL,
    status INTEGER,
    final_url TEXT,
    chain TEXT DEFAULT '[]' NOT NULL,
    lands_on_product BOOLEAN,
    tracking_kept BOOLEAN,
    page_price NUMERIC(12, 2),
    page_availability VARCHAR(20),
    detail TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_link_checks_product_id ON link_checks (product_id, id);
CREATE INDEX IF NOT EXISTS ix_link_checks_vendor_checked_at ON link_checks (vendor, checked_at);

-- Every price and stock an offer had (first seen, each change, gone, back).
CREATE TABLE IF NOT EXISTS offer_history (
    id BIGSERIAL NOT NULL,
    offer_row_id BIGINT NOT NULL,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    items_in_stock INTEGER,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id BIGINT,
    PRIMARY KEY (id),
    FOREIGN KEY(offer_row_id) REFERENCES offers (id) ON DELETE CASCADE,
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_offer_history_offer_recorded_at ON offer_history (offer_row_id, recorded_at);
