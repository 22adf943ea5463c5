"""/ui/items/{id} (every shop's offer, and each shop's price as one line on one chart per currency) and
/ui/matches (the review queue, both listings side by side). Jinja2 templates (autoescaped) under
templates/catalogue/, extending base.html (ornaments.api.templating)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Sequence

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from ornaments.api.items import item_detail
from ornaments.api.page import not_found, page, signed_in, to_login
from ornaments.clock import utcnow
from ornaments.storage.catalogue_review import Review

router = APIRouter(include_in_schema=False)
WIDTH, HEIGHT, PAD = 560, 180, 30
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")


def shops_chart(lines: dict[str, Sequence[tuple[datetime, Decimal]]], now: datetime) -> Markup:
    """An SVG with a step line per shop (its prices over time, held until now) and a legend."""
    points = [p for line in lines.values() for p in line]
    if not points:
        return Markup("")
    start = min(at for at, _ in points)
    span = max((now - start).total_seconds(), 1.0)
    low, high = min(p for _, p in points), max(p for _, p in points)
    spread = float(high - low) or 1.0

    def x(at: datetime) -> float:
        return PAD + (WIDTH - 2 * PAD) * (at - start).total_seconds() / span

    def y(price: Decimal) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(price - low) / spread

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 16 * len(lines)}" role="img">',
             f'<text x="2" y="{y(high) + 4:.0f}">{high}</text><text x="2" y="{y(low) + 4:.0f}">{low}</text>']
    for n, (shop, line) in enumerate(sorted(lines.items())):
        colour = COLOURS[n % len(COLOURS)]
        steps, previous = [], None
        for at, price in [*line, (now, line[-1][1])]:
            if previous is not None:
                steps.append(f"{x(at):.1f},{y(previous):.1f}")
            steps.append(f"{x(at):.1f},{y(price):.1f}")
            previous = price
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(steps)}"/>')
        legend_y = HEIGHT + 12 + 16 * n
        shop_text = escape(shop)
        parts.append(f'<rect x="{PAD}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{PAD + 16}" y="{legend_y}">{shop_text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # numbers and colours of our own; the one text (shop) is escaped above


def charts_of(item: dict[str, Any], now: datetime) -> dict[str, Markup]:
    by_currency: dict[str, dict[str, list]] = {}
    for shop in item["history"]:
        for point in shop["points"]:
            if point["price"] is not None and point["currency"]:
                label = f'{shop["vendor"]} {shop["vendor_product_id"]}'
                by_currency.setdefault(point["currency"], {}).setdefault(label, []).append(
                    (datetime.fromisoformat(point["at"].replace("Z", "+00:00")), Decimal(point["price"])))
    return {c: shops_chart(lines, now) for c, lines in sorted(by_currency.items())}


@router.get("/ui/items/{item_id}")
def item_page(request: Request, item_id: int) -> Response:
    if signed_in(request) is None:
        return to_login(request)
    item = request.app.state.db.read(lambda conn: item_detail(conn, item_id), "reading an item")
    if item is None:
        return not_found(request, f"no item {item_id}")
    return page(request, "catalogue/item.html", item=item, charts=charts_of(item, utcnow()))


@router.get("/ui/matches")
def matches_page(request: Request, after: int = Query(0, ge=0)) -> Response:
    if signed_in(request) is None:
        return to_login(request)
    found = Review(request.app.state.db.reader).proposals("open", 51, after)
    proposals = found[:50]
    next_after = proposals[-1]["id"] if len(found) > 50 else None
    return page(request, "catalogue/matches.html", proposals=proposals, next_after=next_after)
