"""LinkCheckSpider: follow each live product's affiliate link and record where it lands (link_checks).

    scrapy crawl linkcheck [-a vendor=awin_30347] [-a sample=50] [-a year=2020 | -a url=<product url>]

Each hop is asked with HEAD (GET when HEAD is refused), redirects are followed by hand so the chain is
recorded, at most ORNAMENTS_LINKCHECK_MAX_HOPS of them; a URL met twice is a redirect loop; a click page's
prompt meta refresh counts as a redirect. The landing page is then read with GET and judged
(networks/landing.py). robots.txt is obeyed on the merchant's site (a forbidden page is judged on the
chain that reached it); the networks' redirectors are followed as a buyer's click is. Politeness: the project's per-host
concurrency and delay; ORNAMENTS_LINKCHECK_TIMEOUT bounds a slow host.

Each check is a link_checks row; a link that stops earning (broken, redirected-away) sends link_broken
through the outbox, one that earns again link_fixed. A vendor whose share of such links passes
ORNAMENTS_LINKCHECK_ALERT_SHARE is an ERROR and an alert.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response, TextResponse
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.response import get_meta_refresh

from ornaments.base_spiders.base import SyncSpider
from ornaments.base_spiders.networks.landing import classify
from ornaments.deeplinks import is_tracked
from ornaments.env import setting_float, setting_int
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE
from ornaments.signals import RunReport, run_recorded
from ornaments.storage.link_checks import LinkCheck, LinkChecks, ToCheck, link_health

logger = logging.getLogger(__name__)
META_REFRESH_MAX_DELAY = 10  # seconds


@dataclass(frozen=True)
class LinkCheckConfig:
    max_hops: int
    timeout: float
    alert_share: float  # a vendor with more of its checked links not earning is alerted
    alert_min_checked: int  # ...once at least this many of its links were checked
    network_hosts: tuple[str, ...]  # tracking domains beyond the known ones (goto.<brand>.com)

    @classmethod
    def from_settings(cls, settings) -> "LinkCheckConfig":
        return cls(setting_int(settings, "ORNAMENTS_LINKCHECK_MAX_HOPS", minimum=1),
                   setting_float(settings, "ORNAMENTS_LINKCHECK_TIMEOUT", minimum=0.1),
                   setting_float(settings, "ORNAMENTS_LINKCHECK_ALERT_SHARE", minimum=0, maximum=1),
                   setting_int(settings, "ORNAMENTS_LINKCHECK_ALERT_MIN", minimum=1),
                   tuple(h.strip().lower() for h in settings.getlist("ORNAMENTS_LINKCHECK_NETWORK_HOSTS") if h.strip()))


class LinkCheckSpider(SyncSpider):
    custom_settings = {"ITEM_PIPELINES": {}, "ROBOTSTXT_OBEY": True}  # checks are no products: no sync run
    url_is_page = True

    def __init__(self, *args: Any, vendor: str | None = None, sample: str | None = None, **kwargs: Any):
        if vendor is not None and not VENDOR_NAME.match(vendor):
            raise UsageError(f"-a vendor must be {VENDOR_NAME_RULE}, not {vendor!r}")
        if sample is not None and not (sample.strip().isdigit() and int(sample) > 0):
            raise UsageError(f"-a sample must be a number of products per vendor above 0, not {sample!r}")
        super().__init__(*args, **kwargs)
        self.only_vendor = vendor
        self.sample = int(sample) if sample else None
        self.checks: LinkChecks | None = None
        self.config: LinkCheckConfig | None = None  # from the crawler's settings (from_crawler)
        self.vendors_checked: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = LinkCheckConfig.from_settings(crawler.settings)
        crawler.signals.connect(spider.report_health, signal=signals.spider_closed)
        return spider

    # The products come from our database; a data: request starts the reading, so every mode yields a request.
    def _begin(self, **scope: Any) -> Iterable[scrapy.Request]:
        yield scrapy.Request("data:,linkcheck", callback=self.begin, cb_kwargs=scope, dont_filter=True)

    def get_all(self) -> Iterable[scrapy.Request]:
        return self._begin()

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        return self._begin(year=year)

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        return self._begin(url=url)

    async def begin(self, response: Response, year: int | None = None, url: str | None = None) -> AsyncIterator[Any]:
        self.checks = LinkChecks(self.settings.get("DATABASE_URL"))
        products = await run_in_thread(self.checks.products, self.only_vendor, self.sample, year, url)
        self.crawler.stats.set_value("ornaments/linkcheck/products", len(products))
        if not products and (self.only_vendor or url):  # a mistyped vendor or address: said, exit 2
            given = f"-a vendor={self.only_vendor}" if self.only_vendor else f"-a url={url}"
            self.refuse_argument(f"no live product with a link for {given}")
            return
        logger.info("Checking the links of %d products", len(products), extra={"spider": self})
        for product in products:
            yield self.hop(product, product.link, [], "HEAD")

    def hop(self, product: ToCheck, url: str, chain: list, method: str) -> scrapy.Request:
        network = is_tracked(url, self.config.network_hosts)
        return scrapy.Request(url, method=method, callback=self.answered, errback=self.failed, dont_filter=True,
                              cb_kwargs={"product": product, "chain": chain},
                              meta={"dont_redirect": True, "handle_httpstatus_all": True, "max_retry_times": 1,
                                    "download_timeout": self.config.timeout,
                                    # robots.txt is the merchant's word on its own pages, not the redirector's
                                    "dont_obey_robotstxt": network, "product": product, "chain": chain})

    def answered(self, response: Response, product: ToCheck, chain: list) -> Iterable[scrapy.Request]:
        method, status = response.request.method, response.status
        if method == "HEAD" and status in (403, 405, 501):  # HEAD refused: ask again with GET
            yield self.hop(product, response.url, chain, "GET")
            return
        chain = [*chain, (status, response.url)] if method == "HEAD" or not chain or chain[-1][1] != response.url else chain
        if 300 <= status < 400:
            location = response.headers.get("Location")
            if not location:  # nowhere to go: the click ends here
                self.finish(self._broken(product, status, response.url, chain, f"HTTP {status} without a Location"))
                return
            yield from self.follow(product, chain, status, urljoin(response.url, location.decode("latin-1")))
            return
        if method == "HEAD" and 200 <= status < 300:  # arrived: read the page
            yield self.hop(product, response.url, chain, "GET")
            return
        delay, refresh = get_meta_refresh(response) if status == 200 and isinstance(response, TextResponse) else (0, None)
        # A click page that moves on by <meta http-equiv="refresh"> while the buyer looks (not a page that
        # reloads itself, nor one that moves on after minutes).
        if refresh and refresh != response.url and delay <= META_REFRESH_MAX_DELAY:
            yield from self.follow(product, chain, status, refresh)
            return
        html = response.text if method == "GET" and isinstance(response, TextResponse) else ""
        landing = classify(product.link, product.url, response.url, status, html, product.price,
                           product.availability, self.config.network_hosts)
        self.finish(LinkCheck(product.product_id, product.vendor, product.vendor_product_id, product.link,
                              landing.outcome, status, response.url, chain, landing.lands_on_product,
                              landing.tracking_kept, landing.page_price, landing.page_availability, landing.detail))

    def follow(self, product: ToCheck, chain: list, status: int, target: str) -> Iterable[scrapy.Request]:
        """The next hop, unless it closes a loop or passes the most hops allowed."""
        if target in {u for _, u in chain}:
            self.finish(self._broken(product, status, target, chain, f"a redirect loop back to {target}"))
        elif len(chain) >= self.config.max_hops:
            self.finish(self._broken(product, status, target, chain, f"more than {self.config.max_hops} redirects"))
        else:
            yield self.hop(product, target, chain, "HEAD")

    @staticmethod
    def _broken(product: ToCheck, status: int | None, url: str, chain: list, detail: str) -> LinkCheck:
        return LinkCheck(product.product_id, product.vendor, product.vendor_product_id, product.link, "broken",
                         status, url, chain, False, None, detail=detail)

    def failed(self, failure) -> None:
        request = failure.request
        product, chain = request.meta["product"], request.meta["chain"]
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            # The merchant's robots.txt forbids its page: never requested. What the chain showed up to it is
            # judged (another site, the home page, the click id dropped); if nothing is wrong, ok, with
            # lands_on_product unknown and the reason in the detail.
            landing = classify(product.link, product.url, request.url, 200, "", product.price, product.availability,
                               self.config.network_hosts)
            detail = "robots.txt forbids reading the merchant's page; judged on the chain that reached it"
            self.finish(LinkCheck(product.product_id, product.vendor, product.vendor_product_id, product.link,
                                  landing.outcome, None, request.url, chain, None, landing.tracking_kept,
                                  detail=detail if landing.outcome == "ok" else f"{landing.detail} ({detail})"))
            return
        why = f"{type(failure.value).__name__}: {' '.join(str(failure.value).split())[:200]}"
        self.finish(self._broken(product, None, request.url, [*chain, (None, request.url)],
                                 f"no answer from {request.url} ({why})"))

    def finish(self, check: LinkCheck) -> None:
        event = self.checks.record(check)
        self.vendors_checked.add(check.vendor)
        self.crawler.stats.inc_value(f"ornaments/linkcheck/{check.outcome}")
        if event:
            self.crawler.stats.inc_value(f"ornaments/linkcheck/events/{event}")
        if check.outcome != "ok":
            logger.warning("%s %s: %s (%s)", check.vendor, check.vendor_product_id, check.outcome, check.detail,
                           extra={"spider": self})

    async def report_health(self, spider, reason: str) -> None:
        """Per vendor checked: too many links that do not earn is an ERROR and an alert (the configured
        channels of ornaments.extensions.alerts, through run_recorded)."""
        if self.checks is None:
            return
        try:
            health = await run_in_thread(self._health)
        finally:
            self.checks.close()
        for entry in health:
            if entry["checked"] < self.config.alert_min_checked or entry["broken_share"] <= self.config.alert_share:
                continue
            message = (f"links of {entry['vendor']}: {entry['broken'] + entry['redirected-away']} of {entry['checked']} "
                       f"checked do not earn ({100 * entry['broken_share']:.0f}%, above ORNAMENTS_LINKCHECK_ALERT_SHARE="
                       f"{self.config.alert_share:g}): broken {entry['broken']}, redirected away {entry['redirected-away']}")
            self.crawler.stats.set_value(f"ornaments/linkcheck/alert/{entry['vendor']}", entry["broken_share"])
            logger.error("%s", message[0].upper() + message[1:], extra={"spider": self})
            counts = {k.replace("-", "_"): v for k, v in entry.items() if isinstance(v, int)}
            await self.crawler.signals.send_catch_log_async(run_recorded, report=RunReport(
                None, self.name, entry["vendor"], "suspect", [message], counts))

    def _health(self) -> list[dict]:
        with self.checks.engine.connect() as conn:
            return [h for h in link_health(conn) if h["vendor"] in self.vendors_checked]
