"""The item pipeline manager (ITEM_PROCESSOR): Scrapy's, counting the items that passed every pipeline.

Scrapy's CoreStats counts item_scraped_count from an item_scraped signal receiver. Any receiver at all
makes Scrapy's asyncio signal dispatch wrap each call in a coroutine, a task and a gather: 23 µs per
item on the development machine against 6 µs with no receiver, about 1.7 s of a 100,000-record feed
sync's 10 s of crawl CPU. The count is the same when taken here, right after the last pipeline passed the
item (the moment Scrapy sends item_scraped), so ornaments.extensions.corestats leaves the signal alone
while this manager is the ITEM_PROCESSOR. Receivers that others connect (feed exports) work as before.
"""

from __future__ import annotations

from typing import Any

from scrapy.pipelines import ItemPipelineManager


class CountingItemPipelineManager(ItemPipelineManager):
    stats: Any = None

    @classmethod
    def from_crawler(cls, crawler):
        manager = super().from_crawler(crawler)
        manager.stats = crawler.stats
        return manager

    async def process_item_async(self, item: Any) -> Any:
        item = await super().process_item_async(item)  # DropItem and errors pass through uncounted
        self.stats.inc_value("item_scraped_count")
        return item


def counts_scraped_items(settings) -> bool:
    """Whether the configured ITEM_PROCESSOR is (a subclass of) this manager."""
    from scrapy.utils.misc import load_object
    processor = load_object(settings["ITEM_PROCESSOR"])
    return isinstance(processor, type) and issubclass(processor, CountingItemPipelineManager)
