"""Acceptance tests on real third-party files (../shared/real-data, or $ORNAMENTS_REAL_DATA), read
where they are and never copied into the repository. Skipped only when the directory is missing."""

from __future__ import annotations

from decimal import Decimal

from tests.real_data import REAL_DATA, needs_real_data
from tests.test_feed_spiders import make_spider, parse


@needs_real_data
def test_xml_real_files():
    from ornaments.spiders.bestseller import BestsellerSpider
    from ornaments.spiders.google_merchant import GoogleMerchantSpider

    def read(cls, name: str, **arguments):
        spider = make_spider(cls, **arguments)
        items = parse(spider, (REAL_DATA / name).read_bytes(), url=f"file:///{name}")
        assert not spider.incomplete_reasons and not spider.problems, name
        return items, spider

    clivern, _ = read(BestsellerSpider, "bestseller-clivern.xml")
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in clivern] == [
        ("2445456", "Bootleg Front Washed", Decimal("49.95"), "EUR"),
        ("2445457", "Bootleg Front Washed", Decimal("49.95"), "EUR")]
    assert [len(i["image_urls"]) for i in clivern] == [2, 2]

    loader, _ = read(BestsellerSpider, "bestseller-etl-loader-2items.xml")
    assert [(i["vendor_product_id"], i["price"], i["currency"]) for i in loader] == [
        ("100", Decimal("101.20"), "DKK"), ("101", Decimal("2.00"), "EUR")]
    assert loader[1]["image_urls"] == ["https://sample.com/img/2445456_Image_2.jpg"]

    atom, spider = read(GoogleMerchantSpider, "gm-atom-prestashop-module-export.xml")
    assert spider.document_root == "feed" and len(atom) == 14
    assert all(i["currency"] is None for i in atom)  # no currency in the feed: validation drops them
    atom, _ = read(GoogleMerchantSpider, "gm-atom-prestashop-module-export.xml", currency="EUR")
    first = atom[0]
    assert (first["vendor_product_id"], first["name"], first["price"], first["currency"]) == (
        "1", "Ipod nano", Decimal("189.05"), "EUR")
    assert first["url"] == "http://localhost/MumDressed/product.php?id_product=1"
    assert len(first["image_urls"]) == 8 and first["image_urls"][0].endswith("/1-37-large.jpg")
    assert {i["currency"] for i in atom} == {"EUR"} and all(i["price"] is not None for i in atom)  # one is 0

    sooq, _ = read(GoogleMerchantSpider, "gm-sooq-alemarat-aed.xml")
    assert len(sooq) == 5 and {i["currency"] for i in sooq} == {"AED"}
    first = sooq[0]
    assert (first["vendor_product_id"], first["name"]) == ("1", "غسالة محمولة قابلة للطي")
    assert (first["price"], first["regular_price"]) == (Decimal("150.00"), Decimal("200.00"))  # no window: on sale
    assert [i["price"] for i in sooq] == [Decimal(p) for p in ("150.00", "170.00", "299.00", "199.00", "149.00")]
    assert all(i.get("series") is None for i in sooq)  # custom_label_1 "On Sale" is not a series
