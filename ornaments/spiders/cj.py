"""A CJ advertiser through the product-search API (base_spiders/networks/cj.py):

    ORNAMENTS_CJ_API_KEY=... scrapy crawl cj -a advertiser=2062769 \\
        -a feed='https://product-search.api.cj.com/v2/product-search?website-id=<PID>&advertiser-ids=2062769&records-per-page=1000'

The example answer is feeds/cj.xml.
"""

from __future__ import annotations

from ornaments.base_spiders.networks.cj import CjProductSearchSpider


class CjSpider(CjProductSearchSpider):
    name = "cj"
    default_feed = "cj.xml"
