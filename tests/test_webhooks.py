"""Webhooks against a real HTTP receiver on 127.0.0.1 whose every accepted delivery is verified with the
Standard Webhooks reference library: a receiver that is down, answers 500 or times out, and a dispatcher
killed with SIGKILL mid-batch; afterwards every event arrived, in order, with valid signatures. A paused
endpoint keeps its events and resumes; secrets are never shown again nor stored in clear."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook

from ornaments.storage.schema import product_events, webhook_deliveries, webhook_endpoints
from ornaments.webhooks import endpoints
from ornaments.webhooks.config import WebhookConfig
from ornaments.webhooks.dispatcher import Dispatcher
from ornaments.webhooks.signing import SecretBox, SecretKeyError, new_key, new_secret, sign
from tests.fixtures.crawl import scrapy_command, scrapy_env, scrapy_process
from tests.fixtures.receivers import SECRET_PATH, WebhookReceiver
from tests.helpers import serving
from tests.test_storage import row, sync, table

# The dispatcher on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases
KEY = new_key()


def fast_config(url: str, **changes) -> WebhookConfig:
    values = dict(database_url=url, batch_size=5, timeout=0.5, poll=0.05, max_attempts=4, backoff=0.02,
                  max_backoff=0.05, concurrency=4, key=KEY)
    values.update(changes)
    return WebhookConfig(**values)


def history(store, products: int = 12) -> list[int]:
    """created x products, then a price change for every other product: the event ids, in order."""
    sync(store, [row(i, "10.00") for i in range(products)])
    sync(store, [row(i, "11.00" if i % 2 else "10.00") for i in range(products)])
    return [r.id for r in table(store, sa.select(product_events.c.id).order_by(product_events.c.id))]


def drain(dispatcher: Dispatcher, until, seconds: float = 20.0) -> None:
    """Passes until until() holds (waiting out the backoff between them)."""
    deadline = time.monotonic() + seconds
    while not until():
        assert time.monotonic() < deadline, "the dispatcher did not deliver in time"
        dispatcher.run_once()
        time.sleep(0.03)


def delivered_ids(receiver: WebhookReceiver, secret: str) -> list[int]:
    """Event ids of every accepted delivery, in arrival order, each delivery's signature verified."""
    verifier = Webhook(secret)
    ids = []
    for headers, body in receiver.deliveries:
        payload = verifier.verify(body, headers)  # raises on a bad signature or missing header
        assert payload["type"] == "product.events"
        ids.extend(e["id"] for e in payload["data"]["events"])
    return ids


def assert_in_order_exactly(received: list[int], expected: list[int]) -> None:
    """At least once: duplicates may come (a retried batch), but first arrivals are every event, in order."""
    first = list(dict.fromkeys(received))
    assert first == expected


def test_signatures_are_the_standard_webhooks_ones():
    secret = new_secret()
    assert secret.startswith("whsec_")
    body = b'{"type":"product.events"}'
    now = int(time.time())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now),
               "webhook-signature": sign(secret, "msg_1", now, body)}
    assert Webhook(secret).verify(body, headers) == {"type": "product.events"}
    box = SecretBox(KEY)
    sealed = box.seal(secret)
    assert secret not in sealed and box.open(sealed) == secret
    with pytest.raises(SecretKeyError, match="another key"):
        SecretBox(new_key()).open(sealed)
    assert SecretBox(f"{new_key()},{KEY}").open(sealed) == secret  # rotation: the old key still decrypts
    with pytest.raises(SecretKeyError, match="not set"):
        SecretBox(None)


def test_failures_then_recovery_deliver_everything_in_order_signed(store, webhook_receiver, database_url, caplog):
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), webhook_receiver.url, since=0)
    expected = history(store)
    webhook_receiver.statuses = [500, 500]  # the first two attempts fail
    webhook_receiver.delays = [0, 0, 2.0]  # the third times out (after its 0.5 s), the receiver took it late
    dispatcher = Dispatcher(fast_config(database_url), store.engine)
    drain(dispatcher, lambda: len(set(delivered_ids(webhook_receiver, secret))) == len(expected))
    assert_in_order_exactly(delivered_ids(webhook_receiver, secret), expected)
    attempts = table(store, sa.select(webhook_deliveries.c.message_id, webhook_deliveries.c.status,
                                      webhook_deliveries.c.attempt).order_by(webhook_deliveries.c.id))
    assert [a.status for a in attempts[:4]] == ["failed", "failed", "failed", "delivered"]
    assert len({a.message_id for a in attempts[:4]}) == 1  # retries resend the same message (webhook-id)
    assert [a.attempt for a in attempts[:4]] == [1, 2, 3, 4]
    deadline = time.monotonic() + 5
    while [h["webhook-id"] for h, _ in webhook_receiver.deliveries].count(attempts[0].message_id) < 2:
        assert time.monotonic() < deadline  # the receiver took the timed-out try late: a duplicate, same id
        time.sleep(0.05)
    assert_in_order_exactly(delivered_ids(webhook_receiver, secret), expected)
    endpoint = table(store, sa.select(webhook_endpoints))[0]
    assert (endpoint.cursor, endpoint.pending_through, endpoint.failures) == (expected[-1], None, 0)
    assert secret not in caplog.text and SECRET_PATH not in caplog.text
    dispatcher.close(dispose_engine=False)


def test_a_receiver_down_for_a_while_then_long_enough_to_pause_loses_nothing(store, database_url, closed_port):
    url = f"http://127.0.0.1:{closed_port}{SECRET_PATH}"
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), url, types="price_changed")
    expected = history(store)[12:]  # only the price changes (the created events are filtered out)
    dispatcher = Dispatcher(fast_config(database_url), store.engine)

    def state():
        return table(store, sa.select(webhook_endpoints))[0]

    # down for two attempts, then back: delivered without anyone doing anything
    drain(dispatcher, lambda: state().failures == 2)
    with serving(WebhookReceiver(closed_port)) as receiver:
        drain(dispatcher, lambda: len(delivered_ids(receiver, secret)) >= len(expected))
        assert_in_order_exactly(delivered_ids(receiver, secret), expected)
    assert (state().status, state().failures, state().cursor) == ("active", 0, max(history_ids(store)))
    # down long enough: paused after max_attempts, the batch is a dead letter, the events wait
    sync(store, [row(i, "12.00" if i % 2 else "10.00") for i in range(12)])
    later = history_ids(store)[-6:]
    drain(dispatcher, lambda: state().status == "paused")
    dead = endpoints.dead_letters(store.engine)
    assert len(dead) == 1 and dead[0].attempt == 4 and dead[0].error == "could not connect (ConnectionError)"
    assert (dead[0].first_event_id, dead[0].last_event_id) == (later[0], later[4])  # a batch of 5
    assert dispatcher.run_once().deliveries == 0  # paused: nothing is sent, nothing is dropped
    with serving(WebhookReceiver(closed_port)) as receiver:  # the receiver is back
        assert dispatcher.run_once().deliveries == 0  # still paused until someone says so
        assert endpoints.resume(store.engine, endpoint_id)
        drain(dispatcher, lambda: len(delivered_ids(receiver, secret)) >= len(later))
        assert_in_order_exactly(delivered_ids(receiver, secret), later)
        assert endpoints.dead_letters(store.engine) == []  # its events went out
        # redelivery from an event: a receiver that lost what it was sent gets it again
        endpoints.resume(store.engine, endpoint_id, from_event=expected[2])
        drain(dispatcher, lambda: len(delivered_ids(receiver, secret)) >= 2 * len(later) + len(expected) - 2)
        assert delivered_ids(receiver, secret)[len(later):] == expected[2:] + later
    dispatcher.close(dispose_engine=False)


def history_ids(store) -> list[int]:
    return [r.id for r in table(store, sa.select(product_events.c.id).order_by(product_events.c.id))]


def test_a_receiver_that_times_out_holds_up_no_other_endpoint(store, database_url):
    with serving(WebhookReceiver()) as slow, serving(WebhookReceiver()) as fast:
        endpoints.add(store.engine, SecretBox(KEY), slow.url, since=0)  # served first: id 1
        _, secret = endpoints.add(store.engine, SecretBox(KEY), fast.url, since=0)
        expected = history(store, products=6)
        slow.delays = [3.0]
        dispatcher = Dispatcher(fast_config(database_url, timeout=1.0), store.engine)
        started = time.monotonic()
        result = dispatcher.run_once()
        assert (result.failures, result.deliveries) == (1, 2)
        attempts = table(store, sa.select(webhook_deliveries.c.endpoint_id, webhook_deliveries.c.status,
                                          webhook_deliveries.c.attempted_at).order_by(webhook_deliveries.c.id))
        # the fast endpoint's batches were recorded before the slow one's timeout was
        assert [(a.endpoint_id, a.status) for a in attempts] == [(2, "delivered"), (2, "delivered"), (1, "failed")]
        assert time.monotonic() - started < 2.5
        assert_in_order_exactly(delivered_ids(fast, secret), expected)
        dispatcher.close(dispose_engine=False)


def test_a_410_gone_pauses_the_endpoint_at_once_and_its_events_wait(store, webhook_receiver, database_url):
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), webhook_receiver.url, since=0)
    expected = history(store, products=3)
    webhook_receiver.statuses = [410]
    dispatcher = Dispatcher(fast_config(database_url, max_attempts=30), store.engine)
    result = dispatcher.run_once()
    assert (result.failures, result.paused, result.deliveries) == (1, 1, 0)
    assert [d.attempt for d in endpoints.dead_letters(store.engine, endpoint_id)] == [1]
    endpoints.resume(store.engine, endpoint_id)
    drain(dispatcher, lambda: len(delivered_ids(webhook_receiver, secret)) >= len(expected))
    assert_in_order_exactly(delivered_ids(webhook_receiver, secret), expected)
    dispatcher.close(dispose_engine=False)


def test_a_dispatcher_killed_mid_batch_loses_nothing(store, webhook_receiver, tmp_path):
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), webhook_receiver.url, since=0)
    expected = history(store, products=30)  # 45 events, batches of 5
    webhook_receiver.delays = [0.3] * 100  # slow enough to be killed while a request is out
    env = scrapy_env(DATABASE_URL=store.engine.url.render_as_string(hide_password=False), ORNAMENTS_WEBHOOK_KEY=KEY,
                     ORNAMENTS_WEBHOOK_BATCH_SIZE="5", ORNAMENTS_WEBHOOK_TIMEOUT="1", ORNAMENTS_WEBHOOK_POLL="0.1")
    # Its output to a file, not a pipe nobody reads while it runs.
    dispatcher = scrapy_process("webhooks", "deliver", env=env, log_path=tmp_path / "deliver.log")
    try:
        deadline = time.monotonic() + 30
        while len(webhook_receiver.attempts) < 3:
            assert dispatcher.poll() is None and time.monotonic() < deadline, (tmp_path / "deliver.log").read_text()
            time.sleep(0.02)
        time.sleep(0.15)  # the fourth request is out, unanswered
        os.kill(dispatcher.pid, signal.SIGKILL)
        dispatcher.wait(10)
    finally:
        if dispatcher.poll() is None:
            dispatcher.kill()
    assert "Delivering webhooks" in (tmp_path / "deliver.log").read_text()
    got = delivered_ids(webhook_receiver, secret)
    assert 0 < len(set(got)) < len(expected)
    endpoint = table(store, sa.select(webhook_endpoints))[0]
    assert endpoint.pending_through is not None and endpoint.lease_until is not None  # killed mid-delivery
    webhook_receiver.delays = []
    again = scrapy_command("webhooks", "deliver", "--once", env=env)
    assert again.returncode == 0 and "0 events" in again.stdout  # the dead dispatcher's lease still holds
    # The dead dispatcher's lease runs out: its end moved back by a lease's length, which puts it in the
    # past as the lease's seconds of waiting would (a second delivery is sent only after lease_until).
    lease = fast_config("", timeout=1).lease
    with store.engine.begin() as conn:
        conn.execute(webhook_endpoints.update().where(webhook_endpoints.c.id == endpoint_id)
                     .values(lease_until=endpoint.lease_until - timedelta(seconds=lease + 1)))
    again = scrapy_command("webhooks", "deliver", "--once", env=env)
    assert again.returncode == 0, again.stderr
    assert_in_order_exactly(delivered_ids(webhook_receiver, secret), expected)


def test_the_commands_show_the_secret_once_and_store_it_sealed(sqlite_url, webhook_receiver):
    env = scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_WEBHOOK_KEY=KEY)

    def webhooks(*args: str) -> subprocess.CompletedProcess:
        return scrapy_command("webhooks", *args, env=env)

    added = webhooks("add", webhook_receiver.url, "--events", "price_changed,removed")
    assert added.returncode == 0, added.stderr
    secret = added.stdout.split("secret: ")[1].split()[0]
    listed = webhooks("list")
    assert secret not in listed.stdout + listed.stderr and "price_changed,removed" in listed.stdout
    stored = [r.secret for r in table_of(sqlite_url, sa.select(webhook_endpoints.c.secret))]
    assert stored and secret not in stored[0] and secret.removeprefix("whsec_") not in stored[0]
    tested = webhooks("test", "1")
    assert tested.returncode == 0 and "answered HTTP 200" in tested.stdout
    headers, body = webhook_receiver.deliveries[0]
    assert Webhook(secret).verify(body, headers)["type"] == "webhook.test"
    assert secret not in tested.stdout + tested.stderr
    missing_key = scrapy_command("webhooks", "add", webhook_receiver.url,
                                 env={k: v for k, v in env.items() if k != "ORNAMENTS_WEBHOOK_KEY"})
    assert missing_key.returncode != 0 and "ORNAMENTS_WEBHOOK_KEY is not set" in missing_key.stderr
    assert webhooks("remove", "1").returncode == 0 and "No webhook endpoints" in webhooks("list").stdout


def test_the_commands_choose_types_by_group_and_say_every_type(sqlite_url, webhook_receiver):
    env = scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_WEBHOOK_KEY=KEY)

    def webhooks(*args: str) -> subprocess.CompletedProcess:
        return scrapy_command("webhooks", *args, env=env)

    assert webhooks("add", webhook_receiver.url).returncode == 0
    assert "events: all " in webhooks("list").stdout  # no filter: every type, those added later too
    changed = webhooks("events", "1", "product,watch_triggered")
    assert changed.returncode == 0, changed.stderr
    assert "events: created,price_changed,back_in_stock,out_of_stock,updated,removed,returned,watch_triggered " in \
        webhooks("list").stdout
    wrong = webhooks("events", "1", "prices")
    assert wrong.returncode != 0 and "unknown event type(s) prices" in wrong.stderr and "Traceback" not in wrong.stderr
    assert webhooks("events", "7", "all").returncode != 0 and "No webhook endpoint 7" in webhooks("events", "7", "all").stderr
    assert webhooks("add", webhook_receiver.url, "--events", "item").returncode == 0
    assert "events: item_best_price_changed,item_stock_changed,watch_triggered " in webhooks("list").stdout


def table_of(url: str, query) -> list:
    from tests.helpers import rows
    return rows(url, query)


def test_the_dispatcher_waits_out_a_database_that_is_away(caplog):
    """run_forever keeps going (with a warning and a capped wait) while the database cannot be reached."""
    import threading
    dispatcher = Dispatcher(fast_config("postgresql+psycopg2://postgres@127.0.0.1:1/none", poll=0.05))
    stop = threading.Event()
    runner = threading.Thread(target=dispatcher.run_forever, args=(stop,))
    runner.start()
    # Until it has failed and come round again three times (a fixed second before): it keeps going.
    deadline = time.monotonic() + 30
    while caplog.text.count("trying again in") < 3:
        assert runner.is_alive() and time.monotonic() < deadline, caplog.text
        time.sleep(0.02)
    assert runner.is_alive()  # still running, not crashed
    stop.set()
    runner.join(10)
    assert not runner.is_alive()
    assert "The database cannot be reached" in caplog.text and "trying again in" in caplog.text
    dispatcher.close()
