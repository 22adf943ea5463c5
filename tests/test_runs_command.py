"""`scrapy runs`: the list of runs, abandoned runs, and what the run record holds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ornaments import settings as project_settings
from ornaments.clock import utcnow
from ornaments.storage.schema import sync_runs
from tests.feedgen import generated_merchant_feed, merchant_item, write_merchant_feed
from tests.fixtures.crawl import run_scrapy, scrapy_env, scrapy_process


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def statuses(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(sync_runs.c.id, sync_runs.c.status)).all())


def test_runs_whose_process_is_gone_are_marked_abandoned(store):
    here = socket.gethostname()
    dead, _ = store.start_run("test", "shop", {}, "all", None)
    alive, _ = store.start_run("test", "shop", {}, "all", None)  # this process: alive
    elsewhere, _ = store.start_run("test", "shop", {}, "all", None)
    old_elsewhere, _ = store.start_run("test", "shop", {}, "all", None)
    other_vendor, _ = store.start_run("test", "other", {}, "all", None)
    with store.engine.begin() as conn:
        for run_id, values in ((dead, {"pid": dead_pid(), "hostname": here}),
                               (elsewhere, {"pid": 1, "hostname": "node-2"}),
                               (old_elsewhere, {"pid": 1, "hostname": "node-2",
                                                "started_at": utcnow() - timedelta(hours=49)}),
                               (other_vendor, {"pid": dead_pid(), "hostname": here})):
            conn.execute(sync_runs.update().where(sync_runs.c.id == run_id).values(**values))
    bound = timedelta(hours=project_settings.ORNAMENTS_ABANDONED_AFTER_HOURS)  # 48: no sync takes two days
    store.start_run("test", "shop", {}, "all", None, abandoned_after=bound)  # the next run of the vendor looks first
    found = statuses(store)
    assert (found[dead], found[alive], found[elsewhere], found[old_elsewhere], found[other_vendor]) == \
        ("abandoned", "running", "running", "abandoned", "running")
    store.runs.latest(bound)  # `scrapy runs` looks at every vendor
    assert statuses(store)[other_vendor] == "abandoned"


@pytest.mark.slow
def test_a_killed_crawl_is_marked_abandoned_by_scrapy_runs(sqlite_url, tmp_path):
    feed = generated_merchant_feed(tmp_path / "big.xml", 200_000)
    env = scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_STORAGE_PROCESS="0", ORNAMENTS_BATCH_SIZE="500")
    crawl = scrapy_process("crawl", "google_merchant", "-a", f"feed={feed}", env=env, log_path=tmp_path / "crawl.log")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listing = run_scrapy("runs", env=env)
            if " running " in listing.log:
                break
            time.sleep(0.3)
        assert " running " in listing.log, listing
    finally:
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
    listing = run_scrapy("runs", env=env)
    assert " abandoned " in listing.log and " running " not in listing.log, listing


@pytest.mark.slow
def test_scrapy_runs_lists_runs_with_why_counts_and_held_back_removals(pg_crawl, pg_url, tmp_path):
    path = write_merchant_feed(tmp_path / "f.xml", [merchant_item(i, "10.00") for i in range(10)])
    assert pg_crawl("google_merchant", "-a", f"feed={path}").returncode == 0
    write_merchant_feed(path, [merchant_item(i, "10.00") for i in range(2)])
    assert pg_crawl("google_merchant", "-a", f"feed={path}").returncode == 3
    assert pg_crawl("bestseller").returncode == 0
    env = scrapy_env(DATABASE_URL=pg_url)
    listing = run_scrapy("runs", env=env)
    lines = listing.log.splitlines()
    assert listing.returncode == 0 and lines[0].split()[:4] == ["run", "vendor", "status", "started"], listing
    newest, held, first = lines[1].split(), lines[2].split(), lines[3].split()
    assert newest[:3] == ["3", "bestseller", "finished"] and newest[6:13] == ["3", "0", "0", "0", "0", "0", "0"]
    assert held[:3] == ["2", "google_merchant", "suspect"] and held[6:13] == ["0", "0", "2", "0", "0", "0", "8"]
    assert "would remove 8 of 10 live products (80%)" in lines[2]
    assert first[:3] == ["1", "google_merchant", "finished"] and first[6] == "10"
    only = run_scrapy("runs", "--vendor", "bestseller", "--limit", "5", env=env).log.splitlines()
    assert len(only) == 2 and " bestseller " in only[1]
