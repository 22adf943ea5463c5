"""Drop items that must not reach the database, each with a reason that names the item."""

from __future__ import annotations

import logging
from decimal import Decimal

from scrapy.exceptions import DropItem

from ornaments.fields import MAX_LENGTHS, MONEY_FIELDS, REQUIRED_FIELDS
from ornaments.items import item_values
from ornaments.normalize import AVAILABILITIES, FIRST_YEAR, latest_valid_year
from ornaments.prices import ISO_4217

logger = logging.getLogger(__name__)

MAX_ID = MAX_LENGTHS["vendor_product_id"]
# The drop reason of a value longer than its field's max_length: <field>_too_long, but for the id's.
_TOO_LONG = {name: "id_too_long" if name == "vendor_product_id" else f"{name}_too_long" for name in MAX_LENGTHS}
_TOO_LARGE = Decimal("1e10")
# Years up to this one are valid in any run that starts now (latest_valid_year() only grows); later
# ones ask the clock, once per such item rather than for every item.
_LATEST_YEAR_SURELY_VALID = latest_valid_year()


def find_problem(item: dict) -> tuple[str, str] | None:
    """(reason, explanation) for the first thing wrong with item, or None when it may be stored.

    Only the key and a name are required: a product without price or URL is stored with them empty.
    """
    for field in REQUIRED_FIELDS:
        value = item.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return f"missing_{field}", f"{field} is missing"
    for field, max_length in MAX_LENGTHS.items():
        value = item.get(field)
        if value is not None and len(str(value)) > max_length:
            return _TOO_LONG[field], f"{field} is {len(str(value))} characters long (at most {max_length})"
    for field in MONEY_FIELDS:
        price = item.get(field)
        if price is None:
            continue
        if not isinstance(price, Decimal) or not price.is_finite():
            return "bad_price", f"{field} {price!r} is not a decimal number"
        if price < 0:
            return "negative_price", f"{field} {price} is negative"
        if price >= _TOO_LARGE:
            return "absurd_price", f"{field} {price} is too large"
        currency = item.get("currency")
        if currency is None:
            return "unknown_currency", (f"{field} {price} names no currency, and the run declares none "
                                        "(-a currency=EUR)")
        if not (isinstance(currency, str) and currency in ISO_4217):
            return "bad_currency", f"currency {currency!r} is not an ISO 4217 code"
    year = item.get("release_year")
    if year is not None:
        if not isinstance(year, int) or isinstance(year, bool):
            return "bad_year", f"release_year {year!r} is not a whole number"
        if year < FIRST_YEAR or (year > _LATEST_YEAR_SURELY_VALID and year > latest_valid_year()):
            return "year_out_of_range", f"release_year {year} is outside {FIRST_YEAR}..{latest_valid_year()}"
    if item.get("availability") not in AVAILABILITIES:
        return "bad_availability", f"availability {item.get('availability')!r} is not one of {', '.join(AVAILABILITIES)}"
    for field, value in item.items():
        if isinstance(value, str) and "\ufffd" in value:
            return "bad_encoding", f"{field} holds bytes that could not be decoded"
    return None


def optional_problem(item: dict) -> tuple[str, str] | None:
    """An optional field that cannot be stored as it is: it is left empty and counted, the product kept."""
    url = item.get("url")
    if url is not None and not str(url).startswith(("http://", "https://")):
        return "url", f"url {str(url)[:100]!r} is not an http(s) URL"
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
        # The item's own dict, since the checks run on every item (read only, but for a bad optional field).
        values = item_values(item)
        optional = optional_problem(values)
        if optional is not None:
            field, explanation = optional
            item[field] = None
            values = item_values(item)
            self.stats.inc_value(f"ornaments/warnings/bad_{field}")
            logger.warning("%s: %s; stored without it (bad_%s)", describe(values), explanation, field)
        problem = find_problem(values)
        if problem is None:
            return item
        reason, explanation = problem
        self.stats.inc_value(f"ornaments/dropped/{reason}")
        raise DropItem(f"{describe(values)}: {explanation} ({reason})", log_level="WARNING")
