"""The one product item every spider yields; its fields come from ornaments.fields.FIELDS."""

import scrapy

from ornaments.fields import FIELDS, TRACKED_FIELDS  # noqa: F401  (re-exported for spiders and tests)


class ProductItem(scrapy.Item):
    """(vendor, vendor_product_id) is the key. price is a Decimal in currency (ISO 4217); availability is
    one of ornaments.normalize.AVAILABILITIES; image_urls are filled by the spider, images by the
    ImagesPipeline. unreadable names the fields (price, regular_price) whose value was there but
    could not be read: storage keeps the stored value of those."""

    fields = {f.name: scrapy.Field() for f in FIELDS}
    fields["images"] = scrapy.Field()
    fields["unreadable"] = scrapy.Field()
