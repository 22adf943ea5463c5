"""Shop exports with variants: WooCommerce's and Shopify's product CSVs.

Variants become products of their own (each with its own key) sharing item_group_id:
- Shopify: rows sharing a Handle are one product. The first row holds Title, Body, Vendor...; variant
  rows (empty Title) inherit them. name = "Title – Option1 Value / Option2 Value" unless the only option
  is "Default Title"; key = Variant SKU, else "handle:Value/Value" (or the handle alone).
  item_group_id = Handle. Rows without variant fields only add images (in order, without repeats);
  such rows away from their product's rows are an orphan_continuation_row warning.
- WooCommerce: "variation" rows (Parent = the parent's SKU or "id:NN") inherit name, description,
  categories and images from their "variable" parent; name = parent name – attribute values when the
  Name column is empty or just the parent's name; key = SKU, else ID; item_group_id = the parent's key.
  "variable" and "grouped" rows are not products (nothing to buy at a price): they are counted in
  ornaments/feed/skipped_<type> and lend their fields to their variations.
"""

from __future__ import annotations

from typing import Iterable

from ornaments.base_spiders.csv_layouts import Layout, sale_is_on, split_urls
from ornaments.items import ProductItem
from ornaments.prices import read_price

NOT_PRODUCTS = ("variable", "grouped")


class WooLayout(Layout):
    name = "woocommerce export"
    signature = frozenset({"id", "type", "sku", "name", "regularprice", "parent"})

    def __init__(self, spider, column):
        super().__init__(spider, column)
        self.parents: dict[str, dict[str, str]] = {}  # "sku" and "id:NN" -> the parent's inheritable fields
        self.attributes = [(f"attribute{n}name", f"attribute{n}values") for n in range(1, 10)
                           if f"attribute{n}values" in column]

    def row_key(self, row: list[str]) -> str | None:
        return self.value(row, "sku") or self.value(row, "id") or None

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        v = self.value
        types = {t.strip() for t in v(row, "type").lower().split(",")}
        key = v(row, "sku") or v(row, "id")
        images = split_urls(v(row, "images"))
        fields = {"name": v(row, "name"), "description": v(row, "description") or v(row, "shortdescription"),
                  "category": v(row, "categories"), "brand": v(row, "brands"), "images": images}
        kind = next((t for t in NOT_PRODUCTS if t in types), None)
        if kind:
            fields["key"] = key
            for ref in (v(row, "sku"), v(row, "id") and f"id:{v(row, 'id')}"):
                if ref:
                    self.parents[ref] = fields
            self.spider.crawler.stats.inc_value(f"ornaments/feed/skipped_{kind}")
            return None
        group = None
        if "variation" in types:
            reference = v(row, "parent")
            parent = self.parents.get(reference)
            group = parent["key"] if parent else reference.removeprefix("id:")
            if parent:
                for name in ("description", "category", "brand", "images"):
                    fields[name] = fields[name] or parent[name]
                if not fields["name"] or fields["name"] == parent["name"]:
                    values = [v(row, values) for _, values in self.attributes if v(row, values)]
                    fields["name"] = " – ".join(filter(None, (parent["name"], ", ".join(values))))
        regular, sale = v(row, "regularprice"), v(row, "saleprice")
        on_sale = sale and sale_is_on(v(row, "datesalepricestarts"), v(row, "datesalepriceends"))
        return (self.spider.product(
            where=f"line {line} (id {key})", vendor_product_id=key, sku=v(row, "sku"),
            gtin=v(row, "gtinupceanorisbn") or v(row, "gtin"), name=fields["name"], brand=fields["brand"],
            description=fields["description"], category=fields["category"], url=v(row, "externalurl"),
            price=sale if on_sale else regular, regular_price=regular, availability=v(row, "instock"),
            image_urls=fields["images"], item_group_id=group),)


class ShopifyLayout(Layout):
    name = "shopify product csv"
    signature = frozenset({"handle", "title", "variantprice"})
    VARIANT_KEYS = ("variantsku", "variantprice", "variantbarcode", "option1value", "option2value", "option3value")

    def __init__(self, spider, column):
        super().__init__(spider, column)
        self.handle: str | None = None
        self.group: list[tuple[list[str], int]] = []  # the rows of the current handle, with their lines

    def row_key(self, row: list[str]) -> str | None:
        return self.value(row, "variantsku") or None

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        # A handle's rows are consecutive; its products are made when the next handle starts, because
        # image rows after the variants still belong to it.
        handle = self.value(row, "handle")
        done = None
        if handle != self.handle:
            done = self.end()
            self.handle, self.group = handle, []
        self.group.append((row, line))
        return done

    def end(self) -> list[ProductItem]:
        rows, self.group = self.group, []
        if not rows:
            return []
        v = self.value
        first = next((r for r, _ in rows if v(r, "title")), rows[0][0])
        images = [v(r, "imagesrc") for r, _ in rows if v(r, "imagesrc")]
        handle, title = v(first, "handle"), v(first, "title")
        items = []
        for row, line in rows:
            if not any(v(row, k) for k in self.VARIANT_KEYS):
                continue  # an image row
            values = [v(row, f"option{n}value") for n in (1, 2, 3) if v(row, f"option{n}value")]
            meaningful = values and values != ["Default Title"]
            key = v(row, "variantsku") or (f"{handle}:{'/'.join(values)}" if meaningful else handle)
            price, compare_at = v(row, "variantprice"), v(row, "variantcompareatprice")
            items.append(self.spider.product(
                where=f"line {line} (id {key})", vendor_product_id=key, sku=v(row, "variantsku"),
                gtin=v(row, "variantbarcode"), name=f"{title} – {' / '.join(values)}" if meaningful else title,
                brand=v(first, "vendor"), description=v(first, "bodyhtml"),
                category=v(first, "productcategory") or v(first, "type"),
                price=price, regular_price=compare_at if self.is_higher(compare_at, price) else price,
                availability=self.availability(row), image_urls=[v(row, "variantimage"), *images],
                item_group_id=handle))
        if not items and images:  # image rows whose product rows are elsewhere, or nowhere
            self.spider.warn_record("orphan_continuation_row", f"line {rows[0][1]} (handle {handle})",
                                    f"{len(rows)} row(s) with only {len(images)} image link(s) and no variant of "
                                    "their own, not right after their product's rows; their images were not stored")
        return items

    def is_higher(self, compare_at: str, price: str) -> bool:
        """Shopify shows a compare-at price only above the price; a lower one is not a regular price."""
        if not compare_at:
            return False
        was, now = (read_price(p, self.spider.price_style).amount for p in (compare_at, price))
        return was is None or now is None or was > now  # unreadable: product() reports it

    def availability(self, row: list[str]) -> str:
        """Untracked stock is always for sale; tracked stock is in stock while the quantity lasts, then
        on backorder if the policy lets customers buy anyway."""
        if not self.value(row, "variantinventorytracker"):
            return "in_stock"
        try:
            if int(float(self.value(row, "variantinventoryqty") or 0)) > 0:
                return "in_stock"
        except ValueError:
            return "unknown"
        return "backorder" if self.value(row, "variantinventorypolicy").lower() == "continue" else "out_of_stock"
