"""One item per (vendor, vendor_product_id) per run.

The first copy wins: it has already gone on to storage when a later copy arrives, and listings
that show a product twice show the same product. Later copies are dropped and counted.
"""

from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


class DuplicateItem(DropItem):
    """A later copy of a product already on its way to storage: no sighting of anything new."""


class DedupePipeline:
    def __init__(self, stats):
        self.stats = stats
        self.seen: set[bytes] = set()  # 16-byte digests keep a million keys in a few tens of MB

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        key = f"{adapter['vendor']}\x1f{adapter['vendor_product_id']}".encode()
        digest = hashlib.blake2b(key, digest_size=16).digest()
        if digest in self.seen:
            self.stats.inc_value("ornaments/dropped/duplicate")
            raise DuplicateItem(f"{adapter['vendor']} product {adapter['vendor_product_id']}: "
                           "already seen in this run (duplicate)", log_level="DEBUG")
        self.seen.add(digest)
        return item
