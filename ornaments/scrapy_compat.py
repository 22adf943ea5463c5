"""Every use of a Scrapy private name (a name or attribute starting with "_"), in one place.

Scrapy may rename or drop its private parts in any release. Ornaments reaches them only through this
module, and tests/test_scrapy_compat.py names each one (PRIVATE_NAMES) and checks it still exists in the
installed Scrapy, so an upgrade that breaks one fails there, in one place, instead of somewhere in a crawl.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

import scrapy
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import ResponseDataLossError
from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

# (where, name) of each private name used below: tests/test_scrapy_compat.py checks every one.
PRIVATE_NAMES: list[tuple[str, str]] = [
    ("scrapy.core.downloader.handlers.http11", "_ScrapyAgent"),
    ("scrapy.core.downloader.handlers.http11._ScrapyAgent", "_cb_bodyready"),
    ("scrapy.core.downloader.handlers.http11._ResponseReader", "_bodybuf"),  # set in its __init__
    ("scrapy.utils._download_handlers", "get_dataloss_msg"),
    ("scrapy.utils._download_handlers", "wrap_twisted_exceptions"),
    ("scrapy.utils._compression", "_DecompressionMaxSizeExceeded"),
    ("scrapy.spiders.SitemapSpider", "_get_sitemap_body"),
    ("scrapy.Item", "_values"),  # set in its __init__
    ("scrapy.middleware.MiddlewareManager", "_mw_methods_requiring_spider"),  # set in its __init__
    ("scrapy.middleware.MiddlewareManager", "_spider"),  # set in its __init__
    ("scrapy.commands.BaseRunSpiderCommand", "_create_crawler"),
    ("scrapy.extensions.feedexport.BlockingFeedStorage", "_store_in_thread"),
    ("scrapy.pipelines.files.FSFilesStore", "_get_filesystem_path"),
    ("scrapy.pipelines.images.ImagesPipeline", "_Image"),  # set in its __init__
    ("scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware", "_parsers"),  # set in its __init__
    # HTTP11DownloadHandler attributes (set in its __init__) that a _ScrapyAgent is built from
    *(("scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler", name) for name in (
        "_contextFactory", "_bind_address", "_pool", "_default_maxsize", "_default_warnsize", "_fail_on_dataloss",
        "_fail_on_dataloss_warned", "_crawler", "_tls_verbose_logging")),
]

__all__ = ["DecompressionMaxSizeExceeded", "RobotsTxtMiddleware", "command_crawler", "download_to_disk", "files_store_path",
           "item_dict", "manager_spider", "methods_requiring_spider", "pillow_image", "sitemap_body",
           "store_blocking_feed"]

DecompressionMaxSizeExceeded = _DecompressionMaxSizeExceeded


# --- items ------------------------------------------------------------------------------------------

def item_dict(item: scrapy.Item) -> dict[str, Any]:
    """The Item's own dict of values (no copy): reading or filling it skips Item's per-field checks."""
    return item._values


# --- the item pipeline manager ----------------------------------------------------------------------

def methods_requiring_spider(manager: Any) -> set[Callable[..., Any]]:
    """The middleware methods of a MiddlewareManager that still take the spider argument."""
    return manager._mw_methods_requiring_spider


def manager_spider(manager: Any) -> scrapy.Spider:
    """The spider a MiddlewareManager passes to the methods that still take it."""
    return manager._spider


# --- commands, feed storages, media pipelines --------------------------------------------------------

def command_crawler(command: Any, spider_name: str) -> Any:
    """A Crawler made the way a crawl command makes it (kept, to read its stats once the crawl has ended)."""
    return command._create_crawler(spider_name)


def store_blocking_feed(storage: Any, file: Any) -> None:
    """A BlockingFeedStorage's upload of file, here and now (store() would hand it to a thread)."""
    storage._store_in_thread(file)


def files_store_path(store: Any, path: str) -> Any:
    """Where an FSFilesStore keeps path (a pathlib.Path)."""
    return store._get_filesystem_path(path)


def pillow_image(pipeline: Any) -> Any:
    """The PIL.Image module an ImagesPipeline loaded."""
    return pipeline._Image


# --- sitemaps ---------------------------------------------------------------------------------------

def sitemap_body(spider: scrapy.Spider, response: Response) -> bytes | None:
    """SitemapSpider's reading of a sitemap body (gunzipped within DOWNLOAD_MAXSIZE, with its warning above
    DOWNLOAD_WARNSIZE), for any spider: the sizes are the spider's, as SitemapSpider.from_crawler sets them."""
    sizes = SimpleNamespace(
        _max_size=getattr(spider, "download_maxsize", spider.settings.getint("DOWNLOAD_MAXSIZE")),
        _warn_size=getattr(spider, "download_warnsize", spider.settings.getint("DOWNLOAD_WARNSIZE")))
    if response.request is None:  # Scrapy reads per-request sizes from response.meta; one made by hand has none
        response = response.replace(request=Request(response.url))
    return SitemapSpider._get_sitemap_body(sizes, response)  # type: ignore[arg-type]


# --- robots.txt ------------------------------------------------------------------------------------

class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's, with every request that waits for a host's robots.txt given the rules. Scrapy 2.19 awaits
    the one pending Deferred from each waiting request; Deferred.asFuture consumes its result, so only the
    first waiter gets the rules and the others (None) are let through: the first pages asked of a host
    while its robots.txt loads were fetched even when forbidden (scrapy/scrapy#6802 made the change).
    Here each waiter gets a Deferred of its own. Settings: DOWNLOADER_MIDDLEWARES."""

    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred = Deferred()

        def pass_on(parser: Any) -> Any:
            mine.callback(parser)
            return parser  # for the next waiter

        pending.addCallback(pass_on)
        return await maybe_deferred_to_future(mine)


# --- HTTP bodies written to disk (ornaments.feed_download) ------------------------------------------

class _DiskBuffer:
    """Takes the place of the HTTP reader's BytesIO: the same three methods, on a file."""

    def __init__(self, path: str):
        self.file = open(path, "wb")  # noqa: SIM115  (closed in getvalue, or by the handler)

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def truncate(self, size: int = 0) -> None:  # DOWNLOAD_MAXSIZE exceeded: drop what came
        self.file.seek(size)
        self.file.truncate(size)

    def getvalue(self) -> bytes:  # the body is complete: the response's .body stays empty
        self.file.close()
        return b""


class _DiskAgent(_ScrapyAgent):
    def __init__(self, *, body_path: str, **kwargs):
        super().__init__(**kwargs)
        self._body_path = body_path

    def _cb_bodyready(self, txresponse, request: Request):
        deliver = txresponse.deliverBody

        def deliver_to_disk(reader) -> None:
            reader._bodybuf = _DiskBuffer(self._body_path)
            deliver(reader)

        txresponse.deliverBody = deliver_to_disk
        return super()._cb_bodyready(txresponse, request)


async def download_to_disk(handler: HTTP11DownloadHandler, request: Request, path: str,
                           on_data_loss: Callable[[str], None]) -> Response:
    """Download request with the handler's connection pool and limits, the body written to path (the
    response's .body stays empty). on_data_loss(message) is called once per handler on a data loss."""
    spider = handler._crawler.spider
    agent = _DiskAgent(
        body_path=path, contextFactory=handler._contextFactory, bindAddress=handler._bind_address,
        pool=handler._pool, maxsize=getattr(spider, "download_maxsize", handler._default_maxsize),
        warnsize=getattr(spider, "download_warnsize", handler._default_warnsize),
        fail_on_dataloss=handler._fail_on_dataloss, crawler=handler._crawler,
        tls_verbose_logging=handler._tls_verbose_logging)
    try:
        with wrap_twisted_exceptions():
            return await maybe_deferred_to_future(agent.download_request(request))
    except ResponseDataLossError:
        if not handler._fail_on_dataloss_warned:
            on_data_loss(get_dataloss_msg(request.url))
            handler._fail_on_dataloss_warned = True
        raise

