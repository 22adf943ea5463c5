"""Rakuten Advertising's MerchandiserXML, read by the rakuten spider beside the pipe file: the real
excerpt (no closing tag: its product kept, the run incomplete, nothing removed); our own fixture
(tests/fixtures/rakuten_merchandiser.xml) with the excerpt's quirks and the pipe file's rules; a file
cut short; a bad price; a broken record; another merchant's file."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import pytest

from ornaments.feed_sniff import looks_like_xml
from ornaments.spiders.rakuten import RakutenSpider
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.real_data import REAL_DATA, needs_real_data
from tests.test_feed_spiders import make_spider, parse
from tests.test_rakuten import stored

FIXTURE = (Path(__file__).parent / "fixtures" / "rakuten_merchandiser.xml").read_bytes()
EXCERPT = REAL_DATA / "rakuten-merchandiser-cultbeauty-EXCERPT.xml"
CLOSE = b"</merchandiser>"


def sync(url: str, path: Path, merchant: str = "508728"):
    return run_scrapy("crawl", "rakuten", "-a", f"merchant={merchant}", "-a", f"feed={path}",
                      env=scrapy_env(DATABASE_URL=url, ORNAMENTS_MAX_REMOVAL_SHARE="1"))


def products_of(body: bytes) -> list[bytes]:
    """The <product ...> lines of a fixture-like file (one product a line)."""
    return [line for line in body.splitlines(keepends=True) if line.startswith(b"<product ")]


def without(body: bytes, product_id: str) -> bytes:
    return b"".join(line for line in body.splitlines(keepends=True)
                    if not line.startswith(f'<product product_id="{product_id}"'.encode()))


def read(body: bytes, **arguments):
    spider = make_spider(RakutenSpider, **{"merchant": "508728", **arguments})
    return spider, parse(spider, body, url="file:///catalogue.xml")


def by_id(items) -> dict:
    return {i["vendor_product_id"]: i for i in items}


def stat(spider, key: str):
    return spider.crawler.stats.get_value(key)


@needs_real_data
def test_the_real_excerpt_syncs_its_product_and_being_cut_short_removes_nothing(sqlite_url, tmp_path):
    real = EXCERPT.read_bytes()
    assert CLOSE not in real  # the excerpt ends after its product, without </merchandiser>
    # A whole file of the same merchant, read first: 1117 and another product that the excerpt lacks.
    other = products_of(FIXTURE)[0].replace(b'product_id="2001"', b'product_id="9999"')
    whole = tmp_path / "35269_whole.xml"
    whole.write_bytes(real.rstrip() + b"\n" + other + CLOSE)
    assert sync(sqlite_url, whole, "35269").returncode == 0
    excerpt = tmp_path / "35269_excerpt.xml"
    excerpt.write_bytes(real)

    result = sync(sqlite_url, excerpt, "35269")
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, runs[-1].items_removed) == ("incomplete", 0), result
    assert "ends before its root element </merchandiser> closes" in result.log
    assert rows["9999"].removed_at is None  # not in the cut file, and not removed
    cream = rows["1117"]
    assert (cream.name, cream.sku, cream.price, cream.regular_price, cream.currency) == (
        "Intensive Vitamine C Cream", "IST015", Decimal("64.00"), Decimal("64.00"), "GBP")
    assert cream.affiliate_url == ("http://click.linksynergy.com/link?id=y6hqZAFw7vI&offerid=172711.1117&type=15"
                                   "&murl=http%3A%2F%2Fwww.cultbeauty.co.uk%2Finstitut-esthederm-intensive-vitamine-c"
                                   "-cream-jar.html")
    assert cream.url == "http://www.cultbeauty.co.uk/institut-esthederm-intensive-vitamine-c-cream-jar.html"
    assert cream.category == "Skin Care > Anti-ageing > Cult Beauty > Moisturisers"
    assert cream.availability == "in_stock" and cream.brand is None and cream.gtin is None  # empty elements
    assert cream.description.startswith("This triple action daily moisturising cream") and \
        cream.description.endswith("bio-available form.")  # the long description, not the cut short one
    assert cream.image_urls.startswith('["http://www.cultbeauty.co.uk/media/catalog/product/cache/1/image/')


@needs_real_data
def test_the_real_excerpt_names_its_merchant_and_is_refused_for_another():
    spider, items = read(EXCERPT.read_bytes(), merchant="35269")
    assert [i["vendor_product_id"] for i in items] == ["1117"]
    assert stat(spider, "ornaments/rakuten/merchant") == "35269 Cult Beauty Ltd."
    assert spider.incomplete_reasons == ["truncated feed"]
    spider, items = read(EXCERPT.read_bytes())  # the run syncs merchant 508728
    assert items == [] and spider.incomplete_reasons == ["another merchant's file"]


def test_the_fixture_maps_as_the_pipe_file_does():
    spider, items = read(FIXTURE)
    assert not spider.incomplete_reasons and not spider.problems
    found = by_id(items)
    assert list(found) == ["2001", "2002", "2003", "2004"]
    owl, frosty, santa, snoopy = found.values()
    # On sale inside its dates; "Does not apply" is no part number, so the merchant's SKU stays
    assert (owl["price"], owl["regular_price"], owl["currency"], owl["sku"]) == (
        Decimal("19.99"), Decimal("24.99"), "USD", "OO-2001")
    assert owl["url"] == "https://www.ornament-outlet.example/p/2001"  # the murl, decoded
    assert owl["affiliate_url"].startswith("http://click.linksynergy.com/link?id=CrWs39duuW8&offerid=508728.2001&")
    assert owl["category"] == "Home & Garden" and owl["description"] == "Snowy Owl 2021, hand-painted glass"
    # The part number before the merchant's SKU; the UPC (11 digits) as the gtin; a sale that ended
    assert (frosty["sku"], frosty["gtin"], frosty["brand"]) == ("QX8993", "049631791505", "Hallmark Keepsake")
    assert (frosty["price"], frosty["regular_price"]) == (Decimal("14.99"), Decimal("14.99"))
    assert frosty["description"] == "Frosty Friends 2020"  # an empty long description: the short one
    # ~~ categories; an empty <brand> falls back to the manufacturer
    assert santa["category"] == "Home & Garden > Decor > Seasonal > Christmas Ornaments"
    assert (santa["brand"], santa["availability"], santa["image_urls"]) == ("Hallmark Keepsake", "out_of_stock", [])
    # Entities and character references in attributes and text are read as the characters they stand for
    assert snoopy["name"] == 'Snoopy & Woodstock "Peanuts" 2020'
    assert snoopy["description"] == "Café scene <b>with</b> Snoopy & Woodstock"
    assert stat(spider, "ornaments/rakuten/merchant") == "508728 Ornament Outlet"


def test_a_gzipped_merchandiser_xml_is_read_as_the_plain_one():
    _spider, plain = read(FIXTURE)
    spider, unpacked = read(gzip.compress(FIXTURE))
    assert [dict(i) for i in unpacked] == [dict(i) for i in plain] and not spider.incomplete_reasons


def test_the_format_is_told_from_the_content():
    assert looks_like_xml(FIXTURE) and looks_like_xml(b"\xef\xbb\xbf\r\n  <merchandiser>")
    assert looks_like_xml("<?xml version='1.0'?><merchandiser/>".encode("utf-16"))
    assert not looks_like_xml(b"HDR|508728|Ornament Outlet|2026-11-20/08:00:00\n")


@pytest.mark.parametrize("cut", ["between products", "inside a product"])
def test_a_file_cut_short_keeps_the_products_before_the_cut_and_removes_nothing(cut, sqlite_url, tmp_path):
    full = tmp_path / "full.xml"
    full.write_bytes(FIXTURE)
    assert sync(sqlite_url, full).returncode == 0
    changed = FIXTURE.replace(b"<retail>24.99</retail>", b"<retail>27.99</retail>")  # 2001 reads anew
    end = changed.index(b'<product product_id="2003"' if cut == "between products" else b"Jolly Holly")
    short = tmp_path / "short.xml"
    short.write_bytes(changed[:end])
    result = sync(sqlite_url, short)
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, runs[-1].items_removed) == ("incomplete", 0), result
    assert rows["2001"].regular_price == Decimal("27.99")  # read before the cut
    assert all(r.removed_at is None for r in rows.values())
    assert "ends before its root element </merchandiser> closes" in result.log


def test_a_whole_file_that_lacks_a_product_removes_it(sqlite_url, tmp_path):
    full = tmp_path / "full.xml"
    full.write_bytes(FIXTURE)
    assert sync(sqlite_url, full).returncode == 0
    full.write_bytes(without(FIXTURE, "2003"))
    result = sync(sqlite_url, full)
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, runs[-1].items_removed) == ("finished", 1), result
    assert rows["2003"].removed_at is not None and rows["2004"].removed_at is None


def test_a_bad_price_is_counted_and_named_with_its_record_and_field(caplog):
    body = FIXTURE.replace(b"<retail>14.99</retail>", b"<retail>14.9O</retail>")  # 2002: a letter O
    spider, items = read(body)
    found = by_id(items)
    assert list(found) == ["2001", "2002", "2003", "2004"] and not spider.incomplete_reasons
    assert (found["2002"]["price"], found["2002"]["regular_price"]) == (None, None)
    assert found["2002"]["unreadable"] == ["price", "regular_price"]  # storage keeps the stored prices
    assert stat(spider, "ornaments/warnings/bad_price") == 2
    assert "product at line 3 (id 2002): regular_price '14.9O' is not a price (bad_price)" in caplog.text


def test_a_broken_product_is_dropped_with_its_id_and_the_next_one_read(caplog):
    body = FIXTURE.replace(b"<brand>Hallmark Keepsake</brand>", b"<brand>Hallmark Keepsake</brnd>")  # 2002
    spider, items = read(body)
    assert list(by_id(items)) == ["2001", "2003", "2004"]
    assert spider.seen_but_dropped == ["2002"] and not spider.incomplete_reasons  # its id counts as seen
    assert stat(spider, "ornaments/dropped/malformed_record") == 1 and "(id 2002)" in caplog.text


def test_a_product_without_its_closing_tag_costs_only_itself():
    lines = products_of(FIXTURE)
    body = FIXTURE.replace(lines[1], lines[1].rstrip()[:-len(b"</product>")] + b"\n")  # 2002 never closes
    spider, items = read(body)
    assert list(by_id(items)) == ["2001", "2003", "2004"]
    assert spider.seen_but_dropped == ["2002"] and not spider.incomplete_reasons


def test_external_entities_stay_unresolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    head, rest = FIXTURE.split(b"<merchandiser", 1)
    body = (head + f'<!DOCTYPE merchandiser [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode() + b"<merchandiser"
            + rest.replace(b"<merchantName>Ornament Outlet", b"<merchantName>&xxe;Ornament Outlet")
                  .replace(b"<long>Snowy Owl 2021, hand-painted glass", b"<long>&xxe;Snowy Owl 2021"))
    spider, items = read(body)
    # An entity is no text: the header and product 2001 that use one cannot be read, the rest can
    assert list(by_id(items)) == ["2002", "2003", "2004"] and spider.seen_but_dropped == ["2001"]
    assert spider.problems == ["no_rakuten_header: file:///catalogue.xml"]
    assert "TOP-SECRET" not in repr([dict(i) for i in items]) + repr(spider.crawler.stats.get_stats())
