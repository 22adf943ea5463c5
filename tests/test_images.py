"""ProductImagesPipeline: real crawls against the real HTTP test server (tests/fixtures/image_site.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from ornaments.pipelines.images import full_path, thumb_ids, thumb_path_for, vendor_slug
from ornaments.storage.schema import products
from ornaments.uploads import safe_relative_path
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.helpers import latest_run, run_stat

VENDOR = "products_csv"


def crawl(site, tmp_path, database_url, **env):
    export = tmp_path / "export.jsonl"
    # Retries wait a hundredth of the default backoff: the tests count lookups, not seconds.
    values = {"DATABASE_URL": database_url, "IMAGES_STORE": str(tmp_path / "images"),
              "ORNAMENTS_EXPORT_URI": str(export), "ORNAMENTS_RETRY_BACKOFF_BASE": "0.005", **env}
    result = run_scrapy("crawl", "products_csv", "-a", f"feed={site.feed}", "-s", "DOWNLOAD_DELAY=0",
                        env=scrapy_env(**values))
    assert result.returncode == 0, result
    items = {i["vendor_product_id"]: i for i in map(json.loads, export.read_text().splitlines())}
    return result, items


def test_images_are_stored_under_safe_names_with_thumbnails_and_failures_counted(image_site, tmp_path, sqlite_url):
    result, items = crawl(image_site, tmp_path, sqlite_url)
    store = tmp_path / "images"
    angel = full_path(VENDOR, image_site.url("angel.jpg"))
    assert angel.startswith("products_csv/full/") and angel.endswith(".jpg")
    with Image.open(store / angel) as image:
        assert image.format == "JPEG" and image.size == (320, 240)
    with Image.open(store / thumb_path_for(angel, "small")) as thumb:
        assert max(thumb.size) == 200  # IMAGES_THUMBS default small:200x200
    # Every product is kept; failed images are simply absent from its images.
    assert set(items) == {"QX1001", "QX1002", "QX1003", "QX1004"}
    assert [i["path"] for i in items["QX1001"]["images"]] == [angel, full_path(VENDOR, image_site.url("bell.png"))]
    assert [i["url"] for i in items["QX1003"]["images"]] == [image_site.url("star.jpg")]
    assert items["QX1004"]["images"] == []
    for image in (i for item in items.values() for i in item["images"]):  # what reaches exports
        assert set(image) == {"url", "path", "checksum", "status"} and not Path(image["path"]).is_absolute()
    assert run_stat(sqlite_url, "ornaments/images/failed/http-404") == 1
    assert run_stat(sqlite_url, "ornaments/images/failed/not-an-image") == 1
    assert run_stat(sqlite_url, "ornaments/images/products_with_failed_images") == 2
    assert run_stat(sqlite_url, "log_count/ERROR", 0) == 0
    assert latest_run(sqlite_url).status == "finished"
    assert "Image " + image_site.url("missing.jpg") + " not stored (http-404)" in result.log
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(products)).scalar() == 4
    engine.dispose()
    # Only our names on disk: <vendor>/full|thumbs/..., no temp files, nothing from the remote side.
    on_disk = sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file())
    assert len(on_disk) == 6 and all(safe_relative_path(p) for p in on_disk)
    assert result.log.count("sFTP upload is off: SFTP_HOST is not set") == 1


def test_unchanged_images_are_not_downloaded_again_until_they_expire(image_site, tmp_path, sqlite_url):
    crawl(image_site, tmp_path, sqlite_url)
    first = len(image_site.image_requests())
    assert first == 5
    result, items = crawl(image_site, tmp_path, sqlite_url)
    fetched_again = image_site.image_requests()[first:]
    # The good images are up to date; only the URLs that failed are tried again.
    assert sorted(path for path, _ in fetched_again) == ["/img/missing.jpg", "/img/page.jpg"]
    assert run_stat(sqlite_url, "file_status_count/uptodate") == 3
    assert {i["status"] for i in items["QX1001"]["images"]} == {"uptodate"}
    crawl(image_site, tmp_path, sqlite_url, IMAGES_EXPIRES="0")  # expired: everything is fetched again
    assert len(image_site.image_requests()) == first + 2 + 5


@pytest.mark.parametrize("vendor, slug", [
    ("hookedonhallmark", "hookedonhallmark"), ("Ornament Shop!", "ornament-shop"),
    ("../../etc", "etc"), ("/abs/path", "abs-path"), ("", "unknown"), (None, "unknown")])
def test_vendor_folders_are_safe(vendor, slug):
    assert vendor_slug(vendor) == slug


@pytest.mark.parametrize("url", [
    "http://shop.example/../../etc/passwd", "http://shop.example/a/b/c.png?x=../../y",
    "http://shop.example/%2e%2e/%2f/evil.jpg", "http://shop.example/" + "x" * 3000])
def test_stored_names_never_take_a_path_from_the_url(url):
    path = full_path("../vendor", url)
    assert safe_relative_path(path) == path
    vendor, folder, name = path.split("/")
    assert (vendor, folder) == ("vendor", "full") and len(name) == 44 and ".." not in path
    assert safe_relative_path(thumb_path_for(path, "small"))


def test_thumbnail_names_must_be_safe():
    assert thumb_ids({"small": (1, 1), "large_2": (2, 2)}) == ["small", "large_2"]
    for bad in ("../x", "a/b", "", "X" * 40):
        with pytest.raises(ValueError):
            thumb_ids({bad: (1, 1)})


def test_a_host_that_does_not_resolve_is_given_up_after_a_few_lookups(image_site, tmp_path, sqlite_url):
    # 30 products whose images sit on a host that does not resolve (RFC 2606 .invalid), beside good ones.
    dead = "http://images.cdn-gone.invalid"
    with image_site.feed.open("a", newline="") as out:
        writer = csv.writer(out)
        for n in range(30):
            writer.writerow([f"Lost {n}", f"QX9{n:03d}", "gone", "5.00", "USD", "in stock", "2021",
                             f"{dead}/{n}-a.jpg|{dead}/{n}-b.jpg", "", "Hallmark", "Keepsake"])
        writer.writerow(["Mixed", "QX8000", "both", "5.00", "USD", "in stock", "2021",
                         f"{dead}/mixed.jpg|{image_site.url('star.jpg')}", "", "Hallmark", "Keepsake"])
    result, items = crawl(image_site, tmp_path, sqlite_url, ORNAMENTS_RETRY_TIMES="4")
    assert len(items) == 4 + 30 + 1  # every product is kept
    assert all(items[f"QX9{n:03d}"]["images"] == [] for n in range(30))
    assert [i["url"] for i in items["QX8000"]["images"]] == [image_site.url("star.jpg")]
    assert run_stat(sqlite_url, "ornaments/images/failed/unresolvable-host") == 61
    # Three lookups (the robots.txt request and its retries), then never again: not 5 tries per image.
    assert run_stat(sqlite_url, "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError") == 3
    assert result.log.count("does not resolve (3 failed lookups)") == 1  # one warning, with the count
    assert "images.cdn-gone.invalid does not resolve (3 failed lookups): 62 further request(s)" in result.log
    assert run_stat(sqlite_url, "ornaments/warnings/unresolvable_host") == 1
    assert run_stat(sqlite_url, "log_count/ERROR", 0) == 0
    assert latest_run(sqlite_url).status == "finished"


def test_the_number_of_lookups_before_a_host_is_given_up_is_a_setting(image_site, tmp_path, sqlite_url):
    with image_site.feed.open("a", newline="") as out:
        csv.writer(out).writerow(["Lost", "QX9999", "gone", "5.00", "USD", "in stock", "2021",
                                  "http://nowhere.invalid/1.jpg|http://nowhere.invalid/2.jpg", "", "Hallmark", ""])
    result, items = crawl(image_site, tmp_path, sqlite_url, ORNAMENTS_DNS_FAILURES_PER_HOST="1")
    assert run_stat(sqlite_url, "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError") == 1
    assert items["QX9999"]["images"] == [] and latest_run(sqlite_url).status == "finished"
    result, _ = crawl(image_site, tmp_path, sqlite_url, ORNAMENTS_DNS_FAILURES_PER_HOST="0")  # off: retried
    assert run_stat(sqlite_url, "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError") > 3


def test_only_side_requests_are_refused_once_a_host_is_given_up(caplog):
    from scrapy import Request, Spider
    from scrapy.exceptions import CannotResolveHostError
    from scrapy.http.request import NO_CALLBACK
    from scrapy.utils.test import get_crawler

    from ornaments.unresolvable_hosts import UnresolvableHost, UnresolvableHostMiddleware

    crawler = get_crawler(Spider, {"ORNAMENTS_DNS_FAILURES_PER_HOST": 2})
    crawler.stats.open_spider()
    middleware = UnresolvableHostMiddleware.from_crawler(crawler)
    image = Request("http://gone.invalid/a.jpg", callback=NO_CALLBACK)
    page = Request("http://gone.invalid/p/1.html", callback=lambda response: None)
    middleware.process_exception(page, CannotResolveHostError("gone.invalid"))  # a page's lookup counts too
    assert middleware.process_request(image) is None  # one failure: still asked
    middleware.process_exception(image, CannotResolveHostError("gone.invalid"))
    with pytest.raises(UnresolvableHost):
        middleware.process_request(Request("http://gone.invalid/b.jpg", callback=NO_CALLBACK))
    assert middleware.process_request(page) is None  # pages keep their bounded retries
    assert middleware.process_request(Request("http://other.example/b.jpg", callback=NO_CALLBACK)) is None
    middleware.spider_closed(crawler.spider)
    assert "gone.invalid does not resolve (2 failed lookups): 1 further request(s)" in caplog.text
