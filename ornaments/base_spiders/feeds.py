"""Feed spiders: a product feed from a path, file:// or http(s)://, read as a stream.

XML is read with lxml.etree.iterparse and each record is cleared once parsed, so a feed of a million
records is never held as one tree. Entities are never resolved and no DTD or network is loaded, so
XXE and billion-laughs documents stay inert.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import scrapy
from lxml import etree
from scrapy.http import Response

from ornaments.base_spiders.base import SyncSpider
from ornaments.items import ProductItem
from ornaments.resources import packaged_feed

logger = logging.getLogger(__name__)

MAX_ROW_ERRORS = 1000  # past this many unreadable rows a feed is garbage: stop reading it


class FeedSpider(SyncSpider):
    """A feed is one document: every mode reads all of it and keeps the records in scope."""

    default_feed: str = ""  # a URL, or a path relative to ORNAMENTS_FEEDS_DIR
    custom_settings = {"ROBOTSTXT_OBEY": True, "AUTOTHROTTLE_ENABLED": False}

    def __init__(self, *args: Any, feed: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.feed = feed
        self.progress_total: int | None = None  # records in the feed, for progress and ETA
        self.records_in_scope = 0
        self.records_read = 0
        self.feed_read = False

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.feed:
            arguments["feed"] = self.feed
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
        return scrapy.Request(self.feed_url(), callback=self.parse_feed, errback=self.feed_failed,
                              dont_filter=True)

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

    def record_failed(self, feed_url: str, where: str, exc: Exception) -> bool:
        """Drop a record that raised while being read; False once there are too many to go on."""
        self.drop_row("unparseable_record", where, f"{type(exc).__name__}: {exc}")
        if self.crawler.stats.get_value("ornaments/dropped/unparseable_record", 0) <= MAX_ROW_ERRORS:
            return True
        logger.error("The feed %s has more than %d unreadable records; stopped reading it.",
                     feed_url, MAX_ROW_ERRORS, extra={"spider": self})
        self.mark_incomplete("too many bad records")
        return False


class XmlFeedSpider(FeedSpider):
    item_tag = "item"  # local name of one record; any namespace prefix matches
    namespaces: dict[str, str] = {}

    def parse_node(self, node: etree._Element) -> ProductItem | None:
        raise NotImplementedError

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        body = response.body
        record_start = re.compile(rb"<(?:[\w.-]+:)?" + self.item_tag.encode() + rb"[\s>/]")
        self.progress_total = sum(1 for _ in record_start.finditer(body))
        records = etree.iterparse(
            io.BytesIO(body), events=("end",), tag=f"{{*}}{self.item_tag}",
            resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True,
            remove_pis=True)
        position = 0
        try:
            for _event, node in records:
                position += 1
                try:
                    item = self.parse_node(node)
                except Exception as exc:  # one bad record is dropped; the feed goes on
                    if not self.record_failed(response.url, f"{self.item_tag} #{position} {_node_id(node)}", exc):
                        return
                    item = None
                finally:
                    _forget(node)
                if item is not None:
                    yield item
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else "?"
            logger.error("The feed %s is not well-formed XML at line %s: %s. %d records were read before "
                         "it; the run is incomplete and nothing will be marked removed.",
                         response.url, line, exc.msg, position, extra={"spider": self})
            self.mark_incomplete("malformed feed")

    @staticmethod
    def children(node: etree._Element) -> dict[str, list[str]]:
        """The stripped texts of a record's child elements by local name ("g:price" -> "price").

        One pass over the children: an order of magnitude faster than a namespaced find() per field.
        """
        found: dict[str, list[str]] = {}
        for child in node:  # comments and processing instructions were removed by the parser
            text = child.text
            if text and (text := text.strip()):
                tag = child.tag
                found.setdefault(tag[tag.rfind("}") + 1:], []).append(text)
        return found


def first(fields: dict[str, list[str]], *names: str) -> str | None:
    """The first text of the first name present in fields (from XmlFeedSpider.children)."""
    for name in names:
        values = fields.get(name)
        if values:
            return values[0]
    return None


def _forget(node: etree._Element) -> None:
    """Free a parsed record and the siblings before it, so memory stays flat."""
    node.clear(keep_tail=True)
    parent = node.getparent()
    while node.getprevious() is not None and parent is not None:
        del parent[0]


def _node_id(node: etree._Element) -> str:
    node_id = node.get("id") or next((c.text for c in node if etree.QName(c).localname == "id"), None)
    return f"(id {node_id})" if node_id else ""


class CsvFeedSpider(FeedSpider):
    delimiter = ","
    encoding = "utf-8-sig"  # a byte-order mark is accepted and skipped
    required_columns: tuple[str, ...] = ()

    def parse_row(self, row: dict[str, str]) -> ProductItem | None:
        raise NotImplementedError

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        body = response.body
        self.progress_total = max(body.count(b"\n") - 1, 0)
        # Undecodable bytes become U+FFFD, and the rows holding them are dropped with a reason,
        # so one badly encoded row does not cost the whole feed.
        stream = io.TextIOWrapper(io.BytesIO(body), encoding=self.encoding, errors="replace", newline="")
        reader = csv.DictReader(stream, delimiter=self.delimiter)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in self.required_columns if c not in header]
        if missing:
            logger.error("The CSV feed %s lacks the columns %s (it has %s); nothing was read from it.",
                         response.url, ", ".join(missing), ", ".join(header) or "no header",
                         extra={"spider": self})
            self.mark_incomplete("feed columns missing")
            return
        reader.fieldnames = header
        rows = iter(reader)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                self.drop_row("malformed_row", f"line {reader.line_num}", str(exc))
                continue
            where = f"line {reader.line_num}"
            if None in row or any(v is None for v in row.values()):
                self.drop_row("malformed_row", where, f"expected {len(header)} columns")
                continue
            bad = [k for k, v in row.items() if "\ufffd" in v]
            if bad:
                self.drop_row("bad_encoding", where, f"bytes that are not {self.encoding} in {', '.join(bad)}")
                continue
            try:
                item = self.parse_row({k: v.strip() for k, v in row.items()})
            except Exception as exc:
                if not self.record_failed(response.url, where, exc):
                    return
                continue
            if item is not None:
                yield item
