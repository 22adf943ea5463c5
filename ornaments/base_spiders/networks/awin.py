"""Awin product feeds: the publisher download (Create-a-Feed / the datafeed API) and the advertiser-side
upload many small shops publish. CSV with a comma, pipe or tab, plain, gzip or zip; columns in any order.

One download may hold several advertisers (merchant_id, merchant_name). Each merchant is its own source,
vendor "awin_<id>". A run without -a merchant (and without -a vendor) syncs every merchant of the feed,
each under its own vendor with its own run record and removal (StorePipeline, multi_vendor): a merchant
absent from the feed removes nothing. A run with -a merchant=<id> (or the spider's merchant_id) syncs
that merchant only ("awin_<id>" unless -a vendor names it) and skips the other merchants' rows; if its
merchant has no row in the feed (paused, left the programme, not selected) it is incomplete and removes
nothing.

Fields (docs/affiliate-networks.md): merchant_product_id (else aw_product_id) is the id; aw_deep_link
the affiliate_url; merchant_deep_link the url; search_price (else store_price) the price, rrp_price the
regular price; stock_status, else in_stock, the availability; ean / product_GTIN / upc the gtin (the
first that holds a barcode); mpn, else model_number, else the id the sku ("Does not apply" is none).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, BinaryIO, Iterable, Iterator

from scrapy.exceptions import UsageError
from scrapy.http import Response

from ornaments.base_spiders.csv_feed import CsvFeedSpider
from ornaments.base_spiders.csv_layouts import Layout, split_urls
from ornaments.base_spiders.networks.archives import damage_reported, unpacked
from ornaments.feed_download import open_body
from ornaments.items import ProductItem
from ornaments.normalize import identifier, read_gtin

logger = logging.getLogger(__name__)

# Each field from the first of these columns (header_key form) the feed has and the row fills.
AWIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("merchantproductid", "productid", "awproductid"),
    "sku": ("mpn", "modelnumber", "merchantproductid", "productid"),
    "gtin": ("ean", "productgtin", "gtin", "upc", "isbn"),
    "name": ("productname",),
    "brand": ("brandname", "brand"),
    "description": ("description", "productshortdescription"),
    "category": ("merchantcategory", "categoryname", "category", "merchantproductcategorypath"),
    "url": ("merchantdeeplink", "producturl"),
    "affiliate_url": ("awdeeplink",),
    "price": ("searchprice", "storeprice", "price"),
    "regular_price": ("rrpprice",),
    "currency": ("currency",),
    "stock": ("stockstatus", "instock"),
    "group": ("itemgroupid", "parentproductid"),
}
IMAGE_COLUMNS = ("merchantimageurl", "imageurl", "awimageurl", "largeimage")
MORE_IMAGE_COLUMNS = ("alternateimage", "alternateimagetwo", "alternateimagethree", "alternateimagefour")


class AwinLayout(Layout):
    name = "awin"
    price_style = "decimal_point"  # 98.0, 1299.95

    def __init__(self, spider: CsvFeedSpider, column: dict[str, int]):
        super().__init__(spider, column)
        self.candidates = {field: [column[c] for c in names if c in column] for field, names in AWIN_COLUMNS.items()}
        self.images = [column[c] for c in IMAGE_COLUMNS if c in column]
        self.more_images = [column[c] for c in MORE_IMAGE_COLUMNS if c in column]

    def missing(self) -> list[str]:
        return [what for field, what in (("id", "merchant_product_id or aw_product_id"), ("name", "product_name"))
                if not self.candidates[field]]

    def first(self, row: list[str], field: str) -> str:
        for index in self.candidates[field]:
            value = row[index].strip()
            if value and (field != "sku" or identifier(value)):  # an mpn "Does not apply" names nothing
                return value
        return ""

    def gtin(self, row: list[str]) -> str:
        """The first barcode column that holds a barcode: an advertiser fills ean, product_GTIN or upc,
        and may leave junk in one ("0", a mangled float) while another holds the code. Failing all, the
        first one filled (product() reports it as bad_gtin)."""
        filled = [row[i].strip() for i in self.candidates["gtin"] if row[i].strip()]
        return next((value for value in filled if read_gtin(value)), filled[0] if filled else "")

    def row_key(self, row: list[str]) -> str | None:
        return self.first(row, "id") or None

    def rows(self, row: list[str], line: int) -> Iterable[ProductItem]:
        get = self.first
        key = get(row, "id")
        images = [row[i].strip() for i in self.images if row[i].strip()]
        for index in self.more_images:
            images.extend(split_urls(row[index]))
        return (self.spider.product(
            where=f"line {line} (id {key})", vendor=self.spider.row_vendor, vendor_product_id=key, sku=get(row, "sku") or key, gtin=self.gtin(row),
            name=get(row, "name"), brand=get(row, "brand"), description=get(row, "description"),
            category=get(row, "category"), url=get(row, "url"), affiliate_url=get(row, "affiliate_url") or None,
            price=get(row, "price"), regular_price=get(row, "regular_price") or None, currency=get(row, "currency"),
            availability=get(row, "stock") or None, image_urls=images, item_group_id=get(row, "group") or None),)


class AwinFeedSpider(CsvFeedSpider):
    """An Awin feed; merchant_id (or -a merchant) picks the merchant a run syncs."""

    merchant_id: str | None = None

    def __init__(self, *args: Any, merchant: str | None = None, **kwargs: Any):
        if merchant is not None and not merchant.strip().isdigit():
            raise UsageError(f"-a merchant must be an Awin advertiser id (digits), not {merchant!r}")
        if merchant and not self.vendor and not kwargs.get("vendor"):
            self.vendor = f"awin_{merchant.strip()}"  # each merchant its own source
        vendor_named = bool(self.vendor or kwargs.get("vendor"))
        super().__init__(*args, **kwargs)
        self.merchant_id = merchant.strip() if merchant else self.merchant_id
        self.merchant_chosen = self.merchant_id is not None
        # Every merchant of the feed, each its own source (vendor awin_<id>): the store pipeline gives
        # each vendor its own run record and removal. A named vendor is one source: the first merchant.
        self.multi_vendor = not self.merchant_chosen and not vendor_named
        self.row_vendor = self.vendor  # the vendor of the row being read
        self.layout: AwinLayout | None = None
        self.merchant_column: int | None = None
        self.merchant_rows = 0
        self.other_merchants: Counter[tuple[str, str]] = Counter()  # (id, name) -> rows skipped
        self._compressed: BinaryIO | None = None

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.merchant_id and self.merchant_id != type(self).merchant_id:
            arguments["merchant"] = self.merchant_id
        return arguments

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        with open_body(response) as (raw, size):
            self.reading(raw, size)
            self._compressed = raw
            try:
                with damage_reported(self._damaged, response.url), \
                        unpacked(raw, response.url) as (stream, kind):
                    if kind:
                        self.crawler.stats.set_value("ornaments/feed/compression", kind)
                    yield from self.iter_csv(stream, response.url)
            finally:
                self._compressed = None
        self.end_of_merchants(response.url)

    def bytes_read(self) -> int | None:
        if self._compressed is not None:  # progress in the file's own (compressed) bytes
            try:
                return self._compressed.tell()
            except (OSError, ValueError):
                return None
        return super().bytes_read()

    def start_rows(self, header: list[str], feed_url: str) -> bool:
        layout = AwinLayout(self, self.column)
        missing = layout.missing()
        if missing:
            self._damaged(feed_url, "feed columns missing", f"it is no Awin feed: it lacks {' and '.join(missing)} "
                          f"(its header: {', '.join(header)[:300]})")
            return False
        self.layout = layout
        self.price_style = layout.price_style
        self.merchant_column = self.column.get("merchantid")
        self.crawler.stats.set_value("ornaments/feed/layout", layout.name)
        return True

    def parse_row(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        if self.merchant_column is not None and self.multi_vendor:
            merchant = row[self.merchant_column].strip()
            if not merchant.isdigit():
                self.row_vendor = self.vendor
                self.drop_row("no_merchant", f"line {line}", f"merchant_id {merchant[:20]!r} is no Awin advertiser "
                              "id, so the row belongs to no merchant's source")
                return None
            self.row_vendor = f"awin_{merchant}"
            self.merchant_rows += 1
            return self.layout.rows(row, line)
        if self.merchant_column is not None:
            merchant = row[self.merchant_column].strip()
            if self.merchant_id is None and merchant:
                self.merchant_id = merchant  # no merchant named: the feed's first one is the run's scope
            if merchant != self.merchant_id:
                name_column = self.column.get("merchantname")
                self.other_merchants[(merchant, row[name_column].strip() if name_column is not None else "")] += 1
                return None
        self.merchant_rows += 1
        return self.layout.rows(row, line)

    def row_key(self, row: list[str]) -> str | None:
        if self.multi_vendor and self.merchant_column is not None:  # a row dropped before parse_row
            merchant = row[self.merchant_column].strip() if self.merchant_column < len(row) else ""
            self.row_vendor = f"awin_{merchant}" if merchant.isdigit() else self.vendor
        return self.layout.row_key(row) if self.layout else None

    def drop_row(self, reason: str, where: str, message: str, key: str | None = None) -> None:
        """A dropped row's product is seen within its own merchant's source."""
        if key and self.row_vendor != self.vendor:
            self.ledger.seen_dropped((self.row_vendor, key))
            where, key = f"{where} (id {key})", None
        super().drop_row(reason, where, message, key)

    def end_of_merchants(self, feed_url: str) -> None:
        others = ", ".join(f"{mid} ({name or '?'}, {n} rows)" for (mid, name), n in self.other_merchants.most_common(20))
        if self.other_merchants:
            self.crawler.stats.set_value("ornaments/awin/other_merchant_rows", sum(self.other_merchants.values()))
            if not self.merchant_chosen:
                # Nobody chose a merchant and the feed holds several: they must not be stored as one source.
                logger.error("The Awin feed %s holds several merchants; this run synced only %s under %s and "
                             "removes nothing. Sync each with -a merchant=<id>; the others: %s", feed_url,
                             self.merchant_id, self.vendor, others, extra={"spider": self})
                self.mark_incomplete("several merchants in the feed and none chosen")
            else:
                logger.info("The Awin feed %s also holds merchants %s: skipped (each is synced by its own run, "
                            "-a merchant=<id>).", feed_url, others, extra={"spider": self})
        if self.layout is not None and not self.merchant_rows and self.merchant_id:
            self.report_problem("merchant_not_in_feed", feed_url,
                                f"the feed has no row of merchant {self.merchant_id} (paused, left the "
                                "programme, or not selected in the feed); nothing of it will be removed")
            self.mark_incomplete(f"merchant {self.merchant_id} not in the feed")
