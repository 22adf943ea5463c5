"""/docs: Swagger UI served from the installed swagger-ui-bundle package, so the docs work without
internet (FastAPI's default page loads Swagger UI from a CDN). Its start-up script is a file here too:
the Content-Security-Policy (ornaments.api.guards) allows no inline script without the page's nonce."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"

START_SCRIPT = """window.onload = function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "BaseLayout"});
};
"""


def docs_page(title: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} - docs</title>'
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">'
            f'<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png"></head>'
            f'<body><div id="swagger-ui"></div>'
            f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>'
            f'<script src="{ASSETS}/swagger-ui-standalone-preset.js"></script>'
            f'<script src="/docs/start.js"></script></body></html>')


def mount(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")
    page = docs_page(app.title)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/start.js", include_in_schema=False)
    def start_script() -> Response:
        return Response(START_SCRIPT, media_type="text/javascript")
