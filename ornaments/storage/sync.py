"""CatalogStore: the one writer of the truth about products.

Every public method is blocking and meant to run in a worker thread. A batch is one transaction and
the unit of retries: a lost connection rolls the batch back, and it is tried again on a new one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ornaments.clock import as_utc, utcnow
from ornaments.storage import catalogue, catalogue_ahead, outbox
from ornaments.fields import TRACKED_FIELDS
from ornaments.retry import RetryPolicy, one_line
from ornaments.storage.engine import create_catalog_engine, is_row_refusal, with_db_retries
from ornaments.storage import mysql_bulk
from ornaments.storage.mysql import is_mysql
from ornaments.storage.batches import LOOKUP_COLUMNS, BatchResult, PlannerStatistics
from ornaments.storage.pg_bulk import insert_new_products
from ornaments.storage.rows import content_hash, product_row, seen_row  # noqa: F401  (product_row: re-exported)
from ornaments.storage.removal import RemovalScope
from ornaments.storage.runs import RunRecords, RunSummary
from ornaments.storage.schema import price_history, product_changes, products, sync_batches, sync_runs

logger = logging.getLogger(__name__)

KEY_CHUNK = 1000  # ids per IN (...) clause
# The unchanged products of a batch (same digest, not removed), seen again: their keys.
# A product a newer-started run has written is left to the general path (which skips it).
_TOUCH_UNCHANGED = sa.text(
    "UPDATE products AS p SET last_seen_at = :now, missed_runs = 0, written_run_started_at = :started "
    "FROM unnest(CAST(:ids AS text[]), CAST(:digests AS text[])) AS batch(vendor_product_id, content_hash) "
    "WHERE p.vendor = :vendor AND p.vendor_product_id = batch.vendor_product_id "
    "AND p.content_hash = batch.content_hash AND p.removed_at IS NULL "
    "AND (p.written_run_started_at IS NULL OR p.written_run_started_at <= :started) "
    "RETURNING p.vendor_product_id")
SPLIT_NUMBERS = 100_000  # parts of one split batch (a binary tree of up to 16 levels)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class CatalogStore:
    def __init__(self, url: str, change_log_fields: Iterable[str] = (), retry: RetryPolicy = RetryPolicy(),
                 match_catalogue: bool = False):
        # Link what each batch wrote to catalogue items (issue 23): ORNAMENTS_CATALOGUE, on for crawls.
        self.match_catalogue = match_catalogue
        self.engine = create_catalog_engine(url)
        unknown = set(change_log_fields) - set(TRACKED_FIELDS)
        if unknown:
            raise ValueError(f"ORNAMENTS_CHANGE_LOG_FIELDS names fields that are not tracked: {sorted(unknown)}")
        self.change_log_fields = tuple(change_log_fields)
        self.retry = retry
        self.reconnects = 0
        dialect = self.engine.dialect.name
        self._postgres = dialect == "postgresql"
        self._mysql = is_mysql(self.engine)
        self._insert = postgresql.insert if self._postgres else sqlite.insert  # MySQL: mysql_bulk
        self._lock_rows = dialect != "sqlite"  # SQLite locks the whole database (BEGIN IMMEDIATE)
        self._expect_unchanged = True  # the last batch had unchanged products (see _touch_unchanged)
        self.statistics = PlannerStatistics(self.engine)
        self._run_started: dict[int, datetime] = {}  # run id -> its started_at (see _started_of)
        self.runs = RunRecords(self.engine, retry, self.change_log_fields, on_retry=self._count_reconnect)

    # --- plumbing ---------------------------------------------------------------------------------

    def _retrying(self, func, what: str):
        return with_db_retries(func, self.retry, what, on_retry=self._count_reconnect)

    def _count_reconnect(self, _exc: BaseException) -> None:
        self.reconnects += 1

    def create_tables(self, upgrade: bool = True) -> None:
        """Create the tables, or upgrade them (upgrade=False: refuse a database behind the code)."""
        self._retrying(lambda: self._create_tables_once(upgrade), "creating tables")

    def _create_tables_once(self, upgrade: bool = True) -> None:
        """Create or upgrade the tables (Alembic migrations, see ornaments.storage.migrate)."""
        from ornaments.storage import migrate  # here: storage workers never migrate, and Alembic takes 0.1 s to import
        try:
            migrate.upgrade(self.engine, upgrade)
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError) as exc:
            # A creator outside the migration lock (ImageRecords) made a table between our check and our
            # CREATE, and the transaction rolled back: look again, the table exists now.
            if "already exists" not in str(exc):
                raise
            migrate.upgrade(self.engine, upgrade)

    def close(self) -> None:
        self.engine.dispose()

    # --- runs (ornaments.storage.runs) ------------------------------------------------------------

    def start_run(self, spider: str, vendor: str, arguments: Mapping, mode: str, scope_year: int | None,
                  **kwargs) -> tuple[int, datetime]:
        return self.runs.start(spider, vendor, arguments, mode, scope_year, **kwargs)

    def finish_run(self, run_id: int, status: str, finish_reason: str, dropped: Mapping[str, int], errors: int,
                   details: Mapping | None = None, removal: RemovalScope | None = None, **kwargs) -> RunSummary:
        """Record the end of a run and remove what the guard allows (ornaments.storage.runs.RunRecords)."""
        return self.runs.finish(run_id, status, finish_reason, dropped, errors, details, removal, **kwargs)

    # --- batches ----------------------------------------------------------------------------------

    def write_batch(self, run_id: int | None, batch_no: int, rows: Sequence[Mapping]) -> BatchResult:
        """Upsert rows (from product_row, or seen_row) in one transaction, retried on lost connections.

        With a run_id the batch is recorded in sync_batches in the same transaction, so a batch whose
        commit landed before the connection died is recognised on the retry and not applied again.
        A batch the database refuses because of some of its rows (a value it cannot hold) is split
        until those rows are found: they are left out (and counted as seen), the others stored.
        """
        unique: dict[tuple[str, str], Mapping] = {}
        for row in rows:  # the first full row of a key wins; a seen-only row never replaces one
            key = (row["vendor"], row["vendor_product_id"])
            if key not in unique or (unique[key].get("seen_only") and not row.get("seen_only")):
                unique[key] = row
        result = self._write_or_split(run_id, batch_no, unique, node=0)
        if self._postgres and not result.replayed:
            self.statistics.after_insert(result.new, self.match_catalogue)
        return result

    @property
    def analyzed(self) -> int:
        """ANALYZE runs so far (tests)."""
        return self.statistics.analyzed

    def _write_or_split(self, run_id, batch_no: int, rows: dict, node: int) -> BatchResult:
        # Parts of a split batch are recorded as negative batch numbers, unique per (batch, part).
        number = batch_no if node == 0 else -(batch_no * SPLIT_NUMBERS + node)
        try:
            return self._retrying(lambda: self._write_batch_once(run_id, number, rows),
                                  f"writing batch {batch_no} ({len(rows)} products)")
        except Exception as exc:
            if not is_row_refusal(exc) or all(r.get("seen_only") for r in rows.values()):
                raise
            if len(rows) == 1:
                (key, _row), = rows.items()
                result = self._retrying(lambda: self._write_batch_once(run_id, number, {key: seen_row(*key)}),
                                        f"recording product {key[1]} as seen")
                result.refused.append((key[1], one_line(exc)))
                return result
            if node == 0:
                logger.warning("The database refused batch %d (%s); looking for the rows it refuses",
                               batch_no, one_line(exc))
            keys = list(rows)
            half = len(keys) // 2
            first = self._write_or_split(run_id, batch_no, {k: rows[k] for k in keys[:half]}, 2 * max(node, 1))
            second = self._write_or_split(run_id, batch_no, {k: rows[k] for k in keys[half:]}, 2 * max(node, 1) + 1)
            return first.merged(second)

    def _started_of(self, conn, run_id: int | None) -> datetime:
        """The start time of run_id, which stamps what it writes (written_run_started_at); a write
        without a run is as new as now."""
        if run_id is None:
            return utcnow()
        started = self._run_started.get(run_id)
        if started is None:
            started = conn.execute(sa.select(sync_runs.c.started_at).where(sync_runs.c.id == run_id)).scalar_one()
            self._run_started[run_id] = started
        return started

    def _write_batch_once(self, run_id, batch_no, rows: dict[tuple[str, str], Mapping]) -> BatchResult:
        now = utcnow()
        result = BatchResult()
        with self.engine.begin() as conn:
            if run_id is not None:
                done = conn.execute(sa.select(sync_batches).where(
                    sync_batches.c.run_id == run_id, sync_batches.c.batch_no == batch_no)).first()
                if done is not None:
                    return BatchResult(done.items_new, done.items_updated, done.items_unchanged, replayed=True)
            started = self._started_of(conn, run_id)
            touched = self._touch_unchanged(conn, rows, now, started)
            if touched:
                rows = {k: r for k, r in rows.items() if k not in touched}
            existing = self._select_existing(conn, rows.keys())
            rows = self._with_kept_values(conn, rows, existing)
            seen_only = {k for k, r in rows.items() if r.get("seen_only")}
            new_keys = sorted(k for k in rows if k not in existing and k not in seen_only)
            reading: list = []  # the facts of the new listings, read in a thread while the server inserts them
            read = (lambda: reading.append(catalogue_ahead.read_ahead([rows[k] for k in new_keys]))) \
                if self.match_catalogue and new_keys else None
            inserted = self._insert_new(conn, [rows[k] for k in new_keys], now, run_id, started, read)  # + first prices
            ahead = reading[0] if reading else None
            result.new = len(inserted)
            events = [outbox.created(k, inserted[k], rows[k]) for k in new_keys if k in inserted]
            history: list[dict] = []
            # A concurrent run inserted some of these first: compare against its committed rows instead.
            raced = [k for k in new_keys if k not in inserted]
            if raced:
                existing.update(self._select_existing(conn, raced))
            # Most products are unchanged: compare digests first, and lock and read the old values of
            # the rest only. Under the lock a product may turn out already updated by a concurrent run.
            changed = [k for k in rows if k in existing and k not in seen_only and (
                existing[k].content_hash != rows[k]["content_hash"] or existing[k].removed_at is not None)]
            old_values = self._lock_old_values(conn, [existing[k].id for k in changed])
            changed_set = set(changed)
            seen_ids = [existing[k].id for k in rows if k in existing and k not in changed_set]
            result.seen_dropped = sum(1 for k in seen_only if k in existing)
            updates, changes = [], []
            for key in sorted(changed):
                old, new = old_values[existing[key].id], rows[key]
                if _newer(old.written_run_started_at, started):
                    # A run that started after this one wrote (or removed) the product: its values are
                    # newer than ours and stay, and so does its liveness (the row is left as it is).
                    result.older_run_skipped += 1
                    continue
                if old.content_hash == new["content_hash"] and old.removed_at is None:
                    seen_ids.append(old.id)
                    continue
                updates.append({**new, "_id": old.id})
                if old.price != new["price"] or old.currency != new["currency"]:
                    history.append({"product_id": old.id, "price": new["price"], "currency": new["currency"]})
                changes.extend(self._changed_fields(old, new))
                events.extend(outbox.changed(key, old, new))
            self._apply_updates(conn, updates, now, started)
            for chunk in _chunks(seen_ids, KEY_CHUNK):  # a product a newer run wrote keeps its stamp
                conn.execute(products.update().where(self._among(products.c.id, chunk), _not_newer(started))
                             .values(last_seen_at=now, missed_runs=0, written_run_started_at=started))
            if history:
                conn.execute(price_history.insert(), [{**h, "recorded_at": now, "run_id": run_id} for h in history])
            if changes:
                conn.execute(product_changes.insert(), [{**c, "changed_at": now, "run_id": run_id} for c in changes])
            result.updated = len(updates)
            result.unchanged = len(seen_ids) - result.seen_dropped + len(touched) + result.older_run_skipped
            self._expect_unchanged = result.unchanged > 0
            result.history_rows = len(history) + sum(1 for k in inserted if rows[k]["price"] is not None)
            result.change_rows = len(changes)
            if self.match_catalogue:  # only what this batch inserted or changed: a no-op re-sync matches nothing
                written = [(inserted[k], rows[k]) for k in new_keys if k in inserted] + [(u["_id"], u) for u in updates]
                events.extend(catalogue.after_batch(conn, written, now, ahead))
            outbox.insert_events(conn, events, run_id, now)  # last: it takes the events' ordering lock
            if run_id is not None:
                conn.execute(sync_batches.insert(), {
                    "run_id": run_id, "batch_no": batch_no, "items_new": result.new,
                    "items_updated": result.updated, "items_unchanged": result.unchanged, "committed_at": now})
        return result

    def _touch_unchanged(self, conn, rows: dict, now: datetime, started: datetime) -> set[tuple[str, str]]:
        """PostgreSQL: mark seen, in one statement per vendor, the stored products whose digest is the
        row's (most of a re-sync); return their keys. The rest take the general path below.

        One UPDATE ... FROM unnest(...) finds and bumps them together, instead of a SELECT of every key
        and an UPDATE by id; its result is only the keys. Skipped after a batch without unchanged products
        (a first sync), so new products do not pay for a second lookup."""
        if not self._postgres or not self._expect_unchanged:
            return set()
        by_vendor: dict[str, tuple[list[str], list[str]]] = {}
        for (vendor, vpid), row in rows.items():
            if not row.get("seen_only") and not row.get("keep"):  # kept values change the digest
                ids, digests = by_vendor.setdefault(vendor, ([], []))
                ids.append(vpid)
                digests.append(row["content_hash"])
        touched: set[tuple[str, str]] = set()
        for vendor, (ids, digests) in by_vendor.items():
            result = conn.execute(_TOUCH_UNCHANGED, {"now": now, "started": started, "vendor": vendor, "ids": ids,
                                                     "digests": digests})
            touched.update((vendor, vpid) for vpid, in result)
        return touched

    def _with_kept_values(self, conn, rows: dict, existing: dict) -> dict:
        """Rows whose price could not be read take the stored price (and currency) instead of none."""
        keeping = {k: r for k, r in rows.items() if r.get("keep") and k in existing}
        if not keeping:
            return rows
        fields = sorted({f for r in keeping.values() for f in r["keep"]})
        ids = {existing[k].id: k for k in keeping}
        stored = {}
        for chunk in _chunks(list(ids), KEY_CHUNK):
            query = sa.select(products.c.id, *[products.c[f] for f in fields]).where(self._among(products.c.id, chunk))
            stored.update({ids[r.id]: r for r in conn.execute(query)})
        rows = dict(rows)
        for key, row in keeping.items():
            completed = {**row, **{f: getattr(stored[key], f) for f in row["keep"]}}
            completed["content_hash"] = content_hash(completed)
            rows[key] = completed
        return rows

    def _select_existing(self, conn, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], sa.Row]:
        """id, digest and removal of the stored products among keys (not locked: most are unchanged)."""
        by_vendor: dict[str, list[str]] = {}
        for vendor, vpid in keys:
            by_vendor.setdefault(vendor, []).append(vpid)
        columns = [products.c.id, products.c.vendor, products.c.vendor_product_id, products.c.content_hash,
                   products.c.removed_at]
        found = {}
        for vendor, ids in by_vendor.items():
            for chunk in _chunks(ids, KEY_CHUNK):
                query = sa.select(*columns).where(products.c.vendor == vendor,
                                                  self._among(products.c.vendor_product_id, chunk))
                for row in conn.execute(query):
                    found[(row.vendor, row.vendor_product_id)] = row
        return found

    def _lock_old_values(self, conn, ids: list[int]) -> dict[int, sa.Row]:
        """Lock the products that changed (in id order, so concurrent runs queue rather than deadlock)
        and read what price history, the change log and the events compare against."""
        columns = [products.c.id, products.c.content_hash, products.c.removed_at, products.c.written_run_started_at,
                   *[products.c[f] for f in TRACKED_FIELDS]]  # events compare every tracked field
        found = {}
        for chunk in _chunks(sorted(ids), KEY_CHUNK):
            query = sa.select(*columns).where(self._among(products.c.id, chunk))
            if self._lock_rows:
                query = query.order_by(products.c.id).with_for_update()
            for row in conn.execute(query):
                found[row.id] = row
        return found

    def _among(self, column, values: Sequence):
        """column IN values: one array parameter on PostgreSQL instead of a parameter per value."""
        if self._postgres:
            return column == sa.any_(sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
        return column.in_(values)

    def _insert_new(self, conn, rows: list[Mapping], now: datetime, run_id: int | None, started: datetime,
                    meanwhile: Callable[[], None] | None = None) -> dict[tuple[str, str], int]:
        """Insert new products with their first price_history row; return the ids of those inserted.
        `meanwhile` is called once, as the server starts on the rows (on PostgreSQL, once they are copied
        over: this process waits for the INSERT, and other threads may run)."""
        if not rows:
            return {}
        if self._postgres:
            return insert_new_products(conn, rows, now, run_id, started, meanwhile)
        if meanwhile is not None:
            meanwhile()
        if self._mysql:
            return mysql_bulk.insert_new_products(conn, rows, now, run_id, started)
        stamped = [{**r, "created_at": now, "last_seen_at": now, "changed_at": now, "removed_at": None,
                    "written_run_started_at": started} for r in rows]
        statement = (self._insert(products).on_conflict_do_nothing(index_elements=["vendor", "vendor_product_id"])
                     .returning(products.c.id, products.c.vendor, products.c.vendor_product_id))
        inserted = {(r.vendor, r.vendor_product_id): r.id for r in conn.execute(statement, stamped)}
        by_key = {(r["vendor"], r["vendor_product_id"]): r for r in rows}
        first_prices = [{"product_id": pid, "price": by_key[k]["price"], "currency": by_key[k]["currency"],
                         "recorded_at": now, "run_id": run_id}
                        for k, pid in inserted.items() if by_key[k]["price"] is not None]
        if first_prices:  # a product without a price gets its first history row when it has one
            conn.execute(price_history.insert(), first_prices)
        return inserted

    def _apply_updates(self, conn, updates: list[dict], now: datetime, started: datetime) -> None:
        if not updates:
            return
        columns = ("content_hash", *TRACKED_FIELDS)
        # Bind names must differ from column names in an executemany UPDATE.
        values = {c: sa.bindparam(f"new_{c}") for c in columns}
        values.update(changed_at=now, last_seen_at=now, removed_at=None, missed_runs=0, written_run_started_at=started)
        statement = products.update().where(products.c.id == sa.bindparam("old_id")).values(values)
        conn.execute(statement, [{"old_id": u["_id"], **{f"new_{c}": u[c] for c in columns}} for u in updates])

    def _changed_fields(self, old: sa.Row, new: Mapping) -> list[dict]:
        changes = []
        for name in self.change_log_fields:
            before, after = getattr(old, name), new[name]
            if before != after:
                changes.append({"product_id": old.id, "field": name,
                                "old_value": _text(before), "new_value": _text(after)})
        if old.removed_at is not None:
            changes.append({"product_id": old.id, "field": "removed_at",
                            "old_value": _text(old.removed_at), "new_value": None})
        return changes


def _newer(stamp: datetime | None, started: datetime) -> bool:
    """Was the product written by a run that started after `started`?"""
    return stamp is not None and as_utc(stamp) > as_utc(started)


def _not_newer(started: datetime):
    """SQL: the product was not written by a run that started after `started`."""
    stamp = products.c.written_run_started_at
    return sa.or_(stamp.is_(None), stamp <= started)


def _chunks(values: Sequence, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]
