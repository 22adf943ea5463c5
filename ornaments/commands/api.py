"""scrapy api [--host H] [--port P]: serve the HTTP API and pages (ornaments.api) with uvicorn.

Host and port also come from ORNAMENTS_API_HOST and ORNAMENTS_API_PORT; DATABASE_URL as for crawls.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand

from ornaments.api.config import ApiConfig
from ornaments.commands.arguments import one_line_refusals, port
from ornaments.env import USAGE_EXIT, SettingError


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}  # uvicorn logs; Scrapy's root handler would print twice

    def syntax(self) -> str:
        return "[--host H] [--port P]"

    def short_desc(self) -> str:
        return "Serve the HTTP API and pages (products, prices, events, runs, uploads)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_refusals(parser, "api")
        parser.add_argument("--host", help="address to listen on (default: $ORNAMENTS_API_HOST or 127.0.0.1)")
        parser.add_argument("--port", type=port, help="port (default: $ORNAMENTS_API_PORT or 8000)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from ornaments.api import serve  # FastAPI is imported only when the API is served
        try:
            config = ApiConfig.from_settings(self.settings, host=opts.host, port=opts.port)
        except SettingError as exc:
            print(f"scrapy api: {exc}", file=sys.stderr)
            raise SystemExit(USAGE_EXIT) from None
        serve(config)
