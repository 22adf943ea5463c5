"""BigCommerce (Stencil themes: Cornerstone and the others).

What the platform guarantees, whatever the theme:
- product cards carry `data-product-id` (or Cornerstone's `data-entity-id`); product URLs are the
  shop's choice (`/<name>/`, or `/products/<name>.html` in the older URL scheme);
- category pages `?page=N`, with `<link rel="next">` in the head;
- product pages: schema.org Product JSON-LD, the cart form (`data-cart-item-add`, `input[name=product_id]`),
  and the theme-script hooks `data-product-sku`, `data-product-price-without-tax`;
- `/xmlsitemap.php`, an index whose `?type=products` sitemaps list every product page;
- `/search.php?search_query=...`.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.shop import ShopSpider
from ornaments.normalize import parse_year


class BigCommerceSpider(ShopSpider):
    product_url_patterns = (r"/products/[^/?#]+\.html$",)
    product_link_hints = ("[data-product-id] a[href]", "[data-entity-id] a[href]")
    search_path = "/search.php?search_query={query}"
    sitemap_paths = ("/xmlsitemap.php",)
    sitemap_follow = (r"type=products",)
    products_sitemaps = (r"type=products",)

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        info = {}  # the product's custom fields and details: dt/dd pairs in every Stencil theme
        for dt in response.css("dl dt"):
            label = " ".join(dt.css("::text").getall()).strip().rstrip(":").lower()
            info[label] = " ".join(dt.xpath("following-sibling::dd[1]//text()").getall()).strip()
        view = response.css("[data-product-id], [data-entity-id]")
        return {
            "vendor_product_id": response.css('form[data-cart-item-add] input[name="product_id"]::attr(value)').get()
                                 or view.xpath("@data-product-id | @data-entity-id").get(),
            "sku": response.css("[data-product-sku]::text").get() or info.get("sku"),
            "name": " ".join(response.css("h1")[:1].css("::text").getall()),
            "price": response.css("[data-product-price-without-tax]::text, [data-product-price-with-tax]::text").get(),
            "availability": info.get("availability"),
            "release_year": parse_year(info.get("year") or info.get("release year")),
        }
