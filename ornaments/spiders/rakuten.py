"""A Rakuten Advertising merchant's catalogue, pipe-delimited or MerchandiserXML, told apart by its content
(base_spiders/networks/rakuten.py):

    scrapy crawl rakuten -a merchant=35269 -a feed=ftp-mirror/35269_3750000_mp.txt.gz
    scrapy crawl rakuten -a merchant=35269 -a feed=ftp-mirror/35269_3750000_mp.xml.gz   (MerchandiserXML)
    scrapy crawl rakuten -a merchant=35269 -a feed=.../35269_3750000_mp_delta.txt.gz   (a delta: D rows removed)

The example file (feeds/rakuten.txt) is one merchant's catalogue with its HDR and TRL lines.
"""

from __future__ import annotations

from ornaments.base_spiders.networks.rakuten import RakutenCatalogueSpider


class RakutenSpider(RakutenCatalogueSpider):
    name = "rakuten"
    default_feed = "rakuten.txt"
