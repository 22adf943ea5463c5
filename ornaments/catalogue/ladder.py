"""The matching ladder, strictest rung first, as pure decisions over a listing's facts.

1. a valid GTIN shared with an item: linked (unless both carry manufacturer numbers that differ);
2. brand + manufacturer item number (one number only: a listing naming several is a bundle), with
   release years that agree when both are known (and, when one is not, names that are not wholly
   unlike, and not a number the items show in several years): linked;
3. same brand and year, a similar name, product-making words and series numbers alike: proposed for a
   person to review, never linked by the machine.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple

from ornaments.catalogue import barcodes, labels, names, numbers

NAME_THRESHOLD = 88.0  # rung 3: similarity (0-100) from which two names are proposed as one product
GTIN_CONFIDENCE = 1.0
NUMBER_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Facts:
    """What matching reads from one listing (a products row)."""
    brand: str
    numbers: tuple[str, ...]
    gtins: tuple[str, ...]
    year: int | None
    name: str
    # The listing's one manufacturer number; None without one or with several (a bundle). Set once
    # from numbers: matching asks for it many times per listing.
    number: str | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", self.numbers[0] if len(self.numbers) == 1 else None)

    @property
    def comparable(self) -> str:
        """The name as rung 3 compares it (only rung 3 needs it: computed when asked)."""
        return names.comparable(self.name)

    # match_key, keys and item_texts are worked out once, when first asked.

    def match_key(self) -> str:
        """A digest of what rungs 1-2 read: a listing whose key changes is matched again. The digest
        is of json.dumps([brand, numbers, gtins, year]) (stored keys stay valid); the text is written
        directly when every value is plain letters and digits (JSON would escape nothing), the usual case."""
        known = self.__dict__.get("_match_key")
        if known is None:
            known = self.__dict__["_match_key"] = self._digest()
        return known

    def keys(self) -> list[tuple[str, str]]:
        """(kind, key) of what links it: each GTIN, and brand and number."""
        known = self.__dict__.get("_keys")
        if known is None:
            known = self.__dict__["_keys"] = [("gtin", g) for g in self.gtins] + [("number", k) for k in self.number_keys()]
        return known

    def item_texts(self) -> tuple[str, str, int | None]:
        """An item made from this listing: its name, the name as /items searches it, its number in a series."""
        known = self.__dict__.get("_item_texts")
        if known is None:
            name = (self.name or "?")[:names.SEARCH_NAME_LENGTH]
            known = self.__dict__["_item_texts"] = (name, names.search_text(name), names.series_number(self.name))
        return known

    def _digest(self) -> str:
        texts = (self.brand, *self.numbers, *self.gtins)
        if all(t.isascii() and t.isalnum() for t in texts):
            raw = '["{}", [{}], [{}], {}]'.format(self.brand, ", ".join(f'"{n}"' for n in self.numbers),
                                                  ", ".join(f'"{g}"' for g in self.gtins),
                                                  "null" if self.year is None else int(self.year))
        else:
            raw = json.dumps([self.brand, self.numbers, self.gtins, self.year])
        return hashlib.md5(raw.encode()).hexdigest()

    def number_keys(self) -> list[str]:
        return [f"{self.brand}:{self.number}"] if self.number and self.brand else []


def facts(row: Mapping[str, Any]) -> Facts:
    """What rungs 1-3 read from a products row (numbers.listing_numbers and listing_gtins say where)."""
    name = row.get("name") or ""
    if "&" in name and ";" in name:  # entities a page left in ("Santa&#39;s Workshop")
        name = html.unescape(name)
    shown, name = name, labels.as_read(name)  # the item shows the name as the shop wrote it
    sku, url = labels.as_read(row.get("sku")), row.get("url")
    own_id = row.get("vendor_product_id")
    if not sku and own_id and own_id[:1].isdigit() and numbers.hallmark_numbers(own_id):
        sku = row["vendor_product_id"]  # a shop without skus whose id is Hallmark's price code ("1999QX5870")
    description = labels.as_read(labels.plain_text(row.get("description")))
    brand = numbers.brand_key(row.get("brand"), sku, name)
    if brand not in numbers.MAKERS and description and "hallmark" in description.lower():
        brand = "hallmark"  # none, or a licensor's name ("Disney") over a "Brand: Hallmark" description
    elif brand not in numbers.MAKERS:  # none, a licensor's or the shop's own: "Vendor: Jim Shore", "Boule de Noël Kurt Adler"
        brand = numbers.maker_named(description) or brand
    gtins = tuple(barcodes.listing_gtins(row.get("gtin"), sku, description))
    found = numbers.listing_numbers(brand, sku, name, description, url, row.get("image_urls"), has_gtin=bool(gtins),
                                    own_id=row.get("vendor_product_id"))
    if found and not brand:
        brand = "hallmark"  # only Hallmark's pattern is read without a brand
    if len(found) == 1 and names.is_lot(name) or found and (names.is_accessory(name) or names.is_copy(description)):
        found = []  # a lot naming one of its parts' numbers ("QX8716 + 3 more"), an empty box, a copy: items of their own
    elif found and description and (names.is_part_only(description) or len(found) == 1 and names.says_set(name)
                                    and numbers.lists_pieces(description, found[0])):
        found = []  # its price tag or box alone, a set whose text names its pieces' numbers
    year = row.get("release_year") or names.listing_year(name, description, _path(url))
    if not found and year and brand == "hallmark" and description and ":" in description \
            and int(year) in names.years_in(name):  # the name's year: a parent's "Choose Your Year" has none
        found = numbers.year_line_number(description, int(year), name)  # a variation's line in its parent's list
    return Facts(brand=brand, numbers=tuple(found), gtins=gtins, year=int(year) if year else None, name=shown)


def _path(url: str | None) -> str:
    """A URL's path (a slug such as /products/frosty-friends-2023-qx9201), without host and query."""
    if not url:
        return ""
    rest = url.split("://", 1)[-1]
    return rest[rest.find("/"):].split("?", 1)[0] if "/" in rest else ""


class Candidate(NamedTuple):
    """An item as the ladder sees it. A tuple: matching makes one per stored candidate and per new item
    (a frozen dataclass's __init__ took five times as long); changed with _replace()."""
    id: int
    brand: str
    number: str | None
    year: int | None
    name: str
    gtins: tuple[str, ...] = ()
    series: str | None = None  # the shop's series field, filled by a later listing


def years_agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def gtin_link(listing: Facts, candidates: Iterable[Candidate]) -> Candidate | None:
    """Rung 1: the item sharing a GTIN with the listing, if nothing contradicts it."""
    for item in candidates:
        if set(item.gtins) & set(listing.gtins):
            if item.number and listing.number and item.number != listing.number:
                continue
            return item
    return None


def number_link(listing: Facts, candidates: Iterable[Candidate]) -> Candidate | None:
    """Rung 2: the item of the listing's brand and single number, in an agreeing year. The candidates
    are the items found by the listing's number key ("brand:NUMBER"), and the key decides: one whose own
    number or brand is empty (made from a listing with a GTIN only) has it from a listing linked to it
    since, one with another number from a merge (a person's word: two numbers for one product)."""
    if not listing.number:
        return None
    fitting = [c for c in candidates if c.brand in (listing.brand, "")
               and years_agree(c.year, listing.year)
               and (c.year is not None and listing.year is not None or not names.unlike(listing.name, c.name))]
    exact = [c for c in fitting if c.year == listing.year]
    if not exact and len({c.year for c in fitting if c.year is not None}) > 1:
        return None  # a number Hallmark used in several years, and the listing names none: which one?
    chosen = exact or fitting
    return min(chosen, key=lambda c: c.id) if chosen else None


def name_proposal(listing: Facts, item: Candidate) -> tuple[float, list[str]] | None:
    """Rung 3: (score, reasons) when the item may be the listing's product, or None."""
    if item.brand != listing.brand or listing.year is None or item.year != listing.year:
        return None
    if listing.number and item.number and listing.number != item.number:
        return None  # two different manufacturer numbers are two products
    if listing.gtins and item.gtins and not set(listing.gtins) & set(item.gtins):
        return None
    why_not = names.disagreement(listing.name, item.name)
    if why_not:
        return None
    score = names.similarity(listing.comparable, names.comparable(item.name))
    if score < NAME_THRESHOLD:
        return None
    reasons = [f"same brand ({listing.brand or 'unknown'}) and year ({listing.year})",
               f"names {score:.0f}% alike"]
    if listing.number or item.number:
        reasons.append(f"number only on one side ({listing.number or item.number})")
    return round(score / 100, 3), reasons
