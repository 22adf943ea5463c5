"""Feeds are read from disk, never held in memory: a feed request (meta STREAM_META) gets a Response
whose body is a file (response.meta[BODY_FILE_META]) and whose .body is empty.

- file:// feeds are opened where they are (FeedFileDownloadHandler): nothing is copied.
- http(s) feeds are written to a temporary file as they arrive (FeedHttpDownloadHandler, Scrapy's own
  HTTP/1.1 handler with the body buffer swapped for a file), in ORNAMENTS_FEED_TMPDIR (default: the
  system's temporary directory). Everything else of Scrapy's download stays: retries, robots.txt,
  timeouts, DOWNLOAD_MAXSIZE / DOWNLOAD_WARNSIZE, redirects, and a body cut short is still a
  ResponseDataLossError (retried, then the run is incomplete). The feed is asked for without
  compression (Accept-Encoding: identity), since the file is parsed as it is stored; a server that sends
  gzip or deflate anyway has its file decompressed on disk.
  The spider deletes the file once it has read it; files left by a response nobody read (a retried
  5xx, say) are deleted when the handler closes at the end of the crawl.

Other requests are downloaded as usual, with the body in memory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import zlib
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Iterator

from scrapy import Request
from scrapy.core.downloader.handlers.file import FileDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.asyncio import run_in_thread
from w3lib.url import file_uri_to_path

from ornaments.scrapy_compat import download_to_disk

logger = logging.getLogger(__name__)

STREAM_META = "ornaments_stream_body"  # set by the feed spider: keep the body on disk
BODY_FILE_META = "ornaments_body_file"  # where the body is (set by the handlers)
TEMPORARY_META = "ornaments_body_temporary"  # whether the reader deletes it afterwards


class FeedFileDownloadHandler(FileDownloadHandler):
    """file:// feeds: the response points at the file itself."""

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get(STREAM_META):
            return await super().download_request(request)
        path = file_uri_to_path(request.url)
        with open(path, "rb") as probe:  # a missing or unreadable file fails here, like Scrapy's own handler
            head = probe.read(512)
        request.meta[BODY_FILE_META] = path
        request.meta[TEMPORARY_META] = False
        respcls = responsetypes.from_args(filename=path, body=head)
        return respcls(url=request.url, body=b"", flags=["on_disk"])


class FeedHttpDownloadHandler(HTTP11DownloadHandler):
    """http(s) feeds: the body goes to a temporary file as it arrives."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._tmpdir = crawler.settings.get("ORNAMENTS_FEED_TMPDIR") or None
        self._files: set[str] = set()

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get(STREAM_META):
            return await super().download_request(request)
        handle, path = tempfile.mkstemp(prefix="ornaments-feed-", suffix=".body", dir=self._tmpdir)
        os.close(handle)
        self._files.add(path)
        try:
            response = await download_to_disk(self, request, path, logger.warning)
        except BaseException:
            self._discard(path)
            raise
        encoding = response.headers.get(b"Content-Encoding", b"").strip().lower()
        if encoding in (b"gzip", b"x-gzip", b"deflate"):
            # A server that ignored "identity": decompress on disk, as HttpCompressionMiddleware would in memory.
            await run_in_thread(_decompress_file, path, encoding)
            headers = response.headers.copy()
            del headers[b"Content-Encoding"]
            response = response.replace(headers=headers)
        request.meta[BODY_FILE_META] = path
        request.meta[TEMPORARY_META] = True
        return response.replace(flags=[*response.flags, "on_disk"])

    def _discard(self, path: str) -> None:
        self._files.discard(path)
        with contextlib.suppress(OSError):
            os.unlink(path)

    async def close(self) -> None:
        for path in list(self._files):
            if os.path.exists(path):
                self._discard(path)
        await super().close()


def _decompress_file(path: str, encoding: bytes) -> None:
    """Replace a gzip or deflate file by its content, 1 MB at a time."""
    wbits = 16 + zlib.MAX_WBITS if encoding in (b"gzip", b"x-gzip") else zlib.MAX_WBITS
    decompressor = zlib.decompressobj(wbits)
    plain = path + ".plain"
    with open(path, "rb") as source, open(plain, "wb") as target:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            target.write(decompressor.decompress(chunk))
        target.write(decompressor.flush())
    os.replace(plain, path)


@contextlib.contextmanager
def open_body(response: Response) -> Iterator[tuple[BinaryIO, int]]:
    """(a binary file object of the body, its size): the file on disk when the handler put it there,
    else the in-memory body (no copy). A temporary file is deleted afterwards."""
    path = response.meta.get(BODY_FILE_META) if response.request is not None else None
    if path is None:
        yield BytesIO(response.body), len(response.body)
        return
    try:
        with open(path, "rb") as body:
            yield body, os.fstat(body.fileno()).st_size
    finally:
        if response.meta.get(TEMPORARY_META):
            with contextlib.suppress(OSError):
                Path(path).unlink()


def feed_request_headers() -> dict[str, str]:
    """A feed file is parsed as it is stored: ask for it uncompressed."""
    return {"Accept-Encoding": "identity"}
