"""ornament-shop.com: BigCommerce (Cornerstone). JSON-LD first; the product form and dt/dd pairs fill the rest."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.shop import ShopSpider
from ornaments.normalize import parse_year


class OrnamentShopSpider(ShopSpider):
    name = "ornament_shop"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.ornament-shop.com"
    year_index_path = "/hallmark-ornaments-by-year.html"
    search_path = "/search.php?search_query={query}"
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 4}  # BigCommerce's hosting takes more

    def year_links(self, response: Response) -> list[tuple[int, str]]:
        links = []
        for a in response.css(".navList-item a"):
            year = parse_year(a.attrib.get("href")) or parse_year(" ".join(a.css("::text").getall()))
            if year:
                links.append((year, a.attrib["href"]))
        return links

    def product_links(self, response: Response) -> list[str]:
        cards = response.css("article.card")
        return [c.css(".card-title a::attr(href)").get() or c.css(".card-figure a::attr(href)").get()
                for c in cards if c.css(".card-title a, .card-figure a")]

    def next_pages(self, response: Response) -> list[str]:
        return response.css(".pagination-item--next a::attr(href)").getall()

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        info = {}
        for dt in response.css("dl.productView-info dt"):
            label = " ".join(dt.css("::text").getall()).strip().rstrip(":").lower()
            info[label] = " ".join(dt.xpath("following-sibling::dd[1]//text()").getall()).strip()
        images = response.css(".productView-image img::attr(src)").getall()
        return {
            "vendor_product_id": response.css('form[data-cart-item-add] input[name="product_id"]::attr(value)').get()
                                 or response.css(".productView::attr(data-entity-id)").get(),
            "sku": response.css("[data-product-sku]::text").get() or info.get("sku"),
            "name": " ".join(response.css("h1.productView-title ::text").getall()),
            "brand": response.css(".productView-brand span::text").get(),
            "price": response.css(".productView-price [data-product-price-without-tax]::text").get(),
            "availability": info.get("availability"),
            "release_year": parse_year(info.get("year")),
            "image_urls": [src for src in images if "ProductDefault" not in src],
        }
