"""A shop on any platform that publishes schema.org Product data (JSON-LD or microdata).

The vendor spider names its product URL patterns (or theme hints) and its year index; product pages
are read from schema.org Product (offers lists and AggregateOffer included), then Open Graph product
tags, then the page's h1.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.shop import ShopSpider


class StructuredDataSpider(ShopSpider):
    def fallback_fields(self, response: Response) -> dict[str, Any]:
        meta = {m.attrib.get("property", m.attrib.get("name", "")).lower(): m.attrib.get("content")
                for m in response.css("meta[property], meta[name]")}
        return {
            "name": meta.get("og:title") or " ".join(response.css("h1 ::text").getall()),
            "price": meta.get("product:price:amount") or meta.get("og:price:amount"),
            "currency": meta.get("product:price:currency") or meta.get("og:price:currency"),
            "availability": meta.get("product:availability") or meta.get("og:availability"),
            "sku": meta.get("product:retailer_item_id"),
            "image_urls": [meta["og:image"]] if meta.get("og:image") else [],
        }
