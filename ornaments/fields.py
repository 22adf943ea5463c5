"""The product's fields, defined once. The item, the products table (and schema.sql), the tracked fields
(whose change is a change of the product), the feed export columns, the API's product model, the
validation's length limits, the run's field coverage, the change events' snapshot and the field reference
(docs/reference/fields.md) all derive from FIELDS. Runs without Scrapy or pydantic (the storage worker
imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# What each kind of column holds in an item (the API writes money as a decimal string, "1299.95").
PYTHON_TYPES: dict[str, type] = {
    "text": str, "name": str, "key": str, "int": int, "money": Decimal, "currency": str,
    "availability": str, "json": list,  # json: a list of strings, stored as JSON text
}


@dataclass(frozen=True)
class ProductField:
    name: str
    column: str  # SQL type of the products column: text, name, id, key, int, money, currency, availability, json
    doc: str = ""  # what the field means, for users: the API's field description and the field reference
    required: bool = False  # a record without it is dropped (missing_<name>)
    tracked: bool = True  # a change of it is a change of the product (changed_at moves, digest differs)
    exported: bool = True  # a column of the CSV/JSON export
    max_length: int | None = None  # longer values are dropped by validation (<name>_too_long)
    snapshot: bool = False  # in the product snapshot of a created or returned change event
    coverage: str | None = None  # its name in the run's field coverage (ORNAMENTS_COVERAGE_MIN), if counted

    @property
    def python_type(self) -> type:
        return PYTHON_TYPES[self.column]

    @property
    def nullable(self) -> bool:
        """Whether a stored product may lack it (availability is "unknown" rather than empty)."""
        return not self.required and self.column != "availability"

    @property
    def type_name(self) -> str:
        name = "list[str]" if self.column == "json" else self.python_type.__name__
        return f"{name} or None" if self.nullable and self.column != "json" else name


# Order matters for the digest: fields added later go at the end (see storage.sync.content_hash).
FIELDS: tuple[ProductField, ...] = (
    ProductField("vendor", "key", "the shop (source) the product comes from: the spider's name unless it sets "
                 "vendor; with vendor_product_id, the product's key", required=True, tracked=False, max_length=64),
    ProductField("vendor_product_id", "key", "the shop's own id of the product; with vendor, the product's key",
                 required=True, tracked=False, max_length=255),
    ProductField("sku", "text", "the shop's stock-keeping unit (a Merchant feed's mpn)", snapshot=True,
                 coverage="sku"),
    ProductField("gtin", "text", "the barcode (GTIN, EAN, UPC); one whose check digit is wrong is left empty "
                 "(bad_gtin)"),
    ProductField("name", "name", "the product's name, as the shop writes it", required=True, max_length=500,
                 snapshot=True),
    ProductField("brand", "text", "the brand or maker"),
    ProductField("description", "text", "the shop's description, as text"),
    ProductField("series", "text", "the ornament series the product belongs to, when the shop names it"),
    ProductField("category", "text", "the shop's category (a Merchant feed's product_type)"),
    ProductField("release_year", "int", "the year the ornament came out (1973 to next year)", snapshot=True,
                 coverage="year"),
    ProductField("url", "text", "the product's page at the shop: http(s), unsafe characters percent-encoded",
                 snapshot=True),
    ProductField("price", "money", "what a buyer pays today (a sale price while the sale runs), two decimals, "
                 "in currency", snapshot=True, coverage="price"),
    ProductField("currency", "currency", "the ISO 4217 code of price and regular_price; never guessed",
                 snapshot=True),
    ProductField("availability", "availability", "in_stock, out_of_stock, preorder, backorder, discontinued "
                 "or unknown", snapshot=True),
    ProductField("image_urls", "json", "the URLs of the product's images (the images themselves are stored "
                 "by the ImagesPipeline)", coverage="image"),
    ProductField("regular_price", "money", "the list or compare-at price, in the same currency as price",
                 snapshot=True),
    ProductField("item_group_id", "text", "shared by the variants of one product (a Merchant item_group_id, "
                 "a Shopify handle, a WooCommerce parent)"),
    ProductField("affiliate_url", "text", "the tracked link a buyer is sent to (a network's deep link or the "
                 "vendor's link template applied to url); url stays the merchant's own page", snapshot=True),
)

FIELD_NAMES = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in FIELDS if f.required)
# Fields whose change means the product changed (and changed_at moves).
TRACKED_FIELDS = tuple(f.name for f in FIELDS if f.tracked)
# Columns of the feed export; "images" is added by the ImagesPipeline.
EXPORT_FIELDS = (*(f.name for f in FIELDS if f.exported), "images")
# The longest value validation lets through, per field that has a limit.
MAX_LENGTHS = {f.name: f.max_length for f in FIELDS if f.max_length is not None}
MONEY_FIELDS = tuple(f.name for f in FIELDS if f.column == "money")
# The prices and their currency: one change of any of them is one price_changed event.
PRICE_FIELDS = tuple(f.name for f in FIELDS if f.column in ("money", "currency"))
# Fields whose stored value a record may leave unchanged when its own value could not be read
# (a price "1.2.3" is not "no price": the stored one stays). Set by spiders in item["unreadable"].
KEEPABLE_FIELDS = PRICE_FIELDS
# What a created (and a returned) change event says about the product: enough to publish it.
SNAPSHOT_FIELDS = tuple(f.name for f in FIELDS if f.snapshot)
# Field coverage: the share of items reaching storage that have each of these (coverage name -> field).
COVERAGE_FIELDS = {f.coverage: f.name for f in FIELDS if f.coverage}


REFERENCE_PATH = "docs/reference/fields.md"


def reference_markdown() -> str:
    """docs/reference/fields.md: the field table, written by scripts/generate.py (a test checks it is current)."""
    yes = {True: "yes", False: ""}
    lines = [
        "# The product's fields",
        "",
        "<!-- Generated from ornaments/fields.py (FIELDS) by `python scripts/generate.py`: do not edit. -->",
        "",
        "Every product, in the item a spider yields, the `products` table, the feed export and the API, has",
        "these fields. *Tracked* fields are the product's content: a change of one moves `changed_at` and is a",
        "change event. *Exported* fields are columns of the CSV/JSON export. *Snapshot* fields are what a",
        "`created` or `returned` change event says about the product. *Coverage* names the share of a run's",
        "items that have the field (`ORNAMENTS_COVERAGE_MIN`). A record longer than *max length* or without a",
        "*required* field is dropped and counted.",
        "",
        "| field | type | required | tracked | exported | max length | snapshot | coverage | meaning |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in FIELDS:
        lines.append(f"| `{f.name}` | {f.type_name} | {yes[f.required]} | {yes[f.tracked]} | {yes[f.exported]} "
                     f"| {f.max_length or ''} | {yes[f.snapshot]} | {f.coverage or ''} | {f.doc} |")
    lines += [
        "",
        "Prices are `Decimal` in an item and exact decimal strings (`\"29.99\"`) in the API, events and exports.",
        "The item has two more fields that are not stored as columns: `images` (the stored image files, filled",
        "by the ImagesPipeline, exported) and `unreadable` (the fields whose value was there but could not be",
        f"read, among {', '.join(f'`{name}`' for name in KEEPABLE_FIELDS)}: storage keeps their stored values).",
        "",
    ]
    return "\n".join(lines)
