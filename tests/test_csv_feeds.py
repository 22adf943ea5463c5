"""CSV feeds: layouts recognised from the header, variants, and damage that must make a run incomplete.
The fixtures are our own, each reproducing one quirk of a real export (see shared/real-data)."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
import sqlalchemy as sa
from scrapy.exceptions import UsageError

from ornaments.spiders.products_csv import ProductsCsvSpider
from ornaments.storage.schema import products
from tests.test_feed_spiders import make_spider, parse
from tests.helpers import latest_run, rows

OWN = "name,sku,description,price,currency,url\n"


def read(body: str | bytes, settings=None, **kwargs):
    spider = make_spider(ProductsCsvSpider, settings, **kwargs)
    items = parse(spider, body.encode() if isinstance(body, str) else body)
    return spider, items


def stat(spider, key: str):
    return spider.crawler.stats.get_value(key)


def ten_products() -> str:
    return OWN + "".join(f"Ornament {i},S{i},\"Glass, hand painted\",{i}.50,USD,https://x.example/{i}\n"
                         for i in range(10))


# --- headers and layouts --------------------------------------------------------------------------

def test_headers_match_without_regard_to_case_spaces_and_punctuation():
    spider, items = read(" NAME ,Sku,Description,Price,CURRENCY,Image URLs,U.R.L\n"
                         "Angel,A1,Gold,5.00,EUR,https://x.example/a.jpg|https://x.example/b.jpg,"
                         "https://x.example/a 1\n")
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in items] == [
        ("A1", "Angel", Decimal("5.00"), "EUR")]
    assert items[0]["image_urls"] == ["https://x.example/a.jpg", "https://x.example/b.jpg"]
    assert items[0]["url"] == "https://x.example/a%201"


def test_the_importer_layout_needs_no_price_url_or_currency_and_names_records_by_first_line(caplog):
    caplog.set_level(logging.INFO)
    body = ('name,sku,description\n'
            'Bryce,s-1,"First line.\nSecond line.\nThird line."\n'
            'Ann,s-2,one line\n'
            '"Caf\u00e9 \x01",s-3,"x\n\ny"\n'
            ',s-4,nameless\n')
    spider, items = read(body)
    assert [i["vendor_product_id"] for i in items] == ["s-1", "s-2", "s-3", "s-4"]
    assert items[0]["description"] == "First line.\nSecond line.\nThird line." and items[0]["price"] is None
    assert items[2]["name"] == "Café"
    assert stat(spider, "ornaments/feed/layout") == "products importer (name, sku, description)"
    assert "products importer" in caplog.text
    # Progress counts records, not lines: the total is unknown (quoted fields hold newlines), bytes tell it.
    assert spider.progress_total is None and spider.records_read == 4
    assert spider.feed_bytes == len(body.encode()) and spider.bytes_read() == len(body.encode())


def test_a_warning_names_the_records_first_line_and_its_id(caplog):
    body = OWN + 'A,S1,"two\nlines",1.00,USD,\nB,S2,ok,1.2.3,USD,\n'
    spider, items = read(body)
    assert len(items) == 2 and stat(spider, "ornaments/warnings/bad_price") == 1
    assert "line 4 (id S2): price" in caplog.text


def test_woocommerce_export_with_variations():
    body = ("ID,Type,SKU,Name,Short description,Description,Date sale price starts,Date sale price ends,"
            "In stock?,Sale price,Regular price,Categories,Images,Parent,Attribute 1 name,Attribute 1 value(s),"
            "Attribute 2 name,Attribute 2 value(s)\n"
            '10,variable,tee,T-Shirt,,Soft,,,1,,,Clothing > Tees,'
            '"https://x.example/tee.png, https://x.example/tee b.png",'
            ',Color,"Red, Blue",Size,"S, M"\n'
            "11,variation,tee-red,T-Shirt - Red,,,,,1,20,25,,https://x.example/red.png,tee,Color,Red,Size,S\n"
            "12,variation,,T-Shirt,,,2001-01-01,2001-02-01,0,9,25,,,id:10,Color,Blue,Size,M\n"
            "13,\"simple, virtual\",song,Song,Short text,,,,1,,3,Music,,,,,,\n"
            "14,grouped,set,Set,,,,,1,,,,,,,,,\n")
    spider, items = read(body, currency="USD")
    assert [(i["vendor_product_id"], i["name"], i["price"], i["regular_price"], i["item_group_id"]) for i in items] == [
        ("tee-red", "T-Shirt - Red", Decimal("20.00"), Decimal("25.00"), "tee"),
        ("12", "T-Shirt – Blue, M", Decimal("25.00"), Decimal("25.00"), "tee"),  # the sale ended in 2001
        ("song", "Song", Decimal("3.00"), Decimal("3.00"), None)]
    red, blue, song = items
    assert red["image_urls"] == ["https://x.example/red.png"] and red["category"] == "Clothing > Tees"
    assert blue["image_urls"] == ["https://x.example/tee.png", "https://x.example/tee%20b.png"]
    assert (blue["description"], blue["availability"], song["description"]) == ("Soft", "out_of_stock", "Short text")
    assert {i["currency"] for i in items} == {"USD"}
    assert stat(spider, "ornaments/feed/skipped_variable") == 1 and stat(spider, "ornaments/feed/skipped_grouped") == 1


SHOPIFY = ("Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,"
           "Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,"
           "Variant Compare At Price,Variant Barcode,Image Src,Variant Image\n"
           "star,Star,<p>Bright</p>,Acme,Tree,Color,Gold,Size,S,ST-GS,,0,deny,10,12,3.65275E+11,"
           "https://x.example/s1.jpg,\n"
           "star,,,,,,Gold,,M,,shopify,0,deny,11,,036000291452,https://x.example/s2.jpg,https://x.example/gm.jpg\n"
           "star,,,,,,,,,,,,,,,,https://x.example/s3.jpg,\n"
           "bell,Bell,Ring,Acme,Tree,Title,Default Title,,,,shopify,3,deny,7.5,5,Does not apply,,\n")


def test_shopify_variants_inherit_the_product_and_image_rows_add_images(caplog):
    spider, items = read(SHOPIFY, currency="EUR")
    assert [(i["vendor_product_id"], i["name"], i["price"], i["regular_price"], i["item_group_id"]) for i in items] == [
        ("ST-GS", "Star – Gold / S", Decimal("10.00"), Decimal("12.00"), "star"),
        ("star:Gold/M", "Star – Gold / M", Decimal("11.00"), Decimal("11.00"), "star"),
        ("bell", "Bell", Decimal("7.50"), Decimal("7.50"), "bell")]  # a compare-at below the price is no sale
    gold_s, gold_m, bell = items
    assert gold_m["brand"] == "Acme" and gold_m["description"] == "<p>Bright</p>"
    assert gold_s["image_urls"] == ["https://x.example/s1.jpg", "https://x.example/s2.jpg", "https://x.example/s3.jpg"]
    assert gold_m["image_urls"][0] == "https://x.example/gm.jpg" and len(gold_m["image_urls"]) == 4
    # A spreadsheet turned the first barcode into 3.65275E+11: not a GTIN. The second is a real UPC. The
    # bell's "Does not apply" says it has none, which is no bad barcode.
    assert gold_s["gtin"] is None and gold_m["gtin"] == "036000291452" and bell["gtin"] is None
    assert stat(spider, "ornaments/warnings/bad_gtin") == 1 and "line 2 (id ST-GS): gtin" in caplog.text
    assert (gold_s["availability"], gold_m["availability"], bell["availability"]) == (
        "in_stock", "out_of_stock", "in_stock")
    assert stat(spider, "ornaments/feed/layout") == "shopify product csv"


def test_shopify_prices_without_a_declared_currency_have_none():
    _, items = read(SHOPIFY)
    assert {i["currency"] for i in items} == {None}  # validation drops them as unknown_currency


def test_google_merchant_csv_keeps_the_regular_price_and_reads_decimal_points():
    body = ("id,title,description,link,image_link,availability,price,sale_price,sale_price_effective_date,"
            "custom_label_1\n"
            "1,Angel,d,https://x.example/1,https://x.example/1.jpg,in stock,\"1,299.95 USD\",999.00 USD,,On Sale\n"
            "2,Bell,d,https://x.example/2,,out of stock,20.00 AED,15.00 AED,2001-01-01T00:00/2001-02-01T00:00,\n")
    spider, items = read(body)
    assert [(i["price"], i["regular_price"], i["currency"], i.get("series")) for i in items] == [
        (Decimal("999.00"), Decimal("1299.95"), "USD", None), (Decimal("20.00"), Decimal("20.00"), "AED", None)]
    assert stat(spider, "ornaments/feed/layout") == "google merchant csv"


# A Merchant CSV exported from Shopify: a product's further images on rows of their own, with its id
# repeated and nothing else (no title, no price). Here more rows continue a product than start one.
MERCHANT_FROM_SHOPIFY = (
    "id,title,description,link,image_link,additional_image_link,availability,price,brand\n"
    "shopify_US_1_11,Angel,White,https://x.example/angel,https://x.example/a1.jpg,,in stock,19.99 USD,Acme\n"
    "shopify_US_1_11,,,,https://x.example/a2.jpg,,,,\n"
    "shopify_US_1_11,,,,https://x.example/a3.jpg,https://x.example/a1.jpg,,,\n"  # a1 again: no repeat
    "shopify_US_2_21,Bell,Gold,https://x.example/bell,https://x.example/b1.jpg,,in stock,9.50 USD,Acme\n"
    "shopify_US_2_21,,,,https://x.example/b2.jpg,,,,\n"
    "shopify_US_3_31,Star,Tin,https://x.example/star,,,out of stock,5.00 USD,Acme\n"
    "shopify_US_3_31,,,,https://x.example/s1.jpg,,,,\n"
    "shopify_US_9_99,,,,https://x.example/lost.jpg,,,,\n"  # its product is nowhere in the feed
)


def test_merchant_csv_continuation_rows_add_their_images_to_their_product(caplog):
    spider, items = read(MERCHANT_FROM_SHOPIFY)
    assert [(i["vendor_product_id"], i["name"], i["price"]) for i in items] == [
        ("shopify_US_1_11", "Angel", Decimal("19.99")), ("shopify_US_2_21", "Bell", Decimal("9.50")),
        ("shopify_US_3_31", "Star", Decimal("5.00"))]
    assert [i["image_urls"] for i in items] == [
        ["https://x.example/a1.jpg", "https://x.example/a2.jpg", "https://x.example/a3.jpg"],
        ["https://x.example/b1.jpg", "https://x.example/b2.jpg"], ["https://x.example/s1.jpg"]]
    assert stat(spider, "ornaments/feed/continuation_rows") == 5
    assert stat(spider, "ornaments/warnings/orphan_continuation_row") == 1
    assert "line 9 (id shopify_US_9_99): a continuation row" in caplog.text
    assert not spider.incomplete_reasons and not spider.problems


def test_own_layout_continuation_rows_may_come_before_their_product_and_a_row_with_a_price_is_no_continuation():
    body = ("sku,name,price,currency,image_urls\n"
            "B-2,,,,https://x.example/early.jpg\n"  # before its product: it waits for it
            "A-1,Angel,3.00,EUR,https://x.example/a.jpg\n"
            "A-1,,,,https://x.example/a-back.jpg|https://x.example/a-side.jpg\n"
            "B-2,Bell,4.00,EUR,https://x.example/b.jpg\n"
            "C-3,,7.00,EUR,https://x.example/c.jpg\n")  # a price: a record without a name, not a continuation
    spider, items = read(body)
    assert [(i["vendor_product_id"], i["image_urls"]) for i in items] == [
        ("A-1", ["https://x.example/a.jpg", "https://x.example/a-back.jpg", "https://x.example/a-side.jpg"]),
        ("B-2", ["https://x.example/b.jpg", "https://x.example/early.jpg"]),
        ("C-3", ["https://x.example/c.jpg"])]
    assert not items[2]["name"]  # validation drops it as missing_name, as before
    assert stat(spider, "ornaments/feed/continuation_rows") == 2
    assert stat(spider, "ornaments/warnings/orphan_continuation_row") is None


def test_shopify_image_rows_away_from_their_product_are_a_warning(caplog):
    body = SHOPIFY + "star,,,,,,,,,,,,,,,,https://x.example/s9.jpg,\n"  # after "bell": not its product's rows
    spider, items = read(body, currency="EUR")
    assert [i["vendor_product_id"] for i in items] == ["ST-GS", "star:Gold/M", "bell"]
    assert stat(spider, "ornaments/warnings/orphan_continuation_row") == 1
    assert "line 6 (handle star): 1 row(s) with only 1 image link(s)" in caplog.text


def test_e2e_a_merchant_csv_with_continuation_rows_syncs_finished_with_every_image(sqlite_crawl, sqlite_url,
                                                                                    tmp_path):
    import json

    from scrapy.utils.project import get_project_settings

    feed = tmp_path / "merchant.csv"
    feed.write_text(MERCHANT_FROM_SHOPIFY, encoding="utf-8")
    # The images are not fetched (x.example is no host): the run stores their links, as the pipelines order.
    no_downloads = {name: order for name, order in get_project_settings().getdict("ITEM_PIPELINES").items()
                    if not name.endswith("ImagesPipeline")}
    result = sqlite_crawl("products_csv", "-a", f"feed={feed}", "-s", f"ITEM_PIPELINES={json.dumps(no_downloads)}")
    assert result.returncode == 0, result
    assert latest_run(sqlite_url).status == "finished"
    stored = dict(rows(sqlite_url, sa.select(products.c.vendor_product_id, products.c.image_urls)))
    assert sorted(stored) == ["shopify_US_1_11", "shopify_US_2_21", "shopify_US_3_31"]
    images = stored["shopify_US_1_11"]
    assert (json.loads(images) if isinstance(images, str) else images)[1] == "https://x.example/a2.jpg"
    assert "missing_name" not in result.log


def test_columns_map_any_header():
    body = "Item No;Title Text;Cost\nK1;Kite;4,50\n".replace(";", "\t")
    spider = make_spider(ProductsCsvSpider, columns="vendor_product_id:Item No, name:title text,price:COST",
                         currency="EUR")
    spider.delimiter = "\t"
    items = parse(spider, body.encode())
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in items] == [
        ("K1", "Kite", Decimal("4.50"), "EUR")]
    assert spider.sync_arguments["columns"].startswith("vendor_product_id:")


@pytest.mark.parametrize("columns", ["colour:Color", "name", "vendor:Shop"])
def test_columns_with_an_unknown_field_are_a_usage_error(columns):
    with pytest.raises(UsageError):
        make_spider(ProductsCsvSpider, columns=columns)


def test_a_mapped_column_the_feed_lacks_is_an_error(caplog):
    spider, items = read("id,name\n1,A\n", columns="name:Title")
    assert items == [] and "the mapped column name ('title')" in caplog.text
    assert spider.incomplete_reasons == ["feed columns missing"]


def test_a_header_without_id_or_name_says_what_is_missing_and_what_it_has(caplog):
    spider, items = read("Handle Code,Label\nx,y\n")
    assert items == [] and spider.incomplete_reasons == ["feed columns missing"]
    assert "lacks an id (sku, id or vendor_product_id) and a name (name or title) (its header: Handle Code, Label)" \
        in caplog.text


def test_a_duplicated_header_is_refused(caplog):
    spider, items = read("name,sku,Price,price\nA,S1,1.00,2.00\n", currency="USD")
    assert items == [] and spider.incomplete_reasons == ["duplicated column"]
    assert "names a column twice ('Price' and 'price')" in caplog.text
    assert any(r.levelname == "ERROR" for r in caplog.records)


# --- damage ---------------------------------------------------------------------------------------

def test_an_unterminated_quote_makes_the_run_incomplete(caplog):
    body = ten_products() + 'Last,S10,"a description that never ends,1.00,USD,https://x.example/10\n'
    spider, items = read(body)
    assert len(items) == 10 and spider.incomplete_reasons == ["unterminated quote"]
    assert "record at line 12 is never closed" in caplog.text


def test_a_feed_cut_at_20_percent_is_incomplete_not_finished(caplog):
    body = ten_products().encode()
    spider, items = read(body[:int(len(body) * 0.2)])
    assert len(items) < 2 and spider.incomplete_reasons in (["last row cut short"], ["unterminated quote"])
    assert "the file was cut short" in caplog.text or "is never closed" in caplog.text


def test_every_cut_before_the_last_field_is_seen():
    body = (OWN + 'A,S1,"multi\nline, desc",1.00,USD,https://x.example/1\n'
            'B,S2,plain,2.00,USD,https://x.example/2\n').encode()
    # A cut inside a record's last field, or at a record's end, leaves a well-formed file: no reader
    # can tell it from a shorter feed (Scrapy's DOWNLOAD_FAIL_ON_DATALOSS catches short HTTP bodies).
    ends = [i + 1 for i, c in enumerate(body) if c == ord("\n") and body[i - 1:i] != b"e"]
    blind = {cut for end in ends for cut in range(body.rindex(b",", 0, end) + 1, end + 1)}
    for cut in range(len(OWN) + 1, len(body)):
        if cut in blind:
            continue
        spider, _ = read(body[:cut])
        assert spider.incomplete_reasons, body[:cut]


def test_a_file_without_a_final_newline_is_complete():
    spider, items = read(ten_products().rstrip("\n"))
    assert len(items) == 10 and spider.incomplete_reasons == []


def test_a_short_row_inside_the_file_is_dropped_as_seen():
    spider, items = read(OWN + "A,S1\nB,S2,ok,1.00,USD,https://x.example/2\n")
    assert [i["sku"] for i in items] == ["S2"] and spider.incomplete_reasons == []
    assert stat(spider, "ornaments/dropped/malformed_row") == 1 and spider.seen_but_dropped == ["S1"]


def test_a_huge_field_is_capped_and_the_log_stays_bounded(caplog):
    flood = "\n".join("x" * 50 for _ in range(20_000))  # 1 MB over 20,000 lines
    body = OWN + f'Big,S1,"{flood}",1.00,USD,\nOk,S2,fine,2.00,USD,\n'
    spider, items = read(body, {"ORNAMENTS_CSV_MAX_FIELD": 10_000}, currency="USD")
    assert spider.incomplete_reasons[0] == "field too large" and "too many malformed rows" in spider.incomplete_reasons
    assert stat(spider, "ornaments/dropped/field_too_large") == 1
    assert len(caplog.records) < 50


def test_a_huge_field_on_one_line_costs_only_its_record():
    body = OWN + f'Big,S1,{"x" * 20_000},1.00,USD,\nOk,S2,fine,2.00,USD,\n'
    spider, items = read(body, {"ORNAMENTS_CSV_MAX_FIELD": 10_000}, currency="USD")
    assert [i["sku"] for i in items] == ["S2"] and spider.incomplete_reasons == ["field too large"]


def test_too_many_malformed_rows_stop_the_reading(caplog):
    body = OWN + "short,row\n" * 20 + "Late,S9,ok,1.00,USD,\n"
    spider, items = read(body, {"ORNAMENTS_CSV_MAX_MALFORMED": 5})
    assert items == [] and spider.incomplete_reasons == ["too many malformed rows"]
    assert stat(spider, "ornaments/dropped/malformed_row") == 6 and "more than 5 malformed rows" in caplog.text


# --- end to end -----------------------------------------------------------------------------------

def test_a_truncated_csv_ends_incomplete_and_removes_nothing(crawl, database_url, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(ten_products(), encoding="utf-8")
    assert crawl("products_csv", "-a", f"feed={feed}").returncode == 0
    assert latest_run(database_url).status == "finished"
    body = feed.read_bytes()
    feed.write_bytes(body[:int(len(body) * 0.2)])
    result = crawl("products_csv", "-a", f"feed={feed}")
    run = latest_run(database_url)
    assert run.status == "incomplete" and run.items_removed == 0, result
    assert rows(database_url, sa.select(products.c.id).where(products.c.removed_at.is_not(None))) == []


def test_an_importer_layout_csv_syncs_finished(crawl, database_url, tmp_path):
    feed = tmp_path / "importer.csv"
    feed.write_text('name,sku,description\nBryce,s-1,"Two\nlines"\nAnn,s-2,one\nAnn again,s-2,dup\n',
                    encoding="utf-8")
    result = crawl("products_csv", "-a", f"feed={feed}")
    assert result.returncode == 0 and latest_run(database_url).status == "finished", result
    stored = rows(database_url, sa.select(products.c.vendor_product_id, products.c.price).order_by(products.c.id))
    assert stored == [("s-1", None), ("s-2", None)]
    assert "products importer" in result.log


def test_progress_of_a_csv_is_told_in_bytes_and_records(caplog):
    from ornaments.extensions.progress import FeedProgress, bytes_progress_line

    assert bytes_progress_line(10, 500_000, 1_000_000, 2.0) == (
        "Progress: 10 records, 0.5 of 1.0 MB (50%), 5 records/s, ETA 0:02")
    caplog.set_level(logging.INFO)
    spider, _ = read(ten_products())
    spider.records_read, spider.feed_done = 7, False  # as if still reading
    extension = FeedProgress(spider.crawler, 10.0)
    extension.log_progress(spider)
    assert "7 records, 0.0 of 0.0 MB (100%)" in caplog.text and "of 10 records" not in caplog.text


def test_a_zero_price_in_a_shopify_export_is_a_price_and_counted():
    body = ("Handle,Title,Variant SKU,Variant Price,Variant Compare At Price,Image Src\n"
            "sample,Free Sample,FS-1,0.00,220.00,https://x.example/f.jpg\n"
            "tag,Gift Tag,GT-1,0,0.00,\n"
            "bell,Bell,B-1,7.50,,\n")
    spider, items = read(body, currency="USD")
    assert [(i["vendor_product_id"], i["price"], i["regular_price"]) for i in items] == [
        ("FS-1", Decimal("0.00"), Decimal("220.00")), ("GT-1", Decimal("0.00"), Decimal("0.00")),
        ("B-1", Decimal("7.50"), Decimal("7.50"))]
    assert stat(spider, "ornaments/warnings/zero_price") == 2


def test_a_tab_separated_merchant_export_from_shopify_is_read_with_its_continuation_rows():
    # Google's own Merchant format is tab-separated; continuation rows made differently: additional_image_link
    # alone (two links), then image_link with condition and item_group_id still filled in.
    columns = ("id title description product_type link image_link additional_image_link condition availability "
               "price sale_price brand mpn item_group_id").split()
    rows_ = [
        ["shopify_CA_1_11", "Angel", "Gold angel", "Ornament", "https://s.example/p/angel?variant=11",
         "https://cdn.example/a1.jpg", "", "new", "in stock", "19.99 CAD", "", "Acme", "A1", "shopify_CA_1"],
        ["shopify_CA_1_11", "", "", "", "", "", "https://cdn.example/a2.jpg,https://cdn.example/a3.jpg",
         "", "", "", "", "", "", ""],
        ["shopify_CA_1_11", "", "", "", "", "https://cdn.example/a4.jpg", "", "new", "", "", "", "", "",
         "shopify_CA_1"],
        ["shopify_CA_2_21", "Bell", "Ring; silver", "Ornament", "https://s.example/p/bell",
         "https://cdn.example/b1.jpg", "", "new", "out of stock", "0.00 CAD", "", "Acme", "", ""],
        ["shopify_CA_2_21", "", "", "", "", "https://cdn.example/b2.jpg", "", "", "", "", "", "", "", ""],
    ]
    body = "\r\n".join("\t".join(r) for r in [columns, *rows_]) + "\r\n"
    spider, items = read(body)
    assert stat(spider, "ornaments/feed/layout") == "google merchant csv"
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"]) for i in items] == [
        ("shopify_CA_1_11", "Angel", Decimal("19.99"), "CAD"), ("shopify_CA_2_21", "Bell", Decimal("0.00"), "CAD")]
    assert items[0]["image_urls"] == [f"https://cdn.example/a{n}.jpg" for n in (1, 2, 3, 4)]
    assert items[1]["image_urls"] == ["https://cdn.example/b1.jpg", "https://cdn.example/b2.jpg"]
    assert stat(spider, "ornaments/feed/continuation_rows") == 3
    assert not spider.problems and not spider.incomplete_reasons


@pytest.mark.parametrize("line, delimiter", [
    ("id,title,price", ","), ("id\ttitle\tprice", "\t"), ("id;title;price", ";"),
    ('"a,b"\tc\td', "\t"), ("name", ","), ('"x;y",z', ","),
])
def test_the_delimiter_is_the_one_that_splits_the_header(line, delimiter):
    from ornaments.base_spiders.csv_feed import header_delimiter
    assert header_delimiter(line + "\n") == delimiter


def test_a_merchant_csv_whose_header_keeps_googles_g_prefix_is_the_merchant_layout():
    body = ("g:id,g:title,g:description,g:link,g:image_link,g:additional_image_link,g:price,g:sale_price,"
            "g:availability\n"
            "7,Angel,Gold,https://s.example/7,https://c.example/7.jpg,,9.99 USD,,in stock\n"
            "7,,,,,https://c.example/7-b.jpg,,,\n")
    spider, items = read(body)
    assert stat(spider, "ornaments/feed/layout") == "google merchant csv"
    assert [(i["vendor_product_id"], i["name"], i["price"], i["currency"], i["image_urls"]) for i in items] == [
        ("7", "Angel", Decimal("9.99"), "USD", ["https://c.example/7.jpg", "https://c.example/7-b.jpg"])]
    # -a columns names such a header either way.
    spider, items = read("g:id,g:title\n8,Bell\n", columns="vendor_product_id:g:id,name:title")
    assert [(i["vendor_product_id"], i["name"]) for i in items] == [("8", "Bell")]


def test_a_barcode_written_as_a_float_with_every_digit_is_the_gtin_and_mpn_placeholders_are_no_sku():
    shopify = SHOPIFY.replace("3.65275E+11", "7.63795899302E+11")  # the export saved by a spreadsheet
    _, items = read(shopify, currency="USD")
    assert items[0]["gtin"] == "763795899302"
    merchant = ("id,title,link,price,mpn,gtin\n"
                "gm-1,Santa's Sweet Ride QX7654,https://x.example/1,20.00 USD,Does not apply,\n"
                "gm-2,Nutcracker Sweets,https://x.example/2,15.00 USD,QX9313,49631791505\n")
    _, items = read(merchant)
    assert [(i["sku"], i["gtin"]) for i in items] == [("gm-1", None), ("QX9313", "049631791505")]
