"""How the tables (schema.py and every migration) are spelled on MariaDB and MySQL.

One place instead of a variant in each migration, so the frozen migrations stay as they were:
- every table InnoDB, utf8mb4 with the binary collation utf8mb4_bin, whatever the database's default
  (an old server's latin1): ™, emoji, Arabic and Cyrillic names are stored as sent, and keys compare
  exactly as on PostgreSQL and SQLite ("ABC" and "abc" are two products, as are "é" and "e");
- timestamps DATETIME(6): microseconds, no time zone conversion (the session's time_zone is UTC and
  the driver is handed UTC values, ornaments.storage.mysql);
- unbounded text MEDIUMTEXT (16 MB, as much as a packet carries) instead of TEXT's 64 KB;
- a unique key longer than InnoDB's 3,072 bytes indexes a prefix of its longest column (see _PREFIXES);
- a literal default of a text column is written as an expression, which MySQL 8 requires.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn, CreateTable

DIALECTS = ("mysql", "mariadb")
TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
# Unique keys whose columns together may hold more than 3,072 bytes of utf8mb4 (4 bytes a character):
# their longest column is indexed by its first characters. Two values that agree that far are one key
# for the database: 449 characters of an image path, 512 of an S3 key (with its source and ETag).
_PREFIXES = {
    "uq_product_images_product_path": {"path": 449},
    "uq_feed_files_source_key_etag": {"source": 192, "key": 512, "etag": 64},
}


@compiles(sa.DateTime, *DIALECTS)
def _datetime(type_, compiler, **kw):
    return "DATETIME(6)"


@compiles(sa.Text, *DIALECTS)
def _text(type_, compiler, **kw):
    return "MEDIUMTEXT" if type_.length is None else compiler.visit_text(type_, **kw)


@compiles(CreateTable, *DIALECTS)
def _create_table(create, compiler, **kw):
    return compiler.visit_create_table(create, **kw).rstrip() + " " + TABLE_OPTIONS


@compiles(sa.UniqueConstraint, *DIALECTS)
def _unique(constraint, compiler, **kw):
    prefixes = _PREFIXES.get(constraint.name)
    if not prefixes:
        return compiler.visit_unique_constraint(constraint, **kw)
    parts = ", ".join(compiler.preparer.quote(c.name) + (f"({prefixes[c.name]})" if c.name in prefixes else "")
                      for c in constraint.columns)
    return f"CONSTRAINT {compiler.preparer.format_constraint(constraint)} UNIQUE ({parts})"


@compiles(CreateColumn, *DIALECTS)
def _column(create, compiler, **kw):
    column = create.element
    text = compiler.visit_create_column(create, **kw)
    default = column.server_default
    if (isinstance(column.type, sa.Text) and default is not None and isinstance(getattr(default, "arg", None), str)):
        literal = compiler.sql_compiler.render_literal_value(default.arg, sa.String())
        text = text.replace(f"DEFAULT {literal}", f"DEFAULT ({literal})")
    return text
