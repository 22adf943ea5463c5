"""A trigram index for GET /items?q= (a name): catalog_items.name.

q finds text anywhere in an item's name (ILIKE '%q%'), which no b-tree serves: over 500,000 items (a
catalogue of 1,000,000 products) a rare name read most of the table, 245 ms a page (bench/items_api.py,
docs/catalogue.md "Benchmarks"). A GIN index of pg_trgm trigrams answers it from the index. PostgreSQL
only (pg_trgm, created by migration search_index); SQLite and MariaDB keep the scan. On a big catalogue,
create it by hand with CREATE INDEX CONCURRENTLY before upgrading (IF NOT EXISTS then skips it).

Revision ID: items_name_search
Revises: transaction_locks
"""

from __future__ import annotations

from alembic import op

revision = "items_name_search"
down_revision = "transaction_locks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        op.execute("CREATE INDEX IF NOT EXISTS ix_catalog_items_name_trgm ON catalog_items "
                   "USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_catalog_items_name_trgm")
