"""Structured data on product pages -> item fields.

Shops publish their products for search engines and for their own scripts; that data survives a
redesign far better than CSS selectors do, so spiders read it first:
- schema.org Product in JSON-LD, through extruct (json-ld only: the other syntaxes are slow);
- platform JavaScript objects such as 3dcart's `var _3d_item = {...}`, parsed as data, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ornaments.normalize import parse_year


class BrokenData(ValueError):
    """Structured data is present but cannot be read (a syntax error, a cut-off script)."""


@dataclass
class Structured:
    """What a page's structured data says, plus whether some of it could not be read."""
    fields: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # descriptions of unreadable blocks


# --- JSON-LD ------------------------------------------------------------------------------------

def jsonld_product(html: str, base_url: str | None = None) -> dict[str, Any] | None:
    """The first schema.org Product in the page's JSON-LD (also inside @graph), or None.

    Raises BrokenData when a JSON-LD block is not valid JSON.
    """
    import extruct  # here, not at the top: it loads every syntax's parser (~0.5 s), needed only by shop spiders

    try:
        data = extruct.extract(html, base_url=base_url, syntaxes=["json-ld"], uniform=True)
    except ValueError as exc:  # json / jstyleson decoding errors
        raise BrokenData(f"JSON-LD is not valid JSON: {exc}") from exc
    for node in _walk(data.get("json-ld", [])):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(str(t).rsplit("/", 1)[-1] in ("Product", "ProductModel", "IndividualProduct") for t in types):
            return node
    return None


def _walk(nodes: list) -> list[dict]:
    found = []
    for node in nodes:
        if isinstance(node, dict):
            found.append(node)
            found.extend(_walk(node.get("@graph") or []))
        elif isinstance(node, list):
            found.extend(_walk(node))
    return found


def product_fields_from_jsonld(product: dict[str, Any]) -> dict[str, Any]:
    """Item fields from a schema.org Product; fields it lacks are left out, so selectors can fill them."""
    offer = _first(product.get("offers"))
    if isinstance(offer, dict) and "offers" in offer and "price" not in offer:  # AggregateOffer with offers
        offer = _first(offer.get("offers")) or offer
    offer = offer if isinstance(offer, dict) else {}
    price = offer.get("price", offer.get("lowPrice"))
    spec = offer.get("priceSpecification")
    if price is None and isinstance(_first(spec), dict):
        price = _first(spec).get("price")
    brand = product.get("brand")
    if isinstance(brand, dict):
        brand = brand.get("name")
    images = product.get("image") or []
    images = [images] if isinstance(images, (str, dict)) else images
    images = [i.get("url") or i.get("contentUrl") if isinstance(i, dict) else i for i in images]
    year = None
    for key in ("releaseDate", "productionDate", "dateCreated", "model"):
        year = year or parse_year(_text(product.get(key)))
    fields = {
        "vendor_product_id": _text(product.get("productID")),
        "sku": _text(product.get("sku") or product.get("mpn")),
        "gtin": _text(product.get("gtin13") or product.get("gtin12") or product.get("gtin")),
        "name": _text(product.get("name")),
        "brand": _text(brand),
        "description": _text(product.get("description")),
        "price": None if price is None else str(price),
        "currency": _text(offer.get("priceCurrency") or (_first(spec) or {}).get("priceCurrency")
                          if isinstance(_first(spec), dict) else offer.get("priceCurrency")),
        "availability": _text(offer.get("availability")),
        "url": _text(offer.get("url") or product.get("url")),
        "release_year": year,
        "image_urls": [i for i in images if isinstance(i, str) and i],
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


# --- JavaScript object literals -----------------------------------------------------------------

def js_object(html: str, variable: str) -> dict[str, Any] | None:
    """The object literal assigned to `variable` in an inline script, parsed as data.

    None when the page does not assign it; BrokenData when the literal cannot be read.
    """
    match = re.search(r"(?:var|let|const|window\.)?\s*\b" + re.escape(variable) + r"\s*=\s*\{", html)
    if match is None:
        return None
    parser = _JsParser(html, match.end() - 1)
    try:
        value = parser.value()
    except (IndexError, ValueError) as exc:
        raise BrokenData(f"{variable} is not a readable object literal: {exc}") from exc
    if not isinstance(value, dict):
        raise BrokenData(f"{variable} is not an object")
    return value


class _JsParser:
    """A small recursive-descent reader for JS literals: objects, arrays, strings, numbers, constants."""

    _NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
    _NAME = re.compile(r"[A-Za-z_$][\w$]*")
    _CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None}

    def __init__(self, text: str, position: int):
        self.text = text
        self.pos = position

    def value(self) -> Any:
        self._space()
        char = self.text[self.pos]
        if char == "{":
            return self._object()
        if char == "[":
            return self._array()
        if char in "\"'":
            return self._string()
        number = self._NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            token = number.group()
            return float(token) if any(c in token for c in ".eE") else int(token)
        name = self._NAME.match(self.text, self.pos)
        if name and name.group() in self._CONSTANTS:
            self.pos = name.end()
            return self._CONSTANTS[name.group()]
        raise ValueError(f"unexpected {self.text[self.pos:self.pos + 20]!r} at {self.pos}")

    def _object(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while True:
            self._space()
            if self.text[self.pos] == "}":
                self.pos += 1
                return result
            if self.text[self.pos] in "\"'":
                key = self._string()
            else:
                name = self._NAME.match(self.text, self.pos)
                if not name:
                    raise ValueError(f"expected a key at {self.pos}")
                key, self.pos = name.group(), name.end()
            self._expect(":")
            result[key] = self.value()
            self._separator("}")

    def _array(self) -> list[Any]:
        self.pos += 1
        result = []
        while True:
            self._space()
            if self.text[self.pos] == "]":
                self.pos += 1
                return result
            result.append(self.value())
            self._separator("]")

    _ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def _string(self) -> str:
        quote, out = self.text[self.pos], []
        self.pos += 1
        while (char := self.text[self.pos]) != quote:
            if char == "\n":
                raise ValueError("unterminated string")
            if char == "\\":
                self.pos += 1
                char = self.text[self.pos]
                if char in "ux":
                    width = 4 if char == "u" else 2
                    char = chr(int(self.text[self.pos + 1:self.pos + 1 + width], 16))
                    self.pos += width
                else:
                    char = self._ESCAPES.get(char, char)
            out.append(char)
            self.pos += 1
        self.pos += 1
        return "".join(out)

    def _separator(self, closing: str) -> None:
        self._space()
        if self.text[self.pos] == ",":
            self.pos += 1
        elif self.text[self.pos] != closing:
            raise ValueError(f"expected ',' or {closing!r} at {self.pos}")

    def _expect(self, char: str) -> None:
        self._space()
        if self.text[self.pos] != char:
            raise ValueError(f"expected {char!r} at {self.pos}")
        self.pos += 1

    def _space(self) -> None:
        while True:
            while self.text[self.pos].isspace():
                self.pos += 1
            if self.text.startswith("//", self.pos):
                self.pos = self.text.index("\n", self.pos)
            elif self.text.startswith("/*", self.pos):
                self.pos = self.text.index("*/", self.pos) + 2
            else:
                return


def product_fields_from_3d_item(item: dict[str, Any]) -> dict[str, Any]:
    """3dcart / Shift4Shop `_3d_item`: catalogid is the shop's id, id is the SKU, availability 1/0."""
    fields = {
        "vendor_product_id": _text(item.get("catalogid")),
        "sku": _text(item.get("id")),
        "name": _text(item.get("name")),
        "price": None if item.get("price") in (None, "") else str(item.get("price")),
        "currency": _text(item.get("currency")),
        "availability": None if item.get("availability") is None else str(item.get("availability")),
        "category": _text(item.get("category")),
    }
    return {k: v for k, v in fields.items() if v not in (None, "")}
