"""SftpUploadPipeline: uploads each product's stored images (and thumbnails) to the web server.

Runs after StorePipeline and never holds an item up: process_item only queues file names, and the
upload run (ornaments.uploads.run) works in its own threads over one SSH connection. close_spider
waits for the queue to empty, off the reactor. Product data is stored whatever happens here.
With no SFTP_HOST the pipeline is off, and says so once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import run_in_thread

from ornaments.pipelines.images import thumb_ids, thumb_path_for
from ornaments.storage.engine import database_retry_policy
from ornaments.storage.images import ImageRecords
from ornaments.uploads.config import ConfigError, SftpConfig
from ornaments.uploads.paths import ImageFile

if TYPE_CHECKING:  # imported when sFTP is on: paramiko takes 0.2 s to import, in every crawl
    from ornaments.uploads.run import ImageUploader, UploadStats

logger = logging.getLogger(__name__)


class SftpUploadPipeline:
    def __init__(self, crawler, config: SftpConfig):
        self.crawler = crawler
        self.config = config
        settings = crawler.settings
        self.local_root = Path(str(settings.get("IMAGES_STORE") or "").removeprefix("file://"))  # empty: no images
        self.thumbs = thumb_ids(settings.getdict("IMAGES_THUMBS"))
        self.database_url = settings.get("DATABASE_URL")
        self.db_retry = database_retry_policy(settings)  # the same database settings as StorePipeline
        self.uploader: ImageUploader | None = None
        self.records: ImageRecords | None = None

    @classmethod
    def from_crawler(cls, crawler):
        try:
            config = SftpConfig.from_settings(crawler.settings)
        except ConfigError as exc:
            logger.error("sFTP upload is off: %s", exc)
            raise NotConfigured() from None
        if config is None:
            logger.info("sFTP upload is off: SFTP_HOST is not set (images stay in IMAGES_STORE)")
            raise NotConfigured()
        return cls(crawler, config)

    async def open_spider(self) -> None:
        # The table is created at the first upload, not here (see ImageRecords.create_table).
        from ornaments.uploads.run import ImageUploader
        self.records = ImageRecords(self.database_url, self.db_retry, self.config.base_url)
        self.uploader = ImageUploader(self.config, self.records, self.local_root)
        await run_in_thread(self.uploader.start)
        logger.info("Uploading images to sFTP server %s, directory %s, over %d channels",
                    self.config.address, self.config.remote_dir, self.config.channels)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        vendor, product_id = str(adapter.get("vendor")), str(adapter.get("vendor_product_id"))
        for image in adapter.get("images") or []:
            path = image.get("path") if isinstance(image, dict) else None
            if not isinstance(path, str):
                continue
            source = image.get("url")
            self.uploader.submit(ImageFile(vendor, product_id, path, source))
            if path.split("/")[1:2] == ["full"] and path.count("/") == 2:  # our layout: thumbnails exist
                for thumb in self.thumbs:
                    self.uploader.submit(ImageFile(vendor, product_id, thumb_path_for(path, thumb), source))
        return item

    async def close_spider(self) -> None:
        if self.uploader is None:
            return
        stats: UploadStats = await run_in_thread(self.uploader.finish)
        for key, value in stats.as_stats().items():
            self.crawler.stats.set_value(key, value)
        if stats.stopped:
            self.crawler.stats.set_value("ornaments/sftp/stopped", True)
        await run_in_thread(self.records.close)
        logger.info("sFTP upload: %d files uploaded (%d bytes), %d unchanged, %d failed, %d unsafe paths "
                    "refused, %d retries, %d reconnects, in %.1fs", stats.uploaded, stats.uploaded_bytes,
                    stats.unchanged, stats.failed, stats.refused_paths, stats.retries, stats.reconnects,
                    stats.seconds)
