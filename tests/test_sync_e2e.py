"""`scrapy crawl` in a subprocess on the sample feeds, then assertions on the stored rows."""

from __future__ import annotations

import csv
import json
import shutil
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg2
import sqlalchemy as sa

from ornaments.settings import FEED_EXPORT_FIELDS
from ornaments.storage.schema import price_history, product_changes, product_events, products
from tests.feedgen import generated_merchant_feed, merchant_item, write_merchant_feed
from tests.helpers import latest_run, rows
from tests.fixtures.crawl import run_scrapy, scrapy_env

FEEDS = Path(__file__).resolve().parents[1] / "feeds"


def test_second_identical_sync_changes_nothing(crawl, database_url):
    first = crawl("google_merchant")
    assert first.returncode == 0, first
    before = rows(database_url, sa.select(products).order_by(products.c.id))
    second = crawl("google_merchant")
    assert "ended finished: 0 new, 0 updated, 5 unchanged, 0 removed" in second.log, second
    after = rows(database_url, sa.select(products).order_by(products.c.id))
    assert [(r.id, r.changed_at, r.price) for r in before] == [(r.id, r.changed_at, r.price) for r in after]
    assert len(rows(database_url, sa.select(price_history))) == 5
    run = latest_run(database_url)
    assert (run.status, run.items_new, run.items_updated, run.items_unchanged, run.items_removed) == \
        ("finished", 0, 0, 5, 0)


def test_an_edited_feed_records_exactly_the_edits(crawl, database_url):
    assert crawl("google_merchant").returncode == 0
    result = crawl("google_merchant", "-a", "feed=google_merchant-next-day.xml")
    assert "1 new, 2 updated, 2 unchanged, 1 removed" in result.log, result
    stored = {r.vendor_product_id: r for r in rows(database_url, sa.select(products))}
    assert stored["KC-QXR1111"].price == Decimal("18.99") and stored["KC-QXR1111"].removed_at is None
    assert stored["KC-QXI3204"].price == Decimal("29.99")
    assert stored["KC-QX9074"].availability == "in_stock"
    assert stored["KC-QXR6124"].removed_at is not None and stored["KC-QXR6124"].availability == "discontinued"
    history = rows(database_url, sa.select(products.c.vendor_product_id, price_history.c.price)
                   .join(products).order_by(price_history.c.id))
    assert history[5:] == [("KC-QXR1111", Decimal("18.99")), ("KC-QXI3204", Decimal("29.99"))] or \
        sorted(history[5:]) == [("KC-QXI3204", Decimal("29.99")), ("KC-QXR1111", Decimal("18.99"))]
    changes = rows(database_url, sa.select(products.c.vendor_product_id, product_changes.c.field,
                                           product_changes.c.old_value, product_changes.c.new_value)
                   .join(products).order_by(product_changes.c.id))
    assert sorted((c[0], c[1], c[2] if c[1] != "removed_at" else None) for c in changes) == [
        ("KC-QX9074", "availability", "out_of_stock"), ("KC-QXR6124", "availability", "backorder"),
        ("KC-QXR6124", "removed_at", None)]
    report = run_scrapy("changes", env=scrapy_env(DATABASE_URL=database_url))
    assert "34.99 USD -> 29.99 USD" in report.log and "removed" in report.log
    # g:price is also the regular price: its change is one price_changed event, no "updated".
    moved = rows(database_url, sa.select(product_events.c.type, product_events.c.data)
                 .where(product_events.c.vendor_product_id == "KC-QXI3204", product_events.c.type != "created"))
    assert [m.type for m in moved] == ["price_changed"]
    assert json.loads(moved[0].data)["old_regular_price"] == "34.99"


def test_a_truncated_feed_marks_the_run_incomplete_and_removes_nothing(pg_crawl, pg_url, tmp_path):
    assert pg_crawl("google_merchant").returncode == 0
    body = (FEEDS / "google_merchant.xml").read_bytes()
    (tmp_path / "cut.xml").write_bytes(body[:len(body) // 2])
    result = pg_crawl("google_merchant", "-a", f"feed={tmp_path / 'cut.xml'}")
    assert "not well-formed XML" in result.log and "Nothing was marked removed" in result.log
    assert latest_run(pg_url).status == "incomplete"
    assert rows(pg_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_a_missing_feed_and_an_empty_feed_remove_nothing(pg_crawl, pg_url, tmp_path):
    assert pg_crawl("google_merchant").returncode == 0
    missing = pg_crawl("google_merchant", "-a", f"feed={tmp_path / 'nope.xml'}")
    assert "Could not read the feed" in missing.log and latest_run(pg_url).status == "incomplete"
    write_merchant_feed(tmp_path / "empty.xml", [])
    pg_crawl("google_merchant", "-a", f"feed={tmp_path / 'empty.xml'}")
    assert latest_run(pg_url).status == "suspect"
    assert rows(pg_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_a_feed_forbidden_by_robots_txt_is_not_read_and_removes_nothing(pg_crawl, pg_url, serve_directory, tmp_path):
    assert pg_crawl("google_merchant").returncode == 0
    shutil.copy(FEEDS / "google_merchant-next-day.xml", tmp_path / "feed.xml")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    server = serve_directory(tmp_path)
    result = pg_crawl("google_merchant", "-a", f"feed={server.url}/feed.xml")
    assert ("/feed.xml", 200) not in server.requests, result
    assert latest_run(pg_url).status == "incomplete"
    assert rows(pg_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_a_feed_over_http_survives_server_errors_through_retries(pg_crawl, pg_url, serve_directory, tmp_path):
    shutil.copy(FEEDS / "bestseller.xml", tmp_path / "products.xml")
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = serve_directory(tmp_path)
    fails = {"left": 2}

    def flaky(request):
        if fails["left"]:
            fails["left"] -= 1
            return 503, "text/plain", b"busy"
        return 200, "application/xml", (tmp_path / "products.xml").read_bytes()

    server.routes["/products.xml"] = flaky
    result = pg_crawl("bestseller", "-a", f"feed={server.url}/products.xml", "-s", "RETRY_BACKOFF_BASE=0.05")
    assert [s for p, s in server.requests if p == "/products.xml"] == [503, 503, 200], result
    assert latest_run(pg_url).status == "finished" and len(rows(pg_url, sa.select(products))) == 3


def test_one_product_by_url_is_a_partial_run(pg_crawl, pg_url):
    assert pg_crawl("products_csv").returncode == 0
    result = pg_crawl("products_csv", "-a", "url=https://www.ornament-outlet.example/p/QXR6001")
    run = latest_run(pg_url)
    assert (run.status, run.mode, run.items_unchanged, run.items_removed) == ("partial", "url", 1, 0), result
    assert rows(pg_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_a_year_run_syncs_and_removes_only_that_year(pg_crawl, pg_url, tmp_path):
    feed = write_merchant_feed(tmp_path / "f.xml", [merchant_item(1, "1.00", 2019), merchant_item(2, "2.00", 2020),
                                                    merchant_item(3, "3.00", 2020)])
    labels = "labels=custom_label_0:release_year"  # the generated feed keeps the year in custom_label_0
    assert pg_crawl("google_merchant", "-a", f"feed={feed}", "-a", labels).returncode == 0
    write_merchant_feed(feed, [merchant_item(2, "2.50", 2020)])
    # 1 of the year's 2 live products goes: above the removal guard's 20%, so accepted here by hand.
    result = pg_crawl("google_merchant", "-a", f"feed={feed}", "-a", "year=2020", "-a", labels,
                      "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert "0 new, 1 updated, 0 unchanged, 1 removed" in result.log, result
    removed = rows(pg_url, sa.select(products.c.vendor_product_id).where(products.c.removed_at.is_not(None)))
    assert removed == [("P0000003",)]


def test_bad_rows_are_dropped_with_reasons_and_good_rows_stored(pg_crawl, pg_url, tmp_path):
    feed = tmp_path / "bad.csv"
    feed.write_text(
        "name,sku,description,price,currency,availability,year,image_urls,url\n"
        "Good one,G1,ok,$5.00,USD,In Stock,2020,,https://x.example/g1\n"
        ",B1,no name,$5.00,USD,In Stock,2020,,https://x.example/b1\n"
        "Negative,B2,bad price,-5.00,USD,In Stock,2020,,https://x.example/b2\n"
        "Too old,B3,bad year,5.00,USD,In Stock,1850,,https://x.example/b3\n"
        "No link,B4,no url,5.00,USD,In Stock,2020,,\n"
        "Good one again,G1,duplicate,$6.00,USD,In Stock,2020,,https://x.example/g1\n", encoding="utf-8")
    # 4 of 5 records dropped would make the run suspect (ORNAMENTS_MAX_DROP_SHARE); this test is about the reasons.
    result = pg_crawl("products_csv", "-a", f"feed={feed}", "-s", "ORNAMENTS_MAX_DROP_SHARE=1")
    assert result.returncode == 0
    for words in ("products_csv product B1", "name is missing (missing_name)", "price -5.00 is negative",
                  "release_year 1850 is outside"):
        assert words in result.log, words
    run = latest_run(pg_url)
    assert json.loads(run.dropped_reasons) == {"duplicate": 1, "missing_name": 1, "negative_price": 1,
                                               "year_out_of_range": 1}
    # Only a key and a name are required: a product without a URL is stored without one.
    stored = rows(pg_url, sa.select(products.c.vendor_product_id, products.c.price, products.c.url)
                  .order_by(products.c.vendor_product_id))
    assert stored == [("B4", Decimal("5.00"), None), ("G1", Decimal("5.00"), "https://x.example/g1")]
    assert run.status == "finished" and run.items_dropped == 4


def test_json_and_csv_exports_carry_exact_prices_in_a_stable_order(crawl, tmp_path):
    assert crawl("google_merchant", "-O", str(tmp_path / "out.json")).returncode == 0
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert list(exported[0]) == [f for f in FEED_EXPORT_FIELDS if f in exported[0]]
    by_id = {e["vendor_product_id"]: e for e in exported}
    assert by_id["KC-QX1571"]["price"] == "1299.95" and by_id["KC-QXR9221"]["price"] == "15.00"
    assert crawl("google_merchant", "-O", str(tmp_path / "out.csv")).returncode == 0
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == FEED_EXPORT_FIELDS
        exported_rows = {r["vendor_product_id"]: r for r in reader}
    assert exported_rows["KC-QX1571"]["price"] == "1299.95"
    # The sample feed links its images relative to itself (feeds/images/): read against the feed's URL.
    assert exported_rows["KC-QXI3204"]["image_urls"].split(" ") == [
        (FEEDS / "images" / name).resolve().as_uri() for name in ("qxi3204.jpg", "qxi3204-back.jpg")]
    assert exported_rows["KC-QXI3204"]["name"] == "Star Wars™ The Mandalorian™ and Grogu™ 2020 Ornament"


def utc_stamp() -> str:
    """Now, the way Scrapy writes %(time)s in a feed URI."""
    return datetime.now(tz=timezone.utc).replace(microsecond=0).isoformat().replace(":", "-")


def test_the_configured_feeds_setting_writes_one_file_per_run(crawl, tmp_path):
    uri = f"{tmp_path}/exports/%(name)s/%(time)s.json"
    assert crawl("bestseller", env={"ORNAMENTS_EXPORT_URI": uri, "ORNAMENTS_EXPORT_FORMAT": "json"}).returncode == 0
    # %(time)s has one-second resolution: the second run starts once the clock is past the first's second.
    first = next((tmp_path / "exports" / "bestseller").glob("*.json")).stem
    deadline = time.monotonic() + 5
    while utc_stamp() <= first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert crawl("bestseller", env={"ORNAMENTS_EXPORT_URI": uri, "ORNAMENTS_EXPORT_FORMAT": "json"}).returncode == 0
    files = sorted((tmp_path / "exports" / "bestseller").glob("*.json"))
    assert len(files) == 2 and all(len(json.loads(f.read_text())) == 3 for f in files)


def test_killed_db_connections_mid_run_end_in_the_same_state_as_a_clean_run(pg_url, tmp_path):
    """pg_terminate_backend hits the crawl's connections inside their transactions while it writes;
    every batch is rolled back and written again, and the result is exactly the feed."""
    count = 12_000
    feed = generated_merchant_feed(tmp_path / "big.xml", count)
    dsn = pg_url.replace("postgresql+psycopg2", "postgresql")
    kills: list[int] = []
    done = threading.Event()

    def killer() -> None:
        admin = psycopg2.connect(dsn)
        admin.autocommit = True
        while not done.is_set() and len(kills) < 3:
            with admin.cursor() as cursor:
                # Only connections busy in a batch's transaction: an idle one would just be re-opened by
                # pre-ping, and one checking the server at the start or recording the run is not a batch
                # (on a busy machine the three kills could all land there and prove nothing).
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = 'ornaments' AND datname = current_database() "
                               "AND state <> 'idle' AND pid <> pg_backend_pid() "
                               "AND xact_start IS NOT NULL AND query ~* '(products|price_history|sync_batches)'")
                kills.extend(1 for (killed,) in cursor.fetchall() if killed)
            time.sleep(0.02)
        admin.close()

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        result = run_scrapy("crawl", "google_merchant", "-a", f"feed={feed}",
                            env=scrapy_env(DATABASE_URL=pg_url, ORNAMENTS_BATCH_SIZE="500",
                                           ORNAMENTS_DB_BACKOFF="0.1", ORNAMENTS_PROGRESS_INTERVAL="0.3"))
    finally:
        done.set()
        thread.join()
    assert kills, "no connection was killed; the test proved nothing"
    assert "retrying in" in result.log, result  # at least one kill hit a transaction, which was retried
    assert "Progress:" in result.log and "ETA" in result.log
    run = latest_run(pg_url)
    assert (run.status, run.items_new, run.items_updated) == ("finished", count, 0), result
    stored = rows(pg_url, sa.select(products.c.vendor_product_id, products.c.price).order_by(products.c.vendor_product_id))
    assert stored == [(f"P{i:07d}", Decimal(10) + Decimal(i % 500) / 4) for i in range(count)]
    assert rows(pg_url, sa.select(sa.func.count()).select_from(price_history))[0][0] == count


def test_a_feed_that_always_fails_makes_the_run_incomplete(pg_crawl, pg_url, serve_directory, tmp_path):
    assert pg_crawl("bestseller").returncode == 0
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = serve_directory(tmp_path)
    server.faults.always_fail.add("/products.xml")
    result = pg_crawl("bestseller", "-a", f"feed={server.url}/products.xml", "-s", "RETRY_BACKOFF_BASE=0.01",
                      "-s", "RETRY_TIMES=2")
    assert [s for p, s in server.requests if p == "/products.xml"] == [503, 503, 503], result
    run = latest_run(pg_url)
    assert run.status == "incomplete" and "HTTP 503 for" in run.details, result
    assert rows(pg_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_broken_images_neither_drop_products_nor_block_removal(pg_crawl, pg_url, serve_directory, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = serve_directory(site)
    server.faults.always_fail.add("/img/flaky.jpg")
    header = "name,sku,description,price,url,image_urls\n"
    feed = tmp_path / "f.csv"
    feed.write_text(header + "A,S1,a,1.00,https://x.example/1,\nB,S2,b,2.00,https://x.example/2,\n")
    assert pg_crawl("products_csv", "-a", f"feed={feed}", "-a", "currency=USD").returncode == 0
    feed.write_text(header + f"A,S1,a,1.00,https://x.example/1,{server.url}/img/missing.jpg|{server.url}/img/flaky.jpg\n")
    # S2 is 1 of 2 live products: above the removal guard's 20%, so accepted here by hand.
    result = pg_crawl("products_csv", "-a", f"feed={feed}", "-a", "currency=USD", "-s", f"IMAGES_STORE={tmp_path / 'images'}",
                      "-s", "RETRY_BACKOFF_BASE=0.01", "-s", "RETRY_TIMES=1", "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert ("/img/missing.jpg", 404) in server.requests and ("/img/flaky.jpg", 503) in server.requests, result
    run = latest_run(pg_url)
    assert (run.status, run.items_updated, run.items_removed) == ("finished", 1, 1), result
    assert result.returncode == 0 and "log_count/ERROR" in run.stats
    assert run.errors == 0  # broken images log ERROR lines, but harm no product: not errors of the run
    assert rows(pg_url, sa.select(products.c.vendor_product_id).where(products.c.removed_at.is_not(None))) == [("S2",)]
