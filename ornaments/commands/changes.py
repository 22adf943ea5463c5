"""scrapy changes: what a sync run changed, or the change events after a cursor.

    scrapy changes [--run N] [--vendor V]                  what a run changed (default: the latest run)
    scrapy changes --since CURSOR [--vendor V] [--types a,b] [--format jsonl|json|csv] [--output FILE|URI]
                                                           the events after CURSOR (an event id or an ISO time);
                                                           the cursor to continue from goes to stderr:
                                                           `cursor: 1234`
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import count, one_line_refusals, record_id
from ornaments.commands.failures import exit_on_database_errors, no_runs_found
from ornaments.events.export import FORMATS, parse_since, write_to
from ornaments.events.feed import parse_types
from ornaments.retry import one_line
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.report import format_changes, run_changes


def output_errors() -> tuple[type[BaseException], ...]:
    """What writing to --output can meet that a person fixes (credentials, a bucket, a folder), not a bug;
    botocore is imported only when a write failed."""
    from botocore.exceptions import BotoCoreError, ClientError
    return OSError, BotoCoreError, ClientError


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Print what a sync run changed (default: the latest run), or the change events after a cursor"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "changes")
        parser.add_argument("--run", type=record_id, help="the sync_runs id (default: the latest)")
        parser.add_argument("--vendor", help="the latest run of this vendor; with --since: comma-separated vendors")
        parser.add_argument("--since", help="an event id or an ISO time: write the events after it")
        parser.add_argument("--types", help="with --since: comma-separated event types (default: all)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="jsonl", help="with --since (default jsonl)")
        parser.add_argument("--output", help="with --since: a file or a feed storage URI (default: stdout)")
        parser.add_argument("--limit", type=count, help="with --since: at most this many events")

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        engine = create_catalog_engine(self.settings.get("DATABASE_URL"))
        try:
            if opts.since is not None:
                self.run_feed(engine, opts)
                return
            if opts.types or opts.output or opts.limit:
                raise UsageError("--types, --output and --limit go with --since", print_help=False)
            report = run_changes(engine, opts.run, opts.vendor)
        finally:
            engine.dispose()
        if report is None:
            raise UsageError(no_runs_found(opts), print_help=False)
        print(format_changes(report))

    def run_feed(self, engine, opts: argparse.Namespace) -> None:
        if opts.run is not None:
            raise UsageError("--run and --since do not go together", print_help=False)
        try:
            cursor = parse_since(opts.since)
            types = parse_types(opts.types)
            vendors = [v.strip() for v in (opts.vendor or "").split(",") if v.strip()] or None
            count, next_cursor = write_to(engine, opts.output, self.settings, cursor, opts.format, types, vendors,
                                          opts.limit)
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        except output_errors() as exc:  # no credentials, no bucket, a folder we may not write: one line
            print(f"scrapy changes: cannot write the events to {opts.output}: {one_line(exc)}", file=sys.stderr)
            raise SystemExit(1) from None
        print(f"{count} events; cursor: {next_cursor}", file=sys.stderr)
