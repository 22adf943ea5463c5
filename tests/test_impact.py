"""Impact's Catalog Items API on a replica at 127.0.0.1: Basic auth from the environment, pages read to
@numpages, the real Walmart item stored with the right values; no credentials: one line, nothing read."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import sqlalchemy as sa
from scrapy.http import TextResponse

from ornaments.storage.schema import products, sync_runs
from ornaments.spiders.impact import ImpactSpider
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.test_feed_spiders import make_spider
from tests.real_data import REAL_DATA, needs_real_data

SID, TOKEN = "IRtestSID123", "s3cret-token-value"
ITEMS = f"/Mediapartners/{SID}/Catalogs/9767/Items"


def stored(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {r.vendor_product_id: r for r in conn.execute(sa.select(products))}
        run = conn.execute(sa.select(sync_runs)).one()
    engine.dispose()
    return rows, run


@needs_real_data
def test_the_real_catalog_item_syncs_over_two_pages_with_basic_auth(json_api, sqlite_url):
    real = json.loads((REAL_DATA / "impact-catalogitem-walmart-EXCERPT.json").read_text())
    second = {**real, "CatalogItemId": "100000001", "Name": "Glass Robin Ornament", "CurrentPrice": "12.50",
              "OriginalPrice": "", "StockAvailability": "OutOfStock", "Gtin": "", "Url": "https://goto.walmart.com/c/1/2/9383?u=https%3A%2F%2Fwww.walmart.com%2Fip%2F100000001"}
    pages = {"1": [real], "2": [second]}
    api = json_api()
    api.route("GET", ITEMS, lambda call: (200, {"@page": call.query["Page"], "@numpages": "2",
                                                 "Items": pages[call.query["Page"]]}))
    result = run_scrapy("crawl", "impact", "-a", f"base_url={api.url}", env=scrapy_env(
        DATABASE_URL=sqlite_url, ORNAMENTS_IMPACT_ACCOUNT_SID=SID, ORNAMENTS_IMPACT_AUTH_TOKEN=TOKEN))
    rows, run = stored(sqlite_url)
    assert (run.status, result.returncode, run.vendor) == ("finished", 0, "impact"), result
    assert [c.query["Page"] for c in api.calls] == ["1", "2"] and {c.query["PageSize"] for c in api.calls} == {"1000"}
    assert {c.headers["authorization"] for c in api.calls} == {"Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()}
    bed = rows["774976869"]
    assert bed.name.startswith("Mellow MAVN Upholstered Platform Bed")
    assert (bed.price, bed.regular_price, bed.currency, bed.availability) == (
        Decimal("321.12"), Decimal("350.00"), "USD", "in_stock")
    assert bed.gtin == "00842165126559" and bed.brand == "Mellow"
    assert bed.affiliate_url == real["Url"]
    assert bed.url == ("https://www.walmart.com/ip/Mellow-MAVN-Upholstered-Platform-Bed-Modern-Tufted-Headboard-"
                       "Real-Wooden-Slats-and-Legs-Dark-Grey-King/774976869")
    assert rows["100000001"].availability == "out_of_stock"
    assert TOKEN not in result.log and TOKEN not in (run.details or "") + (run.arguments or "")


def test_without_credentials_nothing_is_read(json_api, sqlite_url):
    api = json_api()
    result = run_scrapy("crawl", "impact", "-a", f"base_url={api.url}", env=scrapy_env(DATABASE_URL=sqlite_url))
    _, run = stored(sqlite_url)
    assert run.status == "incomplete" and not api.calls, result
    assert "needs its credentials in the environment variable ORNAMENTS_IMPACT_AUTH_TOKEN" in result.log


def test_the_manufacturer_number_is_the_sku_unless_mpn_holds_a_placeholder():
    spider = make_spider(ImpactSpider, catalog="9767")
    page = TextResponse(url="http://127.0.0.1/Items", body=b"{}")
    base = {"Name": "Hallmark Keepsake Christmas Ornament 2021, 1966 Ford Mustang", "CurrentPrice": "26.49",
            "Currency": "USD", "Manufacturer": "Hallmark", "Asin": "B09ABCMUST"}
    records = [{**base, "CatalogItemId": "88005", "Mpn": "QX7162", "Gtin": "00763795716203"},
               {**base, "CatalogItemId": "88008", "Mpn": "Does not apply", "Gtin": "7.63795716203E+11"}]
    items = [item for record in records for item in spider.parse_record(record, page)]
    assert [(i["sku"], i["gtin"], i["brand"]) for i in items] == [
        ("QX7162", "00763795716203", "Hallmark"), ("88008", "763795716203", "Hallmark")]  # never the Asin
