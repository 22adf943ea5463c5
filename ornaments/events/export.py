"""`scrapy changes --since`: the events after a cursor, written as JSON lines, JSON or CSV to stdout, a file
or any Scrapy feed storage URI (s3://, ftp://, file://, …), and the cursor to continue from."""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import IO, Iterable
from urllib.parse import urlsplit

import sqlalchemy as sa
from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter
from scrapy.extensions.feedexport import BlockingFeedStorage
from scrapy.utils.misc import build_from_crawler, load_object

from ornaments.events.feed import iter_events, last_event_id
from ornaments.events.shape import event_json
from ornaments.scrapy_compat import store_blocking_feed

FORMATS = {"jsonl": JsonLinesItemExporter, "json": JsonItemExporter, "csv": CsvItemExporter}
CSV_FIELDS = ("id", "type", "vendor", "vendor_product_id", "product_id", "run_id", "occurred_at", "data")


@dataclass
class Cursor:
    after: int = 0  # events with a greater id
    since_time: datetime | None = None  # or events that occurred after this time


def parse_since(text: str) -> Cursor:
    """An event id (what the last call printed) or an ISO 8601 time (naive means UTC)."""
    if text.strip().isdigit():
        return Cursor(after=int(text))
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since takes an event id (e.g. 1234) or an ISO time (e.g. 2026-11-23T08:00:00Z), "
                         f"not {text!r}") from None
    return Cursor(since_time=moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def write_events(engine: sa.Engine, cursor: Cursor, fmt: str, out: IO[bytes], types=None, vendors=None,
                 limit: int | None = None) -> tuple[int, int]:
    """Write the events after cursor to out; return (how many, the cursor to continue from).

    The cursor moves past events the filters left out as well, so the next call does not read them again."""
    with engine.connect() as conn:
        latest = last_event_id(conn)  # every event up to it is committed (ids follow commit order)
    exporter = FORMATS[fmt](out, **({"fields_to_export": list(CSV_FIELDS)} if fmt == "csv" else {}))
    exporter.start_exporting()
    count, last = 0, cursor.after
    for row in iter_events(engine, cursor.after, limit=limit, types=types, vendors=vendors,
                           since_time=cursor.since_time):
        event = event_json(row._mapping)
        if fmt == "csv":
            event["data"] = json.dumps(event["data"], separators=(",", ":"))
        exporter.export_item(event)
        count, last = count + 1, event["id"]
    exporter.finish_exporting()
    complete = limit is None or count < limit
    return count, max(last, latest) if complete else last


def open_target(uri: str | None, settings) -> tuple[IO[bytes], callable]:
    """(a binary file to write to, a function that finishes the target). None or "-": stdout."""
    if not uri or uri == "-":
        return sys.stdout.buffer, sys.stdout.buffer.flush
    scheme = urlsplit(uri).scheme
    if len(scheme) <= 1 or scheme == "file":  # a path (a Windows drive letter is not a scheme)
        path = uri[len("file://"):] if scheme == "file" else uri
        handle = open(path, "wb")
        return handle, handle.close
    storages = settings.getwithbase("FEED_STORAGES")
    if scheme not in storages:
        raise ValueError(f"no feed storage for {scheme}:// (FEED_STORAGES knows {', '.join(sorted(storages))})")
    # Feed storages want a crawler for their settings only; the command has no crawl.
    crawler = SimpleNamespace(settings=settings)
    storage = build_from_crawler(load_object(storages[scheme]), crawler, uri, feed_options={})
    if isinstance(storage, BlockingFeedStorage):  # s3, gs, ftp: write a temporary file, then upload it
        handle = tempfile.NamedTemporaryFile(prefix="changes-")
        return handle, lambda: store_blocking_feed(storage, handle)
    handle = storage.open(SimpleNamespace(crawler=crawler))
    return handle, lambda: storage.store(handle)


def write_to(engine: sa.Engine, target: str | None, settings, cursor: Cursor, fmt: str,
             types: Iterable[str] | None = None, vendors: Iterable[str] | None = None,
             limit: int | None = None) -> tuple[int, int]:
    handle, finish = open_target(target, settings)
    count, next_cursor = write_events(engine, cursor, fmt, handle, types, vendors, limit)
    finish()
    return count, next_cursor
