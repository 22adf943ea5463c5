"""The product's fields, defined once. The item, the products table, the tracked fields (whose change
is a change of the product), the feed export columns and the storage module all derive from FIELDS.
Runs without Scrapy (the storage worker imports it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductField:
    name: str
    column: str  # SQL type of the products column: text, name, id, key, int, money, currency, availability, json
    required: bool = False  # a record without it is dropped (missing_<name>)
    tracked: bool = True  # a change of it is a change of the product (changed_at moves, digest differs)
    exported: bool = True  # a column of the CSV/JSON export
    max_length: int | None = None


# Order matters for the digest: fields added later go at the end (see storage.sync.content_hash).
FIELDS: tuple[ProductField, ...] = (
    ProductField("vendor", "key", required=True, tracked=False, max_length=64),
    ProductField("vendor_product_id", "key", required=True, tracked=False, max_length=255),
    ProductField("sku", "text"),
    ProductField("gtin", "text"),
    ProductField("name", "name", required=True, max_length=500),
    ProductField("brand", "text"),
    ProductField("description", "text"),
    ProductField("series", "text"),
    ProductField("category", "text"),
    ProductField("release_year", "int"),
    ProductField("url", "text"),
    ProductField("price", "money"),  # what a buyer pays today (a sale price while the sale runs)
    ProductField("currency", "currency"),
    ProductField("availability", "availability"),
    ProductField("image_urls", "json"),
    ProductField("regular_price", "money"),  # the list / compare-at price, in the same currency
    ProductField("item_group_id", "text"),  # variants of one product share it (Merchant, Shopify, Woo)
    ProductField("affiliate_url", "text"),  # the tracked link a buyer is sent to (docs/affiliate-networks.md)
)

FIELD_NAMES = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in FIELDS if f.required)
# Fields whose change means the product changed (and changed_at moves).
TRACKED_FIELDS = tuple(f.name for f in FIELDS if f.tracked)
# Columns of the feed export; "images" is added by the ImagesPipeline.
EXPORT_FIELDS = (*(f.name for f in FIELDS if f.exported), "images")
# Fields whose stored value a record may leave unchanged when its own value could not be read
# (a price "1.2.3" is not "no price": the stored one stays). Set by spiders in item["unreadable"].
KEEPABLE_FIELDS = ("price", "currency", "regular_price")
