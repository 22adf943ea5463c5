"""CSRF protection of the pages' forms that change state (log in, log out).

Two checks, both must pass:
- the browser says the request comes from our own pages: `Sec-Fetch-Site` is `same-origin` or `none`;
  without it, `Origin`, when sent, names this host. Every current browser sends one of them on a form
  POST; a request with neither (curl, a script) is left to the token;
- a token: a random nonce in an HttpOnly, SameSite=Strict cookie (`ornaments_csrf`), and in each form
  the HMAC of that nonce under the session secret. A page of another site can neither read the cookie
  nor compute the HMAC of a nonce it planted (a sibling subdomain can set cookies, not sign them).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

CSRF_COOKIE = "ornaments_csrf"
CSRF_FIELD = "csrf_token"
SAME_SITE = ("same-origin", "none")  # Sec-Fetch-Site values of a request our own pages (or the user) made


def nonce_of(request: Request) -> tuple[str, bool]:
    """(this browser's nonce, whether it is new and must be set as a cookie)."""
    made = getattr(request.state, "csrf_nonce", None)  # one new nonce per request, whoever asks first
    if made is not None:
        return made, True
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) == 64 and all(c in "0123456789abcdef" for c in current):
        return current, False
    request.state.csrf_nonce = secrets.token_hex(32)
    return request.state.csrf_nonce, True


def token_for(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"csrf.{nonce}".encode(), hashlib.sha256).hexdigest()


def set_nonce(response: Response, nonce: str, secure: bool) -> None:
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=secure, path="/ui")


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from our own pages. Sec-Fetch-Site (every current
    browser; a page cannot set it) decides when sent: it is right behind a proxy that rewrites Host too.
    Else Origin, when sent, must name the host the browser asked for (Host, or X-Forwarded-Host)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in SAME_SITE
    origin = request.headers.get("origin")
    if origin is None:  # an old browser, or not a browser at all: the token decides
        return True
    if origin == "null":  # a sandboxed frame or a data: page: never ours
        return False
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    return urlsplit(origin).netloc in hosts


def valid(request: Request, secret: bytes, token: str) -> bool:
    """Whether a form POST carrying `token` may change state."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not token or not same_origin(request):
        return False
    return hmac.compare_digest(token, token_for(secret, nonce))
