"""Progress with an ETA for runs that know their total: feeds set spider.progress_total (records) and
count spider.records_read; a feed whose record count is unknown until read (CSV: quoted fields hold
newlines; any feed read from disk) sets spider.feed_bytes and answers spider.bytes_read(), and the ETA
comes from bytes.

The line also says how many products storage has written (the stats ornaments/products/*), since
storage trails the reader by up to two batches; once the whole feed is read (spider.feed_done), the
line says so and counts what is stored, until the run ends.

With ORNAMENTS_PROGRESS_FILE, the same figures are also written there as JSON at every tick and at the
end (replaced atomically), for readers outside the crawl: the API's GET /runs/{id}/progress."""

from __future__ import annotations

import json
import logging
import os
import resource
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from ornaments.env import setting_flag, setting_float

logger = logging.getLogger(__name__)


STORED_STATS = tuple(f"ornaments/products/{k}" for k in ("new", "updated", "unchanged", "seen_but_dropped"))


def _stored(stored: int | None) -> str:
    return "" if stored is None else f", {stored:,} stored"


def progress_line(done: int, total: int, elapsed: float, stored: int | None = None) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    share = min(done / total, 1.0) if total else 0.0
    eta = (total - done) / rate if rate > 0 and total > done else 0.0
    minutes, seconds = divmod(int(eta), 60)
    return (f"Progress: {done:,} of {total:,} records ({share:.0%}), {rate:,.0f}/s{_stored(stored)}, "
            f"ETA {minutes}:{seconds:02d}")


def bytes_progress_line(done: int, position: int, size: int, elapsed: float, stored: int | None = None) -> str:
    share = min(position / size, 1.0) if size else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    byte_rate = position / elapsed if elapsed > 0 else 0.0
    eta = (size - position) / byte_rate if byte_rate > 0 and size > position else 0.0
    minutes, seconds = divmod(int(eta), 60)
    return (f"Progress: {done:,} records, {position / 1e6:,.1f} of {size / 1e6:,.1f} MB ({share:.0%}), "
            f"{rate:,.0f} records/s{_stored(stored)}, ETA {minutes}:{seconds:02d}")


def tail_line(done: int, stored: int | None) -> str:
    """After the last record was read: what is left is storage's (and the run's record)."""
    if stored is None:
        return f"Progress: all {done:,} records read; finishing the run"
    return f"Progress: all {done:,} records read, {stored:,} stored; writing the last batches and the run record"


class FeedProgress:
    def __init__(self, crawler, interval: float, progress_file: str = ""):
        self.crawler = crawler
        self.interval = interval
        self.progress_file = progress_file
        self.started = 0.0
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = setting_float(crawler.settings, "ORNAMENTS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval, crawler.settings.get("ORNAMENTS_PROGRESS_FILE") or "")
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = create_looping_call(self.log_progress, spider)
        self.loop.start(self.interval, now=False)

    def stored(self) -> int | None:
        """Products storage has written so far (None when storage is off)."""
        stats = self.crawler.stats
        if not setting_flag(self.crawler.settings, "ORNAMENTS_STORAGE_ENABLED"):
            return None
        return sum(int(stats.get_value(name, 0)) for name in STORED_STATS)

    def log_progress(self, spider) -> None:
        total = getattr(spider, "progress_total", None)
        done = getattr(spider, "records_read", 0)
        elapsed = time.monotonic() - self.started
        if self.progress_file:
            self.write_file(spider, done, total, elapsed, finished=False)
        stored = self.stored()
        if getattr(spider, "feed_done", False):
            logger.info(tail_line(done, stored), extra={"spider": spider})
            return
        if total:
            logger.info(progress_line(done, total, elapsed, stored), extra={"spider": spider})
            return
        size = getattr(spider, "feed_bytes", None)
        position = spider.bytes_read() if size and hasattr(spider, "bytes_read") else None
        if position is not None:
            logger.info(bytes_progress_line(done, position, size, elapsed, stored), extra={"spider": spider})

    def spider_closed(self, spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        # What the crawl process itself used (the storage worker reports its own): for bench/feed_sync.py.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.crawler.stats.set_value("ornaments/crawl_max_rss_kb", usage.ru_maxrss)
        self.crawler.stats.set_value("ornaments/crawl_cpu_seconds", round(usage.ru_utime + usage.ru_stime, 2))
        if self.progress_file:
            self.write_file(spider, getattr(spider, "records_read", 0), getattr(spider, "progress_total", None),
                            time.monotonic() - self.started, finished=True)

    def write_file(self, spider, done: int, total: int | None, elapsed: float, finished: bool) -> None:
        size = getattr(spider, "feed_bytes", None)
        position = spider.bytes_read() if size and hasattr(spider, "bytes_read") else None
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = None
        if total and rate > 0:
            eta = max(total - done, 0) / rate
        elif size and position and elapsed > 0:
            eta = max(size - position, 0) / (position / elapsed)
        stats = self.crawler.stats.get_stats()
        figures = {"records_read": done, "records_total": total, "bytes_read": position, "bytes_total": size,
                   "items_scraped": stats.get("item_scraped_count", 0), "stored": self.stored(),
                   "dropped": sum(v for k, v in stats.items() if k.startswith("ornaments/dropped/")),
                   "elapsed_seconds": round(elapsed, 1), "records_per_second": round(rate, 1),
                   "eta_seconds": None if eta is None else round(eta, 1), "finished": finished}
        temporary = f"{self.progress_file}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as file:
                json.dump(figures, file)
            os.replace(temporary, self.progress_file)  # a reader never sees half a file
        except OSError as exc:  # progress is a courtesy: never fail the run over it
            logger.warning("Could not write the progress file %s: %s", self.progress_file, exc)
