"""A partner's CSV feed in the style of products-importer: name, sku, description, plus price,
availability, year, image and url columns. The sku is the partner's product id."""

from ornaments.base_spiders.csv_feed import CsvFeedSpider
from ornaments.items import ProductItem
from ornaments.normalize import parse_year


class ProductsCsvSpider(CsvFeedSpider):
    name = "products_csv"
    default_feed = "products.csv"
    required_columns = ("name", "sku", "description", "price", "url")

    def parse_row(self, row: dict[str, str]) -> ProductItem:
        images = row.get("image_urls") or row.get("image_url") or ""
        return self.product(
            vendor_product_id=row["sku"],
            sku=row["sku"],
            name=row["name"],
            brand=row.get("brand"),
            description=row["description"] or None,
            series=row.get("series"),
            release_year=parse_year(row.get("year")) if row.get("year") else None,
            url=row["url"],
            price=row["price"],  # text such as "$1,299.95"; parsed by product()
            currency=row.get("currency") or None,
            availability=row.get("availability"),
            # Several images are separated by "|" or spaces (URLs contain neither).
            image_urls=images.replace("|", " ").split(),
        )
