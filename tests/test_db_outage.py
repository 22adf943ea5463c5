"""A database that is away for 20 s costs time, not data; a budget that runs out says why."""

from __future__ import annotations

import re
import time

import pytest

from ornaments.retry import RetryPolicy, call_with_retries
from ornaments.storage.worker import BatchJob, BatchOutcome, write_batch
from tests.feedgen import generated_merchant_feed
from tests.fixtures.crawl import scrapy_env, scrapy_process
from tests.test_store_pipeline import store_pipeline

OUTAGE_SECONDS = 20
PRODUCTS = 10_000


class Clock:
    """A fake monotonic clock that sleeping advances."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def failing(times: int):
    calls = []

    def func():
        calls.append(1)
        if len(calls) <= times:
            raise ConnectionError("server closed the connection")
        return "stored"
    return func, calls


def test_a_time_budget_retries_until_it_is_spent_with_capped_backoff():
    clock = Clock()
    policy = RetryPolicy(attempts=None, backoff=0.5, max_backoff=10, seconds=60)
    func, calls = failing(1000)
    with pytest.raises(ConnectionError):
        call_with_retries(func, policy, lambda e: True, "writing", sleep=clock.sleep, clock=clock)
    assert max(clock.sleeps) <= 10 * 1.2  # capped (jitter included)
    assert clock.now == pytest.approx(60)  # the last try comes at the end of the budget, not later
    assert 7 <= len(calls) <= 14


def test_a_time_budget_outlasts_an_outage_and_attempts_still_cap_when_set():
    clock = Clock()
    func, calls = failing(5)
    assert call_with_retries(func, RetryPolicy(attempts=None, seconds=300), lambda e: True, "writing",
                             sleep=clock.sleep, clock=clock) == "stored"
    func, calls = failing(5)
    with pytest.raises(ConnectionError):
        call_with_retries(func, RetryPolicy(attempts=3, seconds=300), lambda e: True, "writing",
                          sleep=clock.sleep, clock=clock)
    assert len(calls) == 3
    with pytest.raises(ValueError):
        RetryPolicy(attempts=None, seconds=None)  # never forever


def test_a_batch_whose_budget_runs_out_says_why_without_the_password():
    url = "postgresql+psycopg2://ornaments:s3cret-pw@127.0.0.1:1/none"  # nothing listens on port 1
    job = BatchJob(url, (), RetryPolicy(attempts=None, backoff=0.2, max_backoff=0.5, seconds=1.5), 1, 0,
                   [{"vendor": "v", "vendor_product_id": "1"}])
    outcome = write_batch(job)
    assert outcome.result is None
    assert outcome.error.startswith("OperationalError: ") and "gave up after 2s of retries" in outcome.error
    assert "s3cret-pw" not in outcome.error and "\n" not in outcome.error


def test_a_failed_batch_leaves_its_reason_for_the_run_record(sqlite_url):
    pipeline = store_pipeline(sqlite_url, batch_size=10, batch_seconds=60)
    # The default: five minutes of retries per batch, at most ten seconds apart, however many tries.
    assert pipeline.config.retry == RetryPolicy(attempts=None, backoff=0.5, max_backoff=10.0, seconds=300.0)
    pipeline._count(3, 500, BatchOutcome(None, "OperationalError: refused (gave up after 300s of retries)", 0, 0))
    pipeline._count(4, 500, BatchOutcome(None, "OperationalError: refused again", 0, 0))
    assert len(pipeline.ledger.storage_failures) == 2
    assert pipeline.stats.get_value("ornaments/storage/failure") == (
        "batch 3 of 500 products not stored: OperationalError: refused (gave up after 300s of retries)")


@pytest.fixture(params=["postgresql", "mariadb"])
def restartable_server(request):
    """A server of the test's own that it may stop and start (tests/fixtures/pg_cluster.py, mariadb_server.py)."""
    return request.getfixturevalue("pg_cluster" if request.param == "postgresql" else "mariadb_server")


@pytest.mark.slow
def test_a_database_away_for_20_seconds_loses_nothing(restartable_server, tmp_path):
    pg_cluster = restartable_server  # either server: stop, start and query are the same
    feed = generated_merchant_feed(tmp_path / "feed.xml", PRODUCTS)
    env = scrapy_env(DATABASE_URL=pg_cluster.url, ORNAMENTS_BATCH_SIZE="500", ORNAMENTS_DB_RETRY_SECONDS="60",
                     ORNAMENTS_DB_MAX_BACKOFF="2", ORNAMENTS_PROGRESS_INTERVAL="1")
    log_path = tmp_path / "crawl.log"
    crawl = scrapy_process("crawl", "google_merchant", "-a", f"feed={feed}", env=env, log_path=log_path)
    try:
        deadline = time.monotonic() + 30
        while _batches(pg_cluster) < 1:
            assert crawl.poll() is None and time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.05)
        pg_cluster.stop("fast")  # a restart: open connections are terminated
        time.sleep(OUTAGE_SECONDS)
        during = log_path.read_text()
        assert crawl.poll() is None, during[-3000:]
        pg_cluster.start()
        assert crawl.wait(timeout=60) == 0
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
    log = log_path.read_text()
    assert "retrying in" in during and "retry budget" in during  # it waited for the database
    progress = [int(n.replace(",", "")) for n in re.findall(r"Progress: ([\d,]+) records", during)]
    assert progress and progress[-1] < PRODUCTS, "the crawl was not held back while the database was away"
    assert "NOT stored" not in log and "ornaments/storage/failure" not in log, log[-3000:]
    assert pg_cluster.query("SELECT count(*) FROM products") == PRODUCTS
    assert pg_cluster.query("SELECT count(DISTINCT vendor_product_id) FROM products") == PRODUCTS
    assert pg_cluster.query("SELECT count(*) FROM price_history") == PRODUCTS  # no batch applied twice
    assert pg_cluster.query("SELECT status FROM sync_runs") == "finished"


def _batches(cluster) -> int:
    try:
        return cluster.query("SELECT count(*) FROM sync_batches")
    except Exception:  # the crawl has not created the tables yet
        return 0
