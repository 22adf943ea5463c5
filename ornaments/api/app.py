"""The FastAPI application: the read API, uploads and the pages, over the crawls' database.

Endpoints are plain `def` functions: FastAPI runs them in its threadpool, so blocking SQLAlchemy never
holds the event loop. Errors are JSON {"error": message}; the OpenAPI docs are at /docs.
"""

from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ornaments import __version__
from ornaments.api import events, imports, prices, products, runs, ui
from ornaments.api.config import ApiConfig
from ornaments.api.db import Database
from ornaments.retry import one_line
from ornaments.storage.engine import connection_refusal, is_transient_db_error

logger = logging.getLogger(__name__)

# Keys belong in headers; one sent in a query string anyway must not reach the access log.
SECRET_QUERY = re.compile(r"((?:^|[?&])(?:api_?key|key|token|access_token|password)=)[^&\s\"]*", re.I)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(SECRET_QUERY.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        return True


def install_log_filter() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in target.filters):
            target.addFilter(RedactSecrets())


def create_app(config: ApiConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        install_log_filter()  # after uvicorn configured logging
        yield
        app.state.db.close()

    app = FastAPI(title="ornaments API", version=__version__, lifespan=lifespan,
                  description="Products, price figures, change events, sync runs and uploads of the ornaments "
                              "catalog sync. Send an API key as `Authorization: Bearer <key>` or `X-API-Key`.")
    app.state.config = config
    app.state.db = Database(config.database_url, config.retry)
    app.state.imports = imports.ImportRunner(config, app.state.db)
    for module in (products, prices, events, runs, imports, ui):
        app.include_router(module.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f'{".".join(str(p) for p in e["loc"])}: {e["msg"]}' for e in exc.errors())
        return JSONResponse({"error": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        logger.error("%s %s failed: %s", request.method, request.url.path, one_line(exc))
        if connection_refusal(exc) is not None:  # a wrong password or database: the log says which
            return JSONResponse({"error": "the API cannot log in to its database; its log says why"},
                                status_code=503)
        if is_transient_db_error(exc):  # still away after the retries: say so, try again later
            return JSONResponse({"error": "the database is unreachable; try again later"}, status_code=503,
                                headers={"Retry-After": "10"})
        return JSONResponse({"error": "internal error; the API's log says more"}, status_code=500)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/runs", status_code=303)

    return app
