"""Change events (the product_events outbox): their types and their one JSON shape.

Every consumer (scrapy changes --since, webhooks, GET /events) shows an event as event_json(row).
"""

from ornaments.events.shape import EVENT_TYPES, event_json

__all__ = ["EVENT_TYPES", "event_json"]
