"""The catalogue's review queue and shoppers' watches over HTTP (docs/catalogue.md).

GET /matches lists the open proposals; POST /matches/{id}/accept|reject, POST /listings/{product_id}/split
and POST /items/{id}/merge take a person's decision (write keys). POST /watches makes a watch.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ornaments.api import models
from ornaments.api.auth import require_read, require_write
from ornaments.api.ids import MAX_ID, after_id, hidden_character, path_id
from ornaments.api.shape import CENT, MAX_MONEY, iso_utc, money
from ornaments.prices import ISO_4217
from ornaments.storage.catalogue_review import Review, ReviewError, WatchExists, cancel_watch, create_watch
from ornaments.storage.schema import watches

router = APIRouter(tags=["catalogue"])


def _review(request: Request) -> Review:
    return Review(request.app.state.db.writer)


def _decided(work):
    try:
        return work()
    except WatchExists:
        raise  # its own answer: the 409 names the watch
    except ReviewError as exc:
        status = 404 if str(exc).startswith("no ") else 409
        raise HTTPException(status, str(exc)) from None


@router.get("/matches", responses=models.ERRORS, dependencies=[Depends(require_read)],
            summary="The review queue: proposed matches, both listings side by side, and why")
def list_matches(request: Request, state: Literal["open", "accepted", "rejected"] = "open",
                 after: int = after_id("the next_cursor of the previous page"),
                 limit: int = Query(50, ge=1, le=200)) -> JSONResponse:
    found = Review(request.app.state.db.reader).proposals(state, limit + 1, after)
    page = found[:limit]
    for p in page:
        p["created_at"] = iso_utc(p["created_at"])
    return JSONResponse({"items": page, "next_cursor": str(page[-1]["id"]) if len(found) > limit else None})


@router.post("/matches/{proposal_id}/accept", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Accept a proposal: the listing is the item's (confirmed)")
def accept(request: Request, proposal_id: int = path_id("proposal")) -> JSONResponse:
    item_id = _decided(lambda: _review(request).accept(proposal_id))
    return JSONResponse({"proposal": proposal_id, "state": "accepted", "item_id": item_id})


@router.post("/matches/{proposal_id}/reject", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Reject a proposal: never proposed or linked again")
def reject(request: Request, proposal_id: int = path_id("proposal")) -> JSONResponse:
    _decided(lambda: _review(request).reject(proposal_id))
    return JSONResponse({"proposal": proposal_id, "state": "rejected"})


@router.post("/listings/{product_id}/split", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Take a listing off its item: an item of its own (confirmed)")
def split(request: Request, product_id: int = path_id("listing")) -> JSONResponse:
    item_id = _decided(lambda: _review(request).split(product_id))
    return JSONResponse({"product_id": product_id, "item_id": item_id})


class Merge(BaseModel):
    # strict: true or "2" is no item id; extra fields refused: a misspelt "merge" is not ignored
    model_config = ConfigDict(extra="forbid")
    merged: int = Field(strict=True, ge=0, le=MAX_ID, description="the item that becomes part of this one")


@router.post("/items/{item_id}/merge", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Two items are one product: the other's listings, keys and watches come to this one")
def merge(request: Request, body: Merge, item_id: int = path_id("item")) -> JSONResponse:
    kept = _decided(lambda: _review(request).merge(item_id, body.merged))
    return JSONResponse({"item_id": kept, "merged": body.merged})


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is refused, not ignored
    kind: Literal["price_at_or_below", "price_drop", "back_in_stock"]
    currency: str | None = Field(None, description="ISO 4217 (any case); price_at_or_below and price_drop only")
    price: str | None = Field(None, description="price_at_or_below: the price, as a decimal string (\"20.00\")")
    percent: str | None = Field(None, description="price_drop: at least this % below the best price now (0 to 100)")


class WatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item_id: int = Field(strict=True, ge=0, le=MAX_ID, description="the catalogue item (true or \"17\" is none)")
    condition: Condition
    reference: str | None = Field(None, max_length=255, description="the site's own reference (a shopper, a list); "
                                                                    "no control or invisible characters")


USES = {"price_at_or_below": {"currency", "price"}, "price_drop": {"currency", "percent"}, "back_in_stock": set()}
# ASCII digits: Decimal() also reads "١٠" and "1_000", which no site means as a price
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def _refuse(message: str) -> HTTPException:
    return HTTPException(422, message)


def _decimal(value: str | None, what: str, kind: str, high: Decimal, below: bool) -> Decimal:
    """A condition's number: finite, above 0, at most 2 decimals (the columns hold 2: "0.001" was stored
    as 0.00, "99.999" percent as 100.00), and within the column (`below`: high itself is refused)."""
    if value is None:
        raise _refuse(f"condition.{what} is needed for {kind}")
    try:
        if not _NUMBER.fullmatch(value):  # NaN, Infinity, "abc", "1,000"
            raise InvalidOperation(value)
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        raise _refuse(f"condition.{what} must be a number such as \"20.00\", not {value[:40]!r}") from None
    if not (0 < number < high if below else 0 < number <= high):
        raise _refuse(f"condition.{what} must be above 0 and {'below' if below else 'at most'} {high}, not {value[:40]}")
    if number != number.quantize(CENT):
        raise _refuse(f"condition.{what} has at most 2 decimal places, not {value[:40]}")
    return number.quantize(CENT)


def _condition(c: Condition) -> tuple[str | None, Decimal | None, Decimal | None]:
    """(currency, price, percent) of a condition, each checked; a field its kind does not use is refused."""
    for field in ("currency", "price", "percent"):
        if getattr(c, field) is not None and field not in USES[c.kind]:
            raise _refuse(f"condition.{field} is not used by {c.kind}")
    currency = price = percent = None
    if c.kind != "back_in_stock":
        if not c.currency:
            raise _refuse(f"condition.currency is needed for {c.kind} (prices are never converted)")
        currency = c.currency.upper()
        if currency not in ISO_4217:
            raise _refuse(f"condition.currency must be an ISO 4217 code such as USD, not {c.currency[:20]!r}")
    if c.kind == "price_at_or_below":
        price = _decimal(c.price, "price", c.kind, MAX_MONEY, below=False)
    elif c.kind == "price_drop":
        percent = _decimal(c.percent, "percent", c.kind, Decimal(100), below=True)
    return currency, price, percent


def watch_json(row) -> dict:
    return {"id": row.id, "item_id": row.item_id, "kind": row.kind, "currency": row.currency,
            "price": money(row.threshold), "percent": None if row.percent is None else str(row.percent),
            "baseline": money(row.baseline), "reference": row.reference, "holding": bool(row.holding),
            "triggered": row.triggered, "last_triggered_at": iso_utc(row.last_triggered_at),
            "created_at": iso_utc(row.created_at), "cancelled": row.cancelled_at is not None}


def _watch_row(request: Request, watch_id: int):
    return request.app.state.db.read(lambda conn: conn.execute(sa.select(watches).where(watches.c.id == watch_id)).first(),
                                     "reading a watch")


@router.post("/watches", status_code=201, responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Watch an item: price at or below X, a drop of p%, or back in stock; watch_triggered once per crossing")
def post_watch(request: Request, body: WatchIn) -> JSONResponse:
    if body.reference is not None and (hidden := hidden_character(body.reference)):
        raise _refuse(f"reference must not hold control or invisible characters ({hidden})")
    currency, price, percent = _condition(body.condition)
    try:
        watch_id, events = _decided(lambda: create_watch(request.app.state.db.writer, body.item_id, body.condition.kind,
                                                         currency, price, percent, body.reference))
    except WatchExists as exc:  # checked in the insert's transaction, the item locked: at most one live twin
        return JSONResponse({"error": str(exc), "watch_id": exc.watch_id}, status_code=409)
    return JSONResponse(watch_json(_watch_row(request, watch_id)), status_code=201)


@router.get("/watches/{watch_id}", responses=models.ERRORS, dependencies=[Depends(require_read)], summary="One watch")
def get_watch(request: Request, watch_id: int = path_id("watch")) -> JSONResponse:
    row = _watch_row(request, watch_id)
    if row is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return JSONResponse(watch_json(row))


@router.delete("/watches/{watch_id}", responses=models.ERRORS, dependencies=[Depends(require_write)],
               summary="Cancel a watch")
def delete_watch(request: Request, watch_id: int = path_id("watch")) -> JSONResponse:
    if not cancel_watch(request.app.state.db.writer, watch_id):  # 404 either way: there is no live watch to cancel
        cancelled = _watch_row(request, watch_id) is not None
        raise HTTPException(404, f"watch {watch_id} is cancelled already" if cancelled else f"no watch {watch_id}")
    return JSONResponse({"id": watch_id, "cancelled": True})
