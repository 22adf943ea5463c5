"""Drop items that must not reach the database, each with a reason that names the item."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ornaments.normalize import AVAILABILITIES, FIRST_YEAR, latest_valid_year

logger = logging.getLogger(__name__)

REQUIRED = ("vendor", "vendor_product_id", "name", "url")
MAX_NAME = 500
MAX_ID = 255


def find_problem(item: dict) -> tuple[str, str] | None:
    """(reason, explanation) for the first thing wrong with item, or None when it may be stored."""
    for field in REQUIRED:
        value = item.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return f"missing_{field}", f"{field} is missing"
    if len(str(item["vendor_product_id"])) > MAX_ID:
        return "id_too_long", f"vendor_product_id is longer than {MAX_ID} characters"
    if len(item["name"]) > MAX_NAME:
        return "name_too_long", f"name is {len(item['name'])} characters long (at most {MAX_NAME})"
    if not str(item["url"]).startswith(("http://", "https://")):
        return "bad_url", f"url {str(item['url'])[:100]!r} is not an http(s) URL"
    price = item.get("price")
    if price is not None:
        if not isinstance(price, Decimal) or not price.is_finite():
            return "bad_price", f"price {price!r} is not a decimal number"
        if price < 0:
            return "negative_price", f"price {price} is negative"
        if price >= Decimal("1e10"):
            return "absurd_price", f"price {price} is too large"
        currency = item.get("currency")
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
            return "bad_currency", f"currency {currency!r} is not an ISO 4217 code"
    year = item.get("release_year")
    if year is not None:
        if not isinstance(year, int) or isinstance(year, bool):
            return "bad_year", f"release_year {year!r} is not a whole number"
        if not FIRST_YEAR <= year <= latest_valid_year():
            return "year_out_of_range", f"release_year {year} is outside {FIRST_YEAR}..{latest_valid_year()}"
    if item.get("availability") not in AVAILABILITIES:
        return "bad_availability", f"availability {item.get('availability')!r} is not one of {', '.join(AVAILABILITIES)}"
    for field, value in item.items():
        if isinstance(value, str) and "\ufffd" in value:
            return "bad_encoding", f"{field} holds bytes that could not be decoded"
    return None


def describe(item: dict) -> str:
    """How a log line names an item: vendor, id and a little of the name or url."""
    label = item.get("name") or item.get("url") or ""
    label = f" {str(label)[:60]!r}" if label else ""
    return f"{item.get('vendor') or '?'} product {item.get('vendor_product_id') or '?'}{label}"


class ValidationPipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        # One plain dict, since the checks run on every item (a scrapy.Item is a Mapping).
        values = dict(item) if isinstance(item, Mapping) else ItemAdapter(item).asdict()
        problem = find_problem(values)
        if problem is None:
            return item
        reason, explanation = problem
        self.stats.inc_value(f"ornaments/dropped/{reason}")
        raise DropItem(f"{describe(values)}: {explanation} ({reason})", log_level="WARNING")
