"""ProductImagesPipeline: Scrapy's ImagesPipeline with safe names, expiry, threads and counted failures.

- Names: <vendor slug>/full/<sha1 of the URL>.jpg and <vendor slug>/thumbs/<id>/<sha1>.jpg. Nothing
  the remote side sends (path, file name, Content-Disposition) becomes part of a path.
- Expiry: an image stored less than IMAGES_EXPIRES days ago is not downloaded again ("uptodate").
- The local store writes in a thread, to a temp name then os.replace, so a crash never leaves a
  half-written file that a later run would take as up to date (and upload).
- A broken URL (HTTP error, network error) or a body that is not an image is logged as a warning and
  counted under ornaments/images/failed/<reason>; the product goes on without that image.
- A host whose name does not resolve is given up after a few lookups (ornaments.unresolvable_hosts):
  its images fail at once as unresolvable-host, with one WARNING for the host at the end of the run.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import IgnoreRequest
from scrapy.pipelines.files import FSFilesStore
from scrapy.pipelines.images import ImagesPipeline
from scrapy.pipelines.media import FileException
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.python import to_bytes

from ornaments.scrapy_compat import files_store_path, pillow_image
from ornaments.unresolvable_hosts import UnresolvableHost

logger = logging.getLogger(__name__)

_SLUG_UNSAFE = re.compile(r"[^a-z0-9_-]+")
UNRESOLVABLE = "unresolvable-host"  # the failure reason of an image whose host was given up


def vendor_slug(vendor: object) -> str:
    """A directory name from a vendor name: lowercase letters, digits, '-' and '_' only."""
    slug = _SLUG_UNSAFE.sub("-", str(vendor or "").lower()).strip("-_")[:64]
    return slug or "unknown"


def image_guid(url: str) -> str:
    return hashlib.sha1(to_bytes(url)).hexdigest()  # noqa: S324 - a name, not a security check


def full_path(vendor: object, url: str) -> str:
    return f"{vendor_slug(vendor)}/full/{image_guid(url)}.jpg"


def thumb_path_for(path: str, thumb_id: str) -> str:
    """The thumbnail of a full image path: <vendor>/full/<guid>.jpg -> <vendor>/thumbs/<id>/<guid>.jpg."""
    vendor, _full, name = path.split("/")
    return f"{vendor}/thumbs/{thumb_id}/{name}"


def thumb_ids(thumbs: dict[str, Any]) -> list[str]:
    """IMAGES_THUMBS names, refused when they would not make a safe directory name."""
    for name in thumbs:
        if not re.fullmatch(r"[a-z0-9_-]{1,32}", name):
            raise ValueError(f"IMAGES_THUMBS name {name!r} must be 1-32 of a-z, 0-9, '-', '_'")
    return list(thumbs)


class ThreadedFSFilesStore(FSFilesStore):
    """The local file store, with hashing and writing off the reactor and atomic writes."""

    def persist_file(self, path, buf: BytesIO, info, meta=None, headers=None):
        return run_in_thread(self._write, path, buf.getvalue())

    def _write(self, path, data: bytes) -> None:
        target = files_store_path(self, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def stat_file(self, path, info):
        # media_to_download wraps this in maybeDeferred, so it must return a Deferred, not a coroutine.
        return deferred_from_coro(run_in_thread(super().stat_file, path, info))


class ProductImagesPipeline(ImagesPipeline):
    STORE_SCHEMES = {**ImagesPipeline.STORE_SCHEMES, "": ThreadedFSFilesStore, "file": ThreadedFSFilesStore}

    def __init__(self, store_uri, download_func=None, *, crawler):
        super().__init__(store_uri, crawler=crawler)
        thumb_ids(self.thumbs)  # fail at start on a bad IMAGES_THUMBS name
        self._failures: dict[str, str] = {}  # image URL -> why it was not stored (failed URLs only)

    # --- names ------------------------------------------------------------------------------------

    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        vendor = ItemAdapter(item).get("vendor") if item is not None else None
        return full_path(vendor, request.url)

    def thumb_path(self, request, thumb_id, response=None, info=None, *, item=None) -> str:
        return thumb_path_for(self.file_path(request, item=item), thumb_id)

    # --- failures: warnings with a reason, counted, never fatal to the item ----------------------------
    # Scrapy 2.19 logs every exception that leaves media_failed at ERROR, which would mark the whole run
    # incomplete. A broken image is a warning: media_failed records the reason and returns None, and
    # item_completed counts it and keeps the product without that image.

    async def media_downloaded(self, response, request, info, *, item=None):
        if response.status != 200:
            self._warn(request, f"http-{response.status}", f"the server answered HTTP {response.status}")
            raise FileException(f"http-{response.status}")
        if response.body and not self._is_image(response.body):
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")[:60]
            self._warn(request, "not-an-image", f"the body ({len(response.body)} bytes, Content-Type "
                       f"{content_type or 'none'}) is not an image Pillow can read")
            raise FileException("not-an-image")
        return await super().media_downloaded(response, request, info, item=item)

    def _is_image(self, body: bytes) -> bool:
        try:
            pillow_image(self).open(BytesIO(body))  # reads the header only; decoding errors surface later
        except Exception:  # noqa: BLE001 - Pillow raises several types for "not an image"
            return False
        return True

    def media_failed(self, failure, request, info):
        error = failure.value
        if isinstance(error, UnresolvableHost):  # one WARNING at the end of the run counts them all
            self._failures[request.url] = UNRESOLVABLE
            return None
        if isinstance(error, IgnoreRequest):  # robots.txt and the like: Scrapy's quiet path
            return super().media_failed(failure, request, info)
        reason = _reason(error)
        if not isinstance(error, FileException):  # FileExceptions were logged where they were raised
            self._warn(request, reason, f"{type(error).__name__}: {str(error)[:200]}")
        self._failures[request.url] = reason
        return None

    def _warn(self, request, reason: str, detail: str) -> None:
        logger.warning("Image %s not stored (%s): %s; its products are kept without it",
                       request.url, reason, detail, extra={"spider": self.crawler.spider})

    def item_completed(self, results, item, info):
        stats = self.crawler.stats
        urls = [request.url for request in self.get_media_requests(item, info)]
        stored, failed = [], 0
        for url, (ok, value) in zip(urls, results):
            if ok and value:
                stored.append(value)
                continue
            failed += 1
            reason = self._failures.get(url, "error") if ok else _reason(getattr(value, "value", value))
            stats.inc_value("ornaments/images/failed")
            stats.inc_value(f"ornaments/images/failed/{reason}")
        if failed:
            stats.inc_value("ornaments/images/products_with_failed_images")
        ItemAdapter(item)[self.images_result_field] = stored
        return item


def _reason(error: object) -> str:
    """A short stats key for why an image failed."""
    if isinstance(error, UnresolvableHost):
        return UNRESOLVABLE
    if isinstance(error, IgnoreRequest) or type(error).__name__ == "_MediaRequestFiltered":
        return "filtered"
    if not isinstance(error, FileException):
        return "network"  # DNS, refused, reset, timeout (after the downloader's own retries)
    text = str(error).strip()
    return text if re.fullmatch(r"[a-z0-9-]{1,32}", text) else "error"
