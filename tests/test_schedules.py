"""Recurring schedules: cron parsing, and the scheduler against real Scrapyd nodes and PostgreSQL."""

from __future__ import annotations

import logging
import shutil
import socket
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.scheduling.client import AuthError, ScrapydClient
from ornaments.scheduling.schedule import ScheduleError, load_schedule, parse_schedule
from ornaments.scheduling.scheduler import Scheduler
from ornaments.scheduling.state import StateLocked, StateStore
from tests.fixtures.crawl import PROJECT_ROOT, STORAGE_IN_THREAD, run_scrapy, scrapy_process
from tests.fixtures.scrapyd import PASSWORD, USERNAME, deploy_env

FEEDS_DIR = PROJECT_ROOT / "feeds"
FAST = RetryPolicy(attempts=2, backoff=0.1, max_backoff=0.2)


def node_env(pg_url: str) -> dict[str, str]:
    """A node's environment: its crawls store in pg_url, writing batches in a thread. What is tested here is
    the scheduler, not where a crawl's batches are written (tests/fixtures/crawl.py, STORAGE_IN_THREAD)."""
    return {"DATABASE_URL": pg_url, **STORAGE_IN_THREAD}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def client(node_or_url, **kwargs) -> ScrapydClient:
    url = getattr(node_or_url, "url", node_or_url)
    return ScrapydClient(url, auth=kwargs.pop("auth", (USERNAME, PASSWORD)), retry=FAST, timeout=5, **kwargs)


def entries(text: str):
    return parse_schedule(text, "test")


def count(pg_url: str, sql: str):
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).all()
    engine.dispose()
    return value


def dead_url() -> str:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


# --- the schedule file ----------------------------------------------------------------------------

def test_cron_slots_timezone_and_seconds():
    nightly, every_2s, berlin = entries("""
timezone = "UTC"
[[schedule]]
name = "nightly"
spider = "google_merchant"
cron = "15 2 * * *"
args = { year = 2020, verbose = true }
[[schedule]]
name = "every-2s"
spider = "bestseller"
cron = "* * * * * */2"
""") + entries("""
timezone = "Europe/Berlin"
[[schedule]]
name = "berlin"
spider = "bestseller"
cron = "0 2 * * *"
""")[:1]
    assert nightly.args == {"year": "2020", "verbose": "true"}
    assert nightly.latest_slot(at("2025-01-01T02:15:00")) == at("2025-01-01T02:15:00")  # due exactly on time
    assert nightly.latest_slot(at("2025-01-01T02:14:59")) == at("2024-12-31T02:15:00")
    assert nightly.next_slot(at("2025-01-01T02:15:00")) == at("2025-01-02T02:15:00")
    assert nightly.job_id(at("2025-01-01T02:15:00")) == "nightly.20250101T021500Z"
    assert every_2s.next_slot(at("2025-01-01T03:00:01")) == at("2025-01-01T03:00:02")
    # 02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer.
    assert berlin.next_slot(at("2025-01-01T00:00:00")) == at("2025-01-01T01:00:00")
    assert berlin.next_slot(at("2025-07-01T00:30:00")) == at("2025-07-02T00:00:00")


@pytest.mark.parametrize("text, message", [
    ('[[schedule]]\nname = "a"\nspider = "x"\ncron = "61 * * * *"', "invalid cron expression"),
    ('[[schedule]]\nname = "a"\nspider = "x"', "'cron' is required"),
    ('[[schedule]]\nname = "a.b"\nspider = "x"\ncron = "* * * * *"', "may hold only"),
    ('[[schedule]]\nname = "a"\nspider = "x"\ncron = "* * * * *"\n[[schedule]]\nname = "a"\nspider = "y"\n'
     'cron = "* * * * *"', "used twice"),
    ('[[schedule]]\nname = "a"\nspider = "x"\ncron = "* * * * *"\nargz = {}', "unknown keys argz"),
    ('timezone = "Mars/Olympus"', "unknown timezone"),
    ("[[schedule]\n", "not valid TOML"),
    ('[[schedule]]\nname = "a"\nspider = "x"\ncron = "* * * * *"\nargs = { jobid = "1" }', "keeps the argument"),
])
def test_bad_schedule_files_are_refused_with_the_reason(text, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text, "test")


def test_the_packaged_schedule_names_real_spiders():
    listed = run_scrapy("list").log.split()
    schedule = load_schedule()
    assert schedule and {e.spider for e in schedule} <= set(listed)


def test_scrapy_schedules_list_prints_next_run_times(tmp_path):
    schedule = tmp_path / "schedules.toml"
    schedule.write_text('[[schedule]]\nname = "gm"\nspider = "google_merchant"\ncron = "15 2 * * *"\n'
                        'args = { year = "2020" }\n')
    result = run_scrapy("schedules", "list", "--file", str(schedule), "--state", str(tmp_path / "s.sqlite3"),
                        "--now", "2025-01-01T03:00:00Z")
    assert result.returncode == 0, result
    assert "gm" in result.log and "2025-01-02T02:15:00+00:00" in result.log and "-a year=2020" in result.log
    bad = tmp_path / "bad.toml"
    bad.write_text('[[schedule]]\nname = "gm"\nspider = "x"\ncron = "nope"\n')
    result = run_scrapy("schedules", "list", "--file", str(bad))
    assert result.returncode != 0 and "invalid cron expression 'nope'" in result.log


def test_one_state_file_serves_one_scheduler(tmp_path):
    with StateStore(tmp_path / "state.sqlite3"):
        with pytest.raises(StateLocked):
            StateStore(tmp_path / "state.sqlite3")
    StateStore(tmp_path / "state.sqlite3").close()  # released with the first


# --- against real Scrapyd nodes -------------------------------------------------------------------

@pytest.mark.slow
def test_fires_a_due_entry_and_skips_it_while_the_previous_run_is_running(
        scrapyd, pg_url, serve_directory, tmp_path, caplog):
    server = serve_directory(FEEDS_DIR)
    server.faults.slow_rate, server.faults.slow_seconds = 1.0, 4.0  # the feed takes 4 s to arrive
    node = scrapyd(env=node_env(pg_url))
    schedule = entries(f"""
[[schedule]]
name = "gm"
spider = "google_merchant"
cron = "*/10 * * * *"
args = {{ feed = "{server.url}/google_merchant.xml" }}
""")
    with StateStore(tmp_path / "state.sqlite3") as state:
        scheduler = Scheduler(schedule, [client(node)], "ornaments", state)
        assert [o.action for o in scheduler.tick(at("2025-01-01T00:05:00"))] == ["first_seen"]
        assert scheduler.tick(at("2025-01-01T00:09:59")) == []  # nothing due before the first slot

        [fired] = scheduler.tick(at("2025-01-01T00:10:00"))
        assert (fired.action, fired.node, fired.job_id) == ("fired", node.url, "gm.20250101T001000Z")
        node.wait_until_running(fired.job_id)

        caplog.set_level(logging.WARNING, logger="ornaments.scheduling")
        [skipped] = scheduler.tick(at("2025-01-01T00:20:00"))
        assert skipped.action == "skipped" and skipped.job_id == fired.job_id
        assert "skipping the run due at 2025-01-01 00:20:00+00:00" in caplog.text and "still running" in caplog.text
        assert scheduler.tick(at("2025-01-01T00:25:00")) == []  # a skipped slot is dealt with, not retried
        assert len(node.jobs()["running"]) + len(node.jobs()["pending"]) == 1

        node.wait_for_job(fired.job_id)
        [again] = scheduler.tick(at("2025-01-01T00:30:00"))
        assert again.action == "fired"
        node.wait_for_job(again.job_id)
        outcomes = [e[3] for e in state.events("gm")]
        assert outcomes == ["first_seen", "fired", "skipped", "fired"]

    expected = (FEEDS_DIR / "google_merchant.xml").read_text().count("<item>")
    assert count(pg_url, "SELECT count(*) FROM products")[0][0] == expected
    assert count(pg_url, "SELECT status FROM sync_runs ORDER BY id") == [("finished",), ("finished",)]
    assert [path for path, _ in server.requests].count("/google_merchant.xml") == 2


@pytest.mark.slow
def test_a_pending_job_with_the_same_spider_and_arguments_blocks_the_run(
        scrapyd, pg_url, serve_directory, tmp_path, caplog):
    server = serve_directory(FEEDS_DIR)
    server.faults.slow_rate, server.faults.slow_seconds = 1.0, 3.0
    node = scrapyd(env=node_env(pg_url), max_proc=1)  # one slot: a second job waits, pending
    busy = node.schedule("google_merchant", feed=f"{server.url}/google_merchant.xml")
    node.wait_until_running(busy)
    by_hand = node.schedule("bestseller", year="2020")  # scheduled by hand, not by the scheduler
    schedule = entries("""
[[schedule]]
name = "bs-2020"
spider = "bestseller"
cron = "0 * * * *"
args = { year = "2020" }
[[schedule]]
name = "bs-2021"
spider = "bestseller"
cron = "0 * * * *"
args = { year = "2021" }
""")
    caplog.set_level(logging.WARNING, logger="ornaments.scheduling")
    with StateStore(tmp_path / "state.sqlite3") as state:
        scheduler = Scheduler(schedule, [client(node)], "ornaments", state)
        scheduler.tick(at("2025-01-01T00:30:00"))
        same, other = scheduler.tick(at("2025-01-01T01:00:00"))
    assert (same.action, same.job_id) == ("skipped", by_hand)
    assert f"the previous run (job {by_hand}) is still pending" in caplog.text
    assert other.action == "fired"  # other arguments: not an overlap
    for job_id in (busy, by_hand, other.job_id):
        node.wait_for_job(job_id)


@pytest.mark.slow
def test_a_schedule_post_that_times_out_is_not_sent_twice(scrapyd, pg_url, tmp_path, caplog):
    # The first schedule.json on a node runs `scrapy list` before it answers (seconds), so a short
    # timeout expires although Scrapyd queues the job: the client must not queue it again on retry.
    node = scrapyd(env=node_env(pg_url))
    impatient = ScrapydClient(node.url, auth=(USERNAME, PASSWORD), timeout=0.3,
                              retry=RetryPolicy(attempts=8, backoff=0.5, max_backoff=2))
    schedule = entries('[[schedule]]\nname = "gm"\nspider = "google_merchant"\ncron = "0 * * * *"\n')
    caplog.set_level(logging.WARNING)
    with StateStore(tmp_path / "state.sqlite3") as state:
        scheduler = Scheduler(schedule, [impatient], "ornaments", state)
        scheduler.tick(at("2025-01-01T00:30:00"))
        [fired] = scheduler.tick(at("2025-01-01T01:00:00"))
    assert "timed out" in caplog.text  # the race really happened
    assert fired.action == "fired"
    node.wait_for_job(fired.job_id)
    jobs = node.jobs()
    assert [j["id"] for j in jobs["pending"] + jobs["running"] + jobs["finished"]] == [fired.job_id]

    # With no try left, the scheduler cannot know whether the node took the run: it neither sends it
    # to another node nor records it, and the next tick finds the job by its id.
    other, spare = scrapyd(env=node_env(pg_url)), node  # spare: idle, and answers at once
    one_try = ScrapydClient(other.url, auth=(USERNAME, PASSWORD), timeout=0.3, retry=RetryPolicy(attempts=1))
    schedule = entries('[[schedule]]\nname = "gm2"\nspider = "google_merchant"\ncron = "0 * * * *"\n')
    with StateStore(tmp_path / "state2.sqlite3") as state:
        scheduler = Scheduler(schedule, [one_try, client(spare)], "ornaments", state)
        scheduler.tick(at("2025-01-01T00:30:00"))
        [unsure] = scheduler.tick(at("2025-01-01T01:00:00"))
        assert (unsure.action, unsure.node, unsure.detail) == ("deferred", other.url, "no answer")
        other.wait_for_job(unsure.job_id)  # it did take it
        [found] = scheduler.tick(at("2025-01-01T01:01:00"))
        assert (found.action, found.node) == ("already_fired", other.url)
    assert len(spare.jobs()["finished"]) == 1 and len(other.jobs()["finished"]) == 1


@pytest.mark.slow
def test_two_nodes_share_the_runs_and_a_down_node_is_skipped(scrapyd, pg_url, tmp_path, caplog):
    first, second = scrapyd(env=node_env(pg_url)), scrapyd(env=node_env(pg_url))
    down = dead_url()
    schedule = entries("""
[[schedule]]
name = "gm"
spider = "google_merchant"
cron = "0 * * * *"
[[schedule]]
name = "bs"
spider = "bestseller"
cron = "0 * * * *"
""")
    caplog.set_level(logging.WARNING, logger="ornaments.scheduling")
    with StateStore(tmp_path / "state.sqlite3") as state:
        scheduler = Scheduler(schedule, [client(down), client(first), client(second)], "ornaments", state)
        scheduler.tick(at("2025-01-01T00:30:00"))
        fired = scheduler.tick(at("2025-01-01T01:00:00"))
        assert [o.action for o in fired] == ["fired", "fired"]
        assert {o.node for o in fired} == {first.url, second.url}  # one each: the least busy node
        assert f"Scrapyd node {down} is down" in caplog.text
        for outcome, node in ((o, first if o.node == first.url else second) for o in fired):
            node.wait_for_job(outcome.job_id)

        # The first node goes down: the next runs go to the second, with a warning, and no crash.
        first.stop()
        caplog.clear()
        fired = scheduler.tick(at("2025-01-01T02:00:00"))
        assert [(o.action, o.node) for o in fired] == [("fired", second.url), ("fired", second.url)]
        assert f"Scrapyd node {first.url} is down" in caplog.text
        for outcome in fired:
            second.wait_for_job(outcome.job_id)

        # No node at all: the runs stay due and go out on the next tick that finds a node.
        second.stop()
        assert [o.action for o in scheduler.tick(at("2025-01-01T03:00:00"))] == ["deferred", "deferred"]
        second.start()
        fired = scheduler.tick(at("2025-01-01T03:01:00"))
        assert [(o.action, o.node) for o in fired] == [("fired", second.url), ("fired", second.url)]
        for outcome in fired:
            second.wait_for_job(outcome.job_id)

    assert sorted(count(pg_url, "SELECT vendor, count(*) FROM products GROUP BY vendor")) == [
        ("bestseller", (FEEDS_DIR / "bestseller.xml").read_text().count("<nsx:item ")),
        ("google_merchant", (FEEDS_DIR / "google_merchant.xml").read_text().count("<item>")),
    ]


@pytest.mark.slow
def test_wrong_scheduler_credentials_are_refused_and_reported(scrapyd, tmp_path, caplog):
    node = scrapyd()
    with pytest.raises(AuthError, match="refused the credentials"):
        client(node, auth=(USERNAME, "wrong")).daemon_status()
    schedule = entries('[[schedule]]\nname = "gm"\nspider = "google_merchant"\ncron = "0 * * * *"\n')
    with StateStore(tmp_path / "state.sqlite3") as state:
        scheduler = Scheduler(schedule, [client(node, auth=(USERNAME, "wrong"))], "ornaments", state)
        scheduler.tick(at("2025-01-01T00:30:00"))
        assert [o.action for o in scheduler.tick(at("2025-01-01T01:00:00"))] == ["deferred"]
    assert "refused the credentials" in caplog.text and "wrong" not in caplog.text
    assert node.jobs()["pending"] == [] and node.jobs()["running"] == []


@pytest.mark.slow
def test_a_scheduler_restart_neither_loses_nor_duplicates_a_due_run(scrapyd, pg_url, tmp_path):
    node = scrapyd(env=node_env(pg_url))
    schedule = tmp_path / "schedules.toml"
    schedule.write_text('[[schedule]]\nname = "gm"\nspider = "google_merchant"\ncron = "0 * * * *"\n')
    state = tmp_path / "state.sqlite3"

    def once(now: str):
        result = run_scrapy("schedules", "run", "--once", "--file", str(schedule), "--state", str(state),
                            "--node", node.url, "--retries", "2", "--now", now, env=deploy_env())
        assert result.returncode == 0, result
        return [line.split() for line in result.log.splitlines() if line.startswith("gm ")]

    def job_ids():
        jobs = node.jobs()
        return sorted(j["id"] for j in jobs["pending"] + jobs["running"] + jobs["finished"])

    assert once("2025-01-01T00:30:00Z")[0][1] == "first_seen"
    # The scheduler was down at 01:00: the run is not lost when it comes back.
    shutil.copy(state, tmp_path / "state-before-01.sqlite3")
    [fired] = once("2025-01-01T01:05:00Z")
    assert fired[1:3] == ["fired", "2025-01-01T01:00:00+00:00"]
    assert once("2025-01-01T01:06:00Z") == []  # ... nor sent twice
    # A crash after posting the run but before recording it: the state on disk is as before.
    shutil.copy(tmp_path / "state-before-01.sqlite3", state)
    [again] = once("2025-01-01T01:07:00Z")
    assert again[1] == "already_fired"
    node.wait_for_job("gm.20250101T010000Z")
    assert job_ids() == ["gm.20250101T010000Z"]
    # Down from 01:07 to 04:10: three slots were missed; one run goes out, not three.
    [late] = once("2025-01-01T04:10:00Z")
    assert late[1:3] == ["fired", "2025-01-01T04:00:00+00:00"]
    node.wait_for_job("gm.20250101T040000Z")
    assert job_ids() == ["gm.20250101T010000Z", "gm.20250101T040000Z"]
    assert count(pg_url, "SELECT count(*) FROM sync_runs WHERE status = 'finished'")[0][0] == 2
    listed = run_scrapy("schedules", "list", "--file", str(schedule), "--state", str(state),
                        "--now", "2025-01-01T04:10:00Z")
    assert "2025-01-01T05:00:00+00:00" in listed.log and "2025-01-01T04:00:00+00:00 (fired)" in listed.log


@pytest.mark.slow
def test_the_long_running_scheduler_never_piles_up_and_stops_on_sigterm(scrapyd, pg_url, serve_directory, tmp_path):
    server = serve_directory(FEEDS_DIR)
    server.faults.slow_rate, server.faults.slow_seconds = 1.0, 3.0
    node = scrapyd(env=node_env(pg_url))
    schedule = tmp_path / "schedules.toml"
    schedule.write_text(f'[[schedule]]\nname = "gm"\nspider = "google_merchant"\ncron = "* * * * * */2"\n'
                        f'args = {{ feed = "{server.url}/google_merchant.xml" }}\n')
    log = tmp_path / "scheduler.log"
    process = scrapy_process("schedules", "run", "--file", str(schedule), "--state", str(tmp_path / "state.sqlite3"),
                             "--node", node.url, "--interval", "1", env=deploy_env(), log_path=log)
    try:
        deadline = time.monotonic() + 30
        while "skipping the run" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        process.terminate()
        assert process.wait(timeout=15) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    assert "sent google_merchant" in text and "skipping the run" in text and "Scheduler stopped" in text
    # Every 2 s for several seconds, yet the 3-second run never ran twice at once.
    jobs = node.jobs()
    assert len(jobs["pending"]) + len(jobs["running"]) <= 1
    with StateStore(tmp_path / "state.sqlite3", lock=True) as state:  # the lock was released on exit
        fired = [e for e in state.events("gm") if e[3] == "fired"]
        assert len(fired) == len({e[5] for e in fired}) >= 1
