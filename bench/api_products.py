"""Benchmark: GET /products pages of 100 from a 1,000,000-product PostgreSQL database (run by hand).

    .venv/bin/python bench/api_products.py [--count 1000000] [--pages 200] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Fills a fresh database with --count products (INSERT ... SELECT generate_series: 8 vendors, 1973-2026,
mixed availability, 2% removed), starts the API with real uvicorn (`python -m ornaments.api`), and walks
--pages pages of 100 for each filter below, following next_cursor, over one keep-alive connection.
Prints the median and 95th percentile of the request time as the client sees it (HTTP, auth, SQL, JSON),
and the median of the same pages' query alone (SQLAlchemy, the API's product_query, no HTTP).
Target: median under 50 ms. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ornaments.api.keys import create_key  # noqa: E402
from ornaments.api.products import product_query  # noqa: E402
from ornaments.storage import CatalogStore  # noqa: E402
from tests.helpers import execute_autocommit as admin, free_port  # noqa: E402

FILL = """
INSERT INTO products (vendor, vendor_product_id, sku, name, description, release_year, url, price, currency,
                      availability, image_urls, content_hash, created_at, last_seen_at, changed_at, removed_at)
SELECT 'vendor_' || (i %% 8), 'P' || i, 'QX' || lpad(i::text, 7, '0'), 'Keepsake Ornament ' || i,
       'Ornament number ' || i, 1973 + (i %% 54), 'https://shop.example/p/' || i, 10 + (i %% 500) / 4.0, 'USD',
       (ARRAY['in_stock', 'in_stock', 'in_stock', 'out_of_stock', 'preorder'])[1 + i %% 5],
       '["https://shop.example/img/' || i || '.jpg"]', md5(i::text)::varchar(32),
       now() - interval '400 days', now(), now() - (i %% 400) * interval '1 day',
       CASE WHEN i %% 50 = 0 THEN now() - interval '3 days' END
FROM generate_series(1, %(count)s) AS i
"""

SCENARIOS = [
    ("all products", {}),
    ("one vendor", {"vendor": "vendor_3"}),
    ("one vendor, live only", {"vendor": "vendor_3", "removed": "false"}),
    ("vendor + year", {"vendor": "vendor_3", "year": "2010"}),
    ("availability", {"availability": "preorder"}),
    ("changed in the last 30 days", {"changed_since": "__30_days_ago__"}),
    ("text search (common word)", {"q": "keepsake"}),
    ("text search (one SKU: a scan)", {"q": "QX0500000", "__pages__": 10}),
]


def walk(client: httpx.Client, params: dict, pages: int) -> list[float]:
    times, cursor = [], None
    for _ in range(pages):
        started = time.perf_counter()
        answer = client.get("/products", params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})})
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        cursor = answer.json()["next_cursor"]
    return times


def walk_sql(engine: sa.Engine, params: dict, pages: int) -> list[float]:
    """The same pages, the query alone."""
    filters = {"vendor": params.get("vendor"), "availability": params.get("availability"), "q": params.get("q"),
               "year": int(params["year"]) if "year" in params else None,
               "removed": {"true": True, "false": False}.get(params.get("removed", "")),
               "changed_since": (datetime.fromisoformat(params["changed_since"].replace("Z", "+00:00"))
                                 if "changed_since" in params else None)}
    times, after = [], 0
    with engine.connect() as conn:
        for _ in range(pages):
            started = time.perf_counter()
            found = conn.execute(product_query(**filters, after=after, limit=101)).all()
            times.append((time.perf_counter() - started) * 1000)
            after = found[99].id if len(found) > 100 else 0
    return times


@contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL database for one bench run, dropped afterwards whatever happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin(admin_url, f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(drivername="postgresql+psycopg2", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        admin(admin_url, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def api_process(url: str) -> Iterator[int]:
    """`python -m ornaments.api` on a free port over url, once it answers /health; stopped afterwards."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "ornaments.api", "--port", str(port)], cwd=ROOT,
                               env={**os.environ, "DATABASE_URL": url},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def api_client(store: CatalogStore, url: str, timeout: float) -> Iterator[httpx.Client]:
    """A bench key made in store (which is closed then), the API started over url, and a client holding the key."""
    with store.engine.begin() as conn:
        _, key = create_key(conn, "bench")
    store.close()
    with api_process(url) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                                headers={"Authorization": f"Bearer {key}"}, timeout=timeout) as client:
        yield client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    opts = parser.parse_args()
    with scratch_database(opts.admin_url, "ornaments_bench_api") as url:
        store = CatalogStore(url)
        store.create_tables()
        started = time.perf_counter()
        with store.engine.begin() as conn:
            conn.exec_driver_sql(FILL, {"count": opts.count})
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE products")
        print(f"filled {opts.count:,} products in {time.perf_counter() - started:.0f} s")
        with api_client(store, url, timeout=30) as client:
            since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 30 * 86400))
            print(f"{'filter':<30} {'median':>8} {'p95':>8} {'SQL':>8}  (ms, {opts.pages} pages of 100)")
            engine = sa.create_engine(url)
            for label, params in SCENARIOS:
                pages = min(opts.pages, params.pop("__pages__", opts.pages))  # scans: a few pages are enough
                params = {k: since if v == "__30_days_ago__" else v for k, v in params.items()}
                walk(client, params, 5)  # warm the connection pool and the cache
                times = walk(client, params, pages)
                p95 = statistics.quantiles(times, n=20)[-1]
                sql = statistics.median(walk_sql(engine, params, pages))
                note = "" if pages == opts.pages else f"  ({pages} pages)"
                print(f"{label:<30} {statistics.median(times):>8.1f} {p95:>8.1f} {sql:>8.1f}{note}")
            engine.dispose()

if __name__ == "__main__":
    main()
