"""run_recorded is sent once the run's end is recorded, with the RunReport."""

from __future__ import annotations

import asyncio

import pytest_twisted
from scrapy.utils.defer import ensure_awaitable
from twisted.internet.defer import Deferred

from ornaments.signals import run_recorded
from tests.test_store_pipeline import item, store_pipeline


class ReportsReceived:
    """The reports run_recorded carried (kept alive by the test: signals hold weak references)."""

    def __init__(self, crawler) -> None:
        self.reports: list = []
        crawler.signals.connect(self.receive, signal=run_recorded)

    def receive(self, report) -> None:
        self.reports.append(report)


@pytest_twisted.ensureDeferred
async def test_run_recorded_carries_the_report(sqlite_url):
    pipeline = store_pipeline(sqlite_url, batch_size=10, batch_seconds=60)
    crawler = pipeline.crawler
    reports = ReportsReceived(crawler)

    async def run() -> None:
        await pipeline.open_spider()
        for i in range(3):
            await ensure_awaitable(pipeline.process_item(item(i)))
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "finished")

    await Deferred.fromFuture(asyncio.ensure_future(run()))
    (report,) = reports.reports
    assert (report.run_id, report.vendor, report.status, report.counts["new"]) == (1, "google_merchant", "incomplete", 3)
    assert report.needs_attention and "the feed was never read" in report.reasons[0]
    assert report.started_at.endswith("+00:00") and crawler.stats.get_value("ornaments/run_status") == "incomplete"


@pytest_twisted.ensureDeferred
async def test_run_recorded_is_sent_when_the_database_is_unreachable():
    pipeline = store_pipeline("postgresql+psycopg2://postgres@127.0.0.1:1/none", batch_size=10, batch_seconds=60)
    pipeline.config = type(pipeline.config)(**{**pipeline.config.__dict__,
                                              "retry": type(pipeline.config.retry)(attempts=1), "start_wait": 0})
    crawler = pipeline.crawler
    reports = ReportsReceived(crawler)

    async def run() -> None:
        try:
            await pipeline.open_spider()
        except Exception as exc:  # CloseSpider("database_unreachable")
            assert getattr(exc, "reason", None) == "database_unreachable"
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, "database_unreachable")

    await Deferred.fromFuture(asyncio.ensure_future(run()))
    (report,) = reports.reports
    assert (report.run_id, report.status) == (None, "failed") and "could not be reached" in report.reasons[0]
