"""Migration item_prices on SQLite, PostgreSQL and MariaDB: the items made before it get one item_prices row
per currency of their best_prices (in batches), so GET /items?currency=&sort=best_price finds them in every
currency they are offered in; the index that sorted by the main currency only is gone, and a downgrade
brings it back."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command

from ornaments.api.items import item_conditions, item_query
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine

pytestmark = pytest.mark.three_databases

BEFORE = "catalogue_links_unchecked"
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _indexes(engine) -> set[str]:
    return {i["name"] for i in sa.inspect(engine).get_indexes("catalog_items")}


def test_items_made_before_the_migration_get_their_prices_per_currency(database_url):
    engine = create_catalog_engine(database_url)
    with migrate.migration_lock(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), BEFORE)
    states = ['{"GBP": "19.00", "USD": "26.50"}', "{}", None]
    states += [f'{{"USD": "{10 + i % 90}.25"}}' for i in range(5003 - len(states))]  # more than one batch
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO catalog_items (brand, name, offers, shops_in_stock, best_prices, best_price, "
                             "best_currency, created_at, updated_at) VALUES ('hallmark', :name, 1, 1, :prices, "
                             ":best, 'USD', :now, :now)"),
                     [{"name": f"Ornament {i}", "prices": p, "now": NOW, "best": None if not p or p == "{}" else 1}
                      for i, p in enumerate(states)])
    assert "ix_catalog_items_best_price" in _indexes(engine)
    assert migrate.upgrade(engine) == BEFORE
    assert "ix_catalog_items_best_price" not in _indexes(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT i.name, p.currency, p.price FROM item_prices p "
                                    "JOIN catalog_items i ON i.id = p.item_id")).all()
        assert len(rows) == 5002  # two for the first, none for the empty and missing ones
        prices = {(n, c): Decimal(p) for n, c, p in rows}
        assert prices[("Ornament 0", "GBP")] == Decimal("19.00") and prices[("Ornament 0", "USD")] == Decimal("26.50")
        assert prices[("Ornament 5002", "USD")] == Decimal(f"{10 + 4999 % 90}.25")
        in_gbp = conn.execute(item_query(item_conditions(None, None, None, None), "best_price", None, "GBP")).all()
        assert [r.name for r in in_gbp] == ["Ornament 0"]
    with migrate.migration_lock(engine) as conn:
        command.downgrade(migrate.alembic_config(conn), BEFORE)
    assert "ix_catalog_items_best_price" in _indexes(engine)
    assert not sa.inspect(engine).has_table("item_prices")
    engine.dispose()
