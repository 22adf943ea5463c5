"""/ui/runs (recent runs per vendor: status, counts, items-per-run bars) and /ui/runs/{id}: one run, its live
progress while it runs, and what it changed (its product_events: new, price up and down, stock, updated,
removed, returned), each change linked to its product, 100 a page, filtered by kind."""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request

from ornaments.api.page import badge, not_found, page, product_href, signed_in, to_login
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
    sections = []
    for vendor in sorted(by_vendor):
        runs = by_vendor[vendor]
        lines = []
        for run in runs:
            data = run_json(run)
            c = data["counts"]
            took = "" if data["duration_seconds"] is None else f'{data["duration_seconds"]:g} s'
            reasons = "; ".join(data["reasons"])
            changes = c["new"] + c["updated"] + c["removed"]
            lines.append(
                f'<tr class="run" data-run="{run.id}"><td><a href="/ui/runs/{run.id}">{run.id}</a></td>'
                f'<td class="l">{badge(run.status)}</td><td class="l">{as_utc(run.started_at):%Y-%m-%d %H:%M}</td>'
                f'<td>{took}</td><td>{c["seen"]}</td><td>{c["new"]}</td><td>{c["updated"]}</td><td>{c["unchanged"]}</td>'
                f'<td>{c["removed"]}</td><td>{c["dropped"]}</td><td>{c["errors"]}</td><td>{data["held_back_removals"]}</td>'
                f'<td class="l">{f"<a class=changes href=/ui/runs/{run.id}#changes>{changes} changes</a>" if changes else ""}'
                f'</td><td class="l">{escape(reasons)}</td></tr>')
        sections.append(
            f'<section class="vendor" data-vendor="{escape(vendor)}"><h2>{escape(vendor)} {badge(runs[0].status)}</h2>'
            f'{runs_chart(list(reversed(runs)))}<table><tr><th>run</th><th class="l">status</th>'
            f'<th class="l">started (UTC)</th><th>took</th><th>seen</th><th>new</th><th>upd</th><th>same</th>'
            f'<th>rem</th><th>drop</th><th>err</th><th>held</th><th class="l">changes</th><th class="l">why</th></tr>'
            f'{"".join(lines)}</table></section>')
    body = "".join(sections) or '<p class="muted">No sync run yet.</p>'
    return page(request, "Runs", f"<h1>Sync runs</h1>{body}")


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


def event_badge(kind: str) -> str:
    return f'<span class="event event-{escape(kind.replace("_", "-"))}">{escape(KIND_LABELS.get(kind, kind))}</span>'


def _kind_of(row: Any, data: dict[str, Any]) -> str:
    if row.type == "price_changed" and data.get("direction") in ("up", "down"):
        return f'price_{data["direction"]}'
    return row.type


def changes_section(request: Request, run_id: int, kind: str, after: int, before: int) -> str:
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
    counts, rows = db.read(lambda conn: (_kind_counts(conn, run_id),
                                         conn.execute(query.limit(EVENTS_PER_PAGE + 1)).all()), "reading a run's changes")
    more = len(rows) > EVENTS_PER_PAGE
    rows = rows[:EVENTS_PER_PAGE]
    if before:
        rows.reverse()
    total = sum(counts.values())

    def link(**params: Any) -> str:
        query_string = urlencode({k: v for k, v in {"kind": kind, **params}.items() if v})
        return escape(f"/ui/runs/{run_id}?{query_string}#changes" if query_string else f"/ui/runs/{run_id}#changes")

    filters = [f'<a href="{link(kind="")}"{" class=current" if not kind else ""}>all {total}</a>']
    filters += [f'<a class="kind-{k}" href="{link(kind=k)}">{event_badge(k)} {n}</a>'
                for k, n in counts.items() if n]
    lines = []
    for row in rows:
        data = json.loads(row.data) if isinstance(row.data, str) else dict(row.data or {})
        shown = _kind_of(row, data)
        name = row.name or data.get("name") or row.vendor_product_id
        lines.append(f'<tr class="change" data-kind="{escape(shown)}"><td class="l">'
                     f'{event_badge(shown)}</td>'
                     f'<td class="l"><a href="{product_href(row.vendor, row.vendor_product_id)}">{escape(name)}</a></td>'
                     f'<td class="l">{escape(row.vendor_product_id)}</td><td class="l">{escape(_what(shown, data))}</td></tr>')
    pager = []
    if rows and (more if before else after):
        pager.append(f'<a id="changes-prev" href="{link(before=rows[0].id)}">← previous</a>')
    if rows and (True if before else more):
        pager.append(f'<a id="changes-next" href="{link(after=rows[-1].id)}">next →</a>')
    table = (f'<table id="changes-table"><tr><th class="l">change</th><th class="l">product</th><th class="l">id</th>'
             f'<th class="l">what</th></tr>{"".join(lines)}</table>' if lines
             else '<p class="muted">This run changed nothing.</p>' if not total else '<p class="muted">None here.</p>')
    return (f'<h2 id="changes">Changes ({total})</h2><p class="type-counts">{" ".join(filters)}</p>{table}'
            f'<p class="pager">{" ".join(pager)}</p>')


@router.get("/ui/runs/{run_id}")
def run_page(request: Request, run_id: int, kind: str = "", after: int = 0, before: int = 0):
    if signed_in(request) is None:
        return to_login(request)
    try:
        row = read_run(request.app.state.db, run_id)
    except HTTPException as exc:
        return not_found(request, str(exc.detail))
    data = run_json(row, full=True)
    c = data["counts"]
    counts = "".join(f'<dt>{escape(k)}</dt><dd id="count-{k}">{v}</dd>' for k, v in c.items())
    reasons = "".join(f"<li>{escape(r)}</li>" for r in data["reasons"]) or '<li class="muted">none</li>'
    live, scripts = "", ()
    if row.status in ("queued", "running"):
        cells = "".join(f'<dt>{escape(label)}</dt><dd id="{key}">—</dd>' for key, label in (
            ("records-read", "records read"), ("stored", "stored"), ("dropped", "dropped"),
            ("records-per-second", "records/s"), ("eta-seconds", "ETA (s)")))
        live = (f'<h2>Progress</h2><div id="live" data-run="{run_id}"><progress id="bar" max="1" value="0"></progress>'
                f'<dl class="figures">{cells}</dl></div>')
        scripts = ("progress.js",)
    arguments = escape(", ".join(f"{k}={v}" for k, v in data["arguments"].items()) or "—")
    took = "" if data["duration_seconds"] is None else f' · took {data["duration_seconds"]:g} s'
    held = data["held_back_removals"]
    figures = live or (f'<h2>Counts</h2><dl class="figures">{counts}<dt>held back</dt>'
                       f'<dd id="held-back">{held}</dd></dl>')
    body = (f'<h1>Run {run_id} of {escape(row.vendor)} <span id="status" class="status status-{escape(row.status)}">'
            f'{escape(row.status)}</span></h1>'
            f'<p class="muted">{escape(row.spider)} · {escape(row.mode)} · {arguments} · started '
            f'{data["started_at"]}{took}</p>{figures}'
            f'<h2>Why</h2><ul id="reasons">{reasons}</ul>'
            f'{changes_section(request, run_id, kind, max(after, 0), max(before, 0))}'
            f'<p><a href="/runs/{run_id}">as JSON</a></p>')
    return page(request, f"Run {run_id}", body, scripts=scripts)

