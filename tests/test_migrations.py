"""Alembic migrations: a database made by commit 41c81a7 (no alembic_version) upgrades in place and keeps its
rows, on SQLite and PostgreSQL; upgrading twice changes nothing; runs starting together migrate once; the
migrations ship inside the egg. The PostgreSQL catalog comparisons are in tests/test_schema.py."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore, migrate, product_row
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.schema import metadata, price_history, product_changes, products, sync_runs
from tests.fixtures.crawl import scrapy_command

# The database tests here run on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases

DATA = Path(__file__).resolve().parent / "data"
OLD_DDL = {"postgresql": DATA / "schema_41c81a7.sql", "sqlite": DATA / "schema_41c81a7.sqlite.sql"}
FAST_RETRY = RetryPolicy(attempts=5, backoff=0.05)
THEN = datetime(2024, 11, 2, 8, 0, tzinfo=timezone.utc)
# Columns that 41c81a7 did not have: an old row is written without them.
NEW_PRODUCT_COLUMNS = ("regular_price", "item_group_id", "affiliate_url")  # added after 41c81a7
HEAD = migrate.head_revision()  # the latest migration, whichever number it has


# --- an old database ------------------------------------------------------------------------------

def create_old_database(url: str) -> None:
    """The tables exactly as 41c81a7's metadata.create_all made them, and no alembic_version."""
    if sa.make_url(url).get_backend_name() == "sqlite":
        connection = sqlite3.connect(sa.make_url(url).database)
        connection.executescript(OLD_DDL["sqlite"].read_text())
        connection.close()
        return
    if sa.make_url(url).get_backend_name() == "mysql":  # no MySQL then: revision 0001 is that schema
        engine = create_catalog_engine(url)
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), "0001")
            conn.exec_driver_sql(f"DROP TABLE {migrate.VERSION_TABLE}")
        engine.dispose()
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(OLD_DDL["postgresql"].read_text())
    engine.dispose()


def old_item(i: int, price: str) -> dict:
    return {"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}", "url": f"https://s.example/{i}",
            "price": Decimal(price), "currency": "USD", "availability": "in_stock", "release_year": 2020}


def seed_old_rows(url: str) -> None:
    """Two products with prices, a finished run and a change, written with the old columns only."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        run_id = conn.execute(sa.insert(sync_runs).values(
            spider="shop", vendor="shop", mode="all", arguments="{}", started_at=THEN, finished_at=THEN,
            status="finished", finish_reason="finished", items_new=2)).inserted_primary_key[0]
        for i, price in ((1, "10.00"), (2, "24.95")):
            row = {k: v for k, v in product_row(old_item(i, price)).items() if k not in NEW_PRODUCT_COLUMNS}
            product_id = conn.execute(sa.insert(products).values(
                **row, created_at=THEN, last_seen_at=THEN, changed_at=THEN)).inserted_primary_key[0]
            conn.execute(sa.insert(price_history).values(
                product_id=product_id, price=Decimal(price), currency="USD", recorded_at=THEN, run_id=run_id))
        conn.execute(sa.insert(product_changes).values(
            product_id=product_id, field="availability", old_value="out_of_stock", new_value="in_stock",
            changed_at=THEN, run_id=run_id))
    engine.dispose()


def assert_old_rows_kept(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(products.c.vendor_product_id, products.c.price, products.c.url,
                                      products.c.missed_runs, products.c.regular_price)
                            .order_by(products.c.id)).all() == [
            ("P1", Decimal("10.00"), "https://s.example/1", 0, None),
            ("P2", Decimal("24.95"), "https://s.example/2", 0, None)]
        assert conn.execute(sa.select(products.c.vendor_product_id, price_history.c.price, price_history.c.run_id)
                            .join(products).order_by(price_history.c.id)).all() == [
            ("P1", Decimal("10.00"), 1), ("P2", Decimal("24.95"), 1)]
        assert conn.execute(sa.select(sync_runs.c.id, sync_runs.c.items_new, sync_runs.c.items_seen,
                                      sync_runs.c.held_back_removals, sync_runs.c.pid)).all() == [(1, 2, 0, 0, None)]
        assert conn.execute(sa.select(sa.func.count()).select_from(product_changes)).scalar() == 1
    engine.dispose()


def revision(url: str) -> str | None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = migrate.current_revision(conn)
    engine.dispose()
    return found


def write_new_fields(store: CatalogStore) -> None:
    """A run of the new code on the upgraded database: the new columns are written and read back."""
    run_id, _started = store.start_run("shop", "shop", {}, "all", None)
    rows = [product_row({**old_item(1, "12.00"), "url": None, "regular_price": "15.00", "item_group_id": "G1"}),
            product_row({**old_item(3, "5.00"), "url": None, "item_group_id": "G1"})]
    result = store.write_batch(run_id, 0, rows)
    store.finish_run(run_id, "finished", "finished", {}, 0)
    assert (result.new, result.updated) == (1, 1)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(products.c.vendor_product_id, products.c.url, products.c.price,
                                      products.c.regular_price, products.c.item_group_id, products.c.missed_runs)
                            .order_by(products.c.vendor_product_id)).all() == [
            ("P1", None, Decimal("12.00"), Decimal("15.00"), "G1", 0),
            ("P2", "https://s.example/2", Decimal("24.95"), None, None, 0),
            ("P3", None, Decimal("5.00"), None, "G1", 0)]
        history = conn.execute(sa.select(price_history.c.price).join(products)
                               .where(products.c.vendor_product_id == "P1").order_by(price_history.c.id)).scalars()
        assert list(history) == [Decimal("10.00"), Decimal("12.00")]
    with store.engine.begin() as conn:  # the run columns of 0002 take values
        conn.execute(sync_runs.update().where(sync_runs.c.id == run_id).values(
            reasons='["ok"]', stats="{}", items_seen=2, held_back_removals=1, pid=4242, hostname="h" * 255))


# --- tests ------------------------------------------------------------------------------------------

def test_an_old_database_upgrades_in_place_and_keeps_its_rows(database_url):
    create_old_database(database_url)
    seed_old_rows(database_url)
    assert revision(database_url) is None
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    assert revision(database_url) == migrate.head_revision() == HEAD
    assert_old_rows_kept(database_url)
    write_new_fields(store)
    store.close()


def test_an_upgraded_sqlite_database_has_the_tables_the_metadata_describes(sqlite_url, tmp_path):
    """Columns, NULLability, defaults, indexes and unique constraints as a new database gets them."""
    create_old_database(sqlite_url)
    seed_old_rows(sqlite_url)
    upgraded = create_catalog_engine(sqlite_url)
    fresh = create_catalog_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    for engine in (upgraded, fresh):
        migrate.upgrade(engine)
    assert sqlite_shape(upgraded) == sqlite_shape(fresh)
    with upgraded.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        # The trigram search index is PostgreSQL's only (ddl_if); alembic's compare does not know that.
        assert [d for d in compare_metadata(context, metadata)
                if not (d[0] == "add_index" and d[1].name.endswith("_trgm"))] == []
    upgraded.dispose()
    fresh.dispose()


def sqlite_shape(engine: sa.Engine) -> dict:
    inspector = sa.inspect(engine)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        columns = {c["name"]: (str(c["type"]), c["nullable"], c["default"], c.get("primary_key"))
                   for c in inspector.get_columns(table)}
        indexes = sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table))
        uniques = sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table))
        foreign = sorted((tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                         for f in inspector.get_foreign_keys(table))
        shape[table] = (columns, indexes, uniques, foreign)
    return shape


def test_upgrading_again_changes_nothing(database_url):
    create_old_database(database_url)
    seed_old_rows(database_url)
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    shape = sqlite_shape(store.engine)
    store.create_tables()
    assert migrate.upgrade(store.engine) == HEAD  # already at head
    engine = store.engine
    with migrate.migration_lock(engine) as conn:  # alembic's own upgrade is a no-op at head as well
        command.upgrade(migrate.alembic_config(conn), "head")
    assert sqlite_shape(engine) == shape
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
    assert_old_rows_kept(database_url)
    store.close()


def test_at_head_the_check_is_a_couple_of_queries_and_no_ddl(database_url):
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda conn, cursor, statement, *a: statements.append(statement))
    store.create_tables()
    real = [s for s in statements if not s.startswith("BEGIN")]  # SQLite's BEGIN IMMEDIATE
    assert len(real) <= 2, real
    assert not any(word in s.upper() for s in real for word in ("CREATE", "ALTER", "LOCK"))
    store.close()


def test_an_empty_database_is_created_at_head_and_stamped(database_url):
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    assert revision(database_url) == HEAD
    assert set(metadata.tables) <= set(sa.inspect(store.engine).get_table_names())
    store.close()


def test_runs_starting_together_on_an_old_database_migrate_it_once(database_url, caplog):
    create_old_database(database_url)
    seed_old_rows(database_url)
    stores = [CatalogStore(database_url, retry=FAST_RETRY) for _ in range(4)]
    from tests.test_storage import run_together
    with caplog.at_level(logging.INFO, logger="alembic.runtime.migration"):
        assert run_together(stores, CatalogStore.create_tables) == []
    upgrades = [r for r in caplog.records if r.getMessage().startswith("Running upgrade 0001 -> 0002")]
    assert len(upgrades) == 1
    assert revision(database_url) == HEAD
    assert_old_rows_kept(database_url)
    for store in stores:
        store.close()


def test_a_database_from_newer_code_is_refused(sqlite_url):
    store = CatalogStore(sqlite_url, retry=FAST_RETRY)
    store.create_tables()
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(migrate.SchemaTooNew, match="0099"):
        store.create_tables()
    store.close()


def test_scrapy_db_current_and_upgrade(sqlite_url):
    create_old_database(sqlite_url)
    seed_old_rows(sqlite_url)
    project = Path(__file__).resolve().parents[1]

    def db(*args: str) -> subprocess.CompletedProcess:
        return scrapy_command("db", *args, cwd=project, env={**os.environ, "DATABASE_URL": sqlite_url})

    before = db("current")
    assert before.returncode == 1 and "current: none (tables made before migrations" in before.stdout
    upgraded = db("upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"current: {HEAD}" in upgraded.stdout and f"head: {HEAD}" in upgraded.stdout
    after = db("current")
    assert after.returncode == 0 and f"current: {HEAD}" in after.stdout
    assert_old_rows_kept(sqlite_url)


def test_the_migrations_ship_in_the_egg_and_run_from_it(scrapyd_project, tmp_path):
    """find_packages picks ornaments.migrations(.versions); alembic reads them out of the zipped egg."""
    _project_dir, egg = scrapyd_project
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    create_old_database(url)
    seed_old_rows(url)
    code = ("import ornaments.migrations as m; from ornaments.storage import migrate;"
            "from ornaments.storage.engine import create_catalog_engine;"
            f"print(m.__file__); print(migrate.upgrade(create_catalog_engine({url!r}))); print(migrate.head_revision())")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(egg)})
    assert result.returncode == 0, result.stderr
    module_file, before, head = result.stdout.split()
    assert module_file.startswith(str(egg))  # imported from the zipped egg, not the checkout
    assert (before, head) == ("None", HEAD)
    assert revision(url) == HEAD
    assert_old_rows_kept(url)


def test_product_images_made_first_by_the_image_records_does_not_stop_the_creation(database_url):
    """ImageRecords creates its table lazily and outside the migration lock: create_tables still makes the rest."""
    from ornaments.storage.images import ImageRecords
    records = ImageRecords(database_url, retry=FAST_RETRY)
    records.create_table()
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    assert revision(database_url) == HEAD
    assert set(metadata.tables) <= set(sa.inspect(store.engine).get_table_names())
    records.close()
    store.close()
