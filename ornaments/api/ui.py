"""Pages for people: /ui/runs (recent runs per vendor, coloured by status, items per run) and
/ui/products/{vendor}/{id} (a price-history chart and the price figures). Server-rendered HTML and SVG.

The pages take the same API keys, or a login cookie: /ui/login takes a key and sets an HttpOnly cookie
signed with the API's session secret (ornaments.api.auth.session_cookie).
"""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ornaments.api import auth
from ornaments.api.prices import prices_of
from ornaments.api.products import images_of, product_query
from ornaments.api.runs import read_run, run_json
from ornaments.api.shape import as_utc
from ornaments.api.svg import STATUS_COLOURS, price_chart, runs_chart
from ornaments.clock import utcnow
from ornaments.storage.schema import api_keys, sync_runs

router = APIRouter(include_in_schema=False)

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.25rem .5rem;border-bottom:1px solid #eee;text-align:right}
td.l,th.l{text-align:left}.status{color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem}
dl.figures{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}dt{color:#666}dd{margin:0;font-weight:600}
.chart text{font-size:11px;fill:#555}nav a{margin-right:1rem}.muted{color:#777}
"""


def page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · ornaments</title>'
            f'<style>{STYLE}</style></head><body><nav><a href="/ui/runs">Runs</a><a href="/ui/products">Products</a>'
            f'<a href="/docs">API docs</a>'
            f'<a href="/ui/logout">Log out</a></nav>{body}</body></html>')
    return HTMLResponse(html, status_code=status_code)


def signed_in(request: Request) -> auth.Caller | None:
    try:
        return auth.authenticate(request, allow_cookie=True)
    except auth.Unauthorized:
        return None


def to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/ui/login?next={quote(request.url.path)}", status_code=303)


def badge(status: str) -> str:
    return (f'<span class="status status-{escape(status)}" style="background:{STATUS_COLOURS.get(status, "#9e9e9e")}">'
            f'{escape(status)}</span>')


@router.get("/ui/login")
def login_form(next: str = "/ui/runs", failed: int = 0) -> HTMLResponse:
    message = '<p class="error" style="color:#c62828">That key was not accepted.</p>' if failed else ""
    return page("Log in", f'<h1>Log in</h1>{message}<form method="post" action="/ui/login">'
                          f'<input type="hidden" name="next" value="{escape(next)}">'
                          f'<label>API key <input type="password" name="key" autocomplete="off" size="50"></label> '
                          f'<button type="submit">Log in</button></form>')


@router.post("/ui/login")
def login(request: Request, key: str = Form(...), next: str = Form("/ui/runs")) -> RedirectResponse:
    state = request.app.state
    target = next if next.startswith("/ui/") and not next.startswith("/ui//") else "/ui/runs"
    caller = auth.check_key(request, key)
    if caller is None:
        return RedirectResponse(f"/ui/login?failed=1&next={quote(target)}", status_code=303)
    key_hash = state.db.read(lambda conn: conn.execute(
        sa.select(api_keys.c.key_hash).where(api_keys.c.id == caller.key_id)).scalar_one(), "logging in")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, auth.session_cookie(state.config.session_secret, caller.key_id, key_hash,
                                                                 state.config.session_hours),
                        max_age=int(state.config.session_hours * 3600), httponly=True, samesite="lax",
                        secure=state.config.secure_cookies, path="/")
    return response


@router.get("/ui/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/ui")
def ui_home() -> RedirectResponse:
    return RedirectResponse("/ui/runs", status_code=303)


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
            lines.append(
                f'<tr class="run" data-run="{run.id}"><td><a href="/ui/runs/{run.id}">{run.id}</a></td>'
                f'<td class="l">{badge(run.status)}</td><td class="l">{as_utc(run.started_at):%Y-%m-%d %H:%M}</td>'
                f'<td>{took}</td><td>{c["seen"]}</td><td>{c["new"]}</td><td>{c["updated"]}</td><td>{c["unchanged"]}</td>'
                f'<td>{c["removed"]}</td><td>{c["dropped"]}</td><td>{c["errors"]}</td><td>{data["held_back_removals"]}</td>'
                f'<td class="l">{escape(reasons)}</td></tr>')
        sections.append(
            f'<section class="vendor" data-vendor="{escape(vendor)}"><h2>{escape(vendor)} {badge(runs[0].status)}</h2>'
            f'{runs_chart(list(reversed(runs)))}<table><tr><th>run</th><th class="l">status</th>'
            f'<th class="l">started (UTC)</th><th>took</th><th>seen</th><th>new</th><th>upd</th><th>same</th>'
            f'<th>rem</th><th>drop</th><th>err</th><th>held</th><th class="l">why</th></tr>{"".join(lines)}</table>'
            f'</section>')
    body = "".join(sections) or '<p class="muted">No sync run yet.</p>'
    return page("Runs", f"<h1>Sync runs</h1>{body}")


@router.get("/ui/products")
def products_page(request: Request, q: str = "", vendor: str = "", cursor: int = 0):
    if signed_in(request) is None:
        return to_login(request)
    query = product_query(vendor=vendor or None, q=q.strip()[:200] or None, after=max(cursor, 0), limit=51)
    found = request.app.state.db.read(lambda conn: conn.execute(query).all(), "listing products")
    lines = "".join(
        f'<tr class="product"><td class="l"><a href="/ui/products/{quote(r.vendor, safe="")}/'
        f'{quote(r.vendor_product_id, safe="")}">{escape(r.name)}</a></td><td class="l">{escape(r.vendor)}</td>'
        f'<td class="l">{escape(r.sku or "")}</td><td>{"" if r.price is None else escape(f"{r.price} {r.currency}")}'
        f'</td><td class="l">{escape(r.availability)}{" (removed)" if r.removed_at else ""}</td></tr>'
        for r in found[:50])
    more = (f'<p><a id="next" href="/ui/products?q={quote(q)}&vendor={quote(vendor)}&cursor={found[49].id}">Next</a></p>'
            if len(found) > 50 else "")
    form = (f'<form method="get" action="/ui/products"><input name="q" value="{escape(q)}" placeholder="name or SKU"> '
            f'<input name="vendor" value="{escape(vendor)}" placeholder="vendor"> <button type="submit">Search</button></form>')
    table = (f'<table><tr><th class="l">name</th><th class="l">vendor</th><th class="l">SKU</th><th>price</th>'
             f'<th class="l">availability</th></tr>{lines}</table>{more}' if lines else '<p class="muted">No product found.</p>')
    return page("Products", f"<h1>Products</h1>{form}{table}")


# The run page follows a run that is still going with EventSource on GET /runs/{id}/progress (the login
# cookie goes with it); no other script runs on the pages.
PROGRESS_SCRIPT = """
<script nonce="CSP_NONCE">
const fields = ["records_read", "stored", "dropped", "records_per_second", "eta_seconds"];
const COLOURS = STATUS_COLOURS;
const source = new EventSource("/runs/RUN_ID/progress");
function show(data) {
  for (const f of fields) {
    const cell = document.getElementById(f.replaceAll("_", "-"));
    if (cell) cell.textContent = data[f] === null || data[f] === undefined ? "—" : data[f];
  }
  const status = document.getElementById("status");
  status.textContent = data.status; status.className = "status status-" + data.status;
  status.style.background = COLOURS[data.status] || "#9e9e9e";
  const share = data.records_total ? data.records_read / data.records_total
              : data.bytes_total ? data.bytes_read / data.bytes_total : null;
  if (share !== null) document.getElementById("bar").value = share;
}
source.addEventListener("progress", e => show(JSON.parse(e.data)));
source.addEventListener("end", e => { source.close(); show(JSON.parse(e.data)); location.reload(); });
</script>
"""


@router.get("/ui/runs/{run_id}")
def run_page(request: Request, run_id: int):
    if signed_in(request) is None:
        return to_login(request)
    try:
        row = read_run(request.app.state.db, run_id)
    except HTTPException as exc:
        return page("Not found", f"<h1>Not found</h1><p>{escape(str(exc.detail))}</p>", 404)
    data = run_json(row, full=True)
    c = data["counts"]
    counts = "".join(f"<dt>{escape(k)}</dt><dd id=\"count-{k}\">{v}</dd>" for k, v in c.items())
    reasons = "".join(f"<li>{escape(r)}</li>" for r in data["reasons"]) or "<li class=muted>none</li>"
    live = ""
    if row.status in ("queued", "running"):
        cells = "".join(f'<dt>{escape(label)}</dt><dd id="{key}">—</dd>' for key, label in (
            ("records-read", "records read"), ("stored", "stored"), ("dropped", "dropped"),
            ("records-per-second", "records/s"), ("eta-seconds", "ETA (s)")))
        live = (f'<h2>Progress</h2><progress id="bar" max="1" value="0" style="width:360px"></progress>'
                f'<dl class="figures">{cells}</dl>'
                + PROGRESS_SCRIPT.replace("CSP_NONCE", request.state.csp_nonce).replace("RUN_ID", str(run_id)).replace("STATUS_COLOURS", json.dumps(STATUS_COLOURS)))
    arguments = escape(", ".join(f"{k}={v}" for k, v in data["arguments"].items()) or "—")
    took = "" if data["duration_seconds"] is None else f' · took {data["duration_seconds"]:g} s'
    held = data["held_back_removals"]
    body = (f'<h1>Run {run_id} of {escape(row.vendor)} <span id="status" class="status status-{escape(row.status)}" '
            f'style="background:{STATUS_COLOURS.get(row.status, "#9e9e9e")}">{escape(row.status)}</span></h1>'
            f'<p class="muted">{escape(row.spider)} · {escape(row.mode)} · {arguments} · started '
            f'{data["started_at"]}{took}'
            f'</p>{live or f"<h2>Counts</h2><dl class=figures>{counts}"}'
            f'{"" if live else f"<dt>held back</dt><dd id=held-back>{held}</dd></dl>"}'
            f'<h2>Why</h2><ul id="reasons">{reasons}</ul>'
            f'<p><a href="/runs/{run_id}">as JSON</a></p>')
    return page(f"Run {run_id}", body)


def _figure(element_id: str, label: str, value: str | None, note: str = "") -> str:
    shown = escape(value) if value is not None else '<span class="muted">—</span>'
    return f'<dt>{escape(label)}</dt><dd id="{element_id}">{shown}{f" <span class=muted>{escape(note)}</span>" if note else ""}</dd>'


@router.get("/ui/products/{vendor}/{vendor_product_id}")
def product_page(request: Request, vendor: str, vendor_product_id: str):
    if signed_in(request) is None:
        return to_login(request)
    db = request.app.state.db
    try:
        product, history, f = prices_of(db, vendor, vendor_product_id)
    except HTTPException as exc:
        return page("Not found", f"<h1>Not found</h1><p>{escape(str(exc.detail))}</p>", 404)
    cur = f["currency"] or ""

    def amount(value: str | None) -> str | None:
        return None if value is None else f"{value} {cur}".strip()

    reduction = f["latest_reduction"]
    low30, low, high = f["lowest_30_days_before_reduction"], f["all_time_low"], f["all_time_high"]
    figures = "".join([
        _figure("price", "Price", amount(f["price"])),
        _figure("regular-price", "Regular price", amount(f["regular_price"])),
        _figure("percent-off", "Off the regular price", None if f["percent_off"] is None else f'{f["percent_off"]} %'),
        _figure("latest-reduction", "Latest reduction",
                None if reduction is None else f'{reduction["from"]} → {reduction["to"]} {cur}',
                "" if reduction is None else f'on {reduction["at"][:10]}'),
        _figure("lowest-30", "Lowest in the 30 days before it", amount(low30 and low30["price"]),
                "" if not low30 else f'since {low30["since"][:10]}'),
        _figure("all-time-low", "All-time low", amount(low and low["price"]), "" if not low else f'{low["first_at"][:10]}'),
        _figure("all-time-high", "All-time high", amount(high and high["price"]),
                "" if not high else f'{high["first_at"][:10]}'),
    ])
    images = "".join(f'<img src="{escape(i["public_url"])}" alt="" height="120">'
                     for i in images_of(db, vendor, vendor_product_id) if i["public_url"])
    removed = ' <span class="status" style="background:#6d4c41">removed</span>' if product.removed_at else ""
    link = f' · <a href="{escape(product.url)}">at the shop</a>' if product.url else ""
    chart = price_chart([(p.at, p.price if p.currency == f["currency"] else None) for p in history], utcnow())
    rows = "".join(f'<tr><td class="l">{p.at:%Y-%m-%d %H:%M}</td><td>{"—" if p.price is None else p.price}</td>'
                   f'<td class="l">{escape(p.currency or "")}</td><td>{p.run_id or ""}</td></tr>' for p in history)
    body = (f'<h1>{escape(product.name)}{removed}</h1>'
            f'<p class="muted">{escape(vendor)} · {escape(vendor_product_id)} · SKU {escape(product.sku or "—")} · '
            f'{escape(product.availability)}{link}</p>{images}'
            f'<h2>Price history</h2>{chart}<h2>Figures</h2><dl class="figures">{figures}</dl>'
            f'<h2>Changes</h2><table><tr><th class="l">recorded (UTC)</th><th>price</th><th class="l">currency</th>'
            f'<th>run</th></tr>{rows}</table>')
    return page(product.name, body)
