"""/ui/runs (recent runs per vendor: status, counts, items-per-run bars) and /ui/runs/{id}: one run, its live
progress while it runs, and what it changed (its product_events: new, price up and down, stock, updated,
removed, returned), each change linked to its product, 100 a page, filtered by kind."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request

from ornaments.api.ids import after_id, path_id
from ornaments.api.page import not_found, page, product_href, signed_in, to_login
from ornaments.api.runs import read_run, run_json
from ornaments.api.shape import as_utc
from ornaments.api.svg import runs_chart
from ornaments.storage.schema import product_events, products, sync_runs

router = APIRouter(include_in_schema=False)

EVENTS_PER_PAGE = 100
# The kinds of change a person filters by: the event types, with price_changed split by direction.
KINDS = ("created", "price_down", "price_up", "price_changed", "back_in_stock", "out_of_stock", "updated",
         "removed", "returned")
KIND_LABELS = {"created": "new", "price_down": "price down", "price_up": "price up",
               "price_changed": "price (other)", "back_in_stock": "back in stock", "out_of_stock": "out of stock",
               "updated": "updated", "removed": "removed", "returned": "returned"}


def _direction(text: str) -> Any:
    # data is JSON text: json.dumps(separators=(",", ":")) in ornaments.storage.outbox, json_build_object
    # on the server ('"k" : v'), or json.dumps' default ('"k": v'); one query for both backends.
    return sa.or_(*(product_events.c.data.like(f'%"direction"{sep}"{text}"%') for sep in (":", ": ", " : ")))


def kind_condition(kind: str) -> Any:
    if kind == "price_down":
        return sa.and_(product_events.c.type == "price_changed", _direction("down"))
    if kind == "price_up":
        return sa.and_(product_events.c.type == "price_changed", _direction("up"))
    if kind == "price_changed":  # a currency change, or a price that came or went
        return sa.and_(product_events.c.type == "price_changed", ~_direction("down"), ~_direction("up"))
    return product_events.c.type == kind


@router.get("/ui/runs")
def runs_page(request: Request, limit: int = 300, per_vendor: int = 30):
    if signed_in(request) is None:
        return to_login(request)
    limit = max(1, min(limit, 2000))
    rows = request.app.state.db.read(lambda conn: conn.execute(
        sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(limit)).all(), "listing runs")
    by_vendor: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if len(by_vendor[row.vendor]) < per_vendor:
            by_vendor[row.vendor].append(row)
    vendors = [{"name": vendor, "status": runs[0].status, "chart": runs_chart(list(reversed(runs))),
                "runs": [_run_line(run) for run in runs]} for vendor, runs in sorted(by_vendor.items())]
    return page(request, "runs/list.html", vendors=vendors)


def _run_line(run: Any) -> dict[str, Any]:
    data = run_json(run)
    c = data["counts"]
    return {"id": run.id, "status": run.status, "started": as_utc(run.started_at), "counts": c,
            "took": _took(data),
            "held": data["held_back_removals"], "changes": c["new"] + c["updated"] + c["removed"],
            "reasons": "; ".join(data["reasons"])}


def _took(data: dict[str, Any]) -> str:
    return "" if data["duration_seconds"] is None else f'{data["duration_seconds"]:g} s'


def _kind_counts(conn: sa.Connection, run_id: int) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    by_type = conn.execute(sa.select(product_events.c.type, sa.func.count()).where(product_events.c.run_id == run_id)
                           .group_by(product_events.c.type)).all()
    for kind, count in by_type:
        counts[kind] = int(count)
    if counts["price_changed"]:
        for kind in ("price_down", "price_up"):
            counts[kind] = int(conn.execute(sa.select(sa.func.count()).where(
                product_events.c.run_id == run_id, kind_condition(kind))).scalar())
        counts["price_changed"] -= counts["price_down"] + counts["price_up"]
    return {k: v for k, v in counts.items() if k in KINDS}


def _short(value: Any, limit: int = 40) -> str:
    text = "—" if value in (None, "", []) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _what(kind: str, data: dict[str, Any]) -> str:
    """What the change was, in a few words."""
    if kind.startswith("price"):
        old = f'{data.get("old_price") or "no price"} {data.get("old_currency") or ""}'.strip()
        new = f'{data.get("new_price") or "no price"} {data.get("new_currency") or ""}'.strip()
        percent = f' ({data["percent"]} %)' if data.get("percent") else ""
        return f"{old} → {new}{percent}"
    if kind in ("back_in_stock", "out_of_stock"):
        return f'{data.get("old")} → {data.get("new")}'
    if kind == "updated":
        fields = data.get("fields") or {}
        shown = [f'{name}: {_short(change.get("old"))} → {_short(change.get("new"))}'
                 if isinstance(change, dict) else name for name, change in sorted(fields.items())[:3]]
        return "; ".join(shown) + (f" and {len(fields) - 3} more" if len(fields) > 3 else "")
    if kind in ("created", "returned"):
        price = data.get("price")
        return f'{price} {data.get("currency") or ""} · {data.get("availability") or ""}' if price else str(
            data.get("availability") or "")
    if kind == "removed":
        return f'last seen {str(data.get("last_seen_at") or "")[:16].replace("T", " ")}'
    return ""


def _kind_of(row: Any, data: dict[str, Any]) -> str:
    if row.type == "price_changed" and data.get("direction") in ("up", "down"):
        return f'price_{data["direction"]}'
    return row.type


def changes_section(request: Request, run_id: int, kind: str, after: int, before: int) -> dict[str, Any]:
    """What the run changed, 100 a page, as the run page's template shows it."""
    db = request.app.state.db
    kind = kind if kind in KINDS else ""
    query = (sa.select(product_events.c.id, product_events.c.type, product_events.c.vendor,
                       product_events.c.vendor_product_id, product_events.c.data, products.c.name)
             .select_from(product_events.outerjoin(products, products.c.id == product_events.c.product_id))
             .where(product_events.c.run_id == run_id))
    if kind:
        query = query.where(kind_condition(kind))
    if before:
        query = query.where(product_events.c.id < before).order_by(product_events.c.id.desc())
    else:
        query = query.where(product_events.c.id > after).order_by(product_events.c.id)
    counts, rows = db.read(lambda conn: (_kind_counts(conn, run_id), conn.execute(query.limit(EVENTS_PER_PAGE + 1)).all()),
                           "reading a run's changes")
    more = len(rows) > EVENTS_PER_PAGE
    rows = rows[:EVENTS_PER_PAGE]
    if before:
        rows.reverse()

    def link(**params: Any) -> str:
        query_string = urlencode({k: v for k, v in {"kind": kind, **params}.items() if v})
        return f"/ui/runs/{run_id}?{query_string}#changes" if query_string else f"/ui/runs/{run_id}#changes"

    lines = []
    for row in rows:
        data = json.loads(row.data) if isinstance(row.data, str) else dict(row.data or {})
        shown = _kind_of(row, data)
        lines.append({"kind": shown, "href": product_href(row.vendor, row.vendor_product_id),
                      "name": row.name or data.get("name") or row.vendor_product_id, "id": row.vendor_product_id,
                      "what": _what(shown, data)})
    return {"kind": kind, "total": sum(counts.values()), "all_href": link(kind=""),
            "kinds": [{"kind": k, "count": n, "href": link(kind=k)} for k, n in counts.items() if n],
            "lines": lines,
            "previous": link(before=rows[0].id) if rows and (more if before else after) else None,
            "next": link(after=rows[-1].id) if rows and (True if before else more) else None}


@router.get("/ui/runs/{run_id}")
def run_page(request: Request, run_id: int = path_id("run"), kind: str = "", after: int = after_id(),
             before: int = after_id("the id the next page ends before")):
    if signed_in(request) is None:
        return to_login(request)
    try:
        row = read_run(request.app.state.db, run_id)
    except HTTPException as exc:
        return not_found(request, str(exc.detail))
    data = run_json(row, full=True)
    return page(request, "runs/run.html", run_id=run_id, row=row, data=data,
                live=row.status in ("queued", "running"), took=_took(data),
                arguments=", ".join(f"{k}={v}" for k, v in data["arguments"].items()) or "—",
                changes=changes_section(request, run_id, kind, after, before),
                kind_labels=KIND_LABELS)
