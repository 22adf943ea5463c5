"""StorePipeline: hands items to the storage module in batches, off the reactor thread.

A batch is flushed every ORNAMENTS_BATCH_SIZE items, every ORNAMENTS_BATCH_SECONDS, and at close,
to worker processes (ORNAMENTS_STORAGE_PROCESS=0: a thread). On PostgreSQL ORNAMENTS_STORAGE_WRITERS
processes (2) write batches side by side, each on its own connection, so one turns records into rows
while the other waits for the server; one more batch may wait its turn, and only then does the crawl
wait for storage (backpressure). On SQLite, which has one writer at a time, batches go one by one.
Batches of one run never share a product (DedupePipeline), and the storage module is safe for
concurrent writers (concurrent runs already are: row locks in id order, a deadlock is retried, events
take their ordering lock last); a records boundary waits for every batch before newer records go on.

At the end of the run the checks of ornaments.runs read the run ledger and decide the status; the
run is recorded in sync_runs and, after a clean and complete run, products it did not see are marked
removed within the removal guard (ornaments.storage.removal). Then run_recorded is sent. A crawl
holding several sources (spider.multi_vendor) gives each its own run and removal (pipelines.sources).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call, run_in_thread

from ornaments.env import setting_flag, setting_float, setting_int
from ornaments.items import OffersItem, ProductItem, item_values
from ornaments.pipelines.dedupe import DuplicateItem
from ornaments.pipelines.sources import SourceRuns, worst_status
from ornaments.pipelines.validate import MAX_ID
from ornaments.retry import RetryPolicy, one_line
from ornaments.runs import RunFacts, RunLedger, decide, drop_counts, run_checks, summary_line
from ornaments.runs.config import GuardConfig
from ornaments.runs.record import clean_stats, report_of, settings_secrets
from ornaments.signals import RunReport, records_boundary, run_recorded
from ornaments.storage import CatalogStore, RemovalScope
from ornaments.storage.engine import database_error_line, database_retry_policy, wait_for_database
from ornaments.storage.offers import offers_row

from ornaments.storage.migrate import SchemaTooOld
from ornaments.storage.rows import pack_item, pack_seen
from ornaments.storage.worker import BatchJob, BatchOutcome, close_stores, start_worker_process, write_batch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreConfig:
    database_url: str
    batch_size: int
    batch_seconds: float
    change_log_fields: tuple[str, ...]
    retry: RetryPolicy
    in_process: bool  # write batches in a separate process (True) or in a thread
    writers: int  # worker processes writing batches side by side (PostgreSQL; 1 on SQLite or in a thread)
    worker_nice: int  # the workers' niceness: on a busy machine the crawl, the bottleneck, goes first
    auto_upgrade: bool  # upgrade a database behind the code (else refuse it; a new one is created)
    queued_run: int | None  # ORNAMENTS_RUN_ID: a run queued before the crawl (an API upload)
    start_wait: float  # ORNAMENTS_DB_START_WAIT: how long a server down at the start is waited for
    match_catalogue: bool  # ORNAMENTS_CATALOGUE: link stored products to catalogue items (issue 23)

    @classmethod
    def from_settings(cls, settings) -> "StoreConfig":
        database_url = settings.get("DATABASE_URL")
        in_process = setting_flag(settings, "ORNAMENTS_STORAGE_PROCESS")
        return cls(
            database_url=database_url,
            batch_size=max(1, setting_int(settings, "ORNAMENTS_BATCH_SIZE")),
            batch_seconds=setting_float(settings, "ORNAMENTS_BATCH_SECONDS"),
            change_log_fields=tuple(settings.getlist("ORNAMENTS_CHANGE_LOG_FIELDS")),
            retry=database_retry_policy(settings),
            in_process=in_process,
            auto_upgrade=setting_flag(settings, "ORNAMENTS_DB_AUTO_UPGRADE"),
            match_catalogue=setting_flag(settings, "ORNAMENTS_CATALOGUE"),
            writers=_writers(database_url, in_process, setting_int(settings, "ORNAMENTS_STORAGE_WRITERS")),
            worker_nice=min(max(setting_int(settings, "ORNAMENTS_STORAGE_NICE"), 0), 19),
            # Given by the API to the crawl of an upload (-s), never by settings.py: unset is no queued run.
            queued_run=settings.getint("ORNAMENTS_RUN_ID") or None,
            start_wait=max(0.0, setting_float(settings, "ORNAMENTS_DB_START_WAIT")),
        )


def _writers(database_url: str | None, in_process: bool, configured: int) -> int:
    """SQLite takes one writer at a time, and a thread would take turns with the crawl for the GIL."""
    if not in_process or not database_url or sa.make_url(database_url).get_backend_name() not in ("postgresql",
                                                                                                  "mysql", "mariadb"):
        return 1
    return max(1, configured)


class StorePipeline:
    def __init__(self, crawler, config: StoreConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.guard = GuardConfig.from_settings(crawler.settings)
        self.ledger = RunLedger.of(crawler)
        self.store: CatalogStore | None = None
        self.run_id: int | None = None
        self.started_at = None
        self.buffer: list[tuple] = []  # packed items (ornaments.storage.rows), made into rows by the worker
        self.batch_no = 0
        self._write_lock = asyncio.Lock()  # in a thread: one batch written at a time, in order (FIFO)
        # One batch per writer being written + one waiting, then backpressure.
        self._queue_slots = asyncio.Semaphore(config.writers + 1)
        self._pending: set[asyncio.Task] = set()
        self._waiting = 0  # calls waiting for a batch slot
        self._wait_started = 0.0
        self._timer = None
        self._last_flush = time.monotonic()
        self._workers: list[ProcessPoolExecutor] = []
        self._idle_workers: asyncio.Queue[ProcessPoolExecutor] = asyncio.Queue()  # FIFO: batches start in order
        self._worker_cpu: dict[int, float] = {}  # per worker process: its CPU seconds so far
        self._reconnects = 0
        self.sources: SourceRuns | None = None  # the crawl holds several vendors, each its own run

    @classmethod
    def from_crawler(cls, crawler):
        if not setting_flag(crawler.settings, "ORNAMENTS_STORAGE_ENABLED"):
            raise NotConfigured("storage is switched off (ORNAMENTS_STORAGE_ENABLED=0)")
        pipeline = cls(crawler, StoreConfig.from_settings(crawler.settings))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.records_boundary, signal=records_boundary)
        return pipeline

    async def open_spider(self) -> None:
        spider = self.crawler.spider
        self.store = CatalogStore(self.config.database_url, self.config.change_log_fields, self.config.retry,
                                  self.config.match_catalogue)
        where = self.store.engine.url.render_as_string(hide_password=True)
        logger.info("Storing products in %s", where)
        try:
            # A server still starting is waited for briefly; a refused login fails at once. Outages
            # later in the run get the whole retry budget (ORNAMENTS_DB_RETRY_SECONDS).
            await run_in_thread(wait_for_database, self.store.engine, self.config.start_wait)
            await run_in_thread(self.store.create_tables, self.config.auto_upgrade)
            self.run_id, self.started_at = await run_in_thread(
                self.store.start_run, spider.name, getattr(spider, "vendor", spider.name),
                getattr(spider, "sync_arguments", {}), getattr(spider, "sync_mode", "all"),
                getattr(spider, "year", None), abandoned_after=self.guard.abandoned_after,
                queued_run=self.config.queued_run)
        except Exception as exc:  # the database is down or refuses us: one clear line, not a traceback
            why = (f"{exc} (database: {where})" if isinstance(exc, SchemaTooOld)
                   else database_error_line(exc, self.config.database_url))
            self.ledger.storage_failed(why)
            logger.error("Cannot sync %s: %s. Nothing was read or stored.", spider.name, why, extra={"spider": spider})
            await run_in_thread(self.store.close)
            self.store = None
            raise CloseSpider("database_unreachable") from None
        self.stats.set_value("ornaments/run_id", self.run_id)
        if getattr(spider, "multi_vendor", False):
            self.sources = SourceRuns(getattr(spider, "vendor", spider.name))
        if self.config.in_process:
            # Not waited for: the workers import their modules while the crawl reads its first batch (a
            # batch sent earlier waits in the worker's queue; a worker that cannot start fails its batch).
            settings = self.crawler.settings
            for _ in range(self.config.writers):
                worker = start_worker_process(settings.get("LOG_LEVEL"), settings.get("LOG_FILE"),
                                              self.config.worker_nice)
                self._workers.append(worker)
                self._idle_workers.put_nowait(worker)
        self._timer = create_looping_call(self._flush_if_stale)
        self._timer.start(self._tick, now=False)

    def process_item(self, item):
        """The item itself, or (when a batch is full) a coroutine that sends the batch first: the
        pipeline manager passes a returned item on without wrapping it (ornaments.pipelines.manager)."""
        # A product's offers (ornaments.storage.offers), not a product; the class first, as isinstance
        # against an Item class goes through ABCMeta (a few µs per item).
        if item.__class__ is not ProductItem and isinstance(item, OffersItem):
            self.buffer.append(offers_row(item))
        else:
            values = item_values(item)
            self.ledger.count_item(values)
            if self.sources is not None:
                self.sources.stored[values.get("vendor")] += 1
            self.buffer.append(pack_item(values))
        self._take_dropped_keys()
        if len(self.buffer) >= self.config.batch_size:
            return self._flush_then_pass(item)
        return item

    async def _flush_then_pass(self, item):
        await self._flush(full_only=True)
        return item

    def item_dropped(self, item, response, exception, spider) -> None:
        """A record dropped by validation still names its product: that product was seen, and keeps
        its stored values (a duplicate is not a sighting of anything new)."""
        if isinstance(exception, DuplicateItem):
            return
        values = item_values(item)
        vendor, key = values.get("vendor"), values.get("vendor_product_id")
        if self.sources is not None and vendor:
            self.sources.dropped[vendor] += 1
        if vendor and key and len(str(key)) <= MAX_ID:
            self.buffer.append(pack_seen(vendor, key))
            if self.sources is not None:
                self.sources.seen_dropped[vendor] += 1

    def _take_dropped_keys(self) -> None:
        """Ids of records the spider could not turn into items (ornaments.base_spiders.base.drop_row)."""
        dropped = self.ledger.take_seen_dropped()
        if dropped:
            spider = self.crawler.spider
            vendor = getattr(spider, "vendor", spider.name)
            for key in dropped:
                # (vendor, id): a record of one of the crawl's several sources
                key_vendor, key = key if key.__class__ is tuple else (vendor, key)
                if self.sources is not None:
                    self.sources.dropped[key_vendor] += 1
                    self.sources.seen_dropped[key_vendor] += 1
                if len(key) <= MAX_ID:
                    self.buffer.append(pack_seen(key_vendor, key))

    async def _flush(self, full_only: bool = False) -> None:
        # The slot comes first, the rows after: a call waiting for storage holds no batch of its own,
        # so items processed concurrently (CONCURRENT_ITEMS) wait here too instead of each queueing a
        # batch, and the crawl is held back while the database is away.
        if not self.buffer:
            return
        await self._acquire_slot()
        if not self.buffer or (full_only and len(self.buffer) < self.config.batch_size):
            self._queue_slots.release()  # another call took the rows while this one waited
            return
        rows, self.buffer = self.buffer, []
        if self.sources is not None:
            try:  # each source's run exists before its first batch is written
                await self.sources.start_new(rows, self._start_source)
            except Exception as exc:
                self.ledger.storage_failed(f"the run of a source could not be started: {one_line(exc)}")
        self._last_flush = time.monotonic()
        batch_no, self.batch_no = self.batch_no, self.batch_no + 1
        writer = asyncio.create_task(self._write(batch_no, rows))
        self._pending.add(writer)
        writer.add_done_callback(self._pending.discard)

    async def _acquire_slot(self) -> None:
        """Take a batch slot; the time during which anyone waited for one goes to the stat
        ornaments/storage/wait_seconds (how long storage held the crawl back)."""
        if not self._queue_slots.locked():
            await self._queue_slots.acquire()
            return
        if not self._waiting:
            self._wait_started = time.monotonic()
        self._waiting += 1
        try:
            await self._queue_slots.acquire()
        finally:
            self._waiting -= 1
            if not self._waiting:
                self.stats.inc_value("ornaments/storage/wait_seconds", round(time.monotonic() - self._wait_started, 3))

    async def _start_source(self, vendor: str):
        spider = self.crawler.spider
        arguments = {**getattr(spider, "sync_arguments", {}), "feed_run": self.run_id}
        return await run_in_thread(self.store.start_run, spider.name, vendor, arguments,
                                   getattr(spider, "sync_mode", "all"), getattr(spider, "year", None),
                                   abandoned_after=self.guard.abandoned_after)

    async def _write(self, batch_no: int, rows: list[tuple]) -> None:
        job = BatchJob(self.config.database_url, self.config.change_log_fields, self.config.retry,
                       self.run_id, batch_no, rows, self.config.match_catalogue)
        try:
            if self._workers:
                worker = await self._idle_workers.get()
                try:
                    outcome = await asyncio.wrap_future(worker.submit(write_batch, job))
                finally:
                    self._idle_workers.put_nowait(worker)
            else:
                async with self._write_lock:
                    outcome = await run_in_thread(write_batch, job)
        except Exception as exc:  # the worker process died (BrokenProcessPool)
            outcome = BatchOutcome(None, f"{type(exc).__name__}: {exc}", 0, 0)
        finally:
            self._queue_slots.release()
        self._count(batch_no, len(rows), outcome)

    def _count(self, batch_no: int, size: int, outcome: BatchOutcome) -> None:
        self._reconnects = max(self._reconnects, outcome.reconnects)
        if outcome.max_rss_kb:
            self.stats.max_value("ornaments/storage/worker_max_rss_kb", outcome.max_rss_kb)
            self._worker_cpu[outcome.pid] = outcome.cpu_seconds  # all writers together
            self.stats.set_value("ornaments/storage/worker_cpu_seconds", round(sum(self._worker_cpu.values()), 2))
        if outcome.result is None:
            logger.error("Batch %d of %d products was NOT stored: %s. The run will be recorded as failed and "
                         "nothing will be marked removed.", batch_no, size, outcome.error,
                         extra={"spider": self.crawler.spider})
            failure = f"batch {batch_no} of {size} products not stored: {outcome.error}"
            self.ledger.storage_failed(failure)
            self.stats.inc_value("ornaments/storage/failed_batches")
            # The first failure is the cause (later ones usually repeat it).
            if not self.stats.get_value("ornaments/storage/failure"):
                self.stats.set_value("ornaments/storage/failure", failure)
            return
        result = outcome.result
        for name in ("new", "updated", "unchanged"):
            self.stats.inc_value(f"ornaments/products/{name}", getattr(result, name))
        self.stats.inc_value("ornaments/price_history/rows", result.history_rows)
        if outcome.offers is not None:
            for name in ("new", "changed", "unchanged", "removed", "history_rows"):
                self.stats.inc_value(f"ornaments/offers/{name}", getattr(outcome.offers, name))
        if result.seen_dropped:
            self.stats.inc_value("ornaments/products/seen_but_dropped", result.seen_dropped)
        if result.older_run_skipped:
            self.stats.inc_value("ornaments/products/older_run_skipped", result.older_run_skipped)
            logger.warning("Batch %d: %d products were already written by a run of this vendor that started after "
                           "this one; their newer values were kept (older_run_skipped)", batch_no,
                           result.older_run_skipped, extra={"spider": self.crawler.spider})
        for key, why in result.refused:
            self.stats.inc_value("ornaments/dropped/refused_by_database")
            logger.warning("The database refused product %s: %s; its stored values are kept (refused_by_database)",
                           key, why, extra={"spider": self.crawler.spider})
        self.stats.inc_value("ornaments/storage/batches")

    @property
    def _tick(self) -> float:
        return max(self.config.batch_seconds / 2, 0.1)

    def _flush_if_stale(self) -> None:
        if (self.buffer and not self._queue_slots.locked()
                and time.monotonic() - self._last_flush >= self.config.batch_seconds):
            task = asyncio.create_task(self._flush())
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def records_boundary(self) -> None:
        """Write everything held before newer records of the same products arrive (ornaments.signals)."""
        await self._drain()

    async def _drain(self) -> None:
        self._take_dropped_keys()
        await self._flush()
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        await self._drain()
        if self._workers:
            # Every batch is written: the workers close their connections and exit while the run is
            # recorded (0.1 s each); concurrent.futures joins them before the crawl process exits.
            for worker in self._workers:
                worker.shutdown(wait=False)
        else:
            await run_in_thread(close_stores)
        self.stats.set_value("ornaments/storage/reconnects",
                             self._reconnects + (self.store.reconnects if self.store else 0))

    async def spider_closed(self, spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            if self.ledger.storage_failures:  # the database was unreachable from the start
                self.stats.set_value("ornaments/run_status", "failed")
                await self._send(RunReport(None, spider.name, getattr(spider, "vendor", spider.name), "failed",
                                           list(self.ledger.storage_failures)))
            return
        vendor = getattr(spider, "vendor", spider.name)
        mode, year = getattr(spider, "sync_mode", "all"), getattr(spider, "year", None)
        stats = self.stats.get_stats()
        coverage = self.ledger.coverage()
        logger.info("Field coverage of %s: %s", vendor, coverage, extra={"spider": spider})
        try:
            previous = await run_in_thread(self.store.runs.previous_coverage, vendor, mode, year, self.run_id)
        except Exception as exc:
            previous = None
            logger.warning("Could not read the previous run's coverage: %s", one_line(exc), extra={"spider": spider})
        facts = RunFacts(reason, mode, stats, self.ledger, self.ledger.incompleteness(), previous,
                         self.guard.coverage_min, self.guard.max_drop_share)
        status, reasons = decide(run_checks(facts))
        removal = RemovalScope(vendor, self.started_at, year) if status == "finished" else None
        if self.sources is not None and not self.sources.seen(vendor):
            removal = None  # every record belonged to one of the sources: the crawl's own vendor saw nothing
        details = {"problems": self.ledger.problems[:50], "incomplete": facts.incomplete[:50],
                   "coverage": coverage, "items_scraped": stats.get("item_scraped_count", 0)}
        if self.sources is not None:
            details["source_runs"] = {v: run_id for v, (run_id, _) in sorted(self.sources.runs.items())}
        seen = sum(int(stats.get(f"ornaments/products/{k}", 0))
                   for k in ("new", "updated", "unchanged", "seen_but_dropped"))
        recorded_stats = clean_stats({**stats, "finish_reason": reason}, settings_secrets(self.crawler.settings))
        try:
            summary = await run_in_thread(
                self.store.finish_run, self.run_id, status, reason, drop_counts(stats),
                self.ledger.errors(stats), details, removal, policy=self.guard.policy, reasons=reasons,
                stats=recorded_stats, items_seen=seen)
        except Exception as exc:
            logger.error("Could not record the end of run %s: %s", self.run_id, one_line(exc), extra={"spider": spider})
            self.stats.set_value("ornaments/run_status", "failed")
            why = reasons + [f"the end of the run could not be recorded: {one_line(exc)}"]
            await self._send(RunReport(self.run_id, spider.name, vendor, "failed", why))
            if self.sources is not None:  # the sources' runs end failed: none removes anything
                try:
                    await self.sources.finish(self, reason, "failed", why)
                finally:
                    await run_in_thread(self.store.close)
            return
        finally:
            if self.sources is None:
                await run_in_thread(self.store.close)
        statuses, removed = [summary.status], summary.removed
        if self.sources is not None:
            try:
                for source_status, source_removed in await self.sources.finish(self, reason, status, reasons):
                    statuses.append(source_status)
                    removed += source_removed
            finally:
                await run_in_thread(self.store.close)
        self.stats.set_value("ornaments/products/removed", removed)
        self.stats.set_value("ornaments/run_status", worst_status(statuses))
        if summary.held_back and summary.removal is not None:
            logger.error("Run %s of %s %s", summary.run_id, vendor, summary.removal.reason, extra={"spider": spider})
        log = logger.info if summary.status in ("finished", "partial") else logger.warning
        # A crawl of several sources removes in each source's run (their own lines are above).
        removal_tried = removal is not None or (self.sources is not None and status == "finished")
        log(summary_line(spider.name, summary, removal_tried), extra={"spider": spider})
        await self._send(report_of(summary, spider.name, vendor))

    async def _send(self, report: RunReport) -> None:
        await self.crawler.signals.send_catch_log_async(run_recorded, report=report)
