"""Migration fixes_item_search_name on SQLite, PostgreSQL and MariaDB: the items made before it get their
folded search name (in batches), and GET /items?q= then finds them without accents."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command

from ornaments.api.items import item_conditions, item_query
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine

pytestmark = pytest.mark.three_databases

BEFORE = "items_name_search"
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def test_items_made_before_the_migration_are_found_without_accents(database_url):
    engine = create_catalog_engine(database_url)
    with migrate.migration_lock(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), BEFORE)
    names = ["Crème Brûlée Bakery Ornament", "Mickey’s Merry Christmas™", "Frosty Friends"]
    names += [f"Plain Ornament {i}" for i in range(5003 - len(names))]  # more than one batch of the migration
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO catalog_items (brand, name, offers, shops_in_stock, created_at, updated_at) "
                             "VALUES ('hallmark', :name, 1, 1, :now, :now)"), [{"name": n, "now": NOW} for n in names])
    assert migrate.upgrade(engine) == BEFORE
    with engine.connect() as conn:
        folded = dict(conn.execute(sa.text("SELECT name, search_name FROM catalog_items")).all())
        assert folded["Crème Brûlée Bakery Ornament"] == "creme brulee bakery ornament"
        assert folded["Mickey’s Merry Christmas™"] == "mickey's merry christmas "
        assert folded["Plain Ornament 4999"] == "plain ornament 4999" and None not in folded.values()

        def found(q: str) -> list[str]:
            return [r.name for r in conn.execute(item_query(item_conditions(q, None, None, None), "id", None))]
        assert found("creme brulee") == found("CRÈME brûlée") == ["Crème Brûlée Bakery Ornament"]
        assert found("mickey's") == found("mickey’s") == ["Mickey’s Merry Christmas™"]
    engine.dispose()
