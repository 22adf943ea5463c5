"""An affiliate's Google Merchant Center feed (RSS 2.0 with the g: namespace)."""

from lxml import etree

from ornaments.base_spiders.feeds import XmlFeedSpider
from ornaments.items import ProductItem
from ornaments.normalize import parse_price, parse_year

G = "http://base.google.com/ns/1.0"


class GoogleMerchantSpider(XmlFeedSpider):
    name = "google_merchant"
    default_feed = "google_merchant.xml"
    item_tag = "item"
    namespaces = {"g": G}

    def parse_node(self, node: etree._Element) -> ProductItem:
        text = self.text
        # The price a customer pays: the sale price while there is one.
        price, currency = parse_price(text(node, "g:sale_price") or text(node, "g:price"))
        product_type = text(node, "g:product_type")
        images = [text(node, "g:image_link")]
        images += [i.text.strip() for i in node.findall("g:additional_image_link", self.namespaces) if i.text]
        return self.product(
            vendor_product_id=text(node, "g:id"),
            sku=text(node, "g:mpn") or text(node, "g:id"),
            gtin=text(node, "g:gtin"),
            name=text(node, "g:title", "title"),
            brand=text(node, "g:brand"),
            description=text(node, "g:description", "description"),
            series=text(node, "g:custom_label_1"),
            category=product_type,
            # Merchant feeds have no year field; affiliates put it in custom_label_0.
            release_year=parse_year(text(node, "g:custom_label_0")) or parse_year(product_type),
            url=text(node, "g:link", "link"),
            price=price,
            currency=currency,
            availability=text(node, "g:availability"),
            image_urls=[i for i in images if i],
        )
