"""The database schema, brought to the migrations' head (ornaments/migrations) by every crawl.

upgrade(engine) looks at the database once (a query or two when it is already at head) and otherwise,
holding the migration lock, does one of:
- no tables yet: create them from the metadata (schema.sql) and stamp head;
- our tables without alembic_version (made by create_all before migrations existed): stamp the
  baseline revision, then upgrade;
- an older revision: upgrade.
The lock is a PostgreSQL advisory lock, GET_LOCK on MariaDB/MySQL, or SQLite's write lock (create_catalog_engine begins every
transaction with BEGIN IMMEDIATE), taken for one transaction that also holds all the DDL: a second run
waits, then finds the database at head.
"""

from __future__ import annotations

import atexit
import functools
import logging
import shutil
import tempfile
from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from ornaments.storage import mysql
from ornaments.storage.schema import metadata

logger = logging.getLogger(__name__)

BASELINE = "0001"  # the schema of commit 41c81a7, which create_all made without alembic_version
VERSION_TABLE = "alembic_version"
# pg_advisory_xact_lock key: any constant the other users of the database do not use ("orna").
LOCK_KEY = 0x6F726E61


class SchemaTooNew(RuntimeError):
    """The database was migrated by newer code than this one."""


class SchemaTooOld(RuntimeError):
    """The database is behind the code and upgrading was not allowed (ORNAMENTS_DB_AUTO_UPGRADE off)."""


@functools.cache
def script_location() -> str:
    """The ornaments/migrations directory. Alembic reads revisions from a directory, so inside a zipped
    egg (a zipfile.Path, not a Path) the scripts are copied out to a temporary one, once per process."""
    root = resources.files("ornaments.migrations")
    if isinstance(root, Path):
        return str(root)
    target = Path(tempfile.mkdtemp(prefix="ornaments-migrations-"))
    atexit.register(shutil.rmtree, target, True)
    _copy_tree(root, target)
    return str(target)


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir() and entry.name != "__pycache__":
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        elif entry.is_file() and entry.name.endswith((".py", ".pyc", ".mako")):
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """A Config built in code (no alembic.ini at runtime); env.py runs on `connection` when given."""
    config = Config()
    config.set_main_option("script_location", script_location())
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "ornaments/migrations has no revisions"
    return head


def current_revision(conn: sa.Connection) -> str | None:
    """The stamped revision, or None when there is no alembic_version table (or it is empty)."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def describe(engine: sa.Engine) -> tuple[str | None, bool]:
    """(current revision, whether products exists): for `scrapy db current`."""
    with engine.connect() as conn:
        return current_revision(conn), sa.inspect(conn).has_table("products")


@contextmanager
def migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that holds the migration lock until it commits (or rolls back)."""
    if mysql.is_mysql(engine):  # DDL commits implicitly there: a session lock (GET_LOCK) spans it all
        with engine.connect() as conn:
            mysql.migration_lock(conn)
            conn.commit()
            try:
                with conn.begin():
                    yield conn
            finally:
                mysql.release_migration_lock(conn)
        return
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE (create_catalog_engine), the write lock
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        yield conn


def upgrade(engine: sa.Engine, allow_upgrade: bool = True) -> str | None:
    """Bring the database to head. Returns the revision it was at before (None: new or unversioned).

    With allow_upgrade=False an empty database is still created, but one behind the code is refused
    (SchemaTooOld): the sync never writes into tables older than its code."""
    head = head_revision()
    with engine.connect() as conn:  # the fast path of every crawl: two small queries
        if current_revision(conn) == head:
            return head
    with migration_lock(engine) as conn:
        current = current_revision(conn)  # again: another run may have migrated while we waited
        if current == head:
            return head
        check_known(current)
        config = alembic_config(conn)
        empty = current is None and not sa.inspect(conn).has_table("products")
        if not empty and not allow_upgrade:
            raise SchemaTooOld(f"the database is at schema revision {current or 'none (made before migrations)'}, "
                               f"older than this code's {head}: run `scrapy db upgrade` with the same "
                               f"DATABASE_URL (or set ORNAMENTS_DB_AUTO_UPGRADE=1 to let crawls upgrade it)")
        if empty:
            logger.info("Creating the database tables (schema revision %s)", head)
            metadata.create_all(conn)
            command.stamp(config, head)
            return None
        if current is None:
            logger.info("Tables made before migrations: stamping revision %s", BASELINE)
            command.stamp(config, BASELINE)
        logger.info("Upgrading the database schema from %s to %s", current or BASELINE, head)
        command.upgrade(config, head)
        return current


def check_known(revision: str | None) -> None:
    """SchemaTooNew when the database is at a revision this code does not know (it is ahead of the code)."""
    if revision is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception as exc:  # alembic raises ResolutionError / CommandError for an unknown id
        raise SchemaTooNew(f"the database is at schema revision {revision!r}, which this code does not know "
                           f"(its head is {head_revision()!r}): deploy the newer code") from exc
