"""A partner's CSV feed. The layout is recognised from the header alone (base_spiders/csv_layouts.py):
ours (name, sku, description, price, currency, availability, year, image_urls, url, brand, series; only
an id or sku and a name are needed, so the Products Importer's name,sku,description is one too),
WooCommerce's and Shopify's product exports and Google Merchant's CSV. Anything else is mapped with
-a columns=our_field:Their Header,...

These files name no currency: a feed with prices needs -a currency=XXX, else its priced records are
dropped as unknown_currency.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from ornaments.base_spiders.csv_feed import CsvFeedSpider
from ornaments.base_spiders.csv_layouts import Layout, choose_layout, parse_columns
from ornaments.items import ProductItem

logger = logging.getLogger(__name__)


class ProductsCsvSpider(CsvFeedSpider):
    name = "products_csv"
    default_feed = "products.csv"

    def __init__(self, *args: Any, columns: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.mapping = parse_columns(columns) if columns else None  # UsageError before anything is read
        self.layout: Layout | None = None

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.columns:
            arguments["columns"] = self.columns
        return arguments

    def start_rows(self, header: list[str], feed_url: str) -> bool:
        layout = choose_layout(self, self.column, self.mapping)
        missing = layout.missing()
        if missing:
            logger.error("The CSV feed %s lacks %s (its header: %s); nothing was read from it. Map its columns "
                         "with -a columns=name:<header>,vendor_product_id:<header>.", feed_url,
                         " and ".join(missing), ", ".join(header) or "empty", extra={"spider": self})
            self.mark_incomplete("feed columns missing")
            return False
        self.layout = layout
        self.price_style = layout.price_style
        self.crawler.stats.set_value("ornaments/feed/layout", layout.name)
        logger.info("The CSV feed %s has the %s layout.", feed_url, layout.name, extra={"spider": self})
        return True

    def parse_row(self, row: list[str], line: int) -> Iterable[ProductItem] | None:
        return self.layout.rows(row, line)

    def end_rows(self) -> Iterable[ProductItem]:
        return self.layout.end() if self.layout else ()

    def row_key(self, row: list[str]) -> str | None:
        return self.layout.row_key(row) if self.layout else None
