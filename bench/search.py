"""Benchmark: GET /products?q= at 1,000,000 products on PostgreSQL, without and with the trigram index
(ix_products_name_sku_trgm), and what the index costs a sync (run by hand).

    .venv/bin/python bench/search.py [--count 1000000] [--searches 40] [--sync 100000]
                                     [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Fills a fresh database with --count products (bench/api_products.py's INSERT ... SELECT), first without
the index: searches through the API (real uvicorn, one keep-alive connection, the first page of 100 of
each term) read the whole table. Then builds the index (timed) and searches again. Terms: a rare SKU, a
rare piece of a name, a word every name has, a word no product has; each term different per search, so
no page comes from the cache of a previous one.

The sync cost: --sync products written through the storage module (CatalogStore.write_batch, batches of
1000, as a crawl writes them) for a new vendor, three times - new products (inserts), the same again
(unchanged: last_seen_at only), and with every name changed (updates of an indexed column) - once with
the index and once without it (dropped), on the same 1M-product table. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from api_products import FILL, api_process, scratch_database  # noqa: E402
from ornaments.api.keys import create_key  # noqa: E402
from ornaments.api.products import product_query  # noqa: E402
from ornaments.storage import CatalogStore, product_row  # noqa: E402

INDEX = "CREATE INDEX ix_products_name_sku_trgm ON products USING gin (name gin_trgm_ops, sku gin_trgm_ops)"
BATCH = 1000


def terms(kind: str, count: int, total: int) -> list[str]:
    pick = random.Random(kind).sample(range(1, total + 1), count)
    if kind == "rare SKU":
        return [f"QX{i:07d}" for i in pick]
    if kind == "rare name piece":
        return [f"ornament {i // 10}" if i % 2 else f"nament {i}" for i in pick]  # "…Ornament 123456"
    if kind == "common word":
        return (["keepsake", "Keepsake Orn", "sake ornament", "KEEPSAKE"] * (count // 4 + 1))[:count]
    return [f"zz{i}qq" for i in pick]  # no product has it


def search(client: httpx.Client, values: list[str]) -> list[float]:
    times = []
    for value in values:
        started = time.perf_counter()
        client.get("/products", params={"q": value, "limit": 100}).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def search_sql(engine: sa.Engine, values: list[str]) -> list[float]:
    """The same first pages, the query alone (the API's product_query, no HTTP)."""
    times = []
    with engine.connect() as conn:
        for value in values:
            started = time.perf_counter()
            conn.execute(product_query(q=value, limit=101)).all()
            times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float], sql: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(f"  {label:<18} median {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  "
          f"query alone {statistics.median(sql):8.1f} ms  ({len(times)} searches)")


def searches(port: int, key: str, url: str, count: int, total: int) -> None:
    engine = sa.create_engine(url)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"},
                      timeout=60) as client:
        search(client, ["warm-up"])
        for kind in ("rare SKU", "rare name piece", "common word", "absent word"):
            values = terms(kind, 2 * count, total)
            report(kind, search(client, values[:count]), search_sql(engine, values[count:]))
    engine.dispose()


def sync_cost(store: CatalogStore, vendor: str, count: int) -> dict[str, float]:
    def rows(suffix: str) -> list[dict]:
        return [product_row({"vendor": vendor, "vendor_product_id": f"S{i}", "sku": f"SYNC{i:07d}",
                             "name": f"Synced ornament {i}{suffix}", "availability": "in_stock",
                             "url": f"https://s.example/{i}"}) for i in range(count)]

    spent = {}
    for label, suffix in (("new", ""), ("unchanged", ""), ("names changed", " (2026 edition)")):
        batch_rows = rows(suffix)
        started = time.perf_counter()
        run_id, _ = store.start_run("bench", vendor, {}, "all", None)
        for at in range(0, count, BATCH):
            store.write_batch(run_id, at // BATCH, batch_rows[at:at + BATCH])
        store.finish_run(run_id, "finished", "finished", {}, 0)
        spent[label] = time.perf_counter() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=40)
    parser.add_argument("--sync", type=int, default=100_000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    opts = parser.parse_args()
    with scratch_database(opts.admin_url, "ornaments_bench_search") as url:
        store = CatalogStore(url)
        store.create_tables()
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_products_name_sku_trgm")
            started = time.perf_counter()
            conn.exec_driver_sql(FILL, {"count": opts.count})
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE products")
        print(f"filled {opts.count:,} products in {time.perf_counter() - started:.0f} s")
        with store.engine.begin() as conn:
            _, key = create_key(conn, "bench")
        with api_process(url) as port:
            print("GET /products?q=, first page, without the index (a scan):")
            searches(port, key, url, max(5, opts.searches // 4), opts.count)
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                started = time.perf_counter()
                conn.exec_driver_sql(INDEX)
                built = time.perf_counter() - started
                conn.exec_driver_sql("ANALYZE products")
                size = conn.exec_driver_sql("SELECT pg_size_pretty(pg_relation_size('ix_products_name_sku_trgm')), "
                                            "pg_size_pretty(pg_relation_size('products'))").one()
            print(f"index built in {built:.1f} s: {size[0]} (the table: {size[1]})")
            print("GET /products?q=, first page, with the trigram index:")
            searches(port, key, url, opts.searches, opts.count)

            print(f"sync of {opts.sync:,} products of a new vendor into the {opts.count:,}-product table (s):")
            with_index = sync_cost(store, "bench_with_index", opts.sync)
            with store.engine.begin() as conn:
                conn.exec_driver_sql("DROP INDEX ix_products_name_sku_trgm")
            without = sync_cost(store, "bench_without_index", opts.sync)
            for label in with_index:
                print(f"  {label:<14} with the index {with_index[label]:6.1f}   without {without[label]:6.1f}   "
                      f"cost {with_index[label] / without[label] - 1:+.0%}")
            store.close()


if __name__ == "__main__":
    main()
