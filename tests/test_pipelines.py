"""Validation and dedupe pipelines, driven by a real crawler's stats."""

from datetime import date
from decimal import Decimal

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.test import get_crawler

from ornaments.items import ProductItem
from ornaments.pipelines.dedupe import DedupePipeline
from ornaments.pipelines.validate import ValidationPipeline


def good_item(**changes) -> ProductItem:
    item = ProductItem(vendor="shop", vendor_product_id="QX1", name="Snowman 2020", url="https://shop.example/p/1",
                       price=Decimal("12.50"), currency="USD", availability="in_stock", release_year=2020,
                       image_urls=[])
    item.update(changes)
    return item


@pytest.fixture
def crawler():
    crawler = get_crawler()
    crawler.stats.open_spider()
    return crawler


def test_a_good_item_passes(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = good_item()
    assert pipeline.process_item(item) is item
    assert not any(k.startswith("ornaments/dropped/") for k in crawler.stats.get_stats())


@pytest.mark.parametrize("changes, reason, words", [
    ({"vendor_product_id": None}, "missing_vendor_product_id", "vendor_product_id is missing"),
    ({"name": "  "}, "missing_name", "name is missing"),
    ({"vendor": ""}, "missing_vendor", "vendor is missing"),
    ({"price": Decimal("-1.00")}, "negative_price", "price -1.00 is negative"),
    ({"name": "x" * 501}, "name_too_long", "name is 501 characters long"),
    ({"vendor_product_id": "9" * 256}, "id_too_long", "vendor_product_id is 256 characters long (at most 255)"),
    ({"vendor": "v" * 65}, "vendor_too_long", "vendor is 65 characters long (at most 64)"),
    ({"release_year": 1850}, "year_out_of_range", "release_year 1850 is outside"),
    ({"release_year": date.today().year + 2}, "year_out_of_range", "is outside 1973.."),
    ({"currency": "dollars"}, "bad_currency", "currency 'dollars'"),
    ({"currency": None}, "unknown_currency", "names no currency"),
    ({"regular_price": Decimal("-2.00")}, "negative_price", "regular_price -2.00 is negative"),
    ({"availability": "maybe"}, "bad_availability", "availability 'maybe'"),
    ({"description": "caf\ufffd"}, "bad_encoding", "description holds bytes"),
    ({"price": 12.5}, "bad_price", "is not a decimal number"),
])
def test_bad_items_are_dropped_with_the_item_and_reason_named_and_counted(crawler, changes, reason, words):
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(good_item(**changes))
    message = str(dropped.value)
    assert ("product QX1" in message or "Snowman 2020" in message) and words in message and reason in message
    assert crawler.stats.get_value(f"ornaments/dropped/{reason}") == 1


def test_next_years_ornaments_are_accepted(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = good_item(release_year=date.today().year + 1)
    assert pipeline.process_item(item) is item


def test_only_the_key_and_a_name_are_required(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = good_item(url=None, price=None, currency=None)
    assert pipeline.process_item(item) is item


def test_a_url_that_is_not_http_is_left_empty_and_counted_not_dropped(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = pipeline.process_item(good_item(url="javascript:alert(1)"))
    assert item["url"] is None and item["name"] == "Snowman 2020"
    assert crawler.stats.get_value("ornaments/warnings/bad_url") == 1


def test_a_product_without_a_price_is_kept(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    item = good_item(price=None, currency=None)
    assert pipeline.process_item(item) is item


def test_dedupe_keeps_the_first_copy_and_counts_the_rest(crawler):
    pipeline = DedupePipeline.from_crawler(crawler)
    first = good_item(price=Decimal("1.00"))
    assert pipeline.process_item(first) is first
    for _ in range(2):
        with pytest.raises(DropItem, match="already seen"):
            pipeline.process_item(good_item(price=Decimal("2.00")))
    other_vendor = good_item(vendor="other")
    assert pipeline.process_item(other_vendor) is other_vendor
    assert crawler.stats.get_value("ornaments/dropped/duplicate") == 2


@pytest.mark.parametrize("processor, counted_by_receiver", [
    ("ornaments.pipelines.manager.CountingItemPipelineManager", False),
    ("scrapy.pipelines.ItemPipelineManager", True),
])
@deferred_f_from_coro_f  # a Deferred on the asyncio reactor that awaits asyncio futures, as Scrapy's tests do
async def test_items_that_pass_every_pipeline_are_counted_once_without_a_per_item_receiver(processor, counted_by_receiver):
    """item_scraped_count comes from our pipeline manager, not from a receiver of the per-item item_scraped
    signal (ornaments.pipelines.manager); with Scrapy's own manager, CoreStats counts as Scrapy does."""
    from pydispatch.dispatcher import getAllReceivers, liveReceivers
    from scrapy import signals
    from scrapy.utils.misc import build_from_crawler, load_object

    from ornaments.extensions.corestats import CoreStats
    crawler = get_crawler(settings_dict={
        "ITEM_PROCESSOR": processor, "EXTENSIONS": {"scrapy.extensions.corestats.CoreStats": None},
        "ITEM_PIPELINES": {"ornaments.pipelines.validate.ValidationPipeline": 100,
                           "ornaments.pipelines.dedupe.DedupePipeline": 200}})
    crawler.stats.open_spider()
    core_stats = CoreStats.from_crawler(crawler)
    receivers = list(liveReceivers(getAllReceivers(crawler.signals.sender, signals.item_scraped)))
    assert (core_stats.item_scraped in receivers) == counted_by_receiver
    manager = build_from_crawler(load_object(processor), crawler)

    for item in (good_item(), good_item(vendor_product_id="QX2"), good_item(), good_item(name=" ")):
        try:  # what Scrapy's Scraper does with each item
            item = await manager.process_item_async(item)
        except DropItem:
            continue
        await crawler.signals.send_catch_log_async(signals.item_scraped, item=item, response=None, spider=None)
    assert crawler.stats.get_value("item_scraped_count") == 2  # a duplicate and a nameless record dropped


class Renaming:  # returns a new item (a dict) instead of the one it was given
    def process_item(self, item):
        return {**item, "name": item["name"].upper()}


class AsyncTagging:  # a coroutine
    async def process_item(self, item):
        return {**item, "tags": [*item.get("tags", []), "async"]}


class DeferredTagging:  # the old style: a Deferred, still taken (with Scrapy's deprecation warning)
    def process_item(self, item):
        from twisted.internet.defer import succeed
        return succeed({**item, "tags": [*item.get("tags", []), "deferred"]})


class SpiderArgument:  # the old signature, process_item(item, spider)
    def process_item(self, item, spider):
        item["spider"] = spider.name
        return item


class DroppingB:
    def process_item(self, item):
        if item["vendor_product_id"] == "B":
            raise DropItem("no B")
        return item


@pytest.mark.parametrize("processor", ["ornaments.pipelines.manager.CountingItemPipelineManager",
                                       "scrapy.pipelines.ItemPipelineManager"])
@pytest.mark.filterwarnings("ignore::scrapy.exceptions.ScrapyDeprecationWarning")
@deferred_f_from_coro_f
async def test_the_pipeline_chain_passes_on_what_each_pipeline_returns_as_scrapy_does(processor):
    """Our manager skips Scrapy's wrapping only for a pipeline that returns the item it was given: a new
    item, a coroutine, a Deferred, the old spider argument and DropItem go through as with Scrapy's."""
    from scrapy import Spider
    from scrapy.utils.misc import build_from_crawler, load_object
    pipelines = [Renaming, AsyncTagging, DeferredTagging, SpiderArgument, DroppingB]
    crawler = get_crawler(Spider, settings_dict={
        "ITEM_PROCESSOR": processor,
        "ITEM_PIPELINES": {f"{__name__}.{p.__name__}": 100 * n for n, p in enumerate(pipelines, 1)}})
    crawler.spider = crawler._create_spider("chain")
    crawler.stats.open_spider()
    manager = build_from_crawler(load_object(processor), crawler)
    await manager.open_spider_async()
    done = await manager.process_item_async({"vendor_product_id": "A", "name": "angel"})
    assert done == {"vendor_product_id": "A", "name": "ANGEL", "tags": ["async", "deferred"], "spider": "chain"}
    with pytest.raises(DropItem, match="no B"):
        await manager.process_item_async({"vendor_product_id": "B", "name": "bell"})
