"""ApiAuthMiddleware: a JSON API spider's credentials, added to its requests as they leave.

- Only to requests the spider marked (request.meta[AUTH]: "token", or "secret" for the token request
  itself), and only to the host of the spider's base_url: a request waiting in a queue (JOBDIR), an image
  download, or a redirect to another host carries no secret.
- A 401 to a request sent with a token that the spider trades for one (token_path) means the token
  expired: the spider renews it (concurrent 401s share one renewal; at most max_token_renewals a run)
  and the request is sent again, ahead of the queue, at most RESENDS times; then the 401 is the answer.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

AUTH = "ornaments_auth"  # request meta: "token" or "secret"
RESENT = "ornaments_auth_resent"  # request meta: times sent again after a 401
RESENDS = 2


class ApiAuthMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self._renewing = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _spider(self):
        spider = self.crawler.spider
        return spider if hasattr(spider, "auth_headers") and hasattr(spider, "renew_token") else None

    def process_request(self, request: Request) -> None:
        spider = self._spider()
        kind = request.meta.get(AUTH)
        if kind is None or spider is None:
            return None
        for name in ("Authorization", spider.auth_header):  # a redirect copies the headers it had
            request.headers.pop(name, None)
        if _origin(request.url) == _origin(spider.base_url):
            request.headers.update(spider.auth_headers(spider.secret() if kind == "secret" else None))
        return None

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        spider = self._spider()
        if (response.status != 401 or request.meta.get(AUTH) != "token" or request.meta.get(RESENT, 0) >= RESENDS
                or spider is None or not spider.token_path):
            return response
        sent_with = spider_token(spider, request)
        async with self._renewing:
            # Another 401 may have renewed it while this one waited: then just send this one again.
            if sent_with == spider.auth_headers() and not await spider.renew_token():
                return response
        # Ahead of the queue: sent before the new token is spent by the requests queued behind it.
        retry = request.replace(dont_filter=True, priority=request.priority + 1)
        retry.meta[RESENT] = request.meta.get(RESENT, 0) + 1
        return retry


def spider_token(spider, request: Request) -> dict[str, str]:
    """The auth header the request was sent with, as spider.auth_headers() writes it."""
    name = "Authorization" if spider.auth_style == "bearer" else spider.auth_header
    value = request.headers.get(name)
    return {name: value.decode("latin-1")} if value else {}


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()
