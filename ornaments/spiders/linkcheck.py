"""scrapy crawl linkcheck [-a vendor=...] [-a sample=N]: does every affiliate link still earn?
(base_spiders/networks/linkcheck.py, docs/affiliate-networks.md)"""

from __future__ import annotations

from ornaments.base_spiders.networks.linkcheck import LinkCheckSpider


class LinkcheckSpider(LinkCheckSpider):
    name = "linkcheck"
