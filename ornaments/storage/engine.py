"""Engines that survive flaky hosts: pre-ping, keepalives, timeouts, and a test for transient errors."""

from __future__ import annotations

import logging
import sqlite3

import sqlalchemy as sa
from sqlalchemy import event, exc

from ornaments.retry import RetryPolicy, call_with_retries, one_line
from ornaments.storage import mysql

logger = logging.getLogger(__name__)

# What a server says when it is up and refuses us for good: a wrong password, a database or role that does
# not exist, no pg_hba.conf line for us. No retry changes that; a person has to.
_REFUSALS = ("password authentication failed", "no password supplied", "does not exist", "no pg_hba.conf entry",
             "authentication failed", "permission denied for database", "does not have connect privilege",
             "access denied for user", "unknown database",
             "unable to open database file")  # SQLite: its folder is missing or not ours


def create_catalog_engine(url: str) -> sa.Engine:
    parsed = with_shipped_driver(sa.make_url(url))
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 60}, pool_pre_ping=True)
        _begin_immediate(engine)
        return engine
    if mysql.is_mysql(parsed.get_dialect()):
        engine = sa.create_engine(parsed, pool_pre_ping=True, pool_recycle=1800, isolation_level=mysql.ISOLATION,
                                  connect_args=mysql.connect_args(parsed))
        mysql.prepare(engine)
        return engine
    connect_args = {}
    if parsed.get_driver_name() == "psycopg2":
        # TCP keepalives notice a dead server in seconds instead of hanging on a half-open socket.
        connect_args = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 10,
                        "keepalives_interval": 5, "keepalives_count": 3,
                        "application_name": "ornaments"}
    return sa.create_engine(parsed, pool_pre_ping=True, pool_recycle=1800, connect_args=connect_args,
                            executemany_mode="values_plus_batch")


def with_shipped_driver(parsed: sa.URL) -> sa.URL:
    """postgresql:// means psycopg2, mysql:// and mariadb:// PyMySQL: the drivers the project ships
    (SQLAlchemy would look for psycopg 3 and mysqlclient)."""
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg2")
    if parsed.drivername in ("mysql", "mariadb"):
        return parsed.set(drivername=f"{parsed.drivername}+pymysql")
    return parsed


def database_retry_policy(settings) -> RetryPolicy:
    """How long one database operation (a batch, the run record) is retried: for
    ORNAMENTS_DB_RETRY_SECONDS (a restart or failover costs time, not data), at most
    ORNAMENTS_DB_MAX_BACKOFF seconds apart; ORNAMENTS_DB_RETRIES > 0 also caps the number of tries.

    settings: the project's (each default is in ornaments/settings.py). Read with Scrapy's own getters, not
    ornaments.env's: the storage worker process imports this module, and must not import Scrapy."""
    tries = settings.getint("ORNAMENTS_DB_RETRIES")
    return RetryPolicy(attempts=tries if tries > 0 else None,
                       backoff=settings.getfloat("ORNAMENTS_DB_BACKOFF"),
                       max_backoff=settings.getfloat("ORNAMENTS_DB_MAX_BACKOFF"),
                       seconds=max(0.0, settings.getfloat("ORNAMENTS_DB_RETRY_SECONDS")))


def _begin_immediate(engine: sa.Engine) -> None:
    """SQLite: take the write lock when a transaction starts, so two runs queue instead of deadlocking."""
    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _immediate(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_transient_db_error(error: BaseException) -> bool:
    """Errors worth a retry on a new connection: lost connections, deadlocks, a locked SQLite file.
    A refused login (connection_refusal) is not one."""
    if connection_refusal(error) is not None:
        return False
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
        code = mysql.error_code(error)
        if code is not None:
            return code in mysql.TRANSIENT_CODES
        return isinstance(error, (exc.OperationalError, exc.InterfaceError))
    if mysql.error_code(error) is not None:  # PyMySQL's own error, from a raw cursor
        return mysql.error_code(error) in mysql.TRANSIENT_CODES
    return isinstance(error, (ConnectionError, TimeoutError))


def with_db_retries(func, policy: RetryPolicy, what: str, on_retry=None):
    """func(), called again on a new connection after a passing database fault (is_transient_db_error),
    as often and as long as policy allows: the one retry helper of the storage modules."""
    return call_with_retries(func, policy, is_transient_db_error, what, on_retry=on_retry)


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
    if mysql.error_code(error) in mysql.ROW_REFUSAL_CODES:
        return True
    # psycopg2 refuses a NUL in a string before sending it (ValueError, wrapped by SQLAlchemy).
    return isinstance(error, exc.StatementError) and isinstance(getattr(error, "orig", None), ValueError)


def connection_refusal(error: BaseException) -> str | None:
    """Why the server refused the connection for good (wrong password, no such database or role), in the
    server's own words and one line; None for any other error. The server never quotes the password."""
    original = getattr(error, "orig", error)
    if not isinstance(error, (exc.OperationalError, exc.InterfaceError)) and type(original).__name__ not in (
            "OperationalError", "InterfaceError"):  # the driver's own error, not wrapped by SQLAlchemy
        return None
    if getattr(original, "pgcode", None):  # an error inside a session, not at the login
        return None
    text = str(original)
    lowered = text.lower()
    if not any(refusal in lowered for refusal in _REFUSALS):
        return None
    if mysql.error_message(error):  # PyMySQL: (1049, "Unknown database 'x'")
        return " ".join(mysql.error_message(error).split())
    # psycopg2: 'connection to server at "h", port 5432 failed: FATAL:  database "x" does not exist'
    reason = text.split("FATAL:", 1)[-1] if "FATAL:" in text else text.split(" failed: ", 1)[-1]
    return " ".join(reason.split()) or one_line(error)


def database_location(url: str | sa.URL) -> str:
    """host:port of a server (what a person checks first), or the SQLite file."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    port = parsed.port or {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}.get(parsed.get_backend_name(), "")
    return f"{parsed.host or 'localhost'}:{port}"


class DatabaseNotReady(Exception):
    """The server did not answer within ORNAMENTS_DB_START_WAIT (wait_for_database)."""


def database_error_line(error: BaseException, url: str | sa.URL) -> str:
    """A database error for a person, in one line, without the password even if a driver quoted it."""
    parsed = sa.make_url(url)
    where = parsed.render_as_string(hide_password=True)
    refusal = connection_refusal(error)
    if isinstance(error, DatabaseNotReady):
        line = f"the database at {where} {error}"
    elif refusal is not None and parsed.get_backend_name() == "sqlite":
        line = f"the database file {parsed.database} cannot be opened: {refusal}"
    elif refusal is not None:
        line = f"the database at {where} refused the connection: {refusal}"
    elif is_unknown_host(error):
        line = f"the database at {where} could not be reached: its host name {parsed.host} does not resolve"
    else:
        line = f"the database at {where} could not be reached ({_why_unreachable(error)})"
    return line.replace(str(parsed.password), "***") if parsed.password else line


# The resolver's final answer that a host name does not exist (a typo in DATABASE_URL), unlike its
# "Temporary failure in name resolution", which may pass.
_UNKNOWN_HOST = ("name or service not known", "nodename nor servname provided", "no such host is known",
                 "no address associated with hostname")


def is_unknown_host(error: BaseException) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    asked = "could not translate host name" in text or "can't connect to" in text  # psycopg2, PyMySQL
    return asked and any(answer in text for answer in _UNKNOWN_HOST)


def wait_for_database(engine: sa.Engine, seconds: float, retry_log_level: int = logging.DEBUG) -> None:
    """Connect once, waiting up to `seconds` for a server that is not up yet (started by the same boot
    script, say) with ONE "waiting for the database at host:port" line. A refused login fails at once;
    anything else still failing when the time is up is raised. SQLite has no server to wait for."""
    if engine.dialect.name == "sqlite":
        return
    announced: list[bool] = []

    def announce(error: BaseException) -> None:
        if not announced:
            announced.append(True)
            logger.warning("waiting for the database at %s (up to %gs, ORNAMENTS_DB_START_WAIT): %s",
                           database_location(engine.url), seconds, _why_unreachable(error))

    def connect_once() -> None:
        engine.connect().close()

    policy = RetryPolicy(attempts=None, backoff=0.5, max_backoff=5.0, seconds=max(0.0, seconds))
    def worth_waiting(error: BaseException) -> bool:  # a host name that does not exist will not appear
        return is_transient_db_error(error) and not is_unknown_host(error)

    try:
        call_with_retries(connect_once, policy, worth_waiting, "connecting to the database",
                          on_retry=announce, log_level=retry_log_level)
    except Exception as error:
        if not worth_waiting(error):
            raise
        raise DatabaseNotReady(f"could not be reached within {seconds:g}s ({_why_unreachable(error)})") from error
    if announced:
        logger.info("the database at %s answers", database_location(engine.url))


def _why_unreachable(error: BaseException) -> str:
    """The driver's reason without the statement or the "connection to server at" preamble."""
    original = getattr(error, "orig", None) or error
    lines = (mysql.error_message(error) or str(original)).strip().splitlines()
    reason = lines[0].split(" failed: ", 1)[-1].strip()[:200] if lines else ""
    return f"{type(original).__name__}: {reason}" if reason else type(original).__name__


# A table or column the code expects is missing: a new database never upgraded, or an older schema.
# PostgreSQL 42P01/42703, MySQL 1146/1054, SQLite's words.
_UNDEFINED_CODES = ("42P01", "42703", *mysql.UNDEFINED_CODES)
_UNDEFINED_WORDS = ("no such table", "no such column")


def schema_missing(error: BaseException) -> str | None:
    """The database's own words when the statement named a table or column it lacks; None otherwise."""
    original = getattr(error, "orig", None)
    if not isinstance(error, exc.DBAPIError) or original is None:
        return None
    code = getattr(original, "pgcode", None) or (getattr(original, "args", None) or [None])[0]
    text = " ".join(str(original).split())
    if code in _UNDEFINED_CODES or any(words in text.lower() for words in _UNDEFINED_WORDS):
        return text.split(" LINE ", 1)[0][:160]
    return None
