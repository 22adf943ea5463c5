"""Field lists shared by the item and the storage module (which runs without Scrapy)."""

# Fields whose change means the product changed (and changed_at moves).
TRACKED_FIELDS = (
    "sku", "gtin", "name", "brand", "description", "series", "category", "release_year", "url",
    "price", "currency", "availability", "image_urls",
)
