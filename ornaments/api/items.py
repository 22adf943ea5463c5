"""The cross-shop catalogue, read (docs/catalogue.md): GET /items and GET /items/{id}.

An item is one real product; its offers are every shop's listing of it. Prices are never converted:
the best price is given per currency. "In stock at N of M shops": N shops have it in stock, of the M
that list it (live listings).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.ids import path_id, text_id
from ornaments.api.shape import MAX_MONEY, iso_utc, json_list, money
from ornaments.catalogue.names import search_text
from ornaments.catalogue.numbers import hallmark_numbers
from ornaments.prices import ISO_4217
from ornaments.storage.outbox import AVAILABLE
from ornaments.storage.schema import catalog_items, item_keys, item_listings, item_prices, price_history, products

router = APIRouter(tags=["catalogue"], dependencies=[Depends(require_read)])

MAX_PAGE = 200
SORTS = ("id", "best_price")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")  # words, keeping "Santa's", "Mr.Claus", "Jack-in-the-Box"
_YEAR = re.compile(r"19[6-9]\d|20\d\d")
_ITEM_NUMBER = re.compile(r"[A-Za-z]{0,4}-?\d{4,8}[A-Za-z]?")
ITEM_COLUMNS = [catalog_items.c[c] for c in ("id", "brand", "item_number", "name", "release_year", "series",
                                             "series_number", "gtins", "image_url", "offers", "shops_in_stock",
                                             "best_prices", "best_price", "best_currency", "updated_at")]


def item_json(row: Any, currency: str | None = None) -> dict[str, Any]:
    """An item as /items answers it. With a currency asked for, best_price is the best price in it (from
    item_prices: the page's sort key); otherwise in the currency most of its offers have."""
    v = row._mapping
    if currency is not None and "price_in_currency" in v:
        best = {"price": money(v["price_in_currency"]), "currency": currency}
    else:
        best = {"price": money(v["best_price"]), "currency": v["best_currency"]} if v["best_currency"] else None
    return {"id": int(v["id"]), "brand": v["brand"] or None, "item_number": v["item_number"], "name": v["name"],
            "release_year": v["release_year"], "series": v["series"], "series_number": v["series_number"],
            "gtins": json_list(v["gtins"]), "image_url": v["image_url"],
            "best_prices": json.loads(v["best_prices"] or "{}"),
            "best_price": best,
            "in_stock": {"shops": v["shops_in_stock"], "offers": v["offers"]}, "updated_at": iso_utc(v["updated_at"])}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_conditions(q: str) -> list[Any]:
    """What a collector types: "QX 9201" (any spelling) finds the item of that number; a year ("2019") is
    the release year; every other word must be in the name, in any order ("friends frosty 2019")."""
    found = hallmark_numbers(q)
    if found:  # a manufacturer number is decisive: the words around it add nothing
        # through the item's number keys: an item two merged items made is found by either number
        keyed = sa.select(item_keys.c.item_id).where(item_keys.c.kind == "number",
                                                     item_keys.c.key == f"hallmark:{found[0]}")
        return [catalog_items.c.id.in_(keyed)]
    conditions: list[Any] = []
    for word in _WORD.findall(search_text(q)):  # folded as the stored search_name: "creme" finds "Crème", ’ is '
        folded = _like(word)
        if _YEAR.fullmatch(word):
            conditions.append(catalog_items.c.release_year == int(word))
        elif _ITEM_NUMBER.fullmatch(word):  # another maker's number ("4036533", "CX-123"), or a word of the name
            conditions.append(sa.or_(catalog_items.c.item_number == word.upper().replace("-", ""),
                                     catalog_items.c.search_name.like(folded, escape="\\")))
        else:
            conditions.append(catalog_items.c.search_name.like(folded, escape="\\"))
    # "%", "_" or quotes alone hold no word: a search for them finds nothing (it listed every item)
    return conditions or [sa.false()]


def item_conditions(q: str | None, year: int | None, series: str | None, in_stock: bool | None) -> list[Any]:
    conditions: list[Any] = [catalog_items.c.offers > 0]  # an item whose listings all moved away is hidden
    if q and q.strip():
        conditions.extend(search_conditions(q))
    if year is not None:
        conditions.append(catalog_items.c.release_year == year)
    if series:
        # Few shops fill a series field; most say it in the name ("Frosty Friends 42nd in Series"), which
        # gave the item its series_number: such an item is in the series its name holds.
        named = sa.and_(sa.func.coalesce(catalog_items.c.series, "") == "", catalog_items.c.series_number.is_not(None),
                        catalog_items.c.name.ilike(_like(series), escape="\\"))
        conditions.append(sa.or_(catalog_items.c.series.ilike(_like(series), escape="\\"), named))
    if in_stock is not None:
        conditions.append(catalog_items.c.shops_in_stock > 0 if in_stock else catalog_items.c.shops_in_stock == 0)
    return conditions


def _cursor_id(text: str) -> int:
    found = text_id(text)
    if found is None:
        raise ValueError(text)
    return found


def page_cursor(value: str | None, sort: str) -> tuple[Decimal, int] | int | None:
    """A next_cursor as this sort writes it ("42", or "12.50:42" for best_price); anything else, a foreign
    sort's cursor, NaN, a price the column cannot hold or an id beyond BIGINT (a 500 before), is a 400."""
    if not value:
        return None
    try:
        if sort == "best_price":
            price, _, ident = value.partition(":")
            if not re.fullmatch(r"[0-9]{1,10}\.[0-9]{2}", price) or Decimal(price) > MAX_MONEY:
                raise ValueError(price)
            return Decimal(price), _cursor_id(ident)
        return _cursor_id(value)
    except (ValueError, ArithmeticError):
        raise HTTPException(400, "cursor must be the next_cursor of a previous page of this sort") from None


def cursor_after(row: Any, sort: str) -> str:
    """The cursor of the page after this row (page_cursor reads it back)."""
    return f"{money(row.price_in_currency)}:{row.id}" if sort == "best_price" else str(row.id)


def _currency(value: str | None) -> str | None:
    """An ISO 4217 code in any case ("usd" is USD, as POST /watches reads it); "XYZ" is a 422, not an empty page."""
    if value is None:
        return None
    if value.upper() not in ISO_4217:
        raise HTTPException(422, f"currency must be an ISO 4217 code such as USD, not {value[:20]!r}")
    return value.upper()


def item_query(conditions: list[Any], sort: str, after: tuple[Decimal, int] | int | None,
               currency: str | None = None) -> sa.Select:
    """A page's items in the sort's order, after the keyset cursor (the limit is the caller's). With a
    currency, only the items with an in-stock price in it, joined to that price (item_prices): an item
    most of whose offers are in USD is still found, and sorted, by its EUR price."""
    if sort == "best_price" and not currency:
        raise ValueError("the best price is in a currency: prices are never converted")
    query = sa.select(*ITEM_COLUMNS).where(*conditions)
    price = item_prices.c.price
    if currency:
        query = query.add_columns(price.label("price_in_currency")).join(
            item_prices, sa.and_(item_prices.c.item_id == catalog_items.c.id, item_prices.c.currency == currency))
    if sort == "best_price":
        if after is not None:
            at, ident = after
            # a row comparison: PostgreSQL starts the (currency, price, item_id) index scan at the cursor
            # (an OR of the two cases read every cheaper item first: 121 ms a page at 500,000 items)
            query = query.where(sa.tuple_(price, item_prices.c.item_id) > sa.tuple_(at, ident))
        return query.order_by(price, item_prices.c.item_id)
    if after is not None:
        query = query.where(catalog_items.c.id > after)
    return query.order_by(catalog_items.c.id)


@router.get("/items", responses=models.ERRORS,
            summary="Catalogue items (one per real product across shops): search, filters, best price sort")
def list_items(request: Request,
               q: str | None = Query(None, max_length=200, description="a name, an item number (QX9201) or a year"),
               year: int | None = Query(None, ge=1, le=9999, description="release year"),
               series: str | None = Query(None, max_length=200, description="text in the series"),
               in_stock: bool | None = Query(None, description="true: in stock at one shop at least"),
               sort: str = Query("id", description="id | best_price (ascending, in the currency given)"),
               currency: str | None = Query(None, min_length=3, max_length=3,
                                            description="only items with an in-stock price in this currency; "
                                                        "best_price is then the best price in it"),
               cursor: str | None = None, limit: int = Query(50, ge=1, le=MAX_PAGE)) -> JSONResponse:
    if sort not in SORTS:
        raise HTTPException(400, f"sort must be one of {', '.join(SORTS)}, not {sort[:20]!r}")
    currency = _currency(currency)
    if sort == "best_price" and not currency:
        raise HTTPException(400, "sort=best_price needs a currency (prices are never converted)")
    query = item_query(item_conditions(q, year, series, in_stock), sort, page_cursor(cursor, sort), currency)
    found = request.app.state.db.read(lambda conn: conn.execute(query.limit(limit + 1)).all(), "listing items")
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = page[-1]
        next_cursor = cursor_after(last, sort)
    return JSONResponse({"items": [item_json(r, currency) for r in page], "next_cursor": next_cursor, "limit": limit})


def item_detail(conn, item_id: int) -> dict[str, Any] | None:
    item = conn.execute(sa.select(*ITEM_COLUMNS).where(catalog_items.c.id == item_id)).first()
    if item is None:
        return None
    listings = conn.execute(
        sa.select(products.c.id, products.c.vendor, products.c.vendor_product_id, products.c.name, products.c.sku,
                  products.c.price, products.c.currency, products.c.regular_price, products.c.availability,
                  products.c.url, products.c.image_urls, products.c.last_seen_at, products.c.removed_at,
                  item_listings.c.method, item_listings.c.confidence, item_listings.c.state)
        .join(item_listings, item_listings.c.product_id == products.c.id)
        .where(item_listings.c.item_id == item_id).order_by(products.c.vendor, products.c.id)).all()
    history = conn.execute(
        sa.select(price_history.c.product_id, price_history.c.price, price_history.c.currency,
                  price_history.c.recorded_at)
        .join(item_listings, item_listings.c.product_id == price_history.c.product_id)
        .where(item_listings.c.item_id == item_id).order_by(price_history.c.recorded_at, price_history.c.id)).all()
    vendor_of = {r.id: r.vendor for r in listings}
    lowest: dict[str, dict] = {}
    for h in history:  # the lowest ever, per currency, across shops (the first time it was so low)
        if h.price is not None and h.currency and (h.currency not in lowest or h.price < lowest[h.currency]["_p"]):
            lowest[h.currency] = {"_p": h.price, "price": money(h.price), "vendor": vendor_of.get(h.product_id),
                                  "at": iso_utc(h.recorded_at)}
    live = [r for r in listings if r.removed_at is None]
    data = item_json(item)
    data.update({
        "offers": [{"product_id": r.id, "vendor": r.vendor, "vendor_product_id": r.vendor_product_id, "name": r.name,
                    "sku": r.sku, "price": money(r.price), "currency": r.currency,
                    "regular_price": money(r.regular_price), "availability": r.availability,
                    "in_stock": r.availability in AVAILABLE and r.removed_at is None, "url": r.url,
                    "image": (json_list(r.image_urls) or [None])[0], "last_seen_at": iso_utc(r.last_seen_at),
                    "removed": r.removed_at is not None,
                    "match": {"method": r.method, "confidence": r.confidence, "state": r.state}} for r in listings],
        "lowest_ever": {c: {k: v for k, v in d.items() if k != "_p"} for c, d in sorted(lowest.items())},
        "in_stock_at": {"shops": len({r.vendor for r in live if r.availability in AVAILABLE}),
                        "of": len({r.vendor for r in live})},
        "history": [{"vendor": r.vendor, "vendor_product_id": r.vendor_product_id,
                     "points": [{"price": money(h.price), "currency": h.currency, "at": iso_utc(h.recorded_at)}
                                for h in history if h.product_id == r.id]} for r in listings],
    })
    return data


@router.get("/items/{item_id}", responses=models.ERRORS,
            summary="One item: every shop's offer, best price per currency, lowest ever, in stock at N of M, "
                    "each shop's price history")
def get_item(request: Request, item_id: int = path_id("item")) -> JSONResponse:
    data = request.app.state.db.read(lambda conn: item_detail(conn, item_id), "reading an item")
    if data is None:
        raise HTTPException(404, f"no item {item_id}")
    return JSONResponse(data)
