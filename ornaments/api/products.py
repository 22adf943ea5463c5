"""GET /products (filters, keyset pagination by id) and GET /products/{vendor}/{vendor_product_id}.

Pages are keyed by products.id, which never changes and grows for new rows: a listing read while a
sync writes neither skips nor repeats a product (new ones appear at the end, changed ones in place).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.ids import text_id
from ornaments.api.shape import as_utc, iso_utc, json_list, money
from ornaments.fields import FIELDS
from ornaments.normalize import AVAILABILITIES
from ornaments.storage.schema import product_images, products

router = APIRouter(tags=["products"], dependencies=[Depends(require_read)])

MAX_PAGE = 500
MONEY_FIELDS = {f.name for f in FIELDS if f.column == "money"}
COLUMNS = [products.c.id, *(products.c[f.name] for f in FIELDS), products.c.created_at, products.c.last_seen_at,
           products.c.changed_at, products.c.removed_at]


def product_json(row: Any) -> dict[str, Any]:
    values = row._mapping
    data: dict[str, Any] = {"id": int(values["id"])}
    for f in FIELDS:
        value = values[f.name]
        if f.name in MONEY_FIELDS:
            value = money(value)
        elif f.column == "json":
            value = json_list(value)
        data[f.name] = value
    for name in ("created_at", "last_seen_at", "changed_at", "removed_at"):
        data[name] = iso_utc(values[name])
    data["removed"] = values["removed_at"] is not None
    return data


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def product_conditions(vendor: str | None = None, year: int | None = None, availability: str | None = None,
                       changed_since: datetime | None = None, q: str | None = None,
                       removed: bool | None = None) -> list[Any]:
    """The WHERE conditions of the products' filters, shared by GET /products and the products page."""
    conditions: list[Any] = []
    if vendor:
        conditions.append(products.c.vendor == vendor)
    if year is not None:
        conditions.append(products.c.release_year == year)
    if availability:
        conditions.append(products.c.availability == availability)
    if changed_since is not None:
        conditions.append(products.c.changed_at >= as_utc(changed_since))
    if q:
        pattern = _like(q)
        conditions.append(sa.or_(products.c.name.ilike(pattern, escape="\\"),
                                 products.c.sku.ilike(pattern, escape="\\")))
    if removed is not None:
        conditions.append(products.c.removed_at.isnot(None) if removed else products.c.removed_at.is_(None))
    return conditions


def product_query(vendor: str | None = None, year: int | None = None, availability: str | None = None,
                  changed_since: datetime | None = None, q: str | None = None, removed: bool | None = None,
                  after: int = 0, limit: int = 100) -> sa.Select:
    return (sa.select(*COLUMNS).where(products.c.id > after, *product_conditions(
        vendor, year, availability, changed_since, q, removed)).order_by(products.c.id).limit(limit))


def _cursor(value: str | None) -> int:
    """A next_cursor: a product id in ASCII digits. str.isdigit() also passed "²" (int() then failed: a 500)
    and "٣"; an id beyond BIGINT reached SQLite as "Python int too large" (a 500): each is a 400 here."""
    if not value:
        return 0
    found = text_id(value)
    if found is None:
        raise HTTPException(400, "cursor must be the next_cursor of a previous page")
    return found


@router.get("/products", response_model=models.ProductPage, responses=models.ERRORS, summary="Products, filtered, 100 per page (next_cursor pages on)")
def list_products(request: Request,
                  vendor: str | None = None,
                  year: int | None = Query(None, ge=1, le=9999, description="release year"),
                  availability: str | None = Query(None, description=", ".join(AVAILABILITIES)),
                  changed_since: datetime | None = Query(None, description="ISO 8601; products changed at or after"),
                  q: str | None = Query(None, max_length=200, description="text in the name or SKU"),
                  removed: bool | None = Query(None, description="true: removed only; false: live only"),
                  cursor: str | None = None,
                  limit: int = Query(100, ge=1, le=MAX_PAGE)) -> JSONResponse:
    if availability and availability not in AVAILABILITIES:
        raise HTTPException(400, f"availability must be one of {', '.join(AVAILABILITIES)}")
    query = product_query(vendor, year, availability, changed_since, q, removed, _cursor(cursor), limit + 1)
    found = request.app.state.db.read(lambda conn: conn.execute(query).all(), "listing products")
    page = found[:limit]
    next_cursor = str(page[-1].id) if len(found) > limit else None
    return JSONResponse({"items": [product_json(r) for r in page], "next_cursor": next_cursor, "limit": limit})


def find_product(db, vendor: str, vendor_product_id: str) -> Any:
    query = sa.select(*COLUMNS).where(products.c.vendor == vendor, products.c.vendor_product_id == vendor_product_id)
    row = db.read(lambda conn: conn.execute(query).first(), "reading a product")
    if row is None:
        raise HTTPException(404, f"no product {vendor_product_id!r} of vendor {vendor!r}")
    return row


def images_of(db, vendor: str, vendor_product_id: str) -> list[dict[str, Any]]:
    query = (sa.select(product_images).where(product_images.c.vendor == vendor,
                                             product_images.c.vendor_product_id == vendor_product_id)
             .order_by(product_images.c.id))
    return [{"path": r.path, "public_url": r.public_url, "source_url": r.source_url, "status": r.status,
             "size": r.size, "uploaded_at": iso_utc(r.uploaded_at)}
            for r in db.read(lambda conn: conn.execute(query).all(), "reading a product's images")]


@router.get("/products/{vendor}/{vendor_product_id}", response_model=models.ProductDetail,
            responses=models.ERRORS, summary="One product: its current state and images")
def get_product(request: Request, vendor: str, vendor_product_id: str) -> JSONResponse:
    db = request.app.state.db
    data = product_json(find_product(db, vendor, vendor_product_id))
    data["images"] = images_of(db, vendor, vendor_product_id)
    return JSONResponse(data)
