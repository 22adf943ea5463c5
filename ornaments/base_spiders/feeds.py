"""FeedSpider: a product feed from a path, file:// or http(s)://. Formats: xml_feed.py, csv_feed.py."""

from __future__ import annotations

import io
import logging
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from ornaments.base_spiders.base import SyncSpider, refuse_empty_arguments
from ornaments.base_spiders.zero_price import ZeroPriceWarning
from ornaments.env import parse_flag
from ornaments.feed_download import STREAM_META, feed_request_headers
from ornaments.feed_sniff import binary_kind
from ornaments.items import ProductItem
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE
from ornaments.resources import packaged_feed

logger = logging.getLogger(__name__)

_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # has a scheme (https:, file:, data:)
MAX_ROW_ERRORS = 1000  # past this many unreadable rows a feed is garbage: stop reading it


class FeedSpider(ZeroPriceWarning, SyncSpider):
    """A feed is one document: every mode reads all of it and keeps the records in scope."""

    default_feed: str = ""  # a URL, or a path relative to ORNAMENTS_FEEDS_DIR
    custom_settings = {"ROBOTSTXT_OBEY": True, "AUTOTHROTTLE_ENABLED": False}
    url_is_page = False  # -a url picks the feed's record with that url or id

    def __init__(self, *args: Any, feed: str | None = None, vendor: str | None = None,
                 full_catalogue: str | None = None, **kwargs: Any):
        refuse_empty_arguments(feed=feed, vendor=vendor)
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", feed or "")
        if scheme and scheme.group(1).lower() not in ("http", "https", "file"):  # else read as a file named "s3:"
            raise UsageError(f"-a feed must be a path, a file:// or an http(s):// address, not {feed!r}"
                             + (" (a drop folder on S3: scrapy crawl s3_drop -a source=s3://bucket/prefix/)"
                                if scheme.group(1).lower() == "s3" else ""))
        super().__init__(*args, **kwargs)
        self.feed = feed
        # -a vendor: the source the feed's products are stored under (an upload names its own), so that
        # feeds of different partners read by one spider neither mix nor remove each other's products.
        if vendor is not None:
            if not VENDOR_NAME.match(vendor):
                raise UsageError(f"{self.name}: -a vendor must be {VENDOR_NAME_RULE}, not {vendor!r}")
            self.vendor = vendor
        # -a full_catalogue=false: the feed holds some of the source's products (an upload unless it is
        # declared whole): a "partial" run that removes nothing. Unset or true: the whole catalogue.
        self.full_catalogue = True if full_catalogue in (None, "") else parse_flag(f"{self.name}: -a full_catalogue", full_catalogue)
        self.progress_total: int | None = None  # records in the feed, for progress and ETA
        self.records_in_scope = 0
        self.records_read = 0
        self.feed_read = False
        self.feed_done = False  # every record of the feed has been read (progress then tells storage's tail)
        self.feed_bytes: int | None = None  # the feed's size, for progress by bytes
        self._raw: BinaryIO | None = None  # the body being read
        self._bytes_done: int | None = None
        self.feed_base: str | None = None  # the feed's URL: relative image and product links are read against it

    @property
    def sync_mode(self) -> str:
        mode = super().sync_mode
        return "partial" if mode in ("all", "year") and not self.full_catalogue else mode

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.feed:
            arguments["feed"] = self.feed
        if self.vendor != self.name:
            arguments["vendor"] = self.vendor
        if not self.full_catalogue:
            arguments["full_catalogue"] = False
        return arguments

    def feed_url(self) -> str:
        location = self.feed or self.settings.getdict("ORNAMENTS_FEEDS").get(self.name) or self.default_feed
        if re.match(r"^(https?|file)://", location):
            return location
        path = Path(location)
        if self.feed and not path.is_absolute() and path.is_file():
            pass  # -a feed=feeds/x.xml or ./x.csv typed in a shell: the file beside the person, as any command reads
        elif not path.is_absolute():
            path = Path(self.settings.get("ORNAMENTS_FEEDS_DIR")) / path
            # Under Scrapyd the working directory is not the project: fall back to the copy of the
            # feed shipped as package data (read with importlib.resources, so it works from an egg).
            packaged = None if path.exists() else packaged_feed(location)
            if packaged is not None:
                logger.warning("No feed at %s; reading the copy shipped with the project (%s). Set "
                               "ORNAMENTS_FEED_%s or -a feed=... to read a live feed.", path, location,
                               self.name.upper(), extra={"spider": self})
                path = packaged
        return path.resolve().as_uri()

    def feed_request(self) -> scrapy.Request:
        # The body stays on disk (ornaments.feed_download): a feed of any size is read in flat memory.
        return scrapy.Request(self.feed_url(), callback=self.parse_feed, errback=self.feed_failed,
                              dont_filter=True, meta={STREAM_META: True}, headers=feed_request_headers())

    # A feed has no per-year or per-product pages: every mode reads the feed and filters it (in_scope).
    def get_all(self) -> Iterable[scrapy.Request]:
        yield self.feed_request()

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield self.feed_request()

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        yield self.feed_request()

    def feed_failed(self, failure) -> None:
        why = feed_failure_reason(failure.value)
        logger.error("Could not read the feed %s: %s; the run is incomplete and nothing will be marked removed.",
                     shown_url(failure.request.url), why, extra={"spider": self})
        self.mark_incomplete(f"feed unreadable ({why})")

    def not_text(self, feed_url: str, head: bytes) -> bool:
        """True, with one clear line and an incomplete run, when the feed is not text at all (a picture,
        a PDF, an archive: ornaments.feed_sniff). Its bytes are never printed."""
        kind = binary_kind(head)
        if kind is None:
            return False
        self.crawler.stats.inc_value("ornaments/feed/not_text")
        logger.error("The feed %s is not a text feed (it looks like %s); nothing was read from it, the run is "
                     "incomplete and nothing will be marked removed.", shown_url(feed_url), kind,
                     extra={"spider": self})
        self.mark_incomplete(f"not a text feed (it looks like {kind})")
        return True

    def in_scope(self, item: ProductItem) -> bool:
        if self.year:
            return item.get("release_year") == self.year
        if self.url:
            return self.url in (item.get("url"), item.get("vendor_product_id"))
        return True

    def product(self, *, where: str | None = None, **fields: Any) -> ProductItem:
        """A product whose relative links ("images/x.jpg", "/p/1") are resolved against the feed's URL, as a
        browser would: a feed shipped with its images beside it (the sample feeds) needs no web server."""
        item = super().product(where=where, **fields)
        if self.feed_base:
            urls = item.get("image_urls")
            if urls and not all(_ABSOLUTE.match(u) for u in urls):
                item["image_urls"] = [urljoin(self.feed_base, u) for u in urls]
            url = item.get("url")
            if url and not _ABSOLUTE.match(url):
                item["url"] = urljoin(self.feed_base, url)
        return item

    def parse_feed(self, response: Response) -> Iterator[ProductItem]:
        self.feed_read = True
        self.feed_base = response.url
        records = 0
        for item in self.iter_records(response):
            records += 1
            self.records_read += 1  # read by the progress extension; the stat is set once, below
            if self.in_scope(item):
                self.records_in_scope += 1
                yield item
        self.feed_done = True
        self.crawler.stats.set_value("ornaments/feed/records", records)
        if not records and not self.incomplete_reasons:
            # An empty feed is far more likely a glitch at the partner than a shop with no products.
            self.report_problem("empty_feed", response.url, "the feed has no product records")
        elif self.url and not self.records_in_scope:  # a wrong -a url typed by a person: exit 2, not 0
            self.refuse_argument(f"-a url: no product with url or id {self.url!r} in the feed "
                                 f"{shown_url(response.url)}")

    def completeness_problems(self) -> list[str]:
        problems = super().completeness_problems()
        if not self.feed_read:  # e.g. forbidden by robots.txt, or a request that never got an answer
            problems.append("the feed was never read")
        return problems

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        raise NotImplementedError

    def bytes_read(self) -> int | None:
        """How far into the feed the reader is (read ahead by a buffer), for the progress extension."""
        if self._raw is None:
            return self._bytes_done
        try:
            return self._raw.tell()
        except (OSError, ValueError):  # closed, or not seekable
            return None

    def reading(self, raw: BinaryIO, size: int) -> None:
        """The body being read now: bytes_read follows it. A body read from disk is counted in the stats."""
        self._raw, self.feed_bytes = raw, size
        if not isinstance(raw, io.BytesIO):
            self.crawler.stats.inc_value("ornaments/feed/bytes_read_from_disk", size)

    def done_reading(self) -> None:
        self._bytes_done = self.bytes_read()
        self._raw = None

    def record_failed(self, feed_url: str, where: str, exc: Exception, key: str | None = None) -> bool:
        """Drop a record that raised while being read; False once there are too many to go on. key: its
        vendor_product_id when that could be read, so that the product counts as seen (not removed)."""
        self.drop_row("unparseable_record", where, f"{type(exc).__name__}: {exc}", key=key)
        if self.crawler.stats.get_value("ornaments/dropped/unparseable_record", 0) <= MAX_ROW_ERRORS:
            return True
        logger.error("The feed %s has more than %d unreadable records; stopped reading it.",
                     feed_url, MAX_ROW_ERRORS, extra={"spider": self})
        self.mark_incomplete("too many bad records")
        return False


def feed_failure_reason(error: BaseException) -> str:
    """Why a feed could not be fetched, for a person: "HTTP 404 Not Found", "connection refused", ..."""
    if isinstance(error, HttpError):
        response = error.response
        phrase = HTTPStatus(response.status).phrase if response.status in HTTPStatus._value2member_map_ else ""
        return f"HTTP {response.status}{' ' + phrase if phrase else ''}"
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def shown_url(url: str) -> str:
    """A feed URL for the log: a password in it and the values of its query (often a token) are hidden."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}:***@{host}" if ":" in userinfo else f"{userinfo}@{host}"
    query = urlencode([(key, "***") for key, _value in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
