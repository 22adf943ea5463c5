"""Two runs of one vendor at once: a product a run saw never ends removed by a run that started
earlier (ornaments.storage.removal), and a run that started earlier never writes over what a later one
wrote (ornaments.storage.sync). In-process CatalogStores, and two `scrapy crawl` processes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore, RemovalScope, product_row
from ornaments.storage.schema import price_history, product_changes, product_events, products, sync_runs
from tests.feedgen import merchant_item, write_merchant_feed
from tests.fixtures.crawl import PROJECT_ROOT, run_scrapy, scrapy_env
from tests.helpers import removal_policy, rows

# The database tests here run on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases

PATIENT = RetryPolicy(attempts=20, backoff=0.05)
COUNT = 600
MISSED_BY_A = range(540, 600)  # 10%: within the removal guard


def row(i: int) -> dict:
    return product_row({"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}",
                        "price": Decimal("5.00"), "currency": "USD", "availability": "in_stock"})


def test_concurrent_runs_never_remove_a_product_a_later_run_saw(database_url):
    seed = CatalogStore(database_url, retry=PATIENT)
    seed.create_tables()
    all_rows = [row(i) for i in range(COUNT)]
    rng = random.Random(7)
    for attempt in range(12):
        run_id, started = seed.start_run("test", "shop", {}, "all", None)
        seed.write_batch(run_id, 0, all_rows)
        seed.finish_run(run_id, "finished", "finished", {}, 0)  # every product live again
        with seed.engine.begin() as conn:
            conn.execute(products.update().values(removed_at=None, availability="in_stock", missed_runs=0))
        a_store, b_store = CatalogStore(database_url, retry=PATIENT), CatalogStore(database_url, retry=PATIENT)
        slow_bump = {"left": 1}

        @sa.event.listens_for(b_store.engine, "before_cursor_execute")
        def slow_first_bump(conn, cursor, statement, *args):
            # B has read its products as live; it bumps last_seen_at a second later. A run that
            # started earlier and removes meanwhile is the race this test is about.
            if slow_bump["left"] and statement.lstrip().upper().startswith("UPDATE PRODUCTS SET LAST_SEEN_AT"):
                slow_bump["left"] -= 1
                time.sleep(1.0)
        seen_by_b: dict[str, object] = {}
        errors: list[BaseException] = []

        def run_a(pause: float) -> None:
            try:
                a_id, a_started = a_store.start_run("test", "shop", {}, "all", None)
                a_store.write_batch(a_id, 0, [r for i, r in enumerate(all_rows) if i not in MISSED_BY_A])
                time.sleep(pause)  # A ends at a random moment of B's run
                a_store.finish_run(a_id, "finished", "finished", {}, 0, removal=RemovalScope("shop", a_started),
                                   policy=removal_policy())
            except BaseException as exc:
                errors.append(exc)

        def run_b() -> None:
            try:
                time.sleep(0.5)
                b_id, b_started = b_store.start_run("test", "shop", {}, "all", None)
                seen_by_b["started"] = b_started
                # B sees every product once, as a crawl does; A's missed products in its first batch.
                ordered = all_rows[540:] + all_rows[:540]
                for batch_no in range(6):
                    b_store.write_batch(b_id, batch_no, ordered[batch_no * 100:(batch_no + 1) * 100])
                b_store.finish_run(b_id, "partial", "finished", {}, 0)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run_a, args=(rng.uniform(0.2, 1.4),)), threading.Thread(target=run_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        a_store.close()
        b_store.close()
        assert errors == [], errors
        with seed.engine.connect() as conn:
            wrongly_removed = conn.execute(sa.select(sa.func.count()).select_from(products).where(
                products.c.removed_at.is_not(None))).scalar_one()
        # B started after A and saw every product: none may end removed.
        assert wrongly_removed == 0, f"attempt {attempt}: {wrongly_removed} products B saw ended removed"
    seed.close()


# --- an older run never writes over a newer one (issue 21) -------------------------------------------

def priced(i: int, price: str, **changes) -> dict:
    values = {"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}", "price": Decimal(price),
              "currency": "USD", "availability": "in_stock"}
    values.update(changes)
    return product_row(values)


def stored(store: CatalogStore) -> dict[str, sa.Row]:
    with store.engine.connect() as conn:
        return {r.vendor_product_id: r for r in conn.execute(sa.select(products))}


def test_an_older_run_committing_last_never_writes_over_a_newer_runs_products(database_url):
    """Runs A and B of one vendor; A started first (it read the shop earlier) but commits after B. Every
    product B wrote, confirmed unchanged, inserted or removed keeps B's values, and A's commit writes no
    event, price history or change row. Deterministic: the two stores are driven one after the other."""
    seed = CatalogStore(database_url, change_log_fields=["name", "availability"], retry=PATIENT)
    seed.create_tables()
    seed_id, _ = seed.start_run("test", "shop", {}, "all", None)
    seed.write_batch(seed_id, 0, [priced(i, "10.00") for i in range(1, 6)])
    seed.finish_run(seed_id, "finished", "finished", {}, 0)
    a_store, b_store = CatalogStore(database_url, retry=PATIENT), CatalogStore(database_url, retry=PATIENT)
    a_id, a_started = a_store.start_run("test", "shop", {}, "all", None)
    time.sleep(0.01)
    b_id, b_started = b_store.start_run("test", "shop", {}, "all", None)
    assert b_started > a_started
    # B (newer): P1 dearer, P2 unchanged, P3 renamed, P4 unchanged, P5 gone from the shop, P6 new.
    b_store.write_batch(b_id, 0, [priced(1, "12.00"), priced(2, "10.00"), priced(3, "10.00", name="Renamed"),
                                  priced(4, "10.00"), priced(6, "7.00")])
    assert b_store.finish_run(b_id, "finished", "finished", {}, 0,
                              removal=RemovalScope("shop", b_started)).removed == 1
    with seed.engine.connect() as conn:
        counts_before = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                         for t in (product_events, price_history, product_changes)]
    # A (older) commits last, with what it read earlier.
    result = a_store.write_batch(a_id, 0, [priced(1, "10.00"), priced(2, "9.00"), priced(3, "10.00"),
                                           priced(4, "10.00"), priced(5, "10.00"), priced(6, "8.00")])
    assert (result.new, result.updated, result.unchanged, result.older_run_skipped) == (0, 0, 6, 5)
    after = stored(seed)
    assert after["P1"].price == Decimal("12.00") and after["P2"].price == Decimal("10.00")
    assert after["P3"].name == "Renamed" and after["P6"].price == Decimal("7.00")
    assert after["P5"].removed_at is not None and after["P5"].availability == "discontinued"
    with seed.engine.connect() as conn:
        assert [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (product_events, price_history, product_changes)] == counts_before
    summary = a_store.finish_run(a_id, "finished", "finished", {}, 0, removal=RemovalScope("shop", a_started))
    assert summary.removed == 0 and stored(seed)["P5"].removed_at is not None
    # A run that starts after both writes as usual: P5 returns, P1's price moves.
    c_id, c_started = seed.start_run("test", "shop", {}, "all", None)
    assert seed.write_batch(c_id, 0, [priced(i, "11.00") for i in range(1, 7)]).updated == 6
    assert {r.price for r in stored(seed).values()} == {Decimal("11.00")} and stored(seed)["P5"].removed_at is None
    for store in (seed, a_store, b_store):
        store.close()


def test_an_older_run_waiting_on_a_newer_runs_row_locks_keeps_the_newer_values(server_url):
    """PostgreSQL and MariaDB, really at once: B (newer) holds its updated rows locked for a second before it commits;
    A's batch of the same products, sent meanwhile, waits on those locks and then finds B's values, which
    stay. (Without the run order, A locked, read B's committed rows and wrote its older prices over them.)"""
    seed = CatalogStore(server_url, retry=PATIENT)
    seed.create_tables()
    seed_id, _ = seed.start_run("test", "shop", {}, "all", None)
    seed.write_batch(seed_id, 0, [priced(i, "10.00") for i in range(50)])
    seed.finish_run(seed_id, "finished", "finished", {}, 0)
    a_store, b_store = CatalogStore(server_url, retry=PATIENT), CatalogStore(server_url, retry=PATIENT)
    a_id, _ = a_store.start_run("test", "shop", {}, "all", None)
    time.sleep(0.01)
    b_id, _ = b_store.start_run("test", "shop", {}, "all", None)
    holding = threading.Event()

    @sa.event.listens_for(b_store.engine, "commit")
    def slow_commit(conn):
        holding.set()
        time.sleep(1.0)

    b_thread = threading.Thread(target=b_store.write_batch, args=(b_id, 0, [priced(i, "12.00") for i in range(50)]))
    b_thread.start()
    assert holding.wait(10)
    a_result = a_store.write_batch(a_id, 0, [priced(i, "9.00") for i in range(50)])
    b_thread.join()
    assert a_result.older_run_skipped == 50 and a_result.updated == 0
    assert {r.price for r in stored(seed).values()} == {Decimal("12.00")}
    for store in (seed, a_store, b_store):
        store.close()


def test_two_scrapy_crawls_the_older_finishing_last_keep_the_newer_prices(pg_url, serve_directory, tmp_path):
    """End to end: crawl A of a vendor starts and waits for its feed; crawl B of the same vendor starts
    later, reads newer prices and finishes; then A's (older) feed arrives and A stores last. B's prices
    stay, A's run says it kept them (older_run_skipped) and still ends finished."""
    env = scrapy_env(DATABASE_URL=pg_url)
    seed_feed = write_merchant_feed(tmp_path / "seed.xml", [merchant_item(i, "10.00") for i in range(20)])
    assert run_scrapy("crawl", "google_merchant", "-a", f"feed={seed_feed}", env=env).returncode == 0
    write_merchant_feed(tmp_path / "older.xml", [merchant_item(i, "11.00") for i in range(20)])
    newer_feed = write_merchant_feed(tmp_path / "newer.xml", [merchant_item(i, "12.00") for i in range(20)])
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = serve_directory(tmp_path)
    asked, release = threading.Event(), threading.Event()

    def held_back_feed(request):
        asked.set()
        release.wait(120)  # A's feed arrives only once B has finished
        return 200, "application/xml", (tmp_path / "older.xml").read_bytes()

    server.routes["/older.xml"] = held_back_feed
    log_path = tmp_path / "older.log"
    with open(log_path, "w") as log_file:
        older = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "google_merchant", "-a",
                                  f"feed={server.url}/older.xml"], cwd=PROJECT_ROOT, env=env,
                                 stdout=log_file, stderr=subprocess.STDOUT)
    try:
        assert asked.wait(60), "crawl A never asked for its feed"
        # A's run is recorded: the pipeline opened before any request.
        assert [r.status for r in rows(pg_url, sa.select(sync_runs).order_by(sync_runs.c.id))] == ["finished", "running"]
        newer = run_scrapy("crawl", "google_merchant", "-a", f"feed={newer_feed}", env=env)
        assert newer.returncode == 0 and "0 new, 20 updated" in newer.log, newer
    finally:
        release.set()
        older.wait(120)
    log = log_path.read_text()
    assert older.returncode == 0, log[-4000:]
    assert {r.price for r in rows(pg_url, sa.select(products))} == {Decimal("12.00")}
    assert "products were already written by a run of this vendor that started after this one" in log, log[-4000:]
    a_run, b_run = rows(pg_url, sa.select(sync_runs).order_by(sync_runs.c.id))[1:]
    assert json.loads(a_run.stats)["ornaments/products/older_run_skipped"] == 20
    assert a_run.started_at < b_run.started_at and a_run.finished_at > b_run.finished_at
    assert (a_run.status, a_run.items_updated, a_run.items_unchanged, a_run.items_removed) == ("finished", 0, 20, 0)
