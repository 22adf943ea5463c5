"""Rakuten Advertising (LinkShare) product catalogues: the pipe-delimited "Merchandiser" file.

    HDR|<merchant id>|<merchant name>|<created>
    <product id>|<name>|<sku>|<primary category>|<secondary>|<product URL>|<image URL>|<buy URL>|<short>|<long>|
        <discount>|<discount type>|<sale price>|<retail price>|<sale begin>|<sale end>|<brand>|<shipping>|
        <keywords>|<mpn>|<manufacturer>|<shipping info>|<availability>|<UPC>|<class id>|<currency>|<M1>|
        <pixel>|<attributes 1-10>|<modification: A, U or D>
    TRL|<number of product rows>

Fields are not quoted (a pipe never occurs inside one). The product URL is the tracked link
(click.linksynergy.com/link?...&murl=<the merchant's page>): it is the affiliate_url, and murl the url.

Completeness: a file whose TRL count disagrees with its rows, or that has no TRL line, was cut short:
the run is incomplete and removes nothing. A delta file (-a delta=true, or "delta" in its name) holds
only changes: the run is partial (no sweep), and its rows flagged D remove exactly those products once
the run is recorded finished or partial.
"""

from __future__ import annotations

import io
import logging
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.utils.asyncio import run_in_thread

from ornaments.base_spiders.csv_layouts import sale_is_on
from ornaments.base_spiders.feeds import FeedSpider
from ornaments.base_spiders.networks.archives import damage_reported, unpacked
from ornaments.env import parse_flag
from ornaments.feed_download import open_body
from ornaments.items import ProductItem
from ornaments.normalize import identifier
from ornaments.signals import RunReport, run_recorded
from ornaments.storage.listed_removal import remove_listed

logger = logging.getLogger(__name__)

# 0-based positions of the pipe layout's fields.
(PRODUCT_ID, NAME, SKU, CATEGORY, SECONDARY, PRODUCT_URL, IMAGE_URL, BUY_URL, SHORT, LONG, _DISCOUNT, _DISCOUNT_TYPE,
 SALE_PRICE, RETAIL_PRICE, SALE_BEGIN, SALE_END, BRAND, _SHIPPING, _KEYWORDS, MPN, MANUFACTURER, _SHIPPING_INFO,
 AVAILABILITY, UPC, _CLASS_ID, CURRENCY) = range(26)
MIN_FIELDS = CURRENCY + 1
DELETED = "D"
# Availability words of Rakuten's Japanese and global shops that ornaments.normalize does not know.
AVAILABILITY_WORDS = {"あり": "in_stock", "在庫あり": "in_stock", "なし": "out_of_stock", "在庫なし": "out_of_stock"}


def merchant_page(tracked: str) -> str | None:
    """The merchant's page a LinkShare link leads to (its murl, or RD_PARM1 of the older form)."""
    query = parse_qs(urlsplit(tracked).query)
    for name in ("murl", "RD_PARM1"):
        if query.get(name):
            return query[name][0]
    return None


class RakutenCatalogueSpider(FeedSpider):
    merchant_id: str | None = None  # the MID; -a merchant overrides it

    def __init__(self, *args: Any, merchant: str | None = None, delta: str | None = None, **kwargs: Any):
        if merchant is not None and not merchant.strip().isdigit():
            raise UsageError(f"-a merchant must be a Rakuten Advertising merchant id (MID, digits), not {merchant!r}")
        if merchant and not self.vendor and not kwargs.get("vendor"):
            self.vendor = f"rakuten_{merchant.strip()}"
        super().__init__(*args, **kwargs)
        self.merchant_id = merchant.strip() if merchant else self.merchant_id
        self.delta_argument = parse_flag(f"{self.name}: -a delta", delta) if delta not in (None, "") else None
        self.deleted: list[str] = []
        self.rows_read = 0

    @property
    def is_delta(self) -> bool:
        if self.delta_argument is not None:
            return self.delta_argument
        return "delta" in urlsplit(self.feed_url()).path.rsplit("/", 1)[-1].lower()

    @property
    def sync_mode(self) -> str:
        mode = super().sync_mode
        return "partial" if mode == "all" and self.is_delta else mode

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.merchant_id and self.merchant_id != type(self).merchant_id:
            arguments["merchant"] = self.merchant_id
        if self.delta_argument is not None:
            arguments["delta"] = self.delta_argument
        return arguments

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.remove_deleted, signal=run_recorded)
        return spider

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        with open_body(response) as (raw, size):
            self.reading(raw, size)
            try:
                with damage_reported(self._damaged, response.url), \
                        unpacked(raw, response.url) as (stream, _kind):
                    head = stream.read(4096)
                    stream.seek(0)
                    if self.not_text(response.url, head):
                        return
                    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
                    try:
                        yield from self._lines(text, response.url)
                    finally:
                        text.detach()
            finally:
                self.done_reading()

    def _lines(self, text: io.TextIOWrapper, feed_url: str) -> Iterator[ProductItem]:
        header_seen, trailer = False, None
        for number, line in enumerate(text, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("|")
            if fields[0] == "HDR":
                header_seen = True
                mid = fields[1].strip() if len(fields) > 1 else ""
                if self.merchant_id and mid and mid != self.merchant_id:
                    self._damaged(feed_url, "another merchant's file",
                                  f"its HDR names merchant {mid}, this run syncs {self.merchant_id}; nothing was read")
                    return
                self.crawler.stats.set_value("ornaments/rakuten/merchant", f"{mid} {fields[2] if len(fields) > 2 else ''}".strip())
                continue
            if fields[0] == "TRL":
                trailer = fields[1].strip() if len(fields) > 1 else ""
                continue
            if trailer is not None:
                self._damaged(feed_url, "rows after the trailer", f"line {number} follows the TRL line")
                return
            self.rows_read += 1
            if len(fields) < MIN_FIELDS:
                self.drop_row("malformed_row", f"line {number}", f"{len(fields)} fields, the layout has at least "
                              f"{MIN_FIELDS}", key=fields[0].strip() or None)
                continue
            if fields[-1].strip().upper() == DELETED:
                self.deleted.append(fields[PRODUCT_ID].strip())
                continue
            try:
                yield self.product_of(fields, number)
            except Exception as exc:
                if not self.record_failed(feed_url, f"line {number}", exc):
                    return
        if not header_seen:
            self.report_problem("no_rakuten_header", feed_url, "the file has no HDR| line: not a Rakuten catalogue?")
        if trailer is None:
            self._damaged(feed_url, "no trailer", f"it has no TRL| line after its {self.rows_read} rows: cut short")
        elif not trailer.isdigit() or int(trailer) != self.rows_read:
            self._damaged(feed_url, "trailer count disagrees",
                          f"its TRL line counts {trailer!r} rows, the file has {self.rows_read}: it was cut short")

    def product_of(self, f: list[str], line: int) -> ProductItem:
        key = f[PRODUCT_ID].strip()
        # The manufacturer's part number before the merchant's own SKU, as Awin's mpn, CJ's
        # manufacturer-sku and Merchant's mpn: it is what names the product across shops.
        sku = identifier(f[MPN]) or f[SKU].strip() or key
        tracked = f[PRODUCT_URL].strip() or f[BUY_URL].strip()
        sale, retail = f[SALE_PRICE].strip(), f[RETAIL_PRICE].strip()
        on_sale = sale and sale != retail and sale_is_on(f[SALE_BEGIN].strip(), f[SALE_END].strip())
        availability = f[AVAILABILITY].strip()
        category = " > ".join(p for p in (f[CATEGORY].strip(), *f[SECONDARY].split("~~")) if p.strip())
        return self.product(
            where=f"line {line} (id {key})", vendor_product_id=key, sku=sku,
            gtin=f[UPC].strip() or None, name=f[NAME], brand=f[BRAND].strip() or f[MANUFACTURER].strip() or None,
            description=f[LONG].strip() or f[SHORT].strip(), category=category or None,
            url=merchant_page(tracked) or tracked or None, affiliate_url=tracked or None,
            price=sale if on_sale else retail or sale, regular_price=retail or None, currency=f[CURRENCY],
            availability=AVAILABILITY_WORDS.get(availability, availability) or None,
            image_urls=[f[IMAGE_URL].strip()] if f[IMAGE_URL].strip() else [])

    def _damaged(self, feed_url: str, reason: str, message: str) -> None:
        logger.error("The Rakuten catalogue %s is damaged: %s. The run is incomplete and removes nothing.",
                     feed_url, message, extra={"spider": self})
        self.mark_incomplete(reason)

    async def remove_deleted(self, report: RunReport) -> None:
        """A delta's D rows: removed once the run is recorded clean (never after an incomplete one)."""
        if not self.deleted or report.run_id is None:
            return
        if report.status not in ("finished", "partial"):
            logger.warning("Run %s is %s: the %d products its delta lists as deleted stay.", report.run_id,
                           report.status, len(self.deleted), extra={"spider": self})
            return
        removed = await run_in_thread(remove_listed, self.settings.get("DATABASE_URL"), report.run_id, self.vendor,
                                      self.deleted, tuple(self.settings.getlist("ORNAMENTS_CHANGE_LOG_FIELDS")))
        self.crawler.stats.set_value("ornaments/rakuten/deleted_removed", removed)
        logger.info("Removed %d of the %d products the delta lists as deleted.", removed, len(self.deleted),
                    extra={"spider": self})
