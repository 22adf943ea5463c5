"""What only MariaDB/MySQL needs checking: every migration on MariaDB, in order, from each earlier
revision, gives the tables create_all makes (utf8mb4_bin, DATETIME(6), InnoDB), on a latin1 database;
and the session a connection gets (strict mode, UTC, READ COMMITTED) whatever the server's defaults.
The storage, events, removal, concurrency, outage and API tests run on MariaDB too (marker
three_databases, tests/fixtures/mariadb.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from ornaments.storage import CatalogStore, migrate
from ornaments.storage.engine import create_catalog_engine, database_error_line, is_transient_db_error
from tests.fixtures.mariadb import mariadb_admin

REVISIONS = [r.revision for r in reversed(list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()))]
TABLES = """SELECT table_name, engine, table_collation FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_name <> 'alembic_version' ORDER BY 1"""
COLUMNS = """SELECT table_name, column_name, column_type, is_nullable, column_default, collation_name
             FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> 'alembic_version'
             ORDER BY 1, 2"""
INDEXES = """SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part
             FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name <> 'alembic_version'
             ORDER BY 1, 2, 4"""


def catalog(url: str) -> dict:
    engine = create_catalog_engine(url)
    with engine.connect() as conn:
        found = {name: [tuple(r) for r in conn.execute(sa.text(sql))]
                 for name, sql in (("tables", TABLES), ("columns", COLUMNS), ("indexes", INDEXES))}
    engine.dispose()
    return found


def recreate(name: str) -> None:
    mariadb_admin(f"DROP DATABASE IF EXISTS `{name}`")
    mariadb_admin(f"CREATE DATABASE `{name}` CHARACTER SET latin1")


def test_every_revision_upgrades_to_the_tables_create_all_makes(mariadb_url, mariadb_database):
    _url, name = mariadb_database
    CatalogStore(mariadb_url).create_tables()  # empty: create_all, stamped head
    expected = catalog(mariadb_url)
    assert {t for t, engine, collation in expected["tables"]} >= {"products", "product_events", "transaction_locks"}
    assert {(engine, collation) for _t, engine, collation in expected["tables"]} == {("InnoDB", "utf8mb4_bin")}
    assert ("products", "last_seen_at", "datetime(6)", "NO", None, None) in expected["columns"]
    for start in REVISIONS[:-1]:
        recreate(name)
        engine = create_catalog_engine(mariadb_url)
        with migrate.migration_lock(engine) as conn:
            command.upgrade(migrate.alembic_config(conn), start)
        engine.dispose()
        store = CatalogStore(mariadb_url)
        store.create_tables()  # start -> head, as `scrapy db upgrade` does
        store.close()
        assert catalog(mariadb_url) == expected, f"upgraded from {start}"


def test_every_connection_is_strict_utc_and_read_committed(mariadb_url):
    engine = create_catalog_engine(mariadb_url)
    with engine.connect() as conn:
        mode, zone, isolation = conn.execute(sa.text("SELECT @@sql_mode, @@time_zone, @@tx_isolation")).one()
        charset = conn.execute(sa.text("SELECT @@character_set_client")).scalar()
    engine.dispose()
    assert "STRICT_ALL_TABLES" in mode and zone == "+00:00" and isolation == "READ-COMMITTED" and charset == "utf8mb4"


def test_a_missing_database_is_one_line_and_not_retried(mariadb_url):
    url = sa.make_url(mariadb_url).set(database="ornaments_no_such_db").render_as_string(hide_password=False)
    engine = create_catalog_engine(url)
    with pytest.raises(sa.exc.OperationalError) as caught:
        engine.connect()
    engine.dispose()
    assert not is_transient_db_error(caught.value)
    line = database_error_line(caught.value, url)
    assert line == f"the database at {url} refused the connection: Unknown database 'ornaments_no_such_db'"


def test_a_refused_login_an_unknown_host_and_a_closed_port_each_say_so_in_one_line():
    cases = {"mysql://nobody:pw-never-shown@127.0.0.1:3306/x": (False, "refused the connection: Access denied for user"),
             "mysql://root@nohost.invalid/x": (True, "its host name nohost.invalid does not resolve"),
             "mysql://root@127.0.0.1:1/x": (True, "could not be reached (OperationalError: Can't connect")}
    for url, (transient, words) in cases.items():
        engine = create_catalog_engine(url)
        with pytest.raises(sa.exc.OperationalError) as caught:
            engine.connect()
        engine.dispose()
        line = database_error_line(caught.value, url)
        assert is_transient_db_error(caught.value) is transient and words in line, line
        assert "pw-never-shown" not in line and "\n" not in line
