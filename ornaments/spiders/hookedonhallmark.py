"""hookedonhallmark.com: Shift4Shop/3dcart since 2026 (`_p_<n>.html` products, `_3d_item`, a /sitemap.xml of
16,000+ products); its older custom layout (no structured data, product URLs without a pattern) is still read:
theme hints find its product links, selectors on stable ids its product pages."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.platforms.shift4shop import Shift4ShopSpider
from ornaments.normalize import parse_year


class HookedOnHallmarkSpider(Shift4ShopSpider):
    name = "hookedonhallmark"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.hookedonhallmark.com"
    default_brand = "Hallmark"
    year_index_path = "/keepsake-hallmark-ornaments-by-year.html"
    # The sitemap lists every product; the old layout had none, and then the year index is read.
    catalog_source = "sitemap"
    year_link_patterns = ()  # the old layout's year pages are /2021-hallmark-ornaments.html
    product_link_hints = (".product-item .name a",)  # the old layout's product URLs (/<slug>.html)
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2}  # a small shop on one server

    def next_pages(self, response: Response) -> list[str]:
        # Quirk: some years list only sub-categories; "View all" holds all their products, else each is read.
        subcategories = response.css(".sub-categories a")
        view_all = [a.attrib["href"] for a in subcategories
                    if "view all" in " ".join(a.css("::text").getall()).lower() or "view-all" in a.attrib.get("href", "")]
        return super().next_pages(response) + [response.urljoin(u) for u in (
            view_all[:1] or [a.attrib["href"] for a in subcategories if a.attrib.get("href")])]

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        fields = super().fallback_fields(response)
        if response.css("#add"):  # the old layout
            year = response.xpath('//td[normalize-space()="Year:"]/following-sibling::td[1]/text()').get()
            fields.update({
                # The cart form's first input is the shop's product id.
                "vendor_product_id": response.css('#add input[name="id"]::attr(value)').get()
                                     or response.css("#add input::attr(value)").get(),
                "sku": response.css("#product_id::text").get(),
                "name": " ".join(response.css("h1 ::text").getall()),
                "price": response.css("#price::text").get(),
                "availability": " ".join(response.css("#availability ::text").getall()) or None,
                "release_year": parse_year(year),
                "description": " ".join(response.css(".description ::text").getall()).strip() or None,
                "image_urls": [src for src in response.css("#main-image img::attr(src)").getall() if "no-image" not in src],
            })
        return fields
