"""MariaDB/MySQL path for many rows: multi-row INSERT statements written here, no RETURNING.

PyMySQL's executemany escapes every value through a chain of generic calls: at 30 values a product
that was 80% of a first sync's time. The rows a sync inserts hold few types (text, whole numbers,
Decimal prices, this batch's two timestamps), so they are written as SQL literals directly, with the
escapes mysql_real_escape_string uses (the session never sets NO_BACKSLASH_ESCAPES), and sent in
statements of up to STATEMENT_BYTES. Anything else goes through PyMySQL's own escaping.

New products: INSERT ... ON DUPLICATE KEY UPDATE id = id makes a product a concurrent run inserted
first a no-op here (never INSERT IGNORE: it would turn strict mode's refusals into warnings and store
truncated values). MySQL 8 has no RETURNING, so the rows are read back, and those this transaction
inserted are told from a racer's by their stamps: created_at is this batch's `now` and
written_run_started_at this run's start, which no other run shares.
"""

from __future__ import annotations

import operator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from ornaments.fields import TRACKED_FIELDS

COLUMNS = ("vendor", "vendor_product_id", "content_hash", *TRACKED_FIELDS)
_VALUES = operator.itemgetter(*COLUMNS)
KEY_CHUNK = 1000
STATEMENT_BYTES = 1_000_000  # well under max_allowed_packet (16 MB on MariaDB, 64 MB on MySQL 8)
_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", '"': '\\"', "\0": "\\0", "\n": "\\n", "\r": "\\r",
                          "\x1a": "\\Z"})


def literal(value) -> str:
    """value as a MySQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.translate(_ESCAPES) + "'"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return f"'{value.isoformat(' ', 'microseconds')}'"
    from pymysql.converters import escape_item  # floats and the rest: the driver's rules
    return escape_item(value, "utf8mb4")


def insert_many(cursor, head: str, rows: Iterable[Sequence], tail: str = "", same: Sequence = ()) -> None:
    """`head` (INSERT INTO t (a, b) VALUES) followed by the rows, in statements of up to STATEMENT_BYTES.
    `same`: values every row ends with (the batch's timestamps), written once."""
    parts: list[str] = []
    size = 0
    ending = "".join(", " + literal(value) for value in same) + ")"
    for row in rows:
        part = "(" + ", ".join(map(literal, row)) + ending
        parts.append(part)
        size += len(part) + 2
        if size >= STATEMENT_BYTES:
            cursor.execute(f"{head} {', '.join(parts)} {tail}")
            parts, size = [], 0
    if parts:
        cursor.execute(f"{head} {', '.join(parts)} {tail}")


def insert_new_products(conn, rows: Sequence[Mapping], now: datetime, run_id: int | None,
                        started: datetime) -> dict[tuple[str, str], int]:
    """Insert rows not stored yet, with their first price_history row; return {(vendor, vendor_product_id):
    id} of those this transaction inserted (a row a concurrent run inserted first is left out)."""
    rows = sorted(rows, key=lambda r: (r["vendor"], r["vendor_product_id"]))  # key order: runs queue, not deadlock
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        columns = ", ".join(f"`{c}`" for c in COLUMNS)
        insert_many(cursor, f"INSERT INTO products ({columns}, created_at, last_seen_at, changed_at, "
                            "written_run_started_at) VALUES", map(_VALUES, rows),
                    "ON DUPLICATE KEY UPDATE id = id", same=(now, now, now, started))
        inserted = _read_back(cursor, rows, now, started)
        by_key = {(r["vendor"], r["vendor_product_id"]): r for r in rows}
        insert_many(cursor, "INSERT INTO price_history (product_id, price, currency, recorded_at, run_id) VALUES",
                    ((pid, by_key[k]["price"], by_key[k]["currency"])
                     for k, pid in inserted.items() if by_key[k]["price"] is not None), same=(now, run_id))
    finally:
        cursor.close()
    return inserted


def _read_back(cursor, rows: Sequence[Mapping], now: datetime, started: datetime) -> dict[tuple[str, str], int]:
    by_vendor: dict[str, list[str]] = {}
    for row in rows:
        by_vendor.setdefault(row["vendor"], []).append(row["vendor_product_id"])
    stamped = f"created_at = {literal(now)} AND written_run_started_at = {literal(started)}"
    inserted = {}
    for vendor, ids in by_vendor.items():
        for start in range(0, len(ids), KEY_CHUNK):
            chunk = ids[start:start + KEY_CHUNK]
            cursor.execute(f"SELECT id, vendor_product_id FROM products WHERE vendor = {literal(vendor)} "
                           f"AND vendor_product_id IN ({', '.join(map(literal, chunk))}) AND {stamped}")
            for pid, vpid in cursor.fetchall():
                inserted[(vendor, vpid)] = pid
    return inserted


def insert_with_ids(conn, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> list[int] | None:
    """Insert rows in multi-row statements and return their ids in row order, or None (nothing inserted)
    when the server does not promise them consecutive. InnoDB gives a multi-row INSERT consecutive
    AUTO_INCREMENT values, the first of them LAST_INSERT_ID(), with innodb_autoinc_lock_mode 0 or 1
    (MariaDB's default) and an increment of 1; mode 2 (MySQL 8's default) interleaves concurrent inserts."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute("SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment")
        mode, step = cursor.fetchone()
        if int(mode) > 1 or int(step) != 1:
            return None
        head = f"INSERT INTO {table} ({', '.join(f'`{c}`' for c in columns)}) VALUES "
        ids: list[int] = []
        parts: list[str] = []
        size = 0
        for index, row in enumerate(rows):
            part = "(" + ", ".join(map(literal, row)) + ")"
            parts.append(part)
            size += len(part) + 2
            if size >= STATEMENT_BYTES or index == len(rows) - 1:
                cursor.execute(head + ", ".join(parts))
                ids.extend(range(cursor.lastrowid, cursor.lastrowid + len(parts)))
                parts, size = [], 0
        return ids
    finally:
        cursor.close()
