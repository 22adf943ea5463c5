"""link_checks: what each check of a product's affiliate link found, the link_broken / link_fixed events
it sends through the outbox, and each vendor's link health (docs/affiliate-networks.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Sequence

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.storage import outbox
from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.schema import link_checks, products

OUTCOMES = ("ok", "broken", "redirected-away", "price-mismatch", "out-of-stock-mismatch")
# Outcomes after which a buyer's click does not earn: a move into them is link_broken, out of them link_fixed.
NOT_EARNING = frozenset({"broken", "redirected-away"})


@dataclass
class LinkCheck:
    product_id: int
    vendor: str
    vendor_product_id: str
    link: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    chain: list[tuple[int | None, str]] = field(default_factory=list)
    lands_on_product: bool | None = None
    tracking_kept: bool | None = None
    page_price: Decimal | None = None
    page_availability: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class ToCheck:
    product_id: int
    vendor: str
    vendor_product_id: str
    link: str
    url: str | None
    price: Decimal | None
    currency: str | None
    availability: str


class LinkChecks:
    def __init__(self, url: str):
        self.engine = create_catalog_engine(url)

    def close(self) -> None:
        self.engine.dispose()

    def products(self, vendor: str | None = None, sample: int | None = None, year: int | None = None,
                 url: str | None = None) -> list[ToCheck]:
        """Live products with a link; sample: at most that many per vendor, the least recently checked first."""
        link = sa.func.coalesce(products.c.affiliate_url, products.c.url)
        last = (sa.select(sa.func.max(link_checks.c.checked_at)).where(link_checks.c.product_id == products.c.id)
                .scalar_subquery())
        query = sa.select(products.c.id, products.c.vendor, products.c.vendor_product_id, link.label("link"),
                          products.c.url, products.c.price, products.c.currency, products.c.availability,
                          last.label("last_checked")).where(products.c.removed_at.is_(None), link.is_not(None))
        if vendor:
            query = query.where(products.c.vendor == vendor)
        if year:
            query = query.where(products.c.release_year == year)
        if url:
            query = query.where(sa.or_(products.c.url == url, products.c.affiliate_url == url))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(products.c.vendor, last.is_not(None), last, products.c.id)).all()
        taken: dict[str, int] = {}
        chosen = []
        for r in rows:
            if sample is not None and taken.get(r.vendor, 0) >= sample:
                continue
            taken[r.vendor] = taken.get(r.vendor, 0) + 1
            chosen.append(ToCheck(r.id, r.vendor, r.vendor_product_id, r.link, r.url, r.price, r.currency, r.availability))
        return chosen

    def record(self, check: LinkCheck, run_id: int | None = None) -> str | None:
        """Store the check; the event it caused (link_broken, link_fixed) or None."""
        now = utcnow()
        with self.engine.begin() as conn:
            previous = conn.execute(sa.select(link_checks.c.outcome).where(link_checks.c.product_id == check.product_id)
                                    .order_by(link_checks.c.id.desc()).limit(1)).scalar()
            conn.execute(link_checks.insert().values(
                product_id=check.product_id, vendor=check.vendor, checked_at=now, link=check.link,
                outcome=check.outcome, status=check.status, final_url=check.final_url,
                chain=json.dumps(check.chain), lands_on_product=check.lands_on_product,
                tracking_kept=check.tracking_kept, page_price=check.page_price,
                page_availability=check.page_availability, detail=check.detail[:1000]))
            kind = None
            if check.outcome in NOT_EARNING and (previous is None or previous not in NOT_EARNING):
                kind = "link_broken"
            elif previous in NOT_EARNING and check.outcome not in NOT_EARNING:
                kind = "link_fixed"
            if kind:
                data = {"link": check.link, "outcome": check.outcome, "previous": previous, "status": check.status,
                        "final_url": check.final_url, "detail": check.detail[:300]}
                outbox.insert_events(conn, [{"type": kind, "vendor": check.vendor,
                                             "vendor_product_id": check.vendor_product_id,
                                             "product_id": check.product_id, "data": data}], run_id, now)
            return kind


def link_health(conn: sa.Connection, since: datetime | None = None, vendor: str | None = None) -> list[dict[str, Any]]:
    """Per vendor: the latest check of each product since `since` (default: 7 days), counted by outcome."""
    since = since or utcnow() - timedelta(days=7)
    latest = (sa.select(sa.func.max(link_checks.c.id).label("id")).where(link_checks.c.checked_at >= since)
              .group_by(link_checks.c.product_id))
    if vendor:
        latest = latest.where(link_checks.c.vendor == vendor)
    query = (sa.select(link_checks.c.vendor, link_checks.c.outcome, sa.func.count().label("n"))
             .where(link_checks.c.id.in_(latest)).group_by(link_checks.c.vendor, link_checks.c.outcome))
    health: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query):
        entry = health.setdefault(row.vendor, {"vendor": row.vendor, "checked": 0, **{o: 0 for o in OUTCOMES}})
        entry[row.outcome] = entry.get(row.outcome, 0) + row.n
        entry["checked"] += row.n
    for entry in health.values():
        entry["broken_share"] = round(sum(entry[o] for o in NOT_EARNING) / entry["checked"], 4) if entry["checked"] else 0.0
    return sorted(health.values(), key=lambda e: e["vendor"])


def latest_checks(conn: sa.Connection, product_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The last check of each of these products."""
    if not product_ids:
        return {}
    latest = (sa.select(sa.func.max(link_checks.c.id)).where(link_checks.c.product_id.in_(list(product_ids)))
              .group_by(link_checks.c.product_id))
    rows = conn.execute(sa.select(link_checks).where(link_checks.c.id.in_(latest))).all()
    return {r.product_id: {"outcome": r.outcome, "checked_at": r.checked_at, "status": r.status,
                           "final_url": r.final_url, "tracking_kept": r.tracking_kept, "detail": r.detail}
            for r in rows}
