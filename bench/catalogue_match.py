"""Benchmark: matching 100,000 new products across several shops into the catalogue (run by hand).

    .venv/bin/python bench/catalogue_match.py [--count 100000] [--database postgresql|mariadb|sqlite]
                                              [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]
                                              [--repeat 1]

The same generated listings (5 shops, each ornament at 2-3 of them, Hallmark numbers spelled the shops'
ways, a GTIN on a third, names reworded) are written twice through CatalogStore.write_batch in batches of
5,000 per shop, into a fresh database each time: once without the catalogue and once with it. The
matching time is the difference. Then a re-sync of the same listings with the catalogue on (no matching
work: the batches hold no change). Target (issue 23): 100,000 new products matched in <= 10 s.
With --repeat N the whole is done N times and each figure is the median (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from api_products import scratch_database  # noqa: E402
from ornaments.storage import CatalogStore, product_row  # noqa: E402

SHOPS = ("hookedonhallmark", "hallmark_ornaments", "ornament_shop", "feed_depot", "feed_barn")
PREFIXES = ("QX", "QXI", "QXD", "QXR", "QXE", "QXG", "QXM", "QXC", "QLX", "QHX", "QBG", "QXB")
WORDS = ("Frosty", "Friends", "Santa", "Snow", "Buddies", "Cozy", "Cottage", "Sleigh", "Bells", "Angel", "Star",
         "Barbie", "Train", "Express", "Kitten", "Puppy", "Cardinal", "Winter", "Candy", "Cane", "Cocoa", "Fox")
BATCH = 5000


def gtin13(rng: random.Random) -> str:
    body = "07" + "".join(str(rng.randint(0, 9)) for _ in range(10))  # a shared code (not GS1 02x/04x/05x)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def listings(count: int) -> dict[str, list[dict]]:
    rng = random.Random(23)
    by_shop: dict[str, list[dict]] = {s: [] for s in SHOPS}
    made, i = 0, 0
    while made < count:
        number = f"{PREFIXES[i % len(PREFIXES)]}{1000 + i // len(PREFIXES)}"
        year = 2000 + i % 25
        name = " ".join(rng.sample(WORDS, 3))
        gtin = gtin13(rng) if i % 3 == 0 else None
        for shop in rng.sample(SHOPS, rng.choice((2, 2, 3))):
            pid = f"{shop[:3]}{i}"
            sku = rng.choice((number, f"{number[:-4]} {number[-4:]}", f"1{number}", f"{number}-1", pid))
            by_shop[shop].append(product_row({
                "vendor": shop, "vendor_product_id": pid, "sku": sku, "gtin": gtin if rng.random() < 0.6 else None,
                "name": f"{name} {year}" + (f" {number}" if sku == pid else ""), "brand": "Hallmark",
                "release_year": year, "price": Decimal(rng.randint(999, 4999)) / 100, "currency": "USD",
                "availability": "in_stock", "url": f"https://{shop}.example/{pid}"}))
            made += 1
        i += 1
    return by_shop


def machine_reference() -> float:
    """Seconds for 10 million additions in a Python loop (best of 3): how fast this machine runs Python,
    to compare figures taken on different machines (the sessions' machines differed by 2x)."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def server_cpu(store: CatalogStore) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend of the store's database (from /proc: the server is local)."""
    if store.engine.dialect.name != "postgresql":
        return {}
    with store.engine.connect() as conn:
        pids = conn.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").scalars()
        found = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return found


def write_all(url: str, by_shop: dict[str, list[dict]], match: bool) -> tuple[float, float, float]:
    """(wall, this process's CPU, PostgreSQL's CPU) seconds to write every batch. The CPU times are
    the steadier figures on a shared machine."""
    store = CatalogStore(url, match_catalogue=match)
    store.create_tables()
    server = server_cpu(store)
    started, cpu = time.perf_counter(), time.process_time()
    for shop, rows in by_shop.items():
        for start in range(0, len(rows), BATCH):
            store.write_batch(None, 0, rows[start:start + BATCH])
    took = time.perf_counter() - started, time.process_time() - cpu
    server = sum(t - server.get(pid, 0.0) for pid, t in server_cpu(store).items())
    store.close()
    return (*took, server)


@contextmanager
def database(kind: str, admin_url: str, name: str):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
    elif kind == "mariadb":
        import pymysql
        import sqlalchemy as sa
        url = sa.make_url(admin_url)
        admin = pymysql.connect(host=url.host, port=url.port or 3306, user=url.username,
                                password=url.password or "", autocommit=True)
        database_name = f"{name}_{uuid.uuid4().hex[:8]}"
        try:
            with admin.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE `{database_name}`")
            yield url.set(database=database_name).render_as_string(hide_password=False)
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{database_name}`")
            admin.close()
    else:
        with scratch_database(admin_url, name) as url:
            yield url


def once(opts, by_shop: dict[str, list[dict]]) -> tuple[int, int, list[float]]:
    """(items, proposals, the nine figures: wall, CPU here, CPU of the server, without / with / re-sync)."""
    with database(opts.database, opts.admin_url, "ornaments_bench_catalogue_off") as url:
        plain = write_all(url, by_shop, match=False)
    with database(opts.database, opts.admin_url, "ornaments_bench_catalogue_on") as url:
        matched = write_all(url, by_shop, match=True)
        store = CatalogStore(url, match_catalogue=True)
        with store.engine.connect() as conn:
            items = conn.exec_driver_sql("SELECT count(*) FROM catalog_items").scalar()
            queue = conn.exec_driver_sql("SELECT count(*) FROM match_proposals").scalar()
        store.close()
        resync = write_all(url, by_shop, match=True)
    return items, queue, [*plain, *matched, *resync]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database", choices=("postgresql", "mariadb", "sqlite"), default="postgresql")
    parser.add_argument("--admin-url", default=None, help="postgresql://postgres@127.0.0.1:5432/postgres, or "
                                                          "mysql+pymysql://root@127.0.0.1:3306/ for mariadb")
    parser.add_argument("--repeat", type=int, default=1)
    opts = parser.parse_args()
    opts.admin_url = opts.admin_url or ("mysql+pymysql://root@127.0.0.1:3306/" if opts.database == "mariadb"
                                        else "postgresql://postgres@127.0.0.1:5432/postgres")
    by_shop = listings(opts.count)
    total = sum(len(r) for r in by_shop.values())
    runs = []
    for _ in range(opts.repeat):
        items, queue, figures = once(opts, by_shop)
        runs.append(figures)
        if opts.repeat > 1:
            print("  run:", " ".join(f"{f:.1f}" for f in figures), f"(matching {figures[3] - figures[0]:.1f} s wall, "
                  f"{figures[4] - figures[1]:.1f} + {figures[5] - figures[2]:.1f} s CPU)", flush=True)
    median = [statistics.median(r[i] for r in runs) for i in range(9)]
    plain, plain_cpu, plain_db, matched, matched_cpu, matched_db, resync, resync_cpu, resync_db = median
    server = "PostgreSQL" if opts.database == "postgresql" else "server (not measured)"
    wall = statistics.median(r[3] - r[0] for r in runs)
    cpu = statistics.median(r[4] - r[1] for r in runs)
    cpu_db = statistics.median(r[5] - r[2] for r in runs)
    print(f"{opts.database}: {total:,} new products in {len(SHOPS)} shops, {items:,} items, {queue:,} proposals"
          + (f"; medians of {opts.repeat} runs" if opts.repeat > 1 else ""))
    print(f"  stored without the catalogue: {plain:.1f} s (CPU {plain_cpu:.1f} s here, {plain_db:.1f} s {server}); "
          f"with it: {matched:.1f} s (CPU {matched_cpu:.1f} s, {matched_db:.1f} s)")
    print(f"  matching: {wall:.1f} s ({total / max(wall, 1e-9):,.0f} products/s), "
          f"CPU {cpu:.1f} s here, {cpu_db:.1f} s {server}")
    print(f"  re-sync of the same listings, catalogue on: {resync:.1f} s (CPU {resync_cpu:.1f} s, {resync_db:.1f} s)")
    print(f"  machine reference: 10 million Python additions in {machine_reference():.2f} s")


if __name__ == "__main__":
    main()
