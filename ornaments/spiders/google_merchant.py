"""An affiliate's Google Merchant Center feed (RSS 2.0 with the g: namespace)."""

from lxml import etree

from ornaments.base_spiders.xml_feed import XmlFeedSpider, first
from ornaments.items import ProductItem
from ornaments.normalize import parse_year


class GoogleMerchantSpider(XmlFeedSpider):
    name = "google_merchant"
    default_feed = "google_merchant.xml"
    item_tag = "item"
    price_style = "decimal_point"  # Google's spec: "15.00 USD"

    def parse_node(self, node: etree._Element) -> ProductItem:
        fields = self.children(node)  # g:price and price alike, by local name
        # The price a customer pays: the sale price while there is one.
        product_type = first(fields, "product_type")
        return self.product(
            vendor_product_id=first(fields, "id"),
            sku=first(fields, "mpn", "id"),
            gtin=first(fields, "gtin"),
            name=first(fields, "title"),
            brand=first(fields, "brand"),
            description=first(fields, "description"),
            series=first(fields, "custom_label_1"),
            category=product_type,
            # Merchant feeds have no year field; affiliates put it in custom_label_0.
            release_year=parse_year(first(fields, "custom_label_0")) or parse_year(product_type),
            url=first(fields, "link"),
            price=first(fields, "sale_price", "price"),
            availability=first(fields, "availability"),
            image_urls=fields.get("image_link", [])[:1] + fields.get("additional_image_link", []),
        )
