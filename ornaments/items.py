"""The one product item every spider yields."""

import scrapy

from ornaments.fields import TRACKED_FIELDS  # noqa: F401  (re-exported for spiders and tests)


class ProductItem(scrapy.Item):
    # Identity: (vendor, vendor_product_id) is the key, stable per vendor.
    vendor = scrapy.Field()
    vendor_product_id = scrapy.Field()
    sku = scrapy.Field()
    gtin = scrapy.Field()
    # Descriptive.
    name = scrapy.Field()
    brand = scrapy.Field()
    description = scrapy.Field()
    series = scrapy.Field()
    category = scrapy.Field()
    release_year = scrapy.Field()  # int or None
    url = scrapy.Field()
    # Price: a Decimal in one currency (ISO 4217); see ORNAMENTS_CURRENCY_PREFERENCE for feeds with several.
    price = scrapy.Field()
    currency = scrapy.Field()
    # One of ornaments.normalize.AVAILABILITIES.
    availability = scrapy.Field()
    # Images: filled by the spider (image_urls) and by the ImagesPipeline (images).
    image_urls = scrapy.Field()
    images = scrapy.Field()

