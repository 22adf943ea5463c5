"""The pages' Jinja2 templates (ornaments.api.templating): each compiles, a value a page forgets is an
error rather than an empty string, and what a shop or a feed wrote (names, ids, URLs, reasons) is shown as
text on real uvicorn: parsed as a browser would, every hostile string comes back exactly, and no page
holds an element or attribute it brought."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError
from lxml import html as lxml_html

from ornaments.api.templating import environment, render
from tests.api_seed import item, sync

NAME = '<script>alert("name")</script> & \'quoted\''
VENDOR = 'v<&>"'
PRODUCT_ID = 'id<"&>'
URL = 'https://s.example/p?a=1&b="><img src=x onerror=alert(1)>'
IMAGE = 'https://s.example/i.jpg?"><script>alert(2)</script>'
REASON = "<b onmouseover=alert(3)>feed broke</b> & more"


def test_every_template_compiles_and_a_missing_value_is_an_error():
    names = environment.list_templates()
    assert {"base.html", "_macros.html", "login.html", "runs/list.html", "products/product.html"} <= set(names)
    for name in names:
        environment.get_template(name)  # a syntax error raises here
    assert {"title", "content", "scripts"} <= set(environment.get_template("base.html").blocks)
    with pytest.raises(UndefinedError, match="detail"):
        render("not_found.html", signed=False, csrf_field="f", csrf_token="t")
    page = render("not_found.html", signed=True, csrf_field="csrf_token", csrf_token='"><x>', detail="<gone>")
    assert "<p>&lt;gone&gt;</p>" in page and 'value="&#34;&gt;&lt;x&gt;"' in page  # the log-out form's token too


def parsed(client, path: str):
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    tree = lxml_html.fromstring(answer.text)
    for brought in ("//script", "//img[@onerror]", "//*[@onmouseover]"):
        assert tree.xpath(brought) == [], (path, brought)
    return tree


def test_pages_show_hostile_values_as_text(api_server, api_keys, store):
    sync(store, [item(1, vendor=VENDOR, vendor_product_id=PRODUCT_ID, name=NAME, sku="<i>sku</i>", url=URL,
                      image_urls=[IMAGE])], vendor=VENDOR)
    failed, _ = store.start_run("test", VENDOR, {"feed": "<x>"}, "all", None)
    store.finish_run(failed, "failed", "finished", {}, 1, reasons=[REASON])
    client = api_server.client(api_keys["read"])

    runs = parsed(client, "/ui/runs")
    section = runs.xpath("//section[@class='vendor']")[0]
    assert section.get("data-vendor") == VENDOR and section.xpath("h2")[0].text == f"{VENDOR} "
    assert REASON in section.text_content()

    run = parsed(client, f"/ui/runs/{failed}")
    assert run.xpath("//ul[@id='reasons']/li")[0].text == REASON
    assert "feed=<x>" in run.xpath("//p[@class='muted']")[0].text

    first = parsed(client, f"/ui/runs/{failed - 1}")
    link = first.xpath("//tr[@class='change']//a")[0]
    assert link.text == NAME
    assert client.get(link.get("href")).status_code == 200  # the quoted vendor and id lead to the product

    listing = parsed(client, "/ui/products?q=%3Cscript")
    assert listing.xpath("//input[@name='q']")[0].get("value") == "<script"
    assert [a.text for a in listing.xpath("//tr[@class='product']//a")] == [NAME]
    assert VENDOR in [o.get("value") for o in listing.xpath("//select[@name='vendor']/option")]

    product = parsed(client, link.get("href"))
    assert product.xpath("//h1")[0].text == NAME and product.xpath("//title")[0].text == f"{NAME} · ornaments"
    assert product.xpath("//a[text()='at the shop']")[0].get("href") == URL
    assert product.xpath("//a[@class='shop-image']")[0].get("href") == IMAGE

    login = parsed(client, "/ui/login?next=/ui/runs%22%3E%3Cscript%3E")
    assert login.xpath("//input[@name='next']")[0].get("value") == '/ui/runs"><script>'
