"""ShopSpider: the shared crawl of a web shop, for thin vendor spiders.

    year index -> year listing -> next pages / sub-categories / "view all" -> product pages

A vendor spider names its pages (year_index_path, search_path) and answers a few questions with
selectors: which years the index links (year_links), which products a listing shows
(product_links), where the next listing pages are (next_pages), and what a product page says
(fallback_fields; structured data is read first, by structured_fields).

Layout changes never pass silently. Each of these is an ERROR naming the URL and makes the run
"suspect", so nothing is marked removed:
- a listing page that should list products lists none (and links no further listing pages);
- a product page without a name or a price (unless the page is broken: then it is dropped with a reason);
- a year the index links that yields no products at all;
- a listing page the shop links that answers 404 or 410.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Iterable
from urllib.parse import quote_plus

import scrapy
from scrapy.exceptions import UsageError
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.http import Response
from twisted.python.failure import Failure

from ornaments.base_spiders.base import SyncSpider
from ornaments.extract import BrokenData, Structured, jsonld_product, product_fields_from_jsonld
from ornaments.items import ProductItem

logger = logging.getLogger(__name__)


class ShopSpider(SyncSpider):
    year_index_path: str = ""  # the page that links every year's listing
    search_path: str | None = None  # e.g. "/search.php?search_query={query}"; None: the shop has no search

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.query and not self.search_path:
            raise UsageError(f"{self.name}: this shop has no search; use -a year or -a url")
        self.years_listed: dict[int, str] = {}  # years in scope that the index links -> year page URL
        self.products_listed: Counter[int | None] = Counter()  # product links found per year
        self.failed_years: set[int | None] = set()  # years with a listing page that could not be fetched

    # --- the contract -----------------------------------------------------------------------------

    def get_all(self) -> Iterable[scrapy.Request]:
        yield self.index_request()

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        # Year pages have shop-chosen URLs (category ids), so the index is the way in.
        yield self.index_request()

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        yield scrapy.Request(url, callback=self.parse_product, errback=self.request_failed)

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        url = self.base_url + self.search_path.format(query=quote_plus(query))
        yield self.listing_request(url, year=None, expect_products=False)

    # --- requests ---------------------------------------------------------------------------------

    def index_request(self) -> scrapy.Request:
        return scrapy.Request(self.base_url + self.year_index_path, callback=self.parse_year_index,
                              errback=self.request_failed)

    def listing_request(self, url: str, year: int | None, expect_products: bool = True) -> scrapy.Request:
        """A listing page; platform spiders override this to render pages that need a browser."""
        return scrapy.Request(url, callback=self.parse_listing, errback=self.request_failed,
                              cb_kwargs={"year": year, "expect_products": expect_products})

    def product_request(self, url: str, year: int | None) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_product, errback=self.request_failed,
                              cb_kwargs={"listing_year": year})

    # --- callbacks --------------------------------------------------------------------------------

    def parse_year_index(self, response: Response) -> Iterable[scrapy.Request]:
        links = self.year_links(response)
        if not links:
            self.report_problem("empty_year_index", response.url, "the year index links no years")
            return
        for year, url in links:
            if (self.year is None or year == self.year) and year not in self.years_listed:
                self.years_listed[year] = response.urljoin(url)
                yield self.listing_request(response.urljoin(url), year)
        if self.year is not None and self.year not in self.years_listed:
            # Nothing can be synced, and a "finished" run would mark the whole year removed.
            logger.error("The year index does not link %s (%s)", self.year, response.url, extra={"spider": self})
            self.mark_incomplete(f"year {self.year} not on the index")

    def parse_listing(self, response: Response, year: int | None,
                      expect_products: bool = True) -> Iterable[scrapy.Request]:
        products = [response.urljoin(u) for u in self.product_links(response)]
        further = [response.urljoin(u) for u in self.next_pages(response)]
        self.products_listed[year] += len(products)
        for url in dict.fromkeys(products):
            yield self.product_request(url, year)  # a product listed twice: the dupefilter keeps one request
        for url in dict.fromkeys(further):
            yield self.listing_request(url, year, expect_products)
        if not products and not further and expect_products:
            self.report_problem("empty_listing", response.url,
                                f"a listing page{f' of {year}' if year else ''} shows no products")

    def parse_product(self, response: Response, listing_year: int | None = None) -> Iterable[ProductItem]:
        structured = self.structured_fields(response)
        fields = self.fallback_fields(response)
        fields.update({k: v for k, v in structured.fields.items() if v not in (None, "", [])})
        fields.setdefault("vendor_product_id", fields.get("sku"))
        missing = [f for f in ("name", "price", "vendor_product_id") if not fields.get(f)]
        if missing:
            broken = structured.broken + (["the page is cut off (no </html>)"] if _truncated(response) else [])
            if broken:
                self.drop_row("broken_markup", response.url, "; ".join(broken) + f"; no {', '.join(missing)}")
            else:
                self.report_problem(f"product_without_{missing[0]}", response.url,
                                    f"the product page yields no {' and no '.join(missing)}")
            return
        fields["release_year"] = fields.get("release_year") or listing_year
        fields["url"] = response.url  # the page read, so a mirror's products point at the mirror
        fields["image_urls"] = [response.urljoin(u) for u in fields.get("image_urls") or []]
        yield self.product(**fields)

    def request_failed(self, failure: Failure) -> None:
        """A page failed for good (after retries). FailureAccounting has marked the run incomplete,
        except for 404/410; this says which page and what it means for the crawl."""
        request = failure.request
        kwargs = request.cb_kwargs or {}
        status = failure.value.response.status if failure.check(HttpError) else None
        if status in (404, 410):
            if request.callback == self.parse_product:  # gone from the shop, and the product with it
                logger.warning("Product page gone (HTTP %s): %s", status, request.url, extra={"spider": self})
            else:  # the shop links a listing it does not have: its products may be unseen, so remove nothing
                self.report_problem("listing_gone", request.url, f"a linked listing page answers HTTP {status}")
            return
        self.failed_years.add(kwargs.get("year", kwargs.get("listing_year")))
        logger.error("Could not fetch %s: %s", request.url, failure.getErrorMessage(), extra={"spider": self})

    def closed(self, reason: str) -> None:
        if reason == "finished":
            for year, url in sorted(self.years_listed.items()):
                if not self.products_listed[year] and year not in self.failed_years:
                    self.report_problem("empty_year", url, f"the year {year} is on the index but lists no products")

    # --- coverage ---------------------------------------------------------------------------------

    @property
    def coverage(self) -> dict[str, Any]:
        """Share of items (0..1) having price, sku, year and image, counted by the run ledger as items
        reach storage (ornaments.runs.ledger), for shops and feeds alike."""
        return self.ledger.coverage()

    # --- what vendor spiders answer ---------------------------------------------------------------

    def year_links(self, response: Response) -> list[tuple[int, str]]:
        raise NotImplementedError

    def product_links(self, response: Response) -> list[str]:
        raise NotImplementedError

    def next_pages(self, response: Response) -> list[str]:
        """Further listing pages of the same listing: next page, sub-categories, "view all"."""
        return []

    def structured_fields(self, response: Response) -> Structured:
        """Fields from structured data; by default schema.org Product in JSON-LD."""
        try:
            product = jsonld_product(response.text, response.url)
        except BrokenData as exc:
            return Structured({}, [str(exc)])
        return Structured(product_fields_from_jsonld(product) if product else {}, [])

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        """Fields from selectors, used where structured data is missing."""
        return {}


def _truncated(response: Response) -> bool:
    return b"</html>" not in response.body[-4096:].lower()
