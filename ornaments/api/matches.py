"""The catalogue's review queue and shoppers' watches over HTTP (docs/catalogue.md).

GET /matches lists the open proposals; POST /matches/{id}/accept|reject, POST /listings/{product_id}/split
and POST /items/{id}/merge take a person's decision (write keys). POST /watches makes a watch.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ornaments.api import models
from ornaments.api.auth import require_read, require_write
from ornaments.api.shape import iso_utc, money
from ornaments.storage.catalogue_review import Review, ReviewError, cancel_watch, create_watch
from ornaments.storage.schema import watches

router = APIRouter(tags=["catalogue"])


def _review(request: Request) -> Review:
    return Review(request.app.state.db.writer)


def _decided(work):
    try:
        return work()
    except ReviewError as exc:
        status = 404 if str(exc).startswith("no ") else 409
        raise HTTPException(status, str(exc)) from None


@router.get("/matches", responses=models.ERRORS, dependencies=[Depends(require_read)],
            summary="The review queue: proposed matches, both listings side by side, and why")
def list_matches(request: Request, state: Literal["open", "accepted", "rejected"] = "open",
                 after: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=200)) -> JSONResponse:
    found = Review(request.app.state.db.reader).proposals(state, limit + 1, after)
    page = found[:limit]
    for p in page:
        p["created_at"] = iso_utc(p["created_at"])
    return JSONResponse({"items": page, "next_cursor": str(page[-1]["id"]) if len(found) > limit else None})


@router.post("/matches/{proposal_id}/accept", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Accept a proposal: the listing is the item's (confirmed)")
def accept(request: Request, proposal_id: int) -> JSONResponse:
    item_id = _decided(lambda: _review(request).accept(proposal_id))
    return JSONResponse({"proposal": proposal_id, "state": "accepted", "item_id": item_id})


@router.post("/matches/{proposal_id}/reject", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Reject a proposal: never proposed or linked again")
def reject(request: Request, proposal_id: int) -> JSONResponse:
    _decided(lambda: _review(request).reject(proposal_id))
    return JSONResponse({"proposal": proposal_id, "state": "rejected"})


@router.post("/listings/{product_id}/split", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Take a listing off its item: an item of its own (confirmed)")
def split(request: Request, product_id: int) -> JSONResponse:
    item_id = _decided(lambda: _review(request).split(product_id))
    return JSONResponse({"product_id": product_id, "item_id": item_id})


class Merge(BaseModel):
    merged: int = Field(description="the item that becomes part of this one")


@router.post("/items/{item_id}/merge", responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Two items are one product: the other's listings, keys and watches come to this one")
def merge(request: Request, item_id: int, body: Merge) -> JSONResponse:
    kept = _decided(lambda: _review(request).merge(item_id, body.merged))
    return JSONResponse({"item_id": kept, "merged": body.merged})


class Condition(BaseModel):
    kind: Literal["price_at_or_below", "price_drop", "back_in_stock"]
    currency: str | None = Field(None, min_length=3, max_length=3)
    price: str | None = Field(None, description="price_at_or_below: the price, as a decimal string")
    percent: str | None = Field(None, description="price_drop: at least this % below the best price now")


class WatchIn(BaseModel):
    item_id: int
    condition: Condition
    reference: str | None = Field(None, max_length=255, pattern=r"^[^\x00-\x1f\x7f]*$",
                                  description="the site's own reference (a shopper, a list); no control characters")


def _decimal(value: str | None, what: str, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise HTTPException(422, f"condition.{what} must be a number, not {value!r}") from None
    if not number.is_finite() or not (0 < number < high):  # NaN compares with nothing: asked first
        raise HTTPException(422, f"condition.{what} must be above 0 and below {high}")
    return number.quantize(Decimal("0.01"))


def watch_json(row) -> dict:
    return {"id": row.id, "item_id": row.item_id, "kind": row.kind, "currency": row.currency,
            "price": money(row.threshold), "percent": None if row.percent is None else str(row.percent),
            "baseline": money(row.baseline), "reference": row.reference, "holding": bool(row.holding),
            "triggered": row.triggered, "last_triggered_at": iso_utc(row.last_triggered_at),
            "created_at": iso_utc(row.created_at), "cancelled": row.cancelled_at is not None}


@router.post("/watches", status_code=201, responses=models.ERRORS, dependencies=[Depends(require_write)],
             summary="Watch an item: price at or below X, a drop of p%, or back in stock; watch_triggered once per crossing")
def post_watch(request: Request, body: WatchIn) -> JSONResponse:
    c = body.condition
    price = percent = None
    if c.kind != "back_in_stock" and not c.currency:
        raise HTTPException(422, f"condition.currency is needed for {c.kind} (prices are never converted)")
    if c.kind == "price_at_or_below":
        price = _decimal(c.price, "price", Decimal("10000000000"))
    elif c.kind == "price_drop":
        percent = _decimal(c.percent, "percent", Decimal(100))
    currency = c.currency.upper() if c.currency else None
    watch_id, events = _decided(lambda: create_watch(request.app.state.db.writer, body.item_id, c.kind, currency,
                                                     price, percent, body.reference))
    row = request.app.state.db.read(lambda conn: conn.execute(sa.select(watches).where(watches.c.id == watch_id)).first())
    return JSONResponse(watch_json(row), status_code=201)


@router.get("/watches/{watch_id}", responses=models.ERRORS, dependencies=[Depends(require_read)], summary="One watch")
def get_watch(request: Request, watch_id: int) -> JSONResponse:
    row = request.app.state.db.read(lambda conn: conn.execute(sa.select(watches).where(watches.c.id == watch_id)).first())
    if row is None:
        raise HTTPException(404, f"no watch {watch_id}")
    return JSONResponse(watch_json(row))


@router.delete("/watches/{watch_id}", responses=models.ERRORS, dependencies=[Depends(require_write)],
               summary="Cancel a watch")
def delete_watch(request: Request, watch_id: int) -> JSONResponse:
    if not cancel_watch(request.app.state.db.writer, watch_id):
        raise HTTPException(404, f"no active watch {watch_id}")
    return JSONResponse({"id": watch_id, "cancelled": True})
