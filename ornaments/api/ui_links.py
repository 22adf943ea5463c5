"""/ui/links: each vendor's affiliate link health and the latest links that do not earn
(what `scrapy crawl linkcheck` found; docs/affiliate-networks.md)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import sqlalchemy as sa
from fastapi import APIRouter, Request

from ornaments.api.page import page, product_href, signed_in, to_login
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
    head = "".join(f"<th>{escape(o)}</th>" for o in OUTCOMES)
    vendors = "".join(
        f'<tr id="links-{escape(h["vendor"])}"><td>{escape(h["vendor"])}</td><td>{h["checked"]}</td>'
        + "".join(f"<td>{h[o]}</td>" for o in OUTCOMES) + f'<td>{100 * h["broken_share"]:.0f}%</td></tr>'
        for h in health) or f'<tr><td colspan="{len(OUTCOMES) + 3}" class="muted">no checks yet</td></tr>'
    failures = "".join(
        f'<tr><td>{escape(r.vendor)}</td><td><a href="{product_href(r.vendor, r.vendor_product_id)}">'
        f'{escape(r.name)}</a></td><td>{escape(r.outcome)}</td><td>{r.status or ""}</td>'
        f'<td>{escape(r.detail or "")}</td><td>{escape(iso_utc(r.checked_at) or "")}</td></tr>'
        for r in rows) or '<tr><td colspan="6" class="muted">every checked link earns</td></tr>'
    body = (f"<h1>Affiliate links</h1><p>The latest check of each product since {escape(iso_utc(since))}.</p>"
            f"<table id=\"link-health\"><tr><th>vendor</th><th>checked</th>{head}<th>not earning</th></tr>{vendors}</table>"
            f"<h2>Links that do not earn or disagree</h2><table id=\"link-failures\"><tr><th>vendor</th><th>product</th>"
            f"<th>outcome</th><th>status</th><th>why</th><th>checked</th></tr>{failures}</table>")
    return page(request, "Affiliate links", body)
