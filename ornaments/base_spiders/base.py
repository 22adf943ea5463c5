"""SyncSpider: what every vendor spider shares.

    scrapy crawl <vendor>                     every year (get_all)
    scrapy crawl <vendor> -a year=2020        one year (get_by_year)
    scrapy crawl <vendor> -a url=<page>       one product (get_by_url)
    scrapy crawl <vendor> -a query=<text>     the shop's own search (get_by_query), where it has one
    scrapy crawl <vendor> -a base_url=http://127.0.0.1:8000   a mirror of the shop
"""

from __future__ import annotations

import logging
from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy.exceptions import UsageError

from ornaments.items import ProductItem
from ornaments.normalize import FIRST_YEAR, clean_text, latest_valid_year, normalize_availability, parse_price

logger = logging.getLogger(__name__)


class SyncSpider(scrapy.Spider):
    vendor: str = ""  # the key stored with every product; defaults to the spider's name
    default_base_url: str = ""
    default_currency: str = "USD"

    def __init__(self, *args: Any, year: str | None = None, url: str | None = None,
                 query: str | None = None, base_url: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.vendor = self.vendor or self.name
        chosen = [n for n, v in (("year", year), ("url", url), ("query", query)) if v]
        if len(chosen) > 1:
            raise UsageError(f"{self.name}: give only one of -a year, -a url, -a query (got {', '.join(chosen)})")
        self.year = _year_argument(year) if year else None
        self.url = url
        self.query = query
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.problems: list[str] = []  # layout problems; any of them makes the run "suspect"
        self.incomplete_reasons: list[str] = []  # anything that means the run did not see everything

    # --- the contract -----------------------------------------------------------------------------

    @property
    def sync_mode(self) -> str:
        return "url" if self.url else "year" if self.year else "query" if self.query else "all"

    @property
    def sync_arguments(self) -> dict[str, Any]:
        """The arguments as given, for the run record."""
        arguments = {"year": self.year, "url": self.url, "query": self.query}
        if self.base_url != self.default_base_url.rstrip("/"):
            arguments["base_url"] = self.base_url
        return {k: v for k, v in arguments.items() if v is not None}

    async def start(self) -> AsyncIterator[Any]:
        if self.url:
            requests = self.get_by_url(self.url)
        elif self.year:
            requests = self.get_by_year(self.year)
        elif self.query:
            requests = self.get_by_query(self.query)
        else:
            requests = self.get_all()
        for request in requests:
            yield request

    def get_all(self) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        raise UsageError(f"{self.name}: this shop has no search; use -a year or -a url")

    # --- helpers for vendor spiders ---------------------------------------------------------------

    def product(self, **fields: Any) -> ProductItem:
        """A ProductItem for this vendor, with text cleaned and price and availability normalized.

        price may be a Decimal or text such as "$1,299.95"; currency defaults to default_currency.
        """
        # Built as a plain dict and turned into an item once: this runs for every record of a feed.
        data: dict[str, Any] = {"vendor": self.vendor, "image_urls": [], "currency": None, "price": None}
        for key, value in fields.items():
            data[key] = clean_text(value) if key != "description" and value.__class__ is str else value
        price = data["price"]
        if price is None or price.__class__ is str:
            price, currency = parse_price(price, default_currency=None)
            data["price"] = price
            data["currency"] = data["currency"] or currency
        if data["price"] is not None and not data["currency"]:
            data["currency"] = self.default_currency
        data["availability"] = normalize_availability(data.get("availability"))
        data["image_urls"] = [u for u in dict.fromkeys(data["image_urls"] or ()) if u]
        return ProductItem(data)

    def report_problem(self, kind: str, url: str, message: str) -> None:
        """A sign that the shop changed its layout: an ERROR naming the URL, and a suspect run."""
        self.problems.append(f"{kind}: {url}")
        self.crawler.stats.inc_value(f"ornaments/problems/{kind}")
        logger.error("%s: %s (%s)", kind.replace("_", " "), message, url, extra={"spider": self})

    def mark_incomplete(self, reason: str) -> None:
        """The run did not see the whole scope: it must not mark anything removed."""
        if len(self.incomplete_reasons) < 100:  # the first ones tell the story; the count tells the rest
            self.incomplete_reasons.append(reason)
        self.crawler.stats.inc_value("ornaments/incomplete")

    def completeness_problems(self) -> list[str]:
        """Why this run may not have seen its whole scope (empty when it did). Subclasses add checks."""
        return list(self.incomplete_reasons)

    def drop_row(self, reason: str, where: str, message: str) -> None:
        """A source record that cannot become an item: logged with its place and counted by reason."""
        self.crawler.stats.inc_value(f"ornaments/dropped/{reason}")
        logger.warning("Dropped %s: %s (%s)", where, message, reason, extra={"spider": self})


def _year_argument(value: str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise UsageError(f"-a year must be a year such as 2020, not {value!r}") from None
    if not FIRST_YEAR <= year <= latest_valid_year():
        raise UsageError(f"-a year must be between {FIRST_YEAR} and {latest_valid_year()}, not {year}")
    return year
