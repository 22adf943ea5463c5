"""Item events and watches as the site consuming them sees them (issue 23; docs/catalogue.md "Events and
watches"): the product_events rows a store writes, and what a real webhook receiver gets, for the cases
tests/test_catalogue_events.py leaves out: a best price moving between shops, the last shop selling out
and coming back, a complete run removing an item's only listing, a listing moving to another item, two
currencies, merges, cancelled and re-crossing watches, a batch retried after an outage, a re-sync that
changes nothing, and the order of a batch's product and item events."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.storage import CatalogStore, RemovalScope, product_row
from ornaments.storage.catalogue_review import Review, cancel_watch, create_watch
from ornaments.storage.schema import catalog_items, item_prices, product_events, watches
from ornaments.storage.schema import products as products_table
from ornaments.webhooks import endpoints
from ornaments.webhooks.dispatcher import Dispatcher
from ornaments.webhooks.signing import SecretBox
from tests.fixtures.catalog_store import FAST_RETRY
from tests.helpers import kill_connection_at_batch_commit, removal_policy
from tests.test_catalogue_events import TYPES, received
from tests.test_catalogue_review import item_of, listing, seed
from tests.test_storage import table
from tests.test_webhooks import KEY, drain, fast_config

ITEM_TYPES = ("item_best_price_changed", "item_stock_changed", "watch_triggered")
GTIN = "036000291452"  # a valid UPC-A


def offer(vendor, price="20.00", availability="in_stock", sku="QX1234", currency="USD", pid=None, name=None,
          gtin=None):
    return product_row({"vendor": vendor, "vendor_product_id": pid or f"{vendor}-1",
                        "name": name or f"Frosty Friends {vendor}", "sku": sku, "gtin": gtin, "brand": "Hallmark",
                        "release_year": 2021, "price": None if price is None else Decimal(price),
                        "currency": currency, "availability": availability,
                        "url": f"https://{vendor}.example/{pid or vendor}"})


def last_id(store) -> int:
    return table(store, sa.select(sa.func.coalesce(sa.func.max(product_events.c.id), 0)))[0][0]


def events_after(store, after: int, types=ITEM_TYPES) -> list[dict]:
    """The events after id `after` as a consumer reads them (by id), data decoded."""
    rows = table(store, sa.select(product_events).where(product_events.c.id > after).order_by(product_events.c.id))
    return [{"id": r.id, "type": r.type, "vendor": r.vendor, "vendor_product_id": r.vendor_product_id,
             "product_id": r.product_id, "data": json.loads(r.data)} for r in rows if types is None or r.type in types]


def brief(e) -> tuple:
    d = e["data"]
    if e["type"] == "item_best_price_changed":
        return e["type"], d["item_id"], d["old"], d["new"], d["shops_in_stock"]
    if e["type"] == "item_stock_changed":
        return e["type"], d["item_id"], d["old_shops_in_stock"], d["shops_in_stock"], d["offers"], d["last_shop_in_stock"]
    return e["type"], d["item_id"], d["watch_id"], d["price"], d["shops_in_stock"]


def complete_run(store, vendor, rows) -> None:
    """A finished run of the whole shop: what it did not see is removed (the guard off)."""
    run_id, started = store.start_run("test", vendor, {}, "all", None)
    if rows:
        store.write_batch(run_id, 0, rows)
    store.finish_run(run_id, "finished", "finished", {}, 0, removal=RemovalScope(vendor, started),
                     policy=removal_policy(max_share=1, remove_after_misses=1))


def three_shops(store) -> int:
    for vendor, price in (("shop_a", "30.00"), ("shop_b", "28.00"), ("shop_c", "25.00")):
        store.write_batch(None, 0, [offer(vendor, price)])
    item = item_of(store, "shop_a", "shop_a-1")
    assert item == item_of(store, "shop_b", "shop_b-1") == item_of(store, "shop_c", "shop_c-1")
    return item


@pytest.mark.three_databases
def test_the_best_price_moves_between_shops_and_only_a_new_best_is_an_event(matching_store):
    store = matching_store
    item = three_shops(store)
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_b", "27.00")])  # not the best: a product event only
    assert events_after(store, start) == []
    assert [e["type"] for e in events_after(store, start, None)] == ["price_changed"]
    mark = last_id(store)
    store.write_batch(None, 0, [offer("shop_c", "35.00")])  # the best shop gets dearer: shop_b's 27 is best
    store.write_batch(None, 0, [offer("shop_a", "24.00")])  # a drop at another shop: the new best
    assert [brief(e) for e in events_after(store, mark)] == [
        ("item_best_price_changed", item, {"USD": "25.00"}, {"USD": "27.00"}, 3),
        ("item_best_price_changed", item, {"USD": "27.00"}, {"USD": "24.00"}, 3)]
    for e in events_after(store, mark):  # what a consumer shows: the item's name and number, no product
        assert (e["vendor"], e["vendor_product_id"], e["product_id"]) == ("catalogue", str(item), None)
        assert (e["data"]["name"], e["data"]["item_number"]) == ("Frosty Friends shop_a", "QX1234")


@pytest.mark.three_databases
def test_a_resync_without_change_and_a_change_the_item_does_not_see_emit_no_item_event(matching_store):
    store = matching_store
    item = three_shops(store)
    create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("26.00"), None, "w")  # holds now
    start = last_id(store)
    for _ in range(2):
        for vendor, price in (("shop_a", "30.00"), ("shop_b", "28.00"), ("shop_c", "25.00")):
            store.write_batch(None, 0, [offer(vendor, price)])
    assert events_after(store, start, None) == []
    store.write_batch(None, 0, [offer("shop_a", "30.00", name="Frosty Friends 2021 renamed")])
    assert [e["type"] for e in events_after(store, start, None)] == ["updated"]  # the item's state is the same


@pytest.mark.three_databases
def test_the_last_shop_sells_out_and_comes_back(matching_store):
    store = matching_store
    item = three_shops(store)
    back, now = create_watch(store.engine, item, "back_in_stock", None, None, None, "collector-1")
    assert now == []
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_a", "30.00", "out_of_stock")])
    store.write_batch(None, 0, [offer("shop_c", "25.00", "out_of_stock")])
    store.write_batch(None, 0, [offer("shop_b", "28.00", "out_of_stock")])
    store.write_batch(None, 0, [offer("shop_c", "26.00", "in_stock")])
    store.write_batch(None, 0, [offer("shop_a", "30.00", "in_stock")])
    assert [brief(e) for e in events_after(store, start)] == [
        ("item_stock_changed", item, 3, 2, 3, False),
        ("item_best_price_changed", item, {"USD": "25.00"}, {"USD": "28.00"}, 1),
        ("item_stock_changed", item, 2, 1, 3, True),  # the collector's signal
        ("item_best_price_changed", item, {"USD": "28.00"}, {}, 0),
        ("item_stock_changed", item, 1, 0, 3, False),
        ("item_best_price_changed", item, {}, {"USD": "26.00"}, 1),
        ("item_stock_changed", item, 0, 1, 3, True),
        ("watch_triggered", item, back, None, 1),
        ("item_stock_changed", item, 1, 2, 3, False)]
    hit = events_after(store, start, ("watch_triggered",))[0]["data"]
    assert (hit["reference"], hit["kind"], hit["currency"], hit["threshold"], hit["percent"]) == \
        ("collector-1", "back_in_stock", None, None, None)


@pytest.mark.three_databases
def test_a_back_in_stock_watch_made_while_sold_out_triggers_on_the_return(matching_store):
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "30.00", "out_of_stock")])
    item = item_of(store, "shop_a", "shop_a-1")
    watch_id, now = create_watch(store.engine, item, "back_in_stock", None, None, None, None)
    assert now == []
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_a", "30.00", "in_stock")])
    store.write_batch(None, 0, [offer("shop_b", "31.00", "in_stock")])  # still in stock: no second event
    hits = events_after(store, start, ("watch_triggered",))
    assert [(h["data"]["watch_id"], h["data"]["reference"], h["data"]["shops_in_stock"]) for h in hits] == \
        [(watch_id, None, 1)]


@pytest.mark.three_databases
def test_a_complete_run_removing_an_items_only_listing_and_its_return(matching_store):
    store = matching_store
    store.write_batch(None, 0, [offer("shop_b", "28.00", sku="QX9999", pid="B9", name="Snow Buddies")])

    def run(rows):
        complete_run(store, "shop_a", rows)
    keep = offer("shop_a", "10.00", sku="QX5555", pid="A5", name="Snow Globe")
    run([offer("shop_a", "30.00"), keep])
    item = item_of(store, "shop_a", "shop_a-1")
    watch_id, _ = create_watch(store.engine, item, "back_in_stock", None, None, None, "r")
    start = last_id(store)
    run([keep])  # shop_a-1 is gone: its item has no offer left
    gone = events_after(store, start, None)
    assert [e["type"] for e in gone] == ["removed", "item_best_price_changed", "item_stock_changed"]
    assert [brief(e) for e in gone[1:]] == [("item_best_price_changed", item, {"USD": "30.00"}, {}, 0),
                                            ("item_stock_changed", item, 1, 0, 0, False)]
    mark = last_id(store)
    run([offer("shop_a", "29.00"), keep])  # back
    assert [brief(e) for e in events_after(store, mark)] == [
        ("item_best_price_changed", item, {}, {"USD": "29.00"}, 1), ("item_stock_changed", item, 0, 1, 1, True),
        ("watch_triggered", item, watch_id, None, 1)]
    assert item_of(store, "shop_a", "shop_a-1") == item
    run([keep])  # gone again, and back as it was (the same content: no product change but its return)
    mark = last_id(store)
    run([offer("shop_a", "29.00"), keep])
    assert [brief(e) for e in events_after(store, mark)] == [
        ("item_best_price_changed", item, {}, {"USD": "29.00"}, 1), ("item_stock_changed", item, 0, 1, 1, True),
        ("watch_triggered", item, watch_id, None, 1)]


@pytest.mark.three_databases
def test_a_listing_moving_to_another_item_changes_both_items(matching_store):
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "30.00"), offer("shop_a", "15.00", sku="QX5678", pid="A2",
                                                                name="Snow Buddies")])
    store.write_batch(None, 0, [offer("shop_b", "20.00")])
    frosty, buddies = item_of(store, "shop_a", "shop_a-1"), item_of(store, "shop_a", "A2")
    assert item_of(store, "shop_b", "shop_b-1") == frosty != buddies
    start = last_id(store)
    # shop_b's listing was in fact Snow Buddies: its number changes, and it moves with its offer
    store.write_batch(None, 0, [offer("shop_b", "12.00", sku="QX5678", name="Snow Buddies")])
    assert item_of(store, "shop_b", "shop_b-1") == buddies
    by_item = {}
    for e in events_after(store, start):  # each item's events together, in item id order
        by_item.setdefault(e["data"]["item_id"], []).append(brief(e))
    assert list(by_item) == sorted(by_item)
    assert by_item == {
        frosty: [("item_best_price_changed", frosty, {"USD": "20.00"}, {"USD": "30.00"}, 1),
                 ("item_stock_changed", frosty, 2, 1, 1, True)],
        buddies: [("item_best_price_changed", buddies, {"USD": "15.00"}, {"USD": "12.00"}, 2),
                  ("item_stock_changed", buddies, 1, 2, 2, False)]}


def usd_and_gbp(store, usd: str, gbp: str) -> int:
    """One item offered by shop_a in USD and by shop_uk in GBP."""
    store.write_batch(None, 0, [offer("shop_a", usd)])
    store.write_batch(None, 0, [offer("shop_uk", gbp, currency="GBP")])
    item = item_of(store, "shop_a", "shop_a-1")
    assert item_of(store, "shop_uk", "shop_uk-1") == item
    return item


@pytest.mark.three_databases
def test_two_currencies_on_one_item_one_changes(matching_store):
    store = matching_store
    item = usd_and_gbp(store, "30.00", "22.00")
    usd, _ = create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("29.00"), None, None)
    gbp, _ = create_watch(store.engine, item, "price_at_or_below", "GBP", Decimal("21.00"), None, None)
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_uk", "20.00", currency="GBP")])  # 20 GBP: never "below 29 USD"
    assert [brief(e) for e in events_after(store, start)] == [
        ("item_best_price_changed", item, {"GBP": "22.00", "USD": "30.00"}, {"GBP": "20.00", "USD": "30.00"}, 2),
        ("watch_triggered", item, gbp, "20.00", 2)]
    text = table(store, sa.select(product_events.c.data).where(product_events.c.type == "item_best_price_changed")
                 .order_by(product_events.c.id.desc()).limit(1))[0][0]
    data = json.loads(text)  # currencies A-Z, money as strings with 2 decimals
    assert (list(data["old"].items()), list(data["new"].items())) == \
        ([("GBP", "22.00"), ("USD", "30.00")], [("GBP", "20.00"), ("USD", "30.00")])
    assert usd


@pytest.mark.three_databases
def test_a_price_drop_watch_whose_currency_goes_and_comes_back(matching_store):
    store = matching_store
    item = usd_and_gbp(store, "40.00", "30.00")
    watch_id, now = create_watch(store.engine, item, "price_drop", "USD", None, Decimal("25"), "drop")
    assert now == []  # baseline 40.00 USD; 25% below is 30.00 or less
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_a", "40.00", "out_of_stock")])  # no USD price at all
    store.write_batch(None, 0, [offer("shop_uk", "10.00", currency="GBP")])  # GBP is not USD
    store.write_batch(None, 0, [offer("shop_a", "35.00", "in_stock")])  # back, not far enough down
    store.write_batch(None, 0, [offer("shop_a", "30.00", "in_stock")])  # 25% down: the crossing
    store.write_batch(None, 0, [offer("shop_a", "29.00", "in_stock")])  # still holding
    store.write_batch(None, 0, [offer("shop_a", "31.00", "in_stock")])  # not any more
    store.write_batch(None, 0, [offer("shop_a", "28.00", "in_stock")])  # a second crossing
    hits = [e["data"] for e in events_after(store, start, ("watch_triggered",))]
    assert [(h["watch_id"], h["kind"], h["currency"], h["percent"], h["price"]) for h in hits] == [
        (watch_id, "price_drop", "USD", "25.00", "30.00"), (watch_id, "price_drop", "USD", "25.00", "28.00")]
    got = table(store, sa.select(watches.c.triggered, watches.c.holding, watches.c.baseline)
                .where(watches.c.id == watch_id))[0]
    assert (got.triggered, got.holding, got.baseline) == (2, True, Decimal("40.00"))


@pytest.mark.three_databases
def test_a_cancelled_watch_never_triggers(matching_store):
    store = matching_store
    item = three_shops(store)
    watch_id, _ = create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("20.00"), None, "x")
    assert cancel_watch(store.engine, watch_id)
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_c", "19.00")])
    assert [e["type"] for e in events_after(store, start)] == ["item_best_price_changed"]


@pytest.mark.three_databases
def test_a_watch_on_a_merged_item_fires_on_the_kept_item(matching_store):
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "30.00", sku="QX7654", name="Frosty Friends 42nd in Series")])
    store.write_batch(None, 0, [offer("shop_b", "28.00", sku="QX7655", name="Frosty Friends 42nd Ornament")])
    kept, merged = item_of(store, "shop_a", "shop_a-1"), item_of(store, "shop_b", "shop_b-1")
    assert kept != merged
    watch_id, _ = create_watch(store.engine, merged, "price_at_or_below", "USD", Decimal("20.00"), None, "m")
    start = last_id(store)
    Review(store.engine).merge(kept, merged)
    assert [brief(e) for e in events_after(store, start)] == [
        ("item_best_price_changed", kept, {"USD": "30.00"}, {"USD": "28.00"}, 2),
        ("item_stock_changed", kept, 1, 2, 2, False)]
    mark = last_id(store)
    store.write_batch(None, 0, [offer("shop_a", "19.00", sku="QX7654", name="Frosty Friends 42nd in Series")])
    hits = events_after(store, mark, ("watch_triggered",))
    assert [(h["vendor_product_id"], h["data"]["item_id"], h["data"]["watch_id"]) for h in hits] == \
        [(str(kept), kept, watch_id)]


@pytest.mark.three_databases
def test_a_merge_that_leaves_the_kept_items_state_as_it_was_still_checks_the_moved_watches(matching_store):
    """The merged item has no live offer (a complete run removed its only listing): the kept item's state
    stays as it was, but the moved watches' conditions hold on the kept item: they trigger at the merge,
    not at some later, unrelated change of the kept item."""
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "15.00", sku="QX7654", name="Frosty Friends 42nd in Series")])
    complete_run(store, "shop_b", [offer("shop_b", "28.00", sku="QX7655", name="Frosty Friends 42nd Ornament")])
    kept, merged = item_of(store, "shop_a", "shop_a-1"), item_of(store, "shop_b", "shop_b-1")
    assert kept != merged
    watch_id, _ = create_watch(store.engine, merged, "price_at_or_below", "USD", Decimal("20.00"), None, "m")
    back_id, _ = create_watch(store.engine, merged, "back_in_stock", None, None, None, "b")  # waits: in stock
    complete_run(store, "shop_b", [])  # shop_b-1 gone: the merged item has no offer
    start = last_id(store)
    Review(store.engine).merge(kept, merged)
    hits = events_after(store, start, ("watch_triggered",))
    # The price watch holds now (15 <= 20); the back-in-stock one: the kept item is in stock.
    assert sorted((h["data"]["watch_id"], h["data"]["item_id"], h["data"]["price"]) for h in hits) == \
        [(watch_id, kept, "15.00"), (back_id, kept, None)]
    store.write_batch(None, 0, [offer("shop_c", "16.00", sku="QX7654")])  # a change that crosses nothing
    assert len(events_after(store, start, ("watch_triggered",))) == 2


@pytest.mark.three_databases
def test_a_machine_merge_refreshes_the_kept_item(matching_store):
    """One listing's GTIN finds one item and its number another: the machine makes them one. The kept
    item (the older) takes the merged one's offers: its state and events say so."""
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "30.00", sku="QX7654", name="Frosty Friends 42nd in Series")])
    store.write_batch(None, 0, [offer("shop_b", "25.00", sku=None, gtin=GTIN, name="Frosty Friends Ornament")])
    kept, merged = item_of(store, "shop_a", "shop_a-1"), item_of(store, "shop_b", "shop_b-1")
    assert kept < merged
    watch_id, _ = create_watch(store.engine, merged, "price_at_or_below", "USD", Decimal("26.00"), None, "m")
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_c", "27.00", sku="QX7654", gtin=GTIN, name="Frosty Friends")])
    assert item_of(store, "shop_c", "shop_c-1") == item_of(store, "shop_b", "shop_b-1") == kept
    state = table(store, sa.select(catalog_items.c.offers, catalog_items.c.shops_in_stock, catalog_items.c.best_prices)
                  .where(catalog_items.c.id == kept))[0]
    assert tuple(state) == (3, 3, '{"USD": "25.00"}')
    assert [brief(e) for e in events_after(store, start) if e["type"] != "watch_triggered"] == [
        ("item_best_price_changed", kept, {"USD": "30.00"}, {"USD": "25.00"}, 3),
        ("item_stock_changed", kept, 1, 3, 3, False)]
    # the watch held on the merged item (25 <= 26) and holds on the kept one: no second event
    assert events_after(store, start, ("watch_triggered",)) == []
    assert table(store, sa.select(watches.c.item_id, watches.c.holding).where(watches.c.id == watch_id)) == [(kept, True)]


@pytest.mark.three_databases
def test_a_batchs_item_events_come_after_its_product_events(matching_store):
    store = matching_store
    item = three_shops(store)
    create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("20.00"), None, None)
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_c", "19.00"), offer("shop_d", "18.00")])
    got = [(e["type"], e["vendor"]) for e in events_after(store, start, None)]
    assert got == [("created", "shop_d"), ("price_changed", "shop_c"), ("item_best_price_changed", "catalogue"),
                   ("item_stock_changed", "catalogue"), ("watch_triggered", "catalogue")]


def test_a_batch_retried_after_an_outage_writes_its_item_events_once(server_url):
    store = CatalogStore(server_url, change_log_fields=["availability", "name"], retry=FAST_RETRY, match_catalogue=True)
    store.create_tables()
    item = three_shops(store)
    watch_id, _ = create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("20.00"), None, None)
    start = last_id(store)
    run_id, _ = store.start_run("test", "shop_c", {}, "all", None)
    kills = kill_connection_at_batch_commit(store.engine, server_url, times=2)
    store.write_batch(run_id, 0, [offer("shop_c", "19.00"), offer("shop_a", "30.00", "out_of_stock")])
    assert kills == {"left": 0}
    assert [brief(e) for e in events_after(store, start)] == [
        ("item_best_price_changed", item, {"USD": "25.00"}, {"USD": "19.00"}, 2),
        ("item_stock_changed", item, 3, 2, 3, False), ("watch_triggered", item, watch_id, "19.00", 2)]
    assert table(store, sa.select(watches.c.triggered).where(watches.c.id == watch_id)) == [(1,)]
    store.close()


def test_a_webhook_receiver_gets_the_item_events_of_a_move_and_a_removal(matching_store, webhook_receiver,
                                                                          database_url):
    """The same events, signed, at a real receiver: JSON it can read without knowing the store."""
    store = matching_store
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), webhook_receiver.url, types=TYPES, since=0)
    item = three_shops(store)
    watch_id, _ = create_watch(store.engine, item, "price_drop", "USD", None, Decimal("10"), "site-ref-1")
    store.write_batch(None, 0, [offer("shop_c", "35.00")])  # best 25 -> 28 (shop_b)
    store.write_batch(None, 0, [offer("shop_b", "22.00")])  # 22 <= 25 * 0.9 = 22.50: the watch
    dispatcher = Dispatcher(fast_config(database_url), store.engine)
    drain(dispatcher, lambda: len(received(webhook_receiver, secret)) >= 7)
    dispatcher.close(dispose_engine=False)
    events = received(webhook_receiver, secret)
    assert [brief(e) for e in events] == [
        ("item_best_price_changed", item, {"USD": "30.00"}, {"USD": "28.00"}, 2),
        ("item_stock_changed", item, 1, 2, 2, False),
        ("item_best_price_changed", item, {"USD": "28.00"}, {"USD": "25.00"}, 3),
        ("item_stock_changed", item, 2, 3, 3, False),
        ("item_best_price_changed", item, {"USD": "25.00"}, {"USD": "28.00"}, 3),
        ("item_best_price_changed", item, {"USD": "28.00"}, {"USD": "22.00"}, 3),
        ("watch_triggered", item, watch_id, "22.00", 3)]
    hit = events[-1]["data"]
    assert hit == {"watch_id": watch_id, "reference": "site-ref-1", "item_id": item, "name": "Frosty Friends shop_a",
                   "item_number": "QX1234", "kind": "price_drop", "currency": "USD", "threshold": None,
                   "percent": "10.00", "price": "22.00", "shops_in_stock": 3}
    assert endpoint_id


@pytest.mark.three_databases
def test_a_confirmed_listings_price_still_moves_its_items_best_price(matching_store):
    """A link a person confirmed is never re-matched, but its offer counts: a price change is an event."""
    store = matching_store
    seed(store)
    review = Review(store.engine)
    (proposal,) = review.proposals()
    target = review.accept(proposal["id"])
    watch_id, _ = create_watch(store.engine, target, "price_at_or_below", "USD", Decimal("15.00"), None, "c")
    start = last_id(store)
    store.write_batch(None, 0, [listing("shop_b", "B1", "2021 Frosty Friends #42 Ornament", sku="B-99", price="14.00")])
    assert item_of(store, "shop_b", "B1") == target
    assert [brief(e) for e in events_after(store, start)] == [
        ("item_best_price_changed", target, {"USD": "20.00"}, {"USD": "14.00"}, 2),
        ("watch_triggered", target, watch_id, "14.00", 2)]


@pytest.mark.three_databases
def test_a_machine_merge_that_leaves_the_kept_items_state_checks_the_moved_watches(matching_store):
    """A listing of item K re-synced with a GTIN that only item M had: the machine merges M into K. M had
    no live offer (its one listing was removed), so K's state does not change; M's watch, now on K, holds
    there (15 <= 20) and triggers at once, not at some later change of K."""
    from ornaments.clock import utcnow
    from ornaments.storage import item_state
    from ornaments.storage.schema import products
    store = matching_store
    store.write_batch(None, 0, [offer("shop_a", "15.00", sku="QX7654", name="Frosty Friends 42nd in Series")])
    store.write_batch(None, 0, [offer("shop_b", "25.00", sku=None, gtin=GTIN, name="Frosty Friends Ornament")])
    kept, merged = item_of(store, "shop_a", "shop_a-1"), item_of(store, "shop_b", "shop_b-1")
    with store.engine.begin() as conn:  # shop_b's only listing gone: M has no live offer
        gone = conn.execute(sa.select(products.c.id).where(products.c.vendor == "shop_b")).scalars().all()
        conn.execute(products.update().where(products.c.id.in_(gone)).values(removed_at=utcnow()))
        item_state.after_removal(conn, gone, utcnow())
    watch_id, made = create_watch(store.engine, merged, "price_at_or_below", "USD", Decimal("20.00"), None, "w")
    assert made == []
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_a", "15.00", sku="QX7654", gtin=GTIN, name="Frosty Friends 42nd in Series")])
    assert table(store, sa.select(catalog_items.c.id).where(catalog_items.c.id == merged)) == []
    fired = events_after(store, start, ("watch_triggered",))
    assert [(e["data"]["watch_id"], e["data"]["item_id"], e["data"]["price"]) for e in fired] == [(watch_id, kept, "15.00")]
    assert [brief(e) for e in events_after(store, start, ("item_best_price_changed", "item_stock_changed"))] == []


@pytest.mark.three_databases
def test_an_item_made_for_a_listing_that_existed_reports_its_offers(matching_store):
    """A listing that moves into a new item (its number changed to one no item has), and one a person splits
    off: no created event tells of them, so the new item's offers come as a change from nothing, and the
    item they left reports its loss."""
    store = matching_store
    item = three_shops(store)  # QX1234 at shop_a 30.00, shop_b 28.00, shop_c 25.00
    start = last_id(store)
    store.write_batch(None, 0, [offer("shop_c", "25.00", sku="QX5678")])  # a number no item has
    moved = item_of(store, "shop_c", "shop_c-1")
    assert moved != item
    got = [brief(e) for e in events_after(store, start, ("item_best_price_changed", "item_stock_changed"))]
    assert got == [("item_best_price_changed", item, {"USD": "25.00"}, {"USD": "28.00"}, 2),
                   ("item_stock_changed", item, 3, 2, 2, False),
                   ("item_best_price_changed", moved, {}, {"USD": "25.00"}, 1),
                   ("item_stock_changed", moved, 0, 1, 1, True)]
    start = last_id(store)
    split = Review(store.engine).split(table(store, sa.select(products_table.c.id).where(
        products_table.c.vendor == "shop_b"))[0][0])
    got = [brief(e) for e in events_after(store, start, ("item_best_price_changed", "item_stock_changed"))]
    assert got == [("item_best_price_changed", item, {"USD": "28.00"}, {"USD": "30.00"}, 1),
                   ("item_stock_changed", item, 2, 1, 1, True),
                   ("item_best_price_changed", split, {}, {"USD": "28.00"}, 1),
                   ("item_stock_changed", split, 0, 1, 1, True)]
    prices = dict(table(store, sa.select(item_prices.c.item_id, item_prices.c.price).where(
        item_prices.c.item_id.in_([moved, split]))))
    assert prices == {moved: Decimal("25.00"), split: Decimal("28.00")}
