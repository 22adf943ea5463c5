"""hallmarkornaments.com: Shift4Shop/3dcart. Its year grid was built by JavaScript (rendered in Chromium);
since 2026 its listings are static HTML (`/<year>_c_<id>.html`, `_p_` product links) and product pages carry
schema.org Product JSON-LD. Listings go to Chromium only when their static HTML holds no product links."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from ornaments.base_spiders.platforms.shift4shop import Shift4ShopSpider
from ornaments.base_spiders.rendering import BROWSER_SETTINGS, BrowserListings


class HallmarkOrnamentsSpider(BrowserListings, Shift4ShopSpider):
    name = "hallmark_ornaments"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.hallmarkornaments.com"
    default_brand = "Hallmark"
    year_index_path = "/Hallmark-Ornaments-By-Year_c_200.html"
    catalog_source = "index"  # its year pages give the year of products whose page states none
    view_all_listings = True
    custom_settings = {**BROWSER_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}

    def fallback_fields(self, response: Response) -> dict[str, Any]:
        fields = super().fallback_fields(response)
        fields["image_urls"] = response.css('img[itemprop="image"]::attr(src)').getall()
        return fields
