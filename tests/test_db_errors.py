"""A database that refuses us fails at once, in one line; a server down at the start is waited for briefly.

Real servers: the PostgreSQL of the machine (a database or role that does not exist) and throwaway
clusters (one whose logins need a password, one that is down when the crawl starts).
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import sqlalchemy as sa

from tests.fixtures.crawl import PROJECT_ROOT, CrawlResult, run_scrapy, scrapy_env
from tests.helpers import refused_port

WRONG_PASSWORD = "wrong-horse-staple-42"
# Long enough that a refusal retried like an outage (as before) cannot pass the time checks below.
RETRY_BUDGET = {"ORNAMENTS_DB_RETRY_SECONDS": "60"}


def timed_crawl(database_url: str, **env: str) -> tuple[CrawlResult, float]:
    started = time.monotonic()
    result = run_scrapy("crawl", "google_merchant", env=scrapy_env(DATABASE_URL=database_url, **env))
    return result, time.monotonic() - started


def assert_fails_at_once(result: CrawlResult, took: float, says: str) -> str:
    assert result.returncode == 5, result
    assert took < 30, f"took {took:.0f}s: the refusal was retried"
    assert "retrying" not in result.log and "Traceback" not in result.log, result
    lines = [line for line in result.log.splitlines() if "Cannot sync" in line]
    assert len(lines) == 1 and says in lines[0], result
    return lines[0]


def test_a_database_that_does_not_exist_fails_at_once_with_one_line(pg_url):
    missing = f"ornaments_missing_{uuid.uuid4().hex[:8]}"
    result, took = timed_crawl(sa.make_url(pg_url).set(database=missing).render_as_string(False), **RETRY_BUDGET)
    line = assert_fails_at_once(result, took, f'database "{missing}" does not exist')
    assert "refused the connection" in line


def test_a_role_that_does_not_exist_fails_at_once_with_one_line(pg_url):
    role = f"nobody_{uuid.uuid4().hex[:8]}"
    url = sa.make_url(pg_url).set(username=role, password=WRONG_PASSWORD).render_as_string(False)
    result, took = timed_crawl(url, **RETRY_BUDGET)
    assert_fails_at_once(result, took, f'role "{role}" does not exist')
    assert WRONG_PASSWORD not in result.log


def test_a_wrong_password_fails_at_once_and_is_never_printed(pg_cluster_with_password):
    right = pg_cluster_with_password.url
    wrong = sa.make_url(right).set(password=WRONG_PASSWORD).render_as_string(False)
    result, took = timed_crawl(wrong, **RETRY_BUDGET)
    line = assert_fails_at_once(result, took, 'password authentication failed for user "postgres"')
    assert "postgres:***@127.0.0.1" in line
    assert WRONG_PASSWORD not in result.log
    # The server really checks passwords: the right one is let in, and the run stores the feed.
    result, _took = timed_crawl(right)
    assert result.returncode == 0, result
    assert pg_cluster_with_password.query("SELECT count(*) FROM products") > 0


def test_commands_say_a_refused_login_in_one_line(pg_cluster_with_password):
    wrong = sa.make_url(pg_cluster_with_password.url).set(password=WRONG_PASSWORD).render_as_string(False)
    env = scrapy_env(DATABASE_URL=wrong, **RETRY_BUDGET)
    for command in (["runs"], ["changes"], ["db", "upgrade"], ["webhooks", "list"], ["apikeys", "list"],
                    ["feedfiles"]):
        started = time.monotonic()
        result = run_scrapy(*command, env=env)
        output = result.log.strip().splitlines()
        assert result.returncode == 5, (command, result)
        assert time.monotonic() - started < 30, command
        assert "Traceback" not in result.log and WRONG_PASSWORD not in result.log, (command, result)
        assert "password authentication failed" in output[-1], (command, result)
        assert len([line for line in output if "cannot use the database" in line]) == 1, (command, result)


def test_an_unusable_database_url_is_one_line():
    for url, says in (("oracle://scott:tiger@db.example/orders", "cannot be used"),
                      ("sqlite:////no/such/folder/ornaments.sqlite3", "cannot be opened")):
        result = run_scrapy("crawl", "google_merchant", env=scrapy_env(DATABASE_URL=url))
        assert result.returncode == 5, result
        assert "Traceback" not in result.log and "tiger" not in result.log, result
        assert says in result.log, result
        result = run_scrapy("runs", env=scrapy_env(DATABASE_URL=url))
        assert result.returncode == 5 and "Traceback" not in result.log and says in result.log, result


def test_a_server_down_at_the_start_is_waited_for_briefly_with_one_line():
    with refused_port() as port:
        url = f"postgresql+psycopg2://postgres:{WRONG_PASSWORD}@127.0.0.1:{port}/ornaments"
        result, took = timed_crawl(url, ORNAMENTS_DB_START_WAIT="3", **RETRY_BUDGET)
    assert result.returncode == 5, result
    assert 3 <= took < 30, f"took {took:.0f}s: the run-time retry budget was used at the start"
    waiting = [line for line in result.log.splitlines() if "waiting for the database" in line]
    assert len(waiting) == 1 and f"waiting for the database at 127.0.0.1:{port}" in waiting[0], result
    assert "could not be reached within 3s" in result.log and "Connection refused" in result.log, result
    assert "retrying" not in result.log and "Traceback" not in result.log, result
    assert WRONG_PASSWORD not in result.log


def test_a_server_that_starts_during_the_wait_is_used(pg_cluster):
    pg_cluster.stop()
    process = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "google_merchant"], cwd=PROJECT_ROOT,
                               env=scrapy_env(DATABASE_URL=pg_cluster.url, ORNAMENTS_DB_START_WAIT="60"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    head = []
    try:
        for line in process.stdout:  # until the crawl says it waits (or ends)
            head.append(line)
            if "waiting for the database" in line:
                break
        pg_cluster.start()
        rest, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    log = "".join(head) + rest
    assert process.returncode == 0, log[-4000:]
    waiting = [line for line in log.splitlines() if "waiting for the database" in line]
    assert len(waiting) == 1, log[-4000:]
    assert "failed (try" not in log, log[-4000:]  # no warning per try, as the run-time retries give
    assert pg_cluster.query("SELECT count(*) FROM products") > 0


def test_the_api_says_it_cannot_log_in_to_its_database(pg_cluster_with_password, tmp_path):
    from tests.fixtures.api_server import start_api

    wrong = sa.make_url(pg_cluster_with_password.url).set(password=WRONG_PASSWORD).render_as_string(False)
    process, server = start_api(wrong, tmp_path, **RETRY_BUDGET)
    try:
        started = time.monotonic()
        answer = server.client("orn_some_key").get("/products")
        assert time.monotonic() - started < 10  # not retried like an outage
        assert answer.status_code == 503, answer.text
        assert answer.json() == {"error": "the API cannot log in to its database; its log says why"}
        assert "password authentication failed" in server.log()
        assert WRONG_PASSWORD not in server.log()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_host_name_that_does_not_resolve_fails_at_once_with_one_line():
    """A typo in the host name is no server starting up: it waited ORNAMENTS_DB_START_WAIT (30 s) with a
    'waiting for the database' line first. '.invalid' never resolves (RFC 2606)."""
    url = f"postgresql+psycopg2://postgres:{WRONG_PASSWORD}@db-typo.invalid:5432/ornaments"
    result, took = timed_crawl(url, ORNAMENTS_DB_START_WAIT="30", **RETRY_BUDGET)
    line = assert_fails_at_once(result, took, "its host name db-typo.invalid does not resolve")
    assert took < 20 and "waiting for the database" not in result.log, (took, result)
    assert WRONG_PASSWORD not in result.log and "postgres:***@db-typo.invalid" in line
    result = run_scrapy("runs", env=scrapy_env(DATABASE_URL=url, ORNAMENTS_DB_START_WAIT="30"))
    assert result.returncode == 5 and "Traceback" not in result.log, result
    assert result.log.strip().splitlines()[-1].endswith("its host name db-typo.invalid does not resolve"), result


def test_the_api_on_a_database_without_tables_says_run_db_upgrade(database_url, tmp_path):
    """A new database before `scrapy db upgrade`: every endpoint was 500 'internal error' and a traceback."""
    from tests.fixtures.api_server import start_api

    process, server = start_api(database_url, tmp_path)
    try:
        for path in ("/products", "/runs", "/ui/runs"):
            answer = server.client("orn_some_key").get(path)
            assert answer.status_code == 503, (path, answer.text)
            assert "scrapy db upgrade" in answer.json()["error"], (path, answer.text)
        log = server.log()
        assert "Traceback" not in log and ("does not exist" in log or "no such table" in log), log[-3000:]
    finally:
        process.terminate()
        process.wait(timeout=30)
