"""Benchmark: what the change events cost the sync, and how fast the dispatcher delivers (run by hand).

    .venv/bin/python bench/webhooks.py [--count 100000] [--repeat 3] [--admin-url postgresql://…/postgres]

1. The storage module alone (CatalogStore.write_batch, batches of 2,000, PostgreSQL, a fresh database
   each time): a first sync of --count products and an unchanged re-sync, with the events written (as
   shipped) and with the outbox switched off (insert_events replaced by a no-op), alternating, medians of
   --repeat. The crawl runs in another process and is not part of this: its share of a real sync is
   in bench/feed_sync.py, so the overhead here is an upper bound of the end-to-end one.
2. The dispatcher: every created event of the first sync delivered to a real HTTP receiver on
   127.0.0.1 (signed, batches of 100 and of 1,000), events/s.

    .venv/bin/python bench/webhooks.py --end-to-end [--count 100000] [--repeat 3]

3. End to end, as bench/feed_sync.py runs it (real `scrapy crawl` processes, a generated Google Merchant
   feed, a fresh PostgreSQL database each time): first sync and unchanged re-sync with events, and with
   the outbox switched off in the crawl and its storage worker (a sitecustomize on PYTHONPATH replaces
   insert_events by a no-op), alternating; medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg2
import sqlalchemy as sa
from scrapy.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ornaments.storage import outbox  # noqa: E402
from ornaments.retry import RetryPolicy  # noqa: E402
from ornaments.storage import CatalogStore, product_row  # noqa: E402
from ornaments.webhooks import endpoints  # noqa: E402
from ornaments.webhooks.config import WebhookConfig  # noqa: E402
from ornaments.webhooks.dispatcher import Dispatcher  # noqa: E402
from ornaments.webhooks.signing import SecretBox, new_key  # noqa: E402
from tests.fixtures.receivers import WebhookReceiver  # noqa: E402
from tests.helpers import project_settings  # noqa: E402
from tests.helpers import execute_autocommit, serving  # noqa: E402

BATCH = 2000


def rows(count: int) -> list[dict]:
    return [product_row({"vendor": "bench", "vendor_product_id": f"B{i:07d}", "name": f"Ornament {i}",
                         "url": f"https://shop.example/p/{i}", "price": Decimal(f"{10 + i % 90}.95"),
                         "currency": "USD", "availability": "in_stock", "release_year": 2000 + i % 25,
                         "sku": f"QX{i}", "brand": "Hallmark", "description": "A keepsake ornament " * 5,
                         "image_urls": [f"https://shop.example/i/{i}.jpg"]}) for i in range(count)]


def database(admin_url: str) -> tuple[str, str]:
    name = f"ornaments_bench_{uuid.uuid4().hex[:8]}"
    execute_autocommit(admin_url, f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(drivername="postgresql+psycopg2", database=name)
    return url.render_as_string(hide_password=False), name


CPU = {}  # the last sync's CPU seconds: (this process, its PostgreSQL backend)


def backend_cpu(store: CatalogStore) -> float:
    """CPU seconds of the store's PostgreSQL backend (same machine: /proc). CPU time, unlike wall time,
    hardly moves with what else the shared machine is running."""
    with store.engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sync(store: CatalogStore, data: list[dict]) -> float:
    run_id, _ = store.start_run("bench", "bench", {}, "all", None)
    client, server = time.process_time(), backend_cpu(store)
    started = time.perf_counter()
    for number, start in enumerate(range(0, len(data), BATCH)):
        store.write_batch(run_id, number, data[start:start + BATCH])
    seconds = time.perf_counter() - started
    CPU["last"] = (time.process_time() - client, backend_cpu(store) - server)
    store.finish_run(run_id, "finished", "finished", {}, 0)
    return seconds


class Timed:
    """Wraps the outbox's functions: the seconds spent building and inserting events (their direct cost,
    a figure that the machine's other load does not blur as much as wall times)."""

    NAMES = ("created", "changed", "insert_events")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.real = {n: getattr(outbox, n) for n in self.NAMES}

    def __enter__(self) -> "Timed":
        for name, func in self.real.items():
            setattr(outbox, name, self._timed(func))
        return self

    def __exit__(self, *exc) -> None:
        for name, func in self.real.items():
            setattr(outbox, name, func)

    def _timed(self, func):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
        return run


def storage_round(admin_url: str, data: list[dict], events_on: bool) -> tuple[float, float, int, str, str]:
    url, name = database(admin_url)
    real = outbox.insert_events
    if not events_on:
        outbox.insert_events = lambda *args, **kwargs: 0
    try:
        store = CatalogStore(url, retry=RetryPolicy(attempts=3))
        store.create_tables()
        with Timed() as timed:
            first = sync(store, data)
        inside_first = timed.seconds
        cpu_first = CPU["last"]
        with Timed() as timed:
            again = sync(store, data)
        cpu_again = CPU["last"]
        CPU.setdefault(events_on, []).append((sum(cpu_first), sum(cpu_again)))
        print(f"  CPU: first sync {cpu_first[0]:.2f}s client + {cpu_first[1]:.2f}s server, re-sync "
              f"{cpu_again[0]:.2f}s + {cpu_again[1]:.2f}s", flush=True)
        if events_on:
            print(f"  inside the outbox: {inside_first:.2f}s of the first sync ({inside_first / first:.1%}), "
                  f"{timed.seconds:.3f}s of the re-sync", flush=True)
        with store.engine.connect() as conn:
            written = conn.execute(sa.text("SELECT count(*) FROM product_events")).scalar()
        store.close()
    finally:
        outbox.insert_events = real
    return first, again, written, url, name


def deliver(url: str, batch_size: int) -> tuple[int, float]:
    key = new_key()
    with serving(WebhookReceiver()) as receiver:
        engine = sa.create_engine(url)
        endpoint_id, _secret = endpoints.add(engine, SecretBox(key), receiver.url, since=0)
        settings = project_settings(DATABASE_URL=url, ORNAMENTS_WEBHOOK_BATCH_SIZE=batch_size, ORNAMENTS_WEBHOOK_KEY=key)
        dispatcher = Dispatcher(WebhookConfig.from_settings(Settings(settings)))
        started = time.perf_counter()
        delivered = 0
        while True:
            result = dispatcher.run_once()
            delivered += result.delivered_events
            if not result.deliveries:
                break
        seconds = time.perf_counter() - started
        endpoints.remove(engine, endpoint_id)
        dispatcher.close()
        engine.dispose()
    return delivered, seconds


NO_EVENTS = """import ornaments.storage.outbox as outbox
outbox.insert_events = lambda *args, **kwargs: 0
"""


def crawl_cpu(feed: Path, extra: dict[str, str], admin_url: str, name: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the crawl and its storage worker, CPU s of the database's PostgreSQL backends)
    of one `scrapy crawl`. The backends' CPU is read from /proc while they live (every 0.1 s)."""
    import subprocess
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORNAMENTS_", "IMAGES_", "SFTP_"))}
    env.update({"ORNAMENTS_EXPORT_URI": "", "IMAGES_STORE": "", "ORNAMENTS_LOG_LEVEL": "INFO", **extra})
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    backends: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(["/usr/bin/time", "-f", "CPU=%U %S", sys.executable, "-m", "scrapy", "crawl",
                                "google_merchant", "-a", f"feed={feed}"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))
            for (pid,) in cursor.fetchall():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                backends[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        time.sleep(0.1)
    wall = time.perf_counter() - started
    stderr = process.stderr.read()
    admin.close()
    user, system = stderr.rsplit("CPU=", 1)[1].split()[:2]
    return wall, float(user) + float(system), sum(backends.values())


def end_to_end(opts) -> None:
    import tempfile
    from tests.feedgen import generated_merchant_feed
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    feed = generated_merchant_feed(out / f"feed-{opts.count}.xml", opts.count)
    patch = Path(tempfile.mkdtemp(prefix="no-events-"))
    (patch / "sitecustomize.py").write_text(NO_EVENTS)
    found: dict[tuple[bool, str], list[tuple[float, float]]] = {}
    for repetition in range(opts.repeat):
        for events_on in (False, True):
            url, name = database(opts.admin_url)
            extra = {"DATABASE_URL": url}
            if not events_on:
                extra["PYTHONPATH"] = f"{patch}:{ROOT}"
            try:
                for label in ("first sync", "re-sync"):
                    wall, crawl, server = crawl_cpu(feed, extra, opts.admin_url, name)
                    found.setdefault((events_on, label), []).append((wall, crawl + server))
                    print(f"events {'on ' if events_on else 'off'} {label:<10} {wall:6.2f}s "
                          f"{opts.count / wall:8,.0f} items/s; CPU {crawl:.2f}s crawl + worker, {server:.2f}s "
                          f"PostgreSQL", flush=True)
                written = psycopg2.connect(url.replace("+psycopg2", ""))
                with written.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM product_events")
                    print(f"  {cursor.fetchone()[0]:,} events written", flush=True)
                written.close()
            finally:
                execute_autocommit(opts.admin_url,
                       f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
                execute_autocommit(opts.admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    for label in ("first sync", "re-sync"):
        for index, unit in ((0, "wall"), (1, "CPU (crawl, worker and PostgreSQL)")):
            off = statistics.median(v[index] for v in found[(False, label)])
            on = statistics.median(v[index] for v in found[(True, label)])
            print(f"{label}: {off:.2f}s without events, {on:.2f}s with ({(on - off) / off:+.1%}) {unit}, "
                  f"medians of {opts.repeat}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--end-to-end", action="store_true", help="real scrapy crawl processes (see above)")
    opts = parser.parse_args()
    if opts.end_to_end:
        end_to_end(opts)
        return
    data = rows(opts.count)
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    kept = None
    for _ in range(opts.repeat):
        for events_on in (False, True):
            first, again, written, url, name = storage_round(opts.admin_url, data, events_on)
            results[events_on].append((first, again))
            print(f"events {'on ' if events_on else 'off'}: first sync {first:.2f}s "
                  f"({opts.count / first:,.0f} rows/s), "
                  f"re-sync {again:.2f}s, {written:,} events", flush=True)
            if events_on and kept is None:
                kept = (url, name)
            else:
                execute_autocommit(opts.admin_url, f'DROP DATABASE "{name}"')
    medians = {on: (statistics.median(r[0] for r in results[on]), statistics.median(r[1] for r in results[on]))
               for on in results}
    for index, what in ((0, "first sync"), (1, "unchanged re-sync")):
        off, on = medians[False][index], medians[True][index]
        print(f"{what}: {off:.2f}s without events, {on:.2f}s with ({(on - off) / off:+.1%}) wall")
        off, on = (statistics.median(c[index] for c in CPU[flag]) for flag in (False, True))
        print(f"{what}: {off:.2f}s without events, {on:.2f}s with ({(on - off) / off:+.1%}) CPU, client + server")
    url, name = kept
    try:
        for batch_size in (100, 1000):
            delivered, seconds = deliver(url, batch_size)
            print(f"dispatcher, batches of {batch_size}: {delivered:,} events in {seconds:.1f}s = "
                  f"{delivered / seconds:,.0f} events/s")
    finally:
        execute_autocommit(opts.admin_url, f'DROP DATABASE "{name}"')


if __name__ == "__main__":
    main()
