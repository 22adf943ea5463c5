"""Progress with an ETA for runs that know their total: feeds set spider.progress_total (records) and
count spider.records_read; a feed whose record count is unknown until read (CSV: quoted fields hold
newlines) sets spider.feed_bytes and answers spider.bytes_read(), and the ETA comes from bytes."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)


def progress_line(done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    share = min(done / total, 1.0) if total else 0.0
    eta = (total - done) / rate if rate > 0 and total > done else 0.0
    minutes, seconds = divmod(int(eta), 60)
    return (f"Progress: {done:,} of {total:,} records ({share:.0%}), {rate:,.0f}/s, "
            f"ETA {minutes}:{seconds:02d}")


def bytes_progress_line(done: int, position: int, size: int, elapsed: float) -> str:
    share = min(position / size, 1.0) if size else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    byte_rate = position / elapsed if elapsed > 0 else 0.0
    eta = (size - position) / byte_rate if byte_rate > 0 and size > position else 0.0
    minutes, seconds = divmod(int(eta), 60)
    return (f"Progress: {done:,} records, {position / 1e6:,.1f} of {size / 1e6:,.1f} MB ({share:.0%}), "
            f"{rate:,.0f} records/s, ETA {minutes}:{seconds:02d}")


class FeedProgress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = 0.0
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("ORNAMENTS_PROGRESS_INTERVAL", 10.0)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = create_looping_call(self.log_progress, spider)
        self.loop.start(self.interval, now=False)

    def log_progress(self, spider) -> None:
        total = getattr(spider, "progress_total", None)
        done = getattr(spider, "records_read", 0)
        elapsed = time.monotonic() - self.started
        if total:
            logger.info(progress_line(done, total, elapsed), extra={"spider": spider})
            return
        size = getattr(spider, "feed_bytes", None)
        position = spider.bytes_read() if size and hasattr(spider, "bytes_read") else None
        if position is not None:
            logger.info(bytes_progress_line(done, position, size, elapsed), extra={"spider": spider})

    def spider_closed(self, spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
