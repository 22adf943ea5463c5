"""CJ: the real product-search API answer read with the right values (one page of many: removes nothing),
and CJ's "Shopping (Google format)" feeds, XML and CSV, read by the Merchant readers with the CJ click link
split into the merchant's page (url) and the tracked link (affiliate_url)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from ornaments.deeplinks import destination, split_tracked
from ornaments.storage.schema import products, sync_runs
from ornaments.spiders.cj import CjSpider
from tests.fixtures.crawl import PROJECT_ROOT, run_scrapy, scrapy_env
from tests.test_feed_spiders import make_spider, parse
from tests.real_data import REAL_DATA, needs_real_data

CLICK = ("https://www.anrdoezrs.net/click-3893793-10505159?url=https%3A%2F%2Fwww.ornament-outlet.example%2Fp%2FQXI5931"
         "&cjsku=QXI5931")
PAGE = "https://www.ornament-outlet.example/p/QXI5931"


def stored(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {r.vendor_product_id: r for r in conn.execute(sa.select(products))}
        run = conn.execute(sa.select(sync_runs).order_by(sync_runs.c.id.desc())).first()
    engine.dispose()
    return rows, run


@needs_real_data
def test_the_real_product_search_answer_syncs_and_one_page_removes_nothing(sqlite_url):
    result = run_scrapy("crawl", "cj", "-a", f"feed={(REAL_DATA / 'cj-productsearch-bluebee.xml').as_uri()}",
                        env=scrapy_env(DATABASE_URL=sqlite_url))
    rows, run = stored(sqlite_url)
    jeans = rows["RST01233"]
    assert (jeans.name, jeans.price, jeans.regular_price, jeans.currency) == (
        "Rockstar Motocross Jeans Blue", Decimal("209.00"), Decimal("209.00"), "USD")  # 0.0 sale/retail: none
    assert jeans.affiliate_url == ("http://www.jdoqocy.com/click-3893793-10505159?url=http%3A%2F%2Fwww.bluebee.com%2F"
                                   "product_display.aspx%3Fp%3DRST01233%26l%3D00090119152200000000%26a%3Dcj&cjsku=RST01233")
    assert jeans.url == "http://www.bluebee.com/product_display.aspx?p=RST01233&l=00090119152200000000&a=cj"
    assert jeans.image_urls == '["http://www.bluebee.com/cImages/Website_0/type_236/RST01233_255266.jpg"]'
    assert jeans.availability == "unknown" and jeans.gtin is None  # empty <in-stock/> and <upc/>
    assert run.status == "incomplete" and "one page of 10726 matches (2 returned)" in result.log, result


def test_the_example_answer_is_whole_and_takes_the_sale_price(sqlite_url):
    result = run_scrapy("crawl", "cj", env=scrapy_env(DATABASE_URL=sqlite_url))
    rows, run = stored(sqlite_url)
    assert (run.status, result.returncode) == ("finished", 0), result
    assert (rows["QXI5931"].price, rows["QXI5931"].regular_price) == (Decimal("24.99"), Decimal("29.99"))
    assert rows["QXI5931"].url == PAGE and rows["QXI5931"].availability == "in_stock"


def test_cj_link_forms_give_the_merchant_page():
    assert split_tracked(CLICK) == (PAGE, CLICK)
    assert split_tracked(PAGE) == (PAGE, None)  # a plain Merchant feed's link is the page
    assert destination(f"http://www.anrdoezrs.net/links/4125005/type/dlg/sid/x1/{PAGE}") == PAGE
    assert destination(f"https://www.awin1.com/cread.php?awinmid=1&awinaffid=2&ued={PAGE}") == PAGE


GM_XML = f"""<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel>
<item><g:id>QXI5931</g:id><g:title>Snoopy and Woodstock 2020</g:title><g:link>{CLICK.replace('&', '&amp;')}</g:link>
<g:price>29.99 USD</g:price><g:availability>in stock</g:availability><g:brand>Hallmark</g:brand></item>
<item><g:id>QXR6001</g:id><g:title>Jolly Holly Santa</g:title><g:link>https://www.ornament-outlet.example/p/QXR6001</g:link>
<g:ads_redirect>https://www.kqzyfj.com/click-3893793-10505159?url=https%3A%2F%2Fwww.ornament-outlet.example%2Fp%2FQXR6001</g:ads_redirect>
<g:price>1299.95 USD</g:price><g:availability>out of stock</g:availability></item>
</channel></rss>"""


def test_a_cj_google_format_feed_maps_cj_links_xml_and_csv(sqlite_url, tmp_path):
    xml = tmp_path / "cj-google.xml"
    xml.write_text(GM_XML)
    csv = tmp_path / "cj-google.csv"
    csv.write_text(f"id,title,link,price,availability\nQXI5931,Snoopy and Woodstock 2020,{CLICK},29.99 USD,in stock\n")
    for spider, feed, vendor in (("google_merchant", xml, "cj_xml"), ("products_csv", csv, "cj_csv")):
        result = run_scrapy("crawl", spider, "-a", f"feed={feed}", "-a", f"vendor={vendor}",
                            env=scrapy_env(DATABASE_URL=sqlite_url))
        assert result.returncode == 0, result
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        found = {(r.vendor, r.vendor_product_id): (r.url, r.affiliate_url) for r in conn.execute(sa.select(products))}
    engine.dispose()
    assert found[("cj_xml", "QXI5931")] == found[("cj_csv", "QXI5931")] == (PAGE, CLICK)
    assert found[("cj_xml", "QXR6001")] == (
        "https://www.ornament-outlet.example/p/QXR6001",
        "https://www.kqzyfj.com/click-3893793-10505159?url=https%3A%2F%2Fwww.ornament-outlet.example%2Fp%2FQXR6001")


def test_a_upc_without_its_leading_zero_is_the_gtin_and_a_placeholder_manufacturer_sku_is_none():
    body = ("<cj-api><products total-matched=\"1\" records-returned=\"1\"><product><sku>KK-22-POO</sku>"
            "<name>Winnie the Pooh Hunny Pot 2022</name><price>17.99</price><currency>USD</currency>"
            "<manufacturer-name>Hallmark</manufacturer-name><manufacturer-sku>N/A</manufacturer-sku>"
            "<upc>49631791505</upc></product></products></cj-api>")
    [item] = parse(make_spider(CjSpider), body.encode())
    assert (item["sku"], item["gtin"], item["brand"]) == ("KK-22-POO", "049631791505", "Hallmark")
