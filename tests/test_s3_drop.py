"""s3_drop against a real S3 API (moto's server on loopback) and real databases: each file processed once,
oldest first; a changed file is a new task; a failing file is retried up to the bound, then left failed
and never lets the run remove anything; removal only for full catalogues; per-file JSON output; two
runs at once never take the same file; a crashed run's file is taken back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.storage.feed_files import FeedFiles, ListedObject
from ornaments.storage.schema import feed_files, price_history, products, sync_runs
from tests.fixtures.crawl import run_scrapy, scrapy_env, scrapy_process
from tests.helpers import free_port, latest_run, rows

VENDOR = "partner"


def nsx(*items: tuple[str, str, str]) -> bytes:
    """A BESTSELLER partner file with the real files' quirks: leading whitespace, no XML declaration,
    the nsx: prefix never declared, EUR and DKK prices. items: (id, description, EUR price)."""
    records = "".join(f"""
            <nsx:item id="{item_id}">
                <nsx:category>Ornaments</nsx:category>
                <nsx:description>{name}</nsx:description>
                <nsx:prices>
                    <nsx:price><nsx:currency>DKK</nsx:currency><nsx:value>{Decimal(price) * 7:.2f}</nsx:value></nsx:price>
                    <nsx:price><nsx:currency>EUR</nsx:currency><nsx:value>{price}</nsx:value></nsx:price>
                </nsx:prices>
            </nsx:item>""" for item_id, name, price in items)
    return f"\n        <nsx:items>{records}\n        </nsx:items>\n".encode()


def truncated(*items: tuple[str, str, str]) -> bytes:
    return nsx(*items)[:-40]


def drop(crawl, s3, *args: str, env: dict[str, str] | None = None):
    return crawl("s3_drop", "-a", f"source={s3.source}", "-a", f"vendor={VENDOR}", *args,
                 env={**s3.env, "ORNAMENTS_STORAGE_PROCESS": "0", **(env or {})})


def files(url: str) -> dict[str, list]:
    """key -> its rows (oldest version first)."""
    found: dict[str, list] = {}
    for row in rows(url, sa.select(feed_files).order_by(feed_files.c.id)):
        found.setdefault(row.key.rsplit("/", 1)[-1], []).append(row)
    return found


def prices(url: str) -> dict[str, list[Decimal]]:
    query = (sa.select(products.c.vendor_product_id, price_history.c.price)
             .join(price_history, price_history.c.product_id == products.c.id).order_by(price_history.c.id))
    found: dict[str, list[Decimal]] = {}
    for row in rows(url, query):
        found.setdefault(row.vendor_product_id, []).append(row.price)
    return found


def live(url: str) -> set[str]:
    return {r.vendor_product_id for r in rows(url, sa.select(products.c.vendor_product_id)
                                              .where(products.c.removed_at.is_(None)))}


def put_in_order(s3, *objects: tuple[str, bytes]) -> None:
    """Objects with strictly increasing LastModified (S3 keeps whole seconds): each one a second after the
    one before, the server's clock moved forward for them instead of waited for."""
    first = None
    for n, (key, body) in enumerate(objects):
        if n == 0:
            s3.put(key, body)
            first = s3.last_modified(key)
        else:
            s3.put(key, body, last_modified=first + timedelta(seconds=n))
    times = [s3.last_modified(key) for key, _ in objects]
    assert times == [first + timedelta(seconds=n) for n in range(len(objects))], times


def test_files_are_processed_once_oldest_first_and_written_as_json(crawl, database_url, s3):
    # b.xml is older than a.xml: key order and time order differ.
    put_in_order(s3, ("drop/b.xml", nsx(("P1", "Snow Globe", "10.00"), ("P2", "Star", "5.00"))),
                 ("drop/a.xml", nsx(("P1", "Snow Globe", "12.00"), ("BAD", "Broken", "-1.00"))))

    result = drop(crawl, s3, "-a", f"output={s3.output}")
    assert result.returncode == 0, result
    assert "undeclared_prefix" in result.log
    tasks = files(database_url)
    assert [(t.status, t.attempts) for key in ("a.xml", "b.xml") for t in tasks[key]] == [("done", 1), ("done", 1)]
    assert tasks["b.xml"][0].claimed_at < tasks["a.xml"][0].claimed_at
    run = latest_run(database_url)
    assert {tasks["a.xml"][0].run_id, tasks["b.xml"][0].run_id} == {run.id}
    # Oldest first: the newer file's price is the current one, and history has both in order.
    assert prices(database_url) == {"P1": [Decimal("10.00"), Decimal("12.00")], "P2": [Decimal("5.00")]}
    # Files are changes by default: the run is partial and removes nothing (P2 is not in a.xml).
    assert run.status == "partial" and run.items_removed == 0
    # Records are validated like any feed's: the negative price is dropped with its reason.
    assert (run.items_dropped, json.loads(run.dropped_reasons)) == (1, {"negative_price": 1})
    assert live(database_url) == {"P1", "P2"}
    # One JSON document per input file, records as read, prices exact.
    assert s3.keys("json/") == ["json/a.json", "json/b.json"]
    older = json.loads(s3.get("json/b.json"))
    assert [(r["vendor_product_id"], r["name"], r["price"], r["currency"]) for r in older] == [
        ("P1", "Snow Globe", "10.00", "EUR"), ("P2", "Star", "5.00", "EUR")]

    # A second run finds nothing new and processes nothing.
    again = drop(crawl, s3, "-a", f"output={s3.output}")
    assert again.returncode == 0, again
    assert "No new file in" in again.log and "Reading s3://" not in again.log
    assert [(t.status, t.attempts) for t in files(database_url)["b.xml"]] == [("done", 1)]
    assert prices(database_url)["P1"] == [Decimal("10.00"), Decimal("12.00")]

    # A changed file (new ETag) is a new task; the unchanged one is not read again.
    s3.put("drop/b.xml", nsx(("P1", "Snow Globe", "12.00"), ("P2", "Star", "6.00")))
    changed = drop(crawl, s3, "-a", f"output={s3.output}")
    assert changed.returncode == 0, changed
    assert changed.log.count("Reading s3://") == 1 and "b.xml" in changed.log
    versions = files(database_url)["b.xml"]
    assert [(v.status, v.attempts) for v in versions] == [("done", 1), ("done", 1)]
    assert versions[0].etag != versions[1].etag
    assert prices(database_url)["P2"] == [Decimal("5.00"), Decimal("6.00")]
    assert json.loads(s3.get("json/b.json"))[1]["price"] == "6.00"


def test_arguments_are_checked():
    from scrapy.exceptions import UsageError
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.test import get_crawler

    from ornaments.sources.file_export import output_uri
    from ornaments.sources.s3 import S3Location
    from ornaments.spiders.s3_drop import S3DropSpider

    def make(**arguments):
        return S3DropSpider.from_crawler(get_crawler(S3DropSpider, get_project_settings().copy_to_dict()), **arguments)

    spider = make(source="s3://partner-drop/bestseller/", vendor="bestseller_dk", output="s3://partner-drop/json/")
    assert (spider.vendor, spider.sync_mode) == ("bestseller_dk", "files")
    assert spider.sync_arguments["source"] == "s3://partner-drop/bestseller/"
    for bad in ({}, {"source": "https://partner.example/drop/"}, {"source": "s3://Bad_Bucket/x/"},
                {"source": "s3://partner-drop/x/", "year": "2020"}, {"source": "s3://partner-drop/x/", "url": "u"},
                {"source": "s3://partner-drop/x/", "vendor": "no spaces please"},
                {"source": "s3://partner-drop/x/", "output": "/tmp/out"}):
        with pytest.raises(UsageError):
            make(**bad)
    source = S3Location.parse("s3://partner-drop/bestseller/")
    assert output_uri(S3Location.parse("s3://out/json/"), source, "bestseller/2026/11/a.xml") == "s3://out/json/2026/11/a.json"
    assert output_uri(S3Location.parse("s3://out/json/"), source, "bestseller/feed") == "s3://out/json/feed.json"


def test_a_failing_file_is_retried_up_to_the_bound_and_never_lets_a_run_remove(crawl, database_url, s3):
    full = {"ORNAMENTS_S3_FULL_CATALOGUE": "1", "ORNAMENTS_S3_MAX_ATTEMPTS": "2",
            "ORNAMENTS_MAX_REMOVAL_SHARE": "1"}  # the guard's share rule off: these catalogues are tiny
    s3.put("drop/day1.xml", nsx(("P1", "Snow Globe", "10.00"), ("P2", "Star", "5.00"), ("P3", "Bell", "7.00")))
    first = drop(crawl, s3, env=full)
    assert first.returncode == 0 and latest_run(database_url).status == "finished", first
    assert live(database_url) == {"P1", "P2", "P3"}

    # Day 2's catalogue lacks P3; day 3's file is cut off. The run must not remove P3.
    put_in_order(s3, ("drop/day2.xml", nsx(("P1", "Snow Globe", "10.00"), ("P2", "Star", "5.00"))),
                 ("drop/day3.xml", truncated(("P1", "Snow Globe", "11.00"), ("P2", "Star", "5.00"))))
    second = drop(crawl, s3, env=full)
    assert second.returncode == 4, second  # incomplete
    run = latest_run(database_url)
    assert run.status == "incomplete" and run.items_removed == 0
    assert "day3.xml failed (attempt 1 of 2)" in second.log
    assert live(database_url) == {"P1", "P2", "P3"}
    tasks = files(database_url)
    assert (tasks["day2.xml"][0].status, tasks["day3.xml"][0].status) == ("done", "failed")
    assert "truncated feed" in tasks["day3.xml"][0].last_error and tasks["day3.xml"][0].run_id == run.id

    # Tried again by the next run (attempt 2 of 2), still broken: failed for good, still no removal.
    third = drop(crawl, s3, env=full)
    assert third.returncode == 4 and "day3.xml failed (attempt 2 of 2)" in third.log, third
    assert "It is left failed" in third.log
    assert [(t.status, t.attempts) for t in files(database_url)["day3.xml"]] == [("failed", 2)]
    assert live(database_url) == {"P1", "P2", "P3"}

    # The bound is reached: the file is left alone, and a run with nothing new is partial (removes nothing).
    fourth = drop(crawl, s3, env=full)
    assert fourth.returncode == 0 and "Reading s3://" not in fourth.log, fourth
    assert latest_run(database_url).status == "partial"
    assert [(t.status, t.attempts) for t in files(database_url)["day3.xml"]] == [("failed", 2)]
    assert live(database_url) == {"P1", "P2", "P3"}

    # The next whole catalogue, read cleanly, removes what it does not list.
    s3.put("drop/day4.xml", nsx(("P1", "Snow Globe", "10.00"), ("P2", "Star", "5.00")))
    fifth = drop(crawl, s3, env=full)
    assert fifth.returncode == 0, fifth
    run = latest_run(database_url)
    assert (run.status, run.items_removed) == ("finished", 1)
    assert live(database_url) == {"P1", "P2"}

    # The person who looks after failures: the list says why; --retry gives the file its attempts back.
    listing = run_scrapy("feedfiles", "--status", "failed", env=scrapy_env(DATABASE_URL=database_url))
    assert listing.returncode == 0 and "day3.xml" in listing.log and "truncated feed" in listing.log, listing
    assert "day1.xml" not in listing.log
    [failed] = files(database_url)["day3.xml"]
    retried = run_scrapy("feedfiles", "--retry", str(failed.id), env=scrapy_env(DATABASE_URL=database_url))
    assert retried.returncode == 0 and "1 of 1 file(s) will be read again" in retried.log, retried
    assert [(t.status, t.attempts) for t in files(database_url)["day3.xml"]] == [("failed", 0)]


def test_a_file_left_processing_by_a_dead_run_is_taken_back(crawl, database_url, s3):
    etag = s3.put("drop/day1.xml", nsx(("P1", "Snow Globe", "10.00")))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    engine = sa.create_engine(database_url)
    FeedFiles(database_url).create_tables()
    with engine.begin() as conn:
        now = sa.func.current_timestamp()
        run_id = conn.execute(sa.insert(sync_runs).values(
            spider="s3_drop", vendor=VENDOR, mode="files", arguments="{}", started_at=now, status="running",
            pid=int(dead.stdout), hostname=os.uname().nodename).returning(sync_runs.c.id)).scalar_one()
        conn.execute(sa.insert(feed_files).values(
            source=s3.source, key="drop/day1.xml", etag=etag, status="processing", attempts=1, run_id=run_id,
            created_at=now, updated_at=now, claimed_at=now))
    engine.dispose()
    result = drop(crawl, s3)
    assert result.returncode == 0, result
    assert "left unfinished by a run that ended" in result.log
    [task] = files(database_url)["day1.xml"]
    assert (task.status, task.attempts) == ("done", 2)
    assert rows(database_url, sa.select(sync_runs.c.status).where(sync_runs.c.id == run_id))[0].status == "abandoned"


def claim_all(url: str, source: str, run_id: int, claimed: list, start: threading.Barrier) -> None:
    tasks = FeedFiles(url, RetryPolicy(attempts=20, backoff=0.05, max_backoff=0.5))
    start.wait()
    while (task := tasks.claim_next(source, run_id, max_attempts=3)) is not None:
        claimed.append((task.key, run_id))
        time.sleep(0.01)  # "processing" the file: lets the other runs in, as real runs do
        tasks.finish([task.id], run_id, "done")
    tasks.close()


def test_concurrent_claims_never_take_the_same_file(database_url):
    tasks = FeedFiles(database_url)
    tasks.create_tables()
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        run_ids = [conn.execute(sa.insert(sync_runs).values(
            spider="s3_drop", vendor=VENDOR, mode="files", arguments="{}", started_at=sa.func.current_timestamp(),
            status="running", pid=os.getpid(), hostname=os.uname().nodename).returning(sync_runs.c.id)).scalar_one()
            for _ in range(4)]
    engine.dispose()
    source = "s3://drop-bucket/drop/"
    tasks.register(source, [ListedObject(f"drop/f{n:03}.xml", f"etag{n}", 10) for n in range(60)])
    claimed: list = []
    start = threading.Barrier(len(run_ids))
    workers = [threading.Thread(target=claim_all, args=(database_url, source, run_id, claimed, start))
               for run_id in run_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    keys = [key for key, _ in claimed]
    assert len(keys) == 60 and len(set(keys)) == 60
    assert len({run_id for _, run_id in claimed}) > 1  # the work was really shared
    stored = rows(database_url, sa.select(feed_files.c.status, feed_files.c.attempts))
    assert {(r.status, r.attempts) for r in stored} == {("done", 1)} and len(stored) == 60
    tasks.close()


def test_two_crawls_at_once_never_process_the_same_file(pg_url, s3, tmp_path):
    for n in range(8):
        s3.put(f"drop/f{n}.xml", nsx(*[(f"F{n}-{i}", f"Ornament {n}-{i}", "3.00") for i in range(50)]))
    env = scrapy_env(DATABASE_URL=pg_url, ORNAMENTS_STORAGE_PROCESS="0", **s3.env)
    paths = [tmp_path / f"crawl-{n}.log" for n in range(2)]
    crawls = [scrapy_process("crawl", "s3_drop", "-a", f"source={s3.source}", "-a", f"vendor={VENDOR}", env=env,
                             log_path=path) for path in paths]  # both started before either is waited for
    codes = [c.wait(timeout=180) for c in crawls]
    logs = [path.read_text() for path in paths]
    assert codes == [0, 0], logs
    tasks = rows(pg_url, sa.select(feed_files))
    assert len(tasks) == 8 and {(t.status, t.attempts) for t in tasks} == {("done", 1)}
    read = [log.count("Reading s3://") for log in logs]
    assert sum(read) == 8, read
    assert len(rows(pg_url, sa.select(products.c.id))) == 400


# --- reactive mode: S3 events -> Scrapyd ----------------------------------------------------------

EVENTS_SECRET = "test-events-secret-0123456789"


def s3_event(bucket: str, key: str, etag: str, name: str = "ObjectCreated:Put") -> dict:
    return {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": name,
                         "eventTime": "2026-11-23T12:00:00.000Z",
                         "s3": {"bucket": {"name": bucket}, "object": {"key": key, "eTag": etag, "size": 100}}}]}


def post(url: str, body: dict, secret: str | None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if secret is not None:
        request.add_header("Authorization", f"Bearer {secret}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def events_endpoint(tmp_path, pg_url, s3, scrapyd):
    """A Scrapyd node with the project deployed, and `scrapy s3events` in front of it."""
    node = scrapyd(env={"DATABASE_URL": pg_url, "ORNAMENTS_STORAGE_PROCESS": "0", **s3.env})
    schedule = tmp_path / "schedules.toml"
    schedule.write_text(f'[[schedule]]\nname = "partner-drop"\nspider = "s3_drop"\ncron = "*/10 * * * *"\n'
                        f'args = {{ source = "{s3.source}", vendor = "{VENDOR}" }}\n')
    port = free_port()
    env = scrapy_env(DATABASE_URL=pg_url, ORNAMENTS_S3_EVENTS_SECRET=EVENTS_SECRET,
                     SCRAPYD_USERNAME=node.username, SCRAPYD_PASSWORD=node.password)
    log_path = tmp_path / "s3events.log"
    server = scrapy_process("s3events", "--port", str(port), "--file", str(schedule), "--node", node.url, env=env,
                            log_path=log_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                server.wait(timeout=15)
                raise AssertionError(f"scrapy s3events did not start: {log_path.read_text()[-3000:]}")
            time.sleep(0.2)
    yield url, node
    server.terminate()
    server.wait(timeout=15)
    assert EVENTS_SECRET not in log_path.read_text()


def test_an_s3_event_schedules_one_run_on_scrapyd_and_duplicates_do_nothing(events_endpoint, pg_url, s3):
    url, node = events_endpoint
    s3.put("drop/not-announced.xml", nsx(("N1", "Bell", "1.00")))  # the polled runs' business, not this run's
    etag = s3.put("drop/2026-11-23 new.xml", nsx(("E1", "Angel", "9.50")))
    event = s3_event(s3.name, "drop/2026-11-23+new.xml", etag)  # keys arrive URL-encoded

    for secret in (None, "wrong-secret", EVENTS_SECRET[:-1]):
        status, answer = post(f"{url}/s3-events", event, secret)
        assert status == 401, answer
    assert rows(pg_url, sa.select(feed_files)) == [] and node.jobs()["pending"] == node.jobs()["running"] == []

    status, answer = post(f"{url}/s3-events", event, EVENTS_SECRET)
    assert status == 200, answer
    [result] = answer["results"]
    assert (result["action"], result["key"], result["node"]) == ("scheduled", "drop/2026-11-23 new.xml", node.url)
    job = node.wait_for_job(result["job"], timeout=90)
    log = node.job_log(job["id"], "s3_drop")
    assert log.count("Reading s3://") == 1 and "new.xml" in log, log[-3000:]
    [task] = rows(pg_url, sa.select(feed_files))  # the run is limited to the announced object
    assert (task.key, task.status, task.attempts, task.etag) == ("drop/2026-11-23 new.xml", "done", 1, etag)
    assert live(pg_url) == {"E1"}

    # S3 delivers at least once: the same event again does nothing.
    status, answer = post(f"{url}/s3-events", event, EVENTS_SECRET)
    assert status == 200 and answer["results"][0]["action"] == "duplicate", answer
    jobs = node.jobs()
    assert len(jobs["finished"]) == 1 and jobs["pending"] == jobs["running"] == []
    assert len(rows(pg_url, sa.select(feed_files))) == 1

    # An object outside every watched folder, or an event of another kind, is ignored.
    status, answer = post(f"{url}/s3-events", s3_event(s3.name, "elsewhere/x.xml", "abc"), EVENTS_SECRET)
    assert status == 200 and answer["results"][0]["action"] == "ignored", answer
    status, answer = post(f"{url}/s3-events", s3_event(s3.name, "drop/y.xml", "abc", "ObjectRemoved:Delete"),
                          EVENTS_SECRET)
    assert status == 200 and answer["results"][0]["action"] == "ignored", answer
    status, answer = post(f"{url}/s3-events", {"Records": "nope"}, EVENTS_SECRET)
    assert status == 400, answer
    assert len(node.jobs()["finished"]) == 1


def test_throttled_s3_calls_are_retried_with_backoff(sqlite_url, s3, flaky_s3):
    database_url = sqlite_url  # S3 retries do not depend on the database: checked once

    def crawl(spider, *args, env):
        return run_scrapy("crawl", spider, *args, env=scrapy_env(DATABASE_URL=database_url, **env))

    put_in_order(s3, ("drop/one.xml", nsx(("T1", "Tree", "4.00"))), ("drop/two.xml", nsx(("T2", "Wreath", "6.00"))))
    result = drop(crawl, s3, "-a", f"output={s3.output}", env={"AWS_ENDPOINT_URL": flaky_s3.endpoint})
    assert result.returncode == 0, result
    throttled = [entry for entry in flaky_s3.log if entry[2] == 503]
    assert {method for method, _, _ in throttled} >= {"GET", "PUT"}  # listing, downloads and JSON uploads
    assert {(t.status, t.attempts) for ts in files(database_url).values() for t in ts} == {("done", 1)}
    assert s3.keys("json/") == ["json/one.json", "json/two.json"]
    assert live(database_url) == {"T1", "T2"}
