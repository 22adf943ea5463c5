"""Benchmark: sync a generated feed into PostgreSQL, MariaDB or SQLite (run by hand, not a test).

    .venv/bin/python bench/feed_sync.py [--format csv|xml] [--count 100000|1000000] [--database postgresql|mariadb|sqlite]
                                        [--repeat 3] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Three crawls of the same feed, each a real `scrapy crawl` process, repeated --repeat times (a fresh
database each time; medians are reported):
  1. storage off (ORNAMENTS_STORAGE_ENABLED=0): the crawl and the other pipelines alone;
  2. first sync into an empty database;
  3. re-sync of the identical feed.
For each it prints wall time, items/s, CPU seconds and peak RSS of the crawl process and of the storage
worker process, and the load average of the machine when it started (the figures are only comparable
at similar load). On a local PostgreSQL or MariaDB also the server's CPU seconds, and how many cores the three
processes kept busy on average. Then the storage overhead (2 and 3 against 1 of the same repetition; the
median and each), the overhead the runs' CPU seconds would give if they kept every core busy from start
to end (a loose floor: the start and the end of every crawl run on one core), and what the re-sync
wrote: on PostgreSQL from its own counters (pg_stat_user_tables), on MariaDB and SQLite by counting rows.
Targets (issue 14): 100k CSV first sync >= 10,000 items/s, XML >= 7,000; re-sync >= 12,000; storage
adds <= 25%; 1,000,000 rows within 10% of the 100k rate; peak RSS <= 250 MB for each process at any
size; SQLite 500k >= 8,000 items/s; the re-sync inserts or changes 0 products and writes 0 history rows.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.feedgen import generated_merchant_feed, generated_products_csv  # noqa: E402
from tests.helpers import scalar  # noqa: E402

FORMATS = {"xml": ("google_merchant", generated_merchant_feed), "csv": ("products_csv", generated_products_csv)}
LABELS = ("storage off", "first sync", "re-sync")


@dataclass
class Run:
    wall: float
    load: float
    crawl_cpu: float | None
    crawl_rss_kb: int | None
    worker_cpu: float | None
    worker_rss_kb: int | None
    summary: str
    waited: float | None = None  # seconds the crawl waited for storage (ornaments/storage/wait_seconds)
    server_cpu: float | None = None  # CPU seconds of the local PostgreSQL server's processes during the run

    @property
    def cpu(self) -> float | None:
        """CPU seconds of the crawl, its storage workers and the local PostgreSQL server together."""
        if self.crawl_cpu is None or self.server_cpu is None:
            return None
        return self.crawl_cpu + (self.worker_cpu or 0) + self.server_cpu


def postgres_cpu_seconds(server: str = "postgres") -> float | None:
    """CPU seconds used so far by the local PostgreSQL server: its live processes plus the children it
    has reaped (ended backends). None when no postgres process runs on this machine. server="mariadbd":
    the local MariaDB server (one process, its threads counted in it)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if name != server:
            continue
        found = True
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if fields[1] == "1" or not Path(f"/proc/{fields[1]}").exists() or _name(fields[1]) != server:
            total += int(fields[13]) + int(fields[14])  # the postmaster: cutime, cstime of ended backends
    return total / tick if found else None


def _name(pid: str) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.index("(") + 1:stat.rindex(")")]


def _stat(log: str, name: str) -> float | None:
    lines = [line for line in log.splitlines() if f"'{name}'" in line]
    return float(lines[-1].rsplit(":", 1)[1].strip(" ,")) if lines else None


def crawl(spider: str, feed: Path, env_extra: dict[str, str], server: str | None) -> Run:
    # A deployment's own settings stay out, but ORNAMENTS_CATALOGUE=0 measures the sync without matching.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ORNAMENTS_", "IMAGES_", "SFTP_")) or k == "ORNAMENTS_CATALOGUE"}
    env.pop("DATABASE_URL", None)
    env.update({"ORNAMENTS_EXPORT_URI": "", "IMAGES_STORE": "", "ORNAMENTS_LOG_LEVEL": "INFO", **env_extra})
    load = os.getloadavg()[0]
    server_before = postgres_cpu_seconds(server) if server else None
    started = time.perf_counter()
    process = subprocess.run([sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"feed={feed}"], cwd=ROOT,
                             env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    server_after = postgres_cpu_seconds(server) if server else None
    log = process.stderr
    summary = [line.split("] ", 1)[-1] for line in log.splitlines() if "Sync of" in line]
    rss, worker_rss = _stat(log, "ornaments/crawl_max_rss_kb"), _stat(log, "ornaments/storage/worker_max_rss_kb")
    return Run(wall, load, _stat(log, "ornaments/crawl_cpu_seconds"), int(rss) if rss else None,
               _stat(log, "ornaments/storage/worker_cpu_seconds"), int(worker_rss) if worker_rss else None,
               summary[-1] if summary else "", _stat(log, "ornaments/storage/wait_seconds"),
               None if server_before is None or server_after is None else server_after - server_before)


def _mb(kb: float | None) -> str:
    return f"{kb / 1024:5.0f} MB" if kb else "     -  "


def _cpu(seconds: float | None) -> str:
    return f"{seconds:5.1f} s" if seconds is not None else "    -  "


def print_run(label: str, count: int, run: Run) -> None:
    print(f"{label:<12} {run.wall:7.2f} s {count / run.wall:9,.0f} items/s | crawl {_cpu(run.crawl_cpu)} CPU "
          f"{_mb(run.crawl_rss_kb)} | worker {_cpu(run.worker_cpu)} CPU {_mb(run.worker_rss_kb)} | load {run.load:.1f}"
          + (f" | waited for storage {run.waited:.1f} s" if run.waited is not None else "")
          + (f" | server {run.server_cpu:.1f} s CPU | cores busy {run.cpu / run.wall:.1f} of {os.cpu_count()}"
             if run.cpu is not None and run.worker_cpu is not None else ""))


class Postgres:
    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.admin = psycopg2.connect(admin_url)
        self.admin.autocommit = True
        self.name = ""

    def create(self) -> str:
        self.name = f"ornaments_bench_{uuid.uuid4().hex[:8]}"
        self.admin.cursor().execute(f'CREATE DATABASE "{self.name}"')
        return self.dsn.replace("postgresql://", "postgresql+psycopg2://", 1)

    @property
    def dsn(self) -> str:
        return self.admin_url.rsplit("/", 1)[0] + f"/{self.name}"

    def counters(self) -> dict[str, tuple[int, int, int]]:
        connection = psycopg2.connect(self.dsn)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_stat_force_next_flush()")
                cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables")
                return {name: (ins, upd, hot) for name, ins, upd, hot in cursor.fetchall()}
        finally:
            connection.close()

    def now(self) -> str:
        return str(scalar(self.dsn, "SELECT now()"))

    def resync_writes(self, before, started: str) -> str:
        after = self.counters()
        delta = {t: tuple(a - b for a, b in zip(after.get(t, (0, 0, 0)), before.get(t, (0, 0, 0))))
                 for t in ("products", "price_history", "product_changes")}
        changed = scalar(self.dsn, f"SELECT count(*) FROM products WHERE changed_at >= '{started}'")
        return (f"products inserted {delta['products'][0]}, products changed {changed}, price_history rows "
                f"{delta['price_history'][0]}, product_changes rows {delta['product_changes'][0]}; last_seen_at "
                f"bumped on {delta['products'][1]:,} products ({delta['products'][2]:,} HOT updates)")

    def drop(self) -> None:
        self.admin.cursor().execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'")
        self.admin.cursor().execute(f'DROP DATABASE IF EXISTS "{self.name}"')

    def close(self) -> None:
        self.admin.close()


class Mariadb:
    """A fresh database on the local MariaDB (--admin-url mysql+pymysql://root@127.0.0.1:3306/)."""

    def __init__(self, admin_url: str):
        import pymysql
        url = sa.make_url(admin_url)
        self.base = url
        self.admin = pymysql.connect(host=url.host, port=url.port or 3306, user=url.username,
                                     password=url.password or "", autocommit=True)
        self.name = ""

    def _one(self, sql: str, *args):
        with self.admin.cursor() as cursor:
            cursor.execute(sql, args or None)
            return cursor.fetchone()

    def create(self) -> str:
        self.name = f"ornaments_bench_{uuid.uuid4().hex[:8]}"
        self._one(f"CREATE DATABASE `{self.name}`")
        return self.base.set(database=self.name).render_as_string(hide_password=False)

    def counters(self) -> dict[str, int]:
        return {t: self._one(f"SELECT count(*) FROM `{self.name}`.{t}")[0]
                for t in ("products", "price_history", "product_changes")}

    def now(self) -> str:
        return self._one(f"SELECT max(changed_at) FROM `{self.name}`.products")[0]

    def resync_writes(self, before, started) -> str:
        after = self.counters()
        changed = self._one(f"SELECT count(*) FROM `{self.name}`.products WHERE changed_at > %s", started)[0]
        return (f"products inserted {after['products'] - before['products']}, products changed {changed}, "
                f"price_history rows {after['price_history'] - before['price_history']}, product_changes rows "
                f"{after['product_changes'] - before['product_changes']}")

    def drop(self) -> None:
        self._one(f"DROP DATABASE IF EXISTS `{self.name}`")

    def close(self) -> None:
        self.admin.close()


class Sqlite:
    def __init__(self, _admin_url: str):
        self.dir = Path(tempfile.mkdtemp(prefix="ornaments-bench-"))
        self.path = self.dir / "bench.sqlite3"

    def create(self) -> str:
        self.path.unlink(missing_ok=True)
        return f"sqlite:///{self.path}"

    def counters(self) -> dict[str, int]:
        with sqlite3.connect(self.path) as connection:
            return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("products", "price_history", "product_changes")}

    def now(self) -> str:
        with sqlite3.connect(self.path) as connection:
            return connection.execute("SELECT max(changed_at) FROM products").fetchone()[0]

    def resync_writes(self, before, started: str) -> str:
        after = self.counters()
        with sqlite3.connect(self.path) as connection:
            changed = connection.execute("SELECT count(*) FROM products WHERE changed_at > ?", (started,)).fetchone()[0]
        return (f"products inserted {after['products'] - before['products']}, products changed {changed}, "
                f"price_history rows {after['price_history'] - before['price_history']}, product_changes rows "
                f"{after['product_changes'] - before['product_changes']}")

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        self.dir.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000, help="products in the feed (e.g. 100000, 1000000)")
    parser.add_argument("--database", choices=("postgresql", "mariadb", "sqlite"), default="postgresql")
    parser.add_argument("--admin-url", default=None, help="default: postgresql://postgres@127.0.0.1:5432/postgres, "
                                                         "mysql+pymysql://root@127.0.0.1:3306/ for mariadb")
    parser.add_argument("--repeat", type=int, default=3, help="sequences to run; medians are reported")
    parser.add_argument("--format", choices=sorted(FORMATS), default="xml",
                        help="xml: a Google Merchant feed (google_merchant); csv: the same products (products_csv)")
    parser.add_argument("--skip-off", action="store_true", help="leave out the storage-off crawl")
    args = parser.parse_args()
    spider, generate = FORMATS[args.format]
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    feed = out / f"feed-{args.count}.{args.format}"
    if not feed.exists():
        generate(feed, args.count)
    print(f"feed: {args.count:,} products, {args.format}, {feed.stat().st_size / 1e6:.1f} MB ({spider}), "
          f"into {args.database}")

    admin_url = args.admin_url or ("mysql+pymysql://root@127.0.0.1:3306/" if args.database == "mariadb"
                                   else "postgresql://postgres@127.0.0.1:5432/postgres")
    database = {"postgresql": Postgres, "mariadb": Mariadb, "sqlite": Sqlite}[args.database](admin_url)
    runs: dict[str, list[Run]] = {label: [] for label in LABELS}
    try:
        for repetition in range(1, args.repeat + 1):
            print(f"-- repetition {repetition} of {args.repeat} (a fresh database)")
            database_url = database.create()
            try:
                for label in LABELS:
                    if label == "storage off" and args.skip_off:
                        continue
                    extra = {"ORNAMENTS_STORAGE_ENABLED": "0"} if label == "storage off" else {"DATABASE_URL": database_url}
                    before = database.counters() if label == "re-sync" else None
                    started = database.now() if label == "re-sync" else ""
                    server = {"postgresql": "postgres", "mariadb": "mariadbd"}.get(args.database)
                    run = crawl(spider, feed, extra, server)
                    runs[label].append(run)
                    print_run(label, args.count, run)
                    if run.summary:
                        print("             " + run.summary)
                    if label == "re-sync":
                        print("re-sync wrote: " + database.resync_writes(before, started))
            finally:
                database.drop()
    finally:
        database.close()
    print(f"-- medians of {args.repeat} ({args.count:,} products, {args.format}, {args.database}); RSS: the maximum")
    for label, done in runs.items():
        if not done:
            continue
        wall = statistics.median(r.wall for r in done)
        peak = Run(wall, statistics.median(r.load for r in done),
                   statistics.median(r.crawl_cpu for r in done) if done[0].crawl_cpu is not None else None,
                   max(r.crawl_rss_kb or 0 for r in done) or None,
                   statistics.median(r.worker_cpu for r in done) if done[0].worker_cpu is not None else None,
                   max(r.worker_rss_kb or 0 for r in done) or None, "",
                   server_cpu=statistics.median(r.server_cpu for r in done) if done[0].server_cpu is not None else None)
        print_run(label, args.count, peak)
    if runs["storage off"]:
        # Each storage run against the storage-off crawl of its own repetition, minutes apart, then the
        # median: this machine's speed drifts by a third within an hour, which a ratio of medians mixes in.
        offs = [r.wall for r in runs["storage off"]]
        for label in ("first sync", "re-sync"):
            overheads = sorted(r.wall / off - 1 for r, off in zip(runs[label], offs))
            # The floor: the wall time if the run's CPU seconds had kept every core busy from start to end.
            floors = [r.cpu / (os.cpu_count() or 1) / off - 1 for r, off in zip(runs[label], offs) if r.cpu]
            print(f"storage overhead, {label}: {statistics.median(overheads):+.0%} over storage off "
                  f"(each repetition: {', '.join(f'{o:+.0%}' for o in overheads)})"
                  + (f"; with every core busy all along: {statistics.median(floors):+.0%}" if floors else ""))


if __name__ == "__main__":
    main()
