"""search_statistics: the columns GET /products?q= and GET /items?q= search get a statistics target of 1000
(PostgreSQL; the default is 100).

The planner estimates ILIKE '%q%' from the column's histogram: the share of its bounds the pattern
matches. With 100 bounds, text that is one bound (one SKU in a hundred, by chance of the sample) counts
as 1% of the table, and a page (ORDER BY id LIMIT 101) then walks the primary key and filters, expecting
to find 101 rows early. At 1,000,000 products one such SKU took 1.8 s instead of 6 ms through the trigram
index. With 1000 bounds the same text counts as 0.1%, and the trigram index wins; planning such a search
takes about 3 ms. tests/test_api_search.py queries a value that is a bound; tests/test_migration_pg_settings.py upgrades and downgrades.

Revision ID: search_statistics
Revises: item_prices
"""

from __future__ import annotations

from alembic import op

revision = "search_statistics"
down_revision = "item_prices"
branch_labels = None
depends_on = None

COLUMNS = (("products", "name"), ("products", "sku"), ("catalog_items", "search_name"))


def _set(target: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}")


def upgrade() -> None:
    _set(1000)


def downgrade() -> None:
    _set(-1)  # the server's default_statistics_target
