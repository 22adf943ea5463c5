"""An Awin publisher feed (base_spiders/networks/awin.py):

    scrapy crawl awin -a feed=https://productdata.awin.com/datafeed/download/apikey/<key>/...   # every merchant
    scrapy crawl awin -a feed=... -a merchant=30347                                            # one merchant

Without -a merchant every merchant of the feed is synced as its own source (vendor awin_<id>), each with
its own run record and removal. The example feed (feeds/awin.csv) holds two merchants.
"""

from __future__ import annotations

from ornaments.base_spiders.networks.awin import AwinFeedSpider


class AwinSpider(AwinFeedSpider):
    name = "awin"
    default_feed = "awin.csv"
