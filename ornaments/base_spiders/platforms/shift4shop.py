"""Shift4Shop (formerly 3dcart).

What the platform guarantees, whatever the theme:
- product pages `product.asp?itemid=<catalogid>` or SEO URLs `<name>_p_<catalogid>.html`;
- categories `category.asp?catid=<id>` or `<name>_c_<id>.html`; later pages `?page=N` or, with SEO URLs,
  `<name>_c_<id>-<n>-<m>.html` (page n of m); `?viewall=1` shows the whole category on one page on some
  stores and only the first page on others, so its pager is followed either way, and a URL that already
  names its page is asked for as it is;
- `var _3d_item = {catalogid, id (SKU), name, price, availability (1/0), currency, ...}` on product pages
  (read as data by chompjs), schema.org Product microdata or JSON-LD, the `add` form's `item_id`, and the
  store's extra fields (`#extrafield_N`, a label and a value);
- `/sitemap.xml` listing every product.

A `?viewall=1` page that links no further page may still be one page of several (stores that cap
"view all", themes whose pager only the plain category page shows): then the plain category URL is read
too, and a "Page 1 of 3" / "Showing 1-12 of 30" line names the later `-n-m.html` (or `&page=n`) pages.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from ornaments.base_spiders import pages
from ornaments.base_spiders.shop import ShopSpider
from ornaments.extract import BrokenData, Structured, js_object, product_fields_from_3d_item
from ornaments.normalize import parse_year

PRODUCT_URLS = (r"product\.asp\?(?:[^#]*&)?itemid=\d+", r"_p_\d+\.html(?:$|[?#])")
CATEGORY_URLS = (r"_c_\d+(?:-\d+-\d+)?\.html", r"category\.asp\?catid=\d+")
PAGE_URLS = (r"(?P<base>_c_\d+)-(?P<page>\d+)-(?P<pages>\d+)(?=\.html$)",)
SEO_CATEGORY = re.compile(r"_c_\d+(?=\.html$)")
# "Page 1 of 3", "Showing 1 - 12 of 30", "Items 1-12 of 30": what a pager-less page says of the others
PAGE_OF = re.compile(r"\bpage\s+1\s+of\s+(\d+)\b", re.I)
SHOWING = re.compile(r"\b1\s*(?:-|–|to)\s*(\d+)\s+of\s+(\d+)\b", re.I)


class Shift4ShopSpider(ShopSpider):
    product_url_patterns = PRODUCT_URLS
    year_link_patterns = CATEGORY_URLS
    page_url_patterns = PAGE_URLS
    view_all_listings: bool = False  # ask for ?viewall=1 (the whole category on one page, or a few)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plain_listings: set[str] = set()  # category URLs read as they are: their ?viewall=1 had no pager

    def listing_request(self, url: str, year: int | None, expect_products: bool = True) -> scrapy.Request:
        paged = pages.page_number(url, self.page_patterns) is not None  # "?viewall=1" on page 2 may answer page 1
        plain = paged or url in self.plain_listings or not self.view_all_listings
        return super().listing_request(url if plain else view_all(url), year, expect_products)

    def next_pages(self, response: Response) -> list[str]:
        further = super().next_pages(response)
        query = parse_qs(urlsplit(response.url).query)
        shown = len(self.product_links(response)) if not further and "viewall" in query else 0
        if not shown:
            return further  # a view-all page without products is an empty grid (BrowserListings renders it)
        plain = without_view_all(response.url)
        if response.request is not None and response.request.meta.get("playwright"):
            # a JS grid builds "view all" from the whole category's data
            return later_pages_stated(response, plain, shown)
        self.plain_listings.add(plain)
        return [plain, *later_pages_stated(response, plain, shown)]

    def structured_fields(self, response: Response) -> Structured:
        """`_3d_item` first (the store's own data), schema.org for what it lacks; but availability from
        schema.org: `_3d_item.availability` 1 only means "orderable", pre-orders and backorders included."""
        schema = super().structured_fields(response)
        try:
            item = js_object(response.text, "_3d_item")
        except BrokenData as exc:
            return Structured({}, [str(exc)]).merge(schema)
        merged = Structured(product_fields_from_3d_item(item) if item else {}, []).merge(schema)
        if schema.fields.get("availability"):
            merged.fields["availability"] = schema.fields["availability"]
        return merged

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        extra = {" ".join(f.css(".label ::text, .extrafield-label ::text").getall()).strip().rstrip(":").lower():
                 " ".join(f.css(".value ::text, .extrafield-value ::text").getall()).strip()
                 for f in response.css('[id^="extrafield_"]')}
        year = next((v for k, v in extra.items() if "year" in k), None)
        return {
            "vendor_product_id": response.css('form[name="add"] input[name="item_id"]::attr(value)').get(),
            "release_year": parse_year(year),
        }


def later_pages_stated(response: Response, url: str, shown: int) -> list[str]:
    """Pages 2..n of the category `url` when the page's text states the count ("Page 1 of 3", "1-12 of 30";
    a range counts only if the page shows at least that many product links: "1-24 of 2021" is no count)."""
    text = " ".join(response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())
    count = 0
    if match := PAGE_OF.search(text):
        count = int(match.group(1))
    elif (match := SHOWING.search(text)) and 0 < int(match.group(1)) <= shown:
        count = math.ceil(int(match.group(2)) / int(match.group(1)))
    count = min(count, pages.MAX_PAGES_AHEAD)
    if count < 2:
        return []
    if SEO_CATEGORY.search(urlsplit(url).path):
        return [SEO_CATEGORY.sub(lambda m: f"{m.group()}-{n}-{count}", url, count=1) for n in range(2, count + 1)]
    return [f"{url}{'&' if urlsplit(url).query else '?'}page={n}" for n in range(2, count + 1)]


def without_view_all(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, values in parse_qs(parts.query, keep_blank_values=True).items() if k != "viewall" for v in values]
    return urlunsplit(parts._replace(query=urlencode(query)))


def view_all(url: str) -> str:
    """Shift4Shop shows a whole category on one page (or a few, for big ones) with ?viewall=1."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "viewall" in query:
        return url
    return urlunsplit(parts._replace(query=urlencode({"viewall": "1", **{k: v[0] for k, v in query.items()}})))
