"""Awin feeds: the real publisher download (plain, gzip, zip, pipe- and tab-delimited) and the advertiser
upload sync with the right values; a multi-merchant feed syncs each merchant as its own source and removes
only within it; a compressed feed cut short removes nothing."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.storage.schema import products, sync_runs
from ornaments.spiders.awin import AwinSpider
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.test_feed_spiders import make_spider, parse
from tests.real_data import REAL_DATA, needs_real_data

LULULEMON = REAL_DATA / "awin-lululemon-us.csv"

HEADER = ("merchant_id,merchant_name,aw_product_id,merchant_product_id,product_name,aw_deep_link,"
          "merchant_deep_link,merchant_image_url,search_price,rrp_price,currency,in_stock,stock_status,ean\n")


def row(merchant: str, product: str, price: str = "10.00", stock: str = "1") -> str:
    return (f"{merchant},Shop {merchant},9{product},{product},Ornament {product},"
            f"https://www.awin1.com/pclick.php?p=9{product}&a=1&m={merchant},https://shop{merchant}.example/{product},"
            f"https://shop{merchant}.example/{product}.jpg,{price},,GBP,{stock},,\n")


def stored(url: str) -> tuple[dict, list]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {(r.vendor, r.vendor_product_id): r for r in conn.execute(sa.select(products))}
        runs = conn.execute(sa.select(sync_runs).order_by(sync_runs.c.id)).all()
    engine.dispose()
    return rows, runs


def crawl(url: str, feed, *args: str, **env: str):
    extra = [a for pair in (("-a", a) for a in args) for a in pair]
    return run_scrapy("crawl", "awin", "-a", f"feed={feed}", *extra, env=scrapy_env(DATABASE_URL=url, **env))


def as_delimited(delimiter: str) -> bytes:
    rows = list(csv.reader(LULULEMON.open(newline="", encoding="utf-8")))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def zipped(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datafeed_1299065.csv", data)
    return out.getvalue()


@needs_real_data
@pytest.mark.parametrize("form", ["csv", "csv.gz", "zip", "pipe", "tab"])
def test_the_real_lululemon_feed_syncs_with_the_right_values_in_every_form(form, sqlite_url, tmp_path):
    if form in ("csv", "csv.gz"):
        feed = REAL_DATA / f"awin-lululemon-us.{form}"
    else:
        feed = tmp_path / f"feed.{form}"
        feed.write_bytes(zipped(LULULEMON.read_bytes()) if form == "zip" else as_delimited("|" if form == "pipe" else "\t"))
    result = crawl(sqlite_url, feed.as_uri(), "merchant=30347")
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, result.returncode) == ("finished", 0), result
    assert len(rows) == 10 and {v for v, _ in rows} == {"awin_30347"}
    leggings = rows[("awin_30347", "us_101700201")]
    assert leggings.name == 'Wunder Under High-Rise Leggings 25"'  # the "" inch mark read as one "
    assert (leggings.price, leggings.currency, leggings.availability) == (Decimal("98.00"), "USD", "in_stock")
    assert leggings.sku == "101700201" and leggings.brand == "lululemon"
    assert leggings.affiliate_url == "https://www.awin1.com/pclick.php?p=40026645008&a=1299065&m=30347"
    assert leggings.url.startswith("https://shop.lululemon.com/p/womens-leggings/Wunder-Under-HR-78-Tight-MD/_/prod11780200?")
    assert leggings.category == "Apparel & Accessories > Clothing > Pants"
    images = __import__("json").loads(leggings.image_urls)
    assert images[0] == "https://images.lululemon.com/is/image/lululemon/LW5BJVS_0001_1" and len(images) == 5
    assert leggings.regular_price is None  # base_price ("49.0 USD") is a unit price, not the list price


@needs_real_data
def test_the_real_advertiser_upload_layout_syncs(sqlite_url):
    result = crawl(sqlite_url, (REAL_DATA / "awin-advertiser-upload-themeowpicks-EXCERPT.csv").as_uri(),
                   "vendor=themeowpicks")
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, result.returncode) == ("finished", 0), result
    assert len(rows) == 200
    basket = rows[("themeowpicks", "G02-006-01-S")]
    assert (basket.name, basket.price, basket.currency, basket.gtin, basket.brand) == (
        "Covo Cat Basket - Oak/Sand", Decimal("519.00"), "USD", "4260404424376", "MiaCara")
    assert basket.url == "https://www.themeowpicks.com/products/covo-cat-basket?variant=51504968106262"
    assert basket.affiliate_url is None  # an advertiser's upload has no tracked link


def test_each_merchant_of_one_feed_is_its_own_source_and_removal_stays_inside_it(sqlite_url, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(HEADER + row("111", "A1") + row("222", "B1") + row("111", "A2") + row("222", "B2"))
    for merchant in ("111", "222"):
        assert crawl(sqlite_url, feed.as_uri(), f"merchant={merchant}").returncode == 0
    rows, _ = stored(sqlite_url)
    assert sorted(rows) == [("awin_111", "A1"), ("awin_111", "A2"), ("awin_222", "B1"), ("awin_222", "B2")]
    # Next day A2 and B2 are gone from the feed; only merchant 111 is synced.
    feed.write_text(HEADER + row("111", "A1") + row("222", "B1"))
    result = crawl(sqlite_url, feed.as_uri(), "merchant=111", ORNAMENTS_MAX_REMOVAL_SHARE="1")
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, runs[-1].items_removed) == ("finished", 1), result
    assert rows[("awin_111", "A2")].removed_at is not None
    assert rows[("awin_222", "B2")].removed_at is None  # another merchant's product: outside the run's scope
    assert "also holds merchants 222" in result.log


def test_a_merchant_missing_from_the_feed_removes_nothing(sqlite_url, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(HEADER + row("111", "A1") + row("222", "B1"))
    assert crawl(sqlite_url, feed.as_uri(), "merchant=222").returncode == 0
    feed.write_text(HEADER + row("111", "A1"))
    result = crawl(sqlite_url, feed.as_uri(), "merchant=222", ORNAMENTS_MAX_REMOVAL_SHARE="1")
    rows, runs = stored(sqlite_url)
    assert runs[-1].status != "finished" and rows[("awin_222", "B1")].removed_at is None, result
    assert "the feed has no row of merchant 222" in result.log


def test_a_gzip_feed_cut_short_is_incomplete_and_removes_nothing(sqlite_url, tmp_path):
    feed = tmp_path / "feed.csv.gz"
    body = HEADER + "".join(row("111", f"P{n}") for n in range(400))
    feed.write_bytes(gzip.compress(body.encode()))
    assert crawl(sqlite_url, feed.as_uri(), "merchant=111").returncode == 0
    whole = gzip.compress((HEADER + "".join(row("111", f"P{n}") for n in range(10, 400))).encode())
    feed.write_bytes(whole[: len(whole) // 2])
    result = crawl(sqlite_url, feed.as_uri(), "merchant=111", ORNAMENTS_MAX_REMOVAL_SHARE="1")
    rows, runs = stored(sqlite_url)
    assert runs[-1].status == "incomplete" and runs[-1].items_removed == 0, result
    assert all(r.removed_at is None for r in rows.values())
    assert "compressed data is cut short or damaged" in result.log


def test_a_wrong_merchant_argument_is_one_line(sqlite_url):
    result = crawl(sqlite_url, "feeds/awin.csv", "merchant=lululemon")
    assert result.returncode == 2 and "-a merchant must be an Awin advertiser id" in result.log, result
    assert "Traceback" not in result.log


def test_the_manufacturer_number_and_barcode_come_from_whichever_awin_column_holds_them():
    """Advertisers fill mpn or model_number, and ean, product_GTIN or upc; "Does not apply" in mpn and
    junk or a float in a barcode column must not hide the column that holds the value."""
    body = ("merchant_id,merchant_product_id,product_name,search_price,currency,brand_name,mpn,model_number,"
            "ean,product_GTIN,upc\n"
            "41234,OO-1,Grogu 2023,19.99,USD,Hallmark,,QXI7385,,,\n"
            "41234,OO-2,Barbie Malibu Dreamhouse 2022,22.99,USD,Hallmark,Does not apply,,7.63795754304E+11,,\n"
            "41234,OO-3,The Grinch 2023,18.99,USD,Hallmark,N/A,QXI7369,0,0763795736904,\n"
            "41234,OO-4,Baby's First Christmas 2023,15.99,USD,Hallmark,QX9142,,,,763795914203\n")
    items = parse(make_spider(AwinSpider, merchant="41234"), body.encode())
    assert [(i["sku"], i["gtin"]) for i in items] == [
        ("QXI7385", None), ("OO-2", "763795754304"), ("QXI7369", "0763795736904"), ("QX9142", "763795914203")]
