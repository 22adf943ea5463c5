"""Engines that survive flaky hosts: pre-ping, keepalives, timeouts, and a test for transient errors."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy import event, exc

from ornaments.retry import RetryPolicy


def create_catalog_engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 60}, pool_pre_ping=True)
        _begin_immediate(engine)
        return engine
    connect_args = {}
    if parsed.get_driver_name() == "psycopg2":
        # TCP keepalives notice a dead server in seconds instead of hanging on a half-open socket.
        connect_args = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 10,
                        "keepalives_interval": 5, "keepalives_count": 3,
                        "application_name": "ornaments"}
    return sa.create_engine(url, pool_pre_ping=True, pool_recycle=1800, connect_args=connect_args,
                            executemany_mode="values_plus_batch")


def database_retry_policy(settings) -> RetryPolicy:
    """How long one database operation (a batch, the run record) is retried: for
    ORNAMENTS_DB_RETRY_SECONDS (a restart or failover costs time, not data), at most
    ORNAMENTS_DB_MAX_BACKOFF seconds apart; ORNAMENTS_DB_RETRIES > 0 also caps the number of tries."""
    tries = settings.getint("ORNAMENTS_DB_RETRIES", 0)
    return RetryPolicy(attempts=tries if tries > 0 else None,
                       backoff=settings.getfloat("ORNAMENTS_DB_BACKOFF", 0.5),
                       max_backoff=settings.getfloat("ORNAMENTS_DB_MAX_BACKOFF", 10.0),
                       seconds=max(0.0, settings.getfloat("ORNAMENTS_DB_RETRY_SECONDS", 300.0)))


def _begin_immediate(engine: sa.Engine) -> None:
    """SQLite: take the write lock when a transaction starts, so two runs queue instead of deadlocking."""
    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _immediate(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_transient_db_error(error: BaseException) -> bool:
    """Errors worth a retry on a new connection: lost connections, deadlocks, a locked SQLite file."""
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        original = error.orig
        if isinstance(original, sqlite3.OperationalError):
            return "locked" in str(original) or "busy" in str(original)
        pgcode = getattr(original, "pgcode", None)
        if pgcode is not None:
            # 40001 serialization failure, 40P01 deadlock, 57P01 admin shutdown (pg_terminate_backend),
            # 08xxx connection exceptions, 53300 too many connections.
            return pgcode in ("40001", "40P01", "57P01", "57P02", "57P03", "53300") or pgcode.startswith("08")
        return isinstance(error, (exc.OperationalError, exc.InterfaceError))
    return isinstance(error, (ConnectionError, TimeoutError))


def is_row_refusal(error: BaseException) -> bool:
    """The database refused a value of some row (too long, out of range, a NUL, NOT NULL): retrying
    the same rows cannot help, but the other rows of the batch can still be stored."""
    if is_transient_db_error(error):
        return False
    if isinstance(error, (exc.DataError, exc.IntegrityError)):
        return True
    # SQLSTATE class 22 (data exception) or 23 (integrity constraint), also from the raw COPY cursor.
    pgcode = getattr(getattr(error, "orig", error), "pgcode", None)
    if pgcode and pgcode[:2] in ("22", "23"):
        return True
    # psycopg2 refuses a NUL in a string before sending it (ValueError, wrapped by SQLAlchemy).
    return isinstance(error, exc.StatementError) and isinstance(getattr(error, "orig", None), ValueError)
