"""The storage worker process exits with the crawl, even when the crawl is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.feedgen import generated_merchant_feed
from tests.fixtures.crawl import PROJECT_ROOT, scrapy_env
from tests.fixtures.sshd import _descendants


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan whose new parent has not reaped it yet has exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def committed_batches(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM sync_batches")).scalar_one()
    except sa.exc.ProgrammingError:  # the crawl has not created the tables yet
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_the_storage_worker_exits_when_the_crawl_is_killed(pg_url, tmp_path):
    feed = generated_merchant_feed(tmp_path / "feed.xml", 60_000)
    env = scrapy_env(DATABASE_URL=pg_url, ORNAMENTS_BATCH_SIZE="500")
    log = (tmp_path / "crawl.log").open("wb")
    crawl = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "google_merchant", "-a", f"feed={feed}"],
                             cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    try:
        deadline = time.monotonic() + 60
        while committed_batches(pg_url) < 2:  # mid-run: the worker has written and holds a connection
            assert crawl.poll() is None, (tmp_path / "crawl.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "no batch was stored within 60 s"
            time.sleep(0.1)
        children = [pid for pid in _descendants(crawl.pid) if running(pid)]
        workers = [pid for pid in children
                   if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert workers, f"no spawned worker among the crawl's children {children}"
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(running(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [(pid, Path(f"/proc/{pid}/cmdline").read_bytes()) for pid in children if running(pid)]
        assert not left, f"still running 5 s after the crawl was killed: {left}"
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()


def test_storage_workers_run_at_a_lower_cpu_priority_than_the_crawl():
    """ORNAMENTS_STORAGE_NICE (default 10): the crawl, which reads the feed on one core, gets the CPU first."""
    from scrapy.settings import Settings

    from ornaments.pipelines.store import StoreConfig
    from ornaments.storage.worker import start_worker_process
    from tests.helpers import project_settings

    config = StoreConfig.from_settings(Settings(project_settings()))
    assert config.worker_nice == 10
    assert StoreConfig.from_settings(Settings(project_settings(ORNAMENTS_STORAGE_NICE=40))).worker_nice == 19
    for nice in (config.worker_nice, 0):
        worker = start_worker_process("INFO", None, nice)
        try:
            # os.nice(0): the niceness; the kernel stops at 19 (a suite run under `nice` starts at 10)
            assert worker.submit(os.nice, 0).result(timeout=60) == min(os.nice(0) + nice, 19)
        finally:
            worker.shutdown()
