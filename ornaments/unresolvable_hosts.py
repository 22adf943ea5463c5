"""UnresolvableHostMiddleware: a host whose name does not resolve is given up for the rest of the run.

A name that does not resolve (NXDOMAIN: a CDN domain that lapsed, a typo in a feed's image links) is not
a passing fault, yet Scrapy retries it like one, for each request: 334 images from such a host took
458 s of retries. Here, after ORNAMENTS_DNS_FAILURES_PER_HOST failed lookups of one host (every attempt
counts, retries too), every further side request to that host (images, its robots.txt: Scrapy's
NO_CALLBACK requests) fails at once with UnresolvableHost, without retries, and one WARNING at the end
of the run says how many were skipped. A skipped image is counted by the images pipeline under
ornaments/images/failed/unresolvable-host and its product is kept.

Pages of the spider's own keep their bounded retries: a resolver that fails for a moment must not cost
the catalogue's pages for the whole run (an image is fetched again next run; a page lost makes the run
incomplete). 0 turns this off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy import Request, signals
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from ornaments.env import setting_int

logger = logging.getLogger(__name__)


class UnresolvableHost(IgnoreRequest):
    """The request's host did not resolve several times this run; it was not asked again."""


@dataclass(frozen=True)
class DnsGuardConfig:
    failures_per_host: int  # 0: never give a host up (ORNAMENTS_DNS_FAILURES_PER_HOST)

    @classmethod
    def from_settings(cls, settings) -> "DnsGuardConfig":
        return cls(setting_int(settings, "ORNAMENTS_DNS_FAILURES_PER_HOST", minimum=0))


class UnresolvableHostMiddleware:
    """Sits inside RetryMiddleware (a higher order), so it sees every attempt, retries included, and a
    request it refuses is not retried. Every failed lookup counts, a page's too; only side requests are
    refused."""

    def __init__(self, crawler, config: DnsGuardConfig):
        self.crawler = crawler
        self.config = config
        self.failures: dict[str, int] = {}  # host -> failed lookups so far
        self.skipped: dict[str, int] = {}  # given-up host -> requests refused since

    @classmethod
    def from_crawler(cls, crawler):
        config = DnsGuardConfig.from_settings(crawler.settings)
        if not config.failures_per_host:
            raise NotConfigured("ORNAMENTS_DNS_FAILURES_PER_HOST is 0")
        middleware = cls(crawler, config)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if request.callback is not NO_CALLBACK:
            return
        host = urlparse_cached(request).hostname
        if host in self.skipped:
            self.skipped[host] += 1
            self.crawler.stats.inc_value("ornaments/dns/skipped_requests")
            raise UnresolvableHost(f"{host} does not resolve (given up after {self.failures[host]} failed lookups)")

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, (CannotResolveHostError, DNSLookupError)):
            return None
        host = urlparse_cached(request).hostname
        if not host or host in self.skipped:
            return None
        self.failures[host] = self.failures.get(host, 0) + 1
        if self.failures[host] >= self.config.failures_per_host:
            self.skipped[host] = 0
            self.crawler.stats.inc_value("ornaments/dns/unresolvable_hosts")
            logger.info("%s did not resolve %d times: no further requests go to it this run", host,
                        self.failures[host], extra={"spider": self.crawler.spider})
        return None  # RetryMiddleware decides; its retry meets process_request above

    def spider_closed(self, spider) -> None:
        for host, skipped in self.skipped.items():
            self.crawler.stats.inc_value("ornaments/warnings/unresolvable_host")
            logger.warning("The host %s does not resolve (%d failed lookups): %d further request(s) to it were "
                           "skipped for the rest of the run; products keep their other images (unresolvable_host)",
                           host, self.failures[host], skipped, extra={"spider": spider})
