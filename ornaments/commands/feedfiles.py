"""scrapy feedfiles: the task table of drop folders (feed_files), for the person who looks after failures.

    scrapy feedfiles [--source s3://partner-drop/bestseller/] [--status failed] [--limit 50]
    scrapy feedfiles --retry 42 [--retry 43]    # give failed files their attempts back (after fixing the cause)
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import count, one_line_refusals, record_id
from ornaments.commands.failures import exit_on_database_errors
from ornaments.retry import RetryPolicy
from ornaments.storage.feed_files import STATUSES, FeedFiles


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--source URI] [--status STATUS] [--limit N] [--retry ID ...]"

    def short_desc(self) -> str:
        return "List drop-folder files and what became of them; give failed files another try"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "feedfiles")
        parser.add_argument("--source", help="only this drop folder (as given to -a source)")
        parser.add_argument("--status", choices=STATUSES, help="only files in this state")
        parser.add_argument("--limit", type=count, default=50, help="newest N files (default: %(default)s)")
        parser.add_argument("--retry", type=record_id, action="append", default=[], metavar="ID",
                            help="set a failed file's attempts to 0, so the next run reads it again")

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("no positional arguments")
        # A person waits for the answer: a database that is away is said after a few seconds, not five minutes.
        tasks = FeedFiles(self.settings.get("DATABASE_URL"), RetryPolicy(attempts=3, backoff=0.5))
        try:
            tasks.create_tables()
            if opts.retry:
                retried = tasks.reset_attempts(opts.retry)
                print(f"{retried} of {len(opts.retry)} file(s) will be read again by the next run"
                      + ("" if retried == len(opts.retry) else " (the others are not failed, or were superseded)"))
                if retried != len(opts.retry):
                    self.exitcode = 1
                return
            print(f"{'id':>6} {'status':10} {'tries':>5} {'run':>6} {'last modified':20} key / last error")
            for row in tasks.files(opts.source, opts.status, opts.limit):
                when = row.last_modified.strftime("%Y-%m-%d %H:%M:%S") if row.last_modified else "-"
                print(f"{row.id:>6} {row.status:10} {row.attempts:>5} {row.run_id or '-':>6} {when:20} "
                      f"s3://{row.source[5:].split('/', 1)[0]}/{row.key}")
                if row.last_error:
                    print(f"{'':>52}{row.last_error[:200]}")
        finally:
            tasks.close()
