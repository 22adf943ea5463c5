"""FeedSpider: a product feed from a path, file:// or http(s)://. Formats: xml_feed.py, csv_feed.py."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response

from ornaments.base_spiders.base import SyncSpider
from ornaments.feed_download import STREAM_META, feed_request_headers
from ornaments.items import ProductItem
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE
from ornaments.resources import packaged_feed

logger = logging.getLogger(__name__)

MAX_ROW_ERRORS = 1000  # past this many unreadable rows a feed is garbage: stop reading it


class FeedSpider(SyncSpider):
    """A feed is one document: every mode reads all of it and keeps the records in scope."""

    default_feed: str = ""  # a URL, or a path relative to ORNAMENTS_FEEDS_DIR
    custom_settings = {"ROBOTSTXT_OBEY": True, "AUTOTHROTTLE_ENABLED": False}

    def __init__(self, *args: Any, feed: str | None = None, vendor: str | None = None,
                 full_catalogue: str | None = None, **kwargs: Any):
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
        self.full_catalogue = _boolean_argument(self.name, "full_catalogue", full_catalogue, default=True)
        self.progress_total: int | None = None  # records in the feed, for progress and ETA
        self.records_in_scope = 0
        self.records_read = 0
        self.feed_read = False
        self.feed_done = False  # every record of the feed has been read (progress then tells storage's tail)
        self.feed_bytes: int | None = None  # the feed's size, for progress by bytes
        self._raw: BinaryIO | None = None  # the body being read
        self._bytes_done: int | None = None

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
        if not path.is_absolute():
            path = Path(self.settings.get("ORNAMENTS_FEEDS_DIR", "feeds")) / path
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
        logger.error("Could not read the feed %s: %s", failure.request.url, failure.value,
                     extra={"spider": self})
        self.mark_incomplete("feed unreadable")

    def in_scope(self, item: ProductItem) -> bool:
        if self.year:
            return item.get("release_year") == self.year
        if self.url:
            return self.url in (item.get("url"), item.get("vendor_product_id"))
        return True

    def parse_feed(self, response: Response) -> Iterator[ProductItem]:
        self.feed_read = True
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
        elif self.url and not self.records_in_scope:
            logger.error("No product with url or id %s in the feed %s", self.url, response.url,
                         extra={"spider": self})

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

    def record_failed(self, feed_url: str, where: str, exc: Exception) -> bool:
        """Drop a record that raised while being read; False once there are too many to go on."""
        self.drop_row("unparseable_record", where, f"{type(exc).__name__}: {exc}")
        if self.crawler.stats.get_value("ornaments/dropped/unparseable_record", 0) <= MAX_ROW_ERRORS:
            return True
        logger.error("The feed %s has more than %d unreadable records; stopped reading it.",
                     feed_url, MAX_ROW_ERRORS, extra={"spider": self})
        self.mark_incomplete("too many bad records")
        return False


def _boolean_argument(spider: str, name: str, value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise UsageError(f"{spider}: -a {name} must be true or false, not {value!r}")
