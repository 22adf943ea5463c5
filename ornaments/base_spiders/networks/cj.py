"""CJ (Commission Junction) product-search API answers: <cj-api><products ...><product>...</product>.

    GET https://product-search.api.cj.com/v2/product-search?website-id=<PID>&advertiser-ids=<id>&records-per-page=1000
    Authorization: <developer key, ORNAMENTS_CJ_API_KEY>

Read with the XML feed base. buy-url (the tracked click-<PID>-<ad> link, often wrapped in newlines) is the
affiliate_url and its url= parameter the url; sku the id; sale-price when above 0 and below price, else
price; retail-price (when above 0) the regular price; upc/isbn the gtin; manufacturer-name the brand.
An answer whose total-matched exceeds its records is one page of several: the run is incomplete and
removes nothing. CJ's "Shopping (Google format)" feeds are read by the google_merchant and products_csv
spiders, whose link then splits into url and affiliate_url (ornaments.deeplinks.split_tracked).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import scrapy
from lxml import etree
from scrapy.exceptions import UsageError

from ornaments.base_spiders.xml_feed import XmlFeedSpider, first
from ornaments.deeplinks import destination
from ornaments.feed_download import STREAM_META, feed_request_headers
from ornaments.items import ProductItem
from ornaments.normalize import identifier


_PAGE = re.compile(rb'total-matched="(\d+)"[^>]*records-returned="(\d+)"')


def _positive(text: str | None) -> Decimal | None:
    try:
        value = Decimal(text) if text else None
    except InvalidOperation:
        return None
    return value if value and value > 0 else None


class CjProductSearchSpider(XmlFeedSpider):
    record_tags = {"cj-api": "product"}
    feed_format = "CJ product-search"
    price_style = "decimal_point"
    advertiser_id: str | None = None  # -a advertiser: one advertiser of the answer is the run's source

    def __init__(self, *args: Any, advertiser: str | None = None, **kwargs: Any):
        if advertiser is not None and not advertiser.strip().isdigit():
            raise UsageError(f"-a advertiser must be a CJ advertiser id (digits), not {advertiser!r}")
        if advertiser and not self.vendor and not kwargs.get("vendor"):
            self.vendor = f"cj_{advertiser.strip()}"
        super().__init__(*args, **kwargs)
        self.advertiser_id = advertiser.strip() if advertiser else self.advertiser_id
        self.other_advertiser_records = 0

    def feed_request(self) -> scrapy.Request:
        request = super().feed_request()
        key = self.settings.get("ORNAMENTS_CJ_API_KEY")
        if key and request.url.startswith("https://product-search.api.cj.com/"):  # the key only to CJ's API
            request = request.replace(headers={**feed_request_headers(), "Authorization": key},
                                      meta={**request.meta, STREAM_META: True})
        return request

    def parse_node(self, node: etree._Element) -> ProductItem | None:
        fields = self.children(node)
        if self.advertiser_id and first(fields, "advertiser-id") not in (None, self.advertiser_id):
            self.other_advertiser_records += 1
            return None
        key = first(fields, "sku")
        tracked = "".join((first(fields, "buy-url") or "").split())  # wrapped in newlines and spaces
        price = _positive(first(fields, "price"))
        sale = _positive(first(fields, "sale-price"))
        retail = _positive(first(fields, "retail-price"))
        stock = first(fields, "in-stock")
        return self.product(
            where=self.record_where, vendor_product_id=key, sku=identifier(first(fields, "manufacturer-sku")) or key,
            gtin=first(fields, "upc", "isbn"), name=first(fields, "name"), brand=first(fields, "manufacturer-name"),
            description=first(fields, "description"), url=destination(tracked) if tracked else None,
            affiliate_url=tracked or None, price=sale if sale and (price is None or sale < price) else price,
            regular_price=retail or price, currency=first(fields, "currency"),
            availability=stock or None, image_urls=[u.strip() for u in fields.get("image-url", [])])

    def reading(self, raw, size: int) -> None:
        """The answer's <products total-matched=... records-returned=...>, read from its head."""
        head = raw.read(4096)
        raw.seek(0)
        match = _PAGE.search(head)
        if match and int(match.group(1)) > int(match.group(2)) and not self.url:
            # One page of several is not the catalogue: what it lacks must not be removed.
            self.crawler.stats.set_value("ornaments/cj/total_matched", int(match.group(1)))
            self.mark_incomplete(f"one page of {int(match.group(1))} matches ({int(match.group(2))} returned): "
                                 "not the whole catalogue")
        super().reading(raw, size)
