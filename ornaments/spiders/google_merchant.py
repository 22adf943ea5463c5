"""An affiliate's Google Merchant Center feed, as Google defines it: RSS 2.0 (rss/channel/item) or
Atom 1.0 (feed/entry), with the g: namespace, told apart by the document's root element.

- price is what a buyer pays today: g:sale_price while its g:sale_price_effective_date window
  ("start/end", ISO 8601) is open or absent, else g:price. regular_price is always g:price, the price
  the product has without a sale (so a sale's end is a price change, and the list price is never lost).
- Only a record's direct children count: g:shipping/g:price is a shipping cost, not the price.
- custom_label_0..4 mean whatever the merchant decided; they mean nothing here unless the run maps
  them: -a labels=custom_label_0:release_year,custom_label_1:series.
- Several g:image_link: the first is the image, the rest additional images (as are g:additional_image_link).
- Atom: <title> has no prefix, <link> holds the URL as text or as href; the Atom <id> is not the product id.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from lxml import etree
from scrapy.exceptions import UsageError

from ornaments.base_spiders.xml_feed import XmlFeedSpider, first, local_name
from ornaments.deeplinks import split_tracked
from ornaments.items import ProductItem
from ornaments.normalize import identifier, parse_year
from ornaments.prices import read_price

ATOM = "{http://www.w3.org/2005/Atom}"
LABELS = tuple(f"custom_label_{n}" for n in range(5))
LABEL_TARGETS = ("release_year", "series", "category", "brand", "sku")  # fields a label may give


class GoogleMerchantSpider(XmlFeedSpider):
    name = "google_merchant"
    default_feed = "google_merchant.xml"
    record_tags = {"rss": "item", "feed": "entry"}
    feed_format = "Google Merchant"
    price_style = "decimal_point"  # Google's spec: "15.00 USD"

    def __init__(self, *args: Any, labels: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.labels_argument = labels
        self.labels = parse_labels(labels) if labels else {}
        self.now = datetime.now(timezone.utc)  # one instant for the run: whether a sale is running

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = super().sync_arguments
        if self.labels_argument:
            arguments["labels"] = self.labels_argument
        return arguments

    def parse_node(self, node: etree._Element) -> ProductItem:
        fields = record_fields(node)
        labelled: dict[str, Any] = {}
        for label, target in self.labels.items():
            value = first(fields, label)
            if value and target == "release_year":
                value = parse_year(value)
                if value is None:
                    self.warn_record("bad_label", self.record_where,
                                     f"{label} {first(fields, label)[:40]!r} holds no year; release_year left empty")
            labelled[target] = value
        product_type = first(fields, "product_type")
        price, regular_price = self.prices(fields)
        # A network's Google-format feed (CJ "Shopping (Google format)") links through its redirector, or
        # names the tracked link in ads_redirect: the page is url, the tracked link affiliate_url.
        url, tracked = split_tracked(first(fields, "link") or atom_link(node))
        return self.product(
            where=self.record_where,
            vendor_product_id=first(fields, "id"),
            sku=labelled.get("sku") or identifier(first(fields, "mpn")) or first(fields, "id"),
            gtin=first(fields, "gtin"),
            name=first(fields, "title"),
            brand=labelled.get("brand") or first(fields, "brand"),
            description=first(fields, "description", "summary"),
            series=labelled.get("series"),
            category=labelled.get("category") or product_type,
            release_year=labelled.get("release_year") or parse_year(product_type),
            url=url,
            affiliate_url=first(fields, "ads_redirect") or tracked,
            price=price,
            regular_price=regular_price,
            availability=first(fields, "availability"),
            # The first g:image_link is the image; further ones are additional images.
            image_urls=fields.get("image_link", []) + fields.get("additional_image_link", []),
            item_group_id=first(fields, "item_group_id"),
        )

    def prices(self, fields: dict[str, list[str]]) -> tuple[str | None, str | None]:
        """(price, regular_price) as text: the sale price while its sale runs, and g:price."""
        regular = first(fields, "price")
        sale = first(fields, "sale_price")
        if not sale or not self.sale_running(first(fields, "sale_price_effective_date")):
            return regular, regular
        reading = read_price(sale, self.price_style)
        if reading.bad:
            self.warn_record("bad_price", self.record_where,
                             f"sale_price {reading.bad}; the regular price is taken as the price")
            return regular, regular
        return sale, regular

    def sale_running(self, window: str | None) -> bool:
        """Whether now is inside a "start/end" window. No window: the sale runs (Google's rule); a window
        that cannot be read is counted as a warning and treated as absent."""
        if not window:
            return True
        parts = window.split("/")
        try:
            if len(parts) != 2:
                raise ValueError("not start/end")
            start, end = (_instant(p) for p in parts)
        except ValueError:
            self.warn_record("bad_sale_window", self.record_where,
                             f"sale_price_effective_date {window[:60]!r} is not an ISO 8601 start/end; ignored")
            return True
        return (start is None or start <= self.now) and (end is None or self.now < end)


def record_fields(node: etree._Element) -> dict[str, list[str]]:
    """Direct children's texts by local name, except the Atom <id> (an entry's URI, not the product id)."""
    found: dict[str, list[str]] = {}
    for child in node:
        text = child.text
        if text and (text := text.strip()):
            tag = child.tag
            name = tag[tag.rfind("}") + 1:]
            if name == "id" and tag.startswith(ATOM):
                name = "atom_id"
            found.setdefault(name, []).append(text)
    return found


def atom_link(node: etree._Element) -> str | None:
    """An Atom entry's <link href="..."/>: the alternate (or unqualified) one."""
    for child in node:
        if isinstance(child.tag, str) and local_name(child.tag) == "link" and child.get("href"):
            if child.get("rel", "alternate") == "alternate":
                return child.get("href")
    return None


def parse_labels(argument: str) -> dict[str, str]:
    """"custom_label_0:release_year,custom_label_1:series" -> {label: field}; a UsageError when wrong."""
    labels: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in argument.split(","))):
        label, _, target = (s.strip() for s in pair.partition(":"))
        if label not in LABELS:
            raise UsageError(f"-a labels: {label!r} is not one of {', '.join(LABELS)}")
        if target not in LABEL_TARGETS:
            raise UsageError(f"-a labels: {label} cannot give {target!r}; it may give {', '.join(LABEL_TARGETS)}")
        if target in labels.values() or label in labels:
            raise UsageError(f"-a labels: {label} or {target} is named twice")
        labels[label] = target
    return labels


def _instant(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None  # an open end
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
