"""Pages for people, server-rendered HTML and SVG: /ui/runs (runs per vendor), /ui/runs/{id} (a run and what
it changed), /ui/products (filters, sorting, pages) and /ui/products/{vendor}/{id} (image, price chart,
figures). This module has the login, the logout and the static files; the pages are in ui_runs and
ui_products, their frame in page.

The pages take the same API keys, or a login cookie: /ui/login takes a key and sets an HttpOnly cookie
signed with the API's session secret (ornaments.api.auth.session_cookie). Logging in and out are POST
forms with a CSRF token (ornaments.api.csrf): another site's form can neither log a browser in (to a key
of its choosing) nor out.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ornaments.api import auth, csrf, ui_links, ui_products, ui_runs
from ornaments.api.page import page, signed_in
from ornaments.api.svg import STATUS_COLOURS
from ornaments.storage.schema import api_keys

router = APIRouter(include_in_schema=False)
router.include_router(ui_runs.router)
router.include_router(ui_products.router)
router.include_router(ui_links.router)

STATIC = {"ui.css": "text/css; charset=utf-8", "progress.js": "text/javascript; charset=utf-8"}


def _static_text(name: str) -> str:
    text = resources.files("ornaments.api").joinpath("static", name).read_text(encoding="utf-8")
    if name == "ui.css":  # the status colours have one home, svg.STATUS_COLOURS (the charts use them too)
        text += "".join(f".status-{s}{{background:{c}}}" for s, c in STATUS_COLOURS.items())
    return text


_static_cache: dict[str, str] = {}


@router.get("/ui/static/{name}")
def static_file(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404, f"no static file {name!r}")
    if name not in _static_cache:
        _static_cache[name] = _static_text(name)
    return Response(_static_cache[name], media_type=STATIC[name], headers={"Cache-Control": "public, max-age=300"})


def _safe_next(target: str) -> str:
    """Only our own pages: a path under /ui/, never another host (//host or /ui//host)."""
    if target.startswith("/ui/") and not target.startswith("/ui//") and "\\" not in target:
        return target
    return "/ui/runs"


@router.get("/ui/login")
def login_form(request: Request, next: str = "/ui/runs", failed: int = 0) -> Response:
    return page(request, "login.html", signed=False, target=_safe_next(next), message="failed" if failed else "")


def _forbidden(request: Request, target: str) -> Response:
    """A form from another site, or one whose token no longer matches this browser: refused, with a fresh form."""
    return page(request, "login.html", status_code=403, signed=False, target=target, message="refused")


@router.post("/ui/login")
def login(request: Request, key: str = Form(...), next: str = Form("/ui/runs"),
          csrf_token: str = Form("")) -> Response:
    state = request.app.state
    target = _safe_next(next)
    if not csrf.valid(request, state.config.session_secret, csrf_token):
        return _forbidden(request, target)
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
def logout_form(request: Request) -> Response:
    """An old link or bookmark: a button that logs out (a GET never changes anything)."""
    if signed_in(request) is None:
        return RedirectResponse("/ui/login", status_code=303)
    return page(request, "logout.html", refused=False)


@router.post("/ui/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    if not csrf.valid(request, request.app.state.config.session_secret, csrf_token):
        return page(request, "logout.html", status_code=403, signed=signed_in(request) is not None, refused=True)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/ui")
def ui_home() -> RedirectResponse:
    return RedirectResponse("/ui/runs", status_code=303)
