"""Manufacturer item numbers and GTINs, read and normalised.

Hallmark writes one number many ways: `QX 9201`, `qx9201`, `1QX9201` (a price or pack prefix),
`QX9201-1` (a case-pack suffix), `QX 507-4` (the old style, whose last digit is part of the number).
All of those are `QX9201` / `QX5074`. A shop's own id is never a manufacturer number.
"""

from __future__ import annotations

import re

# Hallmark: Q + 1-3 letters (QX, QXI, QXD, QXE, QXR, QXM, QXC, QLX, QHX, QK, QBG...) + 3 or 4 digits,
# optionally a leading digit run glued on (price/pack prefix) and a trailing -digit.
_HALLMARK = re.compile(r"(?<![A-Z])\d*(Q[A-Z]{1,3})[ .]?(\d{3,4})(?:-(\d))?(?![0-9])")
# Other manufacturers: a number the text labels as the maker's ("Item #", "Model", "Style", "MPN").
_LABELLED = re.compile(r"(?:item|model|style|mpn|part|article|art\.?)\s*(?:no\.?|number|#)?\s*[:#]?\s*"
                       r"([A-Z]{0,4}[- ]?\d{3,8}[A-Z]?)\b", re.IGNORECASE)
# Brand spellings seen in feeds -> one key.
_BRANDS = {
    "hallmark": "hallmark", "hallmark keepsake": "hallmark", "hallmark keepsake ornaments": "hallmark",
    "keepsake": "hallmark", "hallmark ornaments": "hallmark", "keepsake ornaments": "hallmark",
    "department 56": "department56", "dept 56": "department56", "dept. 56": "department56",
    "christopher radko": "radko", "radko": "radko", "old world christmas": "oldworldchristmas",
    "kurt adler": "kurtadler", "kurt s. adler": "kurtadler", "enesco": "enesco",
}
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def brand_key(brand: str | None, *texts: str | None) -> str:
    """One key per manufacturer: "Hallmark Keepsake" and "hallmark" are "hallmark". Without a brand,
    a Hallmark number or the word Hallmark in the texts says Hallmark; otherwise "" (unknown)."""
    if brand:
        cleaned = " ".join(brand.lower().replace("®", " ").replace("™", " ").split())
        if cleaned in _BRANDS:
            return _BRANDS[cleaned]
        for spelling, key in _BRANDS.items():
            if cleaned.startswith(spelling):
                return key
        return _NOT_ALNUM.sub("", cleaned)[:64]
    for text in texts:
        if text and ("hallmark" in text.lower() or hallmark_numbers(text)):
            return "hallmark"
    return ""


def hallmark_numbers(text: str | None) -> list[str]:
    """Every Hallmark item number in the text, normalised, in order of appearance, without repeats."""
    if not text:
        return []
    found: list[str] = []
    for match in _HALLMARK.finditer(text.upper()):
        prefix, digits, suffix = match.groups()
        if len(digits) == 3 and suffix:  # old style "QX 507-4": the suffix is the number's last digit
            digits += suffix
        if len(digits) == 3:
            continue  # "QX 507" alone is cut short: not a number we can trust
        number = prefix + digits
        if number not in found:
            found.append(number)
    return found


def labelled_numbers(text: str | None) -> list[str]:
    """Numbers a text labels as the manufacturer's ("Item #: 4036533", "Model ABC-123")."""
    if not text:
        return []
    found: list[str] = []
    for match in _LABELLED.finditer(text):
        number = re.sub(r"[- ]", "", match.group(1).upper())
        if number not in found:
            found.append(number)
    return found


def item_numbers(brand: str, sku: str | None, name: str | None, description: str | None) -> list[str]:
    """The manufacturer numbers of one listing (normalised), strongest source first: the sku, then the
    name, then the description. Hallmark's pattern is read everywhere; another brand's number only
    where a label says so (a bare sku is most often the shop's own)."""
    numbers: list[str] = []
    for text in (sku, name, description):
        candidates = hallmark_numbers(text) if brand in ("hallmark", "") else []
        if brand and brand != "hallmark":
            candidates = labelled_numbers(text)
        for number in candidates:
            if number not in numbers:
                numbers.append(number)
    return numbers


def gtin(value: str | None) -> str | None:
    """A valid GTIN-8/12/13/14 (UPC, EAN) as 14 digits, or None (wrong length, bad check digit, zeros)."""
    if not value:
        return None
    digits = re.sub(r"[\s-]", "", str(value))
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14) or not digits.strip("0"):
        return None
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - total % 10) % 10 != check:
        return None
    return digits.zfill(14)


def gtins(value: str | None) -> list[str]:
    """The valid GTINs of a field that may hold several ("0123..., 4567...")."""
    if not value:
        return []
    found = []
    for part in re.split(r"[,;/|]+", str(value)):
        normal = gtin(part.strip())
        if normal and normal not in found:
            found.append(normal)
    return found
