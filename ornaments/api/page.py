"""The pages' shell: the HTML frame (navigation, style sheet, log-out form), the login check and small parts
shared by the pages. No inline script or style: the style sheet and the one script are static files
(ornaments/api/static, served at /ui/static/), so a strict Content-Security-Policy holds."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ornaments.api import auth, csrf


def page(request: Request, title: str, body: str, status_code: int = 200, signed: bool = True,
         scripts: tuple[str, ...] = ()) -> HTMLResponse:
    """A page; `signed` adds the log-out button (a POST form with the CSRF token)."""
    config = request.app.state.config
    nonce, new = csrf.nonce_of(request)
    logout = (f'<form method="post" action="/ui/logout"><input type="hidden" name="{csrf.CSRF_FIELD}" '
              f'value="{csrf.token_for(config.session_secret, nonce)}"><button id="logout" type="submit">Log out'
              f'</button></form>' if signed else "")
    script_tags = "".join(f'<script src="/ui/static/{escape(name)}" defer></script>' for name in scripts)
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · ornaments</title>'
            f'<link rel="stylesheet" href="/ui/static/ui.css">{script_tags}</head><body>'
            f'<nav><a href="/ui/runs">Runs</a><a href="/ui/products">Products</a><a href="/ui/links">Links</a><a href="/docs">API docs</a>'
            f'{logout}</nav>{body}</body></html>')
    response = HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
    if new:
        csrf.set_nonce(response, nonce, config.secure_cookies)
    return response


def form_token(request: Request) -> tuple[str, str]:
    """(the hidden field of a form, the nonce) for a form page that page() renders: page() sets the cookie."""
    nonce, _ = csrf.nonce_of(request)
    token = csrf.token_for(request.app.state.config.session_secret, nonce)
    return f'<input type="hidden" name="{csrf.CSRF_FIELD}" value="{token}">', nonce


def signed_in(request: Request) -> auth.Caller | None:
    try:
        return auth.authenticate(request, allow_cookie=True)
    except auth.Unauthorized:
        return None


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(target)}", status_code=303)


def badge(status: str, kind: str = "status") -> str:
    return f'<span class="{kind} {kind}-{escape(status)}">{escape(status)}</span>'


def not_found(request: Request, detail: str) -> HTMLResponse:
    return page(request, "Not found", f"<h1>Not found</h1><p>{escape(detail)}</p>", 404)


def product_href(vendor: str, vendor_product_id: str) -> str:
    return f'/ui/products/{quote(vendor, safe="")}/{quote(vendor_product_id, safe="")}'
