"""scrapy schedules list|run: recurring Scrapyd runs from the schedule file.

    scrapy schedules list                       each entry and its next run time
    scrapy schedules run                        the long-running scheduler (Ctrl-C or SIGTERM stops it)
    scrapy schedules run --once                 one tick: fire what is due now, then exit
    scrapy schedules run --node http://a:6800 --node http://b:6800 --state /var/lib/ornaments/schedules.sqlite3
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from datetime import datetime, timezone

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging
from scrapy.utils.project import data_path

from ornaments.commands.arguments import check_action, one_line_refusals, tries
from ornaments.retry import RetryPolicy
from ornaments.scheduling.client import DEFAULT_NODE, ScrapydClient, scrapyd_credentials, scrapyd_nodes
from ornaments.scheduling.schedule import Entry, ScheduleError, load_schedule
from ornaments.scheduling.scheduler import Scheduler
from ornaments.scheduling.state import StateLocked, StateStore

STATE_FILE = "schedules/state.sqlite3"
ACTIONS = ("list", "run")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "list|run [options]"

    def short_desc(self) -> str:
        return "List the recurring schedules, or run the scheduler that posts them to Scrapyd"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "schedules")
        parser.add_argument("--file", help="schedule file (default: the ORNAMENTS_SCHEDULES setting, else the packaged "
                                           "ornaments/schedules.toml)")
        parser.add_argument("--state", help="scheduler state file (default: the ORNAMENTS_SCHEDULER_STATE setting, "
                                            f"else .scrapy/{STATE_FILE} in the project)")
        parser.add_argument("--node", action="append", default=[],
                            help="Scrapyd URL; repeat for several nodes (default: the SCRAPYD_NODES setting, "
                                 f"comma-separated, else {DEFAULT_NODE}). Credentials: SCRAPYD_USERNAME, "
                                 "SCRAPYD_PASSWORD")
        parser.add_argument("--project", help="the Scrapyd project (default: the SCRAPYD_PROJECT setting)")
        parser.add_argument("--once", action="store_true", help="run one tick, then exit")
        parser.add_argument("--interval", type=float, default=30.0,
                            help="longest wait between ticks, in seconds (default: %(default)s)")
        parser.add_argument("--timeout", type=float, default=10.0, help="HTTP timeout per call (default: %(default)s)")
        parser.add_argument("--retries", type=tries, default=3,
                            help="tries per Scrapyd call, with backoff (default: %(default)s)")
        parser.add_argument("--now", help="act as if it were this ISO time (list, or run --once; for tests "
                                          "and catching up by hand)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_action(args, ACTIONS)
        if len(args) > 1:
            raise UsageError(f"schedules {args[0]} takes options only, not {' '.join(args[1:])[:60]!r}",
                             print_help=False)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            entries = load_schedule(opts.file or self.settings.get("ORNAMENTS_SCHEDULES"))
        except ScheduleError as exc:
            raise UsageError(str(exc), print_help=False) from None
        now = _parse_time(opts.now) if opts.now else None
        if now and args[0] == "run" and not opts.once:
            raise UsageError("--now goes with --once (the long-running scheduler follows the clock)")
        if args[0] == "list":
            self.list(entries, opts, now or datetime.now(timezone.utc))
        else:
            self.run_scheduler(entries, opts, now)

    def state_path(self, opts: argparse.Namespace) -> str:
        # data_path: .scrapy/ in the project, which git ignores.
        return (opts.state or self.settings.get("ORNAMENTS_SCHEDULER_STATE")
                or os.path.join(data_path("schedules", createdir=True), "state.sqlite3"))

    def list(self, entries: list[Entry], opts: argparse.Namespace, now: datetime) -> None:
        path = self.state_path(opts)
        state = StateStore(path, lock=False) if os.path.exists(path) else None
        try:
            print(f"{'name':28} {'cron':16} {'next run':26} {'last run (outcome)':40} run")
            for entry in entries:
                record = state.get(entry.name) if state else None
                next_run = entry.next_slot(now).isoformat(timespec="seconds") if entry.enabled else "disabled"
                last = "-"
                if record and record.last_slot:
                    last = f"{record.last_slot.isoformat(timespec='seconds')} ({record.last_outcome})"
                print(f"{entry.name:28} {entry.cron:16} {next_run:26} {last:40} {entry.describe()}")
        finally:
            if state:
                state.close()

    def run_scheduler(self, entries: list[Entry], opts: argparse.Namespace, now: datetime | None) -> None:
        configure_logging(self.settings)
        urls = opts.node or scrapyd_nodes(self.settings) or [DEFAULT_NODE]
        policy = RetryPolicy(attempts=max(1, opts.retries), backoff=0.5, max_backoff=5.0)
        auth = scrapyd_credentials(self.settings)
        nodes = [ScrapydClient(url, auth=auth, timeout=opts.timeout, retry=policy) for url in urls]
        try:
            state = StateStore(self.state_path(opts))
        except StateLocked as exc:
            raise UsageError(str(exc), print_help=False) from None
        try:
            scheduler = Scheduler(entries, nodes, opts.project or self.settings.get("SCRAPYD_PROJECT"), state)
            if opts.once:
                for outcome in scheduler.tick(now):
                    slot = outcome.slot.isoformat(timespec="seconds") if outcome.slot else ""
                    print(f"{outcome.entry} {outcome.action} {slot} {outcome.node or ''} {outcome.job_id or ''}".rstrip())
                return
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            scheduler.run_forever(opts.interval, stop)
        finally:
            state.close()


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: not an ISO time: {text!r}", print_help=False) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
