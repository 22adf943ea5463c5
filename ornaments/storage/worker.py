"""Batch writes for StorePipeline, run in a separate process (or, if so configured, a thread).

A crawl is CPU-bound on one core, and the GIL would make storage work in a thread take turns with
it. One worker process keeps one CatalogStore (one connection) for the run and writes the batches
it is sent, in order; retries and batch idempotence stay in CatalogStore.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from ornaments.retry import RetryPolicy
from ornaments.storage.sync import BatchResult, CatalogStore

_stores: dict[tuple, CatalogStore] = {}  # per process: the worker's store for the run


@dataclass(frozen=True)
class BatchJob:
    database_url: str
    change_log_fields: tuple[str, ...]
    retry: RetryPolicy
    run_id: int
    batch_no: int
    rows: list[dict] = field(repr=False)


@dataclass(frozen=True)
class BatchOutcome:
    result: BatchResult | None
    error: str | None  # why the batch was not stored, in one line (no URL, no password)
    reconnects: int
    max_rss_kb: int


def write_batch(job: BatchJob) -> BatchOutcome:
    key = (job.database_url, job.change_log_fields, job.retry)
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = CatalogStore(job.database_url, job.change_log_fields, job.retry)
    try:
        result, error = store.write_batch(job.run_id, job.batch_no, job.rows), None
    except Exception as exc:  # out of retries, or a row the database refuses
        lines = str(exc).strip().splitlines()
        result, error = None, f"{type(exc).__name__}: {lines[0] if lines else ''}"
    return BatchOutcome(result, error, store.reconnects, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def close_stores() -> None:
    while _stores:
        _stores.popitem()[1].close()


def init_worker_logging(level: str, log_file: str | None) -> None:
    """The worker's warnings (retries) go where the crawl's log goes: the LOG_FILE or stderr."""
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s",
                                           "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)


def start_worker_process(log_level: str, log_file: str | None) -> tuple[ProcessPoolExecutor, Future]:
    """One spawned worker process (not forked: the crawl runs threads and an event loop).

    Returns the executor and a future that is done once the worker has started.
    """
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker_logging, initargs=(log_level, log_file))
    with _main_module_hidden():
        started = executor.submit(worker_ready)  # the process is spawned here
    return executor, started


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
