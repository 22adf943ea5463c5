"""Products from a shop's sitemaps, through Scrapy's sitemap machinery (scrapy.utils.sitemap).

    robots.txt `Sitemap:` lines, else /sitemap.xml  ->  sitemap index (followed)  ->  urlsets (gzipped or not)
        -> product URLs (the platform's product patterns, or every URL of a products sitemap) -> product pages

Where a shop publishes no sitemap (no `Sitemap:` line, /sitemap.xml answers 404), the crawl falls back to
the year index, and says so once. A sitemap that lists no product at all is a layout problem (the run is
suspect); a sitemap that cannot be fetched makes the run incomplete. Neither removes anything.
"""

from __future__ import annotations

import logging
import re
from typing import Iterable

import scrapy
from scrapy.http import Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from ornaments import scrapy_compat as compat

logger = logging.getLogger(__name__)


class SitemapSource:
    """Mixin for ShopSpider: enumerate products from the sitemaps."""

    sitemap_paths: tuple[str, ...] = ("/sitemap.xml",)  # tried when robots.txt names no sitemap
    sitemap_follow: tuple[str, ...] = ()  # regexes: child sitemaps of an index to read (empty: all)
    products_sitemaps: tuple[str, ...] = ()  # regexes: sitemaps whose every URL is a product page

    sitemap_products: int  # product URLs found, set by ShopSpider.__init__
    sitemaps_read: int

    def sitemap_start(self) -> Iterable[scrapy.Request]:
        yield scrapy.Request(self.base_url + "/robots.txt", callback=self.parse_robots_sitemaps,
                             errback=self.sitemap_missing, dont_filter=True)

    def parse_robots_sitemaps(self, response: Response) -> Iterable[scrapy.Request]:
        urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not urls:
            yield from self._guessed_sitemaps()
            return
        for url in urls:
            yield self.sitemap_request(self.rebase(url))

    def _guessed_sitemaps(self) -> Iterable[scrapy.Request]:
        for path in self.sitemap_paths:
            yield self.sitemap_request(self.base_url + path, guessed=True)

    def sitemap_request(self, url: str, guessed: bool = False) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.sitemap_missing,
                              cb_kwargs={"products_only": self._is_products_sitemap(url)},
                              meta={"ornaments_guessed_sitemap": guessed})

    def sitemap_missing(self, failure: Failure) -> Iterable[scrapy.Request]:
        """robots.txt or a guessed /sitemap.xml is not there: the year index is the way in."""
        request = failure.request
        status = failure.value.response.status if failure.check(HttpError) else None
        if request.url.endswith("/robots.txt"):
            yield from self._guessed_sitemaps()  # a robots.txt that failed for good is counted by FailureAccounting
            return
        if request.meta.get("ornaments_guessed_sitemap") and status in (404, 410) and not self.sitemaps_read:
            yield from self.fall_back_to_index(f"no sitemap at {request.url} (HTTP {status})")
            return
        # A sitemap the shop names that cannot be read: its products may be unseen.
        logger.error("Could not read the sitemap %s: %s", request.url, failure.getErrorMessage(), extra={"spider": self})
        self.mark_incomplete(f"sitemap {request.url} unreadable")

    def fall_back_to_index(self, why: str) -> Iterable[scrapy.Request]:
        logger.info("%s; reading the year index instead", why, extra={"spider": self})
        self.crawler.stats.set_value("ornaments/catalog_source", "index (no sitemap)")
        self.source = "index"
        yield from self.index_requests()

    def parse_sitemap(self, response: Response, products_only: bool = False) -> Iterable[scrapy.Request]:
        body = sitemap_body(self, response)
        if body is None:
            self.report_problem("unreadable_sitemap", response.url, "the sitemap is neither XML nor gzipped XML "
                                "(or unpacks to more than DOWNLOAD_MAXSIZE)")
            return
        sitemap = Sitemap(body)
        self.sitemaps_read += 1
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                loc = entry.get("loc")
                if loc and (not self.sitemap_follow or any(re.search(p, loc) for p in self.sitemap_follow)):
                    yield self.sitemap_request(self.rebase(response.urljoin(loc)))
            return
        if sitemap.type != "urlset":
            self.report_problem("unreadable_sitemap", response.url, f"unexpected sitemap root <{sitemap.type}>")
            return
        found = 0
        for entry in sitemap:
            loc = entry.get("loc")
            if loc and (products_only or self.is_product_url(loc)):
                found += 1
                yield self.product_request(self.rebase(response.urljoin(loc)), None, from_sitemap=True)
        self.sitemap_products += found
        self.crawler.stats.inc_value("ornaments/sitemap/product_urls", found)

    def _is_products_sitemap(self, url: str) -> bool:
        return any(re.search(p, url) for p in self.products_sitemaps)

    def sitemap_closed(self) -> None:
        """At the end of a sitemap run: a sitemap without products, or a year none of whose products was read."""
        if self.source != "sitemap" or self.incomplete_reasons:
            return
        if self.sitemaps_read and not self.sitemap_products:
            self.report_problem("empty_sitemap", self.base_url, "the sitemaps list no product pages")
        elif self.year is not None and self.sitemap_products and not self.products_in_year:
            # Nothing of the year was read: a wrong year, or a product page that no longer states it.
            logger.error("No product of %s among the sitemap's %d products", self.year, self.sitemap_products,
                         extra={"spider": self})
            self.mark_incomplete(f"no product of {self.year} in the sitemap")


def sitemap_body(spider: scrapy.Spider, response: Response) -> bytes | None:
    """The XML of a sitemap response, or None: Scrapy's SitemapSpider reading (gunzipped within the size
    limit, warning above the warning size), and also sitemaps served as text/html (BigCommerce's
    xmlsitemap.php behind some proxies)."""
    if gzip_magic_number(response):
        if isinstance(response, XmlResponse):  # Scrapy would return its body as it is, still gzipped
            response = Response(response.url, status=response.status, headers=response.headers,
                                body=response.body, request=response.request)
        return compat.sitemap_body(spider, response)
    if isinstance(response, XmlResponse):
        return compat.sitemap_body(spider, response)
    if b"<urlset" in response.body[:2000] or b"<sitemapindex" in response.body[:2000]:
        return response.body
    return None
