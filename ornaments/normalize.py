"""Turn the many ways shops write prices, availability and years into one form."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from w3lib.url import safe_url_string

FIRST_YEAR = 1973  # Hallmark's first Keepsake ornaments
AVAILABILITIES = ("in_stock", "out_of_stock", "preorder", "backorder", "discontinued", "unknown")
# A vendor (source) a person names: an upload's vendor=, a key's --source, -a vendor (products.vendor).
VENDOR_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
VENDOR_NAME_RULE = "1-64 letters, digits, '_', '.' or '-'"

# Characters a valid URL holds as they are (RFC 3986 unreserved, reserved and "%"); "%" must start an escape.
_SAFE_URL = re.compile(r"https?://(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


_AVAILABILITY_WORDS = [
    # Order matters: "out of stock" must win over "in stock"; "not available" over "available".
    ("preorder", ("preorder", "pre-order", "pre order", "coming soon", "presale", "pre-sale")),  # schema.org PreSale
    ("backorder", ("backorder", "back-order", "back order", "madetoorder")),
    ("discontinued", ("discontinued", "retired", "no longer available", "removed")),
    ("out_of_stock", ("outofstock", "out of stock", "out_of_stock", "sold out", "soldout", "unavailable",
                      "not available", "not in stock")),
    ("in_stock", ("instock", "in stock", "in_stock", "available", "ships", "add to cart", "limitedavailability",
                  "onlineonly", "instoreonly")),
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
    """Collapse whitespace and drop control characters (a NUL makes PostgreSQL refuse a row); empty is None."""
    if value is None:
        return None
    text = value if value.__class__ is str else str(value)
    # Most text is clean already: printable (no controls, no whitespace but " "), single-spaced, trimmed.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text or None


def strip_control(value: str) -> str | None:
    """Long text (descriptions) keeps its lines; control characters go."""
    text = _CONTROL.sub("", value).strip()
    return text or None


def normalize_url(url: object) -> str | None:
    """A valid URL: spaces and other unsafe characters percent-encoded, so a space-separated list of
    URLs (the CSV export's image cell) stays one URL per item."""
    if url is None:
        return None
    text = str(url).strip()
    if _SAFE_URL.fullmatch(text):  # most URLs are already valid: skip w3lib's parse (half of product()'s time)
        return text
    text = _CONTROL.sub("", text)
    return safe_url_string(text) if text else None


def valid_gtin(value: object) -> bool:
    """A GTIN-8/12/13/14 whose check digit is right (a spreadsheet's "3.65275E+11" is not one)."""
    digits = str(value).strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
