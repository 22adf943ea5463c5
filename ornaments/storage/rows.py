"""Rows as the storage module takes them: one per item.

The crawl process only packs an item's values into a tuple (pack_item: the cheapest thing to build and
to pickle); the storage worker turns it into a row (unpack_row -> product_row: types, digest), so that
work is done on the worker's core, not the crawl's."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Mapping

from ornaments.fields import KEEPABLE_FIELDS, MONEY_FIELDS, TRACKED_FIELDS

STORED = ("vendor", "vendor_product_id", *TRACKED_FIELDS)
PACKED = (*STORED, "unreadable")  # the values of a packed item, in this order
_SEQUENCES = (PACKED.index("image_urls"), PACKED.index("unreadable"))
# Prices travel as text: a Decimal pickles through __reduce__ (a call per price on both sides, 0.16 s
# per 100,000 items in the crawl process); Decimal(str(d)) gives back the same value and exponent.
_PRICES = tuple(PACKED.index(name) for name in MONEY_FIELDS)


def product_row(item: Mapping) -> dict:
    """The columns stored for an item, in the types the tables use.

    "keep" names the fields whose stored value stays because the record's own could not be read
    (item["unreadable"]): the row is completed from the stored product before it is compared.
    """
    values = item if isinstance(item, dict) else dict(item)  # one copy; lookups on an Item are slow
    return _typed_row({name: values.get(name) for name in STORED}, values.get("unreadable"))


def _typed_row(row: dict, unreadable) -> dict:
    """row (the STORED values as the item held them) in the tables' types, with keep and the digest."""
    images = row["image_urls"]
    row["image_urls"] = image_urls_json(images) if images else None
    for name in MONEY_FIELDS:
        price = row[name]
        if price is not None and price.__class__ is not Decimal:
            row[name] = Decimal(price if price.__class__ is str else str(price))
    row["availability"] = row["availability"] or "unknown"
    if unreadable:
        keep = {f for f in unreadable if f in KEEPABLE_FIELDS}
        if "price" in keep:
            keep.add("currency")  # a price kept is kept with its currency
        row["keep"] = tuple(sorted(keep))
    row["content_hash"] = content_hash(row)
    return row


# Printable ASCII but for '"' and '\\': the characters json.dumps writes as they are.
_JSON_AS_IS = re.compile(r"[ !#-\[\]-~]*")


def image_urls_json(images) -> str:
    """json.dumps(list(images)), byte for byte (the digest depends on it), without the encoder for
    the usual list of plain ASCII URLs (a third of the worker's time per row otherwise)."""
    try:
        if _JSON_AS_IS.fullmatch("".join(images)):
            return '["' + '", "'.join(images) + '"]'
    except TypeError:  # not all text
        pass
    return json.dumps(list(images))


def seen_row(vendor: str, vendor_product_id: str) -> dict:
    """A record with a known key that was dropped (unreadable, invalid): its product was seen, and
    keeps its values; nothing is created for a key that is not stored."""
    return {"vendor": vendor, "vendor_product_id": str(vendor_product_id), "seen_only": True}


def content_hash(row: Mapping) -> str:
    """A digest of the tracked fields: equal digests mean nothing the website shows has changed."""
    # \x1e separates fields and \x1f marks None, characters that product text never holds. Trailing
    # empty fields are left out, so adding a field (at the end of FIELDS) leaves stored digests valid.
    parts = ["\x1f" if row[f] is None else str(row[f]) for f in TRACKED_FIELDS]
    while parts and parts[-1] == "\x1f":
        parts.pop()
    return hashlib.blake2b("\x1e".join(parts).encode(), digest_size=16).hexdigest()


def pack_item(values: Mapping) -> tuple:
    """An item's stored values as a tuple in PACKED order (runs in the crawl process for every item)."""
    packed = list(map(values.get, PACKED))
    for index in _SEQUENCES:  # lists are copied: the item may still change after it is queued
        if packed[index] is not None:
            packed[index] = tuple(packed[index])
    for index in _PRICES:
        if packed[index] is not None:
            packed[index] = str(packed[index])
    return tuple(packed)


def pack_seen(vendor: str, vendor_product_id: str) -> tuple:
    """A packed seen_row: a record with a known key that was dropped."""
    return (vendor, str(vendor_product_id))


def unpack_row(packed: tuple | Mapping) -> dict:
    """The row of a packed item (or seen record); a row that is already one is returned as it is."""
    if packed.__class__ is not tuple:
        return packed  # type: ignore[return-value]
    if len(packed) == 2:
        return seen_row(*packed)
    return _typed_row(dict(zip(STORED, packed)), packed[-1])  # zip stops before "unreadable", the last
