"""The change outbox: a sequence of syncs writes exactly the expected product_events, on SQLite and on the
real PostgreSQL; unchanged products and replayed batches write none; a connection killed mid-batch on
PostgreSQL leaves no duplicate and no missing event."""

from __future__ import annotations

import csv
import json
import subprocess
import threading
import time
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from ornaments.events import event_json
from ornaments.storage.outbox import price_change, stock_event
from ornaments.storage import CatalogStore, migrate
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.schema import product_events, products
from tests.fixtures.catalog_store import FAST_RETRY
from tests.fixtures.crawl import run_scrapy, scrapy_command, scrapy_env
from tests.helpers import kill_connection_at_batch_commit
from tests.test_storage import row, sync, table

# The database tests here run on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases


def events(store: CatalogStore, after: int = 0) -> list[dict]:
    query = sa.select(product_events).where(product_events.c.id > after).order_by(product_events.c.id)
    return [event_json(r._mapping) for r in table(store, query)]


def brief(found: list[dict]) -> list[tuple]:
    return [(e["type"], e["vendor_product_id"]) for e in found]


def test_a_product_life_yields_exactly_its_events(store):
    result, summary = sync(store, [row(1, "10.00"), row(2, "5.00")])
    first = events(store)
    assert brief(first) == [("created", "P1"), ("created", "P2")]
    assert first[0]["data"] == {"name": "Ornament 1", "sku": None, "price": "10.00", "currency": "USD",
                                "regular_price": None, "availability": "in_stock", "url": "https://s.example/1",
                                "release_year": 2020, "affiliate_url": None}
    assert first[0]["run_id"] == summary.run_id and first[0]["vendor"] == "shop" and first[0]["product_id"]
    assert first[0]["occurred_at"].endswith("Z")
    steps = [
        ([row(1, "12.00"), row(2, "5.00")], [("price_changed", "P1")]),
        ([row(1, "10.00"), row(2, "5.00")], [("price_changed", "P1")]),  # A -> B -> A: two changes
        ([row(1, "10.00"), row(2, "5.00")], []),  # unchanged: nothing
        ([row(1, "10.00", availability="out_of_stock"), row(2, "5.00")], [("out_of_stock", "P1")]),
        ([row(1, "10.00"), row(2, "5.00")], [("back_in_stock", "P1")]),
        ([row(1, "10.00")], [("removed", "P2")]),  # a clean run that did not see P2
        ([row(1, "10.00"), row(2, "5.00")], [("returned", "P2")]),
        ([row(1, "10.00", description="Boxed", name="Ornament one"), row(2, "5.00")], [("updated", "P1")]),
    ]
    seen = first
    for rows, expected in steps:
        last = seen[-1]["id"]
        sync(store, rows)
        seen = events(store, last) or seen
        assert brief(events(store, last)) == expected
    everything = events(store)
    assert [e["id"] for e in everything] == sorted(e["id"] for e in everything)
    assert len(everything) == 2 + 7
    up, down = [e["data"] for e in everything if e["type"] == "price_changed"]
    assert up == {"old_price": "10.00", "old_currency": "USD", "new_price": "12.00", "new_currency": "USD",
                  "old_regular_price": None, "new_regular_price": None, "direction": "up", "percent": "20.00"}
    assert (down["direction"], down["percent"], down["new_price"]) == ("down", "-16.67", "10.00")
    by_type = {e["type"]: e["data"] for e in everything}
    assert by_type["out_of_stock"] == {"old": "in_stock", "new": "out_of_stock"}
    assert by_type["back_in_stock"] == {"old": "out_of_stock", "new": "in_stock"}
    assert by_type["removed"]["name"] == "Ornament 2"
    assert by_type["returned"]["availability"] == "in_stock" and by_type["returned"]["price"] == "5.00"
    assert by_type["updated"] == {"fields": {"name": {"old": "Ornament 1", "new": "Ornament one"},
                                             "description": {"old": None, "new": "Boxed"}}}


def test_a_replayed_batch_writes_no_event_twice(store):
    run_id, _ = store.start_run("test", "shop", {}, "all", None)
    store.write_batch(run_id, 0, [row(1), row(2)])
    assert store.write_batch(run_id, 0, [row(1), row(2)]).replayed
    assert brief(events(store)) == [("created", "P1"), ("created", "P2")]


def test_a_price_appearing_or_changing_currency_has_no_direction(store):
    sync(store, [row(1, None)])
    sync(store, [row(1, "4.00")])
    sync(store, [row(1, "4.00", currency="EUR")])
    appeared, currency = [e["data"] for e in events(store) if e["type"] == "price_changed"]
    assert appeared == {"old_price": None, "old_currency": None, "new_price": "4.00", "new_currency": "USD",
                        "old_regular_price": None, "new_regular_price": None, "direction": None, "percent": None}
    assert (currency["old_currency"], currency["new_currency"], currency["direction"]) == ("USD", "EUR", None)


def test_one_price_change_is_one_event_with_the_regular_price_in_it(store):
    """A Merchant product's regular price is its g:price: a price change moves both, and is one
    price_changed (with the regular prices), never also an "updated" of regular_price."""
    sync(store, [row(1, "10.00", regular_price=Decimal("10.00")), row(2, "20.00", regular_price=Decimal("25.00"))])
    last = events(store)[-1]["id"]
    sync(store, [row(1, "12.00", regular_price=Decimal("12.00")), row(2, "20.00", regular_price=Decimal("25.00"))])
    moved = events(store, last)
    assert brief(moved) == [("price_changed", "P1")]
    assert moved[0]["data"] == {"old_price": "10.00", "old_currency": "USD", "new_price": "12.00",
                                "new_currency": "USD", "old_regular_price": "10.00", "new_regular_price": "12.00",
                                "direction": "up", "percent": "20.00"}
    # A second shape: only the compare-at price moves (a shop's list price), then it moves with a name.
    last = moved[-1]["id"]
    sync(store, [row(1, "12.00", regular_price=Decimal("12.00")), row(2, "20.00", regular_price=Decimal("30.00"))])
    alone = events(store, last)
    assert brief(alone) == [("price_changed", "P2")]
    assert (alone[0]["data"]["old_regular_price"], alone[0]["data"]["new_regular_price"],
            alone[0]["data"]["old_price"], alone[0]["data"]["new_price"], alone[0]["data"]["direction"]) == \
        ("25.00", "30.00", "20.00", "20.00", None)
    last = alone[-1]["id"]
    sync(store, [row(1, "12.00", regular_price=Decimal("12.00")),
                 row(2, "20.00", regular_price=None, name="Ornament two")])
    both = events(store, last)
    assert brief(both) == [("price_changed", "P2"), ("updated", "P2")]
    assert both[0]["data"]["new_regular_price"] is None
    assert both[1]["data"] == {"fields": {"name": {"old": "Ornament 2", "new": "Ornament two"}}}


def test_stock_events_are_moves_between_buyable_and_not():
    assert stock_event("out_of_stock", "preorder") == "back_in_stock"
    assert stock_event("backorder", "discontinued") == "out_of_stock"
    assert stock_event("unknown", "in_stock") is None  # an "updated" of availability
    assert stock_event("in_stock", "preorder") is None
    assert price_change(None, None, None, None)["percent"] is None


def test_a_connection_killed_mid_batch_leaves_no_duplicate_and_no_missing_event(server_url):
    """pg_terminate_backend hits the batch right after its events went in, twice; the batch is written
    again on a new connection, and its events are there exactly once."""
    store = CatalogStore(server_url, change_log_fields=["availability"], retry=FAST_RETRY)
    store.create_tables()
    sync(store, [row(i, "3.00") for i in range(40)])
    kills = kill_connection_at_batch_commit(store.engine, server_url)

    last = events(store)[-1]["id"]
    changed = [row(i, "4.00" if i % 2 else "3.00", availability="out_of_stock" if i % 5 == 0 else "in_stock")
               for i in range(40)] + [row(i, "9.00") for i in range(40, 60)]
    sync(store, changed)
    assert kills["left"] == 0 and store.reconnects == 2
    found = brief(events(store, last))
    expected = sorted([("created", f"P{i}") for i in range(40, 60)]) + [
        kind for i in sorted(range(40), key=lambda i: f"P{i}") for kind in (
            ([("price_changed", f"P{i}")] if i % 2 else []) + ([("out_of_stock", f"P{i}")] if i % 5 == 0 else []))]
    assert found == expected
    store.close()


# --- the change feed: scrapy changes --since -------------------------------------------------------

def changes(url: str, *args: str):
    return run_scrapy("changes", *args, env=scrapy_env(DATABASE_URL=url))


def test_scrapy_changes_since_a_cursor_in_every_format(sqlite_url, tmp_path):
    store = CatalogStore(sqlite_url, retry=FAST_RETRY)
    store.create_tables()
    sync(store, [row(1, "10.00"), row(2, "5.00")])
    sync(store, [row(1, "8.00"), row(2, "5.00", availability="out_of_stock")])
    everything = events(store)
    first = run_scrapy_split(sqlite_url, "--since", "0")
    assert [json.loads(line) for line in first.stdout.splitlines()] == everything
    assert first.stderr.strip().endswith(f"4 events; cursor: {everything[-1]['id']}")
    # the cursor printed is where the next call continues; nothing new: nothing printed, same cursor
    again = run_scrapy_split(sqlite_url, "--since", str(everything[-1]["id"]))
    assert again.stdout == "" and again.stderr.strip().endswith(f"cursor: {everything[-1]['id']}")
    # filters: the cursor still moves past what they leave out
    drops = run_scrapy_split(sqlite_url, "--since", "0", "--types", "price_changed", "--vendor", "shop")
    assert [json.loads(line)["type"] for line in drops.stdout.splitlines()] == ["price_changed"]
    assert drops.stderr.strip().endswith(f"cursor: {everything[-1]['id']}")
    # an ISO time, JSON and CSV, to a file and to a file:// feed storage URI
    target = tmp_path / "events.json"
    done = run_scrapy_split(sqlite_url, "--since", "2000-01-01T00:00:00Z", "--format", "json", "--output", str(target))
    assert done.returncode == 0 and json.loads(target.read_text()) == everything
    csv_target = tmp_path / "events.csv"
    done = run_scrapy_split(sqlite_url, "--since", "0", "--format", "csv", "--output", f"file://{csv_target}")
    table_rows = list(csv.DictReader(csv_target.open()))
    assert [int(r["id"]) for r in table_rows] == [e["id"] for e in everything]
    assert json.loads(table_rows[2]["data"]) == everything[2]["data"]
    # a Scrapy feed storage by its URI scheme (FEED_STORAGES), here stdout:
    storage = run_scrapy_split(sqlite_url, "--since", "0", "--output", "stdout:")
    assert [json.loads(line) for line in storage.stdout.splitlines()] == everything
    limited = run_scrapy_split(sqlite_url, "--since", "0", "--limit", "1")
    assert len(limited.stdout.splitlines()) == 1 and limited.stderr.strip().endswith(f"cursor: {everything[0]['id']}")
    bad = run_scrapy_split(sqlite_url, "--since", "0", "--types", "sold")
    assert bad.returncode != 0 and "unknown event type(s) sold" in bad.stderr
    # without --since: what the latest run changed, as before
    report = changes(sqlite_url)
    assert report.returncode == 0 and "price        P1" in report.log
    store.close()


def run_scrapy_split(url: str, *args: str) -> subprocess.CompletedProcess:
    """`scrapy changes *args` with its stdout and stderr apart."""
    return scrapy_command("changes", *args, env=scrapy_env(DATABASE_URL=url))


# --- schema: a sync refuses a database behind the code ----------------------------------------------

def test_a_crawl_refuses_a_database_behind_the_code_until_scrapy_db_upgrade(database_url):
    """A database at the previous revision, with rows: the crawl refuses it with a message naming the fix,
    `scrapy db upgrade` brings it to head keeping every row, and then the crawl syncs (and writes events)."""
    engine = create_catalog_engine(database_url)
    store = CatalogStore(database_url, retry=FAST_RETRY)
    store.create_tables()
    sync(store, [row(1, "10.00")])  # rows written at head (the code writes the head's columns)...
    before = events(store)
    with migrate.migration_lock(engine) as conn:
        config = migrate.alembic_config(conn)
        previous = ScriptDirectory.from_config(config).get_revision(migrate.head_revision()).down_revision
        command.downgrade(config, previous)  # ...then the schema one migration behind the code
    store.close()
    store = CatalogStore(database_url, retry=FAST_RETRY)
    with pytest.raises(migrate.SchemaTooOld, match="scrapy db upgrade"):
        store.create_tables(upgrade=False)
    feed = run_scrapy("crawl", "google_merchant", "-a", "feed=google_merchant.xml",
                      env=scrapy_env(DATABASE_URL=database_url))
    assert feed.returncode == 5  # failed
    assert "older than this code's" in feed.log and "run `scrapy db upgrade`" in feed.log
    upgraded = run_scrapy("db", "upgrade", env=scrapy_env(DATABASE_URL=database_url))
    assert upgraded.returncode == 0 and f"current: {migrate.head_revision()}" in upgraded.log
    assert events(store) == before and len(table(store, sa.select(products))) == 1
    feed = run_scrapy("crawl", "google_merchant", "-a", "feed=google_merchant.xml",
                      env=scrapy_env(DATABASE_URL=database_url))
    assert feed.returncode == 0, feed.log
    assert {e["type"] for e in events(store, before[-1]["id"])} == {"created"}
    store.close()
    engine.dispose()


def test_event_ids_become_visible_in_id_order_while_runs_commit_together(server_url):
    """A reader that follows `id > cursor` misses nothing while two runs of different vendors write at
    once, one of them slow to commit after its events went in (without the ordering lock, the other's
    higher ids would be visible first and the reader's cursor would skip the slow one's)."""
    stores = [CatalogStore(server_url, retry=FAST_RETRY) for _ in range(2)]
    stores[0].create_tables()

    @sa.event.listens_for(stores[0].engine, "before_cursor_execute")
    def slow_commit(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO SYNC_BATCHES"):
            time.sleep(0.3)

    seen: list[int] = []
    done = threading.Event()

    def follow() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            found = [r.id for r in table(stores[1], sa.select(product_events.c.id)
                                         .where(product_events.c.id > cursor).order_by(product_events.c.id))]
            seen.extend(found)
            cursor = found[-1] if found else cursor
            if finished:
                return
            time.sleep(0.01)

    def write(store: CatalogStore, vendor: str) -> None:
        run_id, _ = store.start_run("test", vendor, {}, "all", None)
        for batch_no in range(4):
            keys = range(batch_no * 25, batch_no * 25 + 25)
            store.write_batch(run_id, batch_no, [row(i, vendor=vendor) for i in keys])

    reader = threading.Thread(target=follow)
    reader.start()
    writers = [threading.Thread(target=write, args=(s, v)) for s, v in zip(stores, ("slow", "quick"))]
    for t in writers:
        t.start()
    for t in writers:
        t.join(60)
    done.set()
    reader.join(30)
    assert len(seen) == 200 and seen == sorted(seen)
    assert seen == [r.id for r in table(stores[1], sa.select(product_events.c.id).order_by(product_events.c.id))]
    for s in stores:
        s.close()
