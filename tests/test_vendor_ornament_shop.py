"""ornament_shop (BigCommerce): callbacks on saved pages, and `scrapy crawl` of the replica into PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scrapy.utils.test import get_crawler

from ornaments.spiders.ornament_shop import OrnamentShopSpider
from tests.fixtures.http_server import Faults
from tests.fixtures.replica_sites import copy_site, saved_response, stored_products, summary, sync_runs

VENDOR = "ornament_shop"
HOST = "http://127.0.0.1:8000"

EXPECTED = {
    "1123": ("QXD6352", "Mickey's Merry Christmas™ 2021", "21.99", 2021, "preorder", True),
    "1124": ("QXR9042", "Crème Brûlée Bakery Ornament", "27.99", 2021, "out_of_stock", True),
    "1050": ("QXI6731", "Café Christmas Snow Globe™", "29.99", 2020, "in_stock", True),
    "1051": ("KC2020", "2020 Keepsake Ornament Collection (118 Ornaments)", "1149.00", 2020, "in_stock", True),
    "1052": ("QX7622", "Frosty Friends 41st in Series", "19.99", 2020, "in_stock", False),
    "1053": ("QXC4510", "The Nutcracker Ballet Musical Ornament", "45.00", 2020, "in_stock", True),
    "1001": ("QX9119", "Santa's Sleigh 2019", "29.99", 2019, "in_stock", True),
    "1003": ("QXD6129", "Disney Frozen II Elsa™", "16.99", 2019, "out_of_stock", True),
}


def spider(**kwargs) -> OrnamentShopSpider:
    return OrnamentShopSpider.from_crawler(get_crawler(OrnamentShopSpider), base_url=HOST, **kwargs)


def test_year_index():
    requests = list(spider().parse_year_index(saved_response(VENDOR, "hallmark-ornaments-by-year.html")))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/2021-hallmark-ornaments/", 2021), (f"{HOST}/2020-hallmark-ornaments/", 2020),
        (f"{HOST}/2019-hallmark-ornaments/", 2019)]


def test_category_page_cards_and_next_page():
    s = spider()
    requests = list(s.parse_listing(saved_response(VENDOR, "2020-hallmark-ornaments/"), year=2020))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{HOST}/cafe-christmas-snow-globe/", "parse_product"),
        (f"{HOST}/2020-keepsake-ornament-collection/", "parse_product"),
        (f"{HOST}/frosty-friends-41st-in-series/", "parse_product"),
        (f"{HOST}/2020-hallmark-ornaments/?page=2", "parse_listing")]


def test_product_page_reads_json_ld_first_and_the_page_for_the_rest():
    response = saved_response(VENDOR, "cafe-christmas-snow-globe/")
    (item,) = spider().parse_product(response, listing_year=2020)
    assert dict(item) == {
        "vendor": VENDOR, "vendor_product_id": "1050", "sku": "QXI6731", "name": "Café Christmas Snow Globe™",
        "brand": "Hallmark", "description": "A Hallmark Keepsake Ornament, dated and boxed.",
        "price": Decimal("29.99"), "currency": "USD", "availability": "in_stock", "release_year": 2020,
        "url": f"{HOST}/cafe-christmas-snow-globe/",
        "image_urls": [f"{HOST}/product_images/1050/cafe-christmas-snow-globe.jpg"]}
    # Structured data wins over the visible markup: a different visible price does not change the item.
    visible = response.replace(body=response.body.replace(b'price--withoutTax">$29.99', b'price--withoutTax">$1.00'))
    (item,) = spider().parse_product(visible)
    assert item["price"] == Decimal("29.99")


def test_without_json_ld_the_selectors_still_read_the_product():
    response = saved_response(VENDOR, "2020-keepsake-ornament-collection/")
    body = response.body.replace(b'type="application/ld+json"', b'type="text/plain"')
    (item,) = spider().parse_product(response.replace(body=body))
    assert (item["vendor_product_id"], item["sku"], item["price"], item["availability"], item["release_year"]) == (
        "1051", "KC2020", Decimal("1149.00"), "in_stock", 2020)


def test_broken_json_ld_and_cut_off_page_is_dropped():
    s = spider()
    assert list(s.parse_product(saved_response(VENDOR, "holiday-barbie-2019/"))) == []
    assert s.crawler.stats.get_value("ornaments/dropped/broken_markup") == 1 and s.problems == []


def test_search_results_are_a_listing_that_may_be_empty():
    s = spider(query="snow globe")
    (request,) = list(s.get_by_query(s.query))
    assert request.url == f"{HOST}/search.php?search_query=snow+globe"
    assert request.cb_kwargs == {"year": None, "expect_products": False}
    empty = saved_response(VENDOR, "search.php?search_query=frosty")
    # No results: the platform's card attributes are gone, not only the theme's class names.
    empty = empty.replace(body=empty.body.replace(b'class="card"', b'class="x"').replace(b"data-entity-id", b"data-x"))
    assert list(s.parse_listing(empty, year=None, expect_products=False)) == [] and s.problems == []


@pytest.mark.slow
def test_crawl_of_every_year(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server)
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, VENDOR)) == EXPECTED
    (run,) = sync_runs(pg_url)
    assert run["status"] == "finished", result
    assert run["dropped_reasons"] == {"broken_markup": 1}
    assert run["details"]["coverage"] == {"items": 8, "price": 1.0, "sku": 1.0, "year": 1.0, "image": 0.875}
    paths = [path for path, _status in server.requests]
    assert paths.count("/2020-keepsake-ornament-collection/") == 1  # on page 1 and page 2 of 2020


@pytest.mark.slow
def test_crawl_with_the_shops_search(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server, "-a", "query=snow globe")
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, VENDOR)) == {"1050": EXPECTED["1050"]}
    assert sync_runs(pg_url)[-1]["status"] == "partial"


@pytest.mark.slow
def test_flaky_server_all_products_still_sync_through_retries(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    server.faults = Faults(error_rate=0.3, reset_rate=0.1, slow_rate=0.1, slow_seconds=0.3, seed=11)
    result = replica_crawl(VENDOR, server, "-s", "RETRY_TIMES=12")
    assert result.returncode == 0, result
    assert {500, 503, "reset"} <= {status for _path, status in server.requests}
    assert summary(stored_products(pg_url, VENDOR)) == EXPECTED
    assert sync_runs(pg_url)[-1]["status"] == "finished", result


@pytest.mark.slow
def test_product_without_price_makes_the_run_suspect_and_removes_nothing(replica_site, replica_crawl, pg_url, tmp_path):
    server = replica_site(VENDOR)
    assert replica_crawl(VENDOR, server).returncode == 0
    # A theme update drops the JSON-LD and renames the price element on one product page.
    site = copy_site(VENDOR, tmp_path)
    page = site / "santas-sleigh-2019" / "index.html"
    html = page.read_text().replace('type="application/ld+json"', 'type="text/x-template"')
    page.write_text(html.replace("data-product-price-without-tax", "data-price"))
    # And the product 1053 is gone from the shop: even so, nothing may be removed after a suspect run.
    listing = site / "2020-hallmark-ornaments" / "?page=2"
    listing.write_text(listing.read_text().replace("/nutcracker-ballet-musical/", "/2020-keepsake-ornament-collection/"))
    changed = replica_site(VENDOR, site)
    result = replica_crawl(VENDOR, changed)
    assert f"ERROR: product without price: the product page yields no price ({changed.url}/santas-sleigh-2019/)" in result.log
    run = sync_runs(pg_url)[-1]
    assert run["status"] == "suspect"
    products = stored_products(pg_url, VENDOR)
    assert set(products) == set(EXPECTED) and all(row["removed_at"] is None for row in products.values())
    # Once the page is fixed, a clean run does mark the product that left the shop removed.
    page.write_text(html)
    fixed = replica_site(VENDOR, site)
    assert replica_crawl(VENDOR, fixed).returncode == 0
    assert sync_runs(pg_url)[-1]["status"] == "finished"
    products = stored_products(pg_url, VENDOR)
    assert [pid for pid, row in products.items() if row["removed_at"] is not None] == ["1053"]


@pytest.mark.slow
def test_a_linked_listing_page_that_is_gone_makes_the_run_suspect(replica_site, replica_crawl, pg_url, tmp_path):
    site = copy_site(VENDOR, tmp_path)
    (site / "2020-hallmark-ornaments" / "?page=2").unlink()
    server = replica_site(VENDOR, site)
    result = replica_crawl(VENDOR, server)
    assert f"ERROR: listing gone: a linked listing page answers HTTP 404 ({server.url}/2020-hallmark-ornaments/?page=2)" in result.log
    assert sync_runs(pg_url)[-1]["status"] == "suspect"
    assert set(stored_products(pg_url, VENDOR)) == set(EXPECTED) - {"1053"}
