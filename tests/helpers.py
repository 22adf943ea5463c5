"""Small helpers the tests share: a free loopback port, and reading rows from a test's database."""

from __future__ import annotations

import json
import socket
import threading
from contextlib import contextmanager
from typing import Iterator, TypeVar

import psycopg2
import sqlalchemy as sa

from ornaments.storage.schema import sync_runs

Server = TypeVar("Server")


@contextmanager
def refused_port() -> Iterator[int]:
    """A port where connections are refused for as long as the block runs: bound and never listening. A port
    free_port() found free may be taken by another test's server before the test connects (one that
    accepts and never answers held a crawl for its whole download timeout)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def free_port() -> int:
    """A TCP port nobody listens on now (the servers the fixtures start bind to it next)."""
    with refused_port() as port:
        return port


def rows(url: str, query) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(query).all()
    finally:
        engine.dispose()


def latest_run(url: str):
    return rows(url, sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(1))[0]


def run_stat(url: str, key: str, default=None):
    """One value of the latest run's Scrapy stats, as the store pipeline recorded them (sync_runs.stats)."""
    return json.loads(latest_run(url).stats).get(key, default)


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """A socketserver serving in a daemon thread for the duration of the block."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def execute_autocommit(dsn: str, sql: str) -> None:
    """Run sql outside a transaction (CREATE / DROP DATABASE), on a connection of its own."""
    connection = psycopg2.connect(dsn, connect_timeout=10)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def scalar(dsn: str, sql: str):
    """The first value of the first row of sql, on a connection of its own (psycopg2 DSN or URL)."""
    connection = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def kill_connection_at_batch_commit(engine: sa.Engine, pg_url: str, times: int = 2) -> dict:
    """pg_terminate_backend (KILL on MariaDB) the engine's own connection as it records a batch (INSERT INTO sync_batches, the
    batch's last statement), `times` times: everything before it in the transaction must roll back and the
    batch be written again. Returns the counter, so a test can check every kill happened ({"left": 0})."""
    kills = {"left": times}

    @sa.event.listens_for(engine, "before_cursor_execute")
    def kill_own_backend(conn, cursor, statement, *args):
        if kills["left"] and statement.lstrip().upper().startswith("INSERT INTO SYNC_BATCHES"):
            kills["left"] -= 1
            if sa.make_url(pg_url).get_backend_name() == "mysql":  # MariaDB: KILL <id> from another session
                from tests.fixtures.mariadb import mariadb_admin
                mariadb_admin(f"KILL {int(conn.connection.dbapi_connection.thread_id())}")
                return
            admin = psycopg2.connect(pg_url.replace("postgresql+psycopg2", "postgresql"))
            admin.autocommit = True
            with admin.cursor() as admin_cursor:
                admin_cursor.execute("SELECT pg_terminate_backend(%s)",
                                     (conn.connection.dbapi_connection.get_backend_pid(),))
            admin.close()

    return kills


def login_form(client, key: str, next_page: str = "/ui/runs") -> dict[str, str]:
    """The login form's fields as a browser fills them: the key and the CSRF token of the page just read
    (the client keeps the token's cookie)."""
    from ornaments.api import csrf

    page = client.get("/ui/login")
    token = page.text.split(f'name="{csrf.CSRF_FIELD}" value="')[1].split('"')[0]
    return {"key": key, "next": next_page, csrf.CSRF_FIELD: token}


# Read by Scrapy's images pipeline and feed exports, which a test switches on itself; not a setting: EXPORT_FIELDS.
SCRAPY_COMPONENTS_SETTINGS = ("IMAGES_", "MEDIA_", "FEED_", "EXPORT_")


def project_settings(**overrides) -> dict:
    """The settings ornaments/settings.py adds to Scrapy's (every crawl has them), with overrides on top.

    Components take each default from settings.py alone (tests/test_settings_one_place.py), so a crawler a
    test builds gets these; Scrapy's own settings (pipelines, feeds, extensions) stay Scrapy's defaults.
    """
    from scrapy.settings import default_settings

    import ornaments.settings as ours
    values = {name: value for name, value in vars(ours).items() if name.isupper()
              and not hasattr(default_settings, name) and not name.startswith(SCRAPY_COMPONENTS_SETTINGS)}
    return {**values, **overrides}


def plan_of(conn: sa.Connection, query: sa.Select) -> str:
    """PostgreSQL's EXPLAIN of a query, its values inlined: which index a page's query would use."""
    sql = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))


def store_filled_by(pg_url: str, fill_sql: str, table: str):
    """A CatalogStore whose tables `fill_sql` filled, `table` vacuumed and analysed (plans as in production)."""
    from ornaments.storage import CatalogStore

    store = CatalogStore(pg_url)
    store.create_tables()
    with store.engine.begin() as conn:
        conn.exec_driver_sql(fill_sql)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    return store


def removal_policy(**overrides):
    """The removal guard as the project's settings make it (defaults live in settings.py alone), with
    overrides on top: removal_policy(max_share=1) is the guard switched off."""
    from dataclasses import replace

    from scrapy.settings import Settings

    from ornaments.runs.config import GuardConfig
    return replace(GuardConfig.from_settings(Settings(project_settings())).policy, **overrides)
