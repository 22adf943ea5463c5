"""scrapy db current|upgrade: the database schema's Alembic revision, and bringing it to head.

    scrapy db current     the revision the database is at, and the code's head (exit 1 when behind; a
                          database ahead of the code, migrated by newer code, is refused: exit 5)
    scrapy db upgrade     create or upgrade the tables now (crawls create a new database, but refuse an old
                          one unless ORNAMENTS_DB_AUTO_UPGRADE=1)

DATABASE_URL selects the database, as for crawls.
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import check_action, one_line_refusals
from ornaments.commands.failures import exit_on_database_errors
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine


ACTIONS = ("current", "upgrade")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "|".join(ACTIONS)

    def short_desc(self) -> str:
        return "Show the database schema revision, or upgrade the database to the code's schema"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "db")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_action(args, ACTIONS)
        if len(args) > 1:
            raise UsageError(f"db {args[0]} takes nothing more, not {' '.join(args[1:])[:60]!r}", print_help=False)

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        engine = create_catalog_engine(self.settings.get("DATABASE_URL"))
        try:
            # A database migrated by newer code is refused before anything is said of it: SchemaTooNew,
            # one line and DATABASE_EXIT (exit_on_database_errors). `db current` told the person to run
            # `scrapy db upgrade`, which cannot help: this code needs updating, not the database.
            migrate.check_known(migrate.describe(engine)[0])
            print(f"database: {engine.url.render_as_string(hide_password=True)}")
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
