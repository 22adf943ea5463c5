"""The one JSON shape of a change event, shared by the change feed, webhooks and the API."""

from __future__ import annotations

import json
from typing import Any, Mapping

from ornaments.clock import iso_utc

# What a sync can say about a product, in the order a product's life usually shows them.
PRODUCT_EVENT_TYPES = ("created", "price_changed", "back_in_stock", "out_of_stock", "updated", "removed", "returned")
# Catalogue items (issue 23): vendor "catalogue", vendor_product_id the item id.
ITEM_EVENT_TYPES = ("item_best_price_changed", "item_stock_changed", "watch_triggered")
LINK_EVENT_TYPES = ("link_broken", "link_fixed")  # scrapy crawl linkcheck (docs/affiliate-networks.md)
EVENT_TYPES = PRODUCT_EVENT_TYPES + ITEM_EVENT_TYPES + LINK_EVENT_TYPES
# Names a filter may use for a group of types (`--events product,item`, `?types=item`).
EVENT_GROUPS = {"product": PRODUCT_EVENT_TYPES, "item": ITEM_EVENT_TYPES, "link": LINK_EVENT_TYPES}


def event_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A product_events row as the consumers see it. data's prices are decimal strings already."""
    data = row["data"]
    return {
        "id": int(row["id"]),
        "type": row["type"],
        "vendor": row["vendor"],
        "vendor_product_id": row["vendor_product_id"],
        "product_id": row["product_id"],
        "run_id": row["run_id"],
        "occurred_at": iso_utc(row["occurred_at"]),
        "data": json.loads(data) if isinstance(data, str) else dict(data or {}),
    }
