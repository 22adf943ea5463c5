"""Scrapy's CoreStats, without an item_scraped receiver when our pipeline manager counts the items.

See ornaments.pipelines.manager: one receiver on the per-item signal costs more CPU than all of
StorePipeline. Start and finish times, responses and dropped items are counted as Scrapy does.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.extensions.corestats import CoreStats as ScrapyCoreStats

from ornaments.pipelines.manager import counts_scraped_items


class CoreStats(ScrapyCoreStats):
    @classmethod
    def from_crawler(cls, crawler):
        stats = cls(crawler.stats)
        crawler.signals.connect(stats.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(stats.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(stats.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(stats.response_received, signal=signals.response_received)
        if not counts_scraped_items(crawler.settings):  # another ITEM_PROCESSOR: count as Scrapy does
            crawler.signals.connect(stats.item_scraped, signal=signals.item_scraped)
        return stats
