"""Garbage collection tuned for a crawl that makes a few objects per record, millions of times.

Python's cyclic GC runs a young collection every 700 container allocations and, now and then, a full
one that walks every object alive: all of Scrapy, Twisted and lxml as well as the run's own. Profiles of a
100k-record feed sync showed 1.5-3 s of the crawl process's 9 s in the collector. So, when the spider
opens, what exists then (the whole set-up) is moved out of the collector's sight (gc.freeze), and young
collections run every ORNAMENTS_GC_THRESHOLD allocations. Records make no reference cycles worth
collecting sooner; memory stays flat (bench/feed_sync.py reports peak RSS). Undone when the spider closes.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ornaments.env import setting_flag, setting_int


@dataclass(frozen=True)
class GcConfig:
    threshold: int  # young-generation threshold while the spider runs; 0 keeps Python's
    freeze: bool

    @classmethod
    def from_settings(cls, settings) -> "GcConfig":
        return cls(threshold=max(0, setting_int(settings, "ORNAMENTS_GC_THRESHOLD")),
                   freeze=setting_flag(settings, "ORNAMENTS_GC_FREEZE"))


class GcTuning:
    def __init__(self, config: GcConfig):
        self.config = config
        self.saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        config = GcConfig.from_settings(crawler.settings)
        if not config.threshold and not config.freeze:
            raise NotConfigured
        extension = cls(config)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        if self.config.freeze:
            gc.collect()
            gc.freeze()
        if self.config.threshold:
            self.saved = gc.get_threshold()
            gc.set_threshold(self.config.threshold, *self.saved[1:])

    def spider_closed(self, spider) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None
        if self.config.freeze:
            gc.unfreeze()
