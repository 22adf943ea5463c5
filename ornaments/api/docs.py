"""/docs: Swagger UI served from the files the fastapi-offline package ships (Swagger UI 5, which reads
OpenAPI 3.1), so the docs work without internet (FastAPI's default page loads them from a CDN). Its start-up script is a file here too:
the Content-Security-Policy (ornaments.api.guards) allows no inline script without the page's nonce."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

SWAGGER_UI_FILES = Path(fastapi_offline.__file__).parent / "static"  # swagger-ui-bundle.js, .css, favicon

ASSETS = "/docs/assets"

START_SCRIPT = """window.onload = function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset], layout: "BaseLayout"});
};
"""


def docs_page(title: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} - docs</title>'
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">'
            f'<link rel="icon" type="image/png" href="{ASSETS}/favicon.png"></head>'
            f'<body><div id="swagger-ui"></div>'
            f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>'
            f'<script src="/docs/start.js"></script></body></html>')


def mount(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="docs-assets")
    page = docs_page(app.title)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/start.js", include_in_schema=False)
    def start_script() -> Response:
        return Response(START_SCRIPT, media_type="text/javascript")
