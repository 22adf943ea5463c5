"""XML feeds as real partners send them: our own small fixtures, each reproducing one quirk of a real
file (see ../shared/real-data/README.md), parsed with a real crawler and no reactor."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from scrapy.exceptions import UsageError
from scrapy.http import TextResponse

from ornaments.base_spiders.xml_records import XmlRecordScanner, record_id
from ornaments.spiders.bestseller import BestsellerSpider
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from tests.test_feed_spiders import make_spider, parse

# The BESTSELLER layout as partners send it: leading whitespace, no XML declaration, nsx: never declared.
UNDECLARED = b"""
        <nsx:items>
            <nsx:item id="501">
                <nsx:category>Ornaments</nsx:category>
                <nsx:description>Frosty Bell 2021</nsx:description>
                <nsx:images>
                    <nsx:image type="3" url="https://img.example/501_3.jpg"/>
                    <nsx:image type="main" url="https://img.example/501_main.jpg"/>
                    <nsx:image type="1" url="https://img.example/501_1.jpg"/>
                    <nsx:image type="gallery" url="https://img.example/501_gallery.jpg"/>
                </nsx:images>
                <nsx:prices>
                    <nsx:price><nsx:currency>DKK</nsx:currency><nsx:value>101.2</nsx:value></nsx:price>
                    <nsx:price><nsx:currency>EUR</nsx:currency><nsx:value>2</nsx:value></nsx:price>
                </nsx:prices>
            </nsx:item>
            <nsx:item id="502">
                <nsx:description>Snowy Owl</nsx:description>
                <nsx:prices>
                    <nsx:price><nsx:currency>DKK</nsx:currency><nsx:value>445.60</nsx:value></nsx:price>
                </nsx:prices>
            </nsx:item>
        </nsx:items>
        """

ATOM_HEAD = b"""<?xml version="1.0" encoding="UTF-8" ?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
<title>A shop</title><link href="http://localhost/shop/" rel="alternate"/>
"""


def atom_entry(n: int, extra: str = "") -> str:
    return (f"<entry>\n<id>tag:shop.example,2024:{n}</id>\n<g:id>{n}</g:id>\n<title>Entry {n}</title>\n"
            f"<link>http://localhost/shop/p?id={n}</link>\n<g:price>{n}.049999</g:price>\n"
            f"<g:image_link>http://localhost/img/{n}-a.jpg</g:image_link><g:image_link>http://localhost/img/{n}-b.jpg"
            f"</g:image_link>{extra}\n</entry>\n")


def atom(*entries: str) -> bytes:
    return ATOM_HEAD + "".join(entries).encode() + b"</feed>\n"


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">'
            "<channel><title>Shop</title>\n" + "".join(items) + "</channel></rss>\n").encode()


def rss_item(n: int, body: str) -> str:
    return (f"<item><g:id>{n}</g:id><g:title>Item {n}</g:title><g:link>https://shop.example/{n}</g:link>"
            f"{body}</item>\n")


def stat(spider, key: str):
    return spider.crawler.stats.get_value(key)


# --- the document ------------------------------------------------------------------------------------


def test_an_undeclared_prefix_without_declaration_and_with_leading_space_syncs():
    spider = make_spider(BestsellerSpider)
    items = parse(spider, UNDECLARED)
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in items] == [
        ("501", "Frosty Bell 2021", Decimal("2.00"), "EUR"), ("502", "Snowy Owl", Decimal("445.60"), "DKK")]
    assert stat(spider, "ornaments/warnings/undeclared_prefix") == 1
    assert not spider.incomplete_reasons and not spider.problems


def test_image_types_that_are_words_follow_the_numbered_ones_in_document_order():
    spider = make_spider(BestsellerSpider)
    first = parse(spider, UNDECLARED)[0]
    assert first["image_urls"] == ["https://img.example/501_1.jpg", "https://img.example/501_3.jpg",
                                   "https://img.example/501_main.jpg", "https://img.example/501_gallery.jpg"]
    assert stat(spider, "ornaments/warnings/image_type") == 2


def test_characters_xml_forbids_are_removed_and_the_record_kept(caplog):
    # As in a real 847-entry Atom export: two descriptions holding 0x1D and 0x1F.
    entries = [atom_entry(n, f"<summary>About {n}</summary>") for n in range(1, 6)]
    entries[1] = entries[1].replace("About 2", "About\x1d 2")
    entries[3] = entries[3].replace("About 4", "About 4\x1f\x1f")
    spider = make_spider(GoogleMerchantSpider, currency="EUR")
    items = parse(spider, atom(*entries))
    assert [i["vendor_product_id"] for i in items] == ["1", "2", "3", "4", "5"]
    assert [i["description"] for i in items] == [f"About {n}" for n in range(1, 6)]
    assert stat(spider, "ornaments/warnings/xml_control_characters") == 2  # one per record
    assert stat(spider, "ornaments/dropped/malformed_record") is None
    assert not spider.seen_but_dropped and not spider.incomplete_reasons and not spider.problems
    assert "entry at line 12: removed 1 character(s) XML 1.0 forbids (0x1D); the record is kept" in caplog.text
    assert "removed 2 character(s) XML 1.0 forbids (0x1F)" in caplog.text


@pytest.mark.parametrize("bad, shown", [
    ("\x00", "0x00"), ("\x0b", "0x0B"), ("&#31;", "&#31;"), ("&#x1D;", "&#x1D;"), ("\uffff", "U+FFFF"),
    ("&#xFFFE;", "&#xFFFE;"),
])
def test_every_kind_of_forbidden_character_is_removed_from_the_name_too(bad, shown, caplog):
    # RSS this time, with the character in the title: the product keeps its name, without it.
    items_ = [rss_item(n, "<g:price>1.00 USD</g:price>") for n in range(1, 4)]
    items_[1] = items_[1].replace("Item 2", f"Item{bad} 2")
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, rss(*items_))
    assert [(i["vendor_product_id"], i["name"]) for i in items] == [("1", "Item 1"), ("2", "Item 2"), ("3", "Item 3")]
    assert stat(spider, "ornaments/warnings/xml_control_characters") == 1
    assert f"forbids ({shown})" in caplog.text


def test_allowed_characters_and_references_stay():
    body = rss(rss_item(1, "<g:description>Tab\there &#10; &#x9; &#233; \u00e9 \ud55c\uae00</g:description>"
                           "<g:price>1.00 USD</g:price>"))
    spider = make_spider(GoogleMerchantSpider)
    (item,) = parse(spider, body)
    assert item["description"] == "Tab\there \n \t \u00e9 \u00e9 \ud55c\uae00"
    assert stat(spider, "ornaments/warnings/xml_control_characters") is None


def test_a_single_byte_encoded_feed_loses_only_its_control_characters():
    body = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">'
            "<channel>" + rss_item(7, "<g:description>Gl\u00f6ckchen\x1d</g:description><g:price>2.50 EUR</g:price>")
            + "</channel></rss>").encode("latin-1")
    spider = make_spider(GoogleMerchantSpider)
    (item,) = parse(spider, body)
    assert item["description"] == "Gl\u00f6ckchen" and item["price"] == Decimal("2.50")
    assert stat(spider, "ornaments/warnings/xml_control_characters") == 1


def test_a_record_without_its_closing_tag_is_dropped_and_the_next_one_read(caplog):
    items_ = [rss_item(n, "<g:price>1.00 USD</g:price>") for n in range(1, 4)]
    items_[0] = items_[0].replace("</item>", "")
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, rss(*items_))
    assert [i["vendor_product_id"] for i in items] == ["2", "3"]
    assert "a start tag without its closing tag" in caplog.text and spider.seen_but_dropped == ["1"]


def test_a_record_may_hold_its_own_name_only_where_the_format_says():
    """Rakuten's <product> holds <URL><product>link</product></URL>: with nested_in="URL" that inner element
    is the record's, anywhere else a start tag of the name still means the record before it is broken."""
    body = (b'<merchandiser><product product_id="1"><URL> <product>https://a.example/1</product></URL></product>'
            b'<product product_id="2"><URL><product>https://a.example/2</product></URL>'  # never closed
            b'<product product_id="3"><name>x</name><URL><product/></URL></product></merchandiser>')

    def records(nested_in):
        scanner = XmlRecordScanner([body])
        scanner.read_root()
        return [(record_id(r.data, attribute_name="product_id"), r.problem)
                for r in scanner.records("product", nested_in)], scanner.closed

    assert records("URL") == ([("1", None), ("2", "a start tag without its closing tag"), ("3", None)], True)
    assert records(None)[0][0] == ("1", "a start tag without its closing tag")  # the default: records do not nest


def test_a_dropped_record_whose_id_cannot_be_read_makes_the_run_incomplete():
    items_ = [rss_item(n, "<g:price>1.00 USD</g:price>") for n in range(1, 4)]
    items_[1] = items_[1].replace("<g:id>2</g:id>", "<g:id><2</g:id>")  # broken where its id is
    spider = make_spider(GoogleMerchantSpider)
    assert len(parse(spider, rss(*items_))) == 2
    assert spider.incomplete_reasons == ["unidentified record dropped"]


@pytest.mark.parametrize("cut", ["mid-record", "between records"])
def test_a_document_that_ends_early_is_incomplete(cut, caplog):
    body = rss(*(rss_item(n, "<g:price>1.00 USD</g:price>") for n in range(1, 4)))
    end = body.index(b"<g:title>Item 3") if cut == "mid-record" else body.index(b"<item><g:id>3")
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, body[:end])
    assert [i["vendor_product_id"] for i in items] == ["1", "2"]
    assert spider.incomplete_reasons == ["truncated feed"]
    assert "ends before its root element </rss> closes" in caplog.text


@pytest.mark.parametrize("body, words", [
    (b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body><item>x</item></body></html>",
     "not a Google Merchant feed: the root element is <html> (expected <rss> or <feed>)"),
    (b'{"error": "rate limited"}', "not a Google Merchant feed: it holds no XML element (it starts with b'{\"error\""),
    (b"", "not a Google Merchant feed: it holds no XML element (it is empty)"),
])
def test_a_document_of_another_kind_says_what_it_is(body, words, caplog):
    spider = make_spider(GoogleMerchantSpider)
    assert parse(spider, body) == []
    assert words in caplog.text and "empty feed" not in caplog.text
    assert spider.problems and spider.incomplete_reasons == ["wrong format"]


def test_a_complete_document_without_records_is_an_empty_feed_not_a_truncated_one(caplog):
    for body in (b"<rss/>", rss()):
        spider = make_spider(GoogleMerchantSpider)
        assert parse(spider, body) == []
        assert spider.problems == ["empty_feed: file:///feed"] and not spider.incomplete_reasons


def test_a_feed_read_in_small_chunks_gives_the_same_items():
    """The scanner reads chunks, so a later issue can stream feeds from disk."""
    body = atom(*(atom_entry(n) for n in range(1, 30)))
    whole = parse(make_spider(GoogleMerchantSpider, currency="EUR"), body)
    spider = make_spider(GoogleMerchantSpider, currency="EUR")
    chunks = (body[i:i + 7] for i in range(0, len(body), 7))
    assert [dict(i) for i in spider.read_document("file:///f", chunks)] == [dict(i) for i in whole]
    assert not spider.incomplete_reasons


def test_a_utf16_and_a_latin1_document_are_read():
    body = rss(rss_item(1, "<g:price>1.00 EUR</g:price><g:description>Café</g:description>"))
    utf16 = body.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    latin1 = body.decode().replace('encoding="utf-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    for document in (utf16, latin1):
        items = parse(make_spider(GoogleMerchantSpider), document)
        assert [i["description"] for i in items] == ["Café"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_document_without_a_byte_order_mark_is_read_and_loses_only_its_control_characters(codec):
    # XML 1.0 (appendix F): UTF-16 without a BOM is told by its first "<"; a record holds 0x1F.
    body = rss(rss_item(1, "<g:price>1.00 EUR</g:price><g:description>Caf\u00e9\x1f</g:description>"),
               rss_item(2, "<g:price>2.00 EUR</g:price>"))
    document = body.decode().replace('encoding="utf-8"', f'encoding="{codec.upper()}"').encode(codec)
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, document)
    assert [(i["vendor_product_id"], i["description"]) for i in items] == [("1", "Caf\u00e9"), ("2", None)]
    assert stat(spider, "ornaments/warnings/xml_control_characters") == 1
    assert not spider.incomplete_reasons and not spider.problems


# --- safety: the per-record parser resolves nothing ---------------------------------------------------


def test_external_entities_stay_inert_in_records_and_with_undeclared_prefixes(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<!DOCTYPE nsx:items [<!ENTITY xxe SYSTEM "file://{secret}">]>
<nsx:items>&xxe;<nsx:item id="1"><nsx:description>N &xxe;</nsx:description></nsx:item>
<nsx:item id="2"><nsx:description>Fine</nsx:description>
<!DOCTYPE x [<!ENTITY y SYSTEM "file://{secret}">]></nsx:item>
<nsx:item id="3"><nsx:description>Good</nsx:description></nsx:item></nsx:items>""".encode()
    spider = make_spider(BestsellerSpider)
    items = parse(spider, body)
    assert [i["vendor_product_id"] for i in items] == ["3"]
    assert all("TOP-SECRET" not in str(dict(i)) for i in items)
    assert stat(spider, "ornaments/dropped/malformed_record") == 2


def test_billion_laughs_stays_inert_and_fast_in_records():
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    body = f"""<!DOCTYPE nsx:items [{lol}]><nsx:items>
<nsx:item id="1"><nsx:description>&lol9;</nsx:description></nsx:item>
<nsx:item id="2"><nsx:description>ok</nsx:description></nsx:item></nsx:items>""".encode()
    started = time.monotonic()
    spider = make_spider(BestsellerSpider)
    items = parse(spider, body)
    assert time.monotonic() - started < 2
    assert [i["vendor_product_id"] for i in items] == ["2"] and stat(spider, "ornaments/dropped/malformed_record") == 1


# --- Google Merchant ----------------------------------------------------------------------------------


def test_atom_is_detected_with_its_title_link_images_and_ids():
    body = atom(atom_entry(1), atom_entry(2).replace("<link>http://localhost/shop/p?id=2</link>",
                                                     '<link rel="alternate" href="http://localhost/shop/p?id=2"/>'))
    spider = make_spider(GoogleMerchantSpider, currency="EUR")
    items = parse(spider, body)
    assert spider.document_root == "feed"
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in items] == [
        ("1", "Entry 1", Decimal("1.05"), "EUR"), ("2", "Entry 2", Decimal("2.05"), "EUR")]
    assert [i["url"] for i in items] == ["http://localhost/shop/p?id=1", "http://localhost/shop/p?id=2"]
    assert items[0]["image_urls"] == ["http://localhost/img/1-a.jpg", "http://localhost/img/1-b.jpg"]


def test_a_price_without_currency_is_yielded_without_one_unless_declared():
    items = parse(make_spider(GoogleMerchantSpider), atom(atom_entry(1)))
    assert (items[0]["price"], items[0]["currency"]) == (Decimal("1.05"), None)  # validation drops it


def sale_item(window: str | None, price: str = "200 AED", sale: str | None = "150 AED") -> bytes:
    body = f"<g:price>{price}</g:price>"
    body += f"<g:sale_price>{sale}</g:sale_price>" if sale else ""
    body += f"<g:sale_price_effective_date>{window}</g:sale_price_effective_date>" if window else ""
    body += "<g:shipping><g:country>AE</g:country><g:price>0 AED</g:price></g:shipping>"
    return rss(rss_item(1, body))


@pytest.mark.parametrize("window, price", [
    (None, "150.00"),  # no window: the sale runs
    ("2024-01-01T00:00+04:00/2024-12-31T23:59+04:00", "150.00"),  # open on 2024-06-01
    ("2024-01-01T00:00Z/2024-02-01T00:00Z", "200.00"),  # over
    ("2024-07-01/2024-08-01", "200.00"),  # not yet
])
def test_the_price_is_the_sale_price_while_its_window_is_open(window, price):
    spider = make_spider(GoogleMerchantSpider)
    spider.now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    item = parse(spider, sale_item(window))[0]
    assert (item["price"], item["regular_price"], item["currency"]) == (Decimal(price), Decimal("200.00"), "AED")


def test_without_a_sale_the_regular_price_is_the_price_and_nested_shipping_prices_do_not_count():
    item = parse(make_spider(GoogleMerchantSpider), sale_item(None, sale=None))[0]
    assert (item["price"], item["regular_price"]) == (Decimal("200.00"), Decimal("200.00"))


def test_an_unreadable_sale_window_or_sale_price_is_a_warning_not_a_lost_product():
    spider = make_spider(GoogleMerchantSpider)
    assert parse(spider, sale_item("next week"))[0]["price"] == Decimal("150.00")  # read as no window
    assert parse(spider, sale_item(None, sale="1.2.3 AED"))[0]["price"] == Decimal("200.00")
    assert stat(spider, "ornaments/warnings/bad_sale_window") == 1 and stat(spider, "ornaments/warnings/bad_price") == 1


LABELLED = rss(rss_item(1, "<g:price>5.00 USD</g:price><g:item_group_id>G-7</g:item_group_id>"
                           "<g:custom_label_0>2019</g:custom_label_0><g:custom_label_1>On Sale</g:custom_label_1>"
                           "<g:custom_label_2>UAE Store</g:custom_label_2>"))


def test_custom_labels_mean_nothing_unless_mapped():
    item = parse(make_spider(GoogleMerchantSpider), LABELLED)[0]
    assert (item.get("series"), item.get("release_year"), item["item_group_id"]) == (None, None, "G-7")
    spider = make_spider(GoogleMerchantSpider, labels="custom_label_0:release_year,custom_label_1:series")
    item = parse(spider, LABELLED)[0]
    assert (item["series"], item["release_year"], item["item_group_id"]) == ("On Sale", 2019, "G-7")
    assert spider.sync_arguments["labels"] == "custom_label_0:release_year,custom_label_1:series"


def test_a_label_mapped_to_a_year_that_holds_none_is_a_warning():
    spider = make_spider(GoogleMerchantSpider, labels="custom_label_2:release_year")
    assert parse(spider, LABELLED)[0]["release_year"] is None
    assert stat(spider, "ornaments/warnings/bad_label") == 1


@pytest.mark.parametrize("labels", ["custom_label_0:price", "custom_label_9:series", "custom_label_0:vendor",
                                    "custom_label_0:series,custom_label_1:series"])
def test_a_label_mapping_to_an_unknown_field_is_refused(labels):
    with pytest.raises(UsageError):
        make_spider(GoogleMerchantSpider, labels=labels)


def test_the_sample_feed_keeps_working_through_the_new_parser():
    from tests.test_feed_spiders import FEEDS
    spider = make_spider(GoogleMerchantSpider)
    items = parse(spider, (FEEDS / "google_merchant.xml").read_bytes())
    assert len(items) == 5 and items[1]["regular_price"] == Decimal("19.99")
    assert spider.progress_total == 5 and spider.document_root == "rss"


def test_each_record_is_freed_while_a_batch_is_read():
    body = rss(*(rss_item(n, "<g:price>1.00 USD</g:price>") for n in range(200)))
    spider = make_spider(GoogleMerchantSpider)
    siblings = []
    original = spider.parse_node
    spider.parse_node = lambda node: (siblings.append(len(node.getparent())), original(node))[1]
    assert len(list(spider.parse_feed(TextResponse(url="file:///f", body=body)))) == 200
    assert max(siblings) <= 64  # a batch at most, and records already read are detached


# --- end to end: scrapy crawl in a subprocess, into the database -------------------------------------


def test_e2e_an_undeclared_prefix_feed_syncs_finished(pg_crawl, pg_url, tmp_path):
    import sqlalchemy as sa

    from ornaments.storage.schema import products
    from tests.helpers import latest_run, rows
    (tmp_path / "partner.xml").write_bytes(UNDECLARED)
    result = pg_crawl("bestseller", "-a", f"feed={tmp_path / 'partner.xml'}")
    assert "ended finished: 2 new, 0 updated, 0 unchanged, 0 removed" in result.log, result
    stored = rows(pg_url, sa.select(products.c.vendor_product_id, products.c.price, products.c.currency)
                  .order_by(products.c.vendor_product_id))
    assert stored == [("501", Decimal("2.00"), "EUR"), ("502", Decimal("445.60"), "DKK")]
    assert latest_run(pg_url).status == "finished"


def test_e2e_an_atom_feed_with_illegal_characters_stores_every_record(pg_crawl, pg_url, tmp_path):
    import sqlalchemy as sa

    from ornaments.storage.schema import products
    from tests.helpers import latest_run, rows
    entries = [atom_entry(n) for n in range(1, 41)]
    entries[16] = entries[16].replace("Entry 17", "Entry\x1d17")
    entries[30] = entries[30].replace("Entry 31", "Entry 31\x1f")
    (tmp_path / "atom.xml").write_bytes(atom(*entries))  # a file: read from disk in pieces, not whole
    result = pg_crawl("google_merchant", "-a", f"feed={tmp_path / 'atom.xml'}", "-a", "currency=EUR")
    assert "40 new" in result.log and "'ornaments/warnings/xml_control_characters': 2" in result.log, result
    assert "malformed_record" not in result.log
    stored = {r.vendor_product_id: r.name for r in rows(pg_url, sa.select(products.c.vendor_product_id,
                                                                           products.c.name))}
    assert len(stored) == 40 and (stored["17"], stored["31"]) == ("Entry17", "Entry 31")
    assert latest_run(pg_url).status == "finished"


@pytest.mark.parametrize("stray", [b"\x00", b"\x1d\x1f", b"\x0b\n"])
def test_characters_xml_forbids_before_the_root_cost_nothing(stray):
    # A NUL written before the XML declaration of a Latin-1 feed: the feed is read, in its declared encoding.
    body = stray + ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss xmlns:g="http://base.google.com/ns/1.0" '
                    'version="2.0"><channel>' + rss_item(1, "<g:description>Gl\u00f6ckchen</g:description>"
                                                            "<g:price>2.50 EUR</g:price>")
                    + "</channel></rss>").encode("latin-1")
    spider = make_spider(GoogleMerchantSpider)
    (item,) = parse(spider, body)
    assert (item["vendor_product_id"], item["description"]) == ("1", "Gl\u00f6ckchen")
    assert stat(spider, "ornaments/warnings/xml_control_characters") == 1
    assert not spider.incomplete_reasons and not spider.problems
