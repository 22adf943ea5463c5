"""Writing many catalogue rows at once: COPY on PostgreSQL, multi-row INSERTs on MariaDB/MySQL, an
executemany on SQLite (a first sync links every listing it stores and makes an item for most)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

import sqlalchemy as sa

from ornaments.storage import mysql_bulk
from ornaments.storage.mysql import is_mysql
from ornaments.storage.pg_bulk import copy_lines, copy_rows, text_value
from ornaments.storage.schema import catalog_items, item_listings

LINK_COLUMNS = ("product_id", "item_id", "method", "confidence", "state", "match_key", "linked_at")
_UPDATE_GTINS_PG = sa.text("UPDATE catalog_items AS c SET gtins = v.gtins "
                           "FROM unnest(CAST(:ids AS bigint[]), CAST(:gtins AS text[])) AS v(id, gtins) WHERE c.id = v.id")
# The sequence is named once, then given as a constant: pg_get_serial_sequence() in the select list ran
# for every row (a tenth of the ids' time).
_ITEM_ID_SEQUENCE = sa.text("SELECT pg_get_serial_sequence('catalog_items', 'id')")
_NEXT_ITEM_IDS = sa.text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)")


def insert_rows(conn, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert many rows (value tuples in `columns` order): COPY on PostgreSQL, as lines of its text format
    (a first sync links every listing), multi-row INSERTs on MariaDB/MySQL, an executemany on SQLite."""
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table.name, columns, rows)
    elif is_mysql(conn):  # multi-row INSERTs written directly (PyMySQL's executemany escapes value by value)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            mysql_bulk.insert_many(cursor, f"INSERT INTO {table.name} ({', '.join(f'`{c}`' for c in columns)}) VALUES",
                                   rows)
        finally:
            cursor.close()
    else:
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def insert_links(conn, rows: Sequence[tuple[int, int, str, float, str, str, datetime]]) -> None:
    """Insert item_listings rows (product_id, item_id, method, confidence, state, match_key, linked_at).
    On PostgreSQL as lines of COPY's text format: ids, the ladder's words and a hex digest need no quoting,
    and a first sync writes one per product (csv took twice as long)."""
    if conn.dialect.name != "postgresql":
        insert_rows(conn, item_listings, LINK_COLUMNS, rows)
        return
    times: dict[datetime, str] = {}
    copy_lines(conn, item_listings.name, LINK_COLUMNS, (
        f"{int(pid)}\t{int(item)}\t{text_value(method)}\t{float(confidence)!r}\t{text_value(state)}\t"
        f"{text_value(key)}\t{times.get(at) or times.setdefault(at, str(at))}\n"
        for pid, item, method, confidence, state, key, at in rows))


def insert_items(conn, pending: list[dict]) -> list[int]:
    """Insert new item rows (dicts with the same keys); return their ids in the same order."""
    if not pending:
        return []
    if conn.dialect.name == "postgresql":  # ids from the sequence in one statement, then COPY
        sequence = conn.execute(_ITEM_ID_SEQUENCE).scalar_one()
        ids = sorted(conn.execute(_NEXT_ITEM_IDS, {"sequence": sequence, "n": len(pending)}).scalars())
        columns = tuple(pending[0])
        insert_rows(conn, catalog_items, ("id", *columns),
                    ((i, *[row[c] for c in columns]) for i, row in zip(ids, pending)))
        return ids
    if conn.dialect.insert_executemany_returning_sort_by_parameter_order:
        statement = catalog_items.insert().returning(catalog_items.c.id, sort_by_parameter_order=True)
        return [r.id for r in conn.execute(statement, pending)]
    if is_mysql(conn):  # RETURNING is off there, as MySQL 8 has none: multi-row INSERTs when
        columns = tuple(pending[0])  # the server hands out consecutive ids
        ids = mysql_bulk.insert_with_ids(conn, catalog_items.name, columns,
                                         [[row[c] for c in columns] for row in pending])
        if ids is not None:
            return ids
    # otherwise one insert per new item
    return [conn.execute(catalog_items.insert(), row).inserted_primary_key[0] for row in pending]


def update_gtins(conn, pairs: list[tuple[int, str]]) -> None:
    """Store older items' grown GTIN lists ((id, JSON text) pairs): one statement on PostgreSQL (an
    executemany there sent them a hundred at a time), an executemany elsewhere."""
    if not pairs:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(_UPDATE_GTINS_PG, {"ids": [i for i, _ in pairs], "gtins": [g for _, g in pairs]})
        return
    conn.execute(catalog_items.update().where(catalog_items.c.id == sa.bindparam("_id"))
                 .values(gtins=sa.bindparam("v_gtins")), [{"_id": i, "v_gtins": g} for i, g in pairs])
