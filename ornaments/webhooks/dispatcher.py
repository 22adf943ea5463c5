"""The dispatcher: sends each endpoint its pending events, in event order, in signed batches.

Per endpoint, one delivery at a time (a lease in webhook_endpoints, so two dispatchers never send to
one endpoint together, and a killed dispatcher's lease simply runs out):
1. the next batch (events after the cursor that match the endpoint's filter, at most batch_size) is
   pinned first: pending_through is committed before anything is sent, so after a crash the same
   events go out again under the same webhook-id (at least once; receivers drop duplicates by event id);
2. it is POSTed with the Standard Webhooks headers;
3. only a 2xx answer moves the cursor (in the transaction that records the delivery). Anything else
   is a failed attempt: the next one waits backoff × 2^n (with jitter, capped); after max_attempts the
   endpoint is paused and its events wait, never dropped, until `scrapy webhooks resume`.

The dispatcher only reads product_events and writes its own tables in short transactions, never while
a request is out: it never holds up a sync, and a sync never waits for a receiver.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments import __version__
from ornaments.backoff import delay as backoff_delay
from ornaments.events.feed import last_event_id, select_events
from ornaments.clock import iso_utc
from ornaments.events.shape import event_json
from ornaments.retry import RetryPolicy, one_line
from ornaments.storage.engine import create_catalog_engine, is_transient_db_error
from ornaments.storage.schema import webhook_deliveries, webhook_endpoints
from ornaments.webhooks.config import WebhookConfig
from ornaments.webhooks.endpoints import safe_url, type_filter
from ornaments.webhooks.signing import SecretBox, sign

logger = logging.getLogger(__name__)
BODY_TYPE = "product.events"


@dataclass
class PassResult:
    delivered_events: int = 0
    deliveries: int = 0
    failures: int = 0
    paused: int = 0

    def add(self, other: "PassResult") -> None:
        self.delivered_events += other.delivered_events
        self.deliveries += other.deliveries
        self.failures += other.failures
        self.paused += other.paused


@dataclass
class Attempt:
    ok: bool
    status: int | None
    error: str | None
    millis: int


def message_body(events: list[dict], kind: str = BODY_TYPE, at: datetime | None = None) -> bytes:
    """The JSON body, as Standard Webhooks shapes it: type, timestamp, data (here: the events)."""
    return json.dumps({"type": kind, "timestamp": iso_utc(at or utcnow()), "data": {"events": events}},
                      separators=(",", ":")).encode()


def post_signed(session: requests.Session, url: str, secret: str, message_id: str, body: bytes,
                timeout: float) -> Attempt:
    """POST body with the webhook-id / webhook-timestamp / webhook-signature headers. The error text
    names no URL (an endpoint's path may be its credential)."""
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": f"ornaments-webhooks/{__version__}",
               "webhook-id": message_id, "webhook-timestamp": str(timestamp),
               "webhook-signature": sign(secret, message_id, timestamp, body)}
    started = time.monotonic()
    try:
        response = session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        response.close()
    except requests.Timeout:
        return Attempt(False, None, f"no answer within {timeout:g}s", _ms(started))
    except requests.RequestException as exc:
        return Attempt(False, None, f"could not connect ({type(exc).__name__})", _ms(started))
    ok = 200 <= response.status_code < 300
    return Attempt(ok, response.status_code, None if ok else f"HTTP {response.status_code}", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


class Dispatcher:
    def __init__(self, config: WebhookConfig, engine: sa.Engine | None = None):
        self.config = config
        self.engine = engine or create_catalog_engine(config.database_url)
        self.box = SecretBox(config.key)
        self._local = threading.local()  # one HTTP session (connection pool) per delivering thread
        self._sessions: list[requests.Session] = []
        self._pool = ThreadPoolExecutor(max_workers=config.concurrency, thread_name_prefix="webhooks")
        self.backoff = RetryPolicy(attempts=config.max_attempts, backoff=config.backoff,
                                   max_backoff=config.max_backoff)

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            self._sessions.append(session)
        return session

    def close(self, dispose_engine: bool = True) -> None:
        self._pool.shutdown(wait=True)
        for session in self._sessions:
            session.close()
        if dispose_engine:
            self.engine.dispose()

    # --- the loop ---------------------------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Pass after pass until stop is set; idle passes wait `poll` seconds. A database that is away
        is waited for (it is the sync's problem to report), with a capped backoff."""
        logger.info("Delivering webhooks (batches of %d, poll %gs)", self.config.batch_size, self.config.poll)
        away = 0
        while not stop.is_set():
            try:
                result = self.run_once()
                away = 0
            except Exception as exc:
                if not is_transient_db_error(exc):
                    raise
                away += 1
                # poll × 2, × 4 ... up to × 32, never more than a minute
                wait = backoff_delay(away + 1, self.config.poll, min(60.0, self.config.poll * 32))
                logger.warning("The database cannot be reached (%s); trying again in %.0fs", one_line(exc), wait)
                stop.wait(wait)
                continue
            if not result.deliveries:
                stop.wait(self.config.poll)
        logger.info("Webhook dispatcher stopped")

    def run_once(self) -> PassResult:
        """One pass: every active endpoint whose retry time has come is brought up to date (or fails),
        up to `concurrency` endpoints at a time, so a receiver that times out holds up no other."""
        result = PassResult()
        now = utcnow()
        with self.engine.connect() as conn:
            due = conn.execute(sa.select(webhook_endpoints.c.id).where(
                webhook_endpoints.c.status == "active",
                sa.or_(webhook_endpoints.c.next_attempt_at.is_(None), webhook_endpoints.c.next_attempt_at <= now))
                .order_by(webhook_endpoints.c.id)).scalars().all()
        for outcome in self._pool.map(self._serve, due):
            result.add(outcome)
        return result

    def _serve(self, endpoint_id: int) -> PassResult:
        result = PassResult()
        if self._claim(endpoint_id):
            try:
                self._catch_up(endpoint_id, result)
            finally:
                self._release(endpoint_id)
        return result

    # --- one endpoint -----------------------------------------------------------------------------

    def _claim(self, endpoint_id: int) -> bool:
        now = utcnow()
        table = webhook_endpoints
        with self.engine.begin() as conn:
            claimed = conn.execute(table.update().where(
                table.c.id == endpoint_id, table.c.status == "active",
                sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now),
                sa.or_(table.c.lease_until.is_(None), table.c.lease_until < now))
                .values(lease_until=now + timedelta(seconds=self.config.lease))).rowcount
        return claimed == 1

    def _release(self, endpoint_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(webhook_endpoints.update().where(webhook_endpoints.c.id == endpoint_id)
                         .values(lease_until=None))

    def _catch_up(self, endpoint_id: int, result: PassResult) -> None:
        while True:
            batch = self._next_batch(endpoint_id)
            if batch is None:
                return
            endpoint, events, through = batch
            message_id = f"msg_{endpoint.id}_{endpoint.cursor}_{through}"
            body = message_body([event_json(e._mapping) for e in events])
            attempt = post_signed(self.session, endpoint.url, self.box.open(endpoint.secret), message_id, body,
                                  self.config.timeout)
            self._record(endpoint, message_id, events, through, attempt, result)
            if not attempt.ok:
                return

    def _next_batch(self, endpoint_id: int):
        """(endpoint, events, through) of the batch to send, pinned; None when nothing is pending."""
        table = webhook_endpoints
        with self.engine.begin() as conn:
            endpoint = conn.execute(sa.select(table).where(table.c.id == endpoint_id)).first()
            if endpoint is None or endpoint.status != "active":
                return None
            filters = dict(types=type_filter(endpoint.event_types),
                           vendors=endpoint.vendors.split(",") if endpoint.vendors else None)
            through = endpoint.pending_through
            if through is None:
                # Events up to `latest` are all committed (ids follow commit order): those not matching
                # the filter are settled too, so a filtered endpoint does not scan them again.
                latest = last_event_id(conn)
                events = conn.execute(select_events(endpoint.cursor, limit=self.config.batch_size,
                                                    **filters)).all()
                if not events:
                    if latest > endpoint.cursor:
                        conn.execute(table.update().where(table.c.id == endpoint_id).values(cursor=latest))
                    return None
                full = len(events) == self.config.batch_size
                through = events[-1].id if full else max(events[-1].id, latest)
                conn.execute(table.update().where(table.c.id == endpoint_id).values(pending_through=through))
            else:
                events = conn.execute(select_events(endpoint.cursor, through=through, **filters)).all()
                if not events:  # the filter changed: nothing of this batch is for the endpoint any more
                    conn.execute(table.update().where(table.c.id == endpoint_id)
                                 .values(cursor=through, pending_through=None))
                    return None
        return endpoint, events, through

    def _record(self, endpoint, message_id: str, events, through: int, attempt: Attempt,
                result: PassResult) -> None:
        now = utcnow()
        table = webhook_endpoints
        failures = 0 if attempt.ok else endpoint.failures + 1
        # 410 Gone: the receiver says the endpoint is no more (Standard Webhooks): pause at once.
        paused = not attempt.ok and (failures >= self.config.max_attempts or attempt.status == 410)
        status = "delivered" if attempt.ok else "dead" if paused else "failed"
        if attempt.ok:
            values = dict(cursor=through, pending_through=None, failures=0, next_attempt_at=None, last_error=None,
                          last_delivered_at=now, lease_until=now + timedelta(seconds=self.config.lease))
        elif paused:
            values = dict(failures=failures, status="paused", paused_at=now, next_attempt_at=None,
                          last_error=attempt.error)
        else:
            retry_at = now + timedelta(seconds=self.backoff.delay(failures))
            values = dict(failures=failures, next_attempt_at=retry_at, last_error=attempt.error)
        with self.engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == endpoint.id, table.c.pending_through == through)
                         .values(**values))
            conn.execute(webhook_deliveries.insert().values(
                endpoint_id=endpoint.id, message_id=message_id, first_event_id=events[0].id,
                last_event_id=events[-1].id, events=len(events), attempt=failures or endpoint.failures + 1,
                status=status, http_status=attempt.status, error=attempt.error, attempted_at=now,
                duration_ms=attempt.millis))
        if attempt.ok:
            result.deliveries += 1
            result.delivered_events += len(events)
            return
        result.failures += 1
        where = safe_url(endpoint.url)
        if paused:
            result.paused += 1
            logger.error("Webhook endpoint %d (%s) paused after %d failed attempt(s) (last: %s); its events wait. "
                         "`scrapy webhooks resume %d` delivers them again.", endpoint.id, where, failures,
                         attempt.error, endpoint.id)
        else:
            logger.warning("Webhook endpoint %d (%s): delivery of events %d-%d failed (%s), attempt %d of %d; "
                           "next at %s", endpoint.id, where, events[0].id, events[-1].id, attempt.error, failures,
                           self.config.max_attempts, values["next_attempt_at"].strftime("%H:%M:%S"))
