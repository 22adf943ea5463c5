"""MariaDB/MySQL path for new products: multi-row INSERT ... ON DUPLICATE KEY UPDATE, no RETURNING.

PyMySQL's executemany sends an INSERT ... VALUES of many rows as one statement of up to 1 MB (a few
hundred products), so a batch of 1,000 is a handful of round trips. ON DUPLICATE KEY UPDATE id = id
makes a product a concurrent run inserted first a no-op here (never INSERT IGNORE: it would turn strict
mode's refusals into warnings and store truncated values). MySQL 8 has no RETURNING, so the rows are
read back, and those this transaction inserted are told from a racer's by their stamps: created_at is
this batch's `now` and written_run_started_at this run's start, which no other run shares.
"""

from __future__ import annotations

import operator
from datetime import datetime
from typing import Mapping, Sequence

from ornaments.clock import as_utc
from ornaments.fields import TRACKED_FIELDS

COLUMNS = ("vendor", "vendor_product_id", "content_hash", *TRACKED_FIELDS)
_VALUES = operator.itemgetter(*COLUMNS)
KEY_CHUNK = 1000
_INSERT = (f"INSERT INTO products ({', '.join(f'`{c}`' for c in COLUMNS)}, created_at, last_seen_at, changed_at, "
           f"written_run_started_at) VALUES ({', '.join(['%s'] * (len(COLUMNS) + 4))}) ON DUPLICATE KEY UPDATE id = id")
_HISTORY = "INSERT INTO price_history (product_id, price, currency, recorded_at, run_id) VALUES (%s, %s, %s, %s, %s)"


def insert_new_products(conn, rows: Sequence[Mapping], now: datetime, run_id: int | None,
                        started: datetime) -> dict[tuple[str, str], int]:
    """Insert rows not stored yet, with their first price_history row; return {(vendor, vendor_product_id):
    id} of those this transaction inserted (a row a concurrent run inserted first is left out)."""
    rows = sorted(rows, key=lambda r: (r["vendor"], r["vendor_product_id"]))  # key order: runs queue, not deadlock
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(_INSERT, [(*_VALUES(r), now, now, now, started) for r in rows])
        inserted = _read_back(cursor, rows, now, started)
        by_key = {(r["vendor"], r["vendor_product_id"]): r for r in rows}
        history = [(pid, by_key[k]["price"], by_key[k]["currency"], now, run_id)
                   for k, pid in inserted.items() if by_key[k]["price"] is not None]
        if history:
            cursor.executemany(_HISTORY, history)
    finally:
        cursor.close()
    return inserted


def _read_back(cursor, rows: Sequence[Mapping], now: datetime, started: datetime) -> dict[tuple[str, str], int]:
    by_vendor: dict[str, list[str]] = {}
    for row in rows:
        by_vendor.setdefault(row["vendor"], []).append(row["vendor_product_id"])
    now, started = as_utc(now), as_utc(started)
    inserted = {}
    for vendor, ids in by_vendor.items():
        for start in range(0, len(ids), KEY_CHUNK):
            chunk = ids[start:start + KEY_CHUNK]
            cursor.execute("SELECT id, vendor_product_id, created_at, written_run_started_at FROM products "
                           f"WHERE vendor = %s AND vendor_product_id IN ({', '.join(['%s'] * len(chunk))})",
                           (vendor, *chunk))
            for pid, vpid, created_at, stamp in cursor.fetchall():
                if as_utc(created_at) == now and as_utc(stamp) == started:
                    inserted[(vendor, vpid)] = pid
    return inserted
