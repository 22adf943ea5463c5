"""Feed spiders' parsing on saved and crafted feeds, with a real crawler (no reactor needed)."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from ornaments.spiders.bestseller import BestsellerSpider
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from ornaments.spiders.products_csv import ProductsCsvSpider
from tests.helpers import project_settings

FEEDS = Path(__file__).resolve().parents[1] / "feeds"


def make_spider(cls, settings=None, **kwargs):
    crawler = get_crawler(cls, project_settings(**(settings or {})))
    crawler.stats.open_spider()
    return cls.from_crawler(crawler, **kwargs)


def parse(spider, body: bytes, url: str = "file:///feed") -> list:
    return list(spider.parse_feed(TextResponse(url=url, body=body)))


def test_relative_links_of_a_feed_are_read_against_the_feed_url():
    body = b"""<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel><item>
      <g:id>A1</g:id><title>Angel</title><link>/p/a1</link><g:price>5.00 EUR</g:price>
      <g:image_link>/img/a1.jpg</g:image_link><g:additional_image_link>https://cdn.example/a1-b.jpg</g:additional_image_link>
      <g:additional_image_link>../side/a1-c.jpg</g:additional_image_link></item></channel></rss>"""
    [item] = parse(make_spider(GoogleMerchantSpider), body, url="https://partner.example/feeds/daily/merchant.xml")
    assert item["image_urls"] == ["https://partner.example/img/a1.jpg", "https://cdn.example/a1-b.jpg",
                                  "https://partner.example/feeds/side/a1-c.jpg"]
    assert item["url"] == "https://partner.example/p/a1"


def test_google_merchant_sample_feed():
    feed = FEEDS / "google_merchant.xml"
    items = parse(make_spider(GoogleMerchantSpider), feed.read_bytes(), url=feed.resolve().as_uri())
    assert [i["vendor_product_id"] for i in items] == ["KC-QXI3204", "KC-QXR9221", "KC-QX9074", "KC-QX1571",
                                                       "KC-QXR6124"]
    mando = items[0]
    assert mando["name"] == "Star Wars™ The Mandalorian™ and Grogu™ 2020 Ornament"
    assert (mando["price"], mando["currency"], mando["availability"]) == (Decimal("34.99"), "USD", "in_stock")
    assert (mando["sku"], mando["gtin"], mando["brand"], mando["release_year"]) == ("QXI3204", "763795768349",
                                                                                   "Hallmark", 2020)
    # The sample feeds ship their images beside them (feeds/images/), linked relative to the feed.
    assert mando["image_urls"] == [(FEEDS / "images" / "qxi3204.jpg").resolve().as_uri(),
                                   (FEEDS / "images" / "qxi3204-back.jpg").resolve().as_uri()]
    assert all(Path(u[len("file://"):]).is_file() for i in items for u in i["image_urls"])
    assert items[1]["price"] == Decimal("15.00")  # the sale price wins
    assert items[3]["price"] == Decimal("1299.95") and items[3]["image_urls"] == []
    assert [i["availability"] for i in items[2:]] == ["out_of_stock", "preorder", "backorder"]


def test_bestseller_keeps_the_preferred_currency_and_orders_images_by_type():
    spider = make_spider(BestsellerSpider, {"ORNAMENTS_CURRENCY_PREFERENCE": ["USD", "EUR"]})
    items = parse(spider, (FEEDS / "bestseller.xml").read_bytes())
    assert [(i["vendor_product_id"], i["price"], i["currency"]) for i in items] == [
        ("2445456", Decimal("49.95"), "EUR"), ("2445457", Decimal("29.95"), "EUR"),
        ("2445458", Decimal("1499.00"), "DKK")]
    first, second, third = items
    assert first["name"] == "Nostalgic Houses and Shops Café 2020" and first["release_year"] == 2020
    assert first["image_urls"][0].endswith("_Image_1.jpg")
    # the plain BESTSELLER format has no name or url: description and an id-based page stand in
    assert second["name"] == "Snow Globe Village 2021"
    assert second["url"] == "https://www.bestseller-partner.example/product/2445457"
    assert third["availability"] == "out_of_stock" and third["image_urls"] == []


def test_csv_feed_sample():
    items = parse(make_spider(ProductsCsvSpider), (FEEDS / "products.csv").read_bytes())
    by_sku = {i["sku"]: i for i in items}
    assert len(items) == 5
    assert (by_sku["QXR6001"]["price"], by_sku["QXR6001"]["currency"]) == (Decimal("1299.95"), "USD")
    assert (by_sku["QXR7712"]["price"], by_sku["QXR7712"]["currency"]) == (Decimal("28.95"), "EUR")
    assert by_sku["QXR3344"]["price"] is None and by_sku["QXR3344"]["availability"] == "out_of_stock"
    assert len(by_sku["QXI5931"]["image_urls"]) == 2


def test_csv_with_a_byte_order_mark_reads_its_first_column():
    body = "\ufeff" + (FEEDS / "products.csv").read_text(encoding="utf-8")
    items = parse(make_spider(ProductsCsvSpider), body.encode("utf-8"))
    assert items[0]["name"] == "Peanuts® Snoopy and Woodstock 2020"


def test_csv_rows_in_a_wrong_encoding_or_shape_are_dropped_with_their_line(caplog):
    spider = make_spider(ProductsCsvSpider)
    body = ("name,sku,description,price,url\n"
            "Good,S1,ok,1.00,https://x.example/1\n").encode() + \
        "Caf\xe9,S2,latin-1 bytes,2.00,https://x.example/2\n".encode("latin-1") + \
        b"Short,S3\n" + b"Fine,S4,ok,4.00,https://x.example/4\n"
    items = parse(spider, body)
    assert [i["sku"] for i in items] == ["S1", "S4"]
    stats = spider.crawler.stats
    assert stats.get_value("ornaments/dropped/bad_encoding") == 1
    assert stats.get_value("ornaments/dropped/malformed_row") == 1
    assert "line 3" in caplog.text and "line 4" in caplog.text


def test_csv_without_required_columns_is_an_error_not_a_crash(caplog):
    spider = make_spider(ProductsCsvSpider)
    assert parse(spider, b"label,cost\nA,1\n") == []
    assert ("lacks an id (sku, id or vendor_product_id) and a name (name or title) (its header: label, cost)"
            in caplog.text)
    assert spider.incomplete_reasons == ["feed columns missing"]


@pytest.mark.parametrize("cut", [0.5, 0.93])
def test_a_truncated_xml_feed_keeps_what_it_read_and_marks_the_run_incomplete(cut, caplog):
    body = (FEEDS / "google_merchant.xml").read_bytes()
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, body[:int(len(body) * cut)])
    assert 0 < len(items) < 5
    assert "is not well-formed XML at line" in caplog.text
    assert spider.incomplete_reasons == ["truncated feed"]


def test_a_record_in_a_wrong_encoding_is_dropped_with_its_line_and_id(caplog):
    body = (FEEDS / "google_merchant.xml").read_text(encoding="utf-8").encode("latin-1", errors="replace")
    body = body.replace("Décor".encode("latin-1"), "D\xe9cor".encode("latin-1"))
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, body)
    assert len(items) == 4 and "KC-QXR9221" not in [i["vendor_product_id"] for i in items]
    assert "Dropped item at line 23 (id KC-QXR9221): line 25: Invalid bytes in character encoding" in caplog.text
    assert spider.crawler.stats.get_value("ornaments/dropped/malformed_record") == 1
    assert spider.seen_but_dropped == ["KC-QXR9221"] and not spider.incomplete_reasons


def test_xml_with_a_byte_order_mark_parses():
    body = b"\xef\xbb\xbf" + (FEEDS / "google_merchant.xml").read_bytes()
    assert len(parse(make_spider(GoogleMerchantSpider), body)) == 5


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id><title>Name &xxe;</title>
<link>https://x.example/1</link><g:price>1.00 USD</g:price></item></channel></rss>""".encode()
    items = parse(make_spider(GoogleMerchantSpider), body)
    assert all("TOP-SECRET" not in str(dict(i)) for i in items)


def test_billion_laughs_stays_inert_and_fast():
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    body = f"""<?xml version="1.0"?><!DOCTYPE rss [{lol}]>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id><title>&lol9;</title>
<link>https://x.example/1</link></item></channel></rss>""".encode()
    started = time.monotonic()
    items = parse(make_spider(GoogleMerchantSpider), body)
    assert time.monotonic() - started < 2
    assert all(len(str(i.get("name") or "")) < 1000 for i in items)


def test_a_record_that_cannot_be_read_is_dropped_and_the_feed_goes_on(caplog):
    body = b"""<nsx:items xmlns:nsx="urn:x"><nsx:item id="1"><nsx:name>A</nsx:name></nsx:item>
<nsx:item id="2"><nsx:name>B</nsx:name></nsx:item></nsx:items>"""
    spider = make_spider(BestsellerSpider)
    original = spider.parse_node

    def parse_node(node):
        if node.get("id") == "1":
            raise ValueError("a field the code did not expect")
        return original(node)

    spider.parse_node = parse_node
    items = parse(spider, body)
    assert [i["vendor_product_id"] for i in items] == ["2"]
    assert spider.crawler.stats.get_value("ornaments/dropped/unparseable_record") == 1
    assert "Dropped item at line 1 (id 1): ValueError" in caplog.text and spider.seen_but_dropped == ["1"]


def _failing_for(spider, method: str, failing: str, key_of) -> None:
    """Make the spider's `method` raise for the record whose id (key_of(first argument)) is `failing`."""
    original = getattr(spider, method)

    def reading(record, *rest):
        if key_of(record) == failing:
            raise ValueError("a field the code did not expect")
        return original(record, *rest)

    setattr(spider, method, reading)


def test_a_delimited_row_that_cannot_be_read_counts_its_product_as_seen():
    """Rakuten's pipe rows and CSV rows: the record is dropped, and its id (read from the raw row) keeps
    the product from being removed by a complete run (it was dropped without it)."""
    from ornaments.spiders.rakuten import RakutenSpider
    lines = (FEEDS / "rakuten.txt").read_text().splitlines()
    rakuten = make_spider(RakutenSpider, merchant="508728")
    _failing_for(rakuten, "product_of", "1002", lambda listing: listing.product_id)
    assert [i["vendor_product_id"] for i in parse(rakuten, "\n".join(lines).encode())] == ["1001", "1003"]
    assert rakuten.seen_but_dropped == ["1002"]
    csv_spider = make_spider(ProductsCsvSpider)
    _failing_for(csv_spider, "parse_row", "QXR6001", lambda row: row[1])
    items = parse(csv_spider, (FEEDS / "products.csv").read_bytes())
    assert "QXR6001" not in [i["vendor_product_id"] for i in items] and csv_spider.seen_but_dropped == ["QXR6001"]


def test_year_and_url_filter_a_feed():
    body = (FEEDS / "google_merchant.xml").read_bytes()
    by_year = parse(make_spider(GoogleMerchantSpider, year="2020"), body)
    assert sorted(i["vendor_product_id"] for i in by_year) == ["KC-QXI3204", "KC-QXR9221"]
    one = parse(make_spider(GoogleMerchantSpider, url="https://www.keepsakecorner.example/products/qx9074"), body)
    assert [i["vendor_product_id"] for i in one] == ["KC-QX9074"]


def test_the_feed_location_can_be_a_path_a_file_url_or_http(tmp_path):
    spider = make_spider(GoogleMerchantSpider)
    assert spider.feed_url() == (Path("feeds") / "google_merchant.xml").resolve().as_uri()
    assert make_spider(GoogleMerchantSpider, feed="https://a.example/f.xml").feed_url() == "https://a.example/f.xml"
    assert make_spider(GoogleMerchantSpider, feed=str(tmp_path / "f.xml")).feed_url() == (tmp_path / "f.xml").as_uri()


def test_a_large_feed_is_streamed_not_held_as_a_tree(tmp_path):
    """Each record is freed once parsed: no earlier record is still in the tree (lxml reads ahead a
    little, so later siblings may exist)."""
    from tests.feedgen import generated_merchant_feed
    body = generated_merchant_feed(tmp_path / "big.xml", 20_000).read_bytes()
    spider = make_spider(GoogleMerchantSpider)
    seen_children = []
    original = spider.parse_node

    def parse_node(node):
        seen_children.append(sum(1 for _ in node.itersiblings(preceding=True)))
        return original(node)

    spider.parse_node = parse_node
    count = sum(1 for _ in spider.parse_feed(TextResponse(url="file:///big.xml", body=body)))
    assert count == 20_000 and spider.progress_total == 20_000
    assert max(seen_children) <= 1


def test_a_feed_of_mostly_unreadable_records_is_abandoned_and_the_run_incomplete(caplog):
    from ornaments.base_spiders.feeds import MAX_ROW_ERRORS
    bad = '<nsx:item id="{0}"><nsx:name>N{0}</nsx:nam></nsx:item>'  # a closing tag that does not match
    records = "".join(bad.format(i) for i in range(MAX_ROW_ERRORS + 5))
    body = f'<nsx:items xmlns:nsx="urn:x">{records}<nsx:item id="last"><nsx:name>Z</nsx:name></nsx:item></nsx:items>'
    spider = make_spider(BestsellerSpider)
    assert parse(spider, body.encode()) == []  # stopped before the one good record at the end
    assert spider.crawler.stats.get_value("ornaments/dropped/malformed_record") == MAX_ROW_ERRORS + 1
    assert f"more than {MAX_ROW_ERRORS} unreadable records" in caplog.text
    assert spider.incomplete_reasons == ["too many bad records"]


def test_a_merchant_mpn_that_says_does_not_apply_leaves_the_id_as_sku():
    body = b"""<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel><item>
      <g:id>gm-507</g:id><title>Santa's Sweet Ride 2021 QX7654</title><link>https://x.example/p</link>
      <g:price>24.95 USD</g:price><g:mpn>Does not apply</g:mpn></item></channel></rss>"""
    [item] = parse(make_spider(GoogleMerchantSpider), body)
    assert item["sku"] == "gm-507"
