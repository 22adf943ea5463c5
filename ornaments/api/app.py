"""The FastAPI application: the read API, uploads and the pages, over the crawls' database.

Endpoints are plain `def` functions: FastAPI runs them in its threadpool, so blocking SQLAlchemy never
holds the event loop. Errors are JSON {"error": message}; the OpenAPI docs are at /docs.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ornaments import __version__
from ornaments.api import (auth, docs, events, guards, imports, items, links, matches, prices, products, runs, ui,
                           ui_catalogue, ui_review)
from ornaments.api.config import ApiConfig
from ornaments.api.db import Database
from ornaments.api.page import not_found
from ornaments.retry import one_line
from ornaments.storage.engine import connection_refusal, is_transient_db_error, schema_missing

logger = logging.getLogger(__name__)


def database_unusable(exc: BaseException) -> JSONResponse | None:
    """503 for a database the API cannot use as it is (a refused login, no tables, away); None otherwise."""
    if connection_refusal(exc) is not None:  # a wrong password or database: the log says which
        return JSONResponse({"error": "the API cannot log in to its database; its log says why"},
                            status_code=503, headers=guards.SECURITY_HEADERS)
    if schema_missing(exc) is not None:
        return JSONResponse({"error": "the API's database does not have this version's tables; run "
                                      "`scrapy db upgrade`"}, status_code=503, headers=guards.SECURITY_HEADERS)
    if is_transient_db_error(exc):  # still away after the retries: say so, try again later
        return JSONResponse({"error": "the database is unreachable; try again later"}, status_code=503,
                            headers={**guards.SECURITY_HEADERS, "Retry-After": "10"})
    return None


def _problem(error: dict, body: object) -> str:
    """One validation error as "where: what". A body that is not JSON was "body.14: JSON decode error" (14
    being the parser's character offset, shown as if it were a field): it says so, and where the parser stopped."""
    if error.get("type") != "json_invalid":
        return f'{".".join(str(p) for p in error["loc"])}: {error["msg"]}'
    why = str((error.get("ctx") or {}).get("error") or "").strip()
    details = [why[:1].lower() + why[1:]] if why else []
    position = error["loc"][-1] if len(error.get("loc", ())) > 1 else None
    if isinstance(position, int) and isinstance(body, str) and 0 <= position <= len(body):
        line_start = body.rfind("\n", 0, position) + 1
        details.append(f"at line {body.count(chr(10), 0, position) + 1}, column {position - line_start + 1}")
    elif isinstance(position, int):
        details.append(f"at character {position + 1}")
    return "body: not valid JSON" + (f" ({' '.join(details)})" if details else "")


def create_app(config: ApiConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        guards.install_log_filter()  # after uvicorn configured logging
        imports.sweep_failed_uploads(app.state.config, app.state.db)
        yield
        app.state.db.close()

    app = FastAPI(title="ornaments API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Products, price figures, change events, sync runs and uploads of the ornaments "
                              "catalog sync. Send an API key as `Authorization: Bearer <key>` or `X-API-Key`.")
    app.state.config = config
    app.state.db = Database(config.database_url, config.retry)
    app.state.imports = imports.ImportRunner(config, app.state.db)
    app.state.auth_failures = auth.FailureLimiter(config.auth_failures, config.auth_window)
    for module in (products, prices, items, matches, events, runs, imports, links, ui, ui_catalogue, ui_review):
        app.include_router(module.router)
    docs.mount(app)
    app.add_middleware(guards.RequestGuards)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(_problem(e, exc.body) for e in exc.errors())
        if request.url.path.startswith("/ui/") and request.method == "GET":  # a person's browser: a page
            return not_found(request, f"{request.url.path} names no page ({problems})")
        return JSONResponse({"error": problems}, status_code=422)

    @app.exception_handler(sa.exc.DBAPIError)
    async def database_state(request: Request, exc: sa.exc.DBAPIError) -> JSONResponse:
        """A database the API cannot use as it is: 503 and one log line (no traceback: it is no bug)."""
        answer = database_unusable(exc)
        if answer is None:
            raise exc  # a bug: the handler below logs its traceback
        logger.error("%s %s failed: %s", request.method, request.url.path, one_line(exc))
        return answer

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        logger.error("%s %s failed: %s", request.method, request.url.path, one_line(exc))
        answer = database_unusable(exc)
        if answer is not None:
            return answer
        # Answered by Starlette's outermost layer, outside RequestGuards: the headers are given here.
        return JSONResponse({"error": "internal error; the API's log says more"}, status_code=500,
                            headers=guards.SECURITY_HEADERS)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/runs", status_code=303)

    return app
