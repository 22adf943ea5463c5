"""What storage does with records it cannot take as they are: an unreadable price keeps the stored one,
a dropped record's product counts as seen, and a row the database refuses costs that row only.
Each test runs on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage import product_row
from ornaments.storage.rows import content_hash, seen_row
from ornaments.storage.schema import price_history, products
from tests.test_storage import row, sync, table


def unreadable_price(i: int, **changes) -> dict:
    """A record of product i whose price text could not be read (the spider names it unreadable)."""
    return product_row({"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}",
                        "url": f"https://s.example/{i}", "price": None, "currency": None, "availability": "in_stock",
                        "release_year": 2020, "image_urls": [f"https://s.example/{i}.jpg"], "unreadable": ["price"],
                        **changes})


def stored(store) -> dict:
    return {r.vendor_product_id: r for r in table(store, sa.select(products))}


def test_an_unreadable_price_keeps_the_stored_price_and_writes_no_history(store):
    sync(store, [row(1, "10.00")])
    result, _ = sync(store, [unreadable_price(1)])
    assert (result.updated, result.unchanged) == (0, 1)
    assert (stored(store)["P1"].price, stored(store)["P1"].currency) == (Decimal("10.00"), "USD")
    assert len(table(store, sa.select(price_history))) == 1


def test_an_unreadable_price_of_a_new_product_stores_it_without_a_price(store):
    sync(store, [unreadable_price(1)])
    assert stored(store)["P1"].price is None
    assert table(store, sa.select(price_history)) == []


def test_an_unreadable_price_beside_a_real_change_keeps_the_price_and_takes_the_change(store):
    sync(store, [row(1, "10.00")])
    result, _ = sync(store, [unreadable_price(1, name="Ornament One")])
    product = stored(store)["P1"]
    assert result.updated == 1 and (product.name, product.price) == ("Ornament One", Decimal("10.00"))
    assert len(table(store, sa.select(price_history))) == 1


def test_a_dropped_record_keeps_its_product_seen_and_creates_nothing(store):
    sync(store, [row(1), row(2)])
    before = stored(store)["P2"]
    result, summary = sync(store, [row(1), seen_row("shop", "P2"), seen_row("shop", "P9")])
    after = stored(store)
    assert summary.removed == 0 and after["P2"].removed_at is None
    assert after["P2"].last_seen_at > before.last_seen_at and after["P2"].content_hash == before.content_hash
    assert "P9" not in after and result.seen_dropped == 1 and result.unchanged == 1


def test_a_seen_only_row_never_replaces_a_full_row_of_the_same_key(store):
    result, _ = sync(store, [seen_row("shop", "P1"), row(1, "3.00")])
    assert result.new == 1 and stored(store)["P1"].price == Decimal("3.00")


def test_a_row_the_database_refuses_costs_that_row_only(store):
    sync(store, [row(i) for i in range(1, 4)])
    bad_new = row(50, name=None)  # NOT NULL: refused on insert (COPY path on PostgreSQL)
    bad_old = row(2, name=None)  # refused on update of a stored product
    rows = [row(i, "11.00") for i in range(1, 40) if i != 2] + [bad_new, bad_old]
    result, summary = sync(store, rows)
    found = stored(store)
    assert sorted(k for k, _ in result.refused) == ["P2", "P50"]
    assert "P50" not in found and found["P2"].name == "Ornament 2" and found["P2"].removed_at is None
    assert found["P39"].price == Decimal("11.00") and found["P1"].price == Decimal("11.00")
    assert (summary.new, summary.updated) == (result.new, result.updated) == (36, 2)


def test_adding_a_field_at_the_end_leaves_digests_of_products_without_it_unchanged():
    base = row(1)
    assert content_hash(base) == content_hash({**base, "regular_price": None, "item_group_id": None})
    assert content_hash(base) != content_hash({**base, "regular_price": Decimal("12.00")})
