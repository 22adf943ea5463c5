"""hallmark_ornaments (3dcart): the year grid is built by JavaScript, so listings are rendered by the
real Chromium through scrapy-playwright; product pages are plain HTTP and carry `_3d_item`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from ornaments.spiders.hallmark_ornaments import HallmarkOrnamentsSpider
from tests.fixtures.replica_sites import saved_response, stored_products, summary, sync_runs
from tests.helpers import project_settings

VENDOR = "hallmark_ornaments"
HOST = "http://127.0.0.1:8000"
RENDERED = Path(__file__).parent / "saved" / "hallmark_ornaments_2021_rendered.html"  # page.content() from Chromium

EXPECTED = {
    "25615": ("QX1571", "1975 Betsey Clark (Adorable)", "28.95", 1975, "out_of_stock", True),
    "25616": ("QX1331", "1975 Raggedy Ann™", "35.00", 1975, "in_stock", False),
    "26001": ("QXI6731", "Café Christmas Snow Globe™", "31.99", 2020, "in_stock", True),
    "26101": ("QXD6352", "Mickey's Merry Christmas™ 2021", "19.99", 2021, "preorder", True),
    "26102": ("KC2021", "2021 Complete Keepsake Collection (127 Ornaments)", "1249.50", 2021, "in_stock", True),
    "26103": ("QXR9042", "Crème Brûlée Bakery Ornament", "24.99", 2021, "out_of_stock", True),
}


def spider(settings: dict | None = None, **kwargs) -> HallmarkOrnamentsSpider:
    crawler = get_crawler(HallmarkOrnamentsSpider, project_settings(**(settings or {})))
    return HallmarkOrnamentsSpider.from_crawler(crawler, base_url=HOST, **kwargs)


def test_year_index_leads_to_plain_view_all_listings():
    s = spider()
    requests = list(s.parse_year_index(saved_response(VENDOR, "Hallmark-Ornaments-By-Year_c_200.html")))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/2021-Hallmark-Ornaments_c_321.html?viewall=1", 2021),
        (f"{HOST}/2020-Hallmark-Ornaments_c_320.html?viewall=1", 2020),
        (f"{HOST}/1975-Hallmark-Ornaments_c_275.html?viewall=1", 1975)]
    # The browser only when a listing's static HTML holds no products: not decided yet.
    assert not any(r.meta.get("playwright") for r in requests)


def test_an_empty_static_grid_is_rendered_and_from_then_on_every_listing():
    s = spider()
    plain = saved_response(VENDOR, "2021-Hallmark-Ornaments_c_321.html?viewall=1")
    (again,) = s.parse_listing(plain, year=2021)
    assert (again.url, again.dont_filter, again.cb_kwargs["year"]) == (plain.url, True, 2021)
    assert again.meta["playwright"] is True and again.meta["playwright_page_methods"]
    assert "playwright_include_page" not in again.meta  # pages are closed by the handler
    assert s.problems == [] and s.rendering
    later = s.listing_request(f"{HOST}/2020-Hallmark-Ornaments_c_320.html", 2020)
    assert later.meta["playwright"] is True and later.url.endswith("?viewall=1")


def test_a_rendered_grid_that_is_still_empty_is_a_layout_problem():
    s = spider()
    plain = saved_response(VENDOR, "2021-Hallmark-Ornaments_c_321.html?viewall=1")
    (again,) = s.parse_listing(plain, year=2021)
    rendered = plain.replace(request=again)
    assert list(s.parse_listing(rendered, year=2021)) == []
    assert s.problems == [f"empty_listing: {plain.url}"]


def test_render_never_reports_the_empty_static_grid():
    s = spider(render="never")
    plain = saved_response(VENDOR, "2021-Hallmark-Ornaments_c_321.html?viewall=1")
    assert list(s.parse_listing(plain, year=2021)) == []
    assert s.problems == [f"empty_listing: {plain.url}"]


def test_product_pages_are_plain_http():
    s = spider(render="always")
    requests = list(s.parse_listing(saved_response(VENDOR, "x", file=RENDERED).replace(
        url=f"{HOST}/2021-Hallmark-Ornaments_c_321.html?viewall=1"), year=2021))
    products = [r for r in requests if r.callback == s.parse_product]
    assert [r.url for r in products] == [f"{HOST}/product.asp?itemid=26101", f"{HOST}/product.asp?itemid=26102"]
    assert not any(r.meta.get("playwright") for r in products)
    (next_page,) = [r for r in requests if r.callback == s.parse_listing]
    assert next_page.url == f"{HOST}/2021-Hallmark-Ornaments_c_321.html?viewall=1&page=2" and next_page.meta["playwright"]


def test_product_page_reads_3d_item():
    (item,) = spider().parse_product(saved_response(VENDOR, "product.asp?itemid=25615"), listing_year=1975)
    assert dict(item) == {
        "vendor": VENDOR, "vendor_product_id": "25615", "sku": "QX1571", "name": "1975 Betsey Clark (Adorable)",
        "brand": "Hallmark", "price": Decimal("28.95"), "currency": "USD", "availability": "out_of_stock",
        "release_year": 1975, "category": "1975 Hallmark Ornaments",
        "description": "A Hallmark Keepsake Ornament, dated and boxed.",
        "url": f"{HOST}/product.asp?itemid=25615", "image_urls": [f"{HOST}/assets/images/QX1571.jpg"]}


def test_3d_item_wins_over_microdata_and_a_broken_3d_item_page_is_dropped():
    response = saved_response(VENDOR, "product.asp?itemid=26102")
    changed = response.replace(body=response.body.replace(b'itemprop="price" content="1249.50"', b'itemprop="price" content="1.00"'))
    (item,) = spider().parse_product(changed, listing_year=2021)
    assert item["price"] == Decimal("1249.50") and item["release_year"] == 2021  # year from the listing
    s = spider()
    assert list(s.parse_product(saved_response(VENDOR, "product.asp?itemid=26002"))) == []
    assert s.crawler.stats.get_value("ornaments/dropped/broken_markup") == 1 and s.problems == []


def test_chromium_comes_from_the_setting():
    settings = spider({"PLAYWRIGHT_CHROMIUM_EXECUTABLE": "/opt/chromium/chrome"}).settings
    options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == "/opt/chromium/chrome" and "--no-sandbox" in options["args"]
    assert settings.getdict("DOWNLOAD_HANDLERS")["http"] == "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"


# --- end to end with the real Chromium ------------------------------------------------------------

def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


@pytest.mark.slow
def test_crawl_renders_the_grid_in_chromium(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server)
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, VENDOR)) == EXPECTED
    (run,) = sync_runs(pg_url)
    assert run["status"] == "finished", result
    assert run["dropped_reasons"] == {"broken_markup": 1}
    # Four listing pages went through the browser, and every page was closed; product pages did not.
    assert _stat(result.log, "playwright/request_count/navigation") == 4
    assert _stat(result.log, "playwright/page_count") == _stat(result.log, "playwright/page_count/closed") == 4
    paths = [path for path, _status in server.requests]
    assert "/assets/category/items_321_2.json" in paths  # fetched by the page's own script
    assert paths.count("/product.asp") == 6 + 1  # each product page once (26102 is listed twice), +1 broken


@pytest.mark.slow
def test_without_the_browser_the_run_is_suspect_and_nothing_is_removed(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    assert replica_crawl(VENDOR, server, "-a", "year=1975").returncode == 0
    assert set(stored_products(pg_url, VENDOR)) == {"25615", "25616"}
    plain = json.dumps({"http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
                        "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"})
    result = replica_crawl(VENDOR, server, "-a", "year=1975", "-s", f"DOWNLOAD_HANDLERS={plain}")
    assert f"ERROR: empty listing: a listing page of 1975 shows no products ({server.url}/1975-Hallmark-Ornaments_c_275.html?viewall=1)" in result.log
    assert [r["status"] for r in sync_runs(pg_url)] == ["finished", "suspect"]
    assert all(row["removed_at"] is None for row in stored_products(pg_url, VENDOR).values())


@pytest.mark.slow
def test_crawl_of_one_product_page_needs_no_browser(replica_site, replica_crawl, pg_url):
    server = replica_site(VENDOR)
    result = replica_crawl(VENDOR, server, "-a", f"url={server.url}/product.asp?itemid=26103")
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, VENDOR)) == {"26103": EXPECTED["26103"]}
    assert sync_runs(pg_url)[-1]["status"] == "partial"
    assert _stat(result.log, "playwright/page_count") == 0
