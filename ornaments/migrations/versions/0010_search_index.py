"""A trigram index for GET /products?q=, and API keys' default upload source.

q finds text anywhere in a product's name or SKU (ILIKE '%q%'), which no b-tree serves: over
1,000,000 products every search read the whole table (794 ms). A GIN index of pg_trgm trigrams on both
columns answers it from the index (bench/README.md, "HTTP API: search", has the figures and what it
costs a sync). PostgreSQL only; SQLite keeps the scan. The index is built while the table stays
writable only with CREATE INDEX CONCURRENTLY, which cannot run inside the migration's transaction; on a
big catalogue, create it that way by hand before upgrading (the IF NOT EXISTS then skips it).

api_keys.default_source: the vendor an upload with the key is stored under when it names none
(`scrapy apikeys create --source`).

Revision ID: search_index
Revises: run_order_and_guard_window
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "search_index"
down_revision = "run_order_and_guard_window"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("default_source", sa.String(64)))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        op.execute("CREATE INDEX IF NOT EXISTS ix_products_name_sku_trgm ON products "
                   "USING gin (name gin_trgm_ops, sku gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_products_name_sku_trgm")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("default_source")
