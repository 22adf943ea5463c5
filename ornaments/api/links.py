"""GET /links/health (each vendor's link health) and GET /links/checks (the checks of a product or a vendor):
what `scrapy crawl linkcheck` found (docs/affiliate-networks.md)."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.shape import iso_utc
from ornaments.clock import utcnow
from ornaments.storage.link_checks import OUTCOMES, link_health
from ornaments.storage.schema import link_checks, products

router = APIRouter(tags=["links"])


@router.get("/links/health", response_model=models.LinkHealthPage, responses=models.ERRORS,
            summary="Each vendor's affiliate link health: the latest check of each product, by outcome",
            dependencies=[Depends(require_read)])
def get_link_health(request: Request, vendor: str | None = None,
                    days: float = Query(7, gt=0, le=366, description="checks of the last this many days")) -> JSONResponse:
    since = utcnow() - timedelta(days=days)
    rows = request.app.state.db.read(lambda conn: link_health(conn, since, vendor), "reading link health")
    return JSONResponse({"since": iso_utc(since), "vendors": rows})


@router.get("/links/checks", response_model=models.LinkCheckPage, responses=models.ERRORS,
            summary="Link checks, newest first: of one product (vendor and vendor_product_id), a vendor, an outcome",
            dependencies=[Depends(require_read)])
def list_link_checks(request: Request, vendor: str | None = None, vendor_product_id: str | None = None,
                     outcome: str | None = Query(None, description=", ".join(OUTCOMES)),
                     limit: int = Query(100, ge=1, le=1000)) -> JSONResponse:
    query = (sa.select(link_checks, products.c.vendor_product_id).join(products, products.c.id == link_checks.c.product_id)
             .order_by(link_checks.c.id.desc()).limit(limit))
    if vendor:
        query = query.where(link_checks.c.vendor == vendor)
    if vendor_product_id:
        query = query.where(products.c.vendor_product_id == vendor_product_id)
    if outcome:
        query = query.where(link_checks.c.outcome == outcome)
    rows = request.app.state.db.read(lambda conn: conn.execute(query).all(), "listing link checks")
    return JSONResponse({"items": [{
        "id": int(r.id), "product_id": int(r.product_id), "vendor": r.vendor, "vendor_product_id": r.vendor_product_id,
        "checked_at": iso_utc(r.checked_at), "link": r.link, "outcome": r.outcome, "status": r.status,
        "final_url": r.final_url, "chain": json.loads(r.chain or "[]"), "lands_on_product": r.lands_on_product,
        "tracking_kept": r.tracking_kept, "page_price": None if r.page_price is None else f"{r.page_price:.2f}",
        "page_availability": r.page_availability, "detail": r.detail} for r in rows]})
