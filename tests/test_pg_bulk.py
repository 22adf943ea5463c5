"""COPY as the server reads it (pg_bulk.CsvStream, and lines of the text format: copy_lines, copy_rows): the rows
stored are the rows given, in any number of parts and whatever the text holds; a datetime is written as
the server reads its ISO form."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage.pg_bulk import CsvStream, copy_lines, copy_rows, text_value

AT = datetime(2026, 12, 7, 16, 5, 1, 250000, tzinfo=timezone.utc)
TEXTS = ("plain", "a, comma", 'a "quote"', "two\nlines", "Crème Brûlée ™", "", None, "\\N", "x" * 5000,
         "tab\there", "back\\slash \\t", "carriage\r\nreturn", '{"name": "Santa\\"s \\u00e9"}')


def test_copied_rows_are_the_rows_given_across_many_parts(pg_url):
    """copy_rows: any text ("" apart from NULL), numbers, Decimal, booleans and datetimes, in many reads."""
    rows = [(i, TEXTS[i % len(TEXTS)], AT if i % 3 else None, Decimal(i) / 100 if i % 5 else None, i % 2 == 0)
            for i in range(3000)]  # about 1 MB: many reads
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE copied (n integer, text text, at timestamptz, price numeric, even boolean)")
        copy_rows(conn, "copied", ("n", "text", "at", "price", "even"), (row for row in rows))  # a generator, read lazily
        stored = conn.exec_driver_sql("SELECT n, text, at, price, even FROM copied ORDER BY n").all()
    engine.dispose()
    assert [tuple(r) for r in stored] == rows


def test_the_stream_gives_what_is_asked_and_then_nothing():
    stream = CsvStream(([i, "v"] for i in range(1000)))
    parts = []
    while part := stream.read(100):
        assert len(part) <= 100
        parts.append(part)
    assert "".join(parts) == "".join(f"{i},v\r\n" for i in range(1000)) and stream.read() == ""


def test_lines_of_the_text_format_store_every_text_as_it_was(pg_url):
    """Backslashes, tabs, newlines and carriage returns inside a value, JSON with its escapes, "" apart from NULL."""
    rows = [(i, TEXTS[i % len(TEXTS)], AT) for i in range(3000)]
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE copied (n integer, text text, at timestamptz)")
        copy_lines(conn, "copied", ("n", "text", "at"), (f"{n}\t{text_value(text)}\t{at}\n" for n, text, at in rows))
        stored = conn.exec_driver_sql("SELECT n, text, at FROM copied ORDER BY n").all()
    engine.dispose()
    assert [tuple(r) for r in stored] == rows
