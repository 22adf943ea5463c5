"""Generated feeds for tests and benchmarks (bench/ imports this too)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

G_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n'
            "<channel><title>Generated</title>\n")
G_FOOTER = "</channel></rss>\n"


def merchant_item(i: int, price: Decimal | str, year: int = 2020, availability: str = "in stock",
                  name: str | None = None) -> str:
    name = name or f"Keepsake Ornament Nº {i} ™"
    return (f"<item><g:id>P{i:07d}</g:id><title>{escape(name)}</title>"
            f"<link>https://shop.example/p/{i}</link><description>Ornament number {i}</description>"
            f"<g:price>{price} USD</g:price><g:availability>{availability}</g:availability>"
            f"<g:image_link>https://shop.example/img/{i}.jpg</g:image_link><g:brand>Hallmark</g:brand>"
            f"<g:mpn>QX{i:05d}</g:mpn><g:custom_label_0>{year}</g:custom_label_0></item>\n")


def write_merchant_feed(path: Path, items: list[str]) -> Path:
    with open(path, "w", encoding="utf-8") as feed:
        feed.write(G_HEADER)
        feed.writelines(items)
        feed.write(G_FOOTER)
    return path


def generated_merchant_feed(path: Path, count: int, price_of=lambda i: Decimal(10) + Decimal(i % 500) / 4,
                            year_of=lambda i: 2015 + i % 8) -> Path:
    """A feed of count products, written as a stream (a 100k feed is ~40 MB)."""
    with open(path, "w", encoding="utf-8") as feed:
        feed.write(G_HEADER)
        for i in range(count):
            feed.write(merchant_item(i, f"{price_of(i):.2f}", year_of(i)))
        feed.write(G_FOOTER)
    return path


CSV_HEADER = "name,sku,description,price,currency,availability,year,image_urls,url,brand,series\n"


def generated_products_csv(path: Path, count: int, price_of=lambda i: Decimal(10) + Decimal(i % 500) / 4,
                           year_of=lambda i: 2015 + i % 8) -> Path:
    """The same products as generated_merchant_feed, as a products_csv feed."""
    with open(path, "w", encoding="utf-8", newline="") as feed:
        feed.write(CSV_HEADER)
        for i in range(count):
            feed.write(f"Keepsake Ornament Nº {i} ™,P{i:07d},Ornament number {i},${price_of(i):.2f},USD,In Stock,"
                       f"{year_of(i)},https://shop.example/img/{i}.jpg,https://shop.example/p/{i},Hallmark,\n")
    return path
