"""ornament-shop.com: BigCommerce (Cornerstone). Everything comes from the platform base."""

from ornaments.base_spiders.platforms.bigcommerce import BigCommerceSpider


class OrnamentShopSpider(BigCommerceSpider):
    name = "ornament_shop"
    default_currency = "USD"  # a US shop: "$" means US dollars
    default_base_url = "https://www.ornament-shop.com"
    year_index_path = "/hallmark-ornaments-by-year.html"
    catalog_source = "index"  # its year pages are complete, and give the year of products whose page has none
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 4}  # BigCommerce's hosting takes more
