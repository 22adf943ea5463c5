"""item_prices: each catalogue item's best in-stock price per currency as rows, for GET /items to filter
and sort by the price in any currency an item is offered in. Filled from catalog_items.best_prices (the
same prices, as JSON) in batches by id. ix_catalog_items_best_price, which sorted by the main currency
only, is dropped: the state update of an item no longer rewrites an index entry for its price.

Revision ID: item_prices
Revises: catalogue_links_unchecked
"""

from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "item_prices"
down_revision = "catalogue_links_unchecked"
branch_labels = None
depends_on = None

BATCH = 5000
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # frozen here, as the tables were made
Money = sa.Numeric(12, 2)
_items = sa.table("catalog_items", sa.column("id", sa.BigInteger), sa.column("best_prices", sa.Text))


def upgrade() -> None:
    prices = op.create_table(
        "item_prices",
        sa.Column("item_id", BigId, primary_key=True, autoincrement=False),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("price", Money, nullable=False),
    )
    op.create_index("ix_item_prices_currency_price", "item_prices", ["currency", "price", "item_id"])
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(_items.c.id, _items.c.best_prices).where(_items.c.id > last)
                            .order_by(_items.c.id).limit(BATCH)).all()
        if not rows:
            break
        values = [{"item_id": r.id, "currency": currency, "price": Decimal(price)}
                  for r in rows if r.best_prices for currency, price in json.loads(r.best_prices).items()]
        if values:
            op.bulk_insert(prices, values)
        last = rows[-1].id
    op.drop_index("ix_catalog_items_best_price", table_name="catalog_items")


def downgrade() -> None:
    op.create_index("ix_catalog_items_best_price", "catalog_items", ["best_currency", "best_price", "id"])
    op.drop_index("ix_item_prices_currency_price", table_name="item_prices")
    op.drop_table("item_prices")
