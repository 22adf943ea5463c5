"""The sync rule: upsert, price history, change log, removal and run records. Runs without Scrapy."""

from ornaments.storage.removal import RemovalPolicy, RemovalScope
from ornaments.storage.runs import RunSummary
from ornaments.storage.sync import BatchResult, CatalogStore, product_row

__all__ = ["BatchResult", "CatalogStore", "RemovalPolicy", "RemovalScope", "RunSummary", "product_row"]
