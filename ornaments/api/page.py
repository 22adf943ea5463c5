"""The pages' shell: rendering a page template (ornaments.api.templating) into a response with the CSRF
nonce cookie, the login check and small parts shared by the pages. No inline script or style: the style
sheet and the scripts are static files (ornaments/api/static, served at /ui/static/), so a strict
Content-Security-Policy holds."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ornaments.api import auth, csrf
from ornaments.api.templating import product_href, render

__all__ = ["not_found", "page", "product_href", "redirect_with_flash", "signed_in", "to_login"]

# The one-line outcome of a form's POST, shown once by the page it redirects to (redirect-after-POST).
# Signed with the session secret: another site (a sibling subdomain can set cookies) cannot plant one.
FLASH_COOKIE = "ornaments_flash"


def _flash_signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, f"flash.{payload}".encode(), hashlib.sha256).hexdigest()[:32]


def redirect_with_flash(request: Request, target: str, message: str, href: str | None = None,
                        kind: str = "done") -> RedirectResponse:
    """303 to `target` (one of our pages), which shows `message` (and a link to `href`) once."""
    payload = base64.urlsafe_b64encode(json.dumps([message, href, kind]).encode()).decode().rstrip("=")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(FLASH_COOKIE, f"{payload}.{_flash_signature(request.app.state.config.session_secret, payload)}",
                        max_age=60, httponly=True, samesite="strict", path="/ui",
                        secure=request.app.state.config.secure_cookies)
    return response


def _flash_of(request: Request) -> dict[str, Any] | None:
    payload, _, signature = request.cookies.get(FLASH_COOKIE, "").partition(".")
    if not payload or not hmac.compare_digest(signature, _flash_signature(request.app.state.config.session_secret,
                                                                           payload)):
        return None
    try:
        message, href, kind = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    return {"message": str(message), "href": href if isinstance(href, str) and href.startswith("/ui/") else None,
            "kind": "refused" if kind == "refused" else "done"}


def page(request: Request, template: str, status_code: int = 200, signed: bool = True,
         flash: dict[str, Any] | None = None, **context: Any) -> HTMLResponse:
    """The page `template` (it extends base.html) filled with `context`. `signed` adds the log-out button;
    every page can hold forms: `csrf_input()` in a template writes this browser's CSRF field. `flash`
    ({"message", "href", "kind"}) is a one-line outcome on top; else the one a redirect left is shown, once."""
    nonce, new = csrf.nonce_of(request)
    token = csrf.token_for(request.app.state.config.session_secret, nonce)
    left = _flash_of(request) if FLASH_COOKIE in request.cookies else None
    html = render(template, signed=signed, csrf_field=csrf.CSRF_FIELD, csrf_token=token, flash=flash or left,
                  **context)
    response = HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
    if new:
        csrf.set_nonce(response, nonce, request.app.state.config.secure_cookies)
    if FLASH_COOKIE in request.cookies:  # shown once (or not ours): gone
        response.delete_cookie(FLASH_COOKIE, path="/ui", samesite="strict", httponly=True,
                               secure=request.app.state.config.secure_cookies)
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
