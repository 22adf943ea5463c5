"""What an item keeps when two items become one, and what fills in later (docs/catalogue.md): the
merged item's second manufacturer number still finds the kept item; a series a later listing names
fills an item that had none."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ornaments.api.items import item_conditions, item_query
from ornaments.storage.catalogue_review import Review
from ornaments.storage.schema import catalog_items, item_keys
from tests.test_catalogue_review import item_of, listing
from tests.test_storage import table


@pytest.mark.three_databases
def test_a_merged_items_second_number_finds_the_kept_item(matching_store):
    matching_store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series", sku="QX7654")])
    matching_store.write_batch(None, 0, [listing("shop_b", "B1", "Frosty Friends 42nd Ornament", sku="QX7655")])
    kept, merged = item_of(matching_store, "shop_a", "A1"), item_of(matching_store, "shop_b", "B1")
    assert kept != merged  # two numbers: two items until a person says they are one product
    Review(matching_store.engine).merge(kept, merged)
    assert sorted(table(matching_store, sa.select(item_keys.c.key).where(item_keys.c.item_id == kept))) == [
        ("hallmark:QX7654",), ("hallmark:QX7655",)]
    # A later listing with the merged item's number (in a batch of its own, and with the kept one's) joins.
    matching_store.write_batch(None, 0, [listing("shop_c", "C1", "Frosty Friends 2021", sku="QX7655")])
    matching_store.write_batch(None, 0, [listing("shop_d", "D1", "Frosty Friends", sku="1QX7655"),
                                         listing("shop_d", "D2", "Frosty Friends", sku="QX7654-1")])
    assert {item_of(matching_store, v, p) for v, p in (("shop_c", "C1"), ("shop_d", "D1"), ("shop_d", "D2"))} == {kept}
    assert table(matching_store, sa.select(sa.func.count()).select_from(catalog_items))[0][0] == 1
    for number in ("qx 7655", "QX7654"):  # GET /items?q= finds the kept item by either number
        assert [r.id for r in table(matching_store, item_query(item_conditions(number, None, None, None),
                                                                "id", None))] == [kept]


@pytest.mark.three_databases
def test_an_items_series_comes_from_a_later_listing_when_it_has_none(matching_store):
    def series_of(vendor: str, pid: str) -> str | None:
        return table(matching_store, sa.select(catalog_items.c.series)
                     .where(catalog_items.c.id == item_of(matching_store, vendor, pid)))[0][0]
    matching_store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 2021", sku="QX7654")])
    assert series_of("shop_a", "A1") is None  # the first shop names no series
    matching_store.write_batch(None, 0, [{**listing("shop_b", "B1", "Frosty Friends", sku="QX7654"),
                                          "series": "Frosty Friends"}])
    assert series_of("shop_a", "A1") == "Frosty Friends"
    matching_store.write_batch(None, 0, [{**listing("shop_c", "C1", "Frosty Friends", sku="QX7654"),
                                          "series": "Keepsake Frosty Friends Collection"}])
    assert series_of("shop_a", "A1") == "Frosty Friends"  # a series, once there, stays
    # Within one batch: a new item whose first listing names none takes the next one's.
    matching_store.write_batch(None, 0, [listing("shop_a", "A2", "Snow Buddies", sku="QX1111"),
                                         {**listing("shop_b", "B2", "Snow Buddies", sku="QX1111"), "series": "Snow Buddies"}])
    assert series_of("shop_a", "A2") == "Snow Buddies"


@pytest.mark.three_databases
@pytest.mark.parametrize("batches", ["one by one", "dated together", "all together"])
def test_a_yearless_listing_of_a_reused_number_does_not_join_two_years(matching_store, batches):
    """QX5219 was Santa's Visitors in 1995 and Snoopy and Woodstock in 2015. A listing that names neither
    its year nor its product ("Keepsake Ornament QX5219") may join one of them, never make one item of both."""
    yearless = listing("shop_a", "A1", "Hallmark Keepsake Ornament QX5219", sku="QX5219", year=None)
    santa = listing("shop_b", "B1", "Santa's Visitors", sku="QX5219", year=1995)
    snoopy = listing("shop_c", "C1", "Peanuts Snoopy and Woodstock", sku="QX5219", year=2015)
    for batch in {"one by one": [[yearless], [santa], [snoopy]], "dated together": [[yearless], [santa, snoopy]],
                  "all together": [[yearless, santa, snoopy]]}[batches]:
        matching_store.write_batch(None, 0, batch)
    assert item_of(matching_store, "shop_b", "B1") != item_of(matching_store, "shop_c", "C1")
    years = table(matching_store, sa.select(catalog_items.c.release_year).where(
        catalog_items.c.id == item_of(matching_store, "shop_b", "B1")))
    assert years == [(1995,)]  # an item a dated listing joined has its year (the /items year filter finds it)


@pytest.mark.three_databases
def test_an_item_made_from_a_barcode_alone_takes_the_number_a_later_listing_brings(matching_store):
    gtin = "0763795920150"

    def number_of(vendor: str, pid: str) -> str | None:
        return table(matching_store, sa.select(catalog_items.c.item_number)
                     .where(catalog_items.c.id == item_of(matching_store, vendor, pid)))[0][0]

    # A stored item: a feed with the UPC only, then a shop with the UPC and the number.
    matching_store.write_batch(None, 0, [listing("feed_a", "A1", "Frosty Friends Ornament", sku="FA-100", gtin=gtin)])
    assert number_of("feed_a", "A1") is None
    matching_store.write_batch(None, 0, [listing("shop_b", "B1", "Frosty Friends", sku="QX9201", gtin=gtin)])
    assert item_of(matching_store, "shop_b", "B1") == item_of(matching_store, "feed_a", "A1")
    assert number_of("feed_a", "A1") == "QX9201"
    # An item of this batch: the same, within one batch.
    matching_store.write_batch(None, 0, [listing("feed_c", "C1", "Snow Buddies", sku="FC-7", gtin="0763795920167"),
                                         listing("shop_c", "C2", "Snow Buddies", sku="QX5551", gtin="0763795920167")])
    assert number_of("feed_c", "C1") == "QX5551" and item_of(matching_store, "shop_c", "C2") == item_of(
        matching_store, "feed_c", "C1")
    # The number now stands: the same UPC with another number is another product (rung 1's rule).
    matching_store.write_batch(None, 0, [listing("shop_d", "D1", "Frosty Friends", sku="QX9301", gtin=gtin)])
    assert item_of(matching_store, "shop_d", "D1") != item_of(matching_store, "feed_a", "A1")
    assert [r.id for r in table(matching_store, item_query(item_conditions("QX9201", None, None, None), "id", None))] == [
        item_of(matching_store, "feed_a", "A1")]
