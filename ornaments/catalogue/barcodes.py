"""GTINs (UPC, EAN, JAN) as the matcher reads them from a listing: the gtin field, a sku of digits, a
barcode the description labels; normalised to 14 digits, the check digit deciding, and codes of
restricted circulation left out (rung 1 of ornaments.catalogue.ladder)."""

from __future__ import annotations

import re

from ornaments.catalogue import labels
from ornaments.normalize import check_digit, read_gtin

# A barcode a text labels as such: "UPC: 7 63795 92015 4", "EAN 0763795920154", "UPC / CUP : 763795…".
# "EAN kód" / "EAN kod" / "EAN-kood" (Slovak, Czech, Croatian, Estonian), "UPC on box:" (eBay sellers).
_GTIN_LABEL = re.compile(labels.BARCODE + r"(?:\s*[-/]?\s*(?:code|no\.?|number|#|nummer|cup|コード|13|k[óo]d|kood|kods|kodas|"
                         r"on\s+(?:the\s+)?box))?"
                         r"(?:\s*\([^)\n]{1,12}\))?\s*[:#]?\s*'?"
                         r"(\d[\d -]{6,22}\d)", re.IGNORECASE)  # "Barcode: '763795…" (a spreadsheet's text mark)
_SPACES_DASHES = re.compile(r"[\s-]")

# GS1 prefixes of restricted circulation (a GTIN-13's first three digits): codes a shop or a region gives
# out itself (in-store and variable-measure codes, UPC number systems 2 and 4, EAN 20-29), and coupons.
# Another shop's same code is another thing: they name no product across shops.
_RESTRICTED_PREFIX = re.compile(r"0[245]\d|2\d\d|98[0-4]|99\d")


def gtin(value: str | None) -> str | None:
    """A valid GTIN-8/12/13/14 (UPC, EAN) as 14 digits, or None (wrong length, bad check digit, zeros, a
    code of restricted circulation). Read as normalize.barcode_digits reads a barcode field: spaces and
    dashes, a float that kept every digit and an 11-digit UPC are the code they were written from."""
    digits = read_gtin(value) if value else None
    if not digits or not digits.strip("0"):
        return None
    code = digits.zfill(14)
    if len(digits) > 8 and _RESTRICTED_PREFIX.fullmatch(code[1:4]):
        return None
    return code


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


def _with_check(body: str) -> str:
    return body + str(check_digit(body))


def listing_gtins(gtin_field: str | None, sku: str | None, description: str | None) -> list[str]:
    """A listing's valid GTINs: the gtin field's; else a sku made only of digits (spaces and dashes
    allowed) of 11-14 digits whose check digit is right (shops put the UPC there, and a spreadsheet
    drops its leading 0; a shop id of that length passes by chance one time in ten, and then finds no
    other listing); else barcodes the description labels ("UPC: 7 63795 92015 4"), one only.
    A case's GTIN-14 (indicator digit 1-8) also gives the GTIN of the unit it packs."""
    found = gtins(gtin_field)
    if not found and sku:
        digits = _SPACES_DASHES.sub("", sku)
        if digits.isdigit() and 11 <= len(digits) <= 14:
            normal = gtin(digits.zfill(12))
            found = [normal] if normal else []
    if not found:
        labelled: list[str] = []
        for match in _GTIN_LABEL.finditer(description or ""):
            normal = gtin(match.group(1).strip(" -"))
            if normal and normal not in labelled:
                labelled.append(normal)
        found = labelled if len(labelled) == 1 else []
    for case in tuple(found):
        if case[0] in "12345678":  # GS1: the case's indicator digit, then the unit's GTIN-13 body
            unit = "0" + _with_check(case[1:13])
            if unit not in found:
                found.append(unit)
    return found
