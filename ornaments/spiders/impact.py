"""An Impact catalog (base_spiders/networks/impact.py):

    ORNAMENTS_IMPACT_ACCOUNT_SID=IRxxxx ORNAMENTS_IMPACT_AUTH_TOKEN=... scrapy crawl impact -a catalog=9767
"""

from __future__ import annotations

from ornaments.base_spiders.networks.impact import ImpactCatalogSpider


class ImpactSpider(ImpactCatalogSpider):
    name = "impact"
    catalog_id = "9767"  # the example: Walmart's catalog
