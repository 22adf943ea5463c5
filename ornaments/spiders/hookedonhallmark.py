"""hookedonhallmark.com: its own layout, no structured data, so selectors on stable ids do the work."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.shop import ShopSpider
from ornaments.normalize import parse_year


class HookedOnHallmarkSpider(ShopSpider):
    name = "hookedonhallmark"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.hookedonhallmark.com"
    year_index_path = "/keepsake-hallmark-ornaments-by-year.html"
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2}  # a small shop on one server

    def year_links(self, response: Response) -> list[tuple[int, str]]:
        links = []
        for li in response.css(".columns-5 li"):
            # The year is the first word of the link's text, or of its image's alt text.
            label = li.css("span::text").get() or li.css("img::attr(alt)").get() or ""
            year = parse_year(label.split()[0]) if label.split() else None
            href = li.css("a::attr(href)").get()
            if year and href:
                links.append((year, href))
        return links

    def product_links(self, response: Response) -> list[str]:
        return response.css(".product-item .name a::attr(href)").getall()

    def next_pages(self, response: Response) -> list[str]:
        pages = response.xpath('//*[contains(@class, "paging")]//a[contains(translate(., "NEXT", "next"), "next")]/@href').getall()
        subcategories = response.css(".sub-categories a")
        view_all = [a.attrib["href"] for a in subcategories
                    if "view all" in " ".join(a.css("::text").getall()).lower() or "view-all" in a.attrib.get("href", "")]
        # "View all" holds every sub-category's products; without one, each sub-category is read.
        return pages + (view_all[:1] or [a.attrib["href"] for a in subcategories if a.attrib.get("href")])

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        year = response.xpath('//td[normalize-space()="Year:"]/following-sibling::td[1]/text()').get()
        images = response.css("#main-image img::attr(src)").getall()
        return {
            # The cart form's first input is the shop's product id.
            "vendor_product_id": response.css('#add input[name="id"]::attr(value)').get()
                                 or response.css("#add input::attr(value)").get(),
            "sku": response.css("#product_id::text").get(),
            "name": " ".join(response.css("h1 ::text").getall()),
            "brand": "Hallmark",
            "price": response.css("#price::text").get(),
            "availability": " ".join(response.css("#availability ::text").getall()) or None,
            "release_year": parse_year(year),
            "description": " ".join(response.css(".description ::text").getall()).strip() or None,
            "image_urls": [src for src in images if "no-image" not in src],
        }
