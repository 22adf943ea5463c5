"""ShopSpider: the shared crawl of a web shop, for platform bases and thin vendor spiders.

    year index -> year listing -> next pages / sub-categories / "view all" -> product pages
    or: robots.txt / sitemap.xml -> sitemap index -> product pages           (catalog_source "sitemap")

Platform bases (ornaments/base_spiders/platforms/) say what a platform guarantees: product URL patterns,
structured data and JS objects, sitemaps. Vendor spiders are configuration plus the shop's real quirks.
Listings are read by what the platform guarantees (ornaments.base_spiders.pages): product links by URL
pattern inside the page's own content, theme class names only as hints; pagination by rel=next, "next"
links and page-number URLs. Product pages: structured data first (JSON-LD, microdata, platform objects),
then selectors (fallback_fields). The year a product page states (its data, extra fields, category or
breadcrumbs, name) wins over the listing's; a year run skips listed products of other years. docs/shops.md,
"Which source wins", has the order of every source.

Layout changes never pass silently. Each of these is an ERROR naming the URL and makes the run
"suspect", so nothing is marked removed:
- a listing page that should list products lists none (and links no further listing pages);
- a product page without a name or a price (unless the page is broken: then it is dropped with a reason);
- a year the index links that yields no products at all; a sitemap that lists no product page;
- a listing page the shop links that answers 404 or 410.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any, Iterable
from urllib.parse import quote_plus, urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ornaments.base_spiders import pages
from ornaments.base_spiders.base import SyncSpider
from ornaments.base_spiders.sitemaps import SitemapSource
from ornaments.extract import BrokenData, Structured, breadcrumb_names, find_product, product_fields_from_jsonld, schema_org
from ornaments.items import ProductItem
from ornaments.normalize import parse_year

logger = logging.getLogger(__name__)

SOURCES = ("index", "sitemap")


class ShopSpider(SitemapSource, SyncSpider):
    year_index_path: str = ""  # the page that links every year's listing
    search_path: str | None = None  # e.g. "/search.php?search_query={query}"; None: the shop has no search
    # How a full sync (and -a year) finds the products: "index" walks the year index; "sitemap" reads the
    # shop's sitemaps (year from the product data), falling back to the index where there is none.
    catalog_source: str = "index"
    product_url_patterns: tuple[str, ...] = ()  # regexes: the platform's product page URLs
    product_link_hints: tuple[str, ...] = ()  # CSS: a theme's product links, for shops whose URLs have no pattern
    year_link_patterns: tuple[str, ...] = ()  # regexes a year index's category links must match (empty: any)
    # regexes of a platform's listing page URLs: group `page` the page number, `pages` the page count,
    # `base` what the listing's own URL keeps (Shift4Shop: `_c_12-2-3.html` is page 2 of 3 of `_c_12.html`)
    page_url_patterns: tuple[str, ...] = ()
    default_brand: str | None = None  # the brand of a page that names none

    def __init__(self, *args: Any, source: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.query and not self.search_path:
            raise UsageError(f"{self.name}: this shop has no search; use -a year or -a url")
        if source is not None and source not in SOURCES:
            raise UsageError(f"-a source must be one of {', '.join(SOURCES)}, not {source!r}")
        self.requested_source = source or self.catalog_source
        self.source = self.requested_source
        self.product_patterns = [re.compile(p) for p in self.product_url_patterns]
        self.page_patterns = [re.compile(p) for p in self.page_url_patterns]
        self.years_listed: dict[int, str] = {}  # years in scope that the index links -> year page URL
        self.products_listed: Counter[int | None] = Counter()  # product links found per year
        self.failed_years: set[int | None] = set()  # years with a listing page that could not be fetched
        self.sitemap_products = 0  # product URLs the sitemaps list
        self.sitemaps_read = 0
        self.products_in_year = 0  # sitemap run with -a year: products read of that year

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.requested_source != self.catalog_source:
            arguments["source"] = self.requested_source
        return arguments

    # --- the contract -----------------------------------------------------------------------------

    def get_all(self) -> Iterable[scrapy.Request]:
        if self.source == "sitemap":
            yield from self.sitemap_start()
        else:
            yield from self.index_requests()

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        # Year pages have shop-chosen URLs (category ids), so the index (or the sitemap) is the way in.
        yield from self.get_all()

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        yield scrapy.Request(url, callback=self.parse_product, errback=self.request_failed)

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        url = self.base_url + self.search_path.format(query=quote_plus(query))
        yield self.listing_request(url, year=None, expect_products=False)

    # --- requests ---------------------------------------------------------------------------------

    def index_requests(self) -> Iterable[scrapy.Request]:
        yield scrapy.Request(self.base_url + self.year_index_path, callback=self.parse_year_index,
                             errback=self.request_failed)

    def listing_request(self, url: str, year: int | None, expect_products: bool = True) -> scrapy.Request:
        """A listing page; BrowserListings renders it in Chromium when static HTML holds no products."""
        return scrapy.Request(url, callback=self.parse_listing, errback=self.request_failed,
                              cb_kwargs={"year": year, "expect_products": expect_products})

    def product_request(self, url: str, year: int | None, from_sitemap: bool = False) -> scrapy.Request:
        kwargs: dict[str, Any] = {"listing_year": year}
        if from_sitemap:
            kwargs["from_sitemap"] = True
        return scrapy.Request(url, callback=self.parse_product, errback=self.request_failed, cb_kwargs=kwargs)

    def rebase(self, url: str) -> str:
        """A URL of the shop's own host (robots.txt and sitemaps name it) on the mirror given with -a base_url."""
        parts, own = urlsplit(url), urlsplit(self.default_base_url)
        if self.base_url == self.default_base_url.rstrip("/") or parts.netloc != own.netloc:
            return url
        return self.base_url + url[len(f"{parts.scheme}://{parts.netloc}"):]

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
            yield from self.listing_empty(response, year, expect_products)

    def listing_empty(self, response: Response, year: int | None, expect_products: bool) -> Iterable[scrapy.Request]:
        chrome = pages.chrome_product_links(response, self.product_patterns)
        self.report_problem("empty_listing", response.url, f"a listing page{f' of {year}' if year else ''} shows no "
                            f"products" + (f" ({chrome} product links only in its header, footer or sidebars)" if chrome else ""))
        return ()

    def parse_product(self, response: Response, listing_year: int | None = None,
                      from_sitemap: bool = False) -> Iterable[ProductItem]:
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
        # The product page's own year (its data, extra fields, category and crumbs, name) wins over the
        # listing's: boxes of other years' products ("best sellers") sit in listings under any class name.
        own_year = fields.get("release_year") or self.page_year(response, fields, structured)
        year = own_year or listing_year
        if listing_year is not None and self.year is not None and own_year not in (None, self.year):
            # Listed under the year synced, but another year's: not this run's, and not seen by it either.
            self.crawler.stats.inc_value("ornaments/listing/other_years")
            logger.info("Not synced into %s: the product page states %s (%s)", self.year, own_year, response.url,
                        extra={"spider": self})
            return
        if from_sitemap and self.year is not None:
            if year is None:  # still for sale, year unknown: seen, so a year run never removes it
                self.drop_row("year_unknown", response.url, f"no release year in the product data; "
                              f"not synced into {self.year}", key=str(fields["vendor_product_id"]))
                return
            if year != self.year:
                self.crawler.stats.inc_value("ornaments/sitemap/other_years")
                return
            self.products_in_year += 1
        elif from_sitemap and year is None:  # stored without a year; the coverage check sees a fall
            self.warn_record("year_unknown", response.url, "no release year in the product data")
        fields["release_year"] = year
        fields.setdefault("brand", self.default_brand)
        fields["url"] = response.url  # the page read, so a mirror's products point at the mirror
        fields["image_urls"] = [self.rebase(response.urljoin(u)) for u in fields.get("image_urls") or []]
        yield self.product(**{k: v for k, v in fields.items() if not k.startswith("_")})

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
        self.crawler.stats.set_value("ornaments/catalog_source", self.source)
        if reason != "finished":
            return
        for year, url in sorted(self.years_listed.items()):
            if not self.products_listed[year] and year not in self.failed_years:
                self.report_problem("empty_year", url, f"the year {year} is on the index but lists no products")
        self.sitemap_closed()

    # --- coverage ---------------------------------------------------------------------------------

    @property
    def coverage(self) -> dict[str, Any]:
        """Share of items (0..1) having price, sku, year and image, counted by the run ledger as items
        reach storage (ornaments.runs.ledger), for shops and feeds alike."""
        return self.ledger.coverage()

    # --- what platforms and vendors answer (defaults read what platforms guarantee) ----------------

    def is_product_url(self, url: str) -> bool:
        return any(p.search(url) for p in self.product_patterns)

    def year_links(self, response: Response) -> list[tuple[int, str]]:
        return pages.year_links(response, exclude=self.product_patterns,
                                require=[re.compile(p) for p in self.year_link_patterns],
                                product_hints=self.product_link_hints)

    def product_links(self, response: Response) -> list[str]:
        return pages.product_links(response, self.product_patterns, self.product_link_hints)

    def next_pages(self, response: Response) -> list[str]:
        """Further listing pages of the same listing: next page, sub-categories, "view all"."""
        return pages.next_pages(response, page_patterns=self.page_patterns)

    def structured_fields(self, response: Response) -> Structured:
        """Fields from structured data; by default schema.org Product in JSON-LD, else microdata."""
        try:
            data = schema_org(response.text, response.url)
        except BrokenData as exc:
            return Structured({}, [str(exc)])
        product = find_product(data)
        fields = product_fields_from_jsonld(product) if product else {}
        if product is not None and "availability" not in fields:  # a JSON-LD Product without offers' stock
            marked = find_product({"microdata": data.get("microdata") or []})
            if marked is not None and (stock := product_fields_from_jsonld(marked).get("availability")):
                fields["availability"] = stock
        fields["_breadcrumbs"] = breadcrumb_names(data)
        return Structured(fields, [])

    def page_year(self, response: Response, fields: dict[str, Any], structured: Structured) -> int | None:
        """The year the product page states when its data has no year field: a labelled field of the page
        ("Year Released: 2021", whatever the markup), the category the product is filed under ("2021 Hallmark
        Ornaments") in the product data or the breadcrumb trail, else a year that opens or closes its name
        ("1975 Betsey Clark", "Holiday Barbie™ 2019", "Elsa (2021)"); a year inside a name ("Classic Cars
        1957 Chevrolet") is what the ornament shows, not its year."""
        if year := pages.labelled_year(response):
            return year
        for label in [fields.get("category"), *reversed(fields.get("_breadcrumbs") or [])]:
            words = str(label or "").split()
            if words and re.fullmatch(r"(?:19|20)\d\d", words[0]):
                return parse_year(words[0])
        if year := pages.breadcrumb_year(response):
            return year
        # The name as the data gives it, as the page's heading shows it, as Open Graph and <title> do
        # (a heading may carry the year its data's name lacks); <title> ends with the shop's name.
        heading = " ".join(response.css("h1")[:1].css("::text").getall())
        names = [fields.get("name"), heading, response.css('meta[property="og:title"]::attr(content)').get()]
        title = " ".join(response.css("title::text").getall()).split()
        ends = [words[:1] + words[-1:] for words in (str(name or "").split() for name in names) if len(words) > 1]
        for word in [w for pair in ends for w in pair] + title[:1]:
            if re.fullmatch(r"\W*(?:19|20)\d\d\W*", word):
                return parse_year(re.search(r"\d{4}", word).group())
        return None

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        """Fields from selectors, used where structured data is missing."""
        return {}


def _truncated(response: Response) -> bool:
    return b"</html>" not in response.body[-4096:].lower()
