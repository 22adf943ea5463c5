"""python -m ornaments.api [--host H] [--port P]: serve the API (also `scrapy api`, `ornaments-api`)."""

from __future__ import annotations

import argparse
import sys

from ornaments.api import serve
from ornaments.api.config import ApiConfig, project_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ornaments-api", description=__doc__)
    parser.add_argument("--host", help="address to listen on (default: $ORNAMENTS_API_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: $ORNAMENTS_API_PORT or 8000)")
    opts = parser.parse_args(argv)
    serve(ApiConfig.from_settings(project_settings(), host=opts.host, port=opts.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
