"""A partner's XML feed in the BESTSELLER format: nsx:items/nsx:item[@id], several prices per item.

The format has category, description, images/image[@type,@url] and prices/price/{currency,value}.
Partners send it as the original system receives it: the nsx: prefix never declared, no XML
declaration, leading whitespace; it is read as it is (XmlFeedSpider reads undeclared prefixes).
Our partner adds optional name, sku, url, year, availability, brand and series elements; without a
name the description is the name, and without a url the product page is built from the id.
The price is the one in the first currency of ORNAMENTS_CURRENCY_PREFERENCE the item has, else its
first price; the format has no sale prices, so regular_price stays empty.
"""

from __future__ import annotations

from lxml import etree

from ornaments.base_spiders.xml_feed import XmlFeedSpider, first
from ornaments.items import ProductItem
from ornaments.normalize import parse_year
from ornaments.prices import iso_currency

class BestsellerSpider(XmlFeedSpider):
    name = "bestseller"
    default_feed = "bestseller.xml"
    default_base_url = "https://www.bestseller-partner.example"
    record_tags = {"items": "item"}
    feed_format = "BESTSELLER"
    price_style = "decimal_point"  # <nsx:value>49.95</nsx:value>

    def parse_node(self, node: etree._Element) -> ProductItem:
        fields = self.children(node)
        product_id = node.get("id")
        price, currency, others = self.pick_price(node)
        item = self.product(
            where=self.record_where,
            vendor_product_id=product_id,
            sku=first(fields, "sku") or product_id,
            name=first(fields, "name", "description"),
            brand=first(fields, "brand"),
            description=first(fields, "description"),
            series=first(fields, "series"),
            category=first(fields, "category"),
            release_year=parse_year(first(fields, "year")),
            url=first(fields, "url") or (f"{self.base_url}/product/{product_id}" if product_id else None),
            price=price,
            currency=currency,
            availability=first(fields, "availability"),
            image_urls=self.image_urls(node),
        )
        if others:
            self.crawler.stats.inc_value("ornaments/feed/other_currency_prices", others)
        return item

    def image_urls(self, node: etree._Element) -> list[str]:
        """Images ordered by numeric type (1 is the main image), then those typed with words ("main",
        "gallery") in document order; a word type is counted as a warning, never a crash."""
        numbered: list[tuple[int, str]] = []
        worded: list[str] = []
        for image in node.iterfind("{*}images/{*}image"):
            url = (image.get("url") or "").strip()
            if not url:
                continue
            kind = (image.get("type") or "").strip()
            if kind.isdigit():
                numbered.append((int(kind), url))
            else:
                worded.append(url)
                self.warn_record("image_type", self.record_where,
                                 f"image type {kind[:20]!r} is not a number; the image is placed after numbered ones")
        return [url for _, url in sorted(numbered, key=lambda n: n[0])] + worded

    def pick_price(self, node: etree._Element) -> tuple[str | None, str | None, int]:
        """(price text, currency, how many other prices) in the first preferred currency the item has."""
        prices: list[tuple[str, str | None]] = []
        for entry in node.iterfind("{*}prices/{*}price"):
            value = (entry.findtext("{*}value") or "").strip()
            if value:
                prices.append((value, (entry.findtext("{*}currency") or "").strip() or None))
        if not prices:
            return None, None, 0
        preference = [c.strip().upper() for c in self.settings.getlist("ORNAMENTS_CURRENCY_PREFERENCE")]
        rank = {code: n for n, code in enumerate(preference)}
        # min() is stable: among equally ranked prices the first wins. product() checks the currency.
        value, currency = min(prices, key=lambda p: rank.get(iso_currency(p[1]), len(preference)))
        return value, currency, len(prices) - 1
