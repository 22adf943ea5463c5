"""One JSON document per input file, written through Scrapy's feed storages (s3:// with botocore,
file://, ...: FEED_STORAGES picks the storage by the URI's scheme, as FEEDS does).

The records are written as the spider read them, in the file's order, with the export fields of
ornaments.fields (FEED_EXPORT_FIELDS); prices are exact decimal strings. The document is built in a
temporary file and uploaded once the input file has been read, so a file that fails leaves no output.
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonItemExporter
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object

from ornaments.sources.s3 import S3Config, S3Location


def output_uri(output: S3Location | str, source: S3Location, key: str) -> str:
    """Where the JSON of input key goes: the key's path below the source prefix, under output,
    with .json for its extension ("drop/2026/a.xml" -> "s3://out/json/2026/a.json")."""
    relative = source.relative(key)
    stem, dot, extension = relative.rpartition(".")
    name = f"{stem}.json" if dot and "/" not in extension else f"{relative}.json"
    base = output.uri if isinstance(output, S3Location) else output.rstrip("/") + "/"
    return base + name


class FileExport:
    def __init__(self, crawler, uri: str):
        self.crawler = crawler
        self.uri = uri
        settings = crawler.settings
        scheme = uri.split("://", 1)[0] if "://" in uri else "file"
        storages = settings.getwithbase("FEED_STORAGES")
        if scheme not in storages:
            raise ValueError(f"no feed storage for {scheme}:// URIs (FEED_STORAGES)")
        self.storage = build_from_crawler(load_object(storages[scheme]), crawler, uri,
                                          feed_options={"overwrite": True})
        if hasattr(self.storage, "s3_client"):  # S3FeedStorage: our client, with ORNAMENTS_S3_* retries and timeouts
            self.storage.s3_client = S3Config.from_settings(settings).client()
        self.file = self.storage.open(crawler.spider)
        self.exporter = JsonItemExporter(self.file, fields_to_export=settings.getlist("FEED_EXPORT_FIELDS") or None,
                                         encoding="utf-8", indent=2)
        self.exporter.start_exporting()
        self.count = 0

    def write(self, item: Any) -> None:
        self.exporter.export_item(item)
        self.count += 1

    async def store(self) -> None:
        """Upload the document (the storage's own client retries, botocore's backoff for s3://)."""
        self.exporter.finish_exporting()
        await maybe_deferred_to_future(self.storage.store(self.file))

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
