"""GET /products/{vendor}/{vendor_product_id}/prices: the price history and the figures a shop shows
next to a price.

- current and regular price, and % off (regular over current);
- the latest reduction (a history row cheaper than the one before it, in the same currency), and the
  lowest price of the 30 days before it: the EU price-reduction rule (Directive 98/6/EC, art. 6a, the
  "Omnibus" rule) says a shop announcing a reduction shows that price as the "prior price";
- the all-time low and high, with the first and the last time the product was priced so.
Only rows in the product's current currency count; a "no price" row interrupts nothing, it is not a price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.products import find_product
from ornaments.api.shape import as_utc, iso_utc, money
from ornaments.storage.schema import price_history

router = APIRouter(tags=["products"], dependencies=[Depends(require_read)])

OMNIBUS_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class PricePoint:
    price: Decimal | None
    currency: str | None
    at: datetime
    run_id: int | None = None


def percent_off(regular: Decimal | None, price: Decimal | None) -> str | None:
    if regular is None or price is None or regular <= 0 or price >= regular:
        return None
    return str(((regular - price) * 100 / regular).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _extreme(points: Sequence[PricePoint], value: Decimal) -> dict[str, Any]:
    times = [p.at for p in points if p.price == value]
    return {"price": money(value), "first_at": iso_utc(times[0]), "last_at": iso_utc(times[-1])}


def price_figures(history: Sequence[PricePoint], price: Decimal | None, currency: str | None,
                  regular_price: Decimal | None) -> dict[str, Any]:
    """The figures of a product whose history is `history` (oldest first) and whose state is the rest."""
    currency = currency or next((p.currency for p in reversed(history) if p.currency), None)
    points = [p for p in history if p.currency == currency or p.price is None]
    priced = [p for p in points if p.price is not None]
    reduction = None
    previous = None
    for point in points:
        if point.price is None:
            previous = None  # a product without a price that gets one back is not "reduced"
            continue
        if previous is not None and point.price < previous.price:
            reduction = (previous, point)
        previous = point
    figures: dict[str, Any] = {
        "currency": currency, "price": money(price), "regular_price": money(regular_price),
        "percent_off": percent_off(regular_price, price),
        "latest_reduction": None, "lowest_30_days_before_reduction": None,
        "all_time_low": _extreme(priced, min(p.price for p in priced)) if priced else None,
        "all_time_high": _extreme(priced, max(p.price for p in priced)) if priced else None,
    }
    if reduction is not None:
        before, after = reduction
        figures["latest_reduction"] = {"at": iso_utc(after.at), "from": money(before.price), "to": money(after.price),
                                       "percent": percent_off(before.price, after.price),
                                       "current": price is not None and price == after.price}
        figures["lowest_30_days_before_reduction"] = lowest_before(points, after.at)
    return figures


def lowest_before(points: Sequence[PricePoint], reduced_at: datetime) -> dict[str, Any] | None:
    """The lowest price in effect during the 30 days before reduced_at: the price in effect when the
    window opened, and every price set inside it."""
    start = reduced_at - OMNIBUS_WINDOW
    in_effect = [p for p in points if p.at <= start][-1:]  # the price the window opened with
    candidates = [p for p in in_effect + [p for p in points if start < p.at < reduced_at] if p.price is not None]
    if not candidates:
        return None
    lowest = min(candidates, key=lambda p: (p.price, p.at))
    return {"price": money(lowest.price), "since": iso_utc(lowest.at), "window_start": iso_utc(start),
            "window_end": iso_utc(reduced_at)}


def history_of(db, product_id: int) -> list[PricePoint]:
    query = (sa.select(price_history.c.price, price_history.c.currency, price_history.c.recorded_at,
                       price_history.c.run_id)
             .where(price_history.c.product_id == product_id)
             .order_by(price_history.c.recorded_at, price_history.c.id))
    rows = db.read(lambda conn: conn.execute(query).all(), "reading a price history")
    return [PricePoint(None if r.price is None else Decimal(str(r.price)), r.currency, as_utc(r.recorded_at),
                       r.run_id) for r in rows]


def prices_of(db, vendor: str, vendor_product_id: str) -> tuple[Any, list[PricePoint], dict[str, Any]]:
    product = find_product(db, vendor, vendor_product_id)
    history = history_of(db, product.id)

    def decimal(value):
        return None if value is None else Decimal(str(value))

    figures = price_figures(history, decimal(product.price), product.currency, decimal(product.regular_price))
    return product, history, figures


@router.get("/products/{vendor}/{vendor_product_id}/prices", response_model=models.Prices, responses=models.ERRORS,
            summary="Price history, current and regular price, % off, 30-day low before the latest reduction, "
                    "all-time low and high")
def get_prices(request: Request, vendor: str, vendor_product_id: str) -> JSONResponse:
    product, history, figures = prices_of(request.app.state.db, vendor, vendor_product_id)
    return JSONResponse({
        "vendor": vendor, "vendor_product_id": vendor_product_id, **figures,
        "history": [{"price": money(p.price), "currency": p.currency, "recorded_at": iso_utc(p.at),
                     "run_id": p.run_id} for p in history],
    })
