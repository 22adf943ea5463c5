"""The affiliate networks' own feed formats, end to end: 16 Hallmark ornaments sold through an Awin
download, a CJ product-search answer, a Rakuten pipe catalogue, Impact's Catalog Items API (a replica on
127.0.0.1), a Google Merchant feed and a Shopify CSV export, each in 2-4 of them, crawled by the real
spiders into one SQLite database with the catalogue on. Each ornament must become one item holding a
listing from every feed that sells it, and no two ornaments may share one.

The feeds (tests/fixtures/networks_catalogue/) put the barcode and the manufacturer number where each
network puts them: Awin `ean` / `product_GTIN` / `upc`, `mpn` / `model_number`, `brand_name`; CJ `upc`,
`manufacturer-sku`, `manufacturer-name`; Rakuten's pipe fields SKU (the shop's), MPN, manufacturer, UPC;
Impact `Gtin` (a GTIN-14), `Mpn`, `Manufacturer`, `Asin`; Merchant `g:gtin`, `g:mpn`, `g:brand`; Shopify
`Variant SKU` / `Variant Barcode`. Their quirks: an EAN-13 with a leading 0 for a UPC, a UPC whose
leading 0 was dropped (11 digits), barcodes a spreadsheet wrote as floats (`7.63795899302E+11`), "Does
not apply" in mpn, a licensor (`Disney`) or a one-letter filler (`t`) as brand, numbers only in the title,
a description label or a URL slug. Traps: Frosty Friends in 2022 and 2023 (QX8993, QX8992), the Magic
(light and sound) Grogu and Snoopy versions with numbers of their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from ornaments.storage.schema import catalog_items, item_keys, item_listings, match_proposals, products
from tests.catalogue_truth import measure
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.helpers import rows

FEEDS = Path(__file__).parent / "fixtures" / "networks_catalogue"
SID, TOKEN = "IRnetworksSID", "networks-token"

# The ornaments: truth key -> Hallmark's number.
NUMBERS = {
    "ff23": "QX8992", "ff22": "QX8993", "grogu23": "QXI7385", "grogu23m": "QXI7392", "barbie22": "QXI7543",
    "mickey23": "QXD7116", "snoopy21": "QXI7075", "snoopy21m": "QXI7082", "grinch23": "QXI7369",
    "hp23": "QXI7468", "mustang21": "QX7162", "santa21": "QX7654", "nut22": "QX9313", "cafe22": "QX9015",
    "pooh22": "QXD6349", "baby23": "QX9142",
}
# Each feed's listings: vendor -> {vendor_product_id: ornament}.
TRUTH: dict[str, dict[str, str]] = {
    "awin_41234": {"OO-1001": "ff23", "OO-1002": "grogu23", "OO-1003": "barbie22", "OO-1004": "snoopy21",
                   "OO-1005": "grinch23", "OO-1006": "santa21", "OO-1007": "cafe22", "OO-1008": "pooh22",
                   "OO-1009": "baby23"},
    "cj_5551234": {"KK-23-044": "ff23", "KK-22-043": "ff22", "KK-23-GRM": "grogu23m", "KK-23-MFL": "mickey23",
                   "KK-21-SWM": "snoopy21m", "KK-23-HPX": "hp23", "KK-22-NUT": "nut22", "KK-22-POO": "pooh22"},
    "rakuten_44556": {"7001": "ff22", "7002": "grogu23", "7003": "barbie22", "7004": "mickey23", "7005": "mustang21",
                      "7006": "santa21", "7007": "nut22", "7008": "baby23"},
    "impact_9767": {"88001": "grogu23", "88002": "grogu23m", "88003": "snoopy21", "88004": "hp23",
                    "88005": "mustang21", "88006": "cafe22", "88007": "pooh22"},
    "google_merchant": {"gm-501": "ff23", "gm-502": "grogu23", "gm-503": "barbie22", "gm-504": "snoopy21m",
                        "gm-505": "grinch23", "gm-506": "hp23", "gm-507": "santa21", "gm-508": "nut22",
                        "gm-509": "baby23", "gm-510": "mustang21"},
    "shopify_shop": {"QX8993": "ff22", "HK-MICKEY-23": "mickey23", "grinch-2023": "grinch23", "QX9015": "cafe22",
                     "SW-GROGU-MAGIC": "grogu23m", "QXI7075": "snoopy21"},
}


def crawl_every_feed(url: str, impact_api) -> None:
    """The six feeds through the real spiders, one after another, into one database."""
    items = json.loads((FEEDS / "impact-items.json").read_text())
    impact_api.route("GET", f"/Mediapartners/{SID}/Catalogs/9767/Items",
                     lambda call: (200, {"@page": "1", "@numpages": "1", "Items": items}))
    env = scrapy_env(DATABASE_URL=url, ORNAMENTS_STORAGE_PROCESS="0",
                     ORNAMENTS_IMPACT_ACCOUNT_SID=SID, ORNAMENTS_IMPACT_AUTH_TOKEN=TOKEN)
    crawls = {
        "awin": ("-a", f"feed={(FEEDS / 'awin.csv').as_uri()}"),
        "cj": ("-a", "advertiser=5551234", "-a", f"feed={(FEEDS / 'cj.xml').as_uri()}"),
        "rakuten": ("-a", "merchant=44556", "-a", f"feed={(FEEDS / 'rakuten.txt').as_uri()}"),
        "impact": ("-a", "catalog=9767", "-a", f"base_url={impact_api.url}"),
        "google_merchant": ("-a", f"feed={(FEEDS / 'google_merchant.xml').as_uri()}"),
        "products_csv": ("-a", "vendor=shopify_shop", "-a", "currency=USD",
                         "-a", f"feed={(FEEDS / 'shopify-products.csv').as_uri()}"),
    }
    for spider, args in crawls.items():
        result = run_scrapy("crawl", spider, *args, env=env)
        assert result.returncode == 0, (spider, result)


def stored_links(url: str) -> dict[tuple[str, str], int]:
    query = sa.select(products.c.vendor, products.c.vendor_product_id, item_listings.c.item_id).join(
        item_listings, item_listings.c.product_id == products.c.id)
    return {(r.vendor, r.vendor_product_id): r.item_id for r in rows(url, query)}


def test_each_ornament_is_one_item_across_the_networks_feeds(sqlite_url, json_api, capsys):
    crawl_every_feed(sqlite_url, json_api())
    item_of = stored_links(sqlite_url)
    truth_of = {(vendor, key): ornament for vendor, listings in TRUTH.items() for key, ornament in listings.items()}
    assert set(item_of) == set(truth_of)  # every listing stored, each with an item
    proposed = {((r.vendor, r.vendor_product_id), r.item_id) for r in rows(sqlite_url, sa.select(
        products.c.vendor, products.c.vendor_product_id, match_proposals.c.item_id).join(
        products, products.c.id == match_proposals.c.product_id))}
    # Every listing shows its number or barcode somewhere its network puts one: all are keyed.
    found = measure(truth_of, item_of, proposed, keyed=set(truth_of))
    with capsys.disabled():
        print("\nnetwork feeds:", {k: (round(v, 4) if isinstance(v, float) else v) for k, v in found.items()})
    items_of_ornament: dict[str, set[int]] = {}
    for key, ornament in truth_of.items():
        items_of_ornament.setdefault(ornament, set()).add(item_of[key])
    split = {o: len(items) for o, items in items_of_ornament.items() if len(items) > 1}
    assert not split, split  # each ornament one item, holding every feed's listing of it
    assert found["precision"] == 1.0, found["wrong_pairs"]  # no two ornaments share an item
    # Each item is found by its ornament's number, and shows it (an item made from a GTIN-only listing
    # takes the number of the listing linked to it since).
    by_number = dict(rows(sqlite_url, sa.select(item_keys.c.key, item_keys.c.item_id).where(item_keys.c.kind == "number")))
    item_numbers = dict(rows(sqlite_url, sa.select(catalog_items.c.id, catalog_items.c.item_number)))
    the_item = {o: items.pop() for o, items in items_of_ornament.items()}
    assert {o: by_number.get(f"hallmark:{NUMBERS[o]}") for o in the_item} == the_item
    assert {o: item_numbers[i] for o, i in the_item.items()} == {o: NUMBERS[o] for o in the_item}
