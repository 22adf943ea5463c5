"""Benchmark: the JSON spiders against replicas on 127.0.0.1 (run by hand, not a test).

    .venv/bin/python bench/json_api.py [--variants 5000] [--products 500] [--database-url URL]

1. `scrapy crawl shopify`: a replica store of --variants variants (2 per product, 250 products a page),
   first sync and re-sync.
2. `scrapy crawl offers_api`: --products of our products with 3 offers each; the first poll (every product
   registered first), then an unchanged poll (it must write nothing), then a poll where a tenth of the
   offers changed. Does a poll fit in the 30-second period?
Each figure is a real `scrapy crawl` process's time from opening to closing the spider (Scrapy's
elapsed_time_seconds), printed with the machine's load average (the figures mean little on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ornaments.retry import RetryPolicy  # noqa: E402
from ornaments.storage import CatalogStore, product_row  # noqa: E402
from ornaments.storage.schema import offer_history  # noqa: E402
from tests.api_replicas import OffersService, ShopifyStore, shopify_product  # noqa: E402
from tests.fixtures.crawl import run_scrapy, scrapy_env  # noqa: E402
from tests.fixtures.json_api import JsonApi  # noqa: E402
from tests.fixtures.replica_sites import FAST  # noqa: E402
from tests.helpers import rows, serving  # noqa: E402


def timed(spider: str, database_url: str, *args: str, env: dict | None = None) -> float:
    """Seconds from the spider's opening to its closing (Scrapy's elapsed_time_seconds, all items stored);
    the process's start-up (about 2 s: imports, migrations check, storage worker) is not in it."""
    result = run_scrapy("crawl", spider, *FAST, *args, env=scrapy_env(DATABASE_URL=database_url, **(env or {})),
                        timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"{spider} failed ({result.returncode}):\n{result}")
    return float(re.search(r"'elapsed_time_seconds': ([0-9.]+)", result.log).group(1))


def bench_shopify(database_url: str, variants: int) -> None:
    two = [{"option1": "Red", "price": "9.99"}, {"option1": "Gold", "price": "12.50", "compare_at_price": "15.00"}]
    products = [shopify_product(n, f"Ornament {n}", two, tags=["2021"]) for n in range(1, variants // 2 + 1)]
    with serving(JsonApi()) as api:
        ShopifyStore(api, products, page_size=250)
        for label in ("first sync", "re-sync"):
            seconds = timed("shopify", database_url, "-a", f"base_url={api.url}")
            print(f"shopify, {variants:,} variants, {label}: {seconds:.1f} s, {variants / seconds:,.0f} items/s")


def bench_offers(database_url: str, count: int) -> None:
    store = CatalogStore(database_url, retry=RetryPolicy(attempts=2))
    store.create_tables()
    store.write_batch(None, 0, [product_row({"vendor": "shop", "vendor_product_id": f"P{n}", "name": f"Ornament {n}",
                                             "price": Decimal("10.00"), "currency": "USD"}) for n in range(count)])
    ids = [r.id for r in rows(database_url, sa.text("SELECT id FROM products WHERE vendor = 'shop'"))]
    store.close()
    with serving(JsonApi()) as api:
        service = OffersService(api, "bench-key")
        args = ("-a", f"base_url={api.url}", "-a", "currency=USD", "-a", "vendors=shop")
        env = {"ORNAMENTS_OFFERS_API_KEY": "bench-key"}
        first = timed("offers_api", database_url, *args, env=env)  # every product is registered first
        for pid in ids:
            service.offers[str(pid)] = [{"id": f"{pid}-{k}", "price": 100 + k, "items_in_stock": k} for k in range(3)]
        second = timed("offers_api", database_url, *args, env=env)
        before = len(rows(database_url, sa.select(offer_history.c.id)))
        unchanged = timed("offers_api", database_url, *args, env=env)
        written = len(rows(database_url, sa.select(offer_history.c.id))) - before
        for pid in ids[::10]:
            service.offers[str(pid)][0]["price"] += 1
        changed = timed("offers_api", database_url, *args, env=env)
    print(f"offers_api, {count:,} products: first poll (registering each) {first:.1f} s; "
          f"{count * 3:,} new offers {second:.1f} s; unchanged {unchanged:.1f} s ({written} history rows written); "
          f"a tenth changed {changed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", type=int, default=5000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary directory")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = options.database_url or f"sqlite:///{scratch}/bench.sqlite3"
        print("load average at start: %.1f %.1f %.1f" % os.getloadavg())
        bench_shopify(url, options.variants)
        bench_offers(url, options.products)
        print("load average at end: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
