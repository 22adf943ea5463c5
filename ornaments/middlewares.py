"""Downloader middlewares."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import Request, exceptions, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep

from ornaments import backoff
from ornaments.env import setting_float
from ornaments.runs.ledger import RunLedger


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (bounded by RETRY_TIMES), waiting before each retry.

    The wait doubles with every retry of a request (RETRY_BACKOFF_BASE, capped at RETRY_BACKOFF_MAX)
    and honours a server's Retry-After within that cap. Only the failing request waits.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = setting_float(settings, "RETRY_BACKOFF_BASE")
        self.backoff_max = setting_float(settings, "RETRY_BACKOFF_MAX")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result, _retry_after(response))
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if request.url.startswith("file:") and isinstance(exception, OSError):
            # A local file that is missing, a directory or unreadable stays so: not a passing fault.
            return None
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def _wait(self, retry: Request, retry_after: float | None = None) -> None:
        attempt = retry.meta.get("retry_times", 1)
        # Uncapped here: the cap bounds the final wait, a server's Retry-After included.
        delay = backoff.delay(attempt, self.backoff_base, math.inf, jitter=backoff.JITTER)
        if retry_after is not None:
            delay = max(delay, retry_after)
        delay = min(delay, self.backoff_max)
        if delay > 0:
            await sleep(delay)


def _retry_after(response: Response) -> float | None:
    """Seconds the server asks us to wait: "120" or an HTTP date (RFC 9110); None if it asks nothing."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None  # unreadable: the exponential backoff applies
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class FailureAccounting:
    """Reports to the run ledger what the run needed and lost for good, making it incomplete.

    That is: a page or feed of the spider's own that ended in an exception or an error status after
    all retries (404 and 410 excepted: the page is gone, and its product with it), and an item that a
    pipeline failed on. Images and robots.txt (Scrapy's NO_CALLBACK requests) are not counted: a
    missing image never stops a product sync. Sits outside RetryMiddleware, so it sees final outcomes.
    """

    GONE = (404, 410)

    def __init__(self, crawler):
        self.crawler = crawler
        self.ledger = RunLedger.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        accounting = cls(crawler)
        crawler.signals.connect(accounting.item_error, signal=signals.item_error)
        robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, NetworkErrorsInOneLine) for f in robots_logger.filters):
            robots_logger.addFilter(NetworkErrorsInOneLine())
        return accounting

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and response.status not in self.GONE and self._is_page(request):
            self._failed(request, f"HTTP {response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if self._is_page(request):
            self._failed(request, type(exception).__name__)

    def item_error(self, item, response, spider, failure) -> None:
        self.crawler.stats.inc_value("ornaments/item_errors")
        self.ledger.item_failed(f"an item failed in a pipeline: {failure.getErrorMessage()}")

    @staticmethod
    def _is_page(request: Request) -> bool:
        return request.callback is not NO_CALLBACK

    def _failed(self, request: Request, why: str) -> None:
        self.crawler.stats.inc_value("ornaments/pages_failed")
        self.ledger.page_failed(f"{why} for {request.url}")


class NetworkErrorsInOneLine(logging.Filter):
    """Scrapy logs a robots.txt that could not be fetched (a host that is down, a name that does not
    resolve) with a traceback; its message already says why, in one line. Other errors keep theirs."""

    NETWORK_ERRORS = (exceptions.DownloadConnectionRefusedError, exceptions.CannotResolveHostError,
                      exceptions.DownloadTimeoutError, exceptions.DownloadFailedError,
                      exceptions.ResponseDataLossError, exceptions.UnsupportedURLSchemeError, ConnectionError,
                      TimeoutError)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.NETWORK_ERRORS):
            record.exc_info = None
            record.exc_text = None
        return True
