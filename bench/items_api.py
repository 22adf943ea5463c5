"""Benchmark: GET /items pages over a catalogue of 1,000,000 products on PostgreSQL (run by hand).

    .venv/bin/python bench/items_api.py [--count 1000000] [--pages 100]
                                        [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Fills a fresh database with --count products (bench/api_products.py's INSERT ... SELECT: 8 vendors), then
one catalogue item per two consecutive products (two shops' listings of one ornament) with its keys,
its listings and its state (offers, shops in stock, best price in USD), all in SQL. Then asks the API
(real uvicorn, one keep-alive connection) for pages of 50 items, each request different so that no
answer comes from a cache: the first page, a name search, an item number search, a year filter, in
stock anywhere, sorted by best price, and a deep keyset page (a cursor near the end). Prints the
median and 95th percentile as the client sees them. Target (issue 23): median < 50 ms.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from api_products import FILL, api_client, scratch_database  # noqa: E402
from ornaments.storage import CatalogStore  # noqa: E402

# Item j holds products 2j-1 and 2j (two vendors). Its number: Q + two letters + 4 digits (QAB1234).
ITEMS = """
INSERT INTO catalog_items (id, brand, item_number, name, search_name, release_year, gtins, offers, shops_in_stock,
                           best_prices, best_price, best_currency, state_at, created_at, updated_at)
SELECT j, 'hallmark', 'Q' || chr(65 + (j / 10000) %% 26) || chr(65 + (j / 260000) %% 26) || lpad((j %% 10000)::text, 4, '0'),
       name, lower(name), 1973 + (j %% 54), '[]', 2, 1 + (j %% 3 = 0)::int - (j %% 5 = 0)::int,
       '{' || CASE WHEN j %% 7 = 0 THEN '"EUR": "' || to_char(9 + (j %% 500) / 4.0, 'FM9990.00') || '", ' ELSE '' END
           || '"USD": "' || to_char(10 + (j %% 500) / 4.0, 'FM9990.00') || '"}', 10 + (j %% 500) / 4.0, 'USD',
       now(), now(), now()
FROM (SELECT j, 'Keepsake Ornament ' || j || ' ' || (ARRAY['Frosty Friends', 'Santa Sleigh', 'Snow Buddies', 'Cozy Cottage',
                                                          'Barbie', 'Star Wars', 'Candy Cane Express'])[1 + j %% 7] AS name
      FROM generate_series(1, %(items)s) AS j) AS g
"""
LISTINGS = """
INSERT INTO item_listings (product_id, item_id, method, confidence, state, match_key, linked_at)
SELECT i, (i + 1) / 2, 'number', 0.95, 'auto', md5(i::text), now() FROM generate_series(1, %(count)s) AS i
"""
# Every seventh item is offered in EUR too (a minority currency: its main one stays USD).
PRICES = """
INSERT INTO item_prices (item_id, currency, price)
SELECT c.id, p.key, p.value::numeric FROM catalog_items AS c, json_each_text(c.best_prices::json) AS p
"""
KEYS = """
INSERT INTO item_keys (kind, key, item_id) SELECT 'number', 'hallmark:' || item_number, id FROM catalog_items
ON CONFLICT DO NOTHING
"""


def scenarios(items: int, pages: int) -> dict[str, list[dict]]:
    """Each kind of page, `pages` different requests of it."""
    rng = random.Random(23)
    picks = [rng.randint(1, items) for _ in range(pages)]
    number = "Q{}{}{:04d}".format
    return {
        "first page": [{"limit": 50, "cursor": str(rng.randint(0, 50))} for _ in picks],  # page 1, shifted
        "name search (rare)": [{"q": f"Ornament {j} "} for j in picks],
        "name search (common)": [{"q": ["frosty", "santa sleigh", "barbie", "star wars"][j % 4], "cursor": str(j % 1000)}
                                 for j in picks],
        "item number search": [{"q": number(chr(65 + (j // 10000) % 26), chr(65 + (j // 260000) % 26), j % 10000)}
                               for j in picks],
        "year filter": [{"year": 1973 + j % 54, "cursor": str(j % 1000)} for j in picks],
        "in stock anywhere": [{"in_stock": "true", "cursor": str(j % 1000)} for j in picks],
        "sort by best price": [{"sort": "best_price", "currency": "USD",
                                "cursor": f"{10 + (j % 400) / 4:.2f}:{j}"} for j in picks],
        "sort by best price, EUR": [{"sort": "best_price", "currency": "EUR",  # a seventh of the items
                                     "cursor": f"{9 + (j % 400) / 4:.2f}:{j}"} for j in picks],
        "deep keyset page": [{"cursor": str(items - 1000 - j % 1000)} for j in picks],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="products (items: half as many)")
    parser.add_argument("--pages", type=int, default=100, help="requests of each kind")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    opts = parser.parse_args()
    items = opts.count // 2
    with scratch_database(opts.admin_url, "ornaments_bench_items") as url:
        store = CatalogStore(url)
        store.create_tables()
        started = time.perf_counter()
        with store.engine.begin() as conn:
            conn.exec_driver_sql(FILL, {"count": items * 2})
            conn.exec_driver_sql(ITEMS, {"items": items})
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('catalog_items', 'id'), %(items)s)",
                                 {"items": items})
            conn.exec_driver_sql(LISTINGS, {"count": items * 2})
            conn.exec_driver_sql(KEYS)
            conn.exec_driver_sql(PRICES)
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        print(f"filled {items * 2:,} products and {items:,} items in {time.perf_counter() - started:.0f} s")
        with api_client(store, url, timeout=60) as client:
            print(f"{'page':<24} {'median':>8} {'p95':>8} {'items':>6}  (ms, {opts.pages} requests each)")
            for label, requests in scenarios(items, opts.pages).items():
                for params in requests[:5]:  # warm the connection pool
                    client.get("/items", params=params).raise_for_status()
                times, found = [], 0
                for params in requests:
                    began = time.perf_counter()
                    answer = client.get("/items", params=params)
                    times.append((time.perf_counter() - began) * 1000)
                    answer.raise_for_status()
                    found += len(answer.json()["items"])
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{label:<24} {statistics.median(times):>8.1f} {p95:>8.1f} {found / len(requests):>6.0f}")


if __name__ == "__main__":
    main()
