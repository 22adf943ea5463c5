"""The sync rule: upsert, price history, change log, removal and run records. Runs without Scrapy."""

from ornaments.storage.sync import BatchResult, CatalogStore, RemovalScope, RunSummary, product_row

__all__ = ["BatchResult", "CatalogStore", "RemovalScope", "RunSummary", "product_row"]
