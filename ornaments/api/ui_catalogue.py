"""/ui/items (the items, searched and filtered as GET /items does), /ui/items/{id} (every shop's offer, and each shop's price as one line on one chart per currency) and
/ui/matches (the review queue, both listings side by side). Jinja2 templates (autoescaped) under
templates/catalogue/, extending base.html (ornaments.api.templating). A person with a write key sees the
decision forms (Accept / Reject, Split off, Merge into), which post to ornaments.api.ui_review."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Sequence
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from ornaments.api.ids import after_id, path_id
from ornaments.api.items import cursor_after, item_conditions, item_detail, item_json, item_query, page_cursor
from ornaments.api.page import not_found, page, product_href, signed_in, to_login
from ornaments.api.ui_products import local_image
from ornaments.clock import utcnow
from ornaments.prices import ISO_4217
from ornaments.storage.catalogue_review import Review
from ornaments.storage.schema import product_images

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


def place_images(request: Request, sides: list[dict[str, Any]]) -> None:
    """Each listing's first image as the pages may show it: `shown`, our copy (the crawls' stored file,
    served by the app, or the copy uploaded to our web server), else `linked`, the shop's URL as a link.
    The pages load nothing from a shop's host (ornaments.api.ui_products.image_sources). One query."""
    wanted = {(s["vendor"], s["vendor_product_id"], s["image"]) for s in sides if s.get("image")}
    uploaded: dict[tuple[str, str, str], str] = {}
    if wanted:
        query = sa.select(product_images.c.vendor, product_images.c.vendor_product_id, product_images.c.source_url,
                          product_images.c.public_url).where(
            product_images.c.source_url.in_(sorted({w[2] for w in wanted})), product_images.c.status == "uploaded",
            product_images.c.public_url.is_not(None))
        for r in request.app.state.db.read(lambda conn: conn.execute(query).all(), "reading listings' images"):
            uploaded[(r.vendor, r.vendor_product_id, r.source_url)] = r.public_url
    store = request.app.state.config.images_store
    for side in sides:
        url, side["shown"], side["linked"] = side.get("image"), None, None
        if not url:
            continue
        if local_image(store, side["vendor"], url) is not None:
            side["shown"] = f'{product_href(side["vendor"], side["vendor_product_id"])}/images/0'
        elif (side["vendor"], side["vendor_product_id"], url) in uploaded:
            side["shown"] = uploaded[(side["vendor"], side["vendor_product_id"], url)]
        elif url.startswith(("https://", "http://")):
            side["linked"] = url


ITEMS_PER_PAGE = 50


@router.get("/ui/items")
def items_page(request: Request, q: str = "", year: str = "", in_stock: str = "", currency: str = "",
               sort: str = "id", cursor: str = "") -> Response:
    """The items, as GET /items finds them: a name, number or year; the year, in stock anywhere, a
    currency; by id or by best price in that currency. A value the page cannot use is left out, as on
    /ui/products (a person's typo shows the unfiltered list, never an error page)."""
    if signed_in(request) is None:
        return to_login(request)
    q = q.strip()[:200]
    year_value = int(year) if year.strip().isdigit() and len(year.strip()) <= 4 else None
    stock = {"yes": True, "no": False}.get(in_stock)
    code = currency.strip().upper()
    code = code if code in ISO_4217 else ""
    sort = "best_price" if sort == "best_price" and code else "id"
    try:
        after = page_cursor(cursor, sort)
    except HTTPException:
        after = None
    query = item_query(item_conditions(q or None, year_value, None, stock), sort, after, code or None)
    found = request.app.state.db.read(lambda conn: conn.execute(query.limit(ITEMS_PER_PAGE + 1)).all(), "listing items")
    shown = [item_json(r, code or None) for r in found[:ITEMS_PER_PAGE]]
    filters = {"q": q, "year": "" if year_value is None else year_value, "in_stock": in_stock if stock is not None else "",
               "currency": code, "sort": sort}
    more = None
    if len(found) > ITEMS_PER_PAGE:
        more = "/ui/items?" + urlencode({**{k: v for k, v in filters.items() if v != ""},
                                         "cursor": cursor_after(found[ITEMS_PER_PAGE - 1], sort)})
    return page(request, "catalogue/items.html", items=shown, filters=filters, more=more,
                choices={"in_stock": [("", "any"), ("yes", "in stock at a shop"), ("no", "in stock nowhere")],
                         "sort": [("id", "newest last"), ("best_price", "best price (needs a currency)")]})


@router.get("/ui/items/{item_id}")
def item_page(request: Request, item_id: int = path_id("item")) -> Response:
    caller = signed_in(request)
    if caller is None:
        return to_login(request)
    item = request.app.state.db.read(lambda conn: item_detail(conn, item_id), "reading an item")
    if item is None:
        return not_found(request, f"no item {item_id}")
    place_images(request, item["offers"])
    # The item's picture: our copy of the offer it came from, else of any offer.
    pictures = [o for o in item["offers"] if o["shown"] and o["image"] == item["image_url"]] + [
        o for o in item["offers"] if o["shown"]]
    return page(request, "catalogue/item.html", item=item, charts=charts_of(item, utcnow()),
                can_write="write" in caller.scopes,
                picture=pictures[0]["shown"] if pictures else None)


@router.get("/ui/matches")
def matches_page(request: Request, after: int = after_id()) -> Response:
    caller = signed_in(request)
    if caller is None:
        return to_login(request)
    found = Review(request.app.state.db.reader).proposals("open", 51, after)
    proposals = found[:50]
    next_after = proposals[-1]["id"] if len(found) > 50 else None
    place_images(request, [side for p in proposals for side in (p["listing"], *p["item"]["listings"])])
    return page(request, "catalogue/matches.html", proposals=proposals, next_after=next_after,
                can_write="write" in caller.scopes)
