"""POST /imports and GET /runs/{id}/progress, end to end: real uvicorn, real `scrapy crawl` workers."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.storage.schema import products, sync_runs
from tests.feedgen import generated_products_csv, merchant_item, write_merchant_feed
from ornaments import settings as project_settings
from ornaments.api import models
from ornaments.api.keys import create_key
from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore
from ornaments.clock import utcnow
from ornaments.storage.runs import queue_run
from tests.fixtures.api_server import sse_events, start_api
from tests.fixtures.scrapyd import PASSWORD, USERNAME
from tests.helpers import rows

pytestmark = pytest.mark.api_env(ORNAMENTS_BATCH_SIZE="500", ORNAMENTS_BATCH_SECONDS="0.5")


def follow(server, key: str, run_id: int, timeout: float = 120) -> list[tuple[str, dict]]:
    events = []
    with server.client(key, timeout=timeout).stream("GET", f"/runs/{run_id}/progress") as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        for event in sse_events(response):
            events.append(event)
    return events


def test_a_csv_upload_syncs_and_its_progress_streams_to_the_end(api_server, api_keys, tmp_path):
    feed = generated_products_csv(tmp_path / "catalog.csv", 3000)
    with open(feed, "rb") as file:
        answer = api_server.client(api_keys["write"]).post("/imports", files={"file": ("catalog.csv", file, "text/csv")})
    assert answer.status_code == 202, answer.text
    started = answer.json()
    models.ImportAccepted.model_validate(started)
    assert (started["spider"], started["status"], started["size"]) == ("products_csv", "queued", feed.stat().st_size)
    events = follow(api_server, api_keys["read"], started["run_id"])
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "end" and set(kinds[:-1]) == {"progress"} and len(kinds) >= 2
    end = events[-1][1]
    # An upload is partial unless declared a full catalogue: it stores everything and removes nothing.
    assert (end["status"], end["stored"], end["new"], end["records_read"], end["dropped"]) == \
        ("partial", 3000, 3000, 3000, 0)
    assert end["counts"]["new"] == 3000 and end["eta_seconds"] == 0
    assert any(data["status"] == "running" for _, data in events[:-1])
    # Stored counts only grow while the run goes on.
    stored = [data["stored"] for _, data in events]
    assert stored == sorted(stored)
    kept = api_server.imports_dir / str(started["run_id"]) / "catalog.csv"
    assert kept.read_bytes() == feed.read_bytes()
    run = rows(api_server.database_url, sa.select(sync_runs).where(sync_runs.c.id == started["run_id"]))[0]
    assert (run.spider, run.vendor, run.mode, run.status, run.items_new) == \
        ("products_csv", "partner", "partial", "partial", 3000)  # the key's default source
    assert str(kept) in run.arguments
    price = rows(api_server.database_url, sa.select(products.c.price).where(products.c.vendor_product_id == "P0000007"))
    assert price[0].price == Decimal("11.75")


# The production launcher (a cold `python -m scrapy` subprocess) here; the other tests' crawls are forks of a
# warm process (tests.scrapy_fork.start_scrapy), which the API watches the same way.
@pytest.mark.api_env(ORNAMENTS_BATCH_SIZE="500", ORNAMENTS_BATCH_SECONDS="0.5", ORNAMENTS_API_IMPORT_LAUNCHER=None)
def test_an_xml_upload_goes_to_its_feed_spider_and_bad_uploads_are_refused(api_server, api_keys, tmp_path):
    feed = write_merchant_feed(tmp_path / "partner.xml", [merchant_item(i, "12.50") for i in range(5)])
    client = api_server.client(api_keys["write"])
    answer = client.post("/imports", files={"file": ("partner.xml", feed.read_bytes())})
    assert answer.status_code == 202 and answer.json()["spider"] == "google_merchant"
    end = follow(api_server, api_keys["read"], answer.json()["run_id"])[-1][1]
    assert (end["status"], end["stored"]) == ("partial", 5)

    empty = client.post("/imports", files={"file": ("e.csv", b"")})
    assert empty.status_code == 400 and "empty" in empty.json()["error"]
    html = client.post("/imports", files={"file": ("page.xml", b"<?xml version='1.0'?><html><body/></html>")})
    assert html.status_code == 400 and "<html>" in html.json()["error"]
    assert client.post("/imports", files={"file": ("x.csv", b"a,b\n")}, data={"spider": "nope"}).status_code == 400
    # A Rakuten catalogue (either form) is its network spider's: said so, not read as a shop's CSV.
    for name, body in (("mid.xml", b"<?xml version='1.0'?><merchandiser><header/></merchandiser>"),
                       ("mid.txt", b"HDR|35269|Cult Beauty Ltd.|2012-09-03/14:53:58\n1117|Cream|IST015\n")):
        rakuten = client.post("/imports", files={"file": (name, body)})
        assert rakuten.status_code == 400 and "scrapy crawl rakuten -a merchant=" in rakuten.json()["error"], name
    # A value the crawl would refuse (a bad -a columns) is refused before any run is queued.
    bad = client.post("/imports", files={"file": ("c.csv", b"Title,Item\nA,1\n")}, data={"columns": "colour:Title"})
    assert bad.status_code == 400 and "columns: 'colour' is not a product field" in bad.json()["error"], bad.text


@pytest.fixture
def pg_api(pg_url, tmp_path):
    """The API on PostgreSQL only (not both backends) with a write key and a read key."""
    store = CatalogStore(pg_url, retry=RetryPolicy(attempts=3, backoff=0.1))
    store.create_tables()
    with store.engine.begin() as conn:
        keys = {"write": create_key(conn, "importer", write=True, source="partner")[1],
                "read": create_key(conn, "website")[1]}
    store.close()
    process, server = start_api(pg_url, tmp_path, ORNAMENTS_BATCH_SIZE="500", ORNAMENTS_BATCH_SECONDS="0.5")
    try:
        yield server, keys
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.slow
def test_a_500000_row_upload_never_sits_in_memory_nor_blocks_the_api(pg_api, tmp_path):
    # One backend: the run stores nothing, so the database only holds the run's row (both backends' run
    # records are covered by the other uploads), and its 500,000 rows took 23-29 s on each.
    api_server, api_keys = pg_api
    feed = generated_products_csv(tmp_path / "big.csv", 500_000)
    size = feed.stat().st_size
    before = api_server.peak_rss_kb()
    latencies: list[float] = []
    uploading = threading.Event()

    def poll_health() -> None:
        with api_server.client() as client:
            while uploading.is_set():
                started = time.monotonic()
                assert client.get("/health").status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.05)

    uploading.set()
    poller = threading.Thread(target=poll_health)
    poller.start()
    try:
        with open(feed, "rb") as file:
            # year=1980 keeps no record in scope: the crawl reads the whole file but stores nothing, so the
            # test measures the upload, not a 500,000-product sync.
            answer = api_server.client(api_keys["write"]).post("/imports", files={"file": ("big.csv", file)},
                                                               data={"year": "1980"})
    finally:
        uploading.clear()
        poller.join()
    assert answer.status_code == 202 and answer.json()["size"] == size
    growth_mb = (api_server.peak_rss_kb() - before) / 1024
    assert growth_mb < size / 1e6 / 4, f"the API grew by {growth_mb:.0f} MB for a {size / 1e6:.0f} MB upload"
    assert latencies and max(latencies) < 1.0, latencies
    end = follow(api_server, api_keys["read"], answer.json()["run_id"], timeout=300)[-1]
    assert end[0] == "end" and (end[1]["records_read"], end[1]["stored"]) == (500_000, 0)


@pytest.mark.slow
def test_an_upload_runs_on_scrapyd_when_nodes_are_configured(pg_url, scrapyd, tmp_path):
    node = scrapyd(env={"DATABASE_URL": pg_url, "ORNAMENTS_BATCH_SECONDS": "0.5"})
    store = CatalogStore(pg_url, retry=RetryPolicy(attempts=3, backoff=0.1))
    store.create_tables()
    with store.engine.begin() as conn:
        _, key = create_key(conn, "importer", write=True, source="partner")
    store.close()
    process, server = start_api(pg_url, tmp_path, SCRAPYD_NODES=f"http://127.0.0.1:1,{node.url}",  # one node down
                                SCRAPYD_USERNAME=USERNAME, SCRAPYD_PASSWORD=PASSWORD)
    try:
        feed = generated_products_csv(tmp_path / "catalog.csv", 200)
        answer = server.client(key).post("/imports", files={"file": ("catalog.csv", feed.read_bytes())})
        assert answer.status_code == 202, answer.text
        run_id = answer.json()["run_id"]
        end = follow(server, key, run_id)[-1][1]
        assert (end["status"], end["stored"], end["records_read"]) == ("partial", 200, 200)
        assert node.wait_for_job(f"import-{run_id}")["id"] == f"import-{run_id}"  # it ran there
        assert PASSWORD not in server.log()
    finally:
        process.terminate()
        process.wait(10)


def test_a_crawl_takes_over_only_a_queued_run(store):
    with store.engine.begin() as conn:
        queued = queue_run(conn, "products_csv", "products_csv", {"upload": "a.csv"})
    run_id, _ = store.start_run("products_csv", "products_csv", {"feed": "/x/a.csv"}, "all", None, queued_run=queued)
    run = rows(str(store.engine.url.render_as_string(hide_password=False)),
               sa.select(sync_runs).where(sync_runs.c.id == queued))[0]
    assert run_id == queued and run.status == "running" and run.pid == os.getpid() and "/x/a.csv" in run.arguments
    for taken in (queued, 999_999):  # already running; never queued
        with pytest.raises(ValueError, match="not a queued run"):
            store.start_run("products_csv", "products_csv", {}, "all", None, queued_run=taken)


def test_a_run_queued_for_two_days_is_abandoned(store):
    with store.engine.begin() as conn:
        stale = queue_run(conn, "products_csv", "products_csv", {})
        fresh = queue_run(conn, "products_csv", "products_csv", {})
        conn.execute(sync_runs.update().where(sync_runs.c.id == stale).values(started_at=utcnow() - timedelta(hours=49)))
    store.runs.latest(timedelta(hours=project_settings.ORNAMENTS_ABANDONED_AFTER_HOURS))  # `scrapy runs` looks
    statuses = dict(rows(str(store.engine.url.render_as_string(hide_password=False)),
                         sa.select(sync_runs.c.id, sync_runs.c.status)))
    assert (statuses[stale], statuses[fresh]) == ("abandoned", "queued")
