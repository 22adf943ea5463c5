"""A partner's XML feed in the BESTSELLER format: nsx:items/nsx:item[@id], several prices per item.

The format has category, description, images/image[@type,@url] and prices/price/{currency,value}.
Our partner adds optional name, sku, url, year, availability, brand and series elements; without a
name the description is the name, and without a url the product page is built from the id.
"""

from lxml import etree

from ornaments.base_spiders.xml_feed import XmlFeedSpider, first
from ornaments.items import ProductItem
from ornaments.normalize import parse_year
from ornaments.prices import parse_decimal_point


class BestsellerSpider(XmlFeedSpider):
    name = "bestseller"
    default_feed = "bestseller.xml"
    default_base_url = "https://www.bestseller-partner.example"
    item_tag = "item"

    def parse_node(self, node: etree._Element) -> ProductItem:
        fields = self.children(node)
        product_id = node.get("id")
        price, currency, other_prices = self.pick_price(node)
        images = sorted(node.iterfind("{*}images/{*}image"), key=lambda i: int(i.get("type") or 99))
        item = self.product(
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
            image_urls=[i.get("url") for i in images if i.get("url")],
        )
        if other_prices:
            self.crawler.stats.inc_value("ornaments/feed/other_currency_prices", len(other_prices))
        return item

    def pick_price(self, node: etree._Element):
        """The price in the first currency of ORNAMENTS_CURRENCY_PREFERENCE the item has, else the first."""
        prices = []
        for entry in node.iterfind("{*}prices/{*}price"):
            currency = (entry.findtext("{*}currency") or "").strip().upper() or None
            prices.append((parse_decimal_point(entry.findtext("{*}value")), currency))
        if not prices:
            return None, None, []
        preference = [c.strip().upper() for c in self.settings.getlist("ORNAMENTS_CURRENCY_PREFERENCE")]
        ranked = sorted(prices, key=lambda p: preference.index(p[1]) if p[1] in preference else len(preference))
        chosen = ranked[0]
        return chosen[0], chosen[1], [p for p in prices if p is not chosen]
