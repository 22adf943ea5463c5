"""The sync rule, on SQLite and on the real PostgreSQL (database_url runs each test on both)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore, RemovalScope, product_row
from ornaments.storage.schema import price_history, product_changes, products, sync_runs
from tests.helpers import kill_connection_at_batch_commit

# The database tests here run on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases

FAST_RETRY = RetryPolicy(attempts=5, backoff=0.05)


def row(i: int, price: str | None = "10.00", **changes) -> dict:
    item = {"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}", "url": f"https://s.example/{i}",
            "price": None if price is None else Decimal(price), "currency": None if price is None else "USD",
            "availability": "in_stock", "release_year": 2020, "image_urls": [f"https://s.example/{i}.jpg"]}
    item.update(changes)
    return product_row(item)


def sync(store: CatalogStore, rows: list[dict], year: int | None = None, status: str = "finished"):
    run_id, started = store.start_run("test", "shop", {}, "year" if year else "all", year)
    result = store.write_batch(run_id, 0, rows)
    removal = RemovalScope("shop", started, year) if status == "finished" else None
    return result, store.finish_run(run_id, status, "finished", {}, 0, removal=removal)


def table(store: CatalogStore, query) -> list:
    with store.engine.connect() as conn:
        return conn.execute(query).all()


def test_first_sync_inserts_products_and_their_first_prices(store):
    result, summary = sync(store, [row(1, "10.00"), row(2, "1299.95"), row(3, None)])
    assert (result.new, result.updated, result.unchanged) == (3, 0, 0)
    assert (summary.new, summary.status) == (3, "finished")
    prices = table(store, sa.select(products.c.vendor_product_id, products.c.price).order_by(products.c.id))
    assert prices == [("P1", Decimal("10.00")), ("P2", Decimal("1299.95")), ("P3", None)]
    # A product that never had a price gets no history row until it has one.
    assert len(table(store, sa.select(price_history))) == 2
    sync(store, [row(3, "4.50")])
    history = table(store, sa.select(products.c.vendor_product_id, price_history.c.price).join(products)
                    .where(products.c.vendor_product_id == "P3"))
    assert history == [("P3", Decimal("4.50"))]


def test_identical_second_sync_changes_nothing_but_last_seen(store):
    sync(store, [row(1), row(2)])
    before = table(store, sa.select(products).order_by(products.c.id))
    result, summary = sync(store, [row(1), row(2)])
    after = table(store, sa.select(products).order_by(products.c.id))
    assert (result.new, result.updated, result.unchanged, result.history_rows) == (0, 0, 2, 0)
    assert summary.removed == 0
    for old, new in zip(before, after):
        assert old.changed_at == new.changed_at and old.created_at == new.created_at
        assert new.last_seen_at > old.last_seen_at
    assert len(table(store, sa.select(price_history))) == 2
    assert table(store, sa.select(product_changes)) == []


def test_price_a_b_a_gives_three_history_rows(store):
    for price in ("10.00", "12.00", "10.00"):
        sync(store, [row(1, price)])
    history = table(store, sa.select(price_history.c.price).order_by(price_history.c.id))
    assert [h.price for h in history] == [Decimal("10.00"), Decimal("12.00"), Decimal("10.00")]


def test_a_currency_change_is_a_price_change(store):
    sync(store, [row(1, "10.00")])
    sync(store, [row(1, "10.00", currency="EUR")])
    history = table(store, sa.select(price_history.c.price, price_history.c.currency).order_by(price_history.c.id))
    assert history == [(Decimal("10.00"), "USD"), (Decimal("10.00"), "EUR")]


def test_tracked_field_changes_move_changed_at_and_go_to_the_change_log(store):
    sync(store, [row(1), row(2)])
    before = {r.vendor_product_id: r.changed_at for r in table(store, sa.select(products))}
    result, _ = sync(store, [row(1, availability="out_of_stock", name="Ornament one"), row(2, description="new text")])
    assert (result.updated, result.unchanged, result.history_rows) == (2, 0, 0)
    after = {r.vendor_product_id: r.changed_at for r in table(store, sa.select(products))}
    assert after["P1"] > before["P1"] and after["P2"] > before["P2"]
    changes = table(store, sa.select(product_changes.c.field, product_changes.c.old_value, product_changes.c.new_value)
                    .order_by(product_changes.c.id))
    # description changed the product, but only availability and name are switched on for the log
    assert changes == [("availability", "in_stock", "out_of_stock"), ("name", "Ornament 1", "Ornament one")]


def test_a_retried_batch_is_not_applied_twice(store):
    run_id, _ = store.start_run("test", "shop", {}, "all", None)
    first = store.write_batch(run_id, 0, [row(1), row(2)])
    replay = store.write_batch(run_id, 0, [row(1), row(2)])
    assert replay.replayed and (replay.new, replay.updated) == (first.new, first.updated) == (2, 0)
    summary = store.finish_run(run_id, "finished", "finished", {}, 0)
    assert (summary.new, summary.unchanged) == (2, 0)
    assert len(table(store, sa.select(price_history))) == 2


def test_finishing_a_run_twice_removes_and_counts_once(store):
    sync(store, [row(1), row(2)])
    run_id, started = store.start_run("test", "shop", {}, "all", None)
    store.write_batch(run_id, 0, [row(1)])
    first = store.finish_run(run_id, "finished", "finished", {"duplicate": 1}, 0, removal=RemovalScope("shop", started))
    again = store.finish_run(run_id, "finished", "finished", {}, 0, removal=RemovalScope("shop", started))
    assert first.removed == again.removed == 1 and again.dropped == {"duplicate": 1}


def test_unseen_products_are_removed_after_a_clean_run_and_return_when_seen(store):
    sync(store, [row(1), row(2), row(3)])
    _, summary = sync(store, [row(1), row(3)])
    assert summary.removed == 1
    gone = table(store, sa.select(products).where(products.c.vendor_product_id == "P2"))[0]
    assert gone.removed_at is not None and gone.availability == "discontinued"
    result, summary = sync(store, [row(1), row(2), row(3)])
    back = table(store, sa.select(products).where(products.c.vendor_product_id == "P2"))[0]
    assert back.removed_at is None and back.availability == "in_stock"
    assert (result.updated, summary.removed) == (1, 0)
    fields = [r.field for r in table(store, sa.select(product_changes).order_by(product_changes.c.id))]
    assert fields == ["removed_at", "availability", "availability", "removed_at"]


def test_runs_that_are_not_clean_remove_nothing(store):
    sync(store, [row(1), row(2)])
    for status in ("incomplete", "failed", "cancelled", "suspect", "partial"):
        _, summary = sync(store, [row(1)], status=status)
        assert summary.removed == 0 and summary.status == status
    assert table(store, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_a_year_run_removes_only_within_its_year(store):
    sync(store, [row(1, release_year=2020), row(2, release_year=2020), row(3, release_year=2021)])
    _, summary = sync(store, [row(1, release_year=2020)], year=2020)
    removed = table(store, sa.select(products.c.vendor_product_id).where(products.c.removed_at.is_not(None)))
    assert summary.removed == 1 and removed == [("P2",)]


def test_run_record_holds_arguments_counts_and_status(store):
    run_id, _ = store.start_run("google_merchant", "google_merchant", {"year": 2020}, "year", 2020)
    store.write_batch(run_id, 0, [row(1)])
    store.write_batch(run_id, 1, [row(2)])
    store.finish_run(run_id, "finished", "finished", {"missing_url": 2}, 0, {"coverage": {"price": 1.0}})
    run = table(store, sa.select(sync_runs))[0]
    assert (run.spider, run.mode, run.scope_year, run.status, run.items_new, run.items_dropped) == \
        ("google_merchant", "year", 2020, "finished", 2, 2)
    assert '"year": 2020' in run.arguments and '"missing_url": 2' in run.dropped_reasons
    assert run.finished_at >= run.started_at


def run_together(stores: list[CatalogStore], work) -> list[Exception]:
    """work(store) for every store at once, each in its own thread, started together; the errors."""
    barrier, errors = threading.Barrier(len(stores)), []

    def run(s: CatalogStore) -> None:
        barrier.wait()
        try:
            work(s)
        except Exception as exc:  # returned to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in stores:
        s.close()
    return errors


def test_concurrent_runs_of_one_vendor_create_no_duplicates(store, database_url):
    rows = [row(i, "5.00") for i in range(300)]

    def sync_in_batches(s: CatalogStore) -> None:
        run_id, _ = s.start_run("test", "shop", {}, "all", None)
        for batch_no in range(3):
            s.write_batch(run_id, batch_no, rows[batch_no * 100:(batch_no + 1) * 100])

    stores = [CatalogStore(database_url, retry=RetryPolicy(attempts=10, backoff=0.05)) for _ in range(2)]
    assert run_together(stores, sync_in_batches) == []
    assert table(store, sa.select(sa.func.count()).select_from(products))[0][0] == 300
    assert table(store, sa.select(sa.func.count()).select_from(price_history))[0][0] == 300


def test_a_connection_killed_mid_batch_is_retried_to_the_same_final_state(pg_url):
    """pg_terminate_backend kills the store's connection inside a batch's transaction; the batch is
    rolled back by the server and written again on a new connection, once."""
    store = CatalogStore(pg_url, change_log_fields=["availability"], retry=FAST_RETRY)
    store.create_tables()
    kills = kill_connection_at_batch_commit(store.engine, pg_url)

    run_id, _ = store.start_run("test", "shop", {}, "all", None)
    result = store.write_batch(run_id, 0, [row(i, "3.00") for i in range(50)])
    summary = store.finish_run(run_id, "finished", "finished", {}, 0)
    assert kills["left"] == 0 and store.reconnects == 2
    assert (result.new, summary.new) == (50, 50)
    assert table(store, sa.select(sa.func.count()).select_from(products))[0][0] == 50
    assert table(store, sa.select(sa.func.count()).select_from(price_history))[0][0] == 50
    store.close()


def test_a_database_that_stays_down_fails_after_bounded_retries():
    store = CatalogStore("postgresql+psycopg2://postgres@127.0.0.1:1/none", retry=RetryPolicy(attempts=3, backoff=0.01))
    with pytest.raises(sa.exc.OperationalError):
        store.create_tables()
    assert store.reconnects == 2


def test_unknown_change_log_fields_are_refused(sqlite_url):
    with pytest.raises(ValueError, match="not tracked"):
        CatalogStore(sqlite_url, change_log_fields=["colour"])


def test_runs_starting_together_on_an_empty_database_both_create_tables(database_url):
    stores = [CatalogStore(database_url, retry=FAST_RETRY) for _ in range(4)]
    assert run_together(stores, CatalogStore.create_tables) == []


@pytest.mark.parametrize("shortcut", [True, False], ids=["unchanged-shortcut", "general-path"])
def test_a_mixed_batch_is_stored_alike_with_or_without_the_unchanged_shortcut(pg_url, shortcut):
    """On PostgreSQL a re-sync marks unchanged products seen with one UPDATE ... FROM unnest
    (CatalogStore._touch_unchanged), used while batches hold unchanged products. Both paths must give
    the same counts, rows, history, change log and events for a batch mixing every kind of record."""
    from ornaments.storage.schema import product_events
    store = CatalogStore(pg_url, change_log_fields=["availability", "name"], retry=FAST_RETRY)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *args: statements.append(statement))
    try:
        store.create_tables()
        sync(store, [row(i) for i in range(1, 7)])
        with store.engine.begin() as conn:  # P5 was removed by an earlier run; its values are the same
            conn.execute(products.update().where(products.c.vendor_product_id == "P5")
                         .values(removed_at=sa.func.now(), missed_runs=2))
        before = {r.vendor_product_id: r for r in table(store, sa.select(products))}
        events_before = len(table(store, sa.select(product_events)))
        store._expect_unchanged = shortcut
        statements.clear()
        result, _ = sync(store, [row(1), row(2, "12.00"), row(3, name="Ornament three"),
                                 row(4, None, unreadable=["price"]), row(5),
                                 {"vendor": "shop", "vendor_product_id": "P6", "seen_only": True}, row(7)])
        assert any("unnest" in s for s in statements) == shortcut
        assert (result.new, result.updated, result.unchanged, result.seen_dropped) == (1, 3, 2, 1)
        assert (result.history_rows, result.change_rows) == (2, 2)  # change log: P3's name, P5's return
        after = {r.vendor_product_id: r for r in table(store, sa.select(products))}
        for vpid in ("P1", "P2", "P3", "P4", "P5", "P6"):
            assert after[vpid].last_seen_at > before[vpid].last_seen_at and after[vpid].missed_runs == 0, vpid
        assert [after[v].changed_at == before[v].changed_at for v in ("P1", "P2", "P3", "P4", "P5", "P6")] == \
            [True, False, False, True, False, True]
        assert after["P4"].price == Decimal("10.00") and after["P5"].removed_at is None
        history = table(store, sa.select(products.c.vendor_product_id, price_history.c.price).join(products)
                        .order_by(price_history.c.id))
        assert history[6:] == [("P7", Decimal("10.00")), ("P2", Decimal("12.00"))]
        events = table(store, sa.select(product_events.c.vendor_product_id, product_events.c.type)
                       .order_by(product_events.c.id))[events_before:]
        assert sorted(events) == [("P2", "price_changed"), ("P3", "updated"), ("P5", "returned"), ("P7", "created")]
    finally:
        store.close()


@pytest.mark.parametrize("analyze", [True, False], ids=["statistics-kept", "control-without"])
def test_a_growing_table_keeps_key_lookups_on_the_unique_index(pg_url, monkeypatch, analyze):
    """A first sync fills products from nothing; unless its statistics follow, PostgreSQL plans the next
    batches' key lookups for an empty table and hashes all of products per batch (quadratic in the
    catalogue). CatalogStore ANALYZEs products as it grows (the control run shows the plan without)."""
    from ornaments.storage import batches, sync as sync_module
    if not analyze:
        monkeypatch.setattr(batches, "ANALYZE_AFTER_ROWS", 10**9)
    store = CatalogStore(pg_url, retry=FAST_RETRY)
    try:
        store.create_tables()
        run_id, _ = store.start_run("test", "shop", {}, "all", None)
        for batch in range(4):
            store.write_batch(run_id, batch, [row(i) for i in range(batch * 5000, (batch + 1) * 5000)])
        assert (store.analyzed >= 1) == analyze
        keys = [f"P{i}" for i in range(100)]  # a batch against a table 200 times its size
        with store.engine.connect() as conn:
            plan = "\n".join(conn.execute(sa.text("EXPLAIN " + str(sync_module._TOUCH_UNCHANGED)), {
                "now": "2026-01-01", "started": "2026-01-01", "vendor": "shop", "ids": keys,
                "digests": ["x"] * len(keys)}).scalars())
        uses_index = "uq_products_vendor_product" in plan and "Seq Scan on products" not in plan
        assert uses_index == analyze, plan
    finally:
        store.close()


def test_new_products_store_every_value_as_given_and_missing_ones_as_null(store):
    """New products go in through COPY on PostgreSQL: text with the CSV format's own characters comes back
    as it was, and an absent value is NULL (not an empty string), on both backends."""
    tricky = row(1, "10.00", name='Angel, "the" \\N one\nline two', description="a;b\tc\r\nd ™ é 🎄",
                 sku="\\N", gtin=None, brand=None, series=",", category='"', release_year=None,
                 image_urls=['https://s.example/a,b.jpg', 'https://s.example/"q".jpg'])
    plain = row(2, None, image_urls=[], url=None, availability=None)
    sync(store, [tricky, plain])
    stored = {r.vendor_product_id: r._mapping for r in table(store, sa.select(products))}
    for expected in (tricky, plain):
        got = stored[expected["vendor_product_id"]]
        for column, value in expected.items():
            if column in products.c:
                assert got[column] == value, column
    assert stored["P2"]["image_urls"] is None and stored["P2"]["url"] is None and stored["P1"]["gtin"] is None
