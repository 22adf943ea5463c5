"""/ui/links: each vendor's affiliate link health and the latest links that do not earn
(what `scrapy crawl linkcheck` found; docs/affiliate-networks.md)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from fastapi import APIRouter, Request

from ornaments.api.page import page, signed_in, to_login
from ornaments.api.shape import iso_utc
from ornaments.clock import utcnow
from ornaments.storage.link_checks import OUTCOMES, link_health
from ornaments.storage.schema import link_checks, products

router = APIRouter(include_in_schema=False)


@router.get("/ui/links")
def links_page(request: Request, days: float = 7, limit: int = 200):
    if signed_in(request) is None:
        return to_login(request)
    since = utcnow() - timedelta(days=max(0.01, min(days, 366)))
    latest = (sa.select(sa.func.max(link_checks.c.id)).where(link_checks.c.checked_at >= since)
              .group_by(link_checks.c.product_id))
    failing = (sa.select(link_checks, products.c.vendor_product_id, products.c.name)
               .join(products, products.c.id == link_checks.c.product_id)
               .where(link_checks.c.id.in_(latest), link_checks.c.outcome != "ok")
               .order_by(link_checks.c.vendor, link_checks.c.id.desc()).limit(max(1, min(limit, 2000))))

    def read(conn):
        return link_health(conn, since), conn.execute(failing).all()

    health, rows = request.app.state.db.read(read, "reading link health")
    failing_rows = [{"vendor": r.vendor, "vendor_product_id": r.vendor_product_id, "name": r.name,
                     "outcome": r.outcome, "status": r.status, "detail": r.detail,
                     "checked_at": iso_utc(r.checked_at) or ""} for r in rows]
    return page(request, "links/health.html", since=iso_utc(since), outcomes=OUTCOMES, health=health,
                rows=failing_rows)
