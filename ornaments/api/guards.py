"""What every request and response goes through, before any endpoint: control characters refused,
security headers added, and the access log kept free of query values.

A pure ASGI middleware (not BaseHTTPMiddleware): it does not buffer bodies, so uploads and the
progress streams pass through as they are sent.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import unquote_to_bytes

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# C0 controls and DEL, after percent-decoding (a NUL reached the database as an error).
CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def control_character_in(scope: Scope) -> str | None:
    """Which part of the request holds a control character: "path", "query" or None."""
    if CONTROL.search(unquote_to_bytes(scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape"))):
        return "path"
    if CONTROL.search(scope["path"].encode("utf-8", "surrogateescape")):
        return "path"
    query = scope.get("query_string", b"")
    if query and CONTROL.search(unquote_to_bytes(query.replace(b"+", b" "))):
        return "query"
    return None


# The pages' scripts and style sheet are files served from here (ornaments/api/static/), as are the API
# docs' (ornaments.api.docs): no inline script runs. Swagger UI sets inline styles.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")


SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with our own form
    # POSTs, which the CSRF check (ornaments.api.csrf) must refuse. Other sites still get no referrer.
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


class RequestGuards:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        where = control_character_in(scope)
        if where is not None:
            body = json.dumps({"error": f"the request's {where} holds a control character"}).encode()
            await send_with_headers({"type": "http.response.start", "status": 400,
                                     "headers": [(b"content-type", b"application/json"),
                                                 (b"content-length", str(len(body)).encode())]})
            await send_with_headers({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)


# --- the access log: paths with their query's names, never its values ------------------------------

PATH_PARAMETERS = re.compile(r";[^/]*")
QUERY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-\[\]]{0,39}$")


def path_without_query_values(full_path: str) -> str:
    """"/products?q=x&api_key=orn_..." -> "/products?q=…&api_key=…". A key can hide under any spelling
    (x-api-key, api%5Fkey, ;api_key=), so no value is logged; names that are not short plain names
    (a key sent as a bare ?orn_...) are hidden too."""
    path, sep, query = full_path.partition("?")
    path = PATH_PARAMETERS.sub(";…", path)  # "/products;api_key=...": parameters of a path segment
    if not sep:
        return path
    names = []
    for part in re.split(r"[&;]", query):
        name = part.split("=", 1)[0]
        names.append(f"{name}=…" if QUERY_NAME.match(name) else "…")
    return f"{path}?{'&'.join(names)}"


class RedactQueries(logging.Filter):
    """On uvicorn.access: its records' args are (client, method, path with query, http version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(path_without_query_values(a) if isinstance(a, str) and a.startswith("/") else a
                                for a in args)
        return True


def install_log_filter() -> None:
    target = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueries) for f in target.filters):
        target.addFilter(RedactQueries())
