"""scrapy s3events: the HTTP endpoint for S3 "object created" notifications (ornaments.sources.s3_events).

    ORNAMENTS_S3_EVENTS_SECRET=... scrapy s3events --port 8081 [--host 0.0.0.0] [--node http://a:6800 ...]
                                                   [--file schedules.toml] [--project ornaments]

Events are matched with the s3_drop entries of the schedule file; runs go to Scrapyd (credentials:
SCRAPYD_USERNAME, SCRAPYD_PASSWORD); the task table is in DATABASE_URL. Ctrl-C or SIGTERM stops it.
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging

from ornaments.commands.arguments import one_line_refusals, port, tries
from ornaments.commands.failures import exit_on_database_errors
from ornaments.retry import RetryPolicy
from ornaments.scheduling.client import DEFAULT_NODE, ScrapydClient, scrapyd_credentials, scrapyd_nodes
from ornaments.scheduling.schedule import ScheduleError, load_schedule
from ornaments.storage.engine import database_retry_policy
from ornaments.storage.feed_files import FeedFiles


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Serve the endpoint that turns S3 object-created events into s3_drop runs on Scrapyd"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "s3events")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
        parser.add_argument("--port", type=port, default=8081, help="port to listen on (default: %(default)s)")
        parser.add_argument("--file", help="schedule file whose s3_drop entries say which folder is whose "
                                           "(default: the ORNAMENTS_SCHEDULES setting, else the packaged one)")
        parser.add_argument("--node", action="append", default=[],
                            help=f"Scrapyd URL, tried in order; repeat for several (default: the SCRAPYD_NODES "
                                 f"setting, comma-separated, else {DEFAULT_NODE})")
        parser.add_argument("--project", help="the Scrapyd project (default: the SCRAPYD_PROJECT setting)")
        parser.add_argument("--timeout", type=float, default=10.0, help="HTTP timeout per Scrapyd call")
        parser.add_argument("--retries", type=tries, default=3, help="tries per Scrapyd call, with backoff")

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        import uvicorn

        # FastAPI only when the receiver runs: Scrapy loads this module at the start of every command.
        from ornaments.sources.s3_events import EventsConfig, create_app

        secret = self.settings.get("ORNAMENTS_S3_EVENTS_SECRET") or ""
        if len(secret) < 16:
            raise UsageError("set ORNAMENTS_S3_EVENTS_SECRET (at least 16 characters) in the environment: "
                             "senders give it as 'Authorization: Bearer <secret>'", print_help=False)
        try:
            routes = EventsConfig.routes_of(load_schedule(opts.file or self.settings.get("ORNAMENTS_SCHEDULES")))
        except ScheduleError as exc:
            raise UsageError(str(exc), print_help=False) from None
        if not routes:
            raise UsageError("the schedule file has no enabled s3_drop entry with args.source: no event "
                             "could be matched with a drop folder", print_help=False)
        urls = opts.node or scrapyd_nodes(self.settings) or [DEFAULT_NODE]
        policy = RetryPolicy(attempts=max(1, opts.retries), backoff=0.5, max_backoff=5.0)
        auth = scrapyd_credentials(self.settings)
        nodes = [ScrapydClient(url, auth=auth, timeout=opts.timeout, retry=policy) for url in urls]
        configure_logging(self.settings)
        tasks = FeedFiles(self.settings.get("DATABASE_URL"), database_retry_policy(self.settings))
        tasks.create_tables()
        project = opts.project or self.settings.get("SCRAPYD_PROJECT")
        app = create_app(EventsConfig(secret, routes, nodes, project), tasks)
        try:
            uvicorn.run(app, host=opts.host, port=opts.port, log_level="info", access_log=False)
        finally:
            tasks.close()
