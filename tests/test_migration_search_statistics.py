"""Migration search_statistics on PostgreSQL: the searched columns of a database made before it get the
statistics target a new database is made with (1000), and a downgrade gives them the server's default."""

from __future__ import annotations

from alembic import command

from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine

TARGETS = ("SELECT c.relname || '.' || a.attname, a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "WHERE (c.relname, a.attname) IN (('products', 'name'), ('products', 'sku'), ('catalog_items', 'search_name'))")
SEARCHED = {"products.name", "products.sku", "catalog_items.search_name"}


def _targets(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: target for name, target in conn.exec_driver_sql(TARGETS)}


def test_the_searched_columns_get_the_statistics_a_new_database_has(pg_url):
    engine = create_catalog_engine(pg_url)
    with migrate.migration_lock(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), "item_prices")
    assert set(_targets(engine).values()) <= {-1, None}  # PostgreSQL 17 says NULL for the default
    migrate.upgrade(engine)
    assert _targets(engine) == dict.fromkeys(SEARCHED, 1000)
    with migrate.migration_lock(engine) as conn:
        command.downgrade(migrate.alembic_config(conn), "item_prices")
    assert set(_targets(engine).values()) <= {-1, None}

    with engine.begin() as conn:  # a new database is made by create_all, with the same targets
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    assert migrate.upgrade(engine) is None and _targets(engine) == dict.fromkeys(SEARCHED, 1000)
    engine.dispose()
