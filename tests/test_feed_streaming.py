"""Feeds read from disk (issue 14): the same records as a body in memory, http feeds written to a temporary
file and deleted after, a download cut short still incomplete; items packed for the storage worker give
the rows they gave before; GC tuning undone at close; progress tells what is stored."""

from __future__ import annotations

import gc
import logging
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from scrapy import Request
from scrapy.http import Response, TextResponse

from ornaments.base_spiders import xml_feed
from ornaments.extensions.gc_tuning import GcConfig, GcTuning
from ornaments.extensions.progress import FeedProgress, tail_line
from ornaments.feed_download import BODY_FILE_META, TEMPORARY_META, open_body
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from ornaments.spiders.products_csv import ProductsCsvSpider
from ornaments.storage.rows import pack_item, pack_seen, product_row, seen_row, unpack_row
from ornaments.storage.schema import price_history, products
from tests.feedgen import generated_merchant_feed, generated_products_csv
from tests.helpers import latest_run, rows
from tests.test_feed_spiders import make_spider


def on_disk(path: Path, temporary: bool = False) -> Response:
    """The response the feed download handlers give: an empty body, the file named in meta."""
    request = Request(path.as_uri(), meta={BODY_FILE_META: str(path), TEMPORARY_META: temporary})
    return Response(url=request.url, body=b"", request=request)


def in_memory(path: Path) -> TextResponse:
    return TextResponse(url=path.as_uri(), body=path.read_bytes())


def records(spider_cls, response, **kwargs) -> tuple[object, list[dict]]:
    spider = make_spider(spider_cls, **kwargs)
    return spider, [dict(item) for item in spider.parse_feed(response)]


def test_a_csv_read_from_disk_gives_the_records_of_the_same_body_in_memory(tmp_path):
    feed = generated_products_csv(tmp_path / "feed.csv", 3000)
    spider, from_disk = records(ProductsCsvSpider, on_disk(feed))
    _, from_memory = records(ProductsCsvSpider, in_memory(feed))
    assert len(from_disk) == 3000 and from_disk == from_memory
    assert spider.crawler.stats.get_value("ornaments/feed/bytes_read_from_disk") == feed.stat().st_size
    assert spider.bytes_read() == feed.stat().st_size and spider.feed_done
    assert feed.exists()  # a file:// feed is the partner's file: never deleted


def test_quoted_fields_with_newlines_that_straddle_read_chunks_are_one_record(tmp_path):
    # Descriptions of many lines and ~5 KB: record boundaries fall across the reader's 8 KB chunks.
    description = "\n".join(f"line {n} of a long, \"quoted\" description" for n in range(130))
    quoted = description.replace('"', '""')
    body = "name,sku,description,price,currency\n" + "".join(
        f'Ornament {i},S{i},"{quoted} #{i}",{i}.25,USD\n' for i in range(40))
    feed = tmp_path / "multiline.csv"
    feed.write_text(body, encoding="utf-8")
    assert len(description) > 5000
    spider, items = records(ProductsCsvSpider, on_disk(feed))
    assert [i["vendor_product_id"] for i in items] == [f"S{i}" for i in range(40)]
    assert all(i["description"] == f"{description} #{n}" for n, i in enumerate(items))
    assert items[39]["price"] == Decimal("39.25")
    assert not spider.incomplete_reasons
    assert items == records(ProductsCsvSpider, in_memory(feed))[1]


def test_a_csv_cut_short_on_disk_is_incomplete(tmp_path):
    feed = tmp_path / "cut.csv"
    feed.write_bytes(generated_products_csv(tmp_path / "whole.csv", 50).read_bytes()[:-40])
    spider, items = records(ProductsCsvSpider, on_disk(feed))
    assert len(items) == 49 and "last row cut short" in spider.incomplete_reasons


def test_an_xml_feed_read_from_disk_in_small_pieces_gives_the_records_of_the_body_in_memory(tmp_path, monkeypatch):
    feed = generated_merchant_feed(tmp_path / "feed.xml", 500)
    _, from_memory = records(GoogleMerchantSpider, in_memory(feed))
    monkeypatch.setattr(xml_feed, "READ_SIZE", 97)  # records and tags cut across every piece
    spider, from_disk = records(GoogleMerchantSpider, on_disk(feed))
    assert len(from_disk) == 500 and from_disk == from_memory
    assert spider.bytes_read() == feed.stat().st_size and not spider.incomplete_reasons


def test_an_xml_feed_cut_short_on_disk_is_incomplete(tmp_path):
    whole = generated_merchant_feed(tmp_path / "whole.xml", 20).read_bytes()
    feed = tmp_path / "cut.xml"
    feed.write_bytes(whole[:whole.index(b"<item><g:id>P0000015")])
    spider, items = records(GoogleMerchantSpider, on_disk(feed))
    assert len(items) == 15 and "truncated feed" in spider.incomplete_reasons


def test_a_temporary_body_file_is_deleted_once_read_and_a_memory_body_needs_no_file(tmp_path):
    body = tmp_path / "download.body"
    body.write_bytes(b"abc")
    with open_body(on_disk(body, temporary=True)) as (raw, size):
        assert (raw.read(), size) == (b"abc", 3)
    assert not body.exists()
    with open_body(TextResponse(url="http://x.example/f.csv", body=b"xyz")) as (raw, size):
        assert (raw.read(), size) == (b"xyz", 3)


# --- http(s) feeds, end to end -----------------------------------------------------------------------

def test_an_http_feed_is_written_to_a_temporary_file_read_from_it_and_deleted(pg_crawl, pg_url, serve_directory,
                                                                          tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    feed = generated_products_csv(site / "feed.csv", 2000)
    server = serve_directory(site)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    env = {"ORNAMENTS_FEED_TMPDIR": str(downloads), "ORNAMENTS_LOG_LEVEL": "DEBUG"}
    result = pg_crawl("products_csv", "-a", f"feed={server.url}/feed.csv", "-a", "currency=USD", env=env)
    assert result.returncode == 0 and latest_run(pg_url).status == "finished", result
    assert f"'ornaments/feed/bytes_read_from_disk': {feed.stat().st_size}" in result.log
    assert rows(pg_url, sa.select(sa.func.count()).select_from(products))[0][0] == 2000
    assert list(downloads.iterdir()) == []  # the temporary body is gone
    assert any(p == "/feed.csv" and s == 200 for p, s in server.requests)


def test_an_http_feed_sent_gzipped_anyway_is_decompressed_on_disk(pg_crawl, pg_url, serve_directory, tmp_path):
    import gzip

    feed = generated_products_csv(tmp_path / "feed.csv", 500).read_bytes()
    server = serve_directory(tmp_path)
    asked = []

    def gzipped(request):  # a server that ignores Accept-Encoding: identity
        asked.append(request.headers.get("Accept-Encoding"))
        body = gzip.compress(feed)
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Encoding: gzip\r\n"
                            b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return None, "", b""

    server.routes["/feed.csv"] = gzipped
    result = pg_crawl("products_csv", "-a", f"feed={server.url}/feed.csv", "-a", "currency=USD")
    assert result.returncode == 0 and latest_run(pg_url).status == "finished", result
    assert asked == ["identity"]
    assert f"'ornaments/feed/bytes_read_from_disk': {len(feed)}" in result.log
    assert rows(pg_url, sa.select(sa.func.count()).select_from(products))[0][0] == 500


def test_an_http_feed_cut_short_is_incomplete_and_removes_nothing(pg_crawl, pg_url, serve_directory, tmp_path):
    whole = generated_products_csv(tmp_path / "whole.csv", 300).read_bytes()
    server = serve_directory(tmp_path)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    env = {"ORNAMENTS_FEED_TMPDIR": str(downloads), "ORNAMENTS_RETRY_TIMES": "1", "ORNAMENTS_RETRY_BACKOFF_BASE": "0.1"}
    server.routes["/ok.csv"] = lambda request: (200, "text/csv", whole)
    assert pg_crawl("products_csv", "-a", f"feed={server.url}/ok.csv", env=env).returncode == 0

    def cut_with_length(request):  # promises the whole feed, sends half, closes
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n" % len(whole))
        request.wfile.write(whole[:len(whole) // 2])
        return None, "", b""

    def cut_without_length(request):  # no length, closes mid-row: only the content can tell
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n")
        request.wfile.write(whole[:len(whole) // 2 + 7])
        return None, "", b""

    server.routes["/ok.csv"] = cut_with_length
    result = pg_crawl("products_csv", "-a", f"feed={server.url}/ok.csv", env=env)
    assert result.returncode == 4 and latest_run(pg_url).status == "incomplete", result
    server.routes["/ok.csv"] = cut_without_length
    result = pg_crawl("products_csv", "-a", f"feed={server.url}/ok.csv", env=env)
    assert result.returncode == 4 and latest_run(pg_url).status == "incomplete", result
    assert "last row cut short" in result.log
    assert rows(pg_url, sa.select(sa.func.count()).select_from(products).where(
        products.c.removed_at.is_not(None)))[0][0] == 0
    assert list(downloads.iterdir()) == []


def test_a_resync_of_a_feed_read_from_disk_writes_nothing(pg_crawl, pg_url, tmp_path):
    feed = generated_merchant_feed(tmp_path / "feed.xml", 3000)
    assert pg_crawl("google_merchant", "-a", f"feed={feed}").returncode == 0
    history = rows(pg_url, sa.select(sa.func.count()).select_from(price_history))[0][0]
    stamps = rows(pg_url, sa.select(sa.func.max(products.c.changed_at)))[0][0]
    result = pg_crawl("google_merchant", "-a", f"feed={feed}")
    assert result.returncode == 0 and "0 new, 0 updated, 3000 unchanged" in result.log, result
    assert history == 3000 and rows(pg_url, sa.select(sa.func.count()).select_from(price_history))[0][0] == 3000
    assert rows(pg_url, sa.select(sa.func.max(products.c.changed_at)))[0][0] == stamps


# --- what the crawl process sends the storage worker ---------------------------------------------------

def test_a_packed_item_unpacks_to_the_row_product_row_makes():
    spider = make_spider(ProductsCsvSpider)
    item = spider.product(vendor_product_id="A1", name="Angel", price="1.2.3", currency="USD",
                          image_urls=["https://x.example/a.jpg", "https://x.example/b.jpg"], release_year=2020)
    plain = spider.product(vendor_product_id="B2", name="Bell")
    priced = [spider.product(vendor_product_id=f"C{n}", name="Star", price=price, regular_price=regular,
                             currency="EUR") for n, (price, regular) in
              enumerate([("10.50", "12"), (Decimal("1E+1"), Decimal("0.000")), (Decimal("-0"), None)])]
    for one in (item, plain, *priced):
        assert unpack_row(pack_item(dict(one))) == product_row(dict(one))
    for one in priced:  # prices travel as text (cheaper to pickle) and come back with the same digest
        packed = pack_item(dict(one))
        assert not any(isinstance(value, Decimal) for value in packed)
        row = unpack_row(packed)
        assert (str(row["price"]), row["content_hash"]) == (str(one["price"]), product_row(dict(one))["content_hash"])
    assert unpack_row(pack_item(dict(item)))["keep"] == ("currency", "price")
    assert unpack_row(pack_seen("v", 12)) == seen_row("v", "12")
    packed = pack_item(dict(item))
    item["image_urls"].append("https://x.example/late.jpg")  # a later change of the item is not sent
    assert unpack_row(packed)["image_urls"] == '["https://x.example/a.jpg", "https://x.example/b.jpg"]'


def test_image_urls_are_written_as_json_dumps_writes_them():
    """The worker's shortcut for plain ASCII URLs gives json.dumps's text byte for byte (the content digest
    depends on it), and anything else (quotes, backslashes, control and non-ASCII characters) goes through
    json.dumps itself."""
    import json
    import random
    import string

    from ornaments.storage.rows import image_urls_json
    odd = 'é\x7f\x00"\\\u2028🎄'
    pick = random.Random(14)
    lists = [[''.join(pick.choice(string.printable + odd) for _ in range(pick.randint(0, 12)))
              for _ in range(pick.randint(1, 3))] for _ in range(20000)]
    lists += [["https://x.example/a b.jpg", "https://x.example/~[1].jpg"], [1, "a"], ["a", None]]
    assert sum(any(c in odd for c in "".join(map(str, urls))) for urls in lists) > 5000  # both paths ran
    for urls in lists:
        assert image_urls_json(urls) == image_urls_json(tuple(urls)) == json.dumps(urls)


def test_an_item_with_a_field_it_does_not_have_is_refused():
    with pytest.raises(KeyError, match="colour"):
        make_spider(ProductsCsvSpider).product(vendor_product_id="A1", name="Angel", colour="red")


# --- GC tuning and progress ---------------------------------------------------------------------------

def test_gc_tuning_is_undone_when_the_spider_closes():
    before = gc.get_threshold()
    tuning = GcTuning(GcConfig(threshold=12_345, freeze=True))
    tuning.spider_opened(None)
    try:
        assert gc.get_threshold()[0] == 12_345 and gc.get_freeze_count() > 0
    finally:
        tuning.spider_closed(None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_progress_tells_what_is_stored_and_says_when_only_storage_is_left(caplog):
    caplog.set_level(logging.INFO)
    spider = make_spider(GoogleMerchantSpider)
    spider.progress_total, spider.records_read = 1000, 400
    spider.crawler.stats.set_value("ornaments/products/new", 300)
    spider.crawler.stats.set_value("ornaments/products/unchanged", 50)
    extension = FeedProgress(spider.crawler, 10.0)
    extension.started = 0.0
    extension.log_progress(spider)
    assert "400 of 1,000 records (40%)" in caplog.text and "350 stored" in caplog.text
    spider.feed_done = True
    extension.log_progress(spider)
    assert tail_line(400, 350) in caplog.text
    assert "all 400 records read, 350 stored; writing the last batches" in caplog.text


# --- PostgreSQL's COPY path for new products against the generic insert ----------------------------------

def test_the_copy_path_writes_the_rows_and_history_the_generic_path_writes_and_a_resync_writes_nothing(pg_url):
    from ornaments.retry import RetryPolicy
    from ornaments.storage import CatalogStore

    def items(vendor: str) -> list[dict]:
        spider = make_spider(ProductsCsvSpider)
        made = [spider.product(vendor_product_id=f"P{i}", name=f"Ornament {i} \u2122", price=f"{i}.50" if i % 7 else None,
                               currency="USD", url=f"https://s.example/{i}", release_year=2000 + i % 20,
                               image_urls=[f"https://s.example/{i}.jpg"] * (i % 3), description='a "quoted", line\nx')
                for i in range(1, 301)]
        return [unpack_row(pack_item({**dict(item), "vendor": vendor})) for item in made]

    copy_store = CatalogStore(pg_url, retry=RetryPolicy(attempts=3, backoff=0.05))
    copy_store.create_tables()
    generic_store = CatalogStore(pg_url, retry=RetryPolicy(attempts=3, backoff=0.05))
    generic_store._lock_rows = False  # the SQLite path (executemany INSERT … ON CONFLICT, then history)
    stored = {}
    for vendor, store in (("copy", copy_store), ("generic", generic_store)):
        run_id, _ = store.start_run("test", vendor, {}, "all", None)
        first = store.write_batch(run_id, 0, items(vendor))
        again = store.write_batch(run_id, 1, items(vendor))  # an identical re-sync
        assert (first.new, first.history_rows) == (300, 258)
        assert (again.new, again.updated, again.unchanged, again.history_rows) == (0, 0, 300, 0)
        times = ("created_at", "last_seen_at", "changed_at", "written_run_started_at")  # each run's own
        columns = [c for c in products.c if c.name not in ("id", "vendor", *times)]
        stamped = rows(pg_url, sa.select(products.c.written_run_started_at).where(products.c.vendor == vendor))
        assert all(row.written_run_started_at is not None for row in stamped)  # both paths say which run wrote
        stored[vendor] = (
            rows(pg_url, sa.select(*columns).where(products.c.vendor == vendor).order_by(products.c.vendor_product_id)),
            rows(pg_url, sa.select(products.c.vendor_product_id, price_history.c.price, price_history.c.currency)
                 .join(products, products.c.id == price_history.c.product_id).where(products.c.vendor == vendor)
                 .order_by(products.c.vendor_product_id)))
        store.close()
    assert len(stored["copy"][0]) == 300 and len(stored["copy"][1]) == 258
    assert stored["copy"] == stored["generic"]


def test_a_feed_crawl_does_not_import_what_it_does_not_use(sqlite_url):
    """Start-up is paid by every run: a feed sync with sFTP off, no browser and no remote control must not
    import paramiko (0.2 s), aiohttp (Scrapy's remote-control extension, 0.15 s) or playwright (0.1 s)."""
    import subprocess
    import sys

    from tests.fixtures.crawl import PROJECT_ROOT, scrapy_env
    process = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scrapy", "crawl", "google_merchant",
         "-a", f"feed={PROJECT_ROOT / 'feeds' / 'google_merchant.xml'}"],
        cwd=PROJECT_ROOT, env=scrapy_env(DATABASE_URL=sqlite_url), capture_output=True, text=True, timeout=180)
    assert process.returncode == 0, process.stderr[-3000:]
    assert "Sync of google_merchant" in process.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in process.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert {"scrapy", "sqlalchemy", "ornaments.storage.worker"} & imported  # the check sees the imports
    assert not {"paramiko", "aiohttp", "playwright", "playwright.async_api"} & imported
