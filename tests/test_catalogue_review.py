"""The review queue and a person's decisions (issue 23): accept, reject, split, merge, in storage and
through `scrapy matches`; what a person decided survives re-syncs; a listing moved to another item
takes its offer along."""

from __future__ import annotations

import pytest

from decimal import Decimal

import sqlalchemy as sa

from ornaments.env import USAGE_EXIT
from ornaments.storage.catalogue_review import Review, ReviewError
from ornaments.storage.rows import product_row
from ornaments.storage.schema import catalog_items, item_listings, match_proposals, products
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.test_storage import table


def listing(vendor, pid, name, sku=None, price="20.00", year=2021, gtin=None, availability="in_stock"):
    return product_row({"vendor": vendor, "vendor_product_id": pid, "name": name, "sku": sku, "gtin": gtin,
                        "brand": "Hallmark", "release_year": year, "price": Decimal(price), "currency": "USD",
                        "availability": availability, "url": f"https://{vendor}.example/{pid}"})


def item_of(store, vendor, pid) -> int:
    return table(store, sa.select(item_listings.c.item_id).join(products, products.c.id == item_listings.c.product_id)
                 .where(products.c.vendor == vendor, products.c.vendor_product_id == pid))[0][0]


def product_id(store, vendor, pid) -> int:
    return table(store, sa.select(products.c.id).where(products.c.vendor == vendor,
                                                       products.c.vendor_product_id == pid))[0][0]


def seed(store):
    store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series", sku="QX7654"),
                                listing("shop_a", "A2", "Snow Buddies 20th in Series", sku="QX1111")])
    store.write_batch(None, 0, [listing("shop_b", "B1", "2021 Frosty Friends #42 Ornament", sku="B-99"),
                                listing("shop_b", "B2", "Hallmark Frosty Friends QX 7654", sku="B-98")])


@pytest.mark.three_databases
def test_accept_links_and_the_link_survives_resyncs(matching_store):
    seed(matching_store)
    review = Review(matching_store.engine)
    queue = review.proposals()
    assert [(p["listing"]["vendor_product_id"], p["item"]["item_number"]) for p in queue] == [("B1", "QX7654")]
    assert "names" in " ".join(queue[0]["reasons"])
    assert item_of(matching_store, "shop_b", "B2") == item_of(matching_store, "shop_a", "A1")  # rung 2, automatic
    target = review.accept(queue[0]["id"])
    assert item_of(matching_store, "shop_b", "B1") == target == item_of(matching_store, "shop_a", "A1")
    # B1 is renamed and gets another shop's number: a confirmed link is never undone by the machine.
    matching_store.write_batch(None, 0, [listing("shop_b", "B1", "Snow Buddies QX1111", sku="QX1111", price="19.00")])
    assert item_of(matching_store, "shop_b", "B1") == target
    try:
        review.accept(queue[0]["id"])
        raise AssertionError("accepted twice")
    except ReviewError as exc:
        assert "already accepted" in str(exc)


def test_reject_and_split_are_never_undone(matching_store):
    seed(matching_store)
    review = Review(matching_store.engine)
    (proposal,) = review.proposals()
    review.reject(proposal["id"])
    matching_store.write_batch(None, 0, [listing("shop_b", "B1", "2021 Frosty Friends #42 Ornament!", sku="B-99")])
    assert review.proposals() == []  # not proposed again
    # B2 was linked by its number; a person splits it off: even when its number changes and comes back,
    # the machine does not put it back on that item.
    old = item_of(matching_store, "shop_b", "B2")
    new = review.split(product_id(matching_store, "shop_b", "B2"))
    assert item_of(matching_store, "shop_b", "B2") == new != old
    matching_store.write_batch(None, 0, [listing("shop_b", "B2", "Frosty Friends", sku="QX7654-1")])
    assert item_of(matching_store, "shop_b", "B2") == new


@pytest.mark.three_databases
def test_a_listing_whose_number_changes_moves_with_its_offer(matching_store):
    seed(matching_store)
    frosty, snow = item_of(matching_store, "shop_a", "A1"), item_of(matching_store, "shop_a", "A2")
    matching_store.write_batch(None, 0, [listing("shop_b", "B2", "Hallmark Snow Buddies", sku="QX1111", price="9.00")])
    assert item_of(matching_store, "shop_b", "B2") == snow
    best = dict(table(matching_store, sa.select(catalog_items.c.id, catalog_items.c.best_price)))
    assert best[snow] == Decimal("9.00") and best[frosty] == Decimal("20.00")
    offers = dict(table(matching_store, sa.select(catalog_items.c.id, catalog_items.c.offers)))
    assert offers[snow] == 2 and offers[frosty] == 1


def test_merge_makes_two_items_one(matching_store):
    seed(matching_store)
    review = Review(matching_store.engine)
    kept, merged = item_of(matching_store, "shop_a", "A1"), item_of(matching_store, "shop_b", "B1")
    assert review.merge(kept, merged) == kept
    assert item_of(matching_store, "shop_b", "B1") == kept
    assert table(matching_store, sa.select(catalog_items.c.id).where(catalog_items.c.id == merged)) == []
    assert table(matching_store, sa.select(match_proposals).where(match_proposals.c.state == "open")) == []


def test_scrapy_matches_lists_accepts_and_refuses_nonsense(sqlite_url):
    from ornaments.storage import CatalogStore
    store = CatalogStore(sqlite_url, match_catalogue=True)
    store.create_tables()
    seed(store)
    env = scrapy_env(DATABASE_URL=sqlite_url)
    listed = run_scrapy("matches", "list", env=env)
    assert listed.returncode == 0, listed.log
    assert "B1" in listed.log and "QX7654" in listed.log and "names" in listed.log
    (proposal_id,) = [r.id for r in table(store, sa.select(match_proposals.c.id))]
    done = run_scrapy("matches", "accept", str(proposal_id), env=env)
    assert done.returncode == 0 and "accepted" in done.log, done.log
    again = run_scrapy("matches", "accept", str(proposal_id), env=env)
    assert again.returncode == USAGE_EXIT and "already accepted" in again.log and "Traceback" not in again.log
    wrong = run_scrapy("matches", "approve", "1", env=env)
    assert wrong.returncode == USAGE_EXIT and "Traceback" not in wrong.log
    store.close()


def test_a_removed_listing_leaves_the_item_and_its_stock(matching_store):
    from tests.test_storage import sync
    matching_store.write_batch(None, 0, [listing("shop", "X1", "Snow Buddies", sku="QX1111")])
    matching_store.write_batch(None, 0, [listing("other", "Y1", "Snow Buddies", sku="QX1111", price="15.00")])
    item = item_of(matching_store, "shop", "X1")
    sync(matching_store, [listing("shop", "P2", "Another", sku="QX2222")])  # a full run of "shop" without X1
    state = table(matching_store, sa.select(catalog_items.c.offers, catalog_items.c.shops_in_stock,
                                            catalog_items.c.best_price).where(catalog_items.c.id == item))
    assert state == [(1, 1, Decimal("15.00"))]
