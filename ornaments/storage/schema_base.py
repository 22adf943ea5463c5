"""What every table module shares: the metadata, the column types, and the PostgreSQL DDL that goes with
the searched tables (ornaments.storage.schema and schema_catalogue)."""

import sqlalchemy as sa

# BIGINT keys on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
Money = sa.Numeric(12, 2)

metadata = sa.MetaData()

# The trigram operator classes of ix_products_name_sku_trgm, in public (on the search path of every role).
TRIGRAM_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
# The searched columns' histograms have 1000 bounds, not 100: with 100 a SKU that happens to be a bound is
# estimated at 1% of the table and a page walks the primary key instead (migration search_statistics).
SEARCH_STATISTICS = "ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS 1000"
