"""scrapy changes [--run N] [--vendor V]: print what a sync run changed."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.report import format_changes, run_changes


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Print what a sync run changed (default: the latest run)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--run", type=int, help="the sync_runs id (default: the latest)")
        parser.add_argument("--vendor", help="the latest run of this vendor")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        engine = create_catalog_engine(self.settings.get("DATABASE_URL"))
        try:
            report = run_changes(engine, opts.run, opts.vendor)
        finally:
            engine.dispose()
        if report is None:
            raise UsageError("No sync run found; run `scrapy crawl <vendor>` first.", print_help=False)
        print(format_changes(report))
