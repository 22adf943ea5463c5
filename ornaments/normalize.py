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


# A barcode a program wrote as a floating-point number: "7.63795899302E+11", "763795899302.0".
_FLOAT_BARCODE = re.compile(r"(\d)[.,](\d+)[eE]\+?(\d{1,2})")
_WHOLE_FLOAT = re.compile(r"(\d+)[.,]0+")
_SPACES_DASHES = re.compile(r"[\s-]")
# The words feeds write in an identifier field that has no value (Merchant's "Does not apply"), as keys.
_NO_IDENTIFIER = frozenset({"doesnotapply", "notapplicable", "na", "none", "null", "nil", "unknown", "notavailable"})


def barcode_digits(value: object) -> str | None:
    """A barcode field's digits, as the code was before a spreadsheet or a feed tool wrote it: spaces
    and dashes out ("7 63795 92015 0"); a float that kept every digit read back ("7.63795899302E+11":
    at least 11 significant digits, so "7.63795E+11", which lost its last ones, gives None); a UPC whose
    leading 0 was dropped (11 digits) given it back. The check digit is not verified here."""
    text = _SPACES_DASHES.sub("", str(value))
    if not text.isdigit():
        match = _FLOAT_BARCODE.fullmatch(text)
        if match:
            lead, fraction, exponent = match.group(1), match.group(2).rstrip("0"), int(match.group(3))
            if len(lead + fraction) < 11 or len(fraction) > exponent:
                return None  # digits lost (or not a whole number): no barcode can be read back
            text = (lead + fraction).ljust(exponent + 1, "0")
        elif (match := _WHOLE_FLOAT.fullmatch(text)) is not None:
            text = match.group(1)
        else:
            return None
    return text.zfill(12) if len(text) == 11 else text


def read_gtin(value: object) -> str | None:
    """The GTIN a barcode field holds, as its digits (barcode_digits), when its check digit is right."""
    digits = barcode_digits(value)
    return digits if digits and valid_gtin(digits) else None


def identifier(value: str | None) -> str:
    """An identifier field's value (an mpn, a manufacturer sku), or "" for what a feed puts in place of
    one ("Does not apply", "N/A", "none", "-"): those name no product."""
    text = (value or "").strip()
    if not any(c.isalnum() for c in text):
        return ""
    if not any(c.isdigit() for c in text) and re.sub(r"[^a-z]", "", text.lower()) in _NO_IDENTIFIER:
        return ""
    return text


def valid_gtin(value: object) -> bool:
    """A GTIN-8/12/13/14 whose check digit is right (a spreadsheet's "3.65275E+11" is not one)."""
    digits = str(value).strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        return False
    return check_digit(digits[:-1]) == int(digits[-1])


def check_digit(body: str) -> int:
    """The GS1 check digit of a GTIN's other digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10
