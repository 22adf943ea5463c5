"""Batch writes for StorePipeline, run in separate processes (or, if so configured, a thread).

A crawl is CPU-bound on one core, and the GIL would make storage work in a thread take turns with
it. Each worker process keeps one CatalogStore (one connection) for the run and writes the batches
it is sent; retries and batch idempotence stay in CatalogStore. The worker exits when
the crawl process is gone (killed with SIGKILL, say), instead of living on with a connection.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa

from ornaments.retry import RetryPolicy, one_line
from ornaments.storage.offers import OffersResult, split_offers, write_offers
from ornaments.storage.rows import unpack_row
from ornaments.storage.sync import BatchResult, CatalogStore

_stores: dict[tuple, CatalogStore] = {}  # per process: the worker's store for the run
PARENT_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class BatchJob:
    database_url: str
    change_log_fields: tuple[str, ...]
    retry: RetryPolicy
    run_id: int
    batch_no: int
    rows: list[tuple | dict] = field(repr=False)  # packed items (rows.pack_item, pack_seen) or rows
    match_catalogue: bool = False  # ORNAMENTS_CATALOGUE: link what the batch wrote to catalogue items


@dataclass(frozen=True)
class BatchOutcome:
    result: BatchResult | None
    error: str | None  # why the batch was not stored, in one line (no URL, no password)
    reconnects: int
    max_rss_kb: int
    offers: OffersResult | None = None  # the batch's offers rows (ornaments.storage.offers), if any
    cpu_seconds: float = 0.0  # the worker process's CPU time so far (bench/feed_sync.py reports it)
    pid: int = 0  # which worker process (a crawl may have several writers)


def write_batch(job: BatchJob) -> BatchOutcome:
    key = (job.database_url, job.change_log_fields, job.retry, job.match_catalogue)
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = CatalogStore(job.database_url, job.change_log_fields, job.retry, job.match_catalogue)
    started = time.monotonic()
    offers = None
    try:
        rows, offer_rows = split_offers([unpack_row(packed) for packed in job.rows])  # here, on the worker's core
        result, error = store.write_batch(job.run_id, job.batch_no, rows), None
        if offer_rows:
            offers = write_offers(store.engine, job.run_id, offer_rows, job.retry)
    except Exception as exc:  # out of retries, or a row the database refuses
        result, error = None, failure_line(exc, time.monotonic() - started, job.database_url)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return BatchOutcome(result, error, store.reconnects, usage.ru_maxrss, offers,
                        round(usage.ru_utime + usage.ru_stime, 2), os.getpid())


def failure_line(exc: BaseException, seconds: float, database_url: str) -> str:
    """Why a batch was not stored, for the log and the run record: one line, the password masked
    even if a driver should ever quote it."""
    line = one_line(exc)
    if seconds >= 1:
        line += f" (gave up after {seconds:.0f}s of retries)"
    password = sa.make_url(database_url).password
    return line.replace(str(password), "***") if password else line


def close_stores() -> None:
    while _stores:
        _stores.popitem()[1].close()


def init_worker(level: str, log_file: str | None, parent_pid: int, nice: int = 0) -> None:
    """The worker's warnings (retries) go where the crawl's log goes: the LOG_FILE or stderr. nice lowers
    the worker's CPU priority (ORNAMENTS_STORAGE_NICE)."""
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s",
                                           "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    if nice:  # the crawl reads the feed on one core and is the bottleneck: it goes first for the CPU
        os.nice(nice)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="exit-with-crawl", daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """Once the crawl process is gone, the worker is handed to another parent: exit then, at once.

    Polling getppid() works on every POSIX system and does not depend on which thread of the crawl
    spawned the worker (Linux's PR_SET_PDEATHSIG fires when that *thread* ends). os._exit from this
    thread ends a batch that is being written or retried: the server rolls its transaction back, and
    sync_batches makes a later run's batches independent of it. Nothing is logged, as the crawl's
    stderr may have no reader any more.
    """
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def start_worker_process(log_level: str, log_file: str | None, nice: int = 0) -> ProcessPoolExecutor:
    """One spawned worker process (not forked: the crawl runs threads and an event loop), started now
    and not waited for: it imports its modules while the crawl reads, and batches queue behind that."""
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(log_level, log_file, os.getpid(), nice))
    with _main_module_hidden():
        executor.submit(worker_ready)  # the first call spawns the process, here, with __main__ hidden
    return executor


def worker_ready() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@contextmanager
def _main_module_hidden():
    """spawn runs the parent's __main__ again in the child: under `scrapy crawl` that is Scrapy's
    command line, which imports all of Scrapy and Twisted (about 110 MB) that the worker never uses."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__spec__" not in saved:
            del main.__spec__
