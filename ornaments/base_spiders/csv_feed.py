"""CsvFeedSpider: a feed of CSV rows, read as a stream of records.

Damage is damage: an unterminated quote, a last row cut short (a file truncated mid-download), a
field over ORNAMENTS_CSV_MAX_FIELD or more than ORNAMENTS_CSV_MAX_MALFORMED malformed rows make the run
incomplete, so it removes nothing. Headers are matched without regard to case, spaces and punctuation
("Variant SKU" -> "variantsku"); a header that names one column twice is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections import Counter
from typing import BinaryIO, Iterable, Iterator

from scrapy.http import Response

from ornaments.base_spiders.feeds import FeedSpider
from ornaments.env import setting_int
from ornaments.feed_download import open_body
from ornaments.feed_sniff import HEAD_SIZE, wide_encoding
from ornaments.items import ProductItem

logger = logging.getLogger(__name__)


def header_key(name: str) -> str:
    """"Variant SKU", "variant_sku" and "VariantSKU" are one column: "variantsku"."""
    return "".join(c for c in name.casefold() if c.isalnum())


def column_key(name: str) -> str:
    """A feed's column as header_key has it; Google's namespace prefix, which some Merchant CSV exports
    keep from the XML ("g:id", "g:image_link"), is no part of the name."""
    stripped = name.strip()
    return header_key(stripped[2:] if stripped[:2].casefold() == "g:" else stripped)


class _Lines:
    """The text stream's lines, remembering the last one: whether the file ends with a newline tells
    a row cut short by a truncated download from a file that merely lacks the final newline."""

    __slots__ = ("stream", "last")

    def __init__(self, stream: Iterable[str]):
        self.stream = stream
        self.last = "\n"

    def __iter__(self) -> Iterator[str]:
        for line in self.stream:
            self.last = line
            yield line


DELIMITERS = (",", "\t", ";", "|")  # comma first: it wins a tie; "|": Awin and Rakuten


def header_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most columns: Google Merchant's own format and
    many exports are tab-separated (.tsv, .txt), European spreadsheets write semicolons."""
    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            return 0
    return max(DELIMITERS, key=width)


class CsvFeedSpider(FeedSpider):
    delimiter: str | None = None  # None: the one that splits the header line (header_delimiter)
    encoding = "utf-8-sig"  # a byte-order mark is accepted and skipped

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_keys: list[str] = []  # normalised header, in column order
        self.column: dict[str, int] = {}  # normalised header -> column index

    # --- what subclasses write --------------------------------------------------------------------

    def start_rows(self, header: list[str], feed_url: str) -> bool:
        """Called with the original header once self.column is set; False refuses the feed (the
        subclass has logged an ERROR and marked the run incomplete)."""
        return True

    def parse_row(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        """The products of one record (values in header order, not yet stripped); line is its first line."""
        raise NotImplementedError

    def end_rows(self) -> Iterable[ProductItem]:
        """Products held back until the end of the feed (e.g. the last group of variants)."""
        return ()

    def row_key(self, row: list[str]) -> str | None:
        """The record's id if it can be read from a damaged row (a dropped record is then seen, not gone)."""
        return None

    # --- reading ----------------------------------------------------------------------------------

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        # Records, not lines, are counted: a quoted field may hold newlines, so the total is left
        # unknown and progress is told in bytes (bytes_read / feed_bytes).
        with open_body(response) as (raw, size):
            self.reading(raw, size)
            yield from self.iter_csv(raw, response.url)

    def iter_csv(self, raw: BinaryIO, feed_url: str) -> Iterator[ProductItem]:
        """The products of a CSV read from a binary file object (a file on disk, or a body in memory)."""
        # Undecodable bytes become U+FFFD, and the rows holding them are dropped with a reason,
        # so one badly encoded row does not cost the whole feed.
        head = raw.read(HEAD_SIZE)
        raw.seek(0)
        if self.not_text(feed_url, head):  # a picture or an archive: say what it looks like, not its bytes
            return
        # UTF-16/32 (with or without a byte order mark) is read as such; other text in the spider's encoding.
        text = io.TextIOWrapper(raw, encoding=wide_encoding(head) or self.encoding, errors="replace", newline="")
        self._raw = raw
        try:
            yield from self._read(text, feed_url)
        finally:
            self.done_reading()
            text.detach()  # the caller's file object stays open

    def _read(self, text: io.TextIOWrapper, feed_url: str) -> Iterator[ProductItem]:
        settings = self.settings
        max_field = setting_int(settings, "ORNAMENTS_CSV_MAX_FIELD", minimum=1)
        max_malformed = setting_int(settings, "ORNAMENTS_CSV_MAX_MALFORMED", minimum=0)
        csv.field_size_limit(max_field)  # process-wide; every CSV feed sets its own before reading
        first = text.readline()
        delimiter = self.delimiter or header_delimiter(first)
        lines = _Lines(itertools.chain([first], text) if first else text)
        # strict: an unterminated quote at the end raises instead of passing for a shorter row.
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            self._damaged(feed_url, "unreadable header", f"its header cannot be read ({exc})")
            return
        if not self._set_header(header, feed_url) or not self.start_rows(header, feed_url):
            return
        width = len(header)
        malformed = 0
        line_after = reader.line_num  # the record read next starts on the line after this one
        while True:
            start = line_after + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line_after = reader.line_num
                text = str(exc)
                if "field limit" in text:
                    # The record cannot be named, and a finished run would remove its product.
                    self.mark_incomplete("field too large")
                    self.drop_row("field_too_large", f"line {start}", f"a field longer than {max_field:,} characters")
                elif "unexpected end of data" in text:
                    self._damaged(feed_url, "unterminated quote",
                                  f"a quoted field opened in the record at line {start} is never closed")
                    break
                else:
                    self.drop_row("malformed_row", f"line {start}", text)
                malformed += 1
                if self._too_many_malformed(malformed, max_malformed, feed_url, start):
                    return
                continue
            line_after = reader.line_num
            if len(row) != width:
                if not row:  # a blank line
                    continue
                if lines.last[-1:] not in ("\n", "\r") and len(row) < width:
                    # A short row with no newline after it is the file's end: a download cut short.
                    self._damaged(feed_url, "last row cut short",
                                  f"its last record (line {start}) has {len(row)} of {width} fields and no "
                                  "final newline: the file was cut short")
                    break
                self.drop_row("malformed_row", f"line {start}", f"{len(row)} fields, the header has {width}",
                              key=self.row_key(row) if len(row) < width else None)
                malformed += 1
                if self._too_many_malformed(malformed, max_malformed, feed_url, start):
                    return
                continue
            if "\ufffd" in "\x00".join(row):
                bad = [self.header_keys[i] for i, v in enumerate(row) if "\ufffd" in v]
                self.drop_row("bad_encoding", f"line {start}", f"bytes that are not {self.encoding} in "
                              f"{', '.join(bad)}", key=self.row_key(row))
                continue
            try:
                items = self.parse_row(row, start)
                if items:
                    yield from items
            except Exception as exc:
                if not self.record_failed(feed_url, f"line {start}", exc, key=self.row_key(row)):
                    return
        try:
            yield from self.end_rows()
        except Exception as exc:
            self.record_failed(feed_url, "the end of the feed", exc)

    def _set_header(self, header: list[str], feed_url: str) -> bool:
        keys = [column_key(h) for h in header]
        repeated = [k for k, n in Counter(k for k in keys if k).items() if n > 1]
        if repeated:
            names = "; ".join(" and ".join(repr(h) for h, k in zip(header, keys) if k == r) for r in repeated)
            self._damaged(feed_url, "duplicated column",
                          f"its header names a column twice ({names}); refusing to choose one. Nothing was read")
            return False
        self.header_keys = keys
        self.column = {k: i for i, k in enumerate(keys) if k}  # unnamed columns are ignored
        return True

    def _too_many_malformed(self, malformed: int, limit: int, feed_url: str, line: int) -> bool:
        """Past ORNAMENTS_CSV_MAX_MALFORMED malformed rows the file is garbage: stop reading it."""
        if malformed <= limit:
            return False
        self._damaged(feed_url, "too many malformed rows",
                      f"more than {limit} malformed rows; stopped reading at line {line}")
        return True

    def _damaged(self, feed_url: str, reason: str, message: str) -> None:
        logger.error("The CSV feed %s is damaged: %s. The run is incomplete and removes nothing.",
                     feed_url, message, extra={"spider": self})
        self.mark_incomplete(reason)
