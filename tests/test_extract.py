"""Structured data: schema.org Product in JSON-LD (through extruct) and JS object literals such as _3d_item."""

from __future__ import annotations

import pytest

from ornaments.extract import (BrokenData, breadcrumb_names, js_object, jsonld_product, product_fields_from_3d_item,
                               product_fields_from_jsonld, schema_org)


def page(*scripts: str) -> str:
    blocks = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<html><head>{blocks}</head><body><h1>x</h1></body></html>"


BREADCRUMBS = '{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}'
PRODUCT = """{"@context": "https://schema.org/", "@type": "Product", "name": "Café Snow Globe™", "sku": "QXI6731",
  "productID": "1050", "gtin13": "0763795123456", "brand": {"@type": "Brand", "name": "Hallmark"},
  "releaseDate": "2020-07-11", "image": ["/a.jpg", {"@type": "ImageObject", "url": "/b.jpg"}],
  "offers": {"@type": "Offer", "price": "1299.95", "priceCurrency": "USD",
             "availability": "https://schema.org/OutOfStock", "url": "https://shop.example/cafe/"}}"""


def test_the_product_is_found_among_other_json_ld():
    product = jsonld_product(page(BREADCRUMBS, PRODUCT), "https://shop.example/cafe/")
    assert product["name"] == "Café Snow Globe™"


def test_product_fields():
    fields = product_fields_from_jsonld(jsonld_product(page(PRODUCT)))
    assert fields == {"vendor_product_id": "1050", "sku": "QXI6731", "gtin": "0763795123456", "name": "Café Snow Globe™",
                      "brand": "Hallmark", "price": "1299.95", "currency": "USD",
                      "availability": "https://schema.org/OutOfStock", "url": "https://shop.example/cafe/",
                      "release_year": 2020, "image_urls": ["/a.jpg", "/b.jpg"]}


def test_product_inside_a_graph_with_several_offers():
    graph = ('{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {"@type": ["Product"], '
             '"name": "Elsa", "mpn": "QXD6129", "offers": [{"@type": "Offer", "priceSpecification": '
             '{"price": 16.99, "priceCurrency": "USD"}}, {"@type": "Offer", "price": "99"}]}]}')
    fields = product_fields_from_jsonld(jsonld_product(page(graph)))
    assert (fields["name"], fields["sku"], fields["price"], fields["currency"]) == ("Elsa", "QXD6129", "16.99", "USD")


def test_no_product_and_broken_json_ld():
    assert jsonld_product(page(BREADCRUMBS)) is None
    assert jsonld_product("<html><body>nothing</body></html>") is None
    with pytest.raises(BrokenData):
        jsonld_product(page('{"@type": "Product", "name": "Cut off", "offers": {"price": "3'))


def test_3d_item_is_read_without_running_it():
    html = """<script>
    // 3dcart
    var _3d_item = {
        catalogid: 25615, id: 'QX1571', name: "1975 Betsey Clark (Adorable) \\u2122", price: 28.95,
        availability: 0, currency: "USD", tags: ['a', "b",], note: 'it\\'s', alert: "alert(1)" /* data */
    };
    window.alert('never executed');
    </script>"""
    item = js_object(html, "_3d_item")
    assert item == {"catalogid": 25615, "id": "QX1571", "name": "1975 Betsey Clark (Adorable) ™", "price": 28.95,
                    "availability": 0, "currency": "USD", "tags": ["a", "b"], "note": "it's", "alert": "alert(1)"}
    assert product_fields_from_3d_item(item) == {
        "vendor_product_id": "25615", "sku": "QX1571", "name": "1975 Betsey Clark (Adorable) ™", "price": "28.95",
        "currency": "USD", "availability": "0"}


def test_3d_item_missing_or_broken():
    assert js_object("<script>var other = {a: 1};</script>", "_3d_item") is None
    for broken in ("var _3d_item = {catalogid: 1, price: ;", "var _3d_item = {catalogid: 1, name: 'cut",
                   "var _3d_item = {a: 1"):
        with pytest.raises(BrokenData):
            js_object(f"<script>{broken}</script>", "_3d_item")


def test_offers_list_and_aggregate_offer():
    listed = ('{"@type": "Product", "name": "A", "offers": [{"@type": "Offer", "availability": "https://schema.org/InStock"},'
              ' {"@type": "Offer", "price": "9.50", "priceCurrency": "USD", "availability": "https://schema.org/InStock"},'
              ' {"@type": "Offer", "price": "99"}]}')
    fields = product_fields_from_jsonld(jsonld_product(page(listed)))
    assert (fields["price"], fields["currency"], fields["availability"]) == ("9.50", "USD", "https://schema.org/InStock")
    aggregate = ('{"@type": "Product", "name": "B", "offers": {"@type": "AggregateOffer", "lowPrice": 12, "highPrice": 30,'
                 ' "priceCurrency": "EUR", "offers": [{"@type": "Offer", "price": 30, "availability": "https://schema.org/OutOfStock"}]}}')
    fields = product_fields_from_jsonld(jsonld_product(page(aggregate)))
    # The aggregate's own lowPrice and currency; what it lacks (availability) from its first priced offer.
    assert (fields["price"], fields["currency"], fields["availability"]) == ("12", "EUR", "https://schema.org/OutOfStock")
    only_offers = '{"@type": "Product", "name": "C", "offers": {"@type": "AggregateOffer", "offers": [{"price": "5", "priceCurrency": "USD"}]}}'
    assert product_fields_from_jsonld(jsonld_product(page(only_offers)))["price"] == "5"


def test_microdata_product_when_there_is_no_json_ld():
    html = """<html><body><div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Elsa</h1>
    <span itemprop="sku">QXD6129</span><div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="price" content="16.99">$16.99</span><meta itemprop="priceCurrency" content="USD">
    <link itemprop="availability" href="https://schema.org/InStock"></div></div></body></html>"""
    fields = product_fields_from_jsonld(jsonld_product(html, "https://shop.example/elsa"))
    assert (fields["name"], fields["sku"], fields["price"], fields["currency"], fields["availability"]) == (
        "Elsa", "QXD6129", "16.99", "USD", "https://schema.org/InStock")


def test_breadcrumb_names_in_position_order():
    crumbs = ('{"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 2, "item": '
              '{"@id": "/2021/", "name": "2021 Hallmark Ornaments"}}, {"@type": "ListItem", "position": 1, "name": "Home"}]}')
    assert breadcrumb_names(schema_org(page(crumbs))) == ["Home", "2021 Hallmark Ornaments"]
