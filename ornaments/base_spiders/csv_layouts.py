"""CSV layouts recognised from the header alone: ours (and the Products Importer's name,sku,description),
Google Merchant's CSV, and, in csv_variants.py, WooCommerce's and Shopify's product exports.

A layout turns rows (lists of values in header order) into products through spider.product(). Header
names are compared as header_key() makes them: "Variant SKU" is "variantsku".
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Iterable

from scrapy.exceptions import UsageError

from ornaments.base_spiders.csv_feed import column_key
from ornaments.deeplinks import split_tracked
from ornaments.fields import FIELD_NAMES
from ornaments.items import ProductItem
from ornaments.normalize import identifier, normalize_url, parse_year

if TYPE_CHECKING:
    from ornaments.base_spiders.csv_feed import CsvFeedSpider

# Our own columns: each field read from the first of these headers the feed has.
OWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "vendor_product_id": ("vendorproductid", "id", "sku"),
    "sku": ("sku",),
    "gtin": ("gtin", "ean", "upc", "barcode"),
    "name": ("name", "title"),
    "brand": ("brand",),
    "description": ("description",),
    "series": ("series",),
    "category": ("category",),
    "release_year": ("releaseyear", "year"),
    "url": ("url", "link"),
    "price": ("price",),
    "regular_price": ("regularprice",),
    "currency": ("currency",),
    "availability": ("availability",),
    "image_urls": ("imageurls", "imageurl", "images", "image"),
    "item_group_id": ("itemgroupid",),
}
ALIASES = {"id": "vendor_product_id", "year": "release_year", "images": "image_urls", "image": "image_urls"}


def parse_columns(spec: str) -> dict[str, str]:
    """-a columns=name:Title,vendor_product_id:Item No -> {field: header key}; UsageError when wrong."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        field, sep, header = part.partition(":")
        field = ALIASES.get(field.strip(), field.strip())
        if not sep or not header.strip():
            raise UsageError(f"-a columns takes our_field:Their Header pairs separated by commas, not {part!r}")
        if field not in FIELD_NAMES or field == "vendor":
            known = ", ".join(f for f in FIELD_NAMES if f != "vendor")
            raise UsageError(f"-a columns: {field!r} is not a product field (the fields: {known})")
        mapping[field] = column_key(header)
    if not mapping:
        raise UsageError("-a columns is empty")
    return mapping


def sale_is_on(start: str, end: str, today: date | None = None) -> bool:
    """Whether a sale window (dates "2024-01-01..." or Merchant's "start/end") includes today. No window:
    the sale price applies."""
    today_text = (today or date.today()).isoformat()
    if start and start[:10] > today_text:
        return False
    return not (end and end[:10] < today_text)


def split_urls(text: str) -> list[str]:
    """Comma-separated URLs (WooCommerce, Merchant's additional_image_link); a space inside one stays."""
    return [u.strip() for u in text.split(",") if u.strip()]


class Layout:
    name = ""
    price_style = "display"
    signature: frozenset[str] = frozenset()  # header keys that identify the layout

    def __init__(self, spider: CsvFeedSpider, column: dict[str, int]):
        self.spider = spider
        self.column = column

    @classmethod
    def matches(cls, keys: set[str]) -> bool:
        return bool(cls.signature) and cls.signature <= keys

    def missing(self) -> list[str]:
        """What the layout cannot do without (described for the ERROR); empty when it can read the feed."""
        return []

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        raise NotImplementedError

    def end(self) -> Iterable[ProductItem]:
        return ()

    def row_key(self, row: list[str]) -> str | None:
        return None

    def value(self, row: list[str], key: str) -> str:
        index = self.column.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""


class ContinuationRows:
    """Rows that continue the product before them: the same id, no name, no price, only image links.
    Shopify writes a product's further images so, and Merchant CSVs exported from Shopify keep them.
    Their images join the product's (in order, without repeats); they are no products of their own.

    So the product of a row is held back until the next row with another id. A continuation row whose
    product is not just before it waits (at most MAX_ORPHANS of them) for its product further down;
    one whose product never comes is a warning (orphan_continuation_row), never a dropped product.
    """

    MAX_ORPHANS = 10_000

    def __init__(self, spider: CsvFeedSpider):
        self.spider = spider
        self.held: ProductItem | None = None
        self.held_key: str | None = None
        self.orphans: dict[str, tuple[int, list[str]]] = {}  # id -> (first line, images)

    def product(self, key: str, items: Iterable[ProductItem]) -> list[ProductItem]:
        """A product row's items: the one held before is released, the new one held."""
        released = [self.held] if self.held is not None else []
        self.held, self.held_key = None, None
        items = list(items)
        if len(items) != 1:
            return released + items
        item = items[0]
        orphan = self.orphans.pop(key, None)
        if orphan is not None:
            self._merge(item, orphan[1])
        self.held, self.held_key = item, key
        return released

    def continuation(self, key: str, images: list[str], line: int) -> None:
        self.spider.crawler.stats.inc_value("ornaments/feed/continuation_rows")
        if self.held is not None and key == self.held_key:
            self._merge(self.held, images)
        elif key in self.orphans:
            self.orphans[key][1].extend(images)
        elif len(self.orphans) < self.MAX_ORPHANS:
            self.orphans[key] = (line, list(images))
        else:
            self._orphaned(key, line, len(images))

    def end(self) -> list[ProductItem]:
        released = [self.held] if self.held is not None else []
        self.held, self.held_key = None, None
        for key, (line, images) in self.orphans.items():
            self._orphaned(key, line, len(images))
        self.orphans = {}
        return released

    @staticmethod
    def _merge(item: ProductItem, images: list[str]) -> None:
        urls = [normalize_url(u) for u in images]
        item["image_urls"] = list(dict.fromkeys([*(item.get("image_urls") or ()), *filter(None, urls)]))

    def _orphaned(self, key: str, line: int, images: int) -> None:
        self.spider.warn_record("orphan_continuation_row", f"line {line} (id {key})",
                                f"a continuation row (no title, no price, only {images} image link(s)) whose "
                                "product is not in the feed; its images were not stored")


class OwnLayout(Layout):
    """Our columns (name, sku, description, price, currency, url, ...), or any header mapped with
    -a columns. Only an id (or sku) and a name are needed."""

    name = "ornaments"

    def __init__(self, spider: CsvFeedSpider, column: dict[str, int], mapping: dict[str, str] | None = None):
        super().__init__(spider, column)
        self.mapping = mapping or {}
        self.unmapped = [f"{f} ({h!r})" for f, h in self.mapping.items() if h not in column]
        # (field, column index) for every field the feed has: one tuple walk per row.
        self.pairs: list[tuple[str, int]] = []
        for field, candidates in OWN_COLUMNS.items():
            chosen = (self.mapping[field],) if field in self.mapping else candidates
            index = next((column[c] for c in chosen if c in column), None)
            if index is not None:
                self.pairs.append((field, index))
        self.fields = {f for f, _ in self.pairs}
        self.continuations = ContinuationRows(spider)
        if mapping:
            self.name = "mapped by -a columns"
        elif set(column) == {"name", "sku", "description"}:
            self.name = "products importer (name, sku, description)"

    def missing(self) -> list[str]:
        if self.unmapped:
            return [f"the mapped column {m}" for m in self.unmapped]
        return [what for what, ok in (("an id (sku, id or vendor_product_id)", "vendor_product_id" in self.fields),
                                      ("a name (name or title)", "name" in self.fields)) if not ok]

    def row_key(self, row: list[str]) -> str | None:
        index = dict(self.pairs).get("vendor_product_id")
        return row[index].strip() or None if index is not None and index < len(row) else None

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem]:
        fields = {field: row[index] for field, index in self.pairs}
        # Several images are separated by "|" or spaces (URLs contain neither).
        fields["image_urls"] = (fields.get("image_urls") or "").replace("|", " ").split()
        key = fields["vendor_product_id"].strip()
        if key and fields["image_urls"] and not (fields.get("name") or "").strip() \
                and not (fields.get("price") or "").strip():
            self.continuations.continuation(key, fields["image_urls"], line)
            return ()
        year = fields.get("release_year")
        if year is not None:
            fields["release_year"] = parse_year(year)
        return self.continuations.product(key, (self.spider.product(where=f"line {line} (id {key})", **fields),))

    def end(self) -> Iterable[ProductItem]:
        return self.continuations.end()


class MerchantCsvLayout(Layout):
    """Google Merchant's CSV: "15.00 USD" prices; the sale price applies while its window (if any) is on,
    and price stays the regular price."""

    name = "google merchant csv"
    price_style = "decimal_point"
    signature = frozenset({"id", "title", "link", "price"})

    def __init__(self, spider: CsvFeedSpider, column: dict[str, int]):
        super().__init__(spider, column)
        self.continuations = ContinuationRows(spider)

    def end(self) -> Iterable[ProductItem]:
        return self.continuations.end()

    def row_key(self, row: list[str]) -> str | None:
        return self.value(row, "id") or None

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem]:
        v = self.value
        key = v(row, "id")
        regular, sale = v(row, "price"), v(row, "saleprice")
        images = [u for u in (v(row, "imagelink"), *split_urls(v(row, "additionalimagelink"))) if u]
        if key and images and not v(row, "title") and not regular and not sale:
            self.continuations.continuation(key, images, line)
            return ()
        window = v(row, "salepriceeffectivedate").partition("/")
        product_type = v(row, "producttype")
        url, tracked = split_tracked(v(row, "link"))  # CJ's Google-format feeds link through CJ's redirector
        return self.continuations.product(key, (self.spider.product(
            where=f"line {line} (id {key})",
            vendor_product_id=key, sku=identifier(v(row, "mpn")) or key, gtin=v(row, "gtin"), name=v(row, "title"),
            brand=v(row, "brand"), description=v(row, "description"), category=product_type,
            # custom_label_1 is free for each shop ("On Sale"): not a series. Years sit in custom_label_0.
            release_year=parse_year(v(row, "customlabel0")) or parse_year(product_type),
            url=url, affiliate_url=v(row, "adsredirect") or tracked, price=sale if sale and sale_is_on(window[0], window[2]) else regular,
            regular_price=regular, availability=v(row, "availability"), image_urls=images,
            item_group_id=v(row, "itemgroupid")),))


def choose_layout(spider: CsvFeedSpider, column: dict[str, int], mapping: dict[str, str] | None) -> Layout:
    from ornaments.base_spiders.csv_variants import ShopifyLayout, WooLayout  # they build on this module

    if mapping:
        return OwnLayout(spider, column, mapping)
    keys = set(column)
    for layout in (ShopifyLayout, WooLayout, MerchantCsvLayout):
        if layout.matches(keys):
            return layout(spider, column)
    return OwnLayout(spider, column)
