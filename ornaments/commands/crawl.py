"""`scrapy crawl` whose exit status says how the sync ended (ornaments.runs.status.EXIT_CODES):

    0 finished or partial   3 suspect   4 incomplete   5 failed (also: database unreachable)   6 cancelled

A crawl that records no run status (storage switched off) exits as Scrapy's own command does.
"""

from __future__ import annotations

import argparse
import logging

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ornaments.runs.status import EXIT_CODES

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl <spider>")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])  # kept, to read the run status once it has ended
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        status = crawler.stats.get_value("ornaments/run_status") if crawler.stats else None
        if status is not None:
            self.exitcode = EXIT_CODES.get(status, 1)
