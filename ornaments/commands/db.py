"""scrapy db current|upgrade: the database schema's Alembic revision, and bringing it to head.

    scrapy db current     the revision the database is at, and the code's head
    scrapy db upgrade     create or upgrade the tables now (crawls create a new database, but refuse an old
                          one unless ORNAMENTS_DB_AUTO_UPGRADE=1)

DATABASE_URL selects the database, as for crawls.
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.failures import exit_on_database_errors
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "current|upgrade"

    def short_desc(self) -> str:
        return "Show the database schema revision, or upgrade the database to the code's schema"

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] not in ("current", "upgrade"):
            raise UsageError("Say `scrapy db current` or `scrapy db upgrade`.")
        engine = create_catalog_engine(self.settings.get("DATABASE_URL"))
        print(f"database: {engine.url.render_as_string(hide_password=True)}")
        try:
            if args[0] == "upgrade":
                before = _state(*migrate.describe(engine))
                migrate.upgrade(engine)
                print(f"upgraded from: {before}")
            current, has_tables = migrate.describe(engine)
        finally:
            engine.dispose()
        head = migrate.head_revision()
        print(f"current: {_state(current, has_tables)}")
        print(f"head: {head}")
        if current != head:
            print("run `scrapy db upgrade` to bring the database to head (crawls refuse it until then)")
            self.exitcode = 1


def _state(current: str | None, has_tables: bool) -> str:
    if current is not None:
        return current
    if has_tables:
        return f"none (tables made before migrations; they are revision {migrate.BASELINE})"
    return "none (no tables yet)"
