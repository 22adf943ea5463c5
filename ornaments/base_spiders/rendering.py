"""BrowserListings: listings rendered in Chromium only when their static HTML holds no product links.

The first listing whose static HTML shows neither products nor further pages is fetched again through
scrapy-playwright, and from then on every listing of the run is rendered (decided once per run, logged
once). A shop that moved to static HTML needs no browser; one that builds its grid in JavaScript still
works; a rendered listing that still shows nothing is a layout problem as before. Product pages, the
year index and sitemaps always take the plain HTTP path.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.settings.default_settings import RETRY_EXCEPTIONS
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run"]
RENDER_TIMEOUT_MS = 20_000
RENDER_MODES = ("auto", "always", "never")


def abort_request(request) -> bool:
    """A grid needs the page's scripts and data, not its images, fonts or styles."""
    return request.resource_type in ("image", "media", "font", "stylesheet")


BROWSER_SETTINGS: dict[str, Any] = {
    # scrapy-playwright passes requests without meta["playwright"] to Scrapy's own HTTP handler, and
    # starts Chromium only at the first rendered page.
    "DOWNLOAD_HANDLERS": {"http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
                          "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"},
    "PLAYWRIGHT_BROWSER_TYPE": "chromium",
    # One context, a few pages: scrapy-playwright closes each page after its response, so memory stays flat.
    "PLAYWRIGHT_MAX_CONTEXTS": 1,
    "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
    "PLAYWRIGHT_ABORT_REQUEST": abort_request,
    "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
    # A page that did not settle in time on a busy machine is retried (with backoff) like a network error;
    # only one that never does is reported (request_failed).
    # By name: the spider modules are all imported by every crawl, and playwright takes 0.1 s to import.
    "RETRY_EXCEPTIONS": [*RETRY_EXCEPTIONS, "playwright.async_api.TimeoutError"],
}


class BrowserListings:
    """Mixin for ShopSpider subclasses (before the ShopSpider base); add BROWSER_SETTINGS to custom_settings."""

    render_listings: str = "auto"  # "auto": when static HTML has no products; "always"; "never". -a render=...

    def __init__(self, *args: Any, render: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if render is not None and render not in RENDER_MODES:
            raise UsageError(f"-a render must be one of {', '.join(RENDER_MODES)}, not {render!r}")
        self.render_mode = render or self.render_listings
        self.rendering = self.render_mode == "always"

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        # The project's setting: the environment's PLAYWRIGHT_CHROMIUM_EXECUTABLE or ORNAMENTS_CHROMIUM, else a default.
        executable = settings.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
        # Spider priority: PLAYWRIGHT_LAUNCH_OPTIONS given with -s still wins.
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {"executable_path": executable, "headless": True,
                                                   "args": CHROMIUM_ARGS}, priority="spider")

    def listing_request(self, url: str, year: int | None, expect_products: bool = True) -> scrapy.Request:
        request = super().listing_request(url, year, expect_products)
        return self.rendered(request) if self.rendering else request

    @staticmethod
    def rendered(request: scrapy.Request) -> scrapy.Request:
        request.meta.update({
            "playwright": True,
            # Theme-independent: wait until the page's own scripts have fetched what they build the grid from.
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle", timeout=RENDER_TIMEOUT_MS)],
        })
        return request

    def listing_empty(self, response: Response, year: int | None, expect_products: bool) -> Iterable[scrapy.Request]:
        if was_rendered(response) or self.render_mode == "never":
            yield from super().listing_empty(response, year, expect_products)
            return
        if not self.rendering:
            self.rendering = True
            self.crawler.stats.set_value("ornaments/listings/render_reason", response.url)
            logger.info("The static HTML of the listing %s holds no product links: listings of this run are "
                        "rendered in Chromium", response.url, extra={"spider": self})
        request = self.listing_request(response.url, year, expect_products)  # rendered from now on
        request.dont_filter = True  # the same URL again, through the browser
        yield request

    def parse_listing(self, response: Response, year: int | None, expect_products: bool = True):
        if was_rendered(response):
            self.crawler.stats.inc_value("ornaments/listings/rendered")
        yield from super().parse_listing(response, year, expect_products)

    def request_failed(self, failure: Failure) -> None:
        from playwright.async_api import TimeoutError as PlaywrightTimeout  # loaded by then (a browser ran)
        if failure.check(PlaywrightTimeout):
            # Retried, and its scripts still never settled: the theme changed, not the network.
            self.report_problem("empty_listing", failure.request.url,
                                f"the listing did not finish loading in the browser within {RENDER_TIMEOUT_MS // 1000} s")
            return
        super().request_failed(failure)


def was_rendered(response: Response) -> bool:
    return response.request is not None and bool(response.request.meta.get("playwright"))
