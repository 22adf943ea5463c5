"""An Awin publisher feed (base_spiders/networks/awin.py), one merchant per run:

    scrapy crawl awin -a feed=https://productdata.awin.com/datafeed/download/apikey/<key>/... -a merchant=30347

Without -a merchant the feed's first merchant is the run's; a feed holding more of them then says which
and removes nothing. The example feed (feeds/awin.csv) holds two merchants.
"""

from __future__ import annotations

from ornaments.base_spiders.networks.awin import AwinFeedSpider


class AwinSpider(AwinFeedSpider):
    name = "awin"
    default_feed = "awin.csv"
