"""INSERT statements that meet an existing key, in each database's words: PostgreSQL's and SQLite's
ON CONFLICT, MariaDB's and MySQL's ON DUPLICATE KEY UPDATE (never INSERT IGNORE, which would also turn
a strict-mode refusal into a warning and a truncated value)."""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as mysql_dialect, postgresql, sqlite

from ornaments.storage.mysql import is_mysql


def insert_or_nothing(conn: sa.Connection, table: sa.Table, key: Sequence[str]):
    """INSERT that leaves an existing row of the same key as it is. On MySQL the no-op update keeps the
    statement's lastrowid 0 for such a row (inserted_id)."""
    if is_mysql(conn):
        primary = table.primary_key.columns[0].name
        return mysql_dialect.insert(table).on_duplicate_key_update({primary: table.c[primary]})
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(key))


def upsert(conn: sa.Connection, table: sa.Table, key: Sequence[str], update: Sequence[str]):
    """INSERT that, for an existing row of the same key, sets the columns `update` to the new values."""
    if is_mysql(conn):
        statement = mysql_dialect.insert(table)
        return statement.on_duplicate_key_update({c: statement.inserted[c] for c in update})
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(index_elements=list(key), set_={c: statement.excluded[c] for c in update})


def inserted_id(conn: sa.Connection, statement, values: dict, id_column: sa.Column) -> int | None:
    """Run a single-row insert_or_nothing; the new row's id, or None when the key existed."""
    if is_mysql(conn):
        return conn.execute(statement, values).lastrowid or None
    return conn.execute(statement.returning(id_column), values).scalar()
