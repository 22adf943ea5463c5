"""One line, not a traceback, when a command cannot use its database.

A wrong password, a database or role that does not exist, a server that is down, a DATABASE_URL
SQLAlchemy cannot read, or a database whose schema is behind or ahead of the code (migrate.SchemaTooOld,
migrate.SchemaTooNew): the command prints what went wrong in one line (the password masked) and exits
with DATABASE_EXIT (5, as `scrapy crawl` does when the database is unreachable). Any other error is a
bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import sys
from typing import Callable, NoReturn

import sqlalchemy as sa
from scrapy.exceptions import UsageError

from ornaments.env import USAGE_EXIT
from ornaments.storage import migrate
from ornaments.storage.engine import (connection_refusal, database_error_line, is_transient_db_error, schema_missing,
                                      with_shipped_driver)

DATABASE_EXIT = 5


def database_url_problem(url: str | None) -> str | None:
    """Why DATABASE_URL cannot be used, in one line; None when SQLAlchemy can read it and has its driver."""
    if not url:
        return "DATABASE_URL is empty: set it to a database URL such as postgresql+psycopg2://user@host/db"
    try:
        with_shipped_driver(sa.make_url(url)).get_dialect().import_dbapi()
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, ValueError) as exc:
        shown = url
        try:
            shown = sa.make_url(url).render_as_string(hide_password=True)
        except (sa.exc.ArgumentError, ValueError):
            shown = "(not a URL)"
        return f"DATABASE_URL {shown} cannot be used: {' '.join(str(exc).split())[:200]}"
    return None


def exit_on_database_errors(run: Callable) -> Callable:
    """Wraps a command's run(args, opts): database errors a person must fix become one line on stderr,
    and so does a wrong value the command found (a UsageError without help: no run 99999, no such key),
    which Scrapy would print under the command's usage lines."""
    @functools.wraps(run)
    def wrapped(self, args, opts):
        url = self.settings.get("DATABASE_URL")
        problem = database_url_problem(url)
        if problem is not None:
            _fail(problem)
        try:
            return run(self, args, opts)
        except UsageError as exc:
            if exc.print_help or not str(exc):
                raise
            print(f"scrapy {type(self).__module__.rsplit('.', 1)[-1]}: {exc}", file=sys.stderr)
            raise SystemExit(USAGE_EXIT) from None
        except (migrate.SchemaTooOld, migrate.SchemaTooNew) as exc:
            # Their tracebacks before (`scrapy webhooks`, `apikeys`, `feedfiles` on a database made by newer
            # code); the message says what to do: `scrapy db upgrade`, or deploy the newer code.
            cannot_use_database(str(exc))
        except sa.exc.DBAPIError as exc:
            if schema_missing(exc):
                where = sa.make_url(url).render_as_string(hide_password=True)
                cannot_use_database(f"{where} does not have this version's tables ({schema_missing(exc)}); "
                                    "create or update them with `scrapy db upgrade`")
            if connection_refusal(exc) is None and not is_transient_db_error(exc):
                raise
            cannot_use_database(database_error_line(exc, url))
    return wrapped


def no_runs_found(opts) -> str:
    """Why `scrapy runs` or `scrapy changes` has nothing to show, naming the filter that found nothing."""
    if getattr(opts, "run", None) is not None:
        return f"No sync run {opts.run}" + (f" of vendor {opts.vendor!r}" if opts.vendor else "") + "."
    if getattr(opts, "vendor", None):
        return f"No sync run of vendor {opts.vendor!r}; `scrapy runs` lists the runs of every vendor."
    return "No sync run found; run `scrapy crawl <vendor>` first."


def _fail(line: str) -> NoReturn:
    print(line, file=sys.stderr)
    raise SystemExit(DATABASE_EXIT)


def cannot_use_database(why: str) -> NoReturn:
    """One line, "cannot use the database: <why>", and DATABASE_EXIT."""
    _fail(f"cannot use the database: {why}")
