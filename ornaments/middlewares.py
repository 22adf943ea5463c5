"""Downloader middlewares."""

from __future__ import annotations

import random

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.asyncio import sleep


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (bounded by RETRY_TIMES), waiting before each retry.

    The wait doubles with every retry of a request (RETRY_BACKOFF_BASE, capped at RETRY_BACKOFF_MAX)
    and honours a server's Retry-After within that cap. Only the failing request waits.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result, _retry_after(response))
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def _wait(self, retry: Request, retry_after: float | None = None) -> None:
        attempt = retry.meta.get("retry_times", 1)
        delay = self.backoff_base * (2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
        if retry_after is not None:
            delay = max(delay, retry_after)
        delay = min(delay, self.backoff_max)
        if delay > 0:
            await sleep(delay)


def _retry_after(response: Response) -> float | None:
    value = response.headers.get(b"Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date; the exponential backoff applies
