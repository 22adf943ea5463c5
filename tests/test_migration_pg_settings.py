"""Migrations search_statistics and catalog_items_fillfactor on PostgreSQL: a database made before them
gets what a new database is made with (the searched columns' statistics target of 1000, catalog_items at
fillfactor 70), and a downgrade gives back the server's defaults."""

from __future__ import annotations

from alembic import command

from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine

# The tables of public only: tests/test_schema.py makes the same tables in other schemas of this worker's database.
TARGETS = ("SELECT c.relname || '.' || a.attname, a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "WHERE c.relnamespace = 'public'::regnamespace "
           "AND (c.relname, a.attname) IN (('products', 'name'), ('products', 'sku'), ('catalog_items', 'search_name'))")
SEARCHED = {"products.name", "products.sku", "catalog_items.search_name"}
BEFORE = "item_prices"


def _settings(engine) -> tuple[dict[str, int], list[str] | None]:
    with engine.connect() as conn:
        targets = {name: target for name, target in conn.exec_driver_sql(TARGETS)}
        options = conn.exec_driver_sql("SELECT reloptions FROM pg_class WHERE oid = 'public.catalog_items'::regclass").scalar()
    return targets, options


def _downgrade(engine) -> None:
    with migrate.migration_lock(engine) as conn:
        command.downgrade(migrate.alembic_config(conn), BEFORE)


def test_an_older_database_gets_the_settings_a_new_database_has(pg_url):
    engine = create_catalog_engine(pg_url)
    with migrate.migration_lock(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), BEFORE)
    targets, options = _settings(engine)
    assert set(targets.values()) <= {-1, None} and options is None  # PostgreSQL 17 says NULL for the default
    migrate.upgrade(engine)
    assert _settings(engine) == (dict.fromkeys(SEARCHED, 1000), ["fillfactor=70"])
    _downgrade(engine)
    targets, options = _settings(engine)
    assert set(targets.values()) <= {-1, None} and options is None
    with engine.begin() as conn:  # a new database is made by create_all, with the same settings
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    assert migrate.upgrade(engine) is None
    assert _settings(engine) == (dict.fromkeys(SEARCHED, 1000), ["fillfactor=70"])
    engine.dispose()
