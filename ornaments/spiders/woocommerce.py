"""Any WooCommerce shop, from its public Store API; no selectors, no API keys.

    scrapy crawl woocommerce -a base_url=https://shop.example [-a currency=EUR]
    scrapy crawl woocommerce -a base_url=https://shop.example -a url=https://shop.example/product/<slug>/

- Pages: /wp-json/wc/store/v1/products?per_page=100&page=N until an empty page or the last page
  (the X-WP-TotalPages header).
- Prices are integers in minor units ("1999" with currency_minor_unit 2 is 19.99), read as exact
  decimals; prices.price is what a buyer pays, prices.regular_price the list price; the currency is
  prices.currency_code (else the declared one).
- A simple product is one product, keyed by its id. A variable product is its variations: each is
  fetched (/wp-json/wc/store/v1/products/<variation id>) and keyed by its own id, with the parent's
  id as item_group_id; the parent itself is not a product (its price is a range).
- A grouped product (type "grouped") is a page of other products, each bought on its own: it is not a
  product (counted in ornaments/feed/skipped_grouped); its children (grouped_products) are, and those
  the listing does not hold (hidden from the catalogue) are fetched by id. Each product is stored once.
- An external (affiliate) product is stored with its button URL (add_to_cart.url, where a buyer is
  sent to buy it) as its url, not the shop's own page about it.
- is_in_stock / is_on_backorder -> availability; images in order; brands -> brand; the first category
  -> category; a tag or attribute that is a year -> release_year.

A vendor is a subclass of a few lines:

    class WreathShop(WooCommerceSpider):
        name = "wreath_shop"
        default_base_url = "https://wreaths.example"
        default_currency = "EUR"   # used only where a price names no currency_code
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response

from ornaments.base_spiders.json_api import JsonApiSpider
from ornaments.items import ProductItem
from ornaments.spiders.shopify import _text, shop_of, year_from_tags

logger = logging.getLogger(__name__)

STORE_API = "/wp-json/wc/store/v1/products"


class WooCommerceSpider(JsonApiSpider):
    name = "woocommerce"
    pagination = "page"
    page_size_param, page_size = "per_page", 100
    total_pages_header = "X-WP-TotalPages"
    concurrency_per_host = 2

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.url and not self.base_url:
            self.base_url = shop_of(self.url)
        self.stored_ids: set[int] = set()  # products yielded: a grouped product's child is stored once

    # --- the contract ------------------------------------------------------------------------------

    def get_all(self) -> Iterable[scrapy.Request]:
        yield self.page_request(self.base_url + STORE_API)

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield self.page_request(self.base_url + STORE_API)  # filtered by the year of each product

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        if not slug:
            raise UsageError(f"-a url must be a product page such as {self.base_url}/product/<slug>/, not {url!r}")
        yield self.api_request(f"{self.base_url}{STORE_API}?slug={slug}", callback=self.parse_slug)

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        raise UsageError(f"{self.name}: use -a year or -a url")

    # --- callbacks ---------------------------------------------------------------------------------

    def parse_slug(self, response: Response) -> Iterable[Any]:
        data = self.read_json(response)
        if isinstance(data, list):
            for record in data:
                yield from self.parse_record(record, response)
            if not data:
                logger.warning("No product at %s", response.url, extra={"spider": self})

    def parse_record(self, record: Any, response: Response, parent: dict | None = None,
                     **_: Any) -> Iterable[Any]:
        if not isinstance(record, dict) or record.get("id") is None:
            self.drop_row("bad_record", response.url, "a product without an id")
            return
        if record.get("type") == "grouped":  # before the year filter: its children have their own years
            yield from self.grouped(record)
            return
        year = self.year_of(record) or (self.year_of(parent) if parent else None)
        if self.year and year != self.year:
            return
        variations = [v.get("id") for v in record.get("variations") or () if isinstance(v, dict) and v.get("id")]
        if variations and record.get("type") != "variation":
            for variation_id in variations:
                yield self.api_request(f"{self.base_url}{STORE_API}/{variation_id}", callback=self.parse_variation,
                                       cb_kwargs={"parent": record})
            return
        if record["id"] in self.stored_ids:  # a grouped product's child, already fetched on its own
            return
        self.stored_ids.add(record["id"])
        yield self.product_of(record, response, parent, year)

    def grouped(self, record: dict) -> Iterable[scrapy.Request]:
        """A grouped product is a page showing other products, each bought on its own; it has no price of
        its own (the Store API gives its children's lowest). Its children are the products: those the
        listing does not hold (hidden from the catalogue) are fetched by id."""
        self.crawler.stats.inc_value("ornaments/feed/skipped_grouped")
        children = [c.get("id") if isinstance(c, dict) else c for c in record.get("grouped_products") or ()]
        # Ids as numbers, or as digits in a string (some plugins write them so).
        children = [int(c) for c in children if (isinstance(c, int) and not isinstance(c, bool))
                    or (isinstance(c, str) and c.strip().isdigit())]
        if not children and "grouped_products" not in record:
            self.warn_record("grouped_without_children", f"product {record['id']}",
                             "a grouped product whose children the API does not name (no grouped_products); "
                             "only those listed on their own are stored")
        for child in children:
            if child not in self.stored_ids:
                yield self.api_request(f"{self.base_url}{STORE_API}/{child}", callback=self.parse_child,
                                       meta={"handle_httpstatus_list": [404]}, cb_kwargs={"group": record["id"]})

    def parse_child(self, response: Response, group: int) -> Iterable[Any]:
        if response.status == 404:  # the group names a product the shop no longer has: nothing to store
            self.warn_record("missing_grouped_child", f"product {group}",
                             f"its child {response.url.rsplit('/', 1)[-1]} is not in the shop (404)")
            return
        data = self.read_json(response)
        if data is not None:
            yield from self.parse_record(data, response)

    def parse_variation(self, response: Response, parent: dict) -> Iterable[Any]:
        data = self.read_json(response)
        if data is not None:
            yield from self.parse_record(data, response, parent=parent)

    def product_of(self, record: dict, response: Response, parent: dict | None, year: int | None) -> ProductItem:
        where = f"product {record['id']}"
        prices = record.get("prices") if isinstance(record.get("prices"), dict) else {}
        price = self.minor_units(prices, "price", where)
        regular = self.minor_units(prices, "regular_price", where)
        images = [i.get("src") for i in record.get("images") or () if isinstance(i, dict) and i.get("src")]
        if parent and not images:
            images = [i.get("src") for i in parent.get("images") or () if isinstance(i, dict) and i.get("src")]
        source = parent or record
        categories = [c.get("name") for c in source.get("categories") or () if isinstance(c, dict)]
        brands = [b.get("name") for b in source.get("brands") or () if isinstance(b, dict)]
        item = self.product(
            where=where,
            vendor_product_id=str(record["id"]),
            sku=record.get("sku") or None,
            name=_text(record.get("name")),
            brand=brands[0] if brands else None,
            description=_text(record.get("short_description") or record.get("description")
                              or source.get("short_description")),
            category=_text(categories[0]) if categories else None,
            release_year=year,
            url=self.url_of(record),
            price=price,
            regular_price=regular,
            currency=prices.get("currency_code") or None,
            availability=("in_stock" if record.get("is_in_stock") else
                          "backorder" if record.get("is_on_backorder") else "out_of_stock"),
            image_urls=images,
            item_group_id=str(parent["id"]) if parent else None,
        )
        # An amount that is there but is no amount in minor units keeps the stored value (not "no price").
        unreadable = [name for name, value in (("price", price), ("regular_price", regular))
                      if value is None and prices.get(name) not in (None, "")]
        if unreadable:
            item["unreadable"] = sorted({*item.get("unreadable", ()), *unreadable})
        return item

    def url_of(self, record: dict) -> str | None:
        """Where a buyer goes to buy it: an external (affiliate) product's button URL, which is the shop that
        sells it (a relative or scheme-less one read against the shop); else the product's page."""
        if record.get("type") == "external":
            button = record.get("add_to_cart") if isinstance(record.get("add_to_cart"), dict) else {}
            url = str(button.get("url") or "").strip()
            url = urljoin(str(record.get("permalink") or self.base_url or ""), url) if url else ""
            parts = urlsplit(url)
            # An add-to-cart link puts it in the shop's cart: no page to send a buyer to.
            if parts.scheme in ("http", "https") and parts.netloc and "add-to-cart=" not in parts.query:
                return url
        return record.get("permalink")

    def minor_units(self, prices: dict, name: str, where: str) -> Decimal | None:
        """An amount in minor units ("1999", currency_minor_unit 2) as an exact Decimal (19.99)."""
        value = prices.get(name)
        if value in (None, ""):
            return None
        try:
            unit = int(prices.get("currency_minor_unit", 2))
            amount = Decimal(str(value))
            if amount != amount.to_integral_value() or not 0 <= unit <= 4:
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            self.warn_record("bad_price", where, f"{name} {str(value)[:20]!r} is not an amount in minor units "
                                                 f"(currency_minor_unit {prices.get('currency_minor_unit')!r})")
            return None
        return amount.scaleb(-unit)

    @staticmethod
    def year_of(record: dict | None) -> int | None:
        if not record:
            return None
        labels = [t.get("name") for t in record.get("tags") or () if isinstance(t, dict)]
        for attribute in record.get("attributes") or ():
            if isinstance(attribute, dict) and str(attribute.get("name", "")).lower() in ("year", "release year"):
                labels += [t.get("name") for t in attribute.get("terms") or () if isinstance(t, dict)]
        return year_from_tags([label for label in labels if label])
