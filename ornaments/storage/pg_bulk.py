"""PostgreSQL fast path for new products: COPY into a session temp table, then one INSERT ... SELECT
that also writes each new product's first price_history row. About four times the row rate of an
executemany (PLATFORM.md), and one round trip per batch instead of many."""

from __future__ import annotations

import csv
import io
import itertools
import operator
from datetime import datetime
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ornaments.fields import TRACKED_FIELDS

COLUMNS = ("vendor", "vendor_product_id", "content_hash", *TRACKED_FIELDS)
_STAGING = "ornaments_new_products"
_VALUES = operator.itemgetter(*COLUMNS)


def among(conn, column: sa.ColumnElement, values: Iterable, chunk: int = 1000) -> Iterator[sa.ColumnElement]:
    """Conditions `column IN values`, one statement each: on PostgreSQL one array parameter for them all
    (one round trip, and nothing for SQLAlchemy to render per value: 1,000-value IN lists cost the
    catalogue about a second per 100,000 products), elsewhere IN lists of `chunk` values."""
    values = list(values)
    if not values:
        return
    if conn.dialect.name == "postgresql":
        yield column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(column.type)))
        return
    for start in range(0, len(values), chunk):
        yield column.in_(values[start:start + chunk])


def fetch_all(conn, statement: str, parameters: Mapping) -> list[tuple]:
    """Run a statement (psycopg2's %(name)s parameters) on the connection's own cursor and return its rows as
    tuples: for lookups of thousands of rows a batch, where SQLAlchemy's Row objects cost a third of the time."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(statement, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def copy_rows(conn, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY rows (value sequences in `columns` order) into `table`, as lines of COPY's text format
    (text_line). An empty string stays one: csv would have read it as NULL."""
    times: dict[datetime, str] = {}
    copy_lines(conn, table, columns, (text_line(row, times) for row in rows))


def text_line(values: Sequence, times: dict[datetime, str]) -> str:
    """One row as a line of COPY's text format: None as \\N, text through text_value, a datetime as its
    ISO-like str() made once per distinct value (`times`: a batch's rows share one `now`), the rest
    (numbers, Decimal) as str(). About half the time of csv.writer's quoting of JSON text."""
    parts = []
    for value in values:
        if value is None:
            parts.append("\\N")
        elif isinstance(value, str):
            parts.append(text_value(value))
        elif isinstance(value, datetime):
            parts.append(times.get(value) or times.setdefault(value, str(value)))
        elif isinstance(value, bool):
            parts.append("t" if value else "f")
        else:
            parts.append(str(value))
    return "\t".join(parts) + "\n"


def copy_csv(dbapi_connection, statement: str, rows: Iterable[Sequence]) -> None:
    """Run a COPY ... FROM STDIN (FORMAT csv) with the rows written as the server reads them."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.copy_expert(statement, CsvStream(rows), size=CsvStream.READ)
    finally:
        cursor.close()


class CsvStream(io.TextIOBase):
    """Rows as CSV text, written as COPY reads it: the server parses and stores one part while this
    process writes the next, instead of waiting for the whole text first (the server's work and the
    writing, each about a second per 100,000 catalogue rows, were one after the other)."""
    READ = 1 << 16  # what copy_expert asks for at a time
    ROWS = 500  # rows written at a time (about 50 KB of a catalogue's rows)

    def __init__(self, rows: Iterable[Sequence]):
        self._rows = iter(rows)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)
        self._text = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        wanted = self.READ if size is None or size < 0 else size
        while len(self._text) < wanted:
            chunk = list(itertools.islice(self._rows, self.ROWS))
            if not chunk:
                break
            self._writer.writerows(chunk)
            self._text += self._buffer.getvalue()
            self._buffer.seek(0)
            self._buffer.truncate()
        if size is None or size < 0:
            wanted = len(self._text)
        part, self._text = self._text[:wanted], self._text[wanted:]
        return part


def copy_lines(conn, table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """COPY rows given as lines of COPY's text format (tab-separated, `\\N` for NULL, each value through
    text_value, ending in a newline). For rows whose text is mostly JSON: csv quoting (every `"` doubled,
    character by character) cost 7 µs a row where formatting a line costs 1-2."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", _LineStream(lines), size=CsvStream.READ)
    finally:
        cursor.close()


def text_value(value: str | None) -> str:
    """A text value as COPY's text format reads it: NULL as \\N; backslash, tab, newline and carriage return escaped."""
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class _LineStream(CsvStream):
    """Lines of COPY's text format, read as CsvStream reads its rows (a part while the server stores the last)."""

    def __init__(self, lines: Iterable[str]):
        self._rows = iter(lines)
        self._text = ""

    def read(self, size: int | None = -1) -> str:
        wanted = self.READ if size is None or size < 0 else size
        while len(self._text) < wanted:
            chunk = "".join(itertools.islice(self._rows, self.ROWS))
            if not chunk:
                break
            self._text += chunk
        if size is None or size < 0:
            wanted = len(self._text)
        part, self._text = self._text[:wanted], self._text[wanted:]
        return part


def insert_new_products(conn, rows: Sequence[Mapping], now: datetime, run_id: int | None, started: datetime,
                        meanwhile: Callable[[], None] | None = None) -> dict[tuple[str, str], int]:
    """Insert rows that are not stored yet; return {(vendor, vendor_product_id): id} of those inserted.
    `meanwhile` is called between the COPY (this process's work) and the INSERT (the server's).

    A row that a concurrent run inserted first is skipped (ON CONFLICT DO NOTHING) and absent from
    the result, so the caller compares it with the stored row instead.
    """
    cursor = conn.connection.dbapi_connection.cursor()
    columns = ", ".join(COLUMNS)
    # Lives as long as the connection; ON COMMIT DELETE ROWS empties it after every batch.
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS "
                   f"AS SELECT {columns} FROM products WITH NO DATA")
    # csv.writer writes None unquoted and empty, which COPY's csv format reads as NULL.
    copy_csv(cursor.connection, f"COPY {_STAGING} ({columns}) FROM STDIN WITH (FORMAT csv)", map(_VALUES, rows))
    if meanwhile is not None:
        meanwhile()
    cursor.execute(
        f"""WITH inserted AS (
                INSERT INTO products ({columns}, created_at, last_seen_at, changed_at, written_run_started_at)
                SELECT {columns}, %(now)s, %(now)s, %(now)s, %(started)s FROM {_STAGING}
                ORDER BY vendor, vendor_product_id
                ON CONFLICT (vendor, vendor_product_id) DO NOTHING
                RETURNING id, vendor, vendor_product_id, price, currency),
            history AS (
                INSERT INTO price_history (product_id, price, currency, recorded_at, run_id)
                SELECT id, price, currency, %(now)s, %(run_id)s FROM inserted WHERE price IS NOT NULL)
            SELECT id, vendor, vendor_product_id FROM inserted""",
        {"now": now, "run_id": run_id, "started": started})
    inserted = {(vendor, vpid): pid for pid, vendor, vpid in cursor.fetchall()}
    cursor.execute(f"TRUNCATE {_STAGING}")  # a retried batch on this connection starts empty
    cursor.close()
    return inserted
