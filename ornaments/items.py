"""The one product item every spider yields; its fields come from ornaments.fields.FIELDS."""

from collections.abc import Mapping

import scrapy
from itemadapter import ItemAdapter

from ornaments.fields import FIELDS, TRACKED_FIELDS  # noqa: F401  (re-exported for spiders and tests)
from ornaments.scrapy_compat import item_dict


class ProductItem(scrapy.Item):
    """(vendor, vendor_product_id) is the key. price is a Decimal in currency (ISO 4217); availability is
    one of ornaments.normalize.AVAILABILITIES; image_urls are filled by the spider, images by the
    ImagesPipeline. unreadable names the fields (price, regular_price) whose value was there but
    could not be read: storage keeps the stored value of those."""

    fields = {f.name: scrapy.Field() for f in FIELDS}
    fields["images"] = scrapy.Field()
    fields["unreadable"] = scrapy.Field()


class OffersItem(scrapy.Item):
    """The offers of one of our products at an offers service, as the service listed them just now
    (ornaments.storage.offers): source (the spider's vendor), product_id (products.id) and offers, a
    list of {offer_id, price (Decimal or None), currency, items_in_stock, keep (the price was unreadable)}."""

    source = scrapy.Field()
    product_id = scrapy.Field()
    offers = scrapy.Field()


def item_values(item) -> Mapping:
    """An item's values as a plain mapping, for reading only: pipelines read every item several times, and
    a scrapy.Item's own lookups (a KeyError raised and caught for each absent field) cost more than the rest.
    A ProductItem is recognised by its class first: isinstance against an Item class goes through ABCMeta."""
    if item.__class__ is ProductItem or isinstance(item, scrapy.Item):
        return item_dict(item)  # the Item's own dict: no copy
    if isinstance(item, dict):
        return item
    return item if isinstance(item, Mapping) else ItemAdapter(item).asdict()


_ITEM_FIELDS = frozenset(ProductItem.fields)


def new_item(data: dict) -> ProductItem:
    """ProductItem(data), without the per-field checks of Item.__init__ (one set comparison instead):
    spiders make one for every record."""
    unknown = data.keys() - _ITEM_FIELDS
    if unknown:
        raise KeyError(f"ProductItem does not support fields: {', '.join(sorted(unknown))}")
    item = ProductItem()
    item_dict(item).update(data)
    return item
