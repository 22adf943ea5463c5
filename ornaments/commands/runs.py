"""scrapy runs [--vendor V] [--limit N]: recent sync runs, how they ended and why, and the trend the
removal guard watches: each run's live products in its scope (live) and the largest of its window (max).
scrapy runs --apply-removals RUN_ID: remove what a run's removal guard held back.

Listing first marks runs whose process is gone as abandoned (see ornaments.storage.runs).
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import count, one_line_refusals, record_id
from ornaments.commands.failures import exit_on_database_errors, no_runs_found
from ornaments.retry import RetryPolicy
from ornaments.runs.config import abandoned_after
from ornaments.storage import CatalogStore
from ornaments.storage.runs import ApplyRefused

HEADER = f"{'run':>6}  {'vendor':<18} {'status':<10} {'started (UTC)':<19} {'took':>7}  " \
         f"{'new':>6} {'upd':>6} {'same':>6} {'rem':>6} {'drop':>5} {'err':>4} {'held':>5} {'live':>6} {'max':>6}  why"


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--vendor V] [--limit N] | --apply-removals RUN_ID"

    def short_desc(self) -> str:
        return "List recent sync runs, or apply the removals a run's removal guard held back"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "runs")
        parser.add_argument("--vendor", help="only this vendor's runs")
        parser.add_argument("--limit", type=count, default=20, help="how many runs (default 20)")
        parser.add_argument("--apply-removals", type=record_id, metavar="RUN_ID",
                            help="mark removed the products RUN_ID held back, unless a newer run saw them")

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        bound = abandoned_after(self.settings)
        store = CatalogStore(self.settings.get("DATABASE_URL"), retry=RetryPolicy(attempts=2, backoff=0.5))
        try:
            if opts.apply_removals is not None:
                try:
                    removed, kept = store.runs.apply_removals(opts.apply_removals, bound)
                except ApplyRefused as exc:
                    raise UsageError(f"Not applied: {exc}.", print_help=False) from None
                print(f"Run {opts.apply_removals}: {removed} products marked removed"
                      + (f"; {kept} kept, because a newer run has seen them" if kept else "") + ".")
                return
            runs = store.runs.latest(bound, opts.vendor, max(1, opts.limit))
        finally:
            store.close()
        if not runs:
            raise UsageError(no_runs_found(opts), print_help=False)
        print(HEADER)
        for run in runs:
            print(format_run(run))


def format_run(run) -> str:
    took = "-" if run.finished_at is None else _duration(run.finished_at - run.started_at)
    reasons = json.loads(run.reasons or "[]")
    details = json.loads(run.details or "{}")
    why = reasons[0] if reasons else ""
    if len(reasons) > 1:
        why += f" (+{len(reasons) - 1} more)"
    if "removals_applied" in details:
        why = f"removals applied by hand ({details['removals_applied']['removed']}); " + why
    live = "-" if run.scope_live is None else run.scope_live
    window = (details.get("removal") or {}).get("window") or {}
    if run.mode == "year":  # live and max are the year's
        why = f"year {run.scope_year}" + (f"; {why}" if why else "")
    return (f"{run.id:>6}  {run.vendor[:18]:<18} {run.status:<10} {run.started_at:%Y-%m-%d %H:%M:%S} {took:>7}  "
            f"{run.items_new:>6} {run.items_updated:>6} {run.items_unchanged:>6} {run.items_removed:>6} "
            f"{run.items_dropped:>5} {run.errors:>4} {run.held_back_removals:>5} {live:>6} "
            f"{window.get('max_live', '-'):>6}  {why}").rstrip()


def _duration(elapsed: timedelta) -> str:
    seconds = int(elapsed.total_seconds())
    if seconds < 60:
        return f"{elapsed.total_seconds():.1f}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
