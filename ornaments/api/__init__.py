"""The HTTP API and pages (FastAPI, served by uvicorn): `scrapy api` or `python -m ornaments.api`.

Nothing heavy is imported here: Scrapy loads every command module (ours included) when any command
starts, and FastAPI with the app's modules took 0.3-0.5 s of every `scrapy crawl`'s start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ornaments.api.app import create_app
    from ornaments.api.config import ApiConfig

__all__ = ["ApiConfig", "create_app", "serve"]


def __getattr__(name: str):
    if name == "create_app":
        from ornaments.api.app import create_app
        return create_app
    if name == "ApiConfig":
        from ornaments.api.config import ApiConfig
        return ApiConfig
    raise AttributeError(name)


def serve(config: "ApiConfig") -> None:
    import uvicorn

    from ornaments.api.app import create_app
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info",
                proxy_headers=False, server_header=False)
