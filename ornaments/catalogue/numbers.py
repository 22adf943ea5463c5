"""Manufacturer item numbers and GTINs, read and normalised.

Hallmark writes one number many ways: `QX 9201`, `qx9201`, `QX-9201`, `1QX9201` / `2023QX9201` (a price,
pack or year prefix), `QX9201-1` (a case-pack suffix), `QX 507-4` (the old style, whose last digit is part
of the number). All of those are `QX9201` / `QX5074`. A shop's own id is never a manufacturer number.

`listing_numbers` and `listing_gtins` read one listing's places, strongest first (see docs/catalogue.md).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable

from ornaments.normalize import barcode_digits

# Hallmark: Q + 1-3 letters (QX, QXI, QXD, QXE, QXR, QXM, QXC, QLX, QHX, QK, QBG...) + 3 or 4 digits,
# optionally a leading digit run glued on (price/pack prefix) and a trailing -digit.
_HALLMARK = re.compile(r"(?<![A-Z])\d*(Q[A-Z]{1,3})[ .-]?(\d{3,4})(?:-(\d))?(?![0-9])")
# A label that says the number after it is the listing's own: "Item #: QXI7288", "Hallmark # QXD4116",
# "Style QX9201", "Keepsake Ornament QX9201", "MPN: QX9201".
_OWN_LABEL = re.compile(r"(?:\bitem|\bhallmark|\bstyle|\bkeepsake ornament|\bmodel|\bmpn|\bpart|\bproduct code|\bsku)"
                        r"\s*(?:no\.?|number|#|item)?\s*[:#]?\s*$", re.IGNORECASE)
# A barcode a text labels as such: "UPC: 7 63795 92015 4", "EAN 0763795920154".
_GTIN_LABEL = re.compile(r"\b(?:upc|ean|gtin|barcode)(?:-?a|-?12|-?13|-?14)?\s*(?:code|no\.?|number|#)?\s*[:#]?\s*"
                         r"(\d[\d -]{6,22}\d)", re.IGNORECASE)
# Words of a sentence that points at other ornaments ("Pairs with last year's QX1234", "Also see ...").
_ELSEWHERE = re.compile(r"\b(?:also|pairs?|paired|last year|next year|previous|companion|goes with|go with|complete|"
                        r"collect(?:ion)?|bought|matches|matching|see|similar|like|other|sold separately|"
                        r"includes?|including|set)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?;\n]*(?:[.!?;\n]+|$)")
# A product's Hallmark number as a file or slug spells it (the last path segment).
_LAST_SEGMENT = re.compile(r"[^/]*$")
# Other manufacturers: a number the text labels as the maker's ("Item #", "Model", "Style", "MPN").
_LABELLED = re.compile(r"(?:item|model|style|mpn|part|article|art\.?)\s*(?:no\.?|number|#)?\s*[:#]?\s*"
                       r"([A-Z]{0,4}[- ]?\d{3,8}[A-Z]?)\b", re.IGNORECASE)
# Brand spellings seen in feeds -> one key.
_BRANDS = {
    "hallmark": "hallmark", "hallmark keepsake": "hallmark", "hallmark keepsake ornaments": "hallmark",
    "keepsake": "hallmark", "hallmark ornaments": "hallmark", "keepsake ornaments": "hallmark",
    "hmk": "hallmark",  # Hallmark's own abbreviation, in wholesale sheets ("HMK", "HMK-QX9201")
    "department 56": "department56", "dept 56": "department56", "dept. 56": "department56",
    "christopher radko": "radko", "radko": "radko", "old world christmas": "oldworldchristmas",
    "kurt adler": "kurtadler", "kurt s. adler": "kurtadler", "enesco": "enesco",
}
MAKERS = frozenset(_BRANDS.values())
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# HTML in a description (feeds pass shops' body HTML on): a paragraph, line, list item or table row ends
# a sentence; a cell or bold does not ("<th>Item Number</th><td>QX9201</td>" keeps its label).
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|tr|table|div|h[1-6])\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES_DASHES = re.compile(r"[\s-]")


def brand_key(brand: str | None, *texts: str | None) -> str:
    """One key per manufacturer: "Hallmark Keepsake Ornaments®" and "HALLMARK" are "hallmark". Without a
    brand (or with one of one or two characters), a Hallmark number or the word Hallmark in the texts
    says Hallmark; otherwise "" (unknown)."""
    if brand:
        cleaned = " ".join(brand.lower().replace("®", " ").replace("™", " ").split())
        if cleaned in _BRANDS:
            return _BRANDS[cleaned]
        for spelling, key in _BRANDS.items():
            if cleaned.startswith(spelling):
                return key
        key = _NOT_ALNUM.sub("", cleaned)[:64]
        if len(key) > 2:
            # Not a maker we know: often the licensed property ("Star Wars", "Disney") a marketplace
            # puts in the brand field. The word Hallmark in the texts names the maker.
            return "hallmark" if any(text and "hallmark" in text.lower() for text in texts) else key
        # one or two characters is a feed's filler (a CJ feed's manufacturer "t"), not a brand
    for text in texts:
        if text and ("hallmark" in text.lower() or hallmark_numbers(text)):
            return "hallmark"
    return ""


def plain_text(text: str | None) -> str | None:
    """A description as a person reads it: HTML tags out, entities decoded ("Item &#35;: QX9201",
    "Item&nbsp;#:&nbsp;QX9201"). Text without "<" or "&" is returned as it is (most descriptions)."""
    if not text or ("<" not in text and "&" not in text):
        return text
    if "<" in text:
        text = _TAG.sub(" ", _BLOCK_TAG.sub("\n", text))
    return html.unescape(text).replace("\xa0", " ") if "&" in text else text


def _hallmark_matches(text: str | None) -> Iterable[tuple[str, int, int]]:
    """(normalised number, where it starts, where it ends) for every Hallmark number in the text."""
    if not text:
        return
    for match in _HALLMARK.finditer(text.upper()):
        prefix, digits, suffix = match.groups()
        if len(digits) == 3 and suffix:  # old style "QX 507-4": the suffix is the number's last digit
            digits += suffix
        if len(digits) == 3:
            continue  # "QX 507" alone is cut short: not a number we can trust
        yield prefix + digits, match.start(), match.end()


def hallmark_numbers(text: str | None) -> list[str]:
    """Every Hallmark item number in the text, normalised, in order of appearance, without repeats."""
    found: list[str] = []
    if not text:
        return found
    upper = text.upper()
    if "HMKQ" in upper:  # Hallmark's abbreviation glued on in a wholesale sheet's sku: "HMKQX9201"
        upper = upper.replace("HMKQ", "HMK Q")
    for match in _HALLMARK.finditer(upper):  # _hallmark_matches' rule, inline: the hot path
        prefix, digits, suffix = match.groups()
        if len(digits) == 3:
            if not suffix:
                continue
            digits += suffix
        number = prefix + digits
        if number not in found:
            found.append(number)
    return found


def labelled_hallmark_numbers(text: str | None) -> list[str]:
    """The Hallmark numbers a text labels as the listing's own ("Item #: QXI7288", "Style QX9201")."""
    return own_description_numbers(text)[0]


def own_description_numbers(text: str | None) -> tuple[list[str], list[str]]:
    """(labelled, unlabelled) Hallmark numbers a description gives as the listing's own.

    A number right after a label ("Item #:", "Hallmark #", "Style", "Keepsake Ornament") is labelled,
    unless words pointing at other ornaments ("Pairs with last year's", "Also see", "Includes") come
    between the previous number (or the sentence's start) and the label. An unlabelled number counts
    only in a sentence without such words."""
    labelled: list[str] = []
    loose: list[str] = []
    for match in _SENTENCE.finditer(text or ""):
        sentence = match.group()
        elsewhere = _ELSEWHERE.search(sentence) is not None
        before = 0
        for number, start, end in _hallmark_matches(sentence):
            label = _OWN_LABEL.search(sentence, before, start)
            if label is not None and not _ELSEWHERE.search(sentence, before, label.start()):
                if number not in labelled:
                    labelled.append(number)
            elif not elsewhere and number not in loose:
                loose.append(number)
            before = end
    return labelled, loose


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
    """The manufacturer numbers of sku, name and description (normalised, in that order). Hallmark's
    pattern is read everywhere; another brand's number only where a label says so (a bare sku is most
    often the shop's own)."""
    numbers: list[str] = []
    for text in (sku, name, description):
        candidates = hallmark_numbers(text) if brand in ("hallmark", "") else []
        if brand and brand != "hallmark":
            candidates = labelled_numbers(text)
        for number in candidates:
            if number not in numbers:
                numbers.append(number)
    return numbers


def listing_numbers(brand: str, sku: str | None, name: str | None, description: str | None,
                    url: str | None = None, images: Any = None) -> list[str]:
    """A listing's manufacturer numbers, from the first place that names any, strongest first:
    1. sku and name (several there: a bundle, and the caller links none);
    2. numbers the description labels as the listing's own ("Item #:", "Hallmark #", "Style");
    3. the URL's last path segment (a slug such as `frosty-friends-2023-qx9201`), then the image file
       names (`QX9201_1.jpg`; images as image_list reads them): one number, or none when they name several;
    4. the description's one unlabelled number.
    In the description, words that point at other ornaments ("Pairs with last year's QX...", "Also
    see", "Includes") void a label after them and every unlabelled number of their sentence
    (own_description_numbers); in places 2-4, several numbers say nothing."""
    own = item_numbers(brand, sku, name, None)
    if own:
        return own
    if brand not in ("hallmark", ""):
        return labelled_numbers(description)[:1]
    labelled, loose = own_description_numbers(description)
    slug = _LAST_SEGMENT.search((url or "").split("?", 1)[0].rstrip("/")).group()
    for place in (labelled, hallmark_numbers(slug), _image_numbers(image_list(images)), loose):
        if place:
            return place if len(place) == 1 else []
    return []


def _image_numbers(images: Iterable[str]) -> list[str]:
    found: list[str] = []
    for image in images:
        for number in hallmark_numbers(_LAST_SEGMENT.search(str(image)).group()):
            if number not in found:
                found.append(number)
    return found


def image_list(value) -> list[str]:
    """A products row's image_urls: stored as JSON text, or a list as a spider yields it."""
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
        if isinstance(value, str):
            return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def gtin(value: str | None) -> str | None:
    """A valid GTIN-8/12/13/14 (UPC, EAN) as 14 digits, or None (wrong length, bad check digit, zeros).
    Read as normalize.barcode_digits reads a barcode field: spaces and dashes, a float that kept every
    digit and an 11-digit UPC are the code they were written from."""
    if not value:
        return None
    digits = barcode_digits(value) or ""
    if len(digits) not in (8, 12, 13, 14) or not digits.strip("0"):
        return None
    return digits.zfill(14) if _with_check(digits[:-1]) == digits else None


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
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


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
