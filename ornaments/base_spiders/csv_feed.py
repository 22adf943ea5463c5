"""CsvFeedSpider: a feed of CSV rows."""

from __future__ import annotations

import csv
import io
import logging
from typing import Iterator

from scrapy.http import Response

from ornaments.base_spiders.feeds import FeedSpider
from ornaments.items import ProductItem

logger = logging.getLogger(__name__)


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
