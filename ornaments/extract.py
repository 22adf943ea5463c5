"""Structured data on product pages -> item fields.

Shops publish their products for search engines and for their own scripts; that data survives a
redesign far better than CSS selectors do, so spiders read it first:
- schema.org Product in JSON-LD, and in microdata where a page has no JSON-LD Product (through extruct);
- platform JavaScript objects such as 3dcart's `var _3d_item = {...}`, read as data by chompjs, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import chompjs

from ornaments.normalize import parse_year

PRODUCT_TYPES = ("Product", "ProductModel", "IndividualProduct", "ProductGroup")


class BrokenData(ValueError):
    """Structured data is present but cannot be read (a syntax error, a cut-off script)."""


@dataclass
class Structured:
    """What a page's structured data says, plus whether some of it could not be read."""
    fields: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # descriptions of unreadable blocks

    def merge(self, other: "Structured") -> "Structured":
        """Fields of self win; other fills what self lacks."""
        return Structured({**other.fields, **self.fields}, self.broken + other.broken)


# --- schema.org: JSON-LD and microdata ----------------------------------------------------------

def schema_org(html: str, base_url: str | None = None) -> dict[str, list[dict]]:
    """{"json-ld": [...], "microdata": [...]} of the page, microdata read only when the page has some.

    Raises BrokenData when a JSON-LD block is not valid JSON.
    """
    import extruct  # here, not at the top: it loads every syntax's parser (~0.5 s), needed only by shop spiders

    syntaxes = ["json-ld"] + (["microdata"] if "itemtype" in html else [])  # microdata is the slow one
    try:
        return extruct.extract(html, base_url=base_url, syntaxes=syntaxes, uniform=True)
    except ValueError as exc:  # json / jstyleson decoding errors
        raise BrokenData(f"JSON-LD is not valid JSON: {exc}") from exc


def find_product(data: dict[str, list]) -> dict[str, Any] | None:
    """The first schema.org Product in JSON-LD (also inside @graph), else in microdata."""
    for syntax in ("json-ld", "microdata"):
        for node in _walk(data.get(syntax) or []):
            if _is_type(node, PRODUCT_TYPES):
                return node
    return None


def jsonld_product(html: str, base_url: str | None = None) -> dict[str, Any] | None:
    """The first schema.org Product in the page's JSON-LD or microdata, or None (BrokenData: unreadable JSON-LD)."""
    return find_product(schema_org(html, base_url))


def breadcrumb_names(data: dict[str, list]) -> list[str]:
    """Names of a schema.org BreadcrumbList's items, in order."""
    for syntax in ("json-ld", "microdata"):
        for node in _walk(data.get(syntax) or []):
            if _is_type(node, ("BreadcrumbList",)):
                items = node.get("itemListElement") or []
                items = sorted((i for i in items if isinstance(i, dict)), key=lambda i: _int(i.get("position")))
                names = []
                for entry in items:
                    thing = entry.get("item")
                    names.append(_text(entry.get("name") or (thing.get("name") if isinstance(thing, dict) else None)))
                return [n for n in names if n]
    return []


def _is_type(node: dict, names: tuple[str, ...]) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(str(t).rsplit("/", 1)[-1] in names for t in types)


def _walk(nodes: list) -> list[dict]:
    found = []
    for node in nodes:
        if isinstance(node, dict):
            found.append(node)
            found.extend(_walk(node.get("@graph") or []))
        elif isinstance(node, list):
            found.extend(_walk(node))
    return found


def _offer(product: dict[str, Any]) -> dict[str, Any]:
    """The offer whose price the buyer pays (see _priced_offer), its availability completed by the first
    offer that states one when its own does not."""
    offer = _priced_offer(product)
    if offer.get("availability") in (None, "", []):
        offers = product.get("offers")
        for other in _walk(offers if isinstance(offers, list) else [offers]):
            if other.get("availability") not in (None, "", []):
                return {**offer, "availability": other["availability"]}
            for inner in _walk([other.get("offers") or []]):
                if inner.get("availability") not in (None, "", []):
                    return {**offer, "availability": inner["availability"]}
    return offer


def _priced_offer(product: dict[str, Any]) -> dict[str, Any]:
    """The offer whose price the buyer pays: the first priced one of an offers list, or an AggregateOffer
    (its lowPrice) completed by its first priced offer (availability, currency)."""
    offers = product.get("offers")
    offers = offers if isinstance(offers, list) else [offers]
    offers = [o for o in offers if isinstance(o, dict)]
    for offer in offers:
        inner = offer.get("offers")  # an AggregateOffer listing its offers
        inner = [o for o in (inner if isinstance(inner, list) else [inner]) if isinstance(o, dict)]
        priced = next((o for o in inner if _price_of(o) is not None), None)
        own = {k: v for k, v in offer.items() if k != "offers"}
        if _price_of(offer) is not None:  # its own price (lowPrice) wins over its offers' prices
            rest = {k: v for k, v in (priced or {}).items() if k not in ("price", "priceSpecification")}
            return {**rest, **own}
        if priced is not None:
            return {**own, **priced}
    return offers[0] if offers else {}


def _price_of(offer: dict[str, Any]) -> Any:
    price = offer.get("price", offer.get("lowPrice"))
    spec = _first(offer.get("priceSpecification"))
    if price is None and isinstance(spec, dict):
        price = spec.get("price")
    return price


def product_fields_from_jsonld(product: dict[str, Any]) -> dict[str, Any]:
    """Item fields from a schema.org Product; fields it lacks are left out, so selectors can fill them."""
    offer = _offer(product)
    price = _price_of(offer)
    spec = _first(offer.get("priceSpecification"))
    currency = offer.get("priceCurrency") or (spec.get("priceCurrency") if isinstance(spec, dict) else None)
    brand = product.get("brand")
    if isinstance(brand, dict):
        brand = brand.get("name")
    images = product.get("image") or []
    images = [images] if isinstance(images, (str, dict)) else images
    images = [i.get("url") or i.get("contentUrl") if isinstance(i, dict) else i for i in images]
    year = None
    for key in ("releaseDate", "productionDate", "dateCreated", "model"):
        year = year or parse_year(_text(product.get(key)))
    properties = product.get("additionalProperty") or []  # custom fields: {"name": "Year", "value": "1998"}
    for prop in properties if isinstance(properties, list) else [properties]:
        if not year and isinstance(prop, dict) and "year" in str(prop.get("name") or prop.get("propertyID") or "").lower():
            year = parse_year(_text(prop.get("value")))
    fields = {
        "vendor_product_id": _text(product.get("productID")),
        "sku": _text(product.get("sku") or product.get("mpn")),
        "gtin": _text(product.get("gtin13") or product.get("gtin12") or product.get("gtin")),
        "name": _text(product.get("name")),
        "brand": _text(brand),
        "description": _text(product.get("description")),
        "price": None if price is None else str(price),
        "currency": _text(currency),
        # a list of one: ["…/PreOrder"]; sloppy markup puts it on the Product, outside any Offer
        "availability": _text(_first(offer.get("availability") or product.get("availability"))),
        "url": _text(offer.get("url") or product.get("url")),
        "category": _text(product.get("category")),
        "release_year": year,
        "image_urls": [i for i in images if isinstance(i, str) and i],
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


# --- JavaScript object literals -----------------------------------------------------------------

def js_object(html: str, variable: str) -> dict[str, Any] | None:
    """The object literal assigned to `variable` in an inline script, read as data by chompjs.

    None when the page does not assign it; BrokenData when the literal cannot be read.
    """
    match = re.search(r"(?:var|let|const|window\.)?\s*\b" + re.escape(variable) + r"\s*=\s*\{", html)
    if match is None:
        return None
    try:
        value = chompjs.parse_js_object(html[match.end() - 1:])
    except ValueError as exc:
        raise BrokenData(f"{variable} is not a readable object literal: {exc}") from exc
    if not isinstance(value, dict):
        raise BrokenData(f"{variable} is not an object")
    return value


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
