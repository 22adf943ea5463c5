"""Issue 20 again, on variants of the three shops' live themes the first fixes never saw (a reviewer's
pages "of the same kind"): a Cornerstone year index whose content holds a best sellers carousel of
other years' product cards, Shift4Shop years whose `?viewall=1` page has no pager at all, product pages
stating another year in one unusual place only, and schema.org availability written other ways.
Each class of input is read by the platform bases, never by one page's class names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from ornaments.spiders.hallmark_ornaments import HallmarkOrnamentsSpider
from ornaments.spiders.hookedonhallmark import HookedOnHallmarkSpider
from ornaments.spiders.ornament_shop import OrnamentShopSpider
from tests.fixtures.replica_sites import copy_site, stored_products, summary, sync_runs
from tests.test_vendor_hallmark_ornaments import EXPECTED as HALLMARK_ORNAMENTS
from tests.test_vendor_ornament_shop import EXPECTED as ORNAMENT_SHOP

HOST = "http://127.0.0.1:8000"
SHOP_SPIDERS = (OrnamentShopSpider, HallmarkOrnamentsSpider, HookedOnHallmarkSpider)


def make(spider_cls, **kwargs):
    return spider_cls.from_crawler(get_crawler(spider_cls), base_url=HOST, **kwargs)


def html(path: str, body: str) -> HtmlResponse:
    return HtmlResponse(HOST + path, body=body.encode(), encoding="utf-8")


def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


# --- a Cornerstone year index: years in the sidebar only, other years' cards in the content ----------

def carousel(cards: list[tuple[str, str, str]]) -> str:
    """A best sellers carousel of Cornerstone cards (id, slug, name), class names no chrome list knows."""
    slides = "".join(f'<li class="productCarousel-slide"><article class="card" data-entity-id="{pid}">'
                     f'<figure class="card-figure"><a href="/{slug}/" class="card-figure__link">{name}</a></figure>'
                     f'<h4 class="card-title"><a href="/{slug}/">{name}</a></h4></article></li>' for pid, slug, name in cards)
    return f'<section class="productCarousel" data-list-name="Best Sellers"><h2>Best sellers</h2><ul>{slides}</ul></section>'


def test_a_year_index_reads_its_sidebar_years_never_the_year_named_cards_of_a_carousel():
    cards = carousel([("9001", "2021-hallmark-snowman", "2021 Hallmark Snowman"),
                      ("9002", "2009-hallmark-santa", "2009 Hallmark Santa"), ("9003", "1998-star-wars", "1998 Star Wars")])
    years = "".join(f'<li class="navList-item"><a class="navList-action" href="/{y}-hallmark-ornaments/">{y} Hallmark '
                    f'Ornaments</a></li>' for y in (2021, 2020, 2019))
    body = f"""<html><body><header class="header"><a href="/2019-sale/">2019 Sale</a></header><div class="page">
    <aside class="page-sidebar"><nav class="sidebarBlock"><ul class="navList">{years}</ul></nav></aside>
    <main class="page-content"><h1 class="page-heading">Hallmark Ornaments by Year</h1>{cards}</main></div></body></html>"""
    requests = list(make(OrnamentShopSpider).parse_year_index(html("/hallmark-ornaments-by-year.html", body)))
    assert [(r.url, r.cb_kwargs["year"]) for r in requests] == [
        (f"{HOST}/{y}-hallmark-ornaments/", y) for y in (2021, 2020, 2019)]


# --- Shift4Shop: a view-all page without a pager ------------------------------------------------------

def listing(products: list[int], extra: str = "") -> str:
    cells = "".join(f'<div class="prod"><a href="/santa-{i}_p_{i}.html">Santa {i}</a></div>' for i in products)
    return f'<html><body><div id="content">{cells}{extra}</div></body></html>'


@pytest.mark.parametrize("extra,later", [
    ("", []),  # nothing said: the plain category page shows its pager, if it has one
    ('<div class="cat-count">Page 1 of 3</div>', ["2021_c_57-2-3.html", "2021_c_57-3-3.html"]),
    ("<p>Showing 1 - 2 of 5 items</p>", ["2021_c_57-2-3.html", "2021_c_57-3-3.html"]),
    ("<p>Showing 1 - 24 of 2021 Ornaments</p>", []),  # more than the page shows: no page count
])
def test_a_view_all_page_without_a_pager_asks_for_the_plain_category_and_the_pages_it_states(extra, later):
    spider = make(HallmarkOrnamentsSpider)
    requests = list(spider.parse_listing(html("/2021_c_57.html?viewall=1", listing([1, 2], extra)), year=2021))
    pages = [r.url for r in requests if r.callback == spider.parse_listing]
    assert pages == [f"{HOST}/2021_c_57.html", *(f"{HOST}/{p}" for p in later)]  # the plain URL without ?viewall=1
    plain = list(spider.parse_listing(html("/2021_c_57.html", listing([1, 2])), year=2021))
    assert [r for r in plain if r.callback == spider.parse_listing] == []  # and no loop back


def test_a_view_all_page_with_a_pager_or_without_products_asks_for_nothing_more():
    spider = make(HallmarkOrnamentsSpider)
    paged = listing([1], '<div class="paging"><a href="/2021_c_57-2-2.html">2</a></div>')
    assert spider.next_pages(html("/2021_c_57.html?viewall=1", paged)) == [f"{HOST}/2021_c_57-2-2.html"]
    assert spider.next_pages(html("/2021_c_57.html?viewall=1", listing([]))) == []  # an empty grid: rendered instead


def test_category_asp_pages_stated_in_text():
    spider = make(HallmarkOrnamentsSpider)
    page = html("/category.asp?catid=57&viewall=1", listing([1], "<span>Page 1 of 2</span>"))
    assert spider.next_pages(page) == [f"{HOST}/category.asp?catid=57", f"{HOST}/category.asp?catid=57&page=2"]


@pytest.mark.parametrize("pager", [
    '<div class="paging"><span>1</span><a href="/2021_c_57-2-3.html">2</a><a href="/2021_c_57-3-3.html">3</a></div>',
    '<ul class="pagination-xyz"><li><a href="/2021_c_57-2-3.html">2</a></li></ul>',
    '<a href="/2021_c_57-2-3.html">Next &raquo;</a>',  # only a "Next »" text link
    '<div class="sidebar-pages"><a href="/2021_c_57-2-3.html">›</a></div>',  # class names that read as chrome
])
def test_a_view_all_page_one_follows_its_pager_whatever_its_markup(pager):
    spider = make(HallmarkOrnamentsSpider)
    page = html("/2021_c_57.html?viewall=1", listing([1, 2], pager))
    assert spider.next_pages(page) == [f"{HOST}/2021_c_57-2-3.html", f"{HOST}/2021_c_57-3-3.html"]


def test_a_next_link_in_the_head_only_names_every_later_n_of_m_page():
    spider = make(HallmarkOrnamentsSpider)
    page = html("/2021_c_57.html?viewall=1", listing([1]).replace("<body>", '<head><link rel="next" href="/2021_c_57-2-3.html"></head><body>'))
    assert spider.next_pages(page) == [f"{HOST}/2021_c_57-2-3.html", f"{HOST}/2021_c_57-3-3.html"]


# --- a listed product whose page states another year in one place only ---------------------------------

def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


PRODUCT = {"@context": "https://schema.org", "@type": "Product", "name": "Hallmark Santa", "sku": "QX777",
           "offers": {"@type": "Offer", "price": "19.99", "priceCurrency": "USD", "availability": "https://schema.org/InStock"}}


def product_page(spider_cls, name: str = "Hallmark Santa", head: str = "", top: str = "", extra: str = "",
                 heading: str | None = None) -> str:
    """A product page of the spider's platform: BigCommerce's productView, or Shift4Shop's `_3d_item` page."""
    h1 = heading or name
    if spider_cls is OrnamentShopSpider:
        main = (f'<div class="productView" data-entity-id="777"><h1 class="productView-title">{h1}</h1>'
                f'<span data-product-sku>QX777</span><span data-product-price-without-tax>$19.99</span>{extra}'
                f'<form data-cart-item-add><input name="product_id" value="777"></form></div>')
    else:
        main = (f'<h1>{h1}</h1><span id="price">$19.99</span>{extra}<form name="add"><input name="item_id" value="777"></form>'
                f'<script>var _3d_item = {{catalogid: 777, id: "QX777", name: "{name}", price: 19.99, availability: 1}};</script>')
    return f"<html><head>{head}</head><body><main>{top}{main}</main></body></html>"


ONE_PLACE = {  # the year 2009 or 1998, stated in one place only
    "json-ld releaseDate": dict(head=ld({**PRODUCT, "releaseDate": "2009-07-01"})),
    "json-ld @graph": dict(head=ld({"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, {**PRODUCT, "releaseDate": "2009"}]})),
    "json-ld crumbs": dict(head=ld({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home"}, {"@type": "ListItem", "position": 2, "name": "1998 Hallmark Ornaments"}]})),
    "crumbs named otherwise": dict(top='<ul class="crumbs"><li><a href="/">Home</a></li><li><a href="/2009_c_9.html">2009 '
                                       'Hallmark Ornaments</a></li><li>Hallmark Santa</li></ul>'),
    "a Home-led trail, no class": dict(top='<div id="pathbar"><a href="/">Home</a> &gt; <a href="/by-year_c_2.html">By Year</a>'
                                           ' &gt; <a href="/1998_c_9.html">1998</a> &gt; Hallmark Santa</div>'),
    "name opens with it": dict(name="2009 Hallmark Santa Claus"),
    "name ends with it": dict(name="Star Wars Ornament (1998)"),
    "the heading only": dict(head=ld(PRODUCT), heading="2009 Hallmark Santa"),  # the data's name lacks it
    "og:title only": dict(head=ld(PRODUCT) + '<meta property="og:title" content="Hallmark Santa 1998">'),
    "<title> only": dict(head=ld(PRODUCT) + "<title>2009 Hallmark Santa | Ornament Shop</title>"),
    "extra fields table": dict(extra='<table class="xf"><tr><td>Year:</td><td>2009</td></tr></table>'),
    "extra field, no-break spaces": dict(extra='<table><tr><td>Year:&nbsp;</td><td>&nbsp;1998&nbsp;</td></tr></table>'),
    "extrafield_N": dict(extra='<div id="extrafield_1"><div class="label">Release Year</div><div class="value">2009</div></div>'),
    "release date": dict(extra="<table><tr><th>Release Date</th><td>07/01/2009</td></tr></table>"),
    "released": dict(extra="<p><span>Released:</span> <span>2009</span></p>"),
    "original release": dict(extra="<table><tr><th>Original Release</th><td>1998</td></tr></table>"),
    "dated": dict(extra="<ul><li><b>Dated:</b> 1998</li></ul>"),
}


@pytest.mark.parametrize("spider_cls", SHOP_SPIDERS, ids=lambda c: c.name)
@pytest.mark.parametrize("place", ONE_PLACE)
def test_a_listed_product_of_another_year_is_stored_with_its_own_year_and_never_in_the_listings(spider_cls, place):
    page = html("/hallmark-santa_p_777.html", product_page(spider_cls, **ONE_PLACE[place]))
    (item,) = make(spider_cls).parse_product(page, listing_year=2021)  # a full sync: stored, with its own year
    assert item["release_year"] in (1998, 2009)
    year_run = make(spider_cls, year="2021")
    assert list(year_run.parse_product(page, listing_year=2021)) == []  # a 2021 run: not stored at all
    assert year_run.crawler.stats.get_value("ornaments/listing/other_years") == 1


# --- availability: schema.org, however written, over `_3d_item.availability = 1` -------------------------

def offer(availability, **more) -> dict:
    return {"@type": "Offer", "price": "19.99", "priceCurrency": "USD", "availability": availability, **more}


def microdata(tag: str) -> str:
    return ('<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Hallmark Santa</span>'
            f'<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="19.99">{tag}</div></div>')


AVAILABILITY = {
    "microdata link https": (dict(extra=microdata('<link itemprop="availability" href="https://schema.org/PreOrder">')), "preorder"),
    "microdata link http": (dict(extra=microdata('<link itemprop="availability" href="http://schema.org/PreOrder">')), "preorder"),
    "microdata meta plain": (dict(extra=microdata('<meta itemprop="availability" content="PreOrder">')), "preorder"),
    "json-ld http": (dict(head=ld({**PRODUCT, "offers": offer("http://schema.org/PreOrder")})), "preorder"),
    "json-ld plain": (dict(head=ld({**PRODUCT, "offers": offer("PreOrder")})), "preorder"),
    "json-ld offers list": (dict(head=ld({**PRODUCT, "offers": [offer("https://schema.org/PreOrder")]})), "preorder"),
    "json-ld AggregateOffer": (dict(head=ld({**PRODUCT, "offers": {"@type": "AggregateOffer", "lowPrice": "19.99",
                                                                   "offers": [offer("https://schema.org/PreOrder")]}})), "preorder"),
    "json-ld a list of one": (dict(head=ld({**PRODUCT, "offers": offer(["https://schema.org/PreOrder"])})), "preorder"),
    "json-ld on a later offer": (dict(head=ld({**PRODUCT, "offers": [{"@type": "Offer", "price": "19.99"},
                                                                     offer("https://schema.org/PreOrder")]})), "preorder"),
    "microdata on the Product, no Offer": (dict(extra='<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">'
                                                 'Hallmark Santa</span><link itemprop="availability" href="http://schema.org/PreOrder"></div>'),
                                           "preorder"),
    "json-ld on the Product": (dict(head=ld({**PRODUCT, "availability": "PreOrder", "offers": {"price": "19.99"}})), "preorder"),
    "json-ld BackOrder": (dict(head=ld({**PRODUCT, "offers": offer("https://schema.org/BackOrder")})), "backorder"),
    "microdata OutOfStock": (dict(extra=microdata('<link itemprop="availability" href="https://schema.org/OutOfStock">')), "out_of_stock"),
    "json-ld SoldOut": (dict(head=ld({**PRODUCT, "offers": [offer("SoldOut")]})), "out_of_stock"),
}


@pytest.mark.parametrize("spider_cls", SHOP_SPIDERS, ids=lambda c: c.name)
@pytest.mark.parametrize("case", AVAILABILITY)
def test_schema_org_availability_however_written_outranks_3d_item(spider_cls, case):
    markup, expected = AVAILABILITY[case]
    (item,) = make(spider_cls).parse_product(html("/hallmark-santa_p_777.html", product_page(spider_cls, **markup)))
    assert item["availability"] == expected


# --- end to end: the variants as replicas, full sync and year runs ----------------------------------------

def cornerstone_carousels(site: Path) -> Path:
    """ornament_shop with a best sellers carousel of other years' cards on the year index and the newest
    year's page, and 2020's two pages linked only by <link rel="next"> in the head."""
    index = site / "hallmark-ornaments-by-year.html"
    cards = carousel([("1051", "2020-keepsake-ornament-collection", "2020 Keepsake Ornament Collection"),
                      ("1001", "santas-sleigh-2019", "2019 Santa's Sleigh")])
    index.write_text(index.read_text().replace('<h1 class="page-heading">', cards + '<h1 class="page-heading">', 1))
    newest = site / "2021-hallmark-ornaments" / "index.html"
    newest.write_text(newest.read_text().replace("</main>", cards + "</main>", 1))
    for first in (site / "2020-hallmark-ornaments" / "index.html", site / "2020-hallmark-ornaments" / "?page=1"):
        text = re.sub(r'<nav class="pagination".*?</nav>', "", first.read_text(), flags=re.S)
        first.write_text(text.replace("</head>", '<link rel="next" href="/2020-hallmark-ornaments/?page=2"></head>', 1))
    return site


def shift4shop_pagers(site: Path, keep: str) -> Path:
    """hallmark_ornaments_paged whose ?viewall=1 pages have no pager; the plain pages keep theirs as
    `<div class="paging">` (keep="plain"), or no page links anywhere, only "Page 1 of n" (keep="text")."""
    for page in site.glob("*_c_*.html*"):
        if "_c_200" in page.name:
            continue
        def pager(match: re.Match) -> str:
            if keep == "text":
                return re.sub(r"<a [^>]*>.*?</a>", "", match.group(1))
            return "" if page.name.endswith("?viewall=1") else f'<div class="paging">{match.group(1)}</div>'
        page.write_text(re.sub(r'<nav class="cat-nav-links">(.*?)</nav>', pager, page.read_text(), flags=re.S))
    return site


# (replica, how it is changed, spider, arguments, products stored)
VARIANTS = [
    ("ornament_shop", cornerstone_carousels, "ornament_shop", (), ORNAMENT_SHOP),
    ("ornament_shop", cornerstone_carousels, "ornament_shop", ("-a", "year=2021"), {"1123", "1124"}),
    ("ornament_shop", cornerstone_carousels, "ornament_shop", ("-a", "year=2020"), {"1050", "1051", "1052", "1053"}),
    ("hallmark_ornaments_paged", lambda s: shift4shop_pagers(s, "plain"), "hallmark_ornaments", (), HALLMARK_ORNAMENTS),
    ("hallmark_ornaments_paged", lambda s: shift4shop_pagers(s, "plain"), "hallmark_ornaments", ("-a", "year=2021"),
     {"26101", "26102", "26103"}),
    ("hallmark_ornaments_paged", lambda s: shift4shop_pagers(s, "text"), "hallmark_ornaments", (), HALLMARK_ORNAMENTS),
]
EXPECTED = {"ornament_shop": ORNAMENT_SHOP, "hallmark_ornaments": HALLMARK_ORNAMENTS}


@pytest.mark.slow
@pytest.mark.parametrize("site,change,spider,arguments,products", VARIANTS,
                         ids=["carousels", "carousels-2021", "carousels-2020", "viewall-unpaged", "viewall-unpaged-2021",
                              "pages-in-text-only"])
def test_every_product_once_with_its_year_and_stock_on_the_variants(replica_site, replica_crawl, pg_url, tmp_path,
                                                                    site, change, spider, arguments, products):
    server = replica_site(site, change(copy_site(site, tmp_path)))
    result = replica_crawl(spider, server, *arguments)
    assert result.returncode == 0, result
    assert summary(stored_products(pg_url, spider)) == {pid: EXPECTED[spider][pid] for pid in products}
    run = sync_runs(pg_url)[-1]
    assert run["status"] == "finished", result
    assert run["dropped_reasons"] in ({}, {"broken_markup": 1})  # the broken page only; no duplicates
    assert _stat(result.log, "item_scraped_count") == len(products)
    assert _stat(result.log, "playwright/browser_count") == 0  # static HTML: no browser
