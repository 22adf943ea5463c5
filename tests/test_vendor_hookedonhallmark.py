"""hookedonhallmark: callbacks on saved pages, and `scrapy crawl` of the replica into PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.utils.test import get_crawler

from ornaments.spiders.hookedonhallmark import HookedOnHallmarkSpider
from tests.fixtures.http_server import Faults
from tests.fixtures.replica_sites import copy_site, saved_response, stored_products, summary, sync_runs

VENDOR = "hookedonhallmark"
HOST = "http://127.0.0.1:8000"

EXPECTED = {
    "4101": ("QXD6352", "Mickey's Merry Christmas™ 2021", "19.99", 2021, "preorder", True),
    "4102": ("QXR9042", "Crème Brûlée Bakery Ornament", "24.99", 2021, "in_stock", True),
    "4103": ("KC2021", "2021 Complete Keepsake Collection (127 Ornaments)", "1299.95", 2021, "in_stock", True),
    "4104": ("QX7654", "Frosty Friends 42nd in Series", "22.99", 2021, "out_of_stock", False),
    "4201": ("QXI6731", "Café Christmas Snow Globe™", "34.99", 2020, "in_stock", True),
    "4202": ("QX8921", "Betsey Clark 2020 Ornament", "14.99", 2020, "out_of_stock", True),
    "4203": ("QXC4510", "The Nutcracker Ballet Musical Ornament", "45.00", 2020, "in_stock", True),
    "4301": ("QX9119", "Santa's Sleigh 2019", "29.99", 2019, "in_stock", True),
    "4303": ("QXD6129", "Disney Frozen II Elsa™", "16.99", 2019, "in_stock", True),
}


def spider(**kwargs) -> HookedOnHallmarkSpider:
    return HookedOnHallmarkSpider.from_crawler(get_crawler(HookedOnHallmarkSpider), base_url=HOST, **kwargs)


# --- callbacks on saved responses -----------------------------------------------------------------

def test_year_index_links_every_year_and_only_the_asked_one_with_year():
    response = saved_response(VENDOR, "keepsake-hallmark-ornaments-by-year.html")
    requests = list(spider().parse_year_index(response))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/2021-hallmark-ornaments.html", 2021), (f"{HOST}/2020-hallmark-ornaments.html", 2020),
        (f"{HOST}/2019-hallmark-ornaments.html", 2019)]
    only = list(spider(year="2020").parse_year_index(response))
    assert [r.cb_kwargs["year"] for r in only] == [2020]


def test_a_year_missing_from_the_index_makes_the_run_incomplete():
    s = spider(year="1999")
    assert list(s.parse_year_index(saved_response(VENDOR, "keepsake-hallmark-ornaments-by-year.html"))) == []
    assert s.incomplete_reasons == ["year 1999 not on the index"]


def test_listing_follows_products_and_the_next_page():
    s = spider()
    requests = list(s.parse_listing(saved_response(VENDOR, "2021-hallmark-ornaments.html"), year=2021))
    products = [r for r in requests if r.callback == s.parse_product]
    listings = [r for r in requests if r.callback == s.parse_listing]
    assert [r.url for r in products] == [f"{HOST}/mickeys-merry-christmas-2021.html",
                                         f"{HOST}/creme-brulee-bakery-ornament.html",
                                         f"{HOST}/2021-complete-keepsake-collection.html"]
    assert all(r.cb_kwargs == {"listing_year": 2021} for r in products)
    assert [r.url for r in listings] == [f"{HOST}/2021-hallmark-ornaments.html?page=2"]
    assert s.problems == []


def test_last_page_has_no_next_link():
    s = spider()
    requests = list(s.parse_listing(saved_response(VENDOR, "2021-hallmark-ornaments.html?page=2"), year=2021))
    assert all(r.callback == s.parse_product for r in requests) and len(requests) == 2


def test_a_year_with_only_sub_categories_follows_view_all_only():
    s = spider()
    requests = list(s.parse_listing(saved_response(VENDOR, "2020-hallmark-ornaments.html"), year=2020))
    assert [r.url for r in requests] == [f"{HOST}/2020-hallmark-ornaments-view-all.html"]
    assert requests[0].callback == s.parse_listing and s.problems == []


def test_product_page_fields():
    (item,) = spider().parse_product(saved_response(VENDOR, "creme-brulee-bakery-ornament.html"), listing_year=2021)
    assert dict(item) == {
        "vendor": VENDOR, "vendor_product_id": "4102", "sku": "QXR9042", "name": "Crème Brûlée Bakery Ornament",
        "brand": "Hallmark", "price": Decimal("24.99"), "currency": "USD", "availability": "in_stock",
        "release_year": 2021, "url": f"{HOST}/creme-brulee-bakery-ornament.html",
        "description": "A Hallmark Keepsake Ornament, dated and boxed.",
        "image_urls": [f"{HOST}/images/products/4102.jpg"]}


def test_release_year_comes_from_the_page_else_from_the_listing():
    s = spider()
    (from_page,) = s.parse_product(saved_response(VENDOR, "santas-sleigh-2019.html"), listing_year=2001)
    (from_listing,) = s.parse_product(saved_response(VENDOR, "frosty-friends-42nd-in-series.html"), listing_year=2021)
    assert from_page["release_year"] == 2019 and from_listing["release_year"] == 2021
    assert from_listing["image_urls"] == [] and from_listing["availability"] == "out_of_stock"
    for item in (from_page, from_listing):  # StorePipeline counts items reaching storage in the run ledger
        s.ledger.count_item(item)
    assert s.coverage == {"items": 2, "price": 1.0, "sku": 1.0, "year": 1.0, "image": 0.5}


def test_a_cut_off_product_page_is_dropped_with_a_reason_not_reported_as_a_layout_change():
    s = spider()
    assert list(s.parse_product(saved_response(VENDOR, "holiday-barbie-2019.html"), listing_year=2019)) == []
    assert s.crawler.stats.get_value("ornaments/dropped/broken_markup") == 1
    assert s.problems == []


def test_a_redesigned_product_page_is_a_layout_problem():
    response = saved_response(VENDOR, "santas-sleigh-2019.html")
    response = response.replace(body=response.body.replace(b'id="price"', b'class="our-price"'))
    s = spider()
    assert list(s.parse_product(response)) == []
    assert s.problems == [f"product_without_price: {HOST}/santas-sleigh-2019.html"]


def test_a_listing_without_products_is_a_layout_problem():
    response = saved_response(VENDOR, "2019-hallmark-ornaments.html")
    response = response.replace(body=response.body.replace(b'class="product-item"', b'class="product-tile"'))
    s = spider()
    assert list(s.parse_listing(response, year=2019)) == []
    assert s.problems == [f"empty_listing: {HOST}/2019-hallmark-ornaments.html"]


def test_query_is_refused_as_the_shop_has_no_search():
    with pytest.raises(UsageError, match="no search"):
        spider(query="snow globe")


def test_url_mode_requests_the_product_page():
    s = spider(url=f"{HOST}/santas-sleigh-2019.html")
    (request,) = list(s.get_by_url(s.url))
    assert isinstance(request, Request) and request.callback == s.parse_product


# --- end to end: scrapy crawl of the replica into PostgreSQL --------------------------------------

@pytest.mark.slow
def test_crawl_of_every_year(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server)
    assert result.returncode == 0, result
    products = stored_products(pg_url, VENDOR)
    assert summary(products) == EXPECTED
    assert all(row["currency"] == "USD" and row["removed_at"] is None for row in products.values())
    assert products["4101"]["url"] == f"{server.url}/mickeys-merry-christmas-2021.html"
    (run,) = sync_runs(pg_url)
    assert run["status"] == "finished", result
    assert run["dropped_reasons"] == {"broken_markup": 1}
    assert run["details"]["coverage"] == {"items": 9, "price": 1.0, "sku": 1.0, "year": 1.0, "image": 0.889}
    assert "Field coverage of hookedonhallmark" in result.log
    # Listed twice (page 1 and page 2 of 2021), fetched once; robots.txt was read first.
    paths = [path for path, _status in server.requests]
    assert paths.count("/creme-brulee-bakery-ornament.html") == 1 and paths[0] == "/robots.txt"


@pytest.mark.slow
def test_crawl_of_one_year_and_of_one_url(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server, "-a", "year=2020")
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, VENDOR)) == {k: v for k, v in EXPECTED.items() if k.startswith("42")}
    result = replica_crawl(VENDOR, server, "-a", f"url={server.url}/santas-sleigh-2019.html")
    assert result.returncode == 0, result
    assert set(stored_products(pg_url, VENDOR)) == {"4201", "4202", "4203", "4301"}
    assert [(r["mode"], r["scope_year"], r["status"]) for r in sync_runs(pg_url)] == [
        ("year", 2020, "finished"), ("url", None, "partial")]


@pytest.mark.slow
def test_flaky_server_all_products_still_sync_through_retries(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    server.faults = Faults(error_rate=0.25, slow_rate=0.15, slow_seconds=0.3, reset_rate=0.1, seed=7)
    result = replica_crawl(VENDOR, server, "-s", "RETRY_TIMES=12")
    assert result.returncode == 0, result
    statuses = {status for _path, status in server.requests}
    assert {500, 503, "reset"} <= statuses  # the faults did happen
    assert summary(stored_products(pg_url, VENDOR)) == EXPECTED
    assert sync_runs(pg_url)[-1]["status"] == "finished", result


@pytest.mark.slow
def test_a_page_that_always_fails_makes_the_run_incomplete_and_removes_nothing(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    assert replica_crawl(VENDOR, server).returncode == 0
    server.faults = Faults(always_fail={"/2021-hallmark-ornaments.html"})
    result = replica_crawl(VENDOR, server, "-s", "RETRY_TIMES=2")
    assert result.returncode == 4, result  # incomplete (ornaments.commands.crawl)
    assert f"Could not fetch {server.url}/2021-hallmark-ornaments.html" in result.log
    runs = sync_runs(pg_url)
    assert [r["status"] for r in runs] == ["finished", "incomplete"]
    products = stored_products(pg_url, VENDOR)
    assert set(products) == set(EXPECTED) and all(row["removed_at"] is None for row in products.values())


@pytest.mark.slow
def test_a_product_page_gone_from_the_shop_is_removed_after_a_clean_run(replica_site, replica_crawl, pg_url, tmp_path):
    server = replica_site(VENDOR)
    assert replica_crawl(VENDOR, server).returncode == 0
    site = copy_site(VENDOR, tmp_path)
    (site / "santas-sleigh-2019.html").unlink()  # still listed, but the page answers 404
    changed = replica_site(VENDOR, site)
    result = replica_crawl(VENDOR, changed)
    assert f"Product page gone (HTTP 404): {changed.url}/santas-sleigh-2019.html" in result.log
    assert sync_runs(pg_url)[-1]["status"] == "finished", result
    products = stored_products(pg_url, VENDOR)
    assert [pid for pid, row in products.items() if row["removed_at"] is not None] == ["4301"]


@pytest.mark.slow
def test_a_year_that_yields_no_products_makes_the_run_suspect(replica_site, replica_crawl, pg_url, tmp_path):
    server = replica_site(VENDOR)
    assert replica_crawl(VENDOR, server).returncode == 0
    # The shop redesigns its "view all" page: 2020 still is on the index, but no product is found.
    site = copy_site(VENDOR, tmp_path)
    page = site / "2020-hallmark-ornaments-view-all.html"
    page.write_text(page.read_text().replace('class="product-item"', 'class="grid-tile"'))
    changed = replica_site(VENDOR, site)
    result = replica_crawl(VENDOR, changed)
    assert f"ERROR: empty listing: a listing page of 2020 shows no products ({changed.url}/2020-hallmark-ornaments-view-all.html)" in result.log
    assert f"ERROR: empty year: the year 2020 is on the index but lists no products ({changed.url}/2020-hallmark-ornaments.html)" in result.log
    run = sync_runs(pg_url)[-1]
    assert run["status"] == "suspect"
    assert run["details"]["problems"] == [f"empty_listing: {changed.url}/2020-hallmark-ornaments-view-all.html",
                                          f"empty_year: {changed.url}/2020-hallmark-ornaments.html"]
    products = stored_products(pg_url, VENDOR)
    assert set(products) == set(EXPECTED) and all(row["removed_at"] is None for row in products.values())
