"""Small helpers the tests share: a free loopback port, and reading rows from a test's database."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator, TypeVar

import psycopg2
import sqlalchemy as sa

from ornaments.storage.schema import sync_runs

Server = TypeVar("Server")


def free_port() -> int:
    """A TCP port nobody listens on now (the servers the fixtures start bind to it next)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rows(url: str, query) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(query).all()
    finally:
        engine.dispose()


def latest_run(url: str):
    return rows(url, sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(1))[0]


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """A socketserver serving in a daemon thread for the duration of the block."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def scalar(dsn: str, sql: str):
    """The first value of the first row of sql, on a connection of its own (psycopg2 DSN or URL)."""
    connection = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        connection.close()
