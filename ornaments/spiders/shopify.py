"""Any Shopify shop, from the catalogue every Shopify store publishes as JSON; no selectors.

    scrapy crawl shopify -a base_url=https://shop.example [-a collection=<handle>] [-a currency=EUR]
    scrapy crawl shopify -a base_url=https://shop.example -a url=https://shop.example/products/<handle>

- Pages: /products.json?limit=250&page=N (one collection: /collections/<handle>/products.json) until
  an empty page.
- Each variant is a product, keyed by the variant id (`-a key=sku` keys by SKU; variants without one
  are dropped then). Name: the product title, then the option values that are not "Default Title".
  price -> price ("0.00" is a price of zero, counted as a zero_price warning), compare_at_price ->
  regular_price (a zero compare-at price is none), available -> availability, the variant's image
  first and then the product's images, vendor -> brand, product_type -> category; a tag that is a
  year ("2020", "year:2020") gives the release year; the product id is the item_group_id of its variants.
- -a collection=<handle> reads one collection: a part of the shop, so the run is partial (removes nothing).
- Money: prices are strings ("19.99") read as exact decimals. The currency is declared (the vendor
  subclass's default_currency, or -a currency) or read from the shop's /meta.json (then /cart.js);
  with neither, nothing is synced.
- A password-protected store (a redirect to /password, or 401/403) is an error and an incomplete run:
  never an empty sync that would remove everything.

A vendor is a subclass of a few lines:

    class HallmarkShop(ShopifySpider):
        name = "hallmark_shop"
        default_base_url = "https://hallmark-shop.example"
        default_currency = "USD"
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response

from ornaments.base_spiders.json_api import JsonApiSpider
from ornaments.items import ProductItem
from ornaments.prices import iso_currency

logger = logging.getLogger(__name__)

DEFAULT_OPTION = "default title"
_YEAR_TAG = re.compile(r"(?:year[\s:_-]*)?((?:19|20)\d\d)", re.IGNORECASE)
KEYS = ("variant_id", "sku")


class ShopifySpider(JsonApiSpider):
    name = "shopify"
    pagination = "page"
    page_size_param, page_size = "limit", 250
    records_path = "products"
    concurrency_per_host = 2
    key: str = "variant_id"  # what vendor_product_id is: the variant id (stable) or its SKU

    def __init__(self, *args: Any, collection: str | None = None, key: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.url and not self.base_url:
            self.base_url = shop_of(self.url)
        self.collection = collection.strip("/") if collection else None
        self.key = key or self.key
        if self.key not in KEYS:
            raise UsageError(f"-a key must be one of {', '.join(KEYS)}, not {self.key!r}")
        self.shop_currency: str | None = self.declared_currency

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        arguments.update({k: v for k, v in (("collection", self.collection), ("key", self.key))
                          if v and v != type(self).key})
        return arguments

    @property
    def sync_mode(self) -> str:
        # One collection is part of the shop: its run must not remove the products of the others.
        return "query" if self.collection and not (self.url or self.year) else super().sync_mode

    # --- the contract ------------------------------------------------------------------------------

    def get_all(self) -> Iterable[scrapy.Request]:
        yield from self.with_currency(self.listing_request)

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield from self.with_currency(self.listing_request)  # filtered by the year of each product's tags

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        # /products/<handle>, /collections/<c>/products/<handle>, ?variant=...: the handle is the last part.
        handle = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
        if not handle:
            raise UsageError(f"-a url must be a product page such as {self.base_url}/products/<handle>, not {url!r}")
        json_url = f"{self.base_url}/products/{handle}.json"
        yield from self.with_currency(lambda: self.api_request(json_url, callback=self.parse_product))

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        raise UsageError(f"{self.name}: use -a collection=<handle>, -a year or -a url")

    # --- requests ----------------------------------------------------------------------------------

    def listing_request(self) -> scrapy.Request:
        path = f"/collections/{self.collection}/products.json" if self.collection else "/products.json"
        return self.page_request(self.base_url + path)

    def with_currency(self, then) -> Iterable[scrapy.Request]:
        """The shop's currency first (unless declared), then the catalogue."""
        if self.shop_currency:
            yield then()
            return
        yield self.currency_request("/meta.json", then, ["/cart.js"])

    def currency_request(self, path: str, then, fallbacks: list[str]) -> scrapy.Request:
        # A shop without the file (404) is asked the next one; the catalogue is not yet at stake.
        return self.api_request(self.base_url + path, callback=self.parse_currency,
                                meta={"handle_httpstatus_list": [404]},
                                cb_kwargs={"then": then, "fallbacks": fallbacks})

    def parse_currency(self, response: Response, then, fallbacks: list[str]) -> Iterable[scrapy.Request]:
        if self.password_protected(response):
            return
        data = self.read_json(response) if response.status == 200 else None
        code = iso_currency(str(data.get("currency") or "")) if isinstance(data, dict) else None
        if code and len(code) == 3:
            self.shop_currency = code
            yield then()
        elif fallbacks:
            yield self.currency_request(fallbacks[0], then, fallbacks[1:])
        else:
            logger.error("The shop %s does not say its currency (/meta.json, /cart.js); declare it with "
                         "-a currency=EUR. Nothing was synced.", self.base_url, extra={"spider": self})
            self.mark_incomplete("the shop's currency is unknown")

    # --- callbacks ---------------------------------------------------------------------------------

    def parse_page(self, response: Response, **kwargs: Any) -> Iterable[Any]:
        if self.password_protected(response):
            return
        yield from super().parse_page(response, **kwargs)

    def parse_product(self, response: Response) -> Iterable[ProductItem]:
        if self.password_protected(response):
            return
        data = self.read_json(response)
        if isinstance(data, dict) and isinstance(data.get("product"), dict):
            yield from self.parse_record(data["product"], response)
        elif data is not None:
            self.report_problem("not_a_product", response.url, "the product JSON has no 'product'")

    def parse_record(self, record: Any, response: Response, **_: Any) -> Iterable[ProductItem]:
        if not isinstance(record, dict) or not isinstance(record.get("variants"), list):
            self.drop_row("bad_record", response.url, "a product without a variant list")
            return
        year = year_from_tags(record.get("tags"))
        if self.year and year != self.year:
            return
        images = [i.get("src") for i in record.get("images") or () if isinstance(i, dict) and i.get("src")]
        title = record.get("title")
        handle = record.get("handle")
        several = len(record["variants"]) > 1
        for variant in record["variants"]:
            if not isinstance(variant, dict):
                continue
            key = variant.get("id") if self.key == "variant_id" else variant.get("sku")
            where = f"product {record.get('id')} variant {variant.get('id')}"
            if key in (None, ""):
                self.drop_row(f"missing_{self.key}", response.url, f"{where} has no {self.key}")
                continue
            options = [str(variant[o]) for o in ("option1", "option2", "option3")
                       if variant.get(o) and str(variant[o]).strip().lower() != DEFAULT_OPTION]
            image = variant.get("featured_image") or {}
            url = f"{self.base_url}/products/{handle}" if handle else None
            yield self.product(
                where=where,
                vendor_product_id=str(key),
                sku=variant.get("sku") or None,
                gtin=variant.get("barcode") or None,
                name=" - ".join(filter(None, [title, " / ".join(options)])),
                brand=record.get("vendor"),
                description=_text(record.get("body_html")),
                category=record.get("product_type") or None,
                release_year=year,
                url=f"{url}?variant={variant.get('id')}" if url and several else url,
                price=_price(variant.get("price")),
                regular_price=_compare_at(variant.get("compare_at_price")),
                currency=self.shop_currency,
                availability=_availability(variant.get("available")),
                image_urls=[image.get("src")] + images if isinstance(image, dict) and image.get("src") else images,
                item_group_id=str(record["id"]) if record.get("id") is not None else None,
            )

    # --- a password-protected store ----------------------------------------------------------------

    def password_protected(self, response: Response) -> bool:
        if urlsplit(response.url).path.rstrip("/") != "/password":
            return False
        logger.error("The store %s is password-protected (%s redirects to %s): nothing was synced and nothing "
                     "will be marked removed.", self.base_url, response.meta.get("redirect_urls", ["?"])[0],
                     response.url, extra={"spider": self})
        self.mark_incomplete(f"the store is password-protected ({response.url})")
        return True

    def refused_message(self, status: int) -> str:
        return f"the store {self.base_url} refuses its catalogue (password-protected or blocked)"


def shop_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def year_from_tags(tags: Any) -> int | None:
    """A tag that is a year ("2020", "year:2020", "Year 2020"), or None."""
    if isinstance(tags, str):
        tags = tags.split(",")
    for tag in tags or ():
        match = _YEAR_TAG.fullmatch(str(tag).strip())
        if match:
            return int(match.group(1))
    return None


def _price(value: Any) -> Any:
    """Shopify writes prices as text ("19.99"). "0.00" is a price (a free sample, a gift with purchase):
    it is stored as 0.00 and counted as a zero_price warning; only an empty price is none."""
    return None if value in (None, "") else value


def _compare_at(value: Any) -> Any:
    """An empty or zero compare-at price means the product has none (Shopify's admin writes "0.00")."""
    if value in (None, ""):
        return None
    try:
        return None if Decimal(str(value)) == 0 else value
    except (InvalidOperation, ValueError):
        return value  # not a number: product() reports it as bad_price


def _availability(available: Any) -> str:
    return "in_stock" if available is True else "out_of_stock" if available is False else "unknown"


def _text(html: Any) -> str | None:
    if not html:
        return None
    from w3lib.html import remove_tags, replace_entities
    return replace_entities(remove_tags(str(html))).strip() or None
