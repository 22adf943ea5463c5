"""scrapy webhooks: endpoints that receive product_events, and the dispatcher that delivers them.

    scrapy webhooks key                                   print a new ORNAMENTS_WEBHOOK_KEY (encrypts secrets)
    scrapy webhooks add URL [--events a,b] [--vendor V]   store an endpoint; prints its secret, once
              [--since EVENT_ID]                          (default: only events from now on; 0: all history)
                                                          --events: types or groups (product, item, link);
                                                          default: every type, those added later too
    scrapy webhooks events ID TYPES                       change an endpoint's types ("all", groups, types)
    scrapy webhooks list                                  endpoints, their state and backlog (never secrets)
    scrapy webhooks remove ID
    scrapy webhooks test ID                               send one signed test message now
    scrapy webhooks deliver [--once]                      the dispatcher (Ctrl-C or SIGTERM stops it)
    scrapy webhooks dead [ID]                             dead letters: the failed batches of paused endpoints
    scrapy webhooks resume ID [--from EVENT_ID]           deliver a paused endpoint's events again now

DATABASE_URL selects the database, as for crawls.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time

import sqlalchemy as sa
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging

from ornaments.commands.arguments import check_action, one_line_refusals, record_id
from ornaments.commands.failures import exit_on_database_errors
from ornaments.events.feed import last_event_id
from ornaments.storage import migrate
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.schema import product_events, webhook_endpoints
from ornaments.webhooks import endpoints
from ornaments.webhooks.config import WebhookConfig
from ornaments.webhooks.signing import SecretBox, SecretKeyError, new_key

ACTIONS = ("key", "add", "list", "remove", "test", "deliver", "dead", "resume", "events")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return f"{'|'.join(ACTIONS)} [URL|ID]"

    def short_desc(self) -> str:
        return "Manage webhook endpoints and deliver change events to them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "webhooks")
        parser.add_argument("--events", help="add: comma-separated event types or groups (product, item, link); "
                                             "default: every type, those a later version adds too")
        parser.add_argument("--vendor", help="add: comma-separated vendors (default: every vendor)")
        parser.add_argument("--since", type=record_id, help="add: deliver the events after this id (default: from now on)")
        parser.add_argument("--from", dest="from_event", type=record_id, help="resume: deliver again from this event id")
        parser.add_argument("--once", action="store_true", help="deliver: one pass, then exit")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_action(args, ACTIONS)

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        action, rest = args[0], args[1:]
        if action == "key":
            print(new_key())
            return
        config = WebhookConfig.from_settings(self.settings)
        engine = create_catalog_engine(config.database_url)
        try:
            # A new database is created; one behind or ahead of the code is refused (SchemaTooOld, SchemaTooNew:
            # one line and DATABASE_EXIT, by exit_on_database_errors).
            migrate.upgrade(engine, allow_upgrade=False)
            getattr(self, f"do_{action}")(engine, config, rest, opts)
        except SecretKeyError as exc:
            raise UsageError(str(exc), print_help=False) from None
        finally:
            engine.dispose()

    # --- actions ------------------------------------------------------------------------------------

    def do_add(self, engine, config, rest, opts) -> None:
        url = _one(rest, "URL")
        try:
            endpoint_id, secret = endpoints.add(engine, SecretBox(config.key), url, opts.events, opts.vendor,
                                                opts.since)
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        print(f"endpoint {endpoint_id} added")
        print(f"secret: {secret}")
        print("Keep the secret now: it is not shown again. The receiver verifies the webhook-signature header with it.")

    def do_list(self, engine, config, rest, opts) -> None:
        rows = endpoints.endpoints(engine)
        if not rows:
            print("No webhook endpoints; add one with `scrapy webhooks add URL`.")
            return
        with engine.connect() as conn:
            latest = last_event_id(conn)
            for row in rows:
                types = endpoints.type_filter(row.event_types)
                waiting = conn.execute(sa.select(sa.func.count()).select_from(product_events).where(
                    product_events.c.id > row.cursor,
                    *([product_events.c.type.in_(types)] if types else []),
                    *([product_events.c.vendor.in_(row.vendors.split(","))] if row.vendors else []))).scalar()
                print(f"{row.id}  {row.status:<6}  {row.url}")
                print(f"    events: {','.join(types) if types else 'all'}  vendors: {row.vendors or 'all'}  cursor: {row.cursor} "
                      f"of {latest}  waiting: {waiting}  failed attempts: {row.failures}")
                if row.next_attempt_at or row.last_error or row.paused_at:
                    print(f"    next attempt: {row.next_attempt_at or '-'}  paused at: {row.paused_at or '-'}  "
                          f"last error: {row.last_error or '-'}")

    def do_events(self, engine, config, rest, opts) -> None:
        if len(rest) != 2:
            raise UsageError("Say `scrapy webhooks events ID TYPES` (TYPES: all, a group such as product or item, "
                             "or comma-separated types).", print_help=False)
        endpoint_id = _id(rest[:1])
        try:
            changed = endpoints.set_types(engine, endpoint_id, rest[1])
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        if not changed:
            raise UsageError(f"No webhook endpoint {endpoint_id}.", print_help=False)
        print(f"endpoint {endpoint_id} now gets {rest[1]} events, from its cursor on")

    def do_remove(self, engine, config, rest, opts) -> None:
        endpoint_id = _id(rest)
        if not endpoints.remove(engine, endpoint_id):
            raise UsageError(f"No webhook endpoint {endpoint_id}.", print_help=False)
        print(f"endpoint {endpoint_id} removed")

    def do_test(self, engine, config, rest, opts) -> None:
        endpoint_id = _id(rest)
        with engine.connect() as conn:
            row = conn.execute(sa.select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)).first()
        if row is None:
            raise UsageError(f"No webhook endpoint {endpoint_id}.", print_help=False)
        import requests

        from ornaments.webhooks.dispatcher import message_body, post_signed  # requests: only when used
        with requests.Session() as session:
            attempt = post_signed(session, row.url, SecretBox(config.key).open(row.secret),
                                  f"msg_{endpoint_id}_test_{int(time.time())}",
                                  message_body([], kind="webhook.test"), config.timeout)
        if attempt.ok:
            print(f"endpoint {endpoint_id} answered HTTP {attempt.status} in {attempt.millis} ms")
        else:
            print(f"endpoint {endpoint_id} failed: {attempt.error}")
            self.exitcode = 1

    def do_deliver(self, engine, config, rest, opts) -> None:
        from ornaments.webhooks.dispatcher import Dispatcher  # requests: only when used
        configure_logging(self.settings)  # the service's log: LOG_LEVEL, LOG_FILE, as the scheduler's
        dispatcher = Dispatcher(config, engine)
        try:
            if opts.once:
                result = dispatcher.run_once()
                print(f"{result.delivered_events} events in {result.deliveries} deliveries, "
                      f"{result.failures} failed attempts, {result.paused} endpoints paused")
                self.exitcode = 1 if result.failures else 0
                return
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            dispatcher.run_forever(stop)
        finally:
            dispatcher.close(dispose_engine=False)  # run() disposes of the engine

    def do_dead(self, engine, config, rest, opts) -> None:
        rows = endpoints.dead_letters(engine, _id(rest) if rest else None)
        if not rows:
            print("No dead letters.")
            return
        for row in rows:
            print(f"endpoint {row.endpoint_id} ({row.endpoint_status}): "
                  f"events {row.first_event_id}-{row.last_event_id} "
                  f"({row.events}), {row.attempt} attempts, last {row.attempted_at:%Y-%m-%d %H:%M:%S}: {row.error}; "
                  f"`scrapy webhooks resume {row.endpoint_id}` delivers them again")

    def do_resume(self, engine, config, rest, opts) -> None:
        endpoint_id = _id(rest)
        if not endpoints.resume(engine, endpoint_id, opts.from_event):
            raise UsageError(f"No webhook endpoint {endpoint_id}.", print_help=False)
        start = f" from event {opts.from_event}" if opts.from_event is not None else ""
        print(f"endpoint {endpoint_id} active{start}; the dispatcher delivers its waiting events on its next pass")


def _one(rest: list[str], what: str) -> str:
    if len(rest) != 1:
        raise UsageError(f"Give one {what}.", print_help=False)
    return rest[0]


def _id(rest: list[str]) -> int:
    value = _one(rest, "endpoint id")
    if not value.isdigit():
        raise UsageError(f"{value!r} is not an endpoint id (see `scrapy webhooks list`).", print_help=False)
    return int(value)
