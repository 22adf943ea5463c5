"""Turn the many ways shops write prices, availability and years into one form."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from price_parser import Price

FIRST_YEAR = 1973  # Hallmark's first Keepsake ornaments
AVAILABILITIES = ("in_stock", "out_of_stock", "preorder", "backorder", "discontinued", "unknown")

_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "C$": "CAD", "CA$": "CAD",
                     "A$": "AUD", "kr": "DKK", "¥": "JPY"}
_CENT = Decimal("0.01")
_NEGATIVE = re.compile(r"(?:^|[\s(])[-\u2212]\s*(?:[^\d\s]{1,3}\s*)?\d")


def parse_price(text: str | None, default_currency: str | None = None) -> tuple[Decimal | None, str | None]:
    """Return (amount, ISO currency) from price text such as "$1,299.95", "28,95 €" or "USD 15.00".

    Text without a number ("Sold out", "") gives (None, None).
    """
    if text is None:
        return None, None
    if isinstance(text, (int, float, Decimal)):
        return quantize(Decimal(str(text))), default_currency
    return _parse_price_text(str(text), default_currency)


@lru_cache(maxsize=8192)  # a catalog repeats a few hundred price texts; Decimals are immutable
def _parse_price_text(text: str, default_currency: str | None) -> tuple[Decimal | None, str | None]:
    parsed = Price.fromstring(text)
    if parsed.amount is None:
        return None, None
    currency = _iso_currency(parsed.currency) or default_currency
    amount = quantize(parsed.amount)
    # price-parser drops a leading minus; keep it, so validation sees (and drops) a negative price.
    if _NEGATIVE.search(text):
        amount = -amount
    return amount, currency


def quantize(amount: Decimal) -> Decimal:
    """Prices are stored with two decimals, the precision of the price columns."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _iso_currency(symbol: str | None) -> str | None:
    if not symbol:
        return None
    symbol = symbol.strip()
    if re.fullmatch(r"[A-Za-z]{3}", symbol):
        return symbol.upper()
    return _CURRENCY_SYMBOLS.get(symbol)


def parse_decimal(text: str | None) -> Decimal | None:
    """A plain machine-written number ("49.95") as a Decimal, or None."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return quantize(Decimal(str(text).strip()))
    except InvalidOperation:
        return parse_price(str(text))[0]


_AVAILABILITY_WORDS = [
    # Order matters: "out of stock" must win over "in stock"; "not available" over "available".
    ("preorder", ("preorder", "pre-order", "pre order", "coming soon")),
    ("backorder", ("backorder", "back-order", "back order")),
    ("discontinued", ("discontinued", "retired", "no longer available", "removed")),
    ("out_of_stock", ("outofstock", "out of stock", "out_of_stock", "sold out", "soldout", "unavailable",
                      "not available", "not in stock")),
    ("in_stock", ("instock", "in stock", "in_stock", "available", "ships", "add to cart", "limitedavailability")),
]


def normalize_availability(value: object) -> str:
    """Map shop wording, schema.org URLs and flags (1/0, true/false) to one of AVAILABILITIES."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "in_stock" if value else "out_of_stock"
    return _availability_of_text(str(value))


@lru_cache(maxsize=1024)
def _availability_of_text(value: str) -> str:
    text = value.strip().lower()
    if text in AVAILABILITIES:
        return text
    if text in ("1", "true", "yes"):
        return "in_stock"
    if text in ("0", "false", "no"):
        return "out_of_stock"
    text = text.rsplit("/", 1)[-1]  # http://schema.org/InStock -> instock
    for normalized, words in _AVAILABILITY_WORDS:
        if any(word in text for word in words):
            return normalized
    return "unknown"


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def parse_year(value: object) -> int | None:
    """The first plausible four-digit year in value, or None. Range checks belong to validation."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def latest_valid_year() -> int:
    """Next year's ornaments are announced and sold before the year starts."""
    return date.today().year + 1


def clean_text(value: object) -> str | None:
    """Collapse whitespace; empty text becomes None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
