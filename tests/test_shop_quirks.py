"""The three shops' live layouts (issue 20), each class of input on two replicas made differently:
year indexes in sidebar navigation, Shift4Shop's `_c_<id>-<n>-<m>.html` pages and pagers in `<nav>`s,
boxes of other years' products inside a year's listing, and pre-orders that `_3d_item` calls "available"."""

from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from ornaments.base_spiders import pages
from ornaments.spiders.hallmark_ornaments import HallmarkOrnamentsSpider
from ornaments.spiders.hookedonhallmark import HookedOnHallmarkSpider
from ornaments.spiders.ornament_shop import OrnamentShopSpider
from tests.fixtures.replica_sites import saved_response, stored_products, summary, sync_runs
from tests.test_vendor_hallmark_ornaments import EXPECTED as HALLMARK_ORNAMENTS
from tests.test_vendor_hookedonhallmark import EXPECTED as HOOKEDONHALLMARK
from tests.test_vendor_ornament_shop import EXPECTED as ORNAMENT_SHOP

HOST = "http://127.0.0.1:8000"
EXPECTED = {"hookedonhallmark": HOOKEDONHALLMARK, "ornament_shop": ORNAMENT_SHOP, "hallmark_ornaments": HALLMARK_ORNAMENTS}


def make(spider_cls, **kwargs):
    return spider_cls.from_crawler(get_crawler(spider_cls), base_url=HOST, **kwargs)


def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


# --- year indexes whose category links sit in navigation -------------------------------------------

def test_cornerstone_year_index_in_the_sidebar_navigation():
    requests = list(make(OrnamentShopSpider).parse_year_index(saved_response("ornament_shop", "hallmark-ornaments-by-year.html")))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/2021-hallmark-ornaments/", 2021), (f"{HOST}/2020-hallmark-ornaments/", 2020),
        (f"{HOST}/2019-hallmark-ornaments/", 2019)]


def test_another_themes_year_index_in_a_sidebar_nav_beside_recently_viewed_products():
    # Years only as image alt text, in a <nav> inside the sidebar that also holds recently viewed products;
    # the top bar's "2019 sale" promotion is no year page.
    response = saved_response("ornament_shop_theme", "hallmark-ornaments-by-year.html")
    requests = list(make(OrnamentShopSpider).parse_year_index(response))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/2021-ornaments/", 2021), (f"{HOST}/2020-ornaments/", 2020), (f"{HOST}/2019-ornaments/", 2019)]


def test_navigation_year_links_count_as_a_list_never_one_by_one_nor_from_the_header_or_footer():
    body = b"""<html><body><header><nav><a href="/2018-sale/">2018 Sale</a><a href="/2017-sale/">2017 Sale</a></nav></header>
    <aside class="col-left"><div class="promo"><a href="/2016-clearance/">2016 clearance</a></div></aside>
    <aside><ul class="side-menu"><li><a href="/c/2021/">2021 Ornaments</a></li><li><a href="/c/2020/">2020 Ornaments</a></li></ul>
    <div class="recently-viewed"><a href="/products/2015-keepsake.html">2015 Keepsake Set</a>
    <a href="/products/2014-keepsake.html">2014 Keepsake Set</a></div></aside>
    <main><a href="/c/2020-new/">2020 Ornaments</a></main><footer><a href="/2013/">2013</a><a href="/2012/">2012</a></footer>
    </body></html>"""
    response = HtmlResponse(f"{HOST}/years.html", body=body, encoding="utf-8")
    # The content's link of a year wins; the sidebar list adds the years the content lacks.
    assert pages.year_links(response, exclude=[re.compile(r"/products/")]) == [
        (2020, f"{HOST}/c/2020-new/"), (2021, f"{HOST}/c/2021/")]


# --- Shift4Shop: page n of m in the URL, pagers under any class names -----------------------------------

def test_shift4shop_later_pages_from_n_of_m_urls_when_viewall_answers_page_one():
    spider = make(HallmarkOrnamentsSpider)
    first = saved_response("hallmark_ornaments_paged", "2021_c_3307.html?viewall=1")
    assert spider.next_pages(first) == [f"{HOST}/2021_c_3307-2-4.html", f"{HOST}/2021_c_3307-3-4.html",
                                        f"{HOST}/2021_c_3307-4-4.html"]
    # A URL that names its page is asked for as it is; the category's own URL with ?viewall=1.
    assert spider.listing_request(f"{HOST}/2021_c_3307-2-4.html", 2021).url == f"{HOST}/2021_c_3307-2-4.html"
    assert spider.listing_request(f"{HOST}/2021_c_3307.html", 2021).url == f"{HOST}/2021_c_3307.html?viewall=1"


def test_shift4shop_a_next_arrow_alone_still_yields_every_later_page_and_never_an_earlier_one():
    spider = make(HookedOnHallmarkSpider)
    first = saved_response("hookedonhallmark_paged", "2021-hallmark-ornaments_c_22.html?viewall=1")
    assert spider.next_pages(first) == [f"{HOST}/2021-hallmark-ornaments_c_22-2-3.html",
                                        f"{HOST}/2021-hallmark-ornaments_c_22-3-3.html"]
    second = saved_response("hookedonhallmark_paged", "2021-hallmark-ornaments_c_22-2-3.html")
    assert spider.next_pages(second) == [f"{HOST}/2021-hallmark-ornaments_c_22-3-3.html"]


def test_a_pager_whose_class_names_read_as_chrome_is_still_followed():
    body = b"""<html><body><div class="sidebar-left"><a href="/c.html?page=5">5</a></div><main><p>items</p></main>
    <div class="recently-viewed"><a href="/other.html?page=2">2</a></div><footer><a href="/c.html?page=9">9</a></footer>
    </body></html>"""
    response = HtmlResponse(f"{HOST}/c.html", body=body, encoding="utf-8")
    assert pages.next_pages(response) == [f"{HOST}/c.html?page=5"]


# --- the product page's own year over the listing's --------------------------------------------------

@pytest.mark.parametrize("spider_cls,site,path,year", [
    (HallmarkOrnamentsSpider, "hallmark_ornaments_paged", "1975-raggedy-ann_p_25616.html", 1975),  # JSON-LD crumbs, name
    (HallmarkOrnamentsSpider, "hallmark_ornaments_paged", "1975-betsey-clark-adorable_p_25615.html", 1975),  # releaseDate
    (OrnamentShopSpider, "ornament_shop", "santas-sleigh-2019/", 2019),  # the dl's "Year:"
    (HookedOnHallmarkSpider, "hookedonhallmark_paged", "betsey-clark-2020_p_4202.html", 2020),  # extra field, crumbs
    (HookedOnHallmarkSpider, "hookedonhallmark", "nutcracker-ballet-musical.html", 2020),  # HTML crumbs only
])
def test_the_product_pages_own_year_wins_over_the_listings(spider_cls, site, path, year):
    (item,) = make(spider_cls).parse_product(saved_response(site, path), listing_year=2021)
    assert item["release_year"] == year


def test_a_year_in_the_name_counts_at_its_start_or_end_only():
    spider = make(OrnamentShopSpider)

    def year_of(name: str, listing_year: int) -> int:
        body = f"""<html><body><h1>{name}</h1><span data-product-sku>QX1</span>
        <span data-product-price-without-tax>$9.99</span><div data-product-id="7"></div></body></html>"""
        (item,) = spider.parse_product(HtmlResponse(f"{HOST}/x/", body=body, encoding="utf-8"), listing_year=listing_year)
        return item["release_year"]

    assert year_of("Holiday Barbie™ 2019", 2021) == 2019
    assert year_of("Elsa (2018)", 2021) == 2018
    assert year_of("1975 Betsey Clark", 2021) == 1975
    assert year_of("Classic American Cars 1957 Chevrolet", 1991) == 1991  # what it shows, not its year


@pytest.mark.parametrize("markup,year", [
    ("<ul><li><strong>Year:</strong> 1998</li></ul>", 1998),  # label, then the value as text
    ('<div class="spec">Release Year: 2009</div>', 2009),  # both in one element
    ("<table><tr><th>Year Released</th><td>1998</td></tr></table>", 1998),  # a table row
    ('<div id="xf3"><label>Year of release</label><b>2009</b></div>', 2009),
    ('<script type="application/ld+json">{"@type": "Product", "name": "Elf", "additionalProperty": '
     '[{"@type": "PropertyValue", "name": "Year", "value": "1998"}]}</script>', 1998),  # JSON-LD custom field
    ("<p>Year released: 1980 (first in series)</p>", 2021),  # not a year alone: the listing's
    ('<aside class="filters"><div>Year: 1999</div></aside>', 2021),  # a sidebar's, not the product's
])
def test_a_labelled_year_field_of_any_markup_wins_over_the_listing(markup, year):
    body = f"""<html><body><main><h1>Elf on the Shelf</h1><span data-product-sku>QX1</span>
    <span data-product-price-without-tax>$9.99</span><div data-product-id="7"></div>{markup}</main></body></html>"""
    (item,) = make(OrnamentShopSpider).parse_product(HtmlResponse(f"{HOST}/elf/", body=body, encoding="utf-8"),
                                                     listing_year=2021)
    assert item["release_year"] == year


def test_a_year_run_does_not_store_a_listed_product_whose_page_states_another_year():
    spider = make(HallmarkOrnamentsSpider, year="2021")
    assert list(spider.parse_product(saved_response("hallmark_ornaments_paged", "1975-raggedy-ann_p_25616.html"),
                                     listing_year=2021)) == []
    assert spider.crawler.stats.get_value("ornaments/listing/other_years") == 1
    assert spider.seen_but_dropped == [] and spider.problems == []  # neither seen by this run nor a fault
    (item,) = spider.parse_product(saved_response("hallmark_ornaments_paged", "mickey-s-merry-christmas-2021_p_26101.html"),
                                   listing_year=2021)
    assert item["release_year"] == 2021


# --- availability: schema.org over platform objects --------------------------------------------------

@pytest.mark.parametrize("spider_cls,site,path", [
    (HallmarkOrnamentsSpider, "hallmark_ornaments_paged", "mickey-s-merry-christmas-2021_p_26101.html"),  # JSON-LD
    (HookedOnHallmarkSpider, "hookedonhallmark_2026", "mickeys-merry-christmas-2021_p_4101.html"),  # microdata
    (HallmarkOrnamentsSpider, "hallmark_ornaments", "product.asp?itemid=26101"),  # microdata, old theme
])
def test_schema_org_pre_order_outranks_3d_item_availability(spider_cls, site, path):
    response = saved_response(site, path)
    assert re.search(rb"_3d_item = \{[^}]*availability: 1", response.body)  # "orderable"
    (item,) = make(spider_cls).parse_product(response)
    assert item["availability"] == "preorder"
    # Without schema.org data, _3d_item still says the product can be ordered.
    plain = response.replace(body=re.sub(rb'<script type="application/ld\+json">.*?</script>|itemprop="availability"', b"",
                                         response.body, flags=re.S))
    (item,) = make(spider_cls).parse_product(plain)
    assert item["availability"] == "in_stock"


def test_microdata_availability_completes_a_json_ld_product_without_offers():
    response = saved_response("hookedonhallmark_2026", "mickeys-merry-christmas-2021_p_4101.html")
    jsonld = b'<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "name": "M"}</script>'
    (item,) = make(HookedOnHallmarkSpider).parse_product(response.replace(body=response.body.replace(b"</head>", jsonld + b"</head>")))
    assert item["availability"] == "preorder"


@pytest.mark.parametrize("value,expected", [
    ("https://schema.org/PreOrder", "preorder"), ("http://schema.org/PreSale", "preorder"),
    ("https://schema.org/BackOrder", "backorder"), ("https://schema.org/MadeToOrder", "backorder"),
    ("https://schema.org/OnlineOnly", "in_stock"), ("https://schema.org/SoldOut", "out_of_stock"),
])
def test_every_schema_org_availability_is_read(value, expected):
    from ornaments.normalize import normalize_availability

    assert normalize_availability(value) == expected


# --- end to end: year runs on every replica variant -------------------------------------------------

# (replica, spider, arguments, the year's products, other years' products its listings show)
YEAR_RUNS = [
    ("ornament_shop", "ornament_shop", ("-a", "year=2021"), {"1123", "1124"}, 2),  # sidebar index, staff picks
    ("ornament_shop_theme", "ornament_shop", ("-a", "year=2020"), {"1050", "1051", "1052", "1053"}, 0),
    ("hallmark_ornaments_paged", "hallmark_ornaments", ("-a", "year=2021"), {"26101", "26102", "26103"}, 2),
    ("hookedonhallmark_paged", "hookedonhallmark", ("-a", "source=index", "-a", "year=2021"),
     {"4101", "4102", "4103", "4104"}, 2),
]


@pytest.mark.slow
@pytest.mark.parametrize("site,spider,arguments,products,others", YEAR_RUNS, ids=[f"{c[0]}-{c[2][-1]}" for c in YEAR_RUNS])
def test_a_year_run_stores_that_years_products_only(replica_site, replica_crawl, pg_url, site, spider, arguments,
                                                    products, others):
    server = replica_site(site)
    result = replica_crawl(spider, server, *arguments)
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, spider)) == {pid: EXPECTED[spider][pid] for pid in products}
    assert sync_runs(pg_url)[-1]["status"] == "finished", result
    assert _stat(result.log, "ornaments/listing/other_years") == others
    assert _stat(result.log, "playwright/browser_count") == 0  # static HTML: no browser


@pytest.mark.slow
def test_other_years_in_a_years_listing_change_nothing_of_theirs_nor_the_years_removal(replica_site, replica_crawl, pg_url):
    server = replica_site("hallmark_ornaments_paged")
    assert replica_crawl("hallmark_ornaments", server).returncode == 0
    before = stored_products(pg_url, "hallmark_ornaments")
    result = replica_crawl("hallmark_ornaments", server, "-a", "year=2021")
    assert result.returncode == 0, result
    run = sync_runs(pg_url)[-1]
    assert (run["status"], run["mode"], run["items_seen"]) == ("finished", "year", 3), run
    after = stored_products(pg_url, "hallmark_ornaments")
    assert summary(after) == HALLMARK_ORNAMENTS and all(row["removed_at"] is None for row in after.values())
    for pid in ("25615", "25616"):  # shown in 2021's box: their rows untouched by the 2021 run
        assert after[pid]["last_seen_at"] == before[pid]["last_seen_at"]
