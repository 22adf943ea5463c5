"""The shopify spider against a replica Shopify store on 127.0.0.1 (`scrapy crawl` in a subprocess)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from ornaments.items import ProductItem
from ornaments.spiders.shopify import ShopifySpider, year_from_tags
from tests.api_replicas import SHOPIFY_ROBOTS, ShopifyStore, shopify_product
from tests.fixtures.replica_sites import FAST, stored_products, sync_runs


# The spider is tested here, not where batches are written: the crawls store in a thread
# (storage_in_thread, tests/fixtures/crawl.py).
pytestmark = pytest.mark.storage_in_thread


def money(value) -> Decimal | None:
    """A stored price as a Decimal (SQLite hands back floats of the two-decimal text)."""
    return None if value is None else Decimal(str(value))


def catalogue() -> list[dict]:
    return [
        shopify_product(1, "Snowman Ornament", [{"price": "19.99", "compare_at_price": "24.99"}],
                        tags=["2020", "Snow"]),
        shopify_product(2, "Sleigh Bells", [
            {"option1": "Red", "price": "12.50", "available": True, "sku": "SB-R",
             "featured_image": {"src": "https://cdn.shopify.example/red.jpg"}},
            {"option1": "Gold", "price": "14.00", "available": False, "sku": "SB-G"},
        ], tags="Bells, year:2021", images=2),
        shopify_product(3, "Star Topper", [{"price": "1299.95", "compare_at_price": "0.00"}], tags=["2020"]),
        shopify_product(4, "Angel", [{"price": "8.00"}], tags=[]),
    ]


def shopify_crawl(crawl, store, *args, env=None):
    return crawl("shopify", "-a", f"base_url={store.api.url}", *FAST, *args, env=env)


def test_a_store_syncs_each_variant_as_a_product_page_by_page_until_an_empty_page(crawl, database_url, json_api):
    store = ShopifyStore(json_api(), catalogue())
    result = shopify_crawl(crawl, store)
    assert result.returncode == 0, result
    products = stored_products(database_url, "shopify")
    assert sorted(products) == ["101", "201", "202", "301", "401"]
    # 4 products, 2 a page (the replica's cap): the spider asks until a page is empty.
    pages = [p for p in store.api.paths() if p.startswith("/products.json")]
    assert pages == [f"/products.json?limit=250&page={n}" for n in (1, 2, 3)]
    snowman, red, gold, star = products["101"], products["201"], products["202"], products["301"]
    assert (snowman["name"], money(snowman["price"]), money(snowman["regular_price"]), snowman["currency"]) == (
        "Snowman Ornament", Decimal("19.99"), Decimal("24.99"), "USD")
    assert (snowman["brand"], snowman["category"], snowman["release_year"]) == ("Hallmark", "Keepsake Ornament", 2020)
    assert snowman["description"] == "Snowman Ornament & box"
    assert snowman["url"] == f"{store.api.url}/products/snowman-ornament"
    assert (red["name"], red["sku"], red["availability"], red["item_group_id"]) == (
        "Sleigh Bells - Red", "SB-R", "in_stock", "2")
    assert (gold["name"], gold["availability"], money(gold["price"]), gold["item_group_id"]) == (
        "Sleigh Bells - Gold", "out_of_stock", Decimal("14.00"), "2")
    assert red["url"] == f"{store.api.url}/products/sleigh-bells?variant=201"
    cdn = "https://cdn.shopify.example"
    assert json.loads(red["image_urls"]) == [f"{cdn}/red.jpg", f"{cdn}/2-1.jpg", f"{cdn}/2-2.jpg"]
    assert red["release_year"] == 2021  # from the tag "year:2021" (tags given as one string)
    assert (money(star["price"]), star["regular_price"]) == (Decimal("1299.95"), None)  # a zero compare-at is none
    run = sync_runs(database_url)[-1]
    assert (run["status"], run["items_new"]) == ("finished", 5)

    # A variant gone from the shop is removed by the next clean run; the key is the variant id.
    store.products[1]["variants"].pop()
    assert shopify_crawl(crawl, store, "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1").returncode == 0
    assert stored_products(database_url, "shopify")["202"]["removed_at"] is not None


def test_the_currency_is_read_from_the_shop_or_declared_never_guessed(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue()[:1], currency="CAD")
    assert shopify_crawl(sqlite_crawl, store).returncode == 0
    assert stored_products(sqlite_url, "shopify")["101"]["currency"] == "CAD"

    silent = ShopifyStore(json_api(), catalogue()[:1], currency=None)  # /meta.json without it, no /cart.js
    result = shopify_crawl(sqlite_crawl, silent)
    assert result.returncode == 4, result
    assert "does not say its currency" in result.log and "-a currency=EUR" in result.log
    assert not any(p.startswith("/products.json?limit=250") for p in silent.api.paths())  # no catalogue page
    silent.api.route("GET", "/cart.js", lambda call: (200, {"token": "x", "items": [], "currency": "GBP"}))
    assert shopify_crawl(sqlite_crawl, silent).returncode == 0
    declared = ShopifyStore(json_api(), catalogue()[:1], currency=None)
    assert shopify_crawl(sqlite_crawl, declared, "-a", "currency=EUR").returncode == 0
    assert "/meta.json" not in declared.api.paths()
    currencies = {r["vendor_product_id"]: r["currency"] for r in [stored_products(sqlite_url, "shopify")["101"]]}
    assert currencies == {"101": "EUR"}


DAWN_HOME = """<!doctype html><html><head><title>Replica</title>
<script>var Shopify = Shopify || {};
Shopify.shop = "replica.myshopify.com";
Shopify.locale = "de";
Shopify.currency = {"active":"EUR","rate":"1.0"};
Shopify.country = "DE";</script></head><body><h1>Welcome</h1></body></html>"""

PRODUCT_PAGE_OG = """<!doctype html><html><head>
<meta property="og:type" content="product"><meta property="og:title" content="Snowman Ornament">
<meta property="og:price:amount" content="19,99"><meta property="og:price:currency" content="CAD">
</head><body><h1>Snowman Ornament</h1></body></html>"""

HOME_JSON_LD = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@type": "Product", "name": "Snowman", "offers": {"@type": "Offer", "price": "19.99",
"priceCurrency": "GBP"}}</script></head><body></body></html>"""


@pytest.mark.parametrize("storefront, product_page, meta_currency, expected", [
    (DAWN_HOME, None, None, "EUR"),  # /meta.json says nothing: the storefront's Shopify.currency.active
    ("<html><body>Hi</body></html>", PRODUCT_PAGE_OG, None, "CAD"),  # og:price:currency of a product page
    (HOME_JSON_LD, None, None, "GBP"),  # schema.org priceCurrency
    (DAWN_HOME, None, "USD", "USD"),  # /meta.json first
])
def test_the_currency_is_read_from_what_robots_allow(storefront, product_page, meta_currency, expected,
                                                     sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue()[:1], currency=meta_currency, robots=SHOPIFY_ROBOTS,
                         storefront=storefront, product_page=product_page)
    store.api.route("GET", "/cart.js", lambda call: (200, {"token": "x", "items": [], "currency": "JPY"}))
    result = shopify_crawl(sqlite_crawl, store)
    assert result.returncode == 0, result
    assert stored_products(sqlite_url, "shopify")["101"]["currency"] == expected
    assert "/cart.js" not in store.api.paths()  # robots.txt forbids /cart: never asked
    assert "log_count/ERROR" not in result.log  # a source robots.txt forbids is passed over, not an error
    assert sync_runs(sqlite_url)[-1]["status"] == "finished"


def test_a_store_that_names_no_currency_where_robots_allow_asks_for_a_currency(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue()[:1], currency=None, robots=SHOPIFY_ROBOTS,
                         storefront="<html><body>Welcome</body></html>", product_page="<html><body>A</body></html>")
    store.api.route("GET", "/cart.js", lambda call: (200, {"token": "x", "items": [], "currency": "JPY"}))
    result = shopify_crawl(sqlite_crawl, store)
    assert result.returncode == 4, result
    assert "does not say its currency" in result.log and "-a currency=EUR" in result.log
    assert "/cart.js" not in store.api.paths() and "Error downloading" not in result.log
    run = sync_runs(sqlite_url)[-1]
    assert run["status"] == "incomplete" and "currency is unknown" in run["reasons"]
    assert stored_products(sqlite_url, "shopify") == {}
    # Declared, it syncs at once.
    assert shopify_crawl(sqlite_crawl, store, "-a", "currency=EUR").returncode == 0


def test_a_password_protected_store_is_an_error_and_removes_nothing(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue())
    assert shopify_crawl(sqlite_crawl, store).returncode == 0
    store.password = True
    result = shopify_crawl(sqlite_crawl, store, "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert result.returncode == 4, result
    assert "is password-protected" in result.log
    run = sync_runs(sqlite_url)[-1]
    assert run["status"] == "incomplete" and "password-protected" in run["reasons"]
    assert all(p["removed_at"] is None for p in stored_products(sqlite_url, "shopify").values())

    # A store that answers 401 to the catalogue says so too.
    store.password = False
    store.api.route("GET", "/products.json", lambda call: (401, {"errors": "Unauthorized"}))
    result = shopify_crawl(sqlite_crawl, store, "-a", "currency=USD")
    assert result.returncode == 4 and "refuses its catalogue" in result.log
    assert all(p["removed_at"] is None for p in stored_products(sqlite_url, "shopify").values())


def test_a_429_is_waited_out_as_retry_after_asks(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue())
    store.api.once("GET", "/products.json", 429, {"errors": "Too Many Requests"}, {"Retry-After": "1.5"})
    result = shopify_crawl(sqlite_crawl, store, "-s", "RETRY_BACKOFF_MAX=5")
    assert result.returncode == 0, result
    listing = [c for c in store.api.calls if c.path == "/products.json"]
    assert listing[1].at - listing[0].at >= 1.5  # the retry came after Retry-After, not at once
    assert len(stored_products(sqlite_url, "shopify")) == 5

    # A 429 that never ends gives up after RETRY_TIMES: the run is incomplete, nothing removed.
    store.api.route("GET", "/products.json", lambda call: (429, {"errors": "Too Many Requests"}, {"Retry-After": "0"}))
    store.api.calls.clear()
    result = shopify_crawl(sqlite_crawl, store, "-s", "RETRY_TIMES=2", "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert result.returncode == 4, result
    assert sum(1 for c in store.api.calls if c.path == "/products.json") == 1 + 2  # the try and RETRY_TIMES
    assert all(p["removed_at"] is None for p in stored_products(sqlite_url, "shopify").values())


def test_one_collection_is_a_partial_run(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue(), collections={"bells": [2]})
    result = shopify_crawl(sqlite_crawl, store, "-a", "collection=bells")
    assert result.returncode == 0, result
    assert sorted(stored_products(sqlite_url, "shopify")) == ["201", "202"]
    assert "/collections/bells/products.json?limit=250&page=1" in store.api.paths()
    assert sync_runs(sqlite_url)[-1]["status"] == "partial"


def test_get_by_year_and_get_by_url(sqlite_crawl, sqlite_url, json_api):
    store = ShopifyStore(json_api(), catalogue())
    assert shopify_crawl(sqlite_crawl, store, "-a", "year=2020").returncode == 0
    assert sorted(stored_products(sqlite_url, "shopify")) == ["101", "301"]
    result = shopify_crawl(sqlite_crawl, store, "-a", f"url={store.api.url}/products/sleigh-bells?variant=202")
    assert result.returncode == 0, result
    assert sorted(stored_products(sqlite_url, "shopify")) == ["101", "201", "202", "301"]
    assert "/products/sleigh-bells.json" in store.api.paths()
    assert sync_runs(sqlite_url)[-1]["status"] == "partial"


class HallmarkShop(ShopifySpider):  # a vendor on Shopify: a subclass of a few lines
    name = "hallmark_shop"
    default_base_url = "https://hallmark-shop.example"
    default_currency = "USD"


def test_a_vendor_subclass_needs_a_name_a_base_url_and_a_currency():
    spider = HallmarkShop.from_crawler(get_crawler(HallmarkShop))
    assert (spider.vendor, spider.base_url, spider.shop_currency) == ("hallmark_shop", "https://hallmark-shop.example",
                                                                     "USD")
    (request,) = spider.get_all()  # the currency is declared: no /meta.json
    assert request.url == "https://hallmark-shop.example/products.json?limit=250&page=1"
    body = json.dumps({"products": [shopify_product(7, "Wreath", [{"price": "5.00", "sku": "W7"}])]})
    response = TextResponse(request.url, body=body.encode(), request=request)
    (product,) = [o for o in spider.parse_page(response, **request.cb_kwargs) if isinstance(o, ProductItem)]
    assert (product["vendor"], product["vendor_product_id"], product["price"], product["currency"]) == (
        "hallmark_shop", "701", Decimal("5.00"), "USD")
    with_key = HallmarkShop.from_crawler(get_crawler(HallmarkShop), key="sku")
    product = next(iter(with_key.parse_record(json.loads(body)["products"][0], response)))
    assert product["vendor_product_id"] == "W7"


@pytest.mark.parametrize("tags, year", [(["2020"], 2020), ("Snow, Year: 2019", 2019), ("a, year_2018", 2018),
                                        (["Year 2017", "x"], 2017), (["20201"], None), ([], None)])
def test_year_from_tags(tags, year):
    assert year_from_tags(tags) == year


def test_a_zero_price_is_a_price_and_a_zero_compare_at_price_is_none(sqlite_crawl, sqlite_url, json_api):
    # A free sample with a compare-at price (as a real store listed it), and one whose prices are both zero.
    store = ShopifyStore(json_api(), [
        shopify_product(5, "Sample Ornament", [{"price": "0.00", "compare_at_price": "220.00"}]),
        shopify_product(6, "Gift Tag", [{"price": "0", "compare_at_price": "0.0"}]),
        shopify_product(7, "Wreath", [{"price": "5.00", "compare_at_price": None}]),
    ])
    result = shopify_crawl(sqlite_crawl, store)
    assert result.returncode == 0, result
    products = stored_products(sqlite_url, "shopify")
    sample, tag, wreath = products["501"], products["601"], products["701"]
    assert (money(sample["price"]), money(sample["regular_price"]), sample["currency"]) == (
        Decimal("0.00"), Decimal("220.00"), "USD")
    assert (money(tag["price"]), tag["regular_price"]) == (Decimal("0.00"), None)
    assert (money(wreath["price"]), wreath["regular_price"]) == (Decimal("5.00"), None)
    assert "'ornaments/warnings/zero_price': 2" in result.log
    assert "product 5 variant 501: the price is 0.00" in result.log
    assert sync_runs(sqlite_url)[-1]["status"] == "finished"


@pytest.mark.parametrize("html, code", [
    ("<script>Shopify.currency = {active: 'nok', rate: '1.0'};</script>", "NOK"),
    ('<div itemprop="offers"><meta itemprop="priceCurrency" content="SEK"></div>', "SEK"),
    ('<meta property="product:price:currency" content="AUD">', "AUD"),
    # Written other ways by real storefronts: the analytics script every Shopify page carries, og with name=,
    # microdata as the element's text.
    ("<script>window.ShopifyAnalytics = window.ShopifyAnalytics || {};\n"
     "window.ShopifyAnalytics.meta.currency = 'CAD';</script>", "CAD"),
    ("""<script>window.ShopifyAnalytics.meta["currency"] = "GBP";</script>""", "GBP"),
    ('<meta name="og:price:currency" content="gbp">', "GBP"),
    ('<div itemscope><span itemprop="priceCurrency">SEK</span><span itemprop="price">9</span></div>', "SEK"),
    ('<meta property="og:price:currency" content="USD"><script>{"priceCurrency": "EUR"}</script>', None),  # disagree
    ('<meta property="og:price:currency" content="XYZ">', None),  # not ISO 4217
    ("<html><body>$19.99</body></html>", None),  # a symbol alone is no currency
])
def test_currency_from_a_storefront_page(html, code):
    from ornaments.base_spiders.storefront_currency import currency_from_html
    assert currency_from_html(html) == code


# A whole robots.txt as Shopify serves it (several agents, wildcards, Crawl-delay for some bots).
FULL_SHOPIFY_ROBOTS = """# we use Shopify as our ecommerce platform

User-agent: *
Disallow: /a/downloads/-/*
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /checkout
Disallow: /58571473051/checkouts
Disallow: /58571473051/orders
Disallow: /carts
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /*/collections/*sort_by*
Disallow: /collections/*+*
Disallow: /collections/*%2B*
Disallow: /*/collections/*+*
Disallow: */collections/*filter*&*filter*
Disallow: /blogs/*+*
Disallow: /*?*oseid=*
Disallow: /*preview_theme_id*
Disallow: /*preview_script_id*
Disallow: /policies/
Disallow: /*/policies/
Disallow: /*/*?*ls=*&ls=*
Disallow: /search
Allow: /search/
Disallow: /search/?*
Disallow: /apple-app-site-association
Disallow: /.well-known/shopify/monorail
Disallow: /cdn/wpm/*.js
Disallow: /recommendations/products
Disallow: /*/recommendations/products
Sitemap: https://shop.example/sitemap.xml

# Google adsbot ignores robots.txt unless specifically named!
User-agent: adsbot-google
Disallow: /checkouts/
Disallow: /checkout
Disallow: /carts
Disallow: /orders

User-agent: Nutch
Disallow: /

User-agent: AhrefsBot
Crawl-delay: 10
Disallow: /a/downloads/-/*
Disallow: /admin

User-agent: Pinterest
Crawl-delay: 1
"""

# The currency only where Shopify's analytics script sets it, amid the other inline scripts of a theme.
ANALYTICS_ONLY_HOME = """<!doctype html><html><head><title>Replica</title>
<script>window.ShopifyAnalytics = window.ShopifyAnalytics || {};
window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {};
window.ShopifyAnalytics.meta.currency = 'AUD';
window.ShopifyAnalytics.lib = null;</script>
<script>var meta = {"page":{"pageType":"home"}};
for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }</script>
</head><body><h1>Welcome</h1><span class="price">$19.99</span></body></html>"""


def test_a_real_robots_txt_no_meta_json_and_the_currency_only_in_the_analytics_script(sqlite_crawl, sqlite_url,
                                                                                       json_api):
    store = ShopifyStore(json_api(), [
        shopify_product(8, "Bauble Set", [{"option1": "Single", "price": "4.50", "compare_at_price": "0.00"},
                                          {"option1": "Free sample", "price": "0.00", "compare_at_price": "4.50"},
                                          {"option1": "Box", "price": "20.00", "compare_at_price": ""}]),
    ], currency=None, robots=FULL_SHOPIFY_ROBOTS, storefront=ANALYTICS_ONLY_HOME)
    store.api.route("GET", "/meta.json", lambda call: (404, {"errors": "Not Found"}))
    store.api.route("GET", "/cart.js", lambda call: (200, {"token": "x", "items": [], "currency": "JPY"}))
    result = shopify_crawl(sqlite_crawl, store)
    assert result.returncode == 0, result
    products = stored_products(sqlite_url, "shopify")
    assert {k: (money(p["price"]), money(p["regular_price"]), p["currency"]) for k, p in products.items()} == {
        "801": (Decimal("4.50"), None, "AUD"), "802": (Decimal("0.00"), Decimal("4.50"), "AUD"),
        "803": (Decimal("20.00"), None, "AUD")}
    assert "/cart.js" not in store.api.paths()
    assert "'ornaments/warnings/zero_price': 1" in result.log
    assert sync_runs(sqlite_url)[-1]["status"] == "finished"


def test_a_shop_whose_name_does_not_resolve_is_said_so_not_asked_for_a_currency(sqlite_crawl, sqlite_url):
    result = sqlite_crawl("shopify", "-a", "base_url=http://shop.gone-store.invalid", *FAST)
    assert result.returncode == 4, result
    assert "The shop http://shop.gone-store.invalid could not be reached (shop.gone-store.invalid does not " \
           "resolve" in result.log
    assert "does not say its currency" not in result.log and "Traceback" not in result.log
    run = sync_runs(sqlite_url)[-1]
    assert run["status"] == "incomplete" and "the shop could not be reached" in run["reasons"]
