"""hallmarkornaments.com: 3dcart / Shift4Shop.

The category grid is built in the browser, so year listings are rendered by Chromium through
scrapy-playwright; everything else (robots.txt, the year index, product pages) is plain HTTP.
Product pages carry `var _3d_item = {...}`, read as data; microdata and ids fill the rest.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import scrapy
from playwright.async_api import TimeoutError as PlaywrightTimeout
from scrapy.http import Response
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from ornaments.base_spiders.shop import ShopSpider
from ornaments.extract import BrokenData, Structured, js_object, product_fields_from_3d_item
from ornaments.normalize import parse_year

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run"]
GRID_READY = "#itemsBlock .product-item, #itemsBlock .category-empty"  # the theme script has run
GRID_TIMEOUT_MS = 20_000


def abort_request(request) -> bool:
    """The grid needs the page's scripts and data, not its images, fonts or styles."""
    return request.resource_type in ("image", "media", "font", "stylesheet")


class HallmarkOrnamentsSpider(ShopSpider):
    name = "hallmark_ornaments"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.hallmarkornaments.com"
    year_index_path = "/Hallmark-Ornaments-By-Year_c_200.html"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {"http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
                              "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        # One context, a few pages: scrapy-playwright closes each page after its response, so memory
        # stays flat however many listings are rendered.
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_ABORT_REQUEST": abort_request,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    }

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        executable = (settings.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
                      or os.environ.get("ORNAMENTS_CHROMIUM") or "/usr/bin/chromium")
        # Spider priority: PLAYWRIGHT_LAUNCH_OPTIONS given with -s still wins.
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {"executable_path": executable, "headless": True,
                                                   "args": CHROMIUM_ARGS}, priority="spider")

    def listing_request(self, url: str, year: int | None, expect_products: bool = True) -> scrapy.Request:
        request = super().listing_request(_view_all(url), year, expect_products)
        request.meta.update({
            "playwright": True,
            "playwright_page_methods": [PageMethod("wait_for_selector", GRID_READY, timeout=GRID_TIMEOUT_MS)],
        })
        return request

    def request_failed(self, failure: Failure) -> None:
        if failure.check(PlaywrightTimeout):
            # The page loaded but its grid never appeared: the theme changed, not the network.
            self.report_problem("empty_listing", failure.request.url,
                                f"the product grid did not appear within {GRID_TIMEOUT_MS // 1000} s")
            return
        super().request_failed(failure)

    def year_links(self, response: Response) -> list[tuple[int, str]]:
        links = []
        for a in response.css("a.subcat"):
            href = a.attrib.get("href", "")
            year = parse_year(href.rsplit("/", 1)[-1].split("-", 1)[0]) or parse_year(" ".join(a.css("::text").getall()))
            if year and "_c_" in href:
                links.append((year, href))
        return links

    def product_links(self, response: Response) -> list[str]:
        return response.css("#itemsBlock .product-item .product-name a::attr(href)").getall()

    def next_pages(self, response: Response) -> list[str]:
        return response.css("#paging a.next-page::attr(href)").getall()

    def structured_fields(self, response: Response) -> Structured:
        try:
            item = js_object(response.text, "_3d_item")
        except BrokenData as exc:
            return Structured({}, [str(exc)])
        return Structured(product_fields_from_3d_item(item) if item else {}, [])

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        offer = response.css('[itemprop="offers"]')
        year = response.css("#extrafield_1 .value::text").get()
        return {
            "vendor_product_id": response.css('form[name="add"] input[name="item_id"]::attr(value)').get(),
            "sku": response.css('#product_id::text, [itemprop="sku"]::text').get(),
            "name": " ".join(response.css('h1[itemprop="name"] ::text').getall()),
            "brand": "Hallmark",
            "price": offer.css('[itemprop="price"]::attr(content)').get(),
            "currency": offer.css('[itemprop="priceCurrency"]::attr(content)').get(),
            "availability": offer.css('[itemprop="availability"]::attr(href)').get(),
            "release_year": parse_year(year),
            "description": " ".join(response.css('[itemprop="description"] ::text').getall()).strip() or None,
            "image_urls": response.css('img[itemprop="image"]::attr(src)').getall(),
        }


def _view_all(url: str) -> str:
    """3dcart shows a whole category on one page (or a few, for big ones) with ?viewall=1."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "viewall" in query:
        return url
    return urlunsplit(parts._replace(query=urlencode({"viewall": "1", **{k: v[0] for k, v in query.items()}})))
