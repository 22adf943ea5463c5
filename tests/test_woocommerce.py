"""The woocommerce spider against a replica WooCommerce Store API on 127.0.0.1 (`scrapy crawl` in a subprocess)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from ornaments.items import ProductItem
from ornaments.spiders.woocommerce import WooCommerceSpider
from tests.api_replicas import STORE_API, WooStore, woo_prices, woo_product
from tests.fixtures.replica_sites import FAST, stored_products, sync_runs
from tests.test_shopify import money


def shop(api) -> WooStore:
    return WooStore(api, [
        woo_product(10, "Glass Star", woo_prices("1999", "2499"), tags=["2022"]),
        woo_product(11, "Wooden Angel", woo_prices("850"), in_stock=False),
        woo_product(12, "Bell Set", woo_prices("1200"), variations=[121, 122], tags=["2023"]),
        woo_product(13, "Yen Bauble", woo_prices("1500", currency="JPY", unit=0)),
        woo_product(14, "Broken Price", woo_prices("12.5")),
    ], variations={
        121: woo_product(121, "Bell Set - Silver", woo_prices("1200"), kind="variation", parent=12, images=0),
        122: woo_product(122, "Bell Set - Gold", woo_prices("1450"), kind="variation", parent=12, in_stock=False),
    })


def woo_crawl(crawl, store, *args):
    return crawl("woocommerce", "-a", f"base_url={store.api.url}", *FAST, *args)


def test_a_shop_syncs_with_minor_units_variations_and_the_total_pages_header(crawl, database_url, json_api):
    store = shop(json_api())
    result = woo_crawl(crawl, store)
    assert result.returncode == 0, result
    products = stored_products(database_url, "woocommerce")
    # The variable product is its variations; a price that is no amount in minor units is stored without one.
    assert sorted(products) == ["10", "11", "121", "122", "13", "14"]
    star, angel, silver, gold, yen = (products[k] for k in ("10", "11", "121", "122", "13"))
    assert (money(star["price"]), money(star["regular_price"]), star["currency"]) == (
        Decimal("19.99"), Decimal("24.99"), "EUR")
    assert (star["name"], star["sku"], star["release_year"], star["category"], star["brand"]) == (
        "Glass Star", "W10", 2022, "Ornaments", "Käthe Wohlfahrt")
    assert star["url"] == "https://wreaths.example/product/glass-star/"
    assert json.loads(star["image_urls"]) == ["https://wreaths.example/img/10-1.jpg"]
    assert (angel["availability"], money(angel["price"])) == ("out_of_stock", Decimal("8.50"))
    assert (silver["name"], money(silver["price"]), silver["item_group_id"], silver["release_year"]) == (
        "Bell Set - Silver", Decimal("12.00"), "12", 2023)
    assert json.loads(silver["image_urls"]) == ["https://wreaths.example/img/12-1.jpg"]  # the parent's image
    assert (gold["availability"], money(gold["price"])) == ("out_of_stock", Decimal("14.50"))
    assert (money(yen["price"]), yen["currency"]) == (Decimal("1500"), "JPY")  # currency_minor_unit 0
    assert products["14"]["price"] is None
    assert "not an amount in minor units" in result.log
    # 5 listed products, 2 a page: 3 pages, and X-WP-TotalPages says page 3 is the last.
    listing = [p for p in store.api.paths() if p.startswith(STORE_API + "?")]
    assert listing == [f"{STORE_API}?page={n}&per_page=100" for n in (1, 2, 3)]
    assert {f"{STORE_API}/121", f"{STORE_API}/122"} <= set(store.api.paths())
    assert sync_runs(database_url)[-1]["status"] == "finished"


def test_a_429_then_a_failing_page_leave_the_run_incomplete_and_remove_nothing(sqlite_crawl, sqlite_url, json_api):
    store = shop(json_api())
    store.api.once("GET", STORE_API, 429, {"code": "rate_limited"}, {"Retry-After": "1"})
    assert woo_crawl(sqlite_crawl, store).returncode == 0
    assert len(stored_products(sqlite_url, "woocommerce")) == 6
    # Page 2 fails for good: the products of page 3 are still synced, but nothing is removed.
    store.products.pop(0)
    page_two = store.page
    store.api.route("GET", STORE_API, lambda call: (503, b"") if call.query.get("page") == "2" else page_two(call))
    result = woo_crawl(sqlite_crawl, store, "-s", "RETRY_TIMES=1", "-s", "ORNAMENTS_MAX_REMOVAL_SHARE=1")
    assert result.returncode == 4, result
    assert all(p["removed_at"] is None for p in stored_products(sqlite_url, "woocommerce").values())


def test_get_by_url_reads_the_product_by_its_slug_and_get_by_year_filters(sqlite_crawl, sqlite_url, json_api):
    store = shop(json_api())
    result = woo_crawl(sqlite_crawl, store, "-a", "url=https://wreaths.example/product/wooden-angel/")
    assert result.returncode == 0, result
    assert sorted(stored_products(sqlite_url, "woocommerce")) == ["11"]
    assert f"{STORE_API}?slug=wooden-angel" in store.api.paths()
    assert woo_crawl(sqlite_crawl, store, "-a", "year=2023").returncode == 0
    assert sorted(stored_products(sqlite_url, "woocommerce")) == ["11", "121", "122"]
    assert sync_runs(sqlite_url)[-1]["mode"] == "year"


class WreathShop(WooCommerceSpider):  # a vendor on WooCommerce: a subclass of a few lines
    name = "wreath_shop"
    default_base_url = "https://wreaths.example"
    default_currency = "EUR"


def test_a_vendor_subclass_keys_its_products_and_reads_minor_units_exactly():
    spider = WreathShop.from_crawler(get_crawler(WreathShop))
    (request,) = spider.get_all()
    assert request.url == f"https://wreaths.example{STORE_API}?per_page=100&page=1"
    prices = woo_prices("123456789", currency="KWD", unit=3)
    body = json.dumps([woo_product(5, "Lantern", prices)])
    response = TextResponse(request.url, body=body.encode(), request=request, headers={"X-WP-TotalPages": "1"})
    outputs = list(spider.parse_page(response, **request.cb_kwargs))
    (product,) = [o for o in outputs if isinstance(o, ProductItem)]
    assert (product["vendor"], product["vendor_product_id"], product["price"], product["currency"]) == (
        "wreath_shop", "5", Decimal("123456.79"), "KWD")  # money is kept to two decimals
    assert len(outputs) == 1  # the last page (X-WP-TotalPages): no further request


def test_an_amount_that_is_not_in_minor_units_keeps_the_stored_price():
    spider = WreathShop.from_crawler(get_crawler(WreathShop))
    (request,) = spider.get_all()
    body = json.dumps([woo_product(6, "Odd", woo_prices("12.5"))])
    response = TextResponse(request.url, body=body.encode(), request=request)
    (product,) = [o for o in spider.parse_page(response, **request.cb_kwargs) if isinstance(o, ProductItem)]
    assert product["price"] is None and product["unreadable"] == ["price", "regular_price"]
    assert spider.crawler.stats.get_value("ornaments/warnings/bad_price") == 2


def grouped_shop(api) -> WooStore:
    set_prices = {**woo_prices("500"), "price_range": {"min_amount": "500", "max_amount": "900"}}
    return WooStore(api, [
        woo_product(20, "Advent Set", set_prices, children=[21, 22]),  # priced at its cheapest child
        woo_product(21, "Advent Candle", woo_prices("500")),  # listed, and a child of the set
        woo_product(30, "Designer Bauble", woo_prices("4500"),
                    button=("Buy at Designer", "https://designer.example/bauble?ref=wreaths")),
        woo_product(40, "Old Set", woo_prices("100"), children=[41]),  # its only child is gone (404)
        woo_product(50, "Plain Star", woo_prices("700")),
    ], variations={
        22: woo_product(22, "Advent Star", woo_prices("900")),  # hidden from the catalogue: fetched by id
    })


def test_a_grouped_product_is_its_children_and_an_external_product_its_button_url(sqlite_crawl, sqlite_url,
                                                                                  json_api):
    store = grouped_shop(json_api())
    result = woo_crawl(sqlite_crawl, store)
    assert result.returncode == 0, result
    products = stored_products(sqlite_url, "woocommerce")
    assert sorted(products) == ["21", "22", "30", "50"]  # neither set: nothing to buy at their price
    assert (products["22"]["name"], money(products["22"]["price"])) == ("Advent Star", Decimal("9.00"))
    assert money(products["21"]["price"]) == Decimal("5.00")
    assert products["30"]["url"] == "https://designer.example/bauble?ref=wreaths"  # where a buyer goes
    assert money(products["30"]["price"]) == Decimal("45.00")
    assert products["50"]["url"] == "https://wreaths.example/product/plain-star/"
    assert f"{STORE_API}/22" in store.api.paths() and f"{STORE_API}/41" in store.api.paths()
    assert "'ornaments/feed/skipped_grouped': 2" in result.log
    assert "'ornaments/warnings/missing_grouped_child': 1" in result.log
    assert "dropped/duplicate" not in result.log  # the listed child is stored once
    assert sync_runs(sqlite_url)[-1]["status"] == "finished"


def test_a_grouped_product_without_grouped_products_stores_its_listed_children(sqlite_crawl, sqlite_url,
                                                                              json_api):
    # An older Store API names no children: the group is still no product, its children listed later are.
    group = woo_product(60, "Trio", {**woo_prices("300"), "price_range": {"min_amount": "300",
                                                                          "max_amount": "400"}}, kind="grouped")
    del group["grouped_products"]
    store = WooStore(json_api(), [group, woo_product(61, "Trio Red", woo_prices("300"), tags=["2024"]),
                                  woo_product(62, "Trio Blue", woo_prices("400"), tags=["2024"])])
    result = woo_crawl(sqlite_crawl, store)
    assert result.returncode == 0, result
    assert sorted(stored_products(sqlite_url, "woocommerce")) == ["61", "62"]
    assert "'ornaments/warnings/grouped_without_children': 1" in result.log
    result = woo_crawl(sqlite_crawl, store, "-a", "year=2024")  # the group has no year; its children do
    assert result.returncode == 0 and sync_runs(sqlite_url)[-1]["items_unchanged"] == 2, result


@pytest.mark.parametrize("button, url", [
    ("/go/bauble?ref=wreaths", "https://wreaths.example/go/bauble?ref=wreaths"),  # relative: on the shop
    ("//designer.example/bauble", "https://designer.example/bauble"),  # scheme-less
    ("HTTPS://designer.example/bauble", "https://designer.example/bauble"),
    ("", "https://wreaths.example/product/designer-bauble/"),  # no button URL: the product's page
    ("?add-to-cart=30", "https://wreaths.example/product/designer-bauble/"),  # a cart action is no page
])
def test_an_external_products_button_url_written_other_ways(button, url):
    spider = WreathShop.from_crawler(get_crawler(WreathShop))
    (request,) = spider.get_all()
    body = json.dumps([woo_product(30, "Designer Bauble", woo_prices("4500"), button=("Buy", button))])
    response = TextResponse(request.url, body=body.encode(), request=request, headers={"X-WP-TotalPages": "1"})
    (product,) = [o for o in spider.parse_page(response, **request.cb_kwargs) if isinstance(o, ProductItem)]
    assert product["url"] == url


def test_a_grouped_products_children_named_by_ids_in_strings_are_fetched():
    spider = WreathShop.from_crawler(get_crawler(WreathShop))
    (request,) = spider.get_all()
    group = woo_product(20, "Advent Set", {**woo_prices("500"), "price_range": {"min_amount": "500",
                                                                                "max_amount": "900"}},
                        children=["21", {"id": 22}, 23])
    response = TextResponse(request.url, body=json.dumps([group]).encode(), request=request,
                            headers={"X-WP-TotalPages": "1"})
    outputs = list(spider.parse_page(response, **request.cb_kwargs))
    assert not [o for o in outputs if isinstance(o, ProductItem)]  # the group is no product
    assert sorted(o.url.rsplit("/", 1)[1] for o in outputs) == ["21", "22", "23"]
