"""item_listings and item_keys carry no foreign keys (migration catalogue_links_unchecked): their one
writer keeps them whole (and item_prices, the best prices as rows, in step with each item's state). This checks it on all three databases: after a multi-shop catalogue is linked
(with the machine's own merges), then re-synced with changed numbers, and after every review operation
(accept, reject, split, merge), every listing and key names an item that exists, and every listing a
product that exists. And two shops synced at the same time share their items (the catalogue's lock)."""

from __future__ import annotations

import pytest

import sqlalchemy as sa

from ornaments.storage.catalogue_review import Review
from ornaments.storage.schema import catalog_items, item_keys, item_listings, item_prices, match_proposals, products
from tests.catalogue_truth import listings
from tests.test_catalogue_item_state import price_rows_of_states
from tests.test_catalogue_match import write
from tests.test_storage import table


def orphans(store) -> dict[str, list]:
    """Rows of the link tables that name a missing item or product."""
    def missing(link: sa.Table, column: sa.Column, parent: sa.Table) -> list:
        query = sa.select(*link.c).where(~sa.exists().where(parent.c.id == column))
        return [tuple(r) for r in table(store, query)]
    return {"listings without item": missing(item_listings, item_listings.c.item_id, catalog_items),
            "listings without product": missing(item_listings, item_listings.c.product_id, products),
            "keys without item": missing(item_keys, item_keys.c.item_id, catalog_items),
            "prices without item": missing(item_prices, item_prices.c.item_id, catalog_items)}


NONE = {"listings without item": [], "listings without product": [], "keys without item": [],
        "prices without item": []}


def prices_in_step(store) -> bool:
    with store.engine.connect() as conn:
        stored, wanted = price_rows_of_states(conn)
    return stored == wanted


def open_proposals(store) -> list[sa.Row]:
    return table(store, sa.select(match_proposals).where(match_proposals.c.state == "open")
                 .order_by(match_proposals.c.id))


@pytest.mark.three_databases
def test_the_link_tables_never_name_a_missing_item_or_product(matching_store):
    rows = listings()
    write(matching_store, rows)
    assert orphans(matching_store) == NONE
    assert prices_in_step(matching_store)
    linked = table(matching_store, sa.select(item_listings.c.item_id))
    assert len(linked) == len(rows)

    # A re-sync in which a third of the listings name another listing's number: re-matched, some items
    # lose their last listing, others merge (a GTIN of one item with the number of another).
    numbers = [r["sku"] for r in rows if r.get("sku")]
    changed = [dict(r, sku=numbers[(i * 7) % len(numbers)]) if i % 3 == 0 else r for i, r in enumerate(rows)]
    write(matching_store, changed)
    assert orphans(matching_store) == NONE
    assert prices_in_step(matching_store)

    review = Review(matching_store.engine)
    queue = open_proposals(matching_store)
    assert len(queue) >= 2, "the truth catalogue leaves proposals to review"
    review.accept(queue[0].id)
    review.reject(queue[1].id)
    assert orphans(matching_store) == NONE
    assert prices_in_step(matching_store)

    shared = table(matching_store, sa.select(item_listings.c.item_id).group_by(item_listings.c.item_id)
                   .having(sa.func.count() > 2).order_by(item_listings.c.item_id).limit(2))
    first, second = (r.item_id for r in shared)
    split_off = table(matching_store, sa.select(item_listings.c.product_id)
                      .where(item_listings.c.item_id == first).order_by(item_listings.c.product_id))[0].product_id
    review.split(split_off)
    review.merge(first, second)
    assert table(matching_store, sa.select(catalog_items.c.id).where(catalog_items.c.id == second)) == []
    assert orphans(matching_store) == NONE
    assert prices_in_step(matching_store)


@pytest.mark.three_databases
def test_shops_synced_at_the_same_time_share_their_items(matching_store):
    """Two shops' first syncs at once (Scrapyd runs several crawls): each ornament is still one item with
    both shops' listings, not one item per shop that looked before the other committed."""
    import threading

    from tests.test_catalogue_review import listing
    numbers = [f"QX{1000 + i}" for i in range(300)]
    start, failures = threading.Barrier(2), []

    def sync(shop: str) -> None:
        rows = [listing(shop, f"{shop}-{n}", f"Ornament {n}", sku=n) for n in numbers]
        start.wait()
        try:
            for at in range(0, len(rows), 100):
                matching_store.write_batch(None, at // 100, rows[at:at + 100])
        except Exception as exc:  # noqa: BLE001 - reported below, with the shop
            failures.append((shop, exc))

    threads = [threading.Thread(target=sync, args=(shop,)) for shop in ("shop_a", "shop_b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    per_number = table(matching_store, sa.select(catalog_items.c.item_number, sa.func.count())
                       .group_by(catalog_items.c.item_number))
    assert {n for n, count in per_number if count > 1} == set()
    assert len(per_number) == len(numbers)
    assert len(table(matching_store, sa.select(item_listings.c.item_id))) == 2 * len(numbers)
    assert orphans(matching_store) == NONE and prices_in_step(matching_store)
