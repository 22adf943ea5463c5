"""A price of zero is a price: stored as 0.00, never read as "no price", and counted.

A free sample, a gift with purchase, or a product its shop has not priced yet: each is worth a look, so
every product with a price of 0.00 is counted as the warning zero_price (logged a few times per run).
Mixed into the spiders that read platforms and feeds (JsonApiSpider, FeedSpider), before SyncSpider.
"""

from __future__ import annotations

from typing import Any

from ornaments.items import ProductItem
from ornaments.scrapy_compat import item_dict


class ZeroPriceWarning:
    def product(self, *, where: str | None = None, **fields: Any) -> ProductItem:
        item = super().product(where=where, **fields)  # type: ignore[misc]
        values = item_dict(item)
        price = values.get("price")
        if price is not None and price == 0:
            self.warn_record("zero_price", where or f"record {values.get('vendor_product_id')}",  # type: ignore[attr-defined]
                             "the price is 0.00: stored as a price of zero")
        return item
