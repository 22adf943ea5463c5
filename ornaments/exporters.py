"""Feed exporters. JSON keeps Scrapy's own encoder, which writes Decimal prices as exact strings."""

from scrapy.exporters import CsvItemExporter


class ProductCsvItemExporter(CsvItemExporter):
    """CSV with readable image columns: URLs and stored paths separated by spaces (URLs hold none)."""

    def serialize_field(self, field, name, value):
        if name == "images" and value:
            value = " ".join(str(image.get("path", image)) if isinstance(image, dict) else str(image)
                             for image in value)
        elif name == "image_urls" and value:
            value = " ".join(value)
        return super().serialize_field(field, name, value)
