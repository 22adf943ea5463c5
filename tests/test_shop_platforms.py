"""Platform bases on every replica layout and theme: each shop spider extracts every product exactly once,
with the right year, from its old and 2026 layouts, from themes with other class names, and from sitemaps;
a layout that really broke is still flagged suspect. End to end: `scrapy crawl` into PostgreSQL."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from ornaments.base_spiders import pages
from ornaments.spiders.hallmark_ornaments import HallmarkOrnamentsSpider
from ornaments.spiders.hookedonhallmark import HookedOnHallmarkSpider
from tests.fixtures.replica_sites import copy_site, saved_response, stored_products, summary, sync_runs
from tests.test_vendor_hallmark_ornaments import EXPECTED as HALLMARK_ORNAMENTS
from tests.test_vendor_hookedonhallmark import EXPECTED as HOOKEDONHALLMARK
from tests.test_vendor_ornament_shop import EXPECTED as ORNAMENT_SHOP

EXPECTED = {"hookedonhallmark": HOOKEDONHALLMARK, "ornament_shop": ORNAMENT_SHOP, "hallmark_ornaments": HALLMARK_ORNAMENTS}
SHOPS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "shops.md"


def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def _source(log: str) -> str | None:
    match = re.search(r"'ornaments/catalog_source': '([^']+)'", log)
    return match.group(1) if match else None


# --- every shop spider on every layout of its shop (kingfisher style) -------------------------------

# (replica, spider, arguments, catalog source used, listings rendered in Chromium)
CASES = [
    ("hookedonhallmark", "hookedonhallmark", (), "index", 0),  # prefers the sitemap; the old layout has none
    ("hookedonhallmark_2026", "hookedonhallmark", (), "sitemap", 0),  # sitemap index, gzipped products sitemap
    ("hookedonhallmark_2026", "hookedonhallmark", ("-a", "source=index"), "index", 0),
    ("ornament_shop_theme", "ornament_shop", (), "index", 0),  # another BigCommerce theme
    ("ornament_shop_theme", "ornament_shop", ("-a", "source=sitemap"), "sitemap", 0),  # xmlsitemap.php
    ("hallmark_ornaments_2026", "hallmark_ornaments", (), "index", 0),  # static listings: no browser
    ("hallmark_ornaments_theme", "hallmark_ornaments", (), "index", 4),  # JS grid, other class names
    ("hallmark_ornaments", "hallmark_ornaments", ("-a", "source=sitemap"), "sitemap", 0),  # JS grid, skipped
    # the live paging (`_c_<id>-<n>-<m>.html`, ?viewall=1 answering page 1 only, pagers in <nav>s), boxes of
    # other years' products in the newest year's content, _3d_item saying 1 for a pre-order
    ("hallmark_ornaments_paged", "hallmark_ornaments", (), "index", 0),
    ("hookedonhallmark_paged", "hookedonhallmark", ("-a", "source=index"), "index", 0),
]


def test_every_shop_spider_has_its_replica_cases():
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from ornaments.base_spiders.shop import ShopSpider

    loader = SpiderLoader.from_settings(get_project_settings())
    shops = {name for name in loader.list() if issubclass(loader.load(name), ShopSpider)}
    assert shops == {case[1] for case in CASES}  # a new shop spider joins CASES with its replicas


@pytest.mark.slow
@pytest.mark.parametrize("site,spider,arguments,source,rendered", CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_every_product_once_with_its_year(replica_site, replica_crawl, pg_url, site, spider, arguments, source, rendered):
    server = replica_site(site)
    result = replica_crawl(spider, server, *arguments)
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, spider)) == EXPECTED[spider]
    (run,) = sync_runs(pg_url)
    assert run["status"] == "finished", result
    assert run["dropped_reasons"] == {"broken_markup": 1}  # the broken page; no duplicates
    assert _stat(result.log, "item_scraped_count") == len(EXPECTED[spider])
    assert _source(result.log) == source
    assert _stat(result.log, "ornaments/listings/rendered") == rendered
    assert (_stat(result.log, "playwright/browser_count") > 0) == (rendered > 0)  # no browser unless needed


@pytest.mark.slow
def test_sidebar_and_header_products_of_other_years_stay_out_of_a_years_scope(replica_site, replica_crawl, pg_url):
    server = replica_site("hallmark_ornaments_2026")
    result = replica_crawl("hallmark_ornaments", server, "-a", "year=2020")
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, "hallmark_ornaments")) == {"26001": HALLMARK_ORNAMENTS["26001"]}
    assert sync_runs(pg_url)[-1]["status"] == "finished"


@pytest.mark.slow
def test_year_from_the_sitemap_keeps_removal_to_that_year(replica_site, replica_crawl, pg_url, tmp_path):
    server = replica_site("hookedonhallmark_2026")
    assert replica_crawl("hookedonhallmark", server).returncode == 0
    site = copy_site("hookedonhallmark_2026", tmp_path)
    (site / "santas-sleigh-2019_p_4301.html").unlink()  # sold out for good: still in the sitemap, page 404
    (site / "mickeys-merry-christmas-2021_p_4101.html").unlink()  # another year's: not this run's business
    changed = replica_site("hookedonhallmark_2026", site)
    # 1 of the year's 2 live products: above the removal guard's share, so the test lets it through.
    result = replica_crawl("hookedonhallmark", changed, "-a", "year=2019", "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert result.returncode == 0, result
    run = sync_runs(pg_url)[-1]
    assert (run["status"], run["mode"]) == ("finished", "year"), result
    assert _stat(result.log, "ornaments/sitemap/other_years") == 6  # read, not synced into 2019
    products = stored_products(pg_url, "hookedonhallmark")
    assert [pid for pid, row in products.items() if row["removed_at"] is not None] == ["4301"]


@pytest.mark.slow
def test_a_sitemap_without_product_pages_is_suspect(replica_site, replica_crawl, pg_url, tmp_path):
    site = copy_site("hookedonhallmark_2026", tmp_path)
    sitemap = site / "sitemap_products_1.xml.gz"
    sitemap.write_bytes(gzip.compress(gzip.decompress(sitemap.read_bytes()).replace(b"_p_", b"-item-")))
    server = replica_site("hookedonhallmark_2026", site)
    result = replica_crawl("hookedonhallmark", server)
    assert result.returncode == 3, result  # suspect
    assert "ERROR: empty sitemap: the sitemaps list no product pages" in result.log
    assert sync_runs(pg_url)[-1]["status"] == "suspect"


@pytest.mark.slow
def test_a_layout_that_really_broke_is_suspect_even_after_the_browser(replica_site, replica_crawl, pg_url, tmp_path):
    # No structured data, no product URL pattern: neither the static page nor the rendered one shows products.
    site = copy_site("hallmark_ornaments_2026", tmp_path)
    for page in site.glob("*_c_*"):
        page.write_text(page.read_text().replace("_p_", "-item-"))
    server = replica_site("hallmark_ornaments_2026", site)
    result = replica_crawl("hallmark_ornaments", server, "-a", "year=1975")
    assert result.returncode == 3, result
    assert re.search(r"ERROR: empty listing: a listing page of 1975 shows no products \(\S+/1975_c_4411.html\?viewall=1\)", result.log)
    assert _stat(result.log, "ornaments/listings/rendered") == 1
    assert sync_runs(pg_url)[-1]["status"] == "suspect"
    assert stored_products(pg_url, "hallmark_ornaments") == {}


# --- a second shop on the same platform: docs/shops.md's worked example, as written there ----------

def readme_example() -> str:
    text = SHOPS_PAGE.read_text(encoding="utf-8")
    return re.search(r"<!-- example vendor file -->\s*```python\n(.*?)```", text, re.S).group(1)


def test_the_readme_example_is_about_fifteen_lines():
    assert len(readme_example().strip().splitlines()) <= 16


@pytest.mark.slow
def test_the_readme_example_vendor_file_syncs_a_shift4shop_shop(replica_site, replica_crawl, pg_url, tmp_path):
    package = tmp_path / "example_shops"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "keepsake_corner.py").write_text(readme_example())
    server = replica_site("hallmark_ornaments_2026")
    result = replica_crawl("keepsake_corner", server, "-s", "SPIDER_MODULES=ornaments.spiders,example_shops",
                           env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, "keepsake_corner")) == HALLMARK_ORNAMENTS
    assert sync_runs(pg_url)[-1]["status"] == "finished"


# --- page reading, on saved pages -----------------------------------------------------------------

HOST = "http://127.0.0.1:8000"


def test_product_links_come_from_the_content_only():
    spider = HookedOnHallmarkSpider.from_crawler(get_crawler(HookedOnHallmarkSpider), base_url=HOST)
    listing = saved_response("hookedonhallmark_2026", "2019-hallmark-ornaments_c_8.html")
    everywhere = {u for u in (listing.urljoin(h) for h in listing.css("a::attr(href)").getall()) if "_p_" in u}
    found = spider.product_links(listing)
    assert found == [f"{HOST}/santas-sleigh-2019_p_4301.html", f"{HOST}/holiday-barbie-2019_p_4302.html",
                     f"{HOST}/disney-frozen-2-elsa_p_4303.html"]
    assert everywhere - set(found) == {f"{HOST}/mickeys-merry-christmas-2021_p_4101.html"}  # only in the chrome


def test_pagination_by_rel_next_page_numbers_and_next_text():
    body = b"""<html><head><link rel="next" href="/c.html?page=3"></head><body><main>
    <a href="/c.html?page=1">1</a><a href="/c.html?page=3">3</a><a href="/other.html?page=9">9</a>
    <a href="/c.html">Next &raquo;</a></main><footer><a href="/c.html?page=4">4</a></footer></body></html>"""
    response = HtmlResponse(f"{HOST}/c.html?page=2", body=body, encoding="utf-8")
    assert pages.next_pages(response) == [f"{HOST}/c.html?page=3", f"{HOST}/c.html"]


def test_year_links_by_text_alt_or_url():
    body = b"""<html><body><div id="header"><a href="/2019_c_1.html">2019 sale</a></div><div id="content">
    <a href="/x_c_2.html"><img alt="2021 Hallmark Ornaments"></a><a href="/2020_c_7.html">Ornaments</a>
    <a href="/about.html">Since 1999</a></div></body></html>"""
    response = HtmlResponse(f"{HOST}/years.html", body=body, encoding="utf-8")
    assert pages.year_links(response) == [(2021, f"{HOST}/x_c_2.html"), (2020, f"{HOST}/2020_c_7.html")]


def test_json_ld_offers_lists_and_aggregate_offers():
    spider = HallmarkOrnamentsSpider.from_crawler(get_crawler(HallmarkOrnamentsSpider), base_url=HOST)
    for path, pid in (("mickey-s-merry-christmas-2021_p_26101.html", "26101"),  # offers list
                      ("2021-complete-keepsake-collection-127-ornaments_p_26102.html", "26102")):  # AggregateOffer
        (item,) = spider.parse_product(saved_response("hallmark_ornaments_2026", path))
        assert (item["vendor_product_id"], str(item["price"]), item["availability"], item["release_year"]) == (
            pid, HALLMARK_ORNAMENTS[pid][2], HALLMARK_ORNAMENTS[pid][4], 2021)


# --- sitemaps, on saved files ---------------------------------------------------------------------

def hooked(**kwargs) -> HookedOnHallmarkSpider:
    return HookedOnHallmarkSpider.from_crawler(get_crawler(HookedOnHallmarkSpider), base_url=HOST, **kwargs)


def test_sitemaps_from_robots_txt_through_the_index_to_gzipped_product_urls_on_the_mirror():
    from scrapy.http import Response, TextResponse, XmlResponse

    from tests.fixtures.replica_sites import SITES

    site = SITES / "hookedonhallmark_2026"
    spider = hooked()
    (request,) = spider.get_all()
    assert request.url == f"{HOST}/robots.txt"
    robots = TextResponse(request.url, body=(site / "robots.txt").read_bytes(), request=request)
    (index,) = spider.parse_robots_sitemaps(robots)
    assert index.url == f"{HOST}/sitemap.xml"  # the shop's own host, moved onto the mirror
    children = list(spider.parse_sitemap(XmlResponse(index.url, body=(site / "sitemap.xml").read_bytes()), **index.cb_kwargs))
    assert [r.url for r in children] == [f"{HOST}/sitemap_products_1.xml.gz", f"{HOST}/sitemap_categories.xml"]
    gz = Response(children[0].url, body=(site / "sitemap_products_1.xml.gz").read_bytes())
    products = list(spider.parse_sitemap(gz, **children[0].cb_kwargs))
    assert len(products) == 10 and all(r.url.startswith(f"{HOST}/") and "_p_" in r.url for r in products)
    assert all(r.cb_kwargs == {"listing_year": None, "from_sitemap": True} for r in products)
    categories = XmlResponse(children[1].url, body=(site / "sitemap_categories.xml").read_bytes())
    assert list(spider.parse_sitemap(categories, **children[1].cb_kwargs)) == []  # no product URL among them
    assert spider.sitemap_products == 10 and spider.problems == []


def test_no_sitemap_falls_back_to_the_year_index():
    from scrapy.http import Response, TextResponse
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    spider = hooked()
    (robots,) = spider.get_all()
    (guessed,) = spider.parse_robots_sitemaps(TextResponse(robots.url, body=b"User-agent: *\nDisallow: /cart.php\n"))
    assert guessed.url == f"{HOST}/sitemap.xml"
    failure = Failure(HttpError(Response(guessed.url, status=404, request=guessed)))
    failure.request = guessed
    (index,) = spider.sitemap_missing(failure)
    assert index.url == f"{HOST}/keepsake-hallmark-ornaments-by-year.html" and spider.source == "index"
    assert spider.incomplete_reasons == []


def test_source_and_render_arguments():
    from scrapy.exceptions import UsageError

    assert hooked().sync_arguments == {"base_url": HOST}
    assert hooked(source="index").sync_arguments == {"base_url": HOST, "source": "index"}
    with pytest.raises(UsageError, match="source"):
        hooked(source="feed")
    with pytest.raises(UsageError, match="render"):
        HallmarkOrnamentsSpider.from_crawler(get_crawler(HallmarkOrnamentsSpider), render="sometimes")


def test_a_listing_with_products_only_in_its_chrome_is_empty_and_says_so(caplog):
    spider = hooked()
    listing = saved_response("hookedonhallmark_2026", "2019-hallmark-ornaments_c_8.html")
    main = re.search(rb'<div class="product-grid">.*?</div>\n<div class="pagination">', listing.body, re.S)
    emptied = listing.replace(body=listing.body.replace(main.group(0), b'<div class="pagination">'))
    assert list(spider.parse_listing(emptied, year=2019)) == []
    assert spider.problems == [f"empty_listing: {listing.url}"]
    assert "shows no products (9 product links only in its header, footer or sidebars)" in caplog.text


# --- the generic schema.org shop ------------------------------------------------------------------

def schema_shop():
    from ornaments.base_spiders.platforms.structured import StructuredDataSpider

    class SchemaShop(StructuredDataSpider):
        name = "schema_shop"
        default_base_url = HOST
        default_currency = "USD"
        product_url_patterns = (r"product\.asp\?itemid=\d+", r"_p_\d+\.html")

    return SchemaShop.from_crawler(get_crawler(SchemaShop))


def test_structured_data_shop_reads_microdata_json_ld_and_open_graph():
    spider = schema_shop()
    (microdata,) = spider.parse_product(saved_response("hallmark_ornaments", "product.asp?itemid=25615"))
    assert (microdata["vendor_product_id"], microdata["name"], str(microdata["price"]), microdata["availability"],
            microdata["release_year"]) == ("QX1571", "1975 Betsey Clark (Adorable)", "28.95", "out_of_stock", 1975)
    (json_ld,) = spider.parse_product(saved_response("hallmark_ornaments_2026", "caf-christmas-snow-globe_p_26001.html"))
    assert (json_ld["vendor_product_id"], json_ld["sku"], str(json_ld["price"]), json_ld["release_year"]) == (
        "26001", "QXI6731", "31.99", 2020)
    og = HtmlResponse(f"{HOST}/elsa_p_9.html", encoding="utf-8", body=b"""<html><head>
        <meta property="og:title" content="Elsa"><meta property="product:price:amount" content="16.99">
        <meta property="product:price:currency" content="USD"><meta property="product:retailer_item_id" content="QXD6129">
        </head><body><h1>Elsa!</h1></body></html>""")
    (item,) = spider.parse_product(og, listing_year=2019)
    assert (item["vendor_product_id"], item["name"], str(item["price"]), item["release_year"]) == ("QXD6129", "Elsa", "16.99", 2019)
