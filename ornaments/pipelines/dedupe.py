"""One item per (vendor, vendor_product_id) per run.

The first copy wins: it has already gone on to storage when a later copy arrives, and listings
that show a product twice show the same product. Later copies are dropped and counted.
"""

from __future__ import annotations

import hashlib

from scrapy.exceptions import DropItem

from ornaments.signals import records_boundary
from ornaments.items import item_values


class DuplicateItem(DropItem):
    """A later copy of a product already on its way to storage: no sighting of anything new."""


class DedupePipeline:
    def __init__(self, stats):
        self.stats = stats
        # 128-bit digests as ints (48 bytes each, 56 as bytes objects): a million keys in about 80 MB.
        self.seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.stats)
        crawler.signals.connect(pipeline.records_boundary, signal=records_boundary)
        return pipeline

    def records_boundary(self) -> None:
        """The next records are a newer version of the catalogue (ornaments.signals.records_boundary)."""
        self.seen.clear()

    def process_item(self, item):
        adapter = item_values(item)
        key = f"{adapter['vendor']}\x1f{adapter['vendor_product_id']}".encode()
        digest = int.from_bytes(hashlib.blake2b(key, digest_size=16).digest(), "little")
        if digest in self.seen:
            self.stats.inc_value("ornaments/dropped/duplicate")
            raise DuplicateItem(f"{adapter['vendor']} product {adapter['vendor_product_id']}: "
                           "already seen in this run (duplicate)", log_level="DEBUG")
        self.seen.add(digest)
        return item
