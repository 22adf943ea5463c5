"""Benchmark: sync a generated 100,000-product feed into PostgreSQL (run by hand, not a test).

    .venv/bin/python bench/feed_sync.py [--count 100000] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Three crawls of the same feed, each a real `scrapy crawl` process, repeated --repeat times (a fresh
database each time; medians are reported):
  1. storage off (ORNAMENTS_STORAGE_ENABLED=0): the crawl and the other pipelines alone;
  2. first sync into an empty database;
  3. re-sync of the identical feed.
It prints items/s, wall time and peak RSS of each, the storage overhead (2 against 1), and what the
re-sync wrote, read from PostgreSQL's own counters (pg_stat_user_tables).
Targets: >= 10,000 items/s end to end; storage adds <= 25%; peak RSS <= 300 MB; the re-sync inserts
or changes 0 products and writes 0 history rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.feedgen import generated_merchant_feed, generated_products_csv  # noqa: E402
from tests.helpers import scalar  # noqa: E402

FORMATS = {"xml": ("google_merchant", generated_merchant_feed), "csv": ("products_csv", generated_products_csv)}


def crawl(spider: str, feed: Path, env_extra: dict[str, str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KB, log) of one scrapy crawl."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORNAMENTS_", "IMAGES_", "SFTP_"))}
    env.update({"ORNAMENTS_EXPORT_URI": "", "IMAGES_STORE": "", "ORNAMENTS_LOG_LEVEL": "INFO", **env_extra})
    started = time.perf_counter()
    process = subprocess.run(["/usr/bin/time", "-f", "MAXRSS=%M", sys.executable, "-m", "scrapy", "crawl",
                              spider, "-a", f"feed={feed}"], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    rss = int(process.stderr.rsplit("MAXRSS=", 1)[1].split()[0])
    return wall, rss, process.stderr


def table_counters(dsn: str) -> dict[str, tuple[int, int, int]]:
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables")
            return {name: (ins, upd, hot) for name, ins, upd, hot in cursor.fetchall()}
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=3, help="sequences to run; medians are reported")
    parser.add_argument("--format", choices=sorted(FORMATS), default="xml",
                        help="xml: a Google Merchant feed (google_merchant); csv: the same products (products_csv)")
    args = parser.parse_args()
    spider, generate = FORMATS[args.format]
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    feed = generate(out / f"feed-{args.count}.{args.format}", args.count)
    print(f"feed: {args.count:,} products, {args.format}, {feed.stat().st_size / 1e6:.1f} MB ({spider})")

    admin = psycopg2.connect(args.admin_url)
    admin.autocommit = True
    runs: dict[str, list[tuple[float, int]]] = {"storage off": [], "first sync": [], "re-sync": []}
    for repetition in range(1, args.repeat + 1):
        print(f"-- repetition {repetition} of {args.repeat} (a fresh database)")
        name = f"ornaments_bench_{uuid.uuid4().hex[:8]}"
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        dsn = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
        database_url = dsn.replace("postgresql://", "postgresql+psycopg2://", 1)
        try:
            for label, extra in (("storage off", {"ORNAMENTS_STORAGE_ENABLED": "0"}),
                                 ("first sync", {"DATABASE_URL": database_url}),
                                 ("re-sync", {"DATABASE_URL": database_url})):
                before = table_counters(dsn) if label == "re-sync" else None
                resync_started = scalar(dsn, "SELECT now()") if label == "re-sync" else None
                wall, rss, log = crawl(spider, feed, extra)
                runs[label].append((wall, rss))
                print(f"{label:<12} {wall:6.2f} s  {args.count / wall:9,.0f} items/s  peak RSS {rss / 1024:6.0f} MB")
                summary = [line for line in log.splitlines() if "Sync of" in line]
                if summary:
                    print("             " + summary[-1].split("] ", 1)[-1])
                worker_rss = [line for line in log.splitlines() if "ornaments/storage/worker_max_rss_kb" in line]
                if worker_rss:
                    print(f"             storage worker process peak RSS "
                          f"{int(worker_rss[-1].rsplit(':', 1)[1].strip(' ,')) / 1024:.0f} MB")
                if label == "re-sync":
                    after = table_counters(dsn)
                    delta = {t: tuple(a - b for a, b in zip(after.get(t, (0, 0, 0)), before.get(t, (0, 0, 0))))
                             for t in ("products", "price_history", "product_changes")}
                    changed = scalar(dsn, f"SELECT count(*) FROM products WHERE changed_at >= '{resync_started}'")
                    print(f"re-sync wrote: products inserted {delta['products'][0]}, products changed {changed}, "
                          f"price_history rows {delta['price_history'][0]}, product_changes rows "
                          f"{delta['product_changes'][0]}; last_seen_at bumped on {delta['products'][1]:,} "
                          f"products ({delta['products'][2]:,} of them HOT updates, no index writes)")
        finally:
            admin.cursor().execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()
    print(f"-- medians of {args.repeat}")
    medians = {label: (statistics.median(w for w, _ in r), max(m for _, m in r)) for label, r in runs.items()}
    for label, (wall, rss) in medians.items():
        print(f"{label:<12} {wall:6.2f} s  {args.count / wall:9,.0f} items/s  peak RSS {rss / 1024:6.0f} MB (max)")
    off = medians["storage off"][0]
    print(f"storage overhead: first sync +{medians['first sync'][0] / off - 1:.0%}, "
          f"re-sync +{medians['re-sync'][0] / off - 1:.0%} over storage off")

if __name__ == "__main__":
    main()
