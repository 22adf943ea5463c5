"""What the sFTP server holds: the product_images table. Blocking; call it from worker threads.

A row links a product (vendor, vendor_product_id) to one remote file (path). All rows of one path
describe the same file, so an upload, or a failed upload, updates every row of that path:
- checksum, size, uploaded_at: the version the server holds (NULL before the first upload);
- status: "uploaded" when that is the version we have, "failed" when ours has not reached it yet
  (last_error says why). A failed path is uploaded again by the next run that sees it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.retry import RetryPolicy
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine, with_db_retries
from ornaments.storage.schema import product_images
from ornaments.storage.upserts import upsert

CHUNK = 500
_KEY = ("vendor", "vendor_product_id", "path")
UPLOADED, FAILED = "uploaded", "failed"


@dataclass(frozen=True)
class RemoteFile:
    """The version of a path the server holds, per the database."""
    checksum: str
    size: int
    uploaded_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What happened to one product's image file in this run."""
    vendor: str
    vendor_product_id: str
    path: str
    source_url: str | None
    status: str  # uploaded | unchanged | failed
    checksum: str | None = None  # of our local file
    size: int | None = None
    uploaded_at: datetime | None = None  # for unchanged: when the server got that version
    error: str | None = None


class ImageRecords:
    def __init__(self, url: str, retry: RetryPolicy = RetryPolicy(), base_url: str | None = None):
        self.engine = create_catalog_engine(url)
        self.retry = retry
        self.base_url = base_url
        self._table_ready = False
        self._table_lock = threading.Lock()

    def _retrying(self, func, what: str):
        return with_db_retries(func, self.retry, what)

    def create_table(self) -> None:
        """Bring the schema to the migrations' head if it is not (ornaments.storage.migrate): the table
        is created under the same lock as every other, and later migrations of it apply here too.
        Called lazily, at the first read or write."""
        with self._table_lock:
            if not self._table_ready:
                self._retrying(lambda: migrate.upgrade(self.engine), "creating product_images")
                self._table_ready = True

    def close(self) -> None:
        self.engine.dispose()

    def uploaded(self, paths: Iterable[str]) -> dict[str, RemoteFile]:
        """For each path whose current version is on the server: that version."""
        paths = sorted(set(paths))
        self.create_table()

        def query() -> dict[str, RemoteFile]:
            found = {}
            with self.engine.connect() as conn:
                for start in range(0, len(paths), CHUNK):
                    rows = conn.execute(sa.select(
                        product_images.c.path, product_images.c.checksum, product_images.c.size,
                        product_images.c.uploaded_at).where(
                        product_images.c.path.in_(paths[start:start + CHUNK]),
                        product_images.c.status == UPLOADED))
                    for row in rows:
                        found[row.path] = RemoteFile(row.checksum, row.size, row.uploaded_at)
            return found

        return self._retrying(query, f"reading {len(paths)} image records") if paths else {}

    def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write a batch of outcomes in one transaction (retried as a whole on a lost connection)."""
        if outcomes:
            self.create_table()
            self._retrying(lambda: self._record_once(outcomes), f"recording {len(outcomes)} image uploads")

    def _record_once(self, outcomes: Sequence[Outcome]) -> None:
        now = utcnow()
        with self.engine.begin() as conn:
            uploaded = [o for o in outcomes if o.status == "uploaded"]
            failed = [o for o in outcomes if o.status == "failed"]
            # The file changed on the server (or failed to): every product row of that path says so.
            if uploaded:
                conn.execute(product_images.update().where(product_images.c.path == sa.bindparam("p")).values(
                    checksum=sa.bindparam("c"), size=sa.bindparam("s"), uploaded_at=sa.bindparam("u"),
                    status=UPLOADED, last_error=None),
                    [{"p": o.path, "c": o.checksum, "s": o.size, "u": o.uploaded_at} for o in uploaded])
            if failed:
                conn.execute(product_images.update().where(product_images.c.path == sa.bindparam("p")).values(
                    status=FAILED, last_error=sa.bindparam("e")),
                    [{"p": o.path, "e": o.error} for o in failed])
            current = [o for o in outcomes if o.status != "failed"]
            if current:
                rows = [self._row(o, now, UPLOADED) for o in current]
                conn.execute(upsert(conn, product_images, _KEY, (
                    "source_url", "public_url", "checksum", "size", "status", "last_error",
                    "uploaded_at", "last_seen_at")), rows)
            if failed:
                # A new row says "not on the server"; an existing one keeps what the server holds.
                rows = [self._row(o, now, FAILED) | {"checksum": None, "size": None, "uploaded_at": None}
                        for o in failed]
                conn.execute(upsert(conn, product_images, _KEY, ("source_url", "status", "last_error",
                                                                 "last_seen_at")), rows)

    def _row(self, o: Outcome, now: datetime, status: str) -> dict:
        return {"vendor": o.vendor, "vendor_product_id": o.vendor_product_id, "path": o.path,
                "source_url": o.source_url, "public_url": self.base_url + o.path if self.base_url else None,
                "checksum": o.checksum, "size": o.size, "status": status, "last_error": o.error,
                "uploaded_at": o.uploaded_at, "last_seen_at": now}

    def rows(self, vendor: str | None = None) -> list[sa.Row]:
        """All rows (of vendor), for reports and tests."""
        self.create_table()
        query = sa.select(product_images).order_by(product_images.c.vendor, product_images.c.vendor_product_id,
                                                   product_images.c.path)
        if vendor is not None:
            query = query.where(product_images.c.vendor == vendor)
        with self.engine.connect() as conn:
            return list(conn.execute(query))
