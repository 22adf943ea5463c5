"""The catalogue fed by real crawls (issue 23): `scrapy crawl` of the three shop replicas into PostgreSQL
(ORNAMENTS_CATALOGUE on, the default) links the shops' listings of one ornament to one item; a second
crawl of the same sites changes no link and writes no item event."""

from __future__ import annotations

import sqlalchemy as sa

from ornaments.storage.schema import catalog_items, item_listings, match_proposals, product_events, products
from tests.helpers import rows
from tests.sites.catalog import SHOPS


def links(url: str) -> dict[tuple[str, str], tuple[int, str]]:
    query = sa.select(products.c.vendor, products.c.sku, item_listings.c.item_id, item_listings.c.method).join(
        item_listings, item_listings.c.product_id == products.c.id)
    return {(r.vendor, r.sku): (r.item_id, r.method) for r in rows(url, query)}


def test_three_replica_shops_become_one_catalogue(replica_site, replica_crawl, pg_url):
    for vendor in SHOPS:
        result = replica_crawl(vendor, replica_site(vendor))
        assert result.returncode == 0, result
    linked = links(pg_url)
    item_of_sku: dict[str, set[int]] = {}
    for (vendor, sku), (item_id, _method) in linked.items():
        item_of_sku.setdefault(sku, set()).add(item_id)
    split = {s: i for s, i in item_of_sku.items() if len(i) > 1}
    assert set(split) <= {"KC2021"}, split  # one item per number; a collection code is no item number
    shared = {sku for sku, items in item_of_sku.items()
              if sum(1 for (v, s) in linked if s == sku) > 1}
    assert "QXD6352" in shared and "QXR9042" in shared  # sold by several shops, one item each
    assert len({i for items in item_of_sku.values() for i in items}) == len(item_of_sku) + 1  # KC2021 twice
    # ... and proposed for review, as it is one collection by name and year
    proposed = rows(pg_url, sa.select(products.c.sku).join(match_proposals, match_proposals.c.product_id == products.c.id))
    assert [r.sku for r in proposed] == ["KC2021"]
    offers = dict(rows(pg_url, sa.select(catalog_items.c.item_number, catalog_items.c.offers)))
    assert offers["QXD6352"] == sum(1 for s in SHOPS.values() for p in s.products if p.sku == "QXD6352")
    before = rows(pg_url, sa.select(sa.func.count()).select_from(product_events).where(
        product_events.c.vendor == "catalogue"))
    for vendor in SHOPS:
        assert replica_crawl(vendor, replica_site(vendor)).returncode == 0
    assert links(pg_url) == linked
    after = rows(pg_url, sa.select(sa.func.count()).select_from(product_events).where(
        product_events.c.vendor == "catalogue"))
    assert after == before
