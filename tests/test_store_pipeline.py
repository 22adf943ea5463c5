"""StorePipeline in-process, on the asyncio reactor that pytest-twisted runs (--reactor=asyncio)."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest
import pytest_twisted
import sqlalchemy as sa
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from ornaments.items import ProductItem
from ornaments.pipelines.store import StorePipeline
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from ornaments.storage.schema import products, sync_runs
from tests.helpers import project_settings


def item(i: int) -> ProductItem:
    return ProductItem(vendor="google_merchant", vendor_product_id=f"P{i}", name=f"Ornament {i}",
                       url=f"https://x.example/{i}", price=Decimal("3.00"), currency="USD",
                       availability="in_stock", image_urls=[])


def stored(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(products)).scalar_one()
    engine.dispose()
    return count


def as_deferred(coroutine) -> Deferred:
    return Deferred.fromFuture(asyncio.ensure_future(coroutine))


def store_pipeline(database_url: str, batch_size: int, batch_seconds: float, in_process: bool = True) -> StorePipeline:
    crawler = get_crawler(GoogleMerchantSpider, project_settings(
        DATABASE_URL=database_url, ORNAMENTS_BATCH_SIZE=batch_size, ORNAMENTS_BATCH_SECONDS=batch_seconds,
        ORNAMENTS_STORAGE_PROCESS=in_process))
    crawler.spider = GoogleMerchantSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    return StorePipeline.from_crawler(crawler)


@pytest_twisted.ensureDeferred
async def test_items_are_flushed_after_batch_seconds_and_at_close(sqlite_url):
    pipeline = store_pipeline(sqlite_url, batch_size=1000, batch_seconds=0.3)
    crawler = pipeline.crawler

    async def run() -> tuple[int, int, int]:
        await pipeline.open_spider()
        for i in range(3):
            await ensure_awaitable(pipeline.process_item(item(i)))
        before_timer = stored(sqlite_url)
        # The batch is far from full: only the timer can flush it (waited for, within a deadline).
        deadline = time.monotonic() + 10
        while (after_timer := stored(sqlite_url)) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await ensure_awaitable(pipeline.process_item(item(3)))
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "finished")
        return before_timer, after_timer, stored(sqlite_url)

    assert await as_deferred(run()) == (0, 3, 4)
    assert crawler.stats.get_value("ornaments/products/new") == 4
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        run_row = conn.execute(sa.select(sync_runs)).one()
    engine.dispose()
    # The spider's feed was never requested here, so the run may not remove anything.
    assert (run_row.status, run_row.items_new) == ("incomplete", 4)
    assert "the feed was never read" in run_row.details


@pytest.mark.parametrize("in_process", [True, False], ids=["worker processes", "thread"])
@pytest_twisted.ensureDeferred
async def test_full_batches_are_all_written_while_items_keep_coming(database_url, in_process):
    """PostgreSQL: two worker processes write batches side by side (ORNAMENTS_STORAGE_WRITERS);
    SQLite, which has one writer at a time, and the thread mode write one batch at a time."""
    pipeline = store_pipeline(database_url, batch_size=10, batch_seconds=60, in_process=in_process)
    crawler = pipeline.crawler

    async def run() -> None:
        await pipeline.open_spider()
        for i in range(95):
            await ensure_awaitable(pipeline.process_item(item(i)))
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "finished")

    await as_deferred(run())
    assert stored(database_url) == 95
    assert crawler.stats.get_value("ornaments/storage/batches") == 10
    writers = 0 if not in_process else 2 if database_url.startswith("postgresql") else 1
    assert len(pipeline._workers) == writers
    # Each writer wrote batches (a thread: the crawl process itself); the CPU stat adds them up.
    assert len(pipeline._worker_cpu) == max(writers, 1)
