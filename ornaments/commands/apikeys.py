"""scrapy apikeys create --name N [--write] [--source VENDOR] | list | revoke NAME_OR_ID: the HTTP API's keys.

A key is printed once, when it is made; the database keeps only its sha256. --write lets the key
upload feeds (POST /imports); without it the key can only read. --source names the vendor the key's
uploads are stored under when an upload names none (its `vendor` field).
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import check_action, one_line_refusals
from ornaments.commands.failures import exit_on_database_errors
from ornaments.api import keys
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine

ACTIONS = ("create", "list", "revoke")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "create --name NAME [--write] [--source VENDOR] | list | revoke NAME_OR_ID"

    def short_desc(self) -> str:
        return "Create, list or revoke API keys of the HTTP API"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "apikeys")
        parser.add_argument("--name", help="who or what the key is for (create)")
        parser.add_argument("--write", action="store_true", help="the key may also upload feeds (create)")
        parser.add_argument("--source", help="the vendor the key's uploads are stored under when they name none (create)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_action(args, ACTIONS)

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        engine = create_catalog_engine(self.settings.get("DATABASE_URL"))
        try:
            migrate.upgrade(engine)
            with engine.begin() as conn:
                getattr(self, f"_{args[0]}")(conn, args[1:], opts)
        finally:
            engine.dispose()

    def _create(self, conn, args: list[str], opts: argparse.Namespace) -> None:
        name = (opts.name or "").strip()
        if not name or len(name) > 100:
            raise UsageError("create needs --name NAME (at most 100 characters)", print_help=False)
        source = opts.source
        if source is not None and not VENDOR_NAME.match(source):
            raise UsageError(f"--source must be {VENDOR_NAME_RULE}, not {source!r}", print_help=False)
        key_id, key = keys.create_key(conn, name, write=opts.write, source=source)
        print(f"API key {key_id} ({name}, {'read,write' if opts.write else 'read'}"
              f"{f', uploads as {source}' if source else ''}); shown this once, keep it:")
        print(key)

    def _list(self, conn, args: list[str], opts: argparse.Namespace) -> None:
        print(f"{'id':>4}  {'name':<24} {'scopes':<11} {'source':<16} {'prefix':<11} {'created (UTC)':<16}  "
              f"{'last used':<16}  revoked")
        for row in keys.list_keys(conn):
            print(f"{row.id:>4}  {row.name[:24]:<24} {row.scopes:<11} {(row.default_source or '-')[:16]:<16} "
                  f"{row.prefix + '…':<11} {row.created_at:%Y-%m-%d %H:%M}  {_when(row.last_used_at):<16}  "
                  f"{_when(row.revoked_at)}")

    def _revoke(self, conn, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("revoke needs the key's name or id: `scrapy apikeys revoke NAME_OR_ID`", print_help=False)
        count = keys.revoke_key(conn, args[0])
        if not count:
            raise UsageError(f"No live API key named {args[0]!r} or with that id.", print_help=False)
        print(f"Revoked {count} key{'s' if count > 1 else ''}.")


def _when(moment) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"
