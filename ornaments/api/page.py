"""The pages' shell: rendering a page template (ornaments.api.templating) into a response with the CSRF
nonce cookie, the login check and small parts shared by the pages. No inline script or style: the style
sheet and the scripts are static files (ornaments/api/static, served at /ui/static/), so a strict
Content-Security-Policy holds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ornaments.api import auth, csrf
from ornaments.api.templating import product_href, render

__all__ = ["not_found", "page", "product_href", "signed_in", "to_login"]


def page(request: Request, template: str, status_code: int = 200, signed: bool = True, **context: Any) -> HTMLResponse:
    """The page `template` (it extends base.html) filled with `context`. `signed` adds the log-out button;
    every page can hold forms: `csrf_input()` in a template writes this browser's CSRF field."""
    nonce, new = csrf.nonce_of(request)
    token = csrf.token_for(request.app.state.config.session_secret, nonce)
    html = render(template, signed=signed, csrf_field=csrf.CSRF_FIELD, csrf_token=token, **context)
    response = HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
    if new:
        csrf.set_nonce(response, nonce, request.app.state.config.secure_cookies)
    return response


def signed_in(request: Request) -> auth.Caller | None:
    try:
        return auth.authenticate(request, allow_cookie=True)
    except auth.Unauthorized:
        return None


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(target)}", status_code=303)


def not_found(request: Request, detail: str) -> HTMLResponse:
    return page(request, "not_found.html", status_code=404, detail=detail)
