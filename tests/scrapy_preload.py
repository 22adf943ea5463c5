"""Imported by tests/scrapy_fork.py's fork server only: the libraries every `scrapy` run needs, once."""

from __future__ import annotations

import gc
import importlib
import sys

# Imported once by the fork server, never by a run's parent: third-party modules only (none reads
# ornaments' environment), and none installs a Twisted reactor.
PRELOAD = (
    "scrapy.cmdline", "scrapy.crawler", "scrapy.utils.project", "scrapy.core.engine", "scrapy.core.scraper",
    "scrapy.core.downloader.handlers.http11", "scrapy.core.downloader.handlers.file", "scrapy.http",
    "scrapy.spiders", "scrapy.extensions.feedexport", "scrapy.extensions.telnet", "scrapy.pipelines.images",
    "scrapy.pipelines.files", "scrapy.exporters", "scrapy.downloadermiddlewares.retry",
    "scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.httpcompression",
    "scrapy.commands.crawl", "scrapy.settings.default_settings", "parsel", "w3lib.html", "lxml.etree",
    "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql",
    "psycopg2", "alembic.command", "alembic.config", "alembic.runtime.migration", "alembic.operations",
    "alembic.autogenerate", "mako.template", "PIL.Image", "pydantic", "requests", "tldextract", "dateutil.parser",
    "jmespath", "twisted.internet.asyncioreactor", "twisted.web.client", "twisted.internet.ssl", "OpenSSL.SSL",
    "service_identity", "cryptography.hazmat.primitives.ciphers", "concurrent.futures.process",
    # the API (tests/fixtures/api_server.py)
    "uvicorn", "uvicorn.main", "fastapi", "starlette.applications", "jinja2", "httpx",
    # what the platform spiders, the catalogue and the scheduler import (py-spy: their imports were a
    # few percent of the forked runs' CPU)
    "extruct", "rapidfuzz.fuzz", "rapidfuzz.process", "croniter", "boto3",
)

# The fork server starts with -B (multiprocessing passes on this machine's PYTHONDONTWRITEBYTECODE):
# its forks write the project's bytecode once (tests/conftest.py), instead of compiling it in every run.
sys.dont_write_bytecode = False

for _name in PRELOAD:
    try:
        importlib.import_module(_name)
    except ImportError:
        pass
if "twisted.internet.reactor" in sys.modules:  # the run installs the reactor its settings name
    raise RuntimeError("a preloaded module installed a Twisted reactor")

# What the fork server holds now is shared by every fork. Frozen, it is out of the cyclic collector's sight
# in the forks too: the full collection ornaments.extensions.gc_tuning makes when a spider opens walked
# all of it in every forked crawl (py-spy: about 4 % of the suite's CPU) and wrote to its pages.
gc.collect()
gc.freeze()
