-- The sqlite DDL that commit 41c81a7's metadata.create_all ran (the schema before Alembic, revision 0001).
-- Generated from `git show 41c81a7:ornaments/storage/schema.py` with CreateTable/CreateIndex on the sqlite
-- dialect. tests/test_migrations.py builds an old database from it and upgrades it in place. Do not edit.
CREATE TABLE IF NOT EXISTS product_images (
    id INTEGER NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    vendor_product_id VARCHAR(255) NOT NULL,
    source_url TEXT,
    path VARCHAR(512) NOT NULL,
    public_url TEXT,
    checksum VARCHAR(64),
    size BIGINT,
    status VARCHAR(16) NOT NULL,
    last_error TEXT,
    uploaded_at DATETIME,
    last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_product_images_product_path UNIQUE (vendor, vendor_product_id, path)
);

CREATE INDEX IF NOT EXISTS ix_product_images_path ON product_images (path);

CREATE INDEX IF NOT EXISTS ix_product_images_status ON product_images (status);

CREATE TABLE IF NOT EXISTS products (
    id INTEGER NOT NULL,
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
    url TEXT NOT NULL,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    availability VARCHAR(20) NOT NULL,
    image_urls TEXT,
    content_hash VARCHAR(32) NOT NULL,
    created_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    changed_at DATETIME NOT NULL,
    removed_at DATETIME,
    PRIMARY KEY (id),
    CONSTRAINT uq_products_vendor_product UNIQUE (vendor, vendor_product_id)
);

CREATE INDEX IF NOT EXISTS ix_products_changed_at ON products (changed_at);

CREATE INDEX IF NOT EXISTS ix_products_vendor_changed_at ON products (vendor, changed_at);

CREATE INDEX IF NOT EXISTS ix_products_vendor_release_year ON products (vendor, release_year);

CREATE TABLE IF NOT EXISTS sync_runs (
    id INTEGER NOT NULL,
    spider VARCHAR(64) NOT NULL,
    vendor VARCHAR(64) NOT NULL,
    mode VARCHAR(16) NOT NULL,
    scope_year INTEGER,
    arguments TEXT NOT NULL,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
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
    PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ix_sync_runs_vendor_started_at ON sync_runs (vendor, started_at);

CREATE TABLE IF NOT EXISTS price_history (
    id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    price NUMERIC(12, 2),
    currency VARCHAR(3),
    recorded_at DATETIME NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE,
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_price_history_product_recorded_at ON price_history (product_id, recorded_at);

CREATE TABLE IF NOT EXISTS product_changes (
    id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    field VARCHAR(64) NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at DATETIME NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE,
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS ix_product_changes_product_changed_at ON product_changes (product_id, changed_at);

CREATE TABLE IF NOT EXISTS sync_batches (
    run_id INTEGER NOT NULL,
    batch_no INTEGER NOT NULL,
    items_new INTEGER NOT NULL,
    items_updated INTEGER NOT NULL,
    items_unchanged INTEGER NOT NULL,
    committed_at DATETIME NOT NULL,
    PRIMARY KEY (run_id, batch_no),
    FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE CASCADE
);
