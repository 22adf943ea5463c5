"""The catalogue's matching ladder (issue 23) on a multi-shop catalogue whose truth is known
(tests/catalogue_truth.py), on SQLite and on the real PostgreSQL: precision and recall of the
automatic links, the review queue; and the ladder's rules one by one."""

from __future__ import annotations

import pytest

import sqlalchemy as sa

from ornaments.catalogue import barcodes, ladder, names, numbers
from ornaments.storage.rows import product_row
from ornaments.storage.schema import catalog_items, item_listings, match_proposals, products
from tests import catalogue_truth_unseen as unseen
from tests import catalogue_truth_unseen2 as unseen2
from tests import catalogue_truth_unseen3 as unseen3
from tests import catalogue_truth_unseen4 as unseen4
from tests import catalogue_truth_unseen5 as unseen5
from tests import catalogue_truth_unseen6 as unseen6
from tests import catalogue_truth_unseen7 as unseen7
from tests import catalogue_truth_unseen8 as unseen8
from tests import catalogue_truth_unseen9 as unseen9
from tests import catalogue_truth_unseen10 as unseen10
from tests import catalogue_truth_unseen11 as unseen11
from tests import catalogue_truth_unseen12 as unseen12
from tests import catalogue_truth_unseen13 as unseen13
from tests import catalogue_truth_unseen14 as unseen14
from tests.catalogue_truth import keyed_listings, listings, measure
from tests.test_storage import table


def write(store, rows, batch=200):
    by_vendor: dict[str, list] = {}
    for r in rows:
        by_vendor.setdefault(r["vendor"], []).append(product_row({k: v for k, v in r.items() if k != "truth"}))
    for vendor, vendor_rows in sorted(by_vendor.items()):
        for start in range(0, len(vendor_rows), batch):
            store.write_batch(None, 0, vendor_rows[start:start + batch])


def links(store) -> dict[tuple[str, str], int]:
    query = sa.select(products.c.vendor, products.c.vendor_product_id, item_listings.c.item_id).join(
        item_listings, item_listings.c.product_id == products.c.id)
    return {(r.vendor, r.vendor_product_id): r.item_id for r in table(store, query)}


def proposals(store) -> set:
    query = sa.select(products.c.vendor, products.c.vendor_product_id, match_proposals.c.item_id).join(
        products, products.c.id == match_proposals.c.product_id).where(match_proposals.c.state == "open")
    return {((r.vendor, r.vendor_product_id), r.item_id) for r in table(store, query)}


def measured(store, rows: list[dict], keyed: set, label: str, capsys) -> dict:
    """Write a truth-known catalogue and measure its automatic links (tests/catalogue_truth.measure)."""
    write(store, rows)
    item_of = links(store)
    truth_of = {(r["vendor"], r["vendor_product_id"]): r["truth"] for r in rows}
    assert set(item_of) == set(truth_of)  # every listing has an item
    found = measure(truth_of, item_of, proposals(store), keyed)
    with capsys.disabled():
        print(f"\n{label} ({store.engine.dialect.name}):",
              {k: (round(v, 4) if isinstance(v, float) else v) for k, v in found.items()})
    return found


@pytest.mark.three_databases
def test_the_truth_known_catalogue_is_linked_precisely_and_nearly_completely(matching_store, capsys):
    rows = listings()
    found = measured(matching_store, rows, keyed_listings(rows), "catalogue truth", capsys)
    assert found["precision"] >= 0.99, found["wrong_pairs"]
    # 3% of the listings carry neither number nor GTIN: only the review queue can place those.
    assert found["recall_keyed"] >= 0.95
    assert found["recall"] >= 0.90
    assert found["recall_with_queue"] >= found["recall"]
    # The traps stayed apart: Magic, repaint, next year's and the 1989 number are items of their own.
    assert found["items"] >= found["products"] * 0.97


# The catalogues designed apart from the matcher, and the keyed recall each one's other draws reach.
# tests/catalogue_truth_unseen.py: real shops' ways of writing numbers and barcodes (URL slugs, image
# names, labelled descriptions, UPCs in skus) and their traps (other ornaments' numbers in a description,
# bundles, a reused number, Magic versions, repaints).
# tests/catalogue_truth_unseen2.py: marketplace titles and item specifics, an Amazon-like feed (ASIN sku,
# UPC or EAN-13 in the gtin field), Hallmark's price-and-number codes, HTML descriptions, a licensor as
# brand, wholesale sheets ("HMKQX9201", case GTIN-14s), second-hand listings; its traps: lots naming one
# part's number, cross-sells, car names with a model year, a reused number. What its other draws miss is
# structural: one shop shows only the GTIN, another only the number, and no listing of that product
# carries both (keyed recall 0.94-0.97).
# tests/catalogue_truth_unseen3.py: German, French and Dutch shops' labels ("Art.-Nr.", "Herstellernummer",
# "Référence\u00a0:", "Fabrikantcode") and EAN-13s, Etsy-style vintage titles ("qx 531-6", "QX531.6"), Shopify
# box / no-box variants, a feed whose mpn is the sku, other makers' numeric or lettered item numbers; its
# traps: empty boxes, a display sign, a card and Dream Books naming ornaments' numbers, cross-sells in three
# languages, a number Hallmark used in 1994 and 2014. Its keyed recall was 0.50 before the fixes it
# prompted, 0.76 after the first ones; the rest of its misses (0.95 on its own draw, 0.94-0.99 on the others) are
# structural: a product whose GTIN-only and number-only listings have no listing with both, a European
# importer's EAN beside the US UPC. Reading a gift's year cut short ("Perfect 2025 Christmas Gi"), a shop's
# letters before a numeric maker number ("HAL-1020229") and in-store barcodes (EAN 20-29) took it to 0.97.
# tests/catalogue_truth_unseen4.py: a Japanese reseller (full-width "ＱＸ９２０１", "品番：", "JANコード："), Spanish,
# Italian, Polish and Danish shops' labels ("Cód. fabricante:", "Cod. produttore:", "Nr katalogowy:", "Producentens
# varenr.:") beside the shop's own numbers, a bilingual Canadian Squarespace shop (the number in the slug or the
# image's file name), a WooCommerce shop (HTML entities in names, the number in an attribute line, "QX_9201",
# "QX/9201", "Q X 9201", en-dash, NBSP and zero-width space inside it), a Mercari-like seller ("QX92O1", "#QX9201",
# "'98"), a Walmart-like feed (seller skus "TPQX9201", "HMK-QX9201-NEW", "QX9201_NEW_US", "ORN-0763795…"); its
# traps: cross-sells in those languages, a custom painted copy naming the piece's number, lots, choices, an empty
# box, a card. Measured when it was written (before any fix it prompted): keyed recall 0.65 on its own draw,
# 0.60-0.67 on the others; precision 0.95 and 0.90-0.92 (cross-sells in Spanish, Italian, Polish, Danish and
# Japanese, and the custom copy, were linked as the product they name). After (catalogue/labels.py): precision
# 1.000 on every draw, keyed recall 0.96 on its own, 0.92-0.96 on the others.
# tests/catalogue_truth_unseen5.py: an antiques mall (ALL-CAPS titles, "Item Number QX-497-5, Issued 1985", the box's
# price code "475QX497-5", Replacements' own "Item #" beside "Mfr. Item #:"), a UK shop ("Christmas bauble", "Product
# code:", barcodes printed in groups "0 763795 12345 6"), an Australian shop (skus of the maker's letters and the
# number's digits, "HMK-9201"), a department store's Google Shopping feed (title templates, mpn as the number or the
# price code "2499QX9201", gtin of 12, 13 or 14 digits), a price guide ("Item #:", "Related ornaments" with numbers), a
# local marketplace seller (lower case, typos, "qx 589 2", "2k19", "also have the 2021 one qx5678"), a Korean reseller
# ("모델명:", "품번:", "바코드:"), a Gold Crown store (HTML lists and a Details table, "Complete the set"), a gift
# marketplace whose brand is the licensor; Lenox, Waterford and Swarovski pieces with numeric item numbers. Measured
# when it was written (before any fix it prompted): keyed recall 0.91 on its own draw, 0.91-0.93 on the others;
# precision 0.93 on its own draw, 0.98-0.99 on the others (listings without their own number linked as the product a
# "You might also like" or "Related ornaments" line names, and an event exclusive whose only key is its GTIN linked as
# the plain piece its cross-sell names): below the 0.99 the tests ask. After (';' goes on a sentence's list, titles'
# dots, numbers before cross-sell words, "sold separately", Korean labels, makers of annual ornaments, Hallmark's
# price code as the shop's id): precision 1.000 on every draw, keyed recall 0.99 on its own, 0.95-0.97 on the others.
# tests/catalogue_truth_unseen6.py: a Russian shop ("Артикул:", "Код производителя:", "Штрихкод:", a Cyrillic "Х" typed
# inside "QХ1234"), a Brazilian ("Código do fabricante:", "Código de barras (EAN):"), a Chinese reseller ("型号：", "条形码：",
# "看了又看：" joined by "、", numbers in image file names), an Israeli shop (Hebrew labels, numbers wrapped in direction
# marks), a Czech shop ("Kód výrobce:", "EAN:", a choose-your-year listing), Amazon-like detail pages (an ASIN sku, "Item
# model number ‏ : ‎ QX1234", hallmark.com's "2499QXR9182", "Customers also bought"), eBay-like sold listings (item
# specifics in an HTML table, "Seller's other items"), a POS CSV export (the number in custom_label or variant_title,
# barcodes as "'763795..." or "7.63795E+11", Lladró's references without their leading 0), JSON-LD listings (mpn as sku,
# gtin12/13/14, "Style #"); Lladró, Royal Copenhagen, Jim Shore and Annalee pieces with numeric numbers; its traps: a
# stand and a power cord that fit a named Magic piece, hooks, empty boxes, a knock-off and a repro naming the piece they
# copy, lots, a kit, choose-your-year listings, cross-sells before and after the own number. Measured when it was
# written (before any fix it prompts): keyed recall 0.68 on its own draw, 0.58-0.70 on the others; precision 0.94 on
# its own draw, 0.86-0.91 on the others (accessories, boxes, hooks, a knock-off, a repro and listings without their
# own number linked as the piece they name; cross-sells taken for the listing's own number): below the 0.99 the
# tests ask. After (labels in five more languages, direction marks and Cyrillic look-alikes, cross-sell headings
# over lists, what an accessory fits, copies, placeholder and byline brands, names in other scripts): precision
# 1.000 on every draw, keyed recall 0.95 on its own, 0.90-0.95 on the others.
# tests/catalogue_truth_unseen7.py: Swedish ("Tillverkarens art.nr:", "Streckkod (EAN):", "Passar bra med"), Finnish (a numeric
# shop "Tuotenumero:", "Valmistajan koodi:", "EAN-koodi:", "Asiakkaat ostivat myös:" bullets), Turkish ("Ürün kodu:", "Üretici
# kodu:", "Barkod:", upper case with "İ", the brand only in the URL), Hungarian ("Cikkszám:", "Gyártói cikkszám:", "Vonalkód
# (EAN):" in a table, "Ajánlott termékek:" joined by "|") and Arabic shops (right to left, "رقم الموديل:", "الباركود:", numbers,
# barcodes, years and prices in Arabic-Indic digits, "QX٩٢٠١"), an Indian marketplace (a specifications block: "Model Number",
# "SKU ID", "Frequently Bought Together"), German classifieds ("Hallmark Weihnachtskugel 2019 OVP", "Nr. QX…" in free text,
# "Halmark", "habe auch noch …"), an auction house's lots ("Lot 123: …", "No. QX 9201/23", "QX9201A", "QX-9201-A", "Estimate"),
# a price aggregator ("Product identifiers" Brand / MPN / UPC / ePID, "Compare prices" offer lines with hallmark.com's
# "2499QX9201", "Similar products"); Wallace, Reed & Barton, Inge-Glas ("1-234-23"), Käthe Wohlfahrt, Carlton Cards
# ("CXOR-047B") and Danbury Mint pieces; its traps: series in consecutive years, Magic and plain, a miniature, a club
# repaint and an event exclusive, a set and shop bundles of three numbers, a number used in 1989 and 2019, a stand and a
# power cord naming what they fit, empty and replacement boxes, a generic "Compare to Hallmark QX…" and a "Nachbau",
# lots, choose-your-year listings, cross-sells before and after the own number. Measured when it was written (before any
# fix it prompts): keyed recall 0.75 on its own draw, 0.60-0.74 on the others; precision 0.94 on its own draw, 0.94-0.99
# on the others (cross-sells before the listing's own number in Swedish and German, "habe auch noch" / "Die 2021 Ausgabe
# (QX…) habe ich auch" in classifieds, a "Nachbau nach Hallmark QX…" linked as the piece it copies): below the 0.99 the
# tests ask. After (Nordic, Turkish, Hungarian and Arabic labels, other scripts' digits, a sentence pointing back at its
# only numbers, HTML lists kept whole, a label on the line before, a price comparison's own offers, URL dates):
# precision 1.000 on every draw, keyed recall 0.93 on its own, 0.89-0.95 on the others.
# tests/catalogue_truth_unseen8.py: US and UK English-language retail: a big-box store (SEO-stuffed titles, "TCIN", "UPC", the
# store's "Item Number (DPCI): 249-07-1234", "CR2032" batteries), a department store ("Web ID:", "Model no.", "Pairs perfectly
# with … (style QX…)"), a home-goods marketplace ("SKU: HMK10042" beside "Part Number" / "Manufacturer Part Number" in a table),
# home-shopping TV ("Item No. H123456", "What's in the box", "1-800-345-1515"), a Christmas superstore (its own seven-digit
# "Item #" beside "Hallmark # QX…" or Department 56's and Radko's seven-digit numbers, "Complete your collection" with the
# series' other years), a craft chain ("SKU: 107…", "Details:" bullets, "UPC:", coupon codes), a flash-sale site ("Hallmark |
# …", "Compare at", "Model …", "Set of 2"), resale ("NWT", "Box says qx 4748", "also have the 2022 one"), a UK shop ("Product
# code:", "Manufacturer's ref:", EANs in groups, "You may also like" with codes), a Gold Crown store (hallmark.com's
# "1799QXI7288" in the URL, image, sku or a "Product ID"), a club newsletter ("Last month's pick, … (QX…)"); Department 56,
# Christopher Radko, Kurt Adler, Old World Christmas and Lenox pieces. Measured when it was written (before any fix it
# prompts): keyed recall 0.92 on its own draw, 0.81-0.95 on the others; precision 0.96 on its own draw, 0.94-0.99 on the
# others (the UK shop's "You may also like … code QX…" after a listing without its own number, or with only its EAN, linked
# as the piece it names, and a newsletter's "Last month's pick, … (QX…)" before a piece without its number): below the 0.99
# the tests ask. Its misses: the superstore's own seven-digit "Item #" beside the maker's number, "Box says qx 4748",
# a bare seven-digit Department 56 number, "Model 1014338", and many a product whose UPC-only and number-only listings
# have no listing with both.
# After (a cross-sell heading's list over paragraphs, "last month's", initials' dots, a maker's name as a label,
# years before 1973): precision 1.000 on every draw, keyed recall 0.95 on its own, 0.85-0.99 on the others.
# tests/catalogue_truth_unseen9.py: a Shopify store ("… - Default Title / QX9201" variant titles, its own "SG-1042" skus, the
# variant's barcode, "You may also like" with variant titles), a Facebook shop catalogue feed (id, title, brand, gtin, an mpn
# that is now and then the shop's own id, "Also available: … (QX…)"), a pin aggregator (hashtags, emoji, "box says qx 2966",
# the number in an image file name, "More ideas like this: … QX…" before), a Swiss German shop ("Artikel-Nr.:",
# "Hersteller-Artikelnummer:", "EAN:", "Passend dazu: … (Hersteller-Nr. QX…)" before or after, PLZ and phone), a Belgian
# bilingual shop ("Réf. fabricant / Fabrikantref.:", "Code-barres / Streepjescode:", "Vous aimerez aussi / Misschien ook
# leuk:", a VAT number), an Irish shop ("Product Code: IE-0412", "Manufacturer Code:", "Barcode:", Eircode, "+353", "Customers
# also bought"), a Mexican shop ("Modelo:", "Código de barras:", "SKU: NAV-…", "También te puede interesar: …, modelo QX…",
# MXN, an empty box, a "Réplica … inspirada en el modelo Hallmark QX…"), a US estate sale's lots in prose; Department 56,
# Kurt Adler, Old World Christmas and Inge-Glas ("1-234-23") pieces. Measured when it was written (before any fix it
# prompts): keyed recall 0.84 on its own draw, 0.81-0.86 on the others; precision 0.989 on its own draw, 0.986-0.994 on the
# others (a Mexican "Réplica estilo Hallmark …: Réplica inspirada en el modelo Hallmark QX…" and a "(inspired by Hallmark
# QX…)" copy linked as the piece it copies): below the 0.99 the tests ask. Its misses: other makers' numbers (Kurt Adler
# "J8815", Department 56's seven digits, Old World's five, Inge-Glas "1-879-38") in the Belgian, pin and Mexican listings,
# and many a product whose barcode-only and number-only listings have no listing with both.
# After (Spanish copies: "Réplica inspirada en …", "No es original"): precision 1.000 on every draw, keyed
# recall 0.835 on its own, 0.81-0.86 on the others; what it splits is other makers' numbers and barcode-only
# against number-only listings.
# tests/catalogue_truth_unseen10.py: affiliate network feeds (Awin, CJ, Impact, ShareASale, Rakuten) whose own ids look like
# makers' numbers ("QK4821", "1012345"), an Excel-damaged export ("4051270.0", "4,022,590", 11-digit UPCs, "7.63795E+11",
# "#N/A"), German and French network feeds, a price comparison quoting offers' titles. Measured when it was written:
# precision 0.951 on its own draw, 0.938-0.958 on the others (French "Vous aimerez aussi : A (réf. …), B (réf. …)" lists,
# a German ordinal "27. Teil der Serie" ending the cross-sell's sentence, a French copy, a German empty box); keyed recall
# 0.891 (0.831-0.870).
# tests/catalogue_truth_unseen11.py: collectors' resale (price codes, OCR'd box text, "Item #4548181" shop ids), Norwegian,
# Portuguese, Greek, Romanian, Vietnamese, Thai and Indonesian shops with their labels and cross-sells, numbers glued to
# words in keyword titles, a resale app, a club swap list (HAVE / WANT). Measured when it was written: precision 0.927
# (0.876-0.941), keyed recall 0.543 (0.458-0.548).
# After their reading (docs/catalogue.md): precision 1.000 on every draw of both; keyed recall 0.948 (0.892-0.943) and
# 0.929 (0.876-0.959). What they split is mostly barcode-only against number-only listings, keyword lists naming the
# listing's own number among others', and a shop's "Ref.ª" holding its own id beside a barcode.
# tests/catalogue_truth_unseen12.py: an Amazon seller flat file (its own "QS4821" skus), an eBay File Exchange export, a
# Shopware export (spec table, "Zubehör" block, "Lieferantennummer"), microdata/OpenGraph with related products' JSON-LD,
# Ukrainian, Slovak, Croatian, Baltic and Filipino (Taglish) shops. Measured when it was written: precision 0.964
# (0.955-0.973), keyed recall 0.726 (0.629-0.743); after its reading: 1.000 on every draw, 0.946 (0.948-0.976).
# tests/catalogue_truth_unseen13.py: Walmart Marketplace variant groups and bought barcodes, Faire case packs (GTIN-14s,
# "NP-6094792-6" skus), a liquidator's CSV ("Same load:"), Mercari and TikTok Shop resale (zero-width characters, bold
# letters, JSON descriptions), Korean, Czech, Danish, Canadian bilingual, UAE Arabic (Arabic-Indic digits) and Indian
# ("Model Number | …") shops. Measured when it was written: precision 0.962 (0.953-0.968), keyed recall 0.938
# (0.883-0.916); after its reading: 1.000 on every draw, 0.984 (0.965-0.985).
# tests/catalogue_truth_unseen14.py: English-language Hallmark Keepsake specialists and feeds (a Gold Crown store, a
# collectors' shop, a Google Merchant feed, a WooCommerce export of series variations, UK, Australian and Canadian
# stockists, a price guide, a marketplace seller's cut titles). Measured when it was written: precision 0.914
# (0.915-0.966), keyed recall 0.867 (0.830-0.941); after its reading: 1.000 on every draw, 0.895 (0.884-0.951). What
# it splits is barcode-only against number-only listings of one product, with no listing that shows both.
# label: (module, keyed recall of its own draw, of its other draws)
APART = {"unseen catalogue": (unseen, 0.95, 0.95), "third catalogue": (unseen2, 0.95, 0.93),
         "fourth catalogue": (unseen3, 0.96, 0.95), "fifth catalogue": (unseen4, 0.95, 0.91),
         "sixth catalogue": (unseen5, 0.98, 0.94), "seventh catalogue": (unseen6, 0.97, 0.90),
         "eighth catalogue": (unseen7, 0.92, 0.88), "ninth catalogue": (unseen8, 0.93, 0.84),
         "tenth catalogue": (unseen9, 0.95, 0.91), "eleventh catalogue": (unseen10, 0.94, 0.88),
         "twelfth catalogue": (unseen11, 0.92, 0.87), "thirteenth catalogue": (unseen12, 0.94, 0.93),
         "fourteenth catalogue": (unseen13, 0.97, 0.95), "fifteenth catalogue": (unseen14, 0.88, 0.87)}


@pytest.mark.three_databases
@pytest.mark.parametrize("label", sorted(APART))
def test_a_catalogue_designed_apart_from_the_matcher_is_linked_as_well(matching_store, label, capsys):
    """Recall is over the listings the generator says show their number or barcode somewhere, not over
    what the matcher happens to read."""
    module, keyed_recall, _ = APART[label]
    rows = module.listings()
    found = measured(matching_store, rows, module.shown(rows), label, capsys)
    assert found["precision"] >= 0.99, found["wrong_pairs"]
    assert found["recall_keyed"] >= keyed_recall
    assert found["recall_with_queue"] >= found["recall"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("label", sorted(APART))
def test_the_other_draws_of_those_catalogues_are_linked_as_well(sqlite_url, label, seed, capsys):
    """The same shops with other random draws (which shop carries what, which spelling, which trap):
    the figures are not those of one lucky draw."""
    from ornaments.storage.sync import CatalogStore
    from tests.fixtures.catalog_store import FAST_RETRY
    module, _, keyed_recall = APART[label]
    store = CatalogStore(sqlite_url, retry=FAST_RETRY, match_catalogue=True)
    store.create_tables()
    try:
        rows = module.listings(seed=seed)
        found = measured(store, rows, module.shown(rows), f"{label}, seed {seed}", capsys)
    finally:
        store.close()
    assert found["precision"] >= 0.99, found["wrong_pairs"]
    assert found["recall_keyed"] >= keyed_recall


@pytest.mark.three_databases
def test_a_resync_that_changes_nothing_does_no_matching_work(matching_store):
    rows = listings(count=30)
    write(matching_store, rows)
    statements: list[str] = []
    sa.event.listen(matching_store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *args: statements.append(statement))
    write(matching_store, rows)
    assert statements and not [s for s in statements if "catalog_items" in s or "item_listings" in s]
    changed = [dict(r, price=r["price"] + 1) if r["vendor"] == "hookedonhallmark" else r for r in rows]
    statements.clear()
    write(matching_store, changed)  # a price change: no re-matching, the items' state is read again
    touched = [s for s in statements if "item_keys" in s]
    assert not touched and [s for s in statements if "catalog_items" in s]


def test_hallmark_numbers_are_one_however_written():
    for spelling in ("QX 9201", "qx9201", "1QX9201", "QX9201-1", "1495QX9201", "HOH-QX9201"):
        assert numbers.hallmark_numbers(spelling) == ["QX9201"], spelling
    assert numbers.hallmark_numbers("QX 507-4") == ["QX5074"]  # the old style: the digit belongs to it
    assert numbers.hallmark_numbers("QXI7288 QXD4116 QXE1234 QXR9042 QXM5555") == \
        ["QXI7288", "QXD4116", "QXE1234", "QXR9042", "QXM5555"]
    assert numbers.hallmark_numbers("shop id 492011") == []
    assert numbers.labelled_numbers("Department 56 Village, Item #: 4036533") == ["4036533"]


def test_gtins_are_checked():
    assert barcodes.gtin("036000291452") == "00036000291452"  # UPC-A
    assert barcodes.gtin("4006381333931") == "04006381333931"  # EAN-13
    assert barcodes.gtin("4006381333932") is None  # wrong check digit
    assert barcodes.gtin("000000000000") is None and barcodes.gtin("12345") is None


def test_the_match_key_is_the_digest_of_what_rungs_one_and_two_read():
    """The direct spelling of the key's text is json.dumps' own: links stored before it still match."""
    import hashlib
    import json
    for found in (ladder.Facts("hallmark", ("QX9201",), ("00012345678905",), 2021, "Frosty"),
                  ladder.Facts("hallmark", (), (), None, ""), ladder.Facts("", ("QX1",), ("1", "2"), 1999, ""),
                  ladder.Facts("kurtadler", ("A100", "B200"), (), 2020, ""), ladder.Facts("h\u00e4ll \"x\"", (), (), 3, "")):
        raw = json.dumps([found.brand, found.numbers, found.gtins, found.year])
        assert found.match_key() == hashlib.md5(raw.encode()).hexdigest()
    assert ladder.Facts("hallmark", ("QX1",), (), 2020, "").match_key() != ladder.Facts("hallmark", ("QX1",), (), 2021, "").match_key()


def test_words_that_make_another_product_must_agree():
    assert names.disagreement("Frosty Friends Magic", "Frosty Friends") == "differ in magic"
    assert names.disagreement("Barbie Repaint", "Barbie") is not None
    assert names.disagreement("Set of 3 Snowmen", "Snowmen") is not None
    assert names.disagreement("Snowman with stand", "Snowman") is not None
    assert names.disagreement("Frosty Friends 42nd in Series", "Frosty Friends #41") == "series numbers 42 and 41"
    assert names.disagreement("Frosty Friends 42nd in Series", "2021 Frosty Friends #42 Ornament") is None


def test_rung_three_proposes_but_rungs_one_and_two_decide():
    plain = ladder.facts({"name": "Frosty Friends 42nd in Series Ornament", "release_year": 2021, "brand": "Hallmark"})
    item = ladder.Candidate(1, "hallmark", "QX7654", 2021, "Hallmark Frosty Friends #42")
    assert ladder.name_proposal(plain, item) is not None
    assert ladder.number_link(plain, [item]) is None  # no number: never linked by name
    other_year = ladder.Candidate(2, "hallmark", "QX7654", 2020, "Frosty Friends #42")
    numbered = ladder.facts({"name": "Frosty Friends", "sku": "QX 7654", "release_year": 2021})
    assert ladder.number_link(numbered, [other_year]) is None
    assert ladder.number_link(numbered, [other_year, item]) == item
    bundle = ladder.facts({"name": "Set of 3: QX1234, QX5678, QX9012", "release_year": 2021})
    assert bundle.number is None


def test_large_groups_compare_a_name_only_with_items_sharing_its_rare_words():
    """Past BLOCKING_FROM items of one brand and year, rung 3 looks only at items sharing one of the
    name's rarest words: a near-twin is still found, a name of words every item has finds nothing."""
    from ornaments.storage.catalogue import BLOCKING_FROM, MAX_SHARING, NameBlocks

    choices = {i: f"christmas bauble {i:05d} snowman" for i in range(BLOCKING_FROM + 100)}
    choices[7777] = "frosty friends polar bear igloo"
    blocks = NameBlocks(choices)
    near = blocks.around("frosty friend polar bear igloo")  # "friend": a typo; the other rare words carry it
    assert 7777 in near and len(near) <= 2 * MAX_SHARING
    assert blocks.around("christmas bauble snowman") == {}  # every item has these words
    assert blocks.around("") == {}
    assert set(blocks.around("christmas bauble 00042 snowman")) == {42}
