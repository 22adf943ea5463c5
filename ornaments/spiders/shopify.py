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
  subclass's default_currency, or -a currency) or read from what robots.txt allows, in this order: the
  shop's /meta.json, its storefront HTML (Shopify.currency.active, ShopifyAnalytics.meta.currency,
  og:price:currency, priceCurrency), /cart.js (Shopify's robots.txt forbids /cart), the first product's
  page. With none, nothing is synced and the error asks for -a currency; when none of them answered at
  all, the error says the shop could not be reached.
- A password-protected store (a redirect to /password, or 401/403) is an error and an incomplete run:
  never an empty sync that would remove everything.

A vendor is a subclass of a few lines:

    class HallmarkShop(ShopifySpider):
        name = "hallmark_shop"
        default_base_url = "https://hallmark-shop.example"
        default_currency = "USD"
"""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal, InvalidOperation
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response, TextResponse
from scrapy.http.request import NO_CALLBACK

from ornaments.base_spiders.api_auth import AUTH

from ornaments.base_spiders.json_api import JsonApiSpider
from ornaments.base_spiders.storefront_currency import currency_from_html, currency_from_json
from ornaments.items import ProductItem
from ornaments.unresolvable_hosts import UnresolvableHost

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
        self.unreachable: list[str] = []  # why side requests got no answer at all (a name that does not resolve)

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
        yield self.listing_request()

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield self.listing_request()  # filtered by the year of each product's tags

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        # /products/<handle>, /collections/<c>/products/<handle>, ?variant=...: the handle is the last part.
        handle = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
        if not handle:
            raise UsageError(f"-a url must be a product page such as {self.base_url}/products/<handle>, not {url!r}")
        json_url = f"{self.base_url}/products/{handle}.json"
        yield self.api_request(json_url, callback=self.parse_product)

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        raise UsageError(f"{self.name}: use -a collection=<handle>, -a year or -a url")

    # --- requests ----------------------------------------------------------------------------------

    def listing_request(self) -> scrapy.Request:
        path = f"/collections/{self.collection}/products.json" if self.collection else "/products.json"
        return self.page_request(self.base_url + path)

    async def start(self) -> AsyncIterator[Any]:
        if self.base_url and not self.shop_currency and not self.query:
            if not await self.find_currency():
                return
        async for request in super().start():
            yield request

    async def find_currency(self) -> bool:
        """The shop's currency from what robots.txt lets us read: /meta.json, the storefront's HTML,
        /cart.js, then the page of its first product. Each is optional: a source robots.txt forbids (a
        real Shopify robots.txt has Disallow: /cart), one that is missing or not what it should be, is
        passed over, so none of them makes the run incomplete. False when the run cannot go on."""
        answered = False
        for path, read in (("/meta.json", _json_currency), ("/", _html_currency), ("/cart.js", _json_currency),
                           (None, _html_currency)):
            url = self.base_url + path if path else await self.first_product_page()
            response = await self.probe(url) if url else None
            if response is None:
                continue
            answered = True
            if self.password_protected(response):
                return False
            if response.status in (401, 403) and path == "/meta.json":
                self._refused(response.url, response.status, self.refused_message(response.status))
                return False
            code = read(response) if response.status == 200 else None
            if code:
                self.shop_currency = code
                logger.info("The shop %s prices in %s (from %s)", self.base_url, code, response.url,
                            extra={"spider": self})
                return True
        if not answered and self.unreachable:  # not a shop that is silent about its currency: no shop at all
            logger.error("The shop %s could not be reached (%s). Nothing was synced.", self.base_url,
                         self.unreachable[-1], extra={"spider": self})
            self.mark_incomplete("the shop could not be reached")
            return False
        logger.error("The shop %s does not say its currency (/meta.json, its storefront's Shopify.currency, "
                     "og:price:currency or priceCurrency, /cart.js, where robots.txt allows them); declare it "
                     "with -a currency=EUR. Nothing was synced.", self.base_url, extra={"spider": self})
        self.mark_incomplete("the shop's currency is unknown")
        return False

    async def first_product_page(self) -> str | None:
        response = await self.probe(f"{self.base_url}/products.json?limit=1")
        try:
            products = json.loads(response.body)["products"] if response and response.status == 200 else []
            handle = products[0]["handle"] if products else None
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        return f"{self.base_url}/products/{handle}" if isinstance(handle, str) and handle else None

    async def probe(self, url: str) -> Response | None:
        """A page asked on the side (no callback): its failure is no failed page of the run."""
        request = scrapy.Request(url, callback=NO_CALLBACK, dont_filter=True, meta={AUTH: "token"})
        try:
            return await self.crawler.engine.download_async(request)
        except UnresolvableHost as exc:  # given up this run: no further source will answer either
            self.unreachable.append(str(exc))
        except IgnoreRequest as exc:  # robots.txt forbids it
            logger.info("Not asking %s for the currency: %s", url, exc, extra={"spider": self})
        except Exception as exc:  # noqa: BLE001 - a source that failed is passed over; the next is asked
            self.unreachable.append(f"{type(exc).__name__}: {exc}"[:200])
            logger.warning("Could not read %s for the currency: %s", url, exc, extra={"spider": self})
        return None

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


def _json_currency(response: Response) -> str | None:
    return currency_from_json(response.body)


def _html_currency(response: Response) -> str | None:
    return currency_from_html(response.text) if isinstance(response, TextResponse) else None


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
