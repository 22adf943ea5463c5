"""feed_files: the task table of drop-folder sources (ornaments/spiders/s3_drop.py, ornaments/sources/s3_events.py).

One row per (source, key, ETag): a file the partner dropped. Its life:

    pending ──claim──> processing ──> done
                           │
                           └──> failed ──claim (while attempts < bound)──> processing ...

- A run claims one file at a time with a conditional UPDATE (status still claimable) and keeps it only
  when the UPDATE changed one row: on PostgreSQL a second run's UPDATE waits for the first one's row
  lock and then no longer matches, on SQLite BEGIN IMMEDIATE serializes the two. So two runs never
  process the same file.
- A file left `processing` by a run that died (kill -9, a lost node) or by a claim older than the claim
  timeout is put back as `failed` (its attempt counts), so the next run picks it up again.
- A file whose object changed before it was processed is `failed` with last_error "superseded: ...",
  and never retried: the new version (new ETag) is a task of its own.

Blocking; every transaction is retried on transient database errors (ornaments.retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Sequence

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.retry import RetryPolicy
from ornaments.storage.engine import create_catalog_engine, with_db_retries
from ornaments.storage.migrate import upgrade as migrate_upgrade
from ornaments.storage.runs import mark_abandoned
from ornaments.storage.schema import feed_files, sync_runs
from ornaments.storage.upserts import inserted_id, insert_or_nothing

STATUSES = ("pending", "processing", "done", "failed")
SUPERSEDED = "superseded: "
CANDIDATES = 20  # files looked at per claim attempt; another run may take some of them first
CHUNK = 500


@dataclass(frozen=True)
class ListedObject:
    """An object in the drop folder, as the listing (or an S3 event) describes it."""
    key: str
    etag: str
    size: int | None = None
    last_modified: datetime | None = None


@dataclass(frozen=True)
class FeedFile:
    """A claimed file."""
    id: int
    source: str
    key: str
    etag: str
    size: int | None
    attempts: int


def normalize_etag(etag: str) -> str:
    """S3 lists ETags in quotes ("abc"), events send them bare (abc); W/ weak prefixes are dropped."""
    etag = (etag or "").strip()
    if etag.startswith("W/"):
        etag = etag[2:]
    return etag.strip('"')


def _claimable(max_attempts: int):
    c = feed_files.c
    return sa.or_(c.status == "pending",
                  sa.and_(c.status == "failed", c.attempts < max_attempts,
                          sa.not_(sa.func.coalesce(c.last_error, "").startswith(SUPERSEDED))))


class FeedFiles:
    def __init__(self, url: str, retry: RetryPolicy = RetryPolicy()):
        self.engine = create_catalog_engine(url)
        self.retry = retry

    def close(self) -> None:
        self.engine.dispose()

    def _retrying(self, func, what: str):
        return with_db_retries(func, self.retry, what)

    @staticmethod
    def _insert(conn):
        return insert_or_nothing(conn, feed_files, ["source", "key", "etag"])

    def create_tables(self) -> None:
        """Bring the database to the latest schema (the event endpoint may be the first to use it)."""
        self._retrying(lambda: migrate_upgrade(self.engine), "migrating the database")

    # --- tasks appear ---------------------------------------------------------------------------

    def register(self, source: str, objects: Sequence[ListedObject]) -> int:
        """Add listed objects not known yet as pending; older unprocessed versions of a listed key are
        superseded. Returns how many objects were new."""
        def once() -> int:
            now = utcnow()
            with self.engine.begin() as conn:
                before = self._count(conn, source)
                for start in range(0, len(objects), CHUNK):
                    chunk = objects[start:start + CHUNK]
                    conn.execute(self._insert(conn), [self._row(source, o, now) for o in chunk])
                    for obj in chunk:
                        etag = normalize_etag(obj.etag)
                        conn.execute(feed_files.update().where(
                            feed_files.c.source == source, feed_files.c.key == obj.key,
                            feed_files.c.etag != etag, feed_files.c.status.in_(("pending", "failed")),
                            sa.not_(sa.func.coalesce(feed_files.c.last_error, "").startswith(SUPERSEDED)),
                        ).values(status="failed", updated_at=now, finished_at=now,
                                 last_error=f"{SUPERSEDED}the object changed (now ETag {etag}) before this "
                                            "version was processed; the new version is its own task"))
                return self._count(conn, source) - before
        return self._retrying(once, f"registering the files of {source}")

    def record_event(self, source: str, obj: ListedObject) -> int | None:
        """An S3 event's object as a pending task: its row id, or None when it was already known
        (a duplicate event, or a file a run has listed)."""
        def once() -> int | None:
            with self.engine.begin() as conn:
                return inserted_id(conn, self._insert(conn), self._row(source, obj, utcnow()), feed_files.c.id)
        return self._retrying(once, f"recording an event for {source}{obj.key}")

    def forget(self, file_id: int) -> None:
        """Drop a pending task recorded for an event whose run could not be scheduled, so that the
        event sent again is not taken for a duplicate."""
        def once() -> None:
            with self.engine.begin() as conn:
                conn.execute(feed_files.delete().where(feed_files.c.id == file_id, feed_files.c.status == "pending"))
        self._retrying(once, f"forgetting feed file {file_id}")

    @staticmethod
    def _row(source: str, obj: ListedObject, now: datetime) -> dict:
        return {"source": source, "key": obj.key, "etag": normalize_etag(obj.etag), "size": obj.size,
                "last_modified": obj.last_modified, "status": "pending", "attempts": 0,
                "created_at": now, "updated_at": now}

    @staticmethod
    def _count(conn: sa.Connection, source: str) -> int:
        return conn.execute(sa.select(sa.func.count()).select_from(feed_files)
                            .where(feed_files.c.source == source)).scalar_one()

    # --- claiming ---------------------------------------------------------------------------------

    def recover(self, source: str, claim_timeout: timedelta, abandoned_after: timedelta) -> list[str]:
        """Files left `processing` by a run that is no longer running (it died, or ended without
        finishing them), or claimed longer ago than claim_timeout, become `failed` again (their attempt
        counts, so a file that kills its run is not retried forever). Returns their keys."""
        def once() -> list[str]:
            now = utcnow()
            with self.engine.begin() as conn:
                mark_abandoned(conn, None, abandoned_after)  # dead runs of this host, and very old ones anywhere
                c = feed_files.c
                live_runs = sa.select(sync_runs.c.id).where(sync_runs.c.status == "running")
                stuck = sa.and_(c.source == source, c.status == "processing", sa.or_(
                    c.claimed_at < now - claim_timeout,
                    sa.and_(c.run_id.is_not(None), c.run_id.not_in(live_runs))))
                rows = conn.execute(sa.select(c.id, c.key, c.run_id).where(stuck)).all()
                for row in rows:
                    conn.execute(feed_files.update().where(c.id == row.id, c.status == "processing").values(
                        status="failed", updated_at=now,
                        last_error=f"run {row.run_id} ended without finishing this file (it died, or its claim "
                                   f"is older than {claim_timeout}); it will be tried again"))
                return [row.key for row in rows]
        return self._retrying(once, f"recovering the unfinished files of {source}")

    def claim_next(self, source: str, run_id: int | None, max_attempts: int, key: str | None = None,
                   tried: Iterable[int] = ()) -> FeedFile | None:
        """The oldest claimable file of source (only `key`'s versions, when given), now `processing` for
        run_id; None when there is none left. Claimable: pending, or failed fewer than max_attempts times,
        and not among `tried` (the files this run has had already: a failure is retried by a later run)."""
        tried = list(tried)
        c = feed_files.c
        order = (sa.func.coalesce(c.last_modified, c.created_at), c.key, c.id)

        def once() -> FeedFile | None:
            while True:
                query = sa.select(c.id).where(c.source == source, _claimable(max_attempts))
                if key is not None:
                    query = query.where(c.key == key)
                if tried:
                    query = query.where(c.id.not_in(tried))
                with self.engine.connect() as conn:
                    candidates = conn.execute(query.order_by(*order).limit(CANDIDATES)).scalars().all()
                if not candidates:
                    return None
                for file_id in candidates:
                    claimed = self._claim(file_id, run_id, max_attempts)
                    if claimed is not None:
                        return claimed
                # Another run took them all between our look and our claims: look again.
        return self._retrying(once, f"claiming a file of {source}")

    def _claim(self, file_id: int, run_id: int | None, max_attempts: int) -> FeedFile | None:
        c = feed_files.c
        now = utcnow()
        with self.engine.begin() as conn:
            result = conn.execute(feed_files.update().where(c.id == file_id, _claimable(max_attempts)).values(
                status="processing", attempts=c.attempts + 1, run_id=run_id, claimed_at=now, updated_at=now,
                finished_at=None))
            if result.rowcount != 1:
                return None
            row = conn.execute(sa.select(c.id, c.source, c.key, c.etag, c.size, c.attempts)
                               .where(c.id == file_id)).one()
        return FeedFile(row.id, row.source, row.key, row.etag, row.size, row.attempts)

    # --- outcomes ---------------------------------------------------------------------------------

    def finish(self, file_ids: Iterable[int], run_id: int | None, status: str, error: str | None = None) -> int:
        """Files this run claimed end `done` or `failed` (with error). A file another run has taken over
        since (after recovering it) is left alone. Returns how many rows changed."""
        if status not in ("done", "failed", "pending"):
            raise ValueError(f"a finished file is done or failed, not {status!r}")
        ids = list(file_ids)
        if not ids:
            return 0
        c = feed_files.c

        def once() -> int:
            now = utcnow()
            owner = c.run_id.is_(None) if run_id is None else c.run_id == run_id
            with self.engine.begin() as conn:
                return conn.execute(feed_files.update().where(c.id.in_(ids), c.status == "processing", owner).values(
                    status=status, last_error=error[:2000] if error else None, updated_at=now,
                    finished_at=now if status != "pending" else None)).rowcount
        return self._retrying(once, f"recording the end of {len(ids)} feed file(s)")

    def reset_attempts(self, file_ids: Iterable[int]) -> int:
        """Failed files (not superseded ones) get their attempts back: the next run reads them again."""
        ids = list(file_ids)
        c = feed_files.c

        def once() -> int:
            with self.engine.begin() as conn:
                return conn.execute(feed_files.update().where(
                    c.id.in_(ids), c.status == "failed",
                    sa.not_(sa.func.coalesce(c.last_error, "").startswith(SUPERSEDED)),
                ).values(attempts=0, updated_at=utcnow())).rowcount
        return self._retrying(once, f"retrying {len(ids)} feed file(s)")

    def files(self, source: str | None = None, status: str | None = None, limit: int = 100) -> list[sa.Row]:
        """Tasks, newest first (for operators and tests)."""
        query = sa.select(feed_files).order_by(feed_files.c.id.desc()).limit(limit)
        if source is not None:
            query = query.where(feed_files.c.source == source)
        if status is not None:
            query = query.where(feed_files.c.status == status)
        with self.engine.connect() as conn:
            return conn.execute(query).all()
