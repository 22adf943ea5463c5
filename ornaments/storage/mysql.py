"""MariaDB and MySQL: the session every connection gets, which errors pass, and the locks.

The driver is PyMySQL (pure Python: no C compiler or client headers on the host; docs/databases.md).
Every connection is set up the same way, whatever the server's my.cnf says:
- READ COMMITTED, as on PostgreSQL: a batch that waited on a row sees the row the other run committed,
  and InnoDB takes no gap locks (fewer deadlocks between two runs of one vendor);
- strict SQL mode: a value the column cannot hold is an error for that row, never a silent truncation;
- utf8mb4 on the wire and time_zone UTC: timestamps are stored as UTC in DATETIME(6);
- TCP keepalives, so a dead server is noticed in about 25 s instead of a hang on a half-open socket.
The SQL the storage modules send to MySQL works on MySQL 8 too: no RETURNING (MariaDB has it for INSERT,
MySQL does not; the dialect's flag is switched off so MariaDB runs the same statements as MySQL).
"""

from __future__ import annotations

import socket
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event

SQL_MODE = "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
ISOLATION = "READ COMMITTED"
# Server error codes worth a retry on a new connection: deadlock, lock wait timeout, too many connections,
# a server shutting down, a killed connection or statement (KILL), and the client's lost-connection errors.
TRANSIENT_CODES = frozenset({1213, 1205, 1040, 1053, 1077, 1078, 1079, 1080, 1152, 1153, 1154, 1155, 1156, 1157,
                             1158, 1159, 1160, 1161, 1317, 1927, 2002, 2003, 2006, 2013, 2014, 2045, 2055, 4031})
# A value the column cannot hold (strict mode): too long, out of range, a wrong date, a string the
# character set cannot store, NULL in NOT NULL, a duplicate or dangling key. The other rows can go in.
ROW_REFUSAL_CODES = frozenset({1048, 1062, 1264, 1265, 1292, 1366, 1367, 1406, 1452, 3140})
# Codes that say a statement named a table or column the database lacks (an older schema).
UNDEFINED_CODES = frozenset({1146, 1054})
# The session lock the migrations hold (GET_LOCK: DDL commits implicitly, so no transaction could hold it).
MIGRATION_LOCK = "ornaments.migrations"
MIGRATION_LOCK_SECONDS = 600


def is_mysql(dialect_or_conn) -> bool:
    dialect = getattr(dialect_or_conn, "dialect", dialect_or_conn)
    return dialect.name in ("mysql", "mariadb")


def connect_args(url: sa.URL) -> dict:
    from pymysql import converters  # here: only a MySQL URL needs the driver installed
    encoders = dict(converters.conversions)
    encoders[datetime] = _utc_datetime
    args: dict = {"connect_timeout": 10, "conv": encoders}
    if "charset" not in url.query:
        args["charset"] = "utf8mb4"
    return args


def _utc_datetime(value: datetime, mapping=None) -> str:
    """A datetime as the UTC wall time DATETIME(6) stores: PyMySQL would drop an offset unconverted."""
    from pymysql import converters
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return converters.escape_datetime(value, mapping)


def prepare(engine: sa.Engine) -> None:
    """The session settings of every new connection (see the module's doc)."""
    @event.listens_for(engine, "connect")
    def _session(dbapi_connection, _record):
        engine.dialect.insert_returning = False  # as on MySQL 8 (set after the dialect looked at the server)
        engine.dialect.insert_executemany_returning = False
        _keepalive(dbapi_connection)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION sql_mode = '{SQL_MODE}', time_zone = '+00:00'")
        finally:
            cursor.close()


def _keepalive(dbapi_connection) -> None:
    sock = getattr(dbapi_connection, "_sock", None)  # PyMySQL's socket
    if sock is None:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for option, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 3)):
        if hasattr(socket, option):
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


def error_code(error: BaseException) -> int | None:
    """The server's (or PyMySQL's) numeric error code, if error is a MySQL error."""
    original = getattr(error, "orig", error)
    if type(original).__module__.split(".")[0] != "pymysql":
        return None
    args = getattr(original, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def error_message(error: BaseException) -> str | None:
    """The server's words without the (code, "...") tuple around them."""
    original = getattr(error, "orig", error)
    args = getattr(original, "args", ())
    if error_code(error) is not None and len(args) > 1:
        return str(args[1])
    return None


def transaction_lock(conn: sa.Connection, name: str) -> None:
    """A lock held until the caller's transaction commits or rolls back, like pg_advisory_xact_lock: a row
    lock on `name` in transaction_locks (the row is made on first use). GET_LOCK would be held by the
    session past COMMIT, and InnoDB's deadlock detector does not see it; a row lock it does see (a
    deadlock is an error 1213, retried), and a lost connection releases it with the transaction."""
    conn.execute(sa.text("INSERT INTO transaction_locks (name) VALUES (:name) ON DUPLICATE KEY UPDATE name = name"),
                 {"name": name[:191]})


def migration_lock(conn: sa.Connection) -> None:
    """GET_LOCK for the migrations: held by the session across DDL's implicit commits; released when
    the connection ends (release_migration_lock does it earlier)."""
    got = conn.execute(sa.text("SELECT GET_LOCK(:name, :seconds)"),
                       {"name": MIGRATION_LOCK, "seconds": MIGRATION_LOCK_SECONDS}).scalar()
    if got != 1:
        raise TimeoutError(f"another process held the migration lock for {MIGRATION_LOCK_SECONDS} s")


def release_migration_lock(conn: sa.Connection) -> None:
    try:
        conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": MIGRATION_LOCK})
        conn.commit()
    except sa.exc.DBAPIError:
        pass  # the connection is gone, and the lock with it
