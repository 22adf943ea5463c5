"""/ui/products (filters: text, vendor, availability, year, removed; sorting; the total; previous/next) and
/ui/products/{vendor}/{id} (the image, the price chart, the figures and the history).

The list pages by offset (page=N, 50 a page): a person pages forward and back through a sorted list, and
the total says how far it goes. The JSON API pages by id (GET /products), which a sync writing meanwhile
cannot disturb; the pages share its filters (products.product_conditions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response

from ornaments.api.ids import MAX_ID
from ornaments.api.page import not_found, page, product_href, signed_in, to_login
from ornaments.api.prices import prices_of
from ornaments.api.products import COLUMNS, images_of, product_conditions
from ornaments.api.shape import json_list
from ornaments.api.svg import price_chart
from ornaments.clock import utcnow
from ornaments.normalize import AVAILABILITIES
from ornaments.pipelines.images import full_path
from ornaments.storage.link_checks import latest_checks
from ornaments.storage.schema import products, sync_runs

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
SORTS = {  # name -> (label, ORDER BY); id last, so equal values keep one order from page to page
    # The first is the default: what a person checks after a sync, and cheap (the changed_at index).
    "-changed": ("recently changed", [products.c.changed_at.desc(), products.c.id.desc()]),
    "name": ("name A–Z", [products.c.name, products.c.id]),
    "price": ("price, lowest first", [products.c.price.is_(None), products.c.price, products.c.id]),
    "-price": ("price, highest first", [products.c.price.is_(None), products.c.price.desc(), products.c.id]),
    "-created": ("newest", [products.c.id.desc()]),
}
REMOVED = {"": ("live and removed", None), "no": ("live only", False), "yes": ("removed only", True)}


def _price(price: Any, currency: str | None) -> str:
    return "" if price is None else f"{price:.2f} {currency or ''}".strip()


def _vendors(conn: sa.Connection) -> list[str]:
    # From the runs (a small table): every product was written by a run of its vendor.
    return list(conn.execute(sa.select(sync_runs.c.vendor).distinct().order_by(sync_runs.c.vendor)).scalars())


@router.get("/ui/products")
def products_page(request: Request, q: str = "", vendor: str = "", availability: str = "", year: str = "",
                  removed: str = "", sort: str = "-changed", page_number: int = Query(1, alias="page", le=MAX_ID // PER_PAGE)):
    if signed_in(request) is None:
        return to_login(request)
    q = q.strip()[:200]
    availability = availability if availability in AVAILABILITIES else ""
    year_value = int(year) if year.strip().isdigit() and len(year.strip()) <= 4 else None
    removed = removed if removed in REMOVED else ""
    sort = sort if sort in SORTS else "-changed"
    number = max(page_number, 1)
    conditions = product_conditions(vendor=vendor or None, year=year_value, availability=availability or None,
                                    q=q or None, removed=REMOVED[removed][1])
    query = (sa.select(*COLUMNS).where(*conditions).order_by(*SORTS[sort][1])
             .offset((number - 1) * PER_PAGE).limit(PER_PAGE))
    count = sa.select(sa.func.count()).select_from(products).where(*conditions)
    vendors, total, found = request.app.state.db.read(
        lambda conn: (_vendors(conn), int(conn.execute(count).scalar()), conn.execute(query).all()), "listing products")
    filters = {"q": q, "vendor": vendor, "availability": availability, "year": "" if year_value is None else year_value,
               "removed": removed, "sort": sort}

    def href(n: int) -> str:
        return "/ui/products?" + urlencode({**{k: v for k, v in filters.items() if v != ""}, "page": n})

    first = (number - 1) * PER_PAGE
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return page(request, "products/list.html", filters=filters, found=found, total=total, first=first, number=number,
                pages=pages, price=_price,
                previous=href(min(number - 1, pages)) if number > 1 else None,
                next=href(number + 1) if first + len(found) < total else None,
                choices={"vendor": [("", "every vendor")] + [(v, v) for v in sorted(set(vendors) | ({vendor} - {""}))],
                         "availability": [("", "any")] + [(a, a) for a in AVAILABILITIES],
                         "removed": [(k, v[0]) for k, v in REMOVED.items()],
                         "sort": [(k, v[0]) for k, v in SORTS.items()]})


def local_image(store: Path | None, vendor: str, url: str) -> Path | None:
    """The crawls' stored copy of an image (IMAGES_STORE/<vendor>/full/<sha1>.jpg), when it is on this host."""
    if store is None:
        return None
    path = store / full_path(vendor, url)
    return path if path.is_file() else None


def image_sources(request: Request, product: Any) -> tuple[list[str], list[str]]:
    """(images to show, images to link to). Shown: the copy the crawls stored on this host (served by the
    app), else the copy uploaded to our web server (its public URL, IMAGES_BASE_URL). Linked: the shop's
    own URL of an image we hold no copy of: the pages load nothing from a shop's host (a strict
    Content-Security-Policy blocks it anyway, and the shop need not see who looks)."""
    store = request.app.state.config.images_store
    urls = [u for u in json_list(product.image_urls) if isinstance(u, str)][:4]
    uploaded = {row["source_url"]: row["public_url"] for row in images_of(request.app.state.db, product.vendor,
                                                                         product.vendor_product_id)
                if row["public_url"] and row["status"] == "uploaded"}
    shown, linked = [], []
    for n, url in enumerate(urls):
        if local_image(store, product.vendor, url) is not None:
            shown.append(f"{product_href(product.vendor, product.vendor_product_id)}/images/{n}")
        elif url in uploaded:
            shown.append(uploaded[url])
        elif url.startswith(("https://", "http://")):
            linked.append(url)
    return shown, linked


@router.get("/ui/products/{vendor}/{vendor_product_id}/images/{number}")
def product_image(request: Request, vendor: str, vendor_product_id: str, number: int) -> Response:
    if signed_in(request) is None:
        return Response(status_code=401)
    query = sa.select(products.c.image_urls).where(products.c.vendor == vendor,
                                                   products.c.vendor_product_id == vendor_product_id)
    urls = json_list(request.app.state.db.read(lambda conn: conn.execute(query).scalar(), "reading a product"))
    if not 0 <= number < len(urls):
        raise HTTPException(404, "no such image")
    path = local_image(request.app.state.config.images_store, vendor, str(urls[number]))
    if path is None:
        raise HTTPException(404, "this image is not stored on this host")
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/ui/products/{vendor}/{vendor_product_id}")
def product_page(request: Request, vendor: str, vendor_product_id: str):
    if signed_in(request) is None:
        return to_login(request)
    db = request.app.state.db
    try:
        product, history, f = prices_of(db, vendor, vendor_product_id)
    except HTTPException as exc:
        return not_found(request, str(exc.detail))
    cur = f["currency"] or ""

    def amount(value: str | None) -> str | None:
        return None if value is None else f"{value} {cur}".strip()

    reduction = f["latest_reduction"]
    low30, low, high = f["lowest_30_days_before_reduction"], f["all_time_low"], f["all_time_high"]
    figures = [  # (element id, label, value or None, note)
        ("price", "Price", amount(f["price"]), ""),
        ("regular-price", "Regular price", amount(f["regular_price"]), ""),
        ("percent-off", "Off the regular price", None if f["percent_off"] is None else f'{f["percent_off"]} %', ""),
        ("latest-reduction", "Latest reduction",
         None if reduction is None else f'{reduction["from"]} → {reduction["to"]} {cur}',
         "" if reduction is None else f'on {reduction["at"][:10]}'),
        ("lowest-30", "Lowest in the 30 days before it", amount(low30 and low30["price"]),
         "" if not low30 else f'since {low30["since"][:10]}'),
        ("all-time-low", "All-time low", amount(low and low["price"]), "" if not low else f'{low["first_at"][:10]}'),
        ("all-time-high", "All-time high", amount(high and high["price"]),
         "" if not high else f'{high["first_at"][:10]}'),
    ]
    shown, linked = image_sources(request, product)
    # what the last `scrapy crawl linkcheck` found of its affiliate link
    check = db.read(lambda conn: latest_checks(conn, [product.id]), "reading link checks").get(product.id)
    chart = price_chart([(p.at, p.price if p.currency == f["currency"] else None) for p in history], utcnow(), cur)
    return page(request, "products/product.html", product=product, vendor=vendor, vendor_product_id=vendor_product_id,
                figures=figures, shown=shown, linked=linked, chart=chart, check=check, history=list(reversed(history)))
