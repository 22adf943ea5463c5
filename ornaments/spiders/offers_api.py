"""The offers of our products at an offers service (what the Productator refresher did), polled often.

    ORNAMENTS_OFFERS_API_KEY=... scrapy crawl offers_api -a base_url=https://offers.example -a currency=EUR
        [-a vendors=google_merchant,bestseller] [-a year=2020 | -a url=<our product's url>]

1. POST /auth with the key (Authorization: Bearer <key>) -> {"access_token": ...}, used for the run.
2. The products to poll are ours: the live products of -a vendors (all vendors when not given), of one
   release year (-a year) or the one product whose url is -a url.
3. GET /products/<our product id>/offers -> [{"id", "price", "items_in_stock"}]. A product the service
   does not know (404) is registered first (POST /products/register {id, name, description}) and asked
   again; registering costs nothing on later polls.
4. Each product's list is stored as it is (ornaments.storage.offers): new offers, changed price or
   stock (offer_history), offers gone from the list (removed). A product whose offers could not be
   fetched keeps its offers as they were; the run is then incomplete.

Prices are exact decimals in the currency the run declares (-a currency, or a subclass's
default_currency), unless an offer names its own; a subclass whose service counts cents sets
price_minor_unit = 2. The key comes only from the environment, and the token only lives in memory.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy.http import Response
from scrapy.utils.asyncio import run_in_thread

from ornaments.base_spiders.json_api import JsonApiSpider
from ornaments.items import OffersItem
from ornaments.prices import iso_currency
from ornaments.retry import one_line
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.offers import products_to_poll

logger = logging.getLogger(__name__)


class OffersApiSpider(JsonApiSpider):
    name = "offers_api"
    auth_env = "ORNAMENTS_OFFERS_API_KEY"
    token_path = "/auth"
    pagination = "none"
    concurrency_per_host = 8  # one request per product and poll; the service slows us with 429
    price_minor_unit: int | None = None  # 2: the service's prices are in cents
    custom_settings = {
        # Offers are not products: no validation, dedupe or images; StorePipeline stores them and the run.
        "ITEM_PIPELINES": {"ornaments.pipelines.store.StorePipeline": 400},
        "ROBOTSTXT_OBEY": False,  # a partner's authenticated API, not a website
        "AUTOTHROTTLE_ENABLED": False,  # the service says when to slow down: 429 with Retry-After
        "DOWNLOAD_DELAY": 0,
        "ORNAMENTS_BATCH_SECONDS": 2,
        # No per-run export file: a poll every 30 s would leave 2,880 a day (-O still exports one run).
        "FEEDS": {},
        "FEED_EXPORT_FIELDS": ["source", "product_id", "offers"],
    }

    def __init__(self, *args: Any, vendors: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.vendors = [v.strip() for v in (vendors or "").split(",") if v.strip()]

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = spider.base_url or (crawler.settings.get("ORNAMENTS_OFFERS_API_URL") or "").rstrip("/")
        spider.database_url = crawler.settings.get("DATABASE_URL")
        return spider

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.vendors:
            arguments["vendors"] = ",".join(self.vendors)
        return arguments

    # --- the contract: all products, one year's, or the one at url --------------------------------

    def get_all(self) -> Iterable[scrapy.Request]:
        yield self.token_request(self.poll)

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield self.token_request(self.poll)

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        yield self.token_request(self.poll)

    async def start(self) -> AsyncIterator[Any]:
        if not self.declared_currency:
            logger.error("%s: declare the currency of the offers' prices with -a currency=EUR; nothing was read.",
                         self.name, extra={"spider": self})
            self.mark_incomplete("the offers' currency is not declared")
            return
        async for request in super().start():
            yield request

    async def poll(self) -> AsyncIterator[scrapy.Request]:
        try:
            chosen = await run_in_thread(self._products)
        except Exception as exc:
            logger.error("Could not read the products to poll from the database: %s", one_line(exc),
                         extra={"spider": self})
            self.mark_incomplete("the products to poll could not be read")
            return
        logger.info("Polling the offers of %d products", len(chosen), extra={"spider": self})
        if not chosen and self.url:
            logger.error("No live product of ours has the url %s", self.url, extra={"spider": self})
        for product in chosen:
            yield self.offers_request(product)

    def _products(self) -> list[dict]:
        engine = create_catalog_engine(self.database_url)
        try:
            return products_to_poll(engine, self.vendors, self.year, self.url)
        finally:
            engine.dispose()

    # --- requests and callbacks ------------------------------------------------------------------

    def offers_request(self, product: dict, registered: bool = False) -> scrapy.Request:
        return self.api_request(f"{self.base_url}/products/{product['id']}/offers", callback=self.parse_offers,
                                cb_kwargs={"product": product, "registered": registered},
                                meta={"handle_httpstatus_list": [404]}, dont_filter=registered)

    def parse_offers(self, response: Response, product: dict, registered: bool) -> Iterable[Any]:
        if response.status == 404:
            if registered:
                logger.error("The offers service still does not know product %s after registering it (%s)",
                             product["id"], response.url, extra={"spider": self})
                self.mark_incomplete(f"product {product['id']} unknown to the service after registration")
                return
            body = {"id": str(product["id"]), "name": product["name"], "description": product["description"] or ""}
            yield self.api_request(f"{self.base_url}/products/register", callback=self.product_registered,
                                   method="POST", body=body, cb_kwargs={"product": product},
                                   meta={"handle_httpstatus_list": [409]}, dont_filter=True)
            return
        data = self.read_json(response)
        if data is None:
            return
        if not isinstance(data, list):
            self.report_problem("not_a_listing", response.url, "the offers are not a list")
            self.mark_incomplete(f"no offer list at {response.url}")
            return
        yield OffersItem(source=self.vendor, product_id=product["id"],
                         offers=[o for o in (self.offer(r, product, n) for n, r in enumerate(data)) if o])

    def product_registered(self, response: Response, product: dict) -> Iterable[scrapy.Request]:
        # 201: registered now; 409: registered meanwhile (by another run). Either way, ask again.
        self.crawler.stats.inc_value("ornaments/offers/registered", int(response.status != 409))
        yield self.offers_request(product, registered=True)

    def offer(self, record: Any, product: dict, number: int) -> dict | None:
        where = f"offer {number} of product {product['id']}"
        if not isinstance(record, dict) or record.get("id") in (None, ""):
            # Without its id the offer cannot be told from the others; the product's list is not whole.
            self.drop_row("missing_offer_id", where, "an offer without an id")
            self.mark_incomplete(f"{where} has no id")
            return None
        keep = []
        price = self.price(record.get("price"))
        if price is False:
            self.warn_record("bad_price", where, f"price {str(record.get('price'))[:20]!r} is not an amount; "
                                                 "the stored price stays")
            keep.append("price")
            price = None
        stock = record.get("items_in_stock")
        if stock is not None and (isinstance(stock, bool) or not isinstance(stock, int) or stock < 0):
            self.warn_record("bad_stock", where, f"items_in_stock {str(stock)[:20]!r} is not a count; "
                                                 "the stored stock stays")
            keep.append("items_in_stock")
            stock = None
        currency = iso_currency(record["currency"]) if record.get("currency") else self.declared_currency
        return {"offer_id": str(record["id"]), "price": price, "currency": currency if price is not None else None,
                "items_in_stock": stock, "keep": keep}

    def price(self, value: Any) -> Decimal | None | bool:
        """An exact Decimal, None for no price, False for a value that is not an amount."""
        if value is None:
            return None
        if isinstance(value, bool):
            return False
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return False
        if not amount.is_finite() or amount < 0 or abs(amount) >= Decimal("1e10"):
            return False
        if self.price_minor_unit:
            if amount != amount.to_integral_value():
                return False
            amount = amount.scaleb(-self.price_minor_unit)
        return amount.quantize(Decimal("0.01"))
