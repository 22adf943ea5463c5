"""`scrapy crawl` whose exit status says how the sync ended (ornaments.runs.status.EXIT_CODES):

    0 finished or partial   2 a wrong spider name or -a value   3 suspect   4 incomplete
    5 failed (also: database unreachable or refusing us, DATABASE_URL unusable)   6 cancelled

A wrong spider name, -a value or DATABASE_URL is said in one line on stderr, never as a traceback.
A crawl that records no run status (storage switched off) exits as Scrapy's own command does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from twisted.internet.defer import Deferred

from ornaments import settings as project_settings
from ornaments.commands.failures import DATABASE_EXIT, database_url_problem
from ornaments.env import USAGE_EXIT, SettingError, normalize_overrides, setting_flag
from ornaments.runs.status import EXIT_CODES
from ornaments.scrapy_compat import command_crawler

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Before Scrapy starts (and logs its start): a wrong spider name, -a value or DATABASE_URL is
        said in one line, and the command exits."""
        super().process_options(args, opts)
        try:  # -s NAME=value of a number or yes/no setting
            normalize_overrides(self.settings, vars(project_settings))
        except SettingError as exc:
            _exit(str(exc), USAGE_EXIT)
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl <spider>")
        loader = get_spider_loader(self.settings)
        names = sorted(loader.list())
        if args[0] not in names:
            _exit(f"no spider named {args[0]!r}; the spiders are: {', '.join(names)}", USAGE_EXIT)
        try:  # the spider's arguments, checked by making it once without a crawler (it does nothing else)
            loader.load(args[0])(**opts.spargs)
        except UsageError as exc:
            _exit(str(exc), USAGE_EXIT)
        except Exception:  # noqa: BLE001  anything else shows itself, with its traceback, in the crawl
            pass
        if setting_flag(self.settings, "ORNAMENTS_STORAGE_ENABLED"):
            problem = database_url_problem(self.settings.get("DATABASE_URL"))
            if problem is not None:
                _exit(problem, DATABASE_EXIT)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process
        crawler = command_crawler(self, args[0])  # kept, to read the run status once it has ended
        usage_errors: list[str] = []
        _keep_usage_errors(self.crawler_process.crawl(crawler, **opts.spargs), usage_errors)
        self.crawler_process.start()
        late_usage_error = _stat(crawler, "ornaments/usage_error")
        if usage_errors or late_usage_error:  # a wrong -a value: said in one line, not in a traceback
            self._fail((usage_errors or [late_usage_error])[0], USAGE_EXIT)
            return
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        status = _stat(crawler, "ornaments/run_status")
        if status is not None:
            self.exitcode = EXIT_CODES.get(status, 1)

    def _fail(self, line: str, code: int) -> None:
        print(f"scrapy crawl: {line}", file=sys.stderr)
        self.exitcode = code


def _exit(line: str, code: int) -> None:
    print(f"scrapy crawl: {line}", file=sys.stderr)
    raise SystemExit(code)


def _stat(crawler, name: str):
    try:
        return crawler.stats.get_value(name) if crawler.stats else None
    except RuntimeError:  # Scrapy 2.19: no stats, because the crawl never started (its spider refused)
        return None


def _keep_usage_errors(started, usage_errors: list[str]) -> None:
    """A spider that refuses its arguments raises UsageError while it is made, inside the crawl's task:
    its message is kept for one line at the end, and the error counts as handled (no traceback)."""
    def take(error: BaseException | None) -> bool:
        if isinstance(error, UsageError):
            usage_errors.append(str(error))
            return True
        return False

    if isinstance(started, asyncio.Future):
        def done(task: asyncio.Future) -> None:
            if not task.cancelled() and take(task.exception()):
                return
            if not task.cancelled() and task.exception() is not None:
                # Not an argument error: a bug, whose traceback asyncio would print; print it ourselves.
                logger.error("The crawl could not start", exc_info=task.exception())
        started.add_done_callback(done)
    elif isinstance(started, Deferred):
        started.addErrback(lambda failure: None if take(failure.value) else failure)
