"""SyncSpider: what every vendor spider shares.

    scrapy crawl <vendor>                     every year (get_all)
    scrapy crawl <vendor> -a year=2020        one year (get_by_year)
    scrapy crawl <vendor> -a url=<page>       one product (get_by_url)
    scrapy crawl <vendor> -a query=<text>     the shop's own search (get_by_query), where it has one
    scrapy crawl <vendor> -a base_url=http://127.0.0.1:8000   a mirror of the shop
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError

from ornaments.items import ProductItem, new_item
from ornaments.normalize import (FIRST_YEAR, clean_text, latest_valid_year, normalize_availability, normalize_url,
                                 identifier, read_gtin, strip_control)
from ornaments.prices import iso_currency, read_price
from ornaments.runs.ledger import RunLedger

logger = logging.getLogger(__name__)

MAX_LOG_LINES_PER_KIND = 20  # per drop reason or warning kind and run


class SyncSpider(scrapy.Spider):
    vendor: str = ""  # the key stored with every product; defaults to the spider's name
    default_base_url: str = ""
    # The currency of prices that name none ("69.9", "$5"); None: such prices are dropped as
    # unknown_currency unless the run declares one with -a currency=EUR.
    default_currency: str | None = None
    price_style: str = "display"  # how price text is written: "display" or "decimal_point" (ornaments.prices)
    # -a url is a page to fetch (shops, shop APIs); a feed spider only filters its records by it (url or id).
    url_is_page: bool = True

    def __init__(self, *args: Any, year: str | None = None, url: str | None = None,
                 query: str | None = None, base_url: str | None = None, currency: str | None = None,
                 **kwargs: Any):
        _refuse_unknown_arguments(type(self), kwargs)
        refuse_empty_arguments(year=year, url=url, query=query, base_url=base_url, currency=currency)
        super().__init__(*args, **kwargs)
        self.declared_currency = _currency_argument(currency) if currency else self.default_currency
        self.vendor = self.vendor or self.name
        chosen = [n for n, v in (("year", year), ("url", url), ("query", query)) if v]
        if len(chosen) > 1:
            raise UsageError(f"{self.name}: give only one of -a year, -a url, -a query (got {', '.join(chosen)})")
        self.year = _year_argument(year) if year else None
        if url and self.url_is_page:
            _web_address_argument("url", url)
        if base_url:
            _web_address_argument("base_url", base_url)
        self.url = url
        self.query = query
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self._own_ledger: RunLedger | None = None  # only for a spider made without a crawler
        self._logged: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        RunLedger.of(crawler).completeness_hook = spider.completeness_problems
        return spider

    # --- the run ledger (ornaments.runs): what the reporting methods below write to ------------------

    @property
    def ledger(self) -> RunLedger:
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            return RunLedger.of(crawler)
        if self._own_ledger is None:
            self._own_ledger = RunLedger()
        return self._own_ledger

    @property
    def problems(self) -> list[str]:
        """Layout problems reported so far; any of them makes the run "suspect"."""
        return self.ledger.problems

    @property
    def incomplete_reasons(self) -> list[str]:
        """Anything reported that means the run did not see everything."""
        return self.ledger.incomplete

    @property
    def seen_but_dropped(self) -> list[str]:
        """Ids of records dropped while read and not yet handed to storage: seen, not gone."""
        return self.ledger.seen_but_dropped

    # --- the contract -----------------------------------------------------------------------------

    @property
    def sync_mode(self) -> str:
        return "url" if self.url else "year" if self.year else "query" if self.query else "all"

    @property
    def sync_arguments(self) -> dict[str, Any]:
        """The arguments as given, for the run record."""
        arguments = {"year": self.year, "url": self.url, "query": self.query}
        if self.declared_currency != self.default_currency:
            arguments["currency"] = self.declared_currency
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
        iterator = iter(requests)
        while True:
            try:
                request = next(iterator)
            except StopIteration:
                return
            except UsageError as exc:  # an argument only get_by_* could judge: one line, exit 2 (commands.crawl)
                self.refuse_argument(str(exc))
                return
            yield request

    def refuse_argument(self, message: str) -> None:
        """A wrong -a value found once the crawl has begun: said in one line, the run reads nothing more
        and removes nothing, and `scrapy crawl` exits 2 with the message (ornaments/usage_error)."""
        self.crawler.stats.set_value("ornaments/usage_error", message)
        logger.error("%s", message, extra={"spider": self})
        self.mark_incomplete(f"wrong argument: {message}")

    def get_all(self) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def get_by_query(self, query: str) -> Iterable[scrapy.Request]:
        raise UsageError(f"{self.name}: this shop has no search; use -a year or -a url")

    # --- helpers for vendor spiders ---------------------------------------------------------------

    def product(self, *, where: str | None = None, **fields: Any) -> ProductItem:
        """A ProductItem for this vendor, with text cleaned, URLs made valid and prices read.

        price and regular_price may be Decimals, PriceReadings or text read in price_style
        ("$1,299.95", "15.00 USD"). The currency is the ISO code or unambiguous symbol in the data,
        else the declared currency (-a currency, or the spider's default_currency); a price with none
        of them is dropped by validation as unknown_currency. A price that is there but cannot be
        read leaves the field empty and names it in item["unreadable"], so storage keeps the stored
        value; it is counted as a bad_price warning. where names the record in log lines.
        """
        # Built as a plain dict and turned into an item once: this runs for every record of a feed.
        data: dict[str, Any] = {"vendor": self.vendor, "image_urls": [], "currency": None, "price": None}
        for key, value in fields.items():
            if value.__class__ is str:
                value = clean_text(value) if key != "description" else strip_control(value)
            data[key] = value
        declared_code = iso_currency(data["currency"]) if data["currency"] else None
        if data["currency"] and declared_code is None:
            self.warn_record("bad_currency", where or describe_record(data),
                             f"currency {str(data['currency'])[:20]!r} is not an ISO 4217 code")
        unreadable = []
        currency = declared_code
        for name in ("price", "regular_price") if "regular_price" in data else ("price",):
            reading = read_price(data[name], self.price_style)
            data[name] = reading.amount
            if reading.bad:
                unreadable.append(name)
                self.warn_record("bad_price", where or describe_record(data), f"{name} {reading.bad}")
            elif reading.amount is not None:
                found = reading.currency or declared_code
                if currency and found and found != currency:  # a regular price in another currency
                    self.warn_record("bad_price", where or describe_record(data),
                                     f"{name} is in {found}, the price in {currency}")
                    data[name] = None
                    continue
                currency = currency or found
        if unreadable:
            data["unreadable"] = unreadable
        has_price = data["price"] is not None or data.get("regular_price") is not None
        data["currency"] = (currency or self.declared_currency) if has_price else None
        data["availability"] = normalize_availability(data.get("availability"))
        if data.get("url"):
            data["url"] = normalize_url(data["url"])
        data["image_urls"] = [normalize_url(u) for u in dict.fromkeys(data["image_urls"] or ()) if u]
        if data.get("gtin") and not identifier(str(data["gtin"])):
            data["gtin"] = None  # "Does not apply", "N/A": the feed says there is none, which is no bad barcode
        if data.get("gtin"):
            # The code as it was before a spreadsheet wrote it ("7.63795899302E+11", a UPC's 0 dropped).
            digits = read_gtin(data["gtin"])
            if digits:
                data["gtin"] = digits
            else:
                self.warn_record("bad_gtin", where or describe_record(data),
                                 f"gtin {str(data['gtin'])[:20]!r} is no barcode (its check digit, length or "
                                 "lost digits); left empty")
                data["gtin"] = None
        return new_item(data)

    def report_problem(self, kind: str, url: str, message: str) -> None:
        """A sign that the shop changed its layout: an ERROR naming the URL, and a suspect run."""
        self.ledger.problem(kind, url)
        self.crawler.stats.inc_value(f"ornaments/problems/{kind}")
        logger.error("%s: %s (%s)", kind.replace("_", " "), message, url, extra={"spider": self})

    def mark_incomplete(self, reason: str) -> None:
        """The run did not see the whole scope: it must not mark anything removed."""
        self.ledger.mark_incomplete(reason)
        self.crawler.stats.inc_value("ornaments/incomplete")

    def completeness_problems(self) -> list[str]:
        """Why this run may not have seen its whole scope (empty when it did). Subclasses add checks;
        the ledger asks this once at the end of the run."""
        return list(self.ledger.incomplete)

    def drop_row(self, reason: str, where: str, message: str, key: str | None = None) -> None:
        """A source record that cannot become an item: logged with its place and counted by reason.

        key is the record's vendor_product_id when it could be read: the product counts as seen,
        so a record we could not read never removes a product that is still for sale.
        """
        self.crawler.stats.inc_value(f"ornaments/dropped/{reason}")
        if key:
            self.ledger.seen_dropped(key)
        if self._log_allowed(f"dropped/{reason}"):
            logger.warning("Dropped %s%s: %s (%s)", where, f" (id {key})" if key else "", message[:300], reason,
                           extra={"spider": self})

    def warn_record(self, kind: str, where: str, message: str) -> None:
        """One odd field of a record that is still stored (its value left empty): counted, logged a few times."""
        self.crawler.stats.inc_value(f"ornaments/warnings/{kind}")
        if self._log_allowed(f"warnings/{kind}"):
            logger.warning("%s: %s (%s)", where, message[:300], kind, extra={"spider": self})

    def _log_allowed(self, kind: str) -> bool:
        """At most MAX_LOG_LINES_PER_KIND lines of one kind: the log stays bounded, the stats count all."""
        count = self._logged[kind] = self._logged.get(kind, 0) + 1
        if count == MAX_LOG_LINES_PER_KIND + 1:
            logger.warning("More %s records than %d: further ones are counted in the stats, not logged.",
                           kind.replace("/", " "), MAX_LOG_LINES_PER_KIND, extra={"spider": self})
        return count <= MAX_LOG_LINES_PER_KIND


def describe_record(data: dict) -> str:
    return f"record {data.get('vendor_product_id') or data.get('sku') or '?'}"


def _year_argument(value: str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise UsageError(f"-a year must be a year such as 2020, not {value!r}") from None
    if not FIRST_YEAR <= year <= latest_valid_year():
        raise UsageError(f"-a year must be between {FIRST_YEAR} and {latest_valid_year()}, not {year}")
    return year


def spider_arguments(spidercls: type) -> list[str]:
    """The -a names a spider takes: the keyword parameters of its classes' __init__."""
    names: set[str] = set()
    for cls in spidercls.__mro__:
        init = cls.__dict__.get("__init__")
        if init is None or cls is scrapy.Spider or cls is object:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD) and parameter.name != "self":
                names.add(parameter.name)
    return sorted(names)


def _refuse_unknown_arguments(spidercls: type, given: dict[str, Any]) -> None:
    """A misspelt -a (yaer=2020) would otherwise be ignored, and the run sync everything and remove what it
    did not see. Names starting with "_" pass (Scrapyd adds _job)."""
    known = spider_arguments(spidercls)
    unknown = [name for name in given if not name.startswith("_") and name not in known]
    if unknown:
        raise UsageError(f"{spidercls.name} takes no -a {', -a '.join(unknown)}; "
                         f"it takes -a {', -a '.join(known)}")


def refuse_empty_arguments(**given: str | None) -> None:
    """`-a feed=$FEED` with FEED unset gives an empty value, which would pass for "not given": the default
    feed or the whole catalogue synced, and what it lacks removed. An empty value is refused instead."""
    empty = [name for name, value in given.items() if value is not None and not str(value).strip()]
    if empty:
        raise UsageError(f"-a {empty[0]} is empty (an unset shell variable?); give a value or leave -a {empty[0]} out")


def _web_address_argument(name: str, value: str) -> None:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"-a {name} must be an http:// or https:// address, not {value!r}")


def _currency_argument(value: str) -> str:
    code = iso_currency(value)
    if code is None or len(code) != 3:
        raise UsageError(f"-a currency must be an ISO 4217 code such as EUR, not {value!r}")
    return code
