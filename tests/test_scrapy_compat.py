"""Every Scrapy private name ornaments uses is in ornaments.scrapy_compat, and still exists in the installed
Scrapy: a Scrapy upgrade that renames one fails here, naming it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import scrapy
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ResponseReader
from scrapy.middleware import MiddlewareManager
from scrapy.utils.test import get_crawler

from ornaments import scrapy_compat
from ornaments.scrapy_compat import PRIVATE_NAMES

ROOT = Path(__file__).resolve().parents[1] / "ornaments"


def resolve(dotted: str):
    """A module, or an attribute path inside one (scrapy.spiders.SitemapSpider)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def instance_attributes(cls: type) -> set[str]:
    """The self.<name> attributes cls's __init__ (or a parent's) sets or reads."""
    import inspect
    import textwrap
    names: set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if not inspect.isfunction(init):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
        names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                  and isinstance(node.value, ast.Name) and node.value.id == "self"}
    return names


@pytest.mark.parametrize(("where", "name"), PRIVATE_NAMES, ids=[f"{w}.{n}" for w, n in PRIVATE_NAMES])
def test_each_private_name_still_exists(where, name):
    owner = resolve(where)
    exists = hasattr(owner, name) or (isinstance(owner, type) and name in instance_attributes(owner))
    assert exists, f"Scrapy {scrapy.__version__} has no {where}.{name}: adapt ornaments/scrapy_compat.py"


def test_the_attributes_set_at_runtime_are_there():
    crawler = get_crawler(settings_dict={})
    handler = HTTP11DownloadHandler(crawler)
    for where, name in PRIVATE_NAMES:
        if where.endswith("HTTP11DownloadHandler"):
            assert hasattr(handler, name), f"HTTP11DownloadHandler has no {name}"
    assert isinstance(scrapy_compat.item_dict(scrapy.Item()), dict)
    assert "_mw_methods_requiring_spider" in instance_attributes(MiddlewareManager)
    assert "_bodybuf" in instance_attributes(_ResponseReader)


def defined_names(tree: ast.AST) -> set[str]:
    """Underscored names a module defines: functions, classes, assigned or annotated attributes and names."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute):
                        names.add(part.attr)
                    elif isinstance(part, ast.Name):
                        names.add(part.id)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def scrapy_private_names() -> set[str]:
    root = Path(scrapy.__file__).parent
    names: set[str] = set()
    for path in root.rglob("*.py"):
        names |= defined_names(ast.parse(path.read_text()))
    return names


def private_uses_outside_compat() -> list[str]:
    """file:line of every import of a private Scrapy module or name, and every underscored attribute that
    Scrapy defines and ornaments does not (a private part inherited or reached), outside scrapy_compat.py."""
    trees = {path: ast.parse(path.read_text()) for path in sorted(ROOT.rglob("*.py"))
             if path.name != "scrapy_compat.py"}
    ours = set().union(*(defined_names(tree) for tree in trees.values()))
    theirs = scrapy_private_names() - ours
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT.parent)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scrapy"):
                if any(part.startswith("_") for part in node.module.split(".")) or any(
                        alias.name.startswith("_") for alias in node.names):
                    found.append(f"{where} imports from {node.module}")
            elif isinstance(node, ast.Attribute) and node.attr in theirs:
                found.append(f"{where} uses Scrapy's private .{node.attr}")
            elif isinstance(node, ast.Attribute) and node.attr == "slot" and isinstance(
                    node.value, ast.Attribute) and node.value.attr == "scraper":
                found.append(f"{where} reads the engine's internals (.scraper.slot)")
    return found


def test_no_private_scrapy_name_is_used_outside_the_compat_module():
    uses = private_uses_outside_compat()
    assert not uses, "Scrapy private parts used outside ornaments/scrapy_compat.py:\n" + "\n".join(uses)


def sitemap_spider(**settings):
    from ornaments.base_spiders.sitemaps import SitemapSource
    crawler = get_crawler(settings_dict=settings)
    spider = type("Probe", (SitemapSource, scrapy.Spider), {"name": "probe"})()
    spider.settings = crawler.settings
    return spider


def test_a_gzipped_sitemap_is_read_with_scrapys_size_limit_and_warning(caplog):
    import gzip
    import logging

    from scrapy.http import Request, Response, TextResponse, XmlResponse

    from ornaments.base_spiders.sitemaps import sitemap_body
    xml = b'<?xml version="1.0"?><urlset>' + b"<url><loc>https://shop.test/p</loc></url>" * 200 + b"</urlset>"
    packed = gzip.compress(xml)
    url = "https://shop.test/sitemap.xml.gz"
    with caplog.at_level(logging.WARNING):
        assert sitemap_body(sitemap_spider(DOWNLOAD_WARNSIZE=len(xml) - 1), Response(url, body=packed, request=Request(url))) == xml
    assert "larger than the download warning size" in caplog.text
    assert sitemap_body(sitemap_spider(DOWNLOAD_MAXSIZE=len(xml) // 2), Response(url, body=packed, request=Request(url))) is None
    # gzip in an XmlResponse, a plain XML response, a sitemap served as text/html, and a page that is none
    assert sitemap_body(sitemap_spider(), XmlResponse(url, body=packed, request=Request(url))) == xml
    assert sitemap_body(sitemap_spider(), XmlResponse("https://shop.test/s.xml", body=xml, request=Request(url))) == xml
    html = TextResponse("https://shop.test/xmlsitemap.php", body=xml, headers={"Content-Type": "text/html"})
    assert sitemap_body(sitemap_spider(), html) == xml
    assert sitemap_body(sitemap_spider(), TextResponse("https://shop.test/", body=b"<html></html>")) is None
