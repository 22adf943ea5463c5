"""What storage does with records it cannot take as they are: an unreadable price keeps the stored one,
a dropped record's product counts as seen, and a row the database refuses costs that row only.
Each test runs on SQLite, the real PostgreSQL and the real MariaDB."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.storage import product_row
from ornaments.storage.rows import content_hash, seen_row
from ornaments.storage.schema import price_history, products
from tests.test_storage import row, sync, table

pytestmark = pytest.mark.three_databases
# ™ ® emoji, Arabic, Cyrillic, Greek and CJK: four scripts besides Latin, and 4-byte characters.
SCRIPTS = "Étoile™ Ornament® 🎄✨ — نجمة عيد الميلاد — Ёлочная игрушка — Χριστούγεννα — 圣诞装饰"


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


def test_names_and_descriptions_in_four_scripts_come_back_unchanged(store):
    description = (SCRIPTS + "\n") * 40 + "🦄" * 20000  # 4-byte characters past TEXT's 64 KB on MySQL
    sync(store, [row(1, "1299.95", name=SCRIPTS, description=description), row(2, "0.01", name="ABC"),
                 row(3, "0.10", name="abc")])
    found = stored(store)
    assert found["P1"].name == SCRIPTS and found["P1"].description == description
    assert (found["P2"].name, found["P3"].name) == ("ABC", "abc")
    assert [found[k].price for k in ("P1", "P2", "P3")] == [Decimal("1299.95"), Decimal("0.01"), Decimal("0.10")]
    again, _summary = sync(store, [row(1, "1299.95", name=SCRIPTS, description=description), row(2, "0.01", name="ABC"),
                                   row(3, "0.10", name="abc")])
    assert (again.new, again.updated, again.unchanged, again.history_rows) == (0, 0, 3, 0)


def test_keys_differing_only_in_case_or_accents_are_two_products(store):
    rows = [row(1), row(2), {**row(3), "vendor_product_id": "p1"}, {**row(4), "vendor_product_id": "Pé"},
            {**row(5), "vendor_product_id": "Pe"}]
    result, _summary = sync(store, rows)
    assert result.new == 5 and sorted(stored(store)) == ["P1", "P2", "Pe", "Pé", "p1"]


def test_timestamps_keep_microseconds_in_utc(store):
    result, summary = sync(store, [row(1)])
    found = stored(store)["P1"]
    seen = found.last_seen_at if found.last_seen_at.tzinfo else found.last_seen_at.replace(tzinfo=timezone.utc)
    assert abs(seen - summary.finished_at) < timedelta(seconds=5) and summary.started_at.microsecond != 0
    with store.engine.connect() as conn:
        started = conn.execute(sa.text("SELECT started_at FROM sync_runs")).scalar()
    if isinstance(started, datetime):
        assert started.replace(tzinfo=None) == summary.started_at.astimezone(timezone.utc).replace(tzinfo=None)


def test_a_value_too_long_for_its_column_is_refused_never_truncated(store):
    if store.engine.dialect.name == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths: the validation pipeline is its only limit")
    long_key = "K" * 256  # vendor_product_id is VARCHAR(255)
    rows = [row(1), {**row(2), "vendor_product_id": long_key}, row(3, name="N" * 501)]
    result, _summary = sync(store, rows)
    refused = dict(result.refused)
    assert set(refused) == {"P3", long_key} and result.new == 1
    assert any(word in refused["P3"].lower() for word in ("too long", "value too long")), refused["P3"]
    assert sorted(stored(store)) == ["P1"]
