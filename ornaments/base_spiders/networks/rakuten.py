"""Rakuten Advertising (LinkShare) product catalogues: the pipe-delimited "Merchandiser" file and the
same catalogue as MerchandiserXML, told apart by the file's first character ("<": XML).

    HDR|<merchant id>|<merchant name>|<created>
    <product id>|<name>|<sku>|<primary category>|<secondary>|<product URL>|<image URL>|<buy URL>|<short>|<long>|
        <discount>|<discount type>|<sale price>|<retail price>|<sale begin>|<sale end>|<brand>|<shipping>|
        <keywords>|<mpn>|<manufacturer>|<shipping info>|<availability>|<UPC>|<class id>|<currency>|<M1>|
        <pixel>|<attributes 1-10>|<modification: A, U or D>
    TRL|<number of product rows>

Fields are not quoted (a pipe never occurs inside one). The product URL is the tracked link
(click.linksynergy.com/link?...&murl=<the merchant's page>): it is the affiliate_url, and murl the url.

MerchandiserXML carries the same fields by name:

    <merchandiser><header><merchantId>…</merchantId><merchantName>…</merchantName><createdOn>…</header>
    <product product_id=… name=… sku_number=… manufacturer_name=… part_number=…>
      <category><primary/><secondary/></category> <URL><product/><productImage/><buy/></URL>
      <description><short/><long/></description>
      <price currency=…><sale begin_date=… end_date=…/><retail/></price> <brand/>
      <shipping><availability/></shipping> <upc/> …</product>…</merchandiser>

Both become one Listing, mapped to a product by one function (product_of).

Completeness: a file whose TRL count disagrees with its rows, or that has no TRL line, was cut short:
the run is incomplete and removes nothing. An XML file that ends before </merchandiser> is cut short
the same way (XmlFeedSpider keeps the products before the cut). A delta file (-a delta=true, or "delta"
in its name) holds only changes: the run is partial (no sweep), and its rows flagged D remove exactly
those products once the run is recorded finished or partial. (No real XML delta has been seen: its
deletion flag is not read, so an XML delta updates and removes nothing.)
"""

from __future__ import annotations

import io
import logging
from typing import Any, Iterator, NamedTuple
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.utils.asyncio import run_in_thread

from ornaments.base_spiders.csv_layouts import sale_is_on
from ornaments.base_spiders.networks.archives import damage_reported, unpacked
from ornaments.base_spiders.xml_feed import READ_SIZE, RecordParser, XmlFeedSpider, first, local_name
from ornaments.base_spiders.xml_records import XmlRecordScanner
from ornaments.env import parse_flag
from ornaments.feed_download import open_body
from ornaments.feed_sniff import looks_like_xml
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


class Listing(NamedTuple):
    """One product as both formats carry it: stripped texts, "" where a field is empty or absent."""
    product_id: str
    name: str
    sku: str
    mpn: str
    manufacturer: str
    brand: str
    category: str
    secondary: str  # "~~"-separated
    product_url: str  # the tracked link
    buy_url: str
    image_url: str
    short: str
    long: str
    sale_price: str
    retail_price: str
    sale_begin: str
    sale_end: str
    availability: str
    upc: str
    currency: str


def pipe_listing(f: list[str]) -> Listing:
    """A pipe row's fields (at least MIN_FIELDS of them) by position."""
    return Listing(*(f[i].strip() for i in (
        PRODUCT_ID, NAME, SKU, MPN, MANUFACTURER, BRAND, CATEGORY, SECONDARY, PRODUCT_URL, BUY_URL, IMAGE_URL,
        SHORT, LONG, SALE_PRICE, RETAIL_PRICE, SALE_BEGIN, SALE_END, AVAILABILITY, UPC, CURRENCY)))


def xml_listing(node: etree._Element) -> Listing:
    """A MerchandiserXML <product>: its attributes and its elements two levels down, by local name."""
    texts = element_texts(node)
    return Listing(
        product_id=texts.get("@product_id", ""), name=texts.get("@name", ""), sku=texts.get("@sku_number", ""),
        mpn=texts.get("@part_number", ""), manufacturer=texts.get("@manufacturer_name", ""),
        brand=texts.get("brand", ""), category=texts.get("category/primary", ""),
        secondary=texts.get("category/secondary", ""), product_url=texts.get("URL/product", ""),
        buy_url=texts.get("URL/buy", ""), image_url=texts.get("URL/productImage", ""),
        short=texts.get("description/short", ""), long=texts.get("description/long", ""),
        sale_price=texts.get("price/sale", ""), retail_price=texts.get("price/retail", ""),
        sale_begin=texts.get("price/sale@begin_date", ""), sale_end=texts.get("price/sale@end_date", ""),
        availability=texts.get("shipping/availability", ""), upc=texts.get("upc", ""),
        currency=texts.get("price@currency", ""))


def element_texts(node: etree._Element) -> dict[str, str]:
    """Stripped texts and attributes by local path: "@name", "price/sale", "price/sale@end_date". The
    first of a repeated element wins; deeper levels (shipping/cost/amount) are not needed."""
    found = {f"@{name}": value.strip() for name, value in node.attrib.items()}

    def add(path: str, element: etree._Element) -> None:
        found.setdefault(path, (element.text or "").strip())
        for name, value in element.attrib.items():
            found.setdefault(f"{path}@{local_name(name)}", value.strip())

    for child in node:  # comments and processing instructions were removed by the parser
        path = local_name(child.tag)
        add(path, child)
        for grandchild in child:
            add(f"{path}/{local_name(grandchild.tag)}", grandchild)
    return found


def merchant_page(tracked: str) -> str | None:
    """The merchant's page a LinkShare link leads to (its murl, or RD_PARM1 of the older form)."""
    query = parse_qs(urlsplit(tracked).query)
    for name in ("murl", "RD_PARM1"):
        if query.get(name):
            return query[name][0]
    return None


class RakutenCatalogueSpider(XmlFeedSpider):
    merchant_id: str | None = None  # the MID; -a merchant overrides it
    record_tags = {"merchandiser": "product"}  # MerchandiserXML; the pipe file is read by _lines
    feed_format = "Rakuten MerchandiserXML"
    id_attribute = "product_id"
    record_nested_in = "URL"  # <product product_id=…> holds <URL><product>, the tracked link

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
                    if looks_like_xml(head):
                        # No whole body for progress: counting "<product" would count each link twice.
                        if self._xml_header_allows(response.url, head):
                            yield from self.read_document(response.url, iter(lambda: stream.read(READ_SIZE), b""))
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
                if not self._merchant_allowed(feed_url, "HDR", fields[1] if len(fields) > 1 else "",
                                              fields[2] if len(fields) > 2 else ""):
                    return
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
                yield self.product_of(pipe_listing(fields), f"line {number}")
            except Exception as exc:
                if not self.record_failed(feed_url, f"line {number}", exc, key=fields[PRODUCT_ID].strip() or None):
                    return
        if not header_seen:
            self.report_problem("no_rakuten_header", feed_url, "the file has no HDR| line: not a Rakuten catalogue?")
        if trailer is None:
            self._damaged(feed_url, "no trailer", f"it has no TRL| line after its {self.rows_read} rows: cut short")
        elif not trailer.isdigit() or int(trailer) != self.rows_read:
            self._damaged(feed_url, "trailer count disagrees",
                          f"its TRL line counts {trailer!r} rows, the file has {self.rows_read}: it was cut short")

    def parse_node(self, node: etree._Element) -> ProductItem:
        return self.product_of(xml_listing(node), self.record_where)

    def product_of(self, r: Listing, where: str) -> ProductItem:
        """A product of either format's listing: one mapping for both."""
        # The manufacturer's part number before the merchant's own SKU, as Awin's mpn, CJ's
        # manufacturer-sku and Merchant's mpn: it is what names the product across shops.
        sku = identifier(r.mpn) or r.sku or r.product_id
        tracked = r.product_url or r.buy_url
        on_sale = r.sale_price and r.sale_price != r.retail_price and sale_is_on(r.sale_begin, r.sale_end)
        category = " > ".join(p.strip() for p in (r.category, *r.secondary.split("~~")) if p.strip())
        return self.product(
            where=f"{where} (id {r.product_id})", vendor_product_id=r.product_id, sku=sku, gtin=r.upc or None,
            name=r.name, brand=r.brand or r.manufacturer or None, description=r.long or r.short,
            category=category or None, url=merchant_page(tracked) or tracked or None, affiliate_url=tracked or None,
            price=r.sale_price if on_sale else r.retail_price or r.sale_price, regular_price=r.retail_price or None,
            currency=r.currency, availability=AVAILABILITY_WORDS.get(r.availability, r.availability) or None,
            image_urls=[r.image_url] if r.image_url else [])

    def _merchant_allowed(self, feed_url: str, where: str, mid: str, name: str) -> bool:
        """The file's merchant (its HDR line or <header>) in the stats; False, with the run incomplete, when
        it is not the run's -a merchant."""
        mid = mid.strip()
        if self.merchant_id and mid and mid != self.merchant_id:
            self._damaged(feed_url, "another merchant's file",
                          f"its {where} names merchant {mid}, this run syncs {self.merchant_id}; nothing was read")
            return False
        self.crawler.stats.set_value("ornaments/rakuten/merchant", f"{mid} {name.strip()}".strip())
        return True

    def _xml_header_allows(self, feed_url: str, head: bytes) -> bool:
        """The <header> of a MerchandiserXML file, read from its first bytes with the feed's own record
        reader (entities stay unresolved), through _merchant_allowed. Another root element is left to
        read_document, which says what it is."""
        scanner = XmlRecordScanner([head])
        root = scanner.read_root()
        if root is None or root.local not in self.record_tags:
            return True
        raw = next(scanner.records("header"), None)
        if raw is None or raw.problem is not None:
            self.report_problem("no_rakuten_header", feed_url,
                                "the document has no <header> at its start: not a Rakuten catalogue?")
            return True
        try:
            header = self.children(RecordParser(scanner).parse(raw.data)[0])
        except etree.XMLSyntaxError as exc:
            self.report_problem("no_rakuten_header", feed_url, f"its <header> cannot be read ({exc.msg})")
            return True
        return self._merchant_allowed(feed_url, "<header>", first(header, "merchantId") or "",
                                      first(header, "merchantName") or "")

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
