"""schema.sql, generated from the tables of ornaments.storage.schema (whose products columns come from
ornaments.fields.FIELDS): the DDL create_all runs, each statement with IF NOT EXISTS so that the file can be
applied to a database that has some of the tables. scripts/generate.py writes it; tests/test_schema.py
checks that the file is current and that applying it gives the tables the code creates."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable, ExecutableDDLElement

from ornaments.storage.schema import metadata

SCHEMA_SQL_PATH = "schema.sql"

HEADER = {
    "postgresql": (
        "-- PostgreSQL DDL of the ornaments database, generated from the tables the code creates\n"
        "-- (ornaments/storage/schema.py, product fields from ornaments/fields.py): do not edit, regenerate with\n"
        "-- `python scripts/generate.py`. Apply with: psql \"$DATABASE_URL\" -f schema.sql\n"),
    "sqlite": (
        "-- SQLite DDL of the ornaments database, generated from the tables the code creates\n"
        "-- (ornaments/storage/schema.py) by `python scripts/generate.py --sqlite`.\n"),
}

# A line above a table's statement, for the tables whose purpose the name does not tell.
TABLE_NOTES = {
    "product_events": "The change outbox: one row per committed change; id is the consumers' cursor.",
    "offers": "Offers of our products at an offers service: current price and stock per (source, product, offer).",
    "offer_history": "Every price and stock an offer had (first seen, each change, gone, back).",
    "webhook_endpoints": ("Webhook endpoints: filter, encrypted secret (ORNAMENTS_WEBHOOK_KEY), cursor into "
                          "product_events, pause state."),
    "webhook_deliveries": ("One row per delivery attempt; \"dead\" is the attempt that paused its endpoint "
                           "(the dead letter)."),
    "api_keys": "API keys: only the sha256 of a key is stored.",
}


def _statements(dialect_name: str) -> list[ExecutableDDLElement]:
    """The DDL metadata.create_all runs on an empty database of the dialect, in its order (with the
    tables' DDL events, such as CREATE EXTENSION pg_trgm before products)."""
    found: list[ExecutableDDLElement] = []
    engine = sa.create_mock_engine(f"{dialect_name}://", lambda statement, *a, **k: found.append(statement))
    metadata.create_all(engine, checkfirst=False)
    return found


def _text(statement: ExecutableDDLElement, dialect: sa.Dialect) -> str:
    """One statement as the file has it: IF NOT EXISTS, four-space indents, no stray blanks, a ';'."""
    if isinstance(statement, CreateTable):
        statement = CreateTable(statement.element, if_not_exists=True)
    elif isinstance(statement, CreateIndex):
        statement = CreateIndex(statement.element, if_not_exists=True)
    text = str(statement.compile(dialect=dialect)).strip().replace("\t", "    ")
    lines = (line.rstrip() if line.startswith("    ") else line.strip() for line in text.splitlines())
    return "\n".join(lines) + ";"


def schema_sql(dialect_name: str = "postgresql") -> str:
    """The DDL of every table, for schema.sql: a table (after the DDL its creation triggers, such as
    CREATE EXTENSION), then its indexes sorted by name (create_all's index order is a set's)."""
    dialect = sa.create_mock_engine(f"{dialect_name}://", lambda *a, **k: None).dialect
    blocks: list[tuple[list[str], list[CreateIndex]]] = []  # (lines, indexes) of each table
    before: list[str] = []  # DDL that comes before the next table
    for statement in _statements(dialect_name):
        if isinstance(statement, CreateTable):
            note = TABLE_NOTES.get(statement.element.name)
            blocks.append(([*([f"-- {note}"] if note else []), *before, _text(statement, dialect)], []))
            before = []
        elif isinstance(statement, CreateIndex):
            blocks[-1][1].append(statement)
        else:
            before.append(_text(statement, dialect))
    if before:
        blocks.append((before, []))
    texts = []
    for lines, indexes in blocks:
        index_lines = [_text(i, dialect) for i in sorted(indexes, key=lambda i: i.element.name)]
        texts.append("\n".join(lines) + ("\n\n" + "\n".join(index_lines) if index_lines else ""))
    return HEADER[dialect_name] + "\n\n".join(texts) + "\n"
