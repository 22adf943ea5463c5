"""The HTTP API and pages (FastAPI, served by uvicorn): `scrapy api` or `python -m ornaments.api`."""

from ornaments.api.app import create_app
from ornaments.api.config import ApiConfig

__all__ = ["ApiConfig", "create_app", "serve"]


def serve(config: ApiConfig) -> None:
    import uvicorn
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info",
                proxy_headers=False, server_header=False)
