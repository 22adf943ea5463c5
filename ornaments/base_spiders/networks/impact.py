"""Impact (impact.com) Catalog Items API, for a media partner:

    GET {base_url}/Mediapartners/{AccountSID}/Catalogs/{catalog}/Items?Page=1&PageSize=1000
    Authorization: Basic base64(AccountSID:AuthToken)          Accept: application/json
    -> {"@page": "1", "@numpages": "3", "Items": [{CatalogItemId, Name, CurrentPrice, ...}, ...]}

The account SID and auth token come from the environment (ORNAMENTS_IMPACT_ACCOUNT_SID,
ORNAMENTS_IMPACT_AUTH_TOKEN, read in settings.py); the token rides only in the Authorization header
(ApiAuthMiddleware), never in a URL, log or run record. Pages are read until @numpages.

Every value is a string. CatalogItemId is the id; Url (the tracking link, goto.<brand>.com/c/...) the
affiliate_url, and its u= parameter (the merchant's page) the url; CurrentPrice the price, OriginalPrice
the regular price; StockAvailability the availability; Gtin, Mpn, Manufacturer, Category, ImageUrl.
"""

from __future__ import annotations

import base64
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response

from ornaments.base_spiders.json_api import JsonApiSpider, dig
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE, identifier, parse_year


def merchant_page(tracked: str) -> str | None:
    """The page an Impact tracking link leads to (its u= parameter), if it names one."""
    values = parse_qs(urlsplit(tracked).query).get("u")
    return values[0] if values else None


class ImpactCatalogSpider(JsonApiSpider):
    default_base_url = "https://api.impact.com"
    catalog_id: str | None = None  # -a catalog overrides it
    auth_env = "ORNAMENTS_IMPACT_AUTH_TOKEN"  # named in messages; the values come from the settings
    auth_style = "header"
    auth_header = "Authorization"
    pagination = "page"
    page_param = "Page"
    page_size_param = "PageSize"
    page_size = 1000
    records_path = "Items"
    url_is_page = False  # -a url picks the catalogue's item with that url or id
    custom_settings = {"ROBOTSTXT_OBEY": False}  # an authenticated partner API, not a website

    def __init__(self, *args: Any, catalog: str | None = None, vendor: str | None = None, **kwargs: Any):
        if catalog is not None and not catalog.strip().isdigit():
            raise UsageError(f"-a catalog must be an Impact catalog id (digits), not {catalog!r}")
        if vendor is not None and not VENDOR_NAME.match(vendor):
            raise UsageError(f"-a vendor must be {VENDOR_NAME_RULE}, not {vendor!r}")
        if vendor or catalog:  # each catalog its own source
            self.vendor = vendor or f"impact_{catalog.strip()}"
        super().__init__(*args, **kwargs)
        self.catalog_id = catalog.strip() if catalog else self.catalog_id

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.catalog_id != type(self).catalog_id:
            arguments["catalog"] = self.catalog_id
        return arguments

    def secret(self) -> str | None:
        sid = self.settings.get("ORNAMENTS_IMPACT_ACCOUNT_SID")
        token = self.settings.get("ORNAMENTS_IMPACT_AUTH_TOKEN")
        if not sid or not token:
            return None
        return "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()

    def listing_url(self) -> str:
        return f"{self.base_url}/Mediapartners/{self.settings.get('ORNAMENTS_IMPACT_ACCOUNT_SID')}/Catalogs/{self.catalog_id}/Items"

    def get_all(self) -> Iterable[scrapy.Request]:
        yield self.page_request(self.listing_url())

    # The API has no filter by year or page: every mode reads the catalogue and keeps what is in scope.
    def get_by_year(self, year: int) -> Iterable[scrapy.Request]:
        yield self.page_request(self.listing_url())

    def get_by_url(self, url: str) -> Iterable[scrapy.Request]:
        yield self.page_request(self.listing_url())

    def total_pages(self, response: Response, data: Any) -> int | None:
        value = dig(data, "@numpages") if isinstance(data, dict) else None
        return int(value) if str(value or "").isdigit() else None

    def parse_record(self, record: Any, response: Response, **cb_kwargs: Any) -> Iterable[Any]:
        if not isinstance(record, dict):
            self.drop_row("malformed_record", response.url, "an item that is not a JSON object")
            return
        text = {k: ("" if v is None else str(v).strip()) for k, v in record.items()}
        key = text.get("CatalogItemId") or text.get("Id", "")
        tracked = text.get("Url", "")
        item = self.product(
            where=f"item {key}", vendor_product_id=key, sku=identifier(text.get("Mpn")) or text.get("Sku") or key,
            gtin=text.get("Gtin") or None, name=text.get("Name", ""), brand=text.get("Manufacturer") or None,
            description=text.get("Description", ""), category=text.get("Category") or None,
            url=merchant_page(tracked) or tracked or None, affiliate_url=tracked or None,
            price=text.get("CurrentPrice") or text.get("OriginalPrice"), regular_price=text.get("OriginalPrice") or None,
            currency=text.get("Currency"), availability=text.get("StockAvailability") or None,
            image_urls=[text["ImageUrl"]] if text.get("ImageUrl") else [],
            item_group_id=text.get("ParentSku") or None)
        if self.year and parse_year(text.get("Name", "")) != self.year:
            return
        if self.url and self.url not in (item.get("url"), tracked, key):
            return
        yield item
