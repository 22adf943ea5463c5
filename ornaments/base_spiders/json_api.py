"""JsonApiSpider: the shared crawl of a JSON API, for thin platform and vendor spiders.

    listing page -> records (parse_record) -> next page (page number, cursor or Link: rel=next)

- **Auth.** A bearer token or an API key: the setting `auth_env` names, which ornaments/settings.py reads
  from the environment variable of that name (never give it with -a or -s, which show in process lists
  and in the run record). It rides in a header only (the URL, and
  so the log, never holds it), added by ApiAuthMiddleware as the request is sent: never in a request
  waiting in a queue (JOBDIR), and never to another host than base_url's (a redirect elsewhere).
  An API that trades the key for a short-lived token (`POST /auth`) sets `token_path` and starts
  with token_request(then). Each run asks for a new token, and for another when the API answers 401
  to the one it has (it expired), at most max_token_renewals times.
- **Pagination.** `pagination = "page"` asks page 1, 2, ... until a page has no records, a page past
  `total_pages` (a header such as X-WP-TotalPages, or a field), or a page repeating the previous one;
  `"cursor"` follows `cursor_path` in the document; `"link"` follows the `Link: <...>; rel="next"` header.
- **Failures.** 429 and 5xx are retried by BackoffRetryMiddleware (RETRY_TIMES, exponential backoff,
  Retry-After honoured up to RETRY_BACKOFF_MAX). A page that still fails, or that is not the JSON it
  should be, makes the run incomplete (nothing is marked removed).
- **Politeness.** `concurrency_per_host` sets CONCURRENT_REQUESTS_PER_DOMAIN for the spider; -s wins.
"""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal
from typing import Any, AsyncIterator, Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ornaments.base_spiders.api_auth import AUTH
from ornaments.base_spiders.base import SyncSpider
from ornaments.base_spiders.zero_price import ZeroPriceWarning

logger = logging.getLogger(__name__)

_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,]*)*)')
_REL_NEXT = re.compile(r'rel\s*=\s*"?([^";]*)"?', re.IGNORECASE)


class JsonApiSpider(ZeroPriceWarning, SyncSpider):
    price_style = "decimal_point"  # APIs write "19.99", never "$19.99"

    # --- auth --------------------------------------------------------------------------------------
    auth_env: str | None = None  # the token's or key's setting (settings.py reads the variable); None: no auth
    auth_style: str = "bearer"  # "bearer": Authorization: Bearer <secret>; "header": auth_header: <secret>
    auth_header: str = "X-API-Key"
    token_path: str | None = None  # e.g. "/auth": POST the secret there, use the answer's token_field
    token_field: str = "access_token"
    max_token_renewals: int = 10  # per run: a token refused mid-run (401) is renewed, this many times at most

    # --- pages -------------------------------------------------------------------------------------
    pagination: str = "page"  # page | cursor | link | none
    page_param: str = "page"
    first_page: int = 1
    page_size_param: str | None = None  # e.g. "limit", "per_page"
    page_size: int | None = None
    records_path: str | None = None  # dotted path of the record list in a page; None: the page is the list
    cursor_param: str = "cursor"
    cursor_path: str = "next_cursor"  # dotted path of the next cursor in a page
    total_pages_header: str | None = None  # e.g. "X-WP-TotalPages"
    max_pages: int = 10_000  # a bound, so an API that ignores the page parameter cannot loop forever

    concurrency_per_host: int | None = None

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares.setdefault("ornaments.base_spiders.api_auth.ApiAuthMiddleware", 560)
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")
        if cls.concurrency_per_host:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", cls.concurrency_per_host, priority="spider")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._token: str | None = None  # the secret, or the token traded for it; never logged
        self.token_renewals = 0

    # --- auth --------------------------------------------------------------------------------------

    def secret(self) -> str | None:
        return self.settings.get(self.auth_env) or None if self.auth_env else None

    def auth_headers(self, token: str | None = None) -> dict[str, str]:
        token = token or self._token
        if not token:
            return {}
        if self.auth_style == "bearer":
            return {"Authorization": f"Bearer {token}"}
        return {self.auth_header: token}

    async def start(self) -> AsyncIterator[Any]:
        if not self.base_url:
            logger.error("%s needs the API's address: -a base_url=https://...", self.name, extra={"spider": self})
            self.mark_incomplete("no base_url")
            return
        if self.auth_env:
            secret = self.secret()
            if not secret:
                logger.error("%s needs its credentials in the environment variable %s; nothing was read.",
                             self.name, self.auth_env, extra={"spider": self})
                self.mark_incomplete(f"no credentials: {self.auth_env} is not set")
                return
            self._token = None if self.token_path else secret
        async for request in super().start():
            yield request

    def token_request(self, then: Callable[[], Iterable[Any] | AsyncIterator[Any]]) -> scrapy.Request:
        """POST the secret to token_path; with the token it answers, carry on with then()."""
        return scrapy.Request(self.base_url + self.token_path, method="POST", headers={"Accept": "application/json"},
                              callback=self._token_received, errback=self.api_failed, dont_filter=True,
                              meta={"handle_httpstatus_list": [401, 403], AUTH: "secret"}, cb_kwargs={"then": then})

    async def _token_received(self, response: Response, then) -> AsyncIterator[Any]:
        if response.status in (401, 403):
            self._refused(response.url, response.status, f"the API refused the credentials in {self.auth_env}")
            return
        token = self.token_of(response)
        if token is None:
            self.mark_incomplete(f"no token from {response.url}")
            return
        self._token = token
        following = then()
        if hasattr(following, "__aiter__"):
            async for request in following:
                yield request
        else:
            for request in following:
                yield request

    def token_of(self, response: Response) -> str | None:
        data = self.read_json(response)
        token = dig(data, self.token_field) if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            logger.error("%s answered without a %s; nothing was read.", response.url, self.token_field,
                         extra={"spider": self})
            return None
        return token

    async def renew_token(self) -> bool:
        """A new token for the rest of the run, after the API refused the one we had (it expired).
        Bounded by max_token_renewals per run; False when no new token came."""
        if not self.token_path or self.token_renewals >= self.max_token_renewals:
            return False
        self.token_renewals += 1
        request = scrapy.Request(self.base_url + self.token_path, method="POST", callback=NO_CALLBACK,
                                 headers={"Accept": "application/json"}, dont_filter=True,
                                 meta={"handle_httpstatus_list": [401, 403], AUTH: "secret"})
        response = await self.crawler.engine.download_async(request)
        token = self.token_of(response) if response.status in (200, 201) else None
        if token is None:
            logger.error("The API refused to renew the token (HTTP %s at %s)", response.status, response.url,
                         extra={"spider": self})
            return False
        self._token = token
        self.crawler.stats.inc_value("ornaments/api/auth_renewals")
        logger.info("The API refused our token (expired?); a new one was issued", extra={"spider": self})
        return True

    def _refused(self, url: str, status: int, why: str) -> None:
        logger.error("%s (HTTP %s at %s); nothing was read and nothing will be marked removed.",
                     why, status, url, extra={"spider": self})
        self.mark_incomplete(f"HTTP {status}: {why} ({url})")

    # --- requests ----------------------------------------------------------------------------------

    def api_request(self, url: str, callback=None, *, method: str = "GET", body: Any = None,
                    cb_kwargs: dict | None = None, meta: dict | None = None, **kwargs: Any) -> scrapy.Request:
        """A request to the API (ApiAuthMiddleware adds the auth header); body is sent as JSON."""
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            kwargs["body"] = json.dumps(body, default=str)
        return scrapy.Request(url, callback=callback or self.parse_page, method=method, headers=headers,
                              cb_kwargs=cb_kwargs or {}, meta={**(meta or {}), AUTH: "token"},
                              errback=self.api_failed, **kwargs)

    def page_request(self, url: str, page: int | None = None, cursor: str | None = None,
                     **cb_kwargs: Any) -> scrapy.Request:
        """One page of a listing: url with the page (or cursor) and the page size set."""
        params = {}
        if self.page_size_param and self.page_size:
            params[self.page_size_param] = self.page_size
        if self.pagination == "page":
            params[self.page_param] = self.first_page if page is None else page
        elif self.pagination == "cursor" and cursor:
            params[self.cursor_param] = cursor
        return self.api_request(with_params(url, params), cb_kwargs={"listing": url, "page": page or self.first_page,
                                                                      **cb_kwargs})

    # --- callbacks ---------------------------------------------------------------------------------

    def parse_page(self, response: Response, listing: str, page: int, **cb_kwargs: Any) -> Iterable[Any]:
        data = self.read_json(response)
        if data is None:
            return
        records = self.records(data, response)
        if records is None:
            return
        for record in records:
            yield from self.parse_record(record, response, **cb_kwargs)
        yield from self.next_page(response, data, records, listing, page, **cb_kwargs)

    def next_page(self, response: Response, data: Any, records: list, listing: str, page: int,
                  **cb_kwargs: Any) -> Iterable[scrapy.Request]:
        if page - self.first_page + 1 >= self.max_pages:
            logger.error("Stopped at page %d of %s (max_pages); the rest was not read.", page, listing,
                         extra={"spider": self})
            self.mark_incomplete(f"more than {self.max_pages} pages at {listing}")
            return
        if self.pagination == "page":
            total = self.total_pages(response, data)
            if not records or (total is not None and page >= total):
                return
            previous = response.meta.get("page_ids")
            ids = [record_id(r) for r in records]
            if previous is not None and ids == previous:  # the API ignores the page parameter
                self.report_problem("repeated_page", response.url, f"page {page} repeats page {page - 1}")
                return
            request = self.page_request(listing, page + 1, **cb_kwargs)
            request.meta["page_ids"] = ids
            yield request
        elif self.pagination == "cursor":
            cursor = dig(data, self.cursor_path) if isinstance(data, dict) else None
            if cursor and records:
                yield self.page_request(listing, page + 1, cursor=str(cursor), **cb_kwargs)
        elif self.pagination == "link":
            url = next_link(response)
            if url:
                request = self.api_request(response.urljoin(url),
                                           cb_kwargs={"listing": listing, "page": page + 1, **cb_kwargs})
                yield request

    def total_pages(self, response: Response, data: Any) -> int | None:
        if self.total_pages_header:
            value = response.headers.get(self.total_pages_header)
            try:
                return int(value) if value else None
            except ValueError:
                return None
        return None

    def records(self, data: Any, response: Response) -> list | None:
        """The records of a page; a page that has no list where one should be is a changed API."""
        found = dig(data, self.records_path) if self.records_path else data
        if not isinstance(found, list):
            where = f"'{self.records_path}'" if self.records_path else "the document"
            self.report_problem("not_a_listing", response.url, f"{where} is not a list of records")
            self.mark_incomplete(f"no record list at {response.url}")
            return None
        return found

    def parse_record(self, record: Any, response: Response, **cb_kwargs: Any) -> Iterable[Any]:
        raise NotImplementedError

    def read_json(self, response: Response) -> Any | None:
        """The page's JSON, numbers with a fraction as exact Decimals; None (and an incomplete run) if
        the page is not JSON: an HTML login page, a cut-off body."""
        try:
            return json.loads(response.body, parse_float=Decimal)
        except ValueError as exc:
            kind = response.headers.get("Content-Type", b"").decode("latin-1") or "no content type"
            logger.error("Not JSON at %s (%s, %s): %s", response.url, kind, f"{len(response.body)} bytes",
                         str(exc)[:120], extra={"spider": self})
            self.mark_incomplete(f"not JSON: {response.url}")
            return None

    def api_failed(self, failure: Failure) -> None:
        """A request failed for good (FailureAccounting has already marked the run incomplete,
        except for 404/410); say which and what it means."""
        request = failure.request
        status = failure.value.response.status if failure.check(HttpError) else None
        if status in (401, 403):
            self._refused(request.url, status, self.refused_message(status))
            return
        logger.error("Could not fetch %s: %s", request.url, failure.getErrorMessage(), extra={"spider": self})
        if status in (404, 410):  # a listing that is gone: its products were not seen
            self.mark_incomplete(f"HTTP {status} for {request.url}")

    def refused_message(self, status: int) -> str:
        return "the API refused access" + (f" (check {self.auth_env})" if self.auth_env else "")


def dig(data: Any, path: str | None) -> Any:
    """data["a"]["b"] for the path "a.b"; None where it is missing."""
    if path is None:
        return data
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def with_params(url: str, params: dict[str, Any]) -> str:
    """url with these query parameters set (replacing the same names)."""
    if not params:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def next_link(response: Response) -> str | None:
    """The rel="next" target of the Link headers (RFC 8288), if any."""
    for header in response.headers.getlist("Link"):
        for target, params in _LINK.findall(header.decode("latin-1")):
            rel = _REL_NEXT.search(params)
            if rel and "next" in rel.group(1).lower().split():
                return target
    return None


def record_id(record: Any) -> Any:
    return record.get("id") if isinstance(record, dict) else record
