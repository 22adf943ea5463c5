"""Acceptance: the real third-party CSVs in shared/real-data (never copied into this repository) read with
products_csv. Skipped only where that folder does not exist."""

from __future__ import annotations

from decimal import Decimal

from scrapy.exceptions import DropItem

from ornaments.pipelines.dedupe import DedupePipeline
from ornaments.pipelines.validate import ValidationPipeline
from ornaments.spiders.products_csv import ProductsCsvSpider
from tests.real_data import REAL_DATA, needs_real_data
from tests.test_feed_spiders import make_spider, parse

pytestmark = needs_real_data


def read(name: str, **kwargs):
    spider = make_spider(ProductsCsvSpider, **kwargs)
    items = parse(spider, (REAL_DATA / name).read_bytes(), url=f"file:///{name}")
    assert spider.incomplete_reasons == [] and spider.problems == []
    return spider, items


def stats(spider) -> dict:
    return {k: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith("ornaments/")}


def through_pipelines(spider, items) -> int:
    """How many items validation and dedupe let through."""
    pipelines = [ValidationPipeline.from_crawler(spider.crawler), DedupePipeline.from_crawler(spider.crawler)]
    kept = 0
    for item in items:
        try:
            for pipeline in pipelines:
                item = pipeline.process_item(item)
            kept += 1
        except DropItem:
            pass
    return kept


def test_products_importer_2000_records_1998_products_no_price_needed():
    spider, items = read("products-importer-acme-medium.csv")
    assert len(items) == 2000 and spider.records_read == 2000
    assert stats(spider)["ornaments/feed/layout"] == "products importer (name, sku, description)"
    assert not any(k.startswith(("ornaments/dropped", "ornaments/warnings")) for k in stats(spider))
    assert all(i["price"] is None and i["currency"] is None and i["name"] for i in items)
    assert (items[0]["vendor_product_id"], items[0]["name"]) == ("lay-raise-best-end", "Bryce Jones")
    assert "\n" in items[2]["description"]  # multi-line quoted descriptions stay whole
    assert through_pipelines(spider, items) == 1998
    dropped = {k: v for k, v in stats(spider).items() if k.startswith("ornaments/dropped")}
    assert dropped == {"ornaments/dropped/duplicate": 2}  # nothing else: no price, url or currency needed


def test_woocommerce_sample_export():
    spider, items = read("woocommerce-sample_products.csv", currency="USD")
    by_key = {i["vendor_product_id"]: i for i in items}
    assert len(items) == 21 and len(by_key) == 21  # 24 rows less 2 variable parents and 1 grouped product
    assert (stats(spider)["ornaments/feed/skipped_variable"], stats(spider)["ornaments/feed/skipped_grouped"]) == (2, 1)
    assert {i["currency"] for i in items} == {"USD"}
    beanie = by_key["cc-beanie"]
    assert (beanie["name"], beanie["price"], beanie["regular_price"]) == ("Beanie", Decimal("18.00"), Decimal("20.00"))
    assert (by_key["cc-sunglasses"]["price"], by_key["cc-sunglasses"]["regular_price"]) == (Decimal("90.00"),) * 2
    red = by_key["cc-hoodie-red"]
    assert (red["name"], red["price"], red["regular_price"], red["item_group_id"]) == (
        "Hoodie - Red, No", Decimal("42.00"), Decimal("45.00"), "cc-hoodie")
    assert sum(1 for i in items if i["item_group_id"] == "cc-hoodie") == 6
    assert sum(1 for i in items if i["item_group_id"] == "cc-tee") == 3
    assert red["description"].startswith("Lorem ipsum") and red["category"] == "Clothing > Hoodies"
    # its own description, the parent's categories
    assert len(by_key["cc-hoodie-with-logo"]["image_urls"]) == 1
    assert by_key["cp-donation"]["url"].startswith("https://www.classicpress.net/")


def test_woocommerce_without_a_currency_leaves_it_unknown():
    spider, items = read("woocommerce-sample_products.csv")
    assert {i["currency"] for i in items} == {None}
    assert through_pipelines(spider, items) == 0  # validation drops every priced record as unknown_currency
    assert stats(spider)["ornaments/dropped/unknown_currency"] == 21


def test_shopify_product_template():
    spider, items = read("shopify-product_template.csv", currency="USD")
    by_key = {i["vendor_product_id"]: i for i in items}
    assert len(items) == 16 and len(by_key) == 16  # 12 shirts, 3 jeans, 1 beanie; the image-only row is no product
    shirt = by_key["SRT_COT_122"]
    assert (shirt["name"], shirt["brand"], shirt["price"], shirt["currency"], shirt["item_group_id"]) == (
        "Example T-Shirt – Green / M", "Acme", Decimal("25.00"), "USD", "example-shirt")
    assert shirt["description"].startswith("<p>This t-shirt")
    beanie = by_key["HAT_GRY_275"]
    assert (beanie["name"], beanie["price"], beanie["regular_price"]) == (
        "Example Beanie", Decimal("17.99"), Decimal("22.99"))  # "Default Title" is no option
    jeans = by_key["PNT_DEN_305"]
    assert jeans["name"] == "Example Jeans – 30" and jeans["regular_price"] == jeans["price"] == Decimal("95.00")
    assert any("female-fashion-model" in u for u in jeans["image_urls"])  # from the image-only row
    assert all(i["gtin"] is None for i in items)  # 3.65275E+11 and the like are not GTINs
    assert stats(spider)["ornaments/warnings/bad_gtin"] == 16
    assert through_pipelines(spider, items) == 16


def test_google_merchant_csv_in_aed_keeps_the_regular_price():
    spider, items = read("gm-sooq-alemarat-aed.csv")
    assert stats(spider)["ornaments/feed/layout"] == "google merchant csv"
    assert [(i["vendor_product_id"], i["price"], i["regular_price"], i["currency"]) for i in items] == [
        ("1", Decimal("150.00"), Decimal("200.00"), "AED"), ("2", Decimal("170.00"), Decimal("250.00"), "AED"),
        ("3", Decimal("299.00"), Decimal("400.00"), "AED"), ("4", Decimal("199.00"), Decimal("300.00"), "AED"),
        ("5", Decimal("149.00"), Decimal("200.00"), "AED")]
    assert items[0]["name"] == "غسالة محمولة قابلة للطي" and items[0].get("series") is None
    assert items[0]["availability"] == "in_stock" and items[0]["url"].endswith("product.html?id=1")
    assert through_pipelines(spider, items) == 5
