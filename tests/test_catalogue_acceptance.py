"""Acceptance of issue 23 the way its users exercise it: `scrapy crawl` of the shop replicas (copies a test
edits, as the shops change their pages) into PostgreSQL, the webhook dispatcher delivering item events to
a real receiver, watches made over the real API, and the API's answers after each change: a price drop,
a shop selling out (the last shop in stock), a shop that stops selling it (removed) and comes back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import sqlalchemy as sa
from standardwebhooks import Webhook

from ornaments.storage.schema import catalog_items, products, sync_runs
from ornaments.webhooks import endpoints
from ornaments.webhooks.dispatcher import Dispatcher
from ornaments.webhooks.signing import SecretBox
from tests.fixtures.api_server import start_api
from tests.fixtures.replica_sites import copy_site
from tests.helpers import login_form, rows
from tests.test_webhooks import KEY, drain, fast_config

TYPES = "item_best_price_changed,item_stock_changed,watch_triggered"
MICKEY = "QXD6352"  # sold by hookedonhallmark (19.99, pre-order) and ornament_shop (21.99, pre-order)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_card(shop: Path, product_id: str) -> None:
    """ornament_shop stops selling a product: its card leaves the category pages, its page answers 404."""
    for page in (shop / "2021-hallmark-ornaments").iterdir():
        text = page.read_text(encoding="utf-8")
        cut = re.sub(rf'<li class="product">\s*<article class="card" data-test="card-{product_id}".*?</li>\n', "", text,
                     flags=re.S)
        page.write_text(cut, encoding="utf-8")


def brief(event: dict) -> tuple:
    d = event["data"]
    if event["type"] == "item_best_price_changed":
        return event["type"], d["old"].get("USD"), d["new"].get("USD")
    if event["type"] == "item_stock_changed":
        return event["type"], d["old_shops_in_stock"], d["shops_in_stock"], d["last_shop_in_stock"]
    return event["type"], d["reference"], d["price"]


def test_crawls_move_offers_best_price_stock_and_watches_to_a_webhook(replica_site, replica_crawl, pg_url, tmp_path,
                                                                      webhook_receiver):
    hook, shop = copy_site("hookedonhallmark", tmp_path / "sites"), copy_site("ornament_shop", tmp_path / "sites")
    servers = {"hookedonhallmark": replica_site("hookedonhallmark", hook), "ornament_shop": replica_site("ornament_shop", shop)}

    def crawl(vendor: str) -> None:
        result = replica_crawl(vendor, servers[vendor])
        assert result.returncode == 0, result

    for vendor in servers:
        crawl(vendor)
    engine = sa.create_engine(pg_url)
    endpoint_id, secret = endpoints.add(engine, SecretBox(KEY), webhook_receiver.url, types=TYPES)  # from now on
    (item,) = [r.id for r in rows(pg_url, sa.select(catalog_items.c.id).where(catalog_items.c.item_number == MICKEY))]
    (tmp_path / "api").mkdir()
    process, api = start_api(pg_url, tmp_path / "api")
    try:
        from ornaments.api.keys import create_key
        with engine.begin() as conn:
            _, writer = create_key(conn, "site", write=True, source="site")
        client = api.client(writer)

        def watch(reference: str, condition: dict) -> dict:
            made = client.post("/watches", json={"item_id": item, "reference": reference, "condition": condition})
            assert made.status_code == 201, made.text
            return made.json()

        at_18 = watch("list-18", {"kind": "price_at_or_below", "currency": "USD", "price": "18.00"})
        drop = watch("drop-10", {"kind": "price_drop", "currency": "USD", "percent": "10"})
        back = watch("back", {"kind": "back_in_stock"})
        assert (at_18["holding"], drop["baseline"], back["holding"]) == (False, "19.99", True)

        page = hook / "mickeys-merry-christmas-2021.html"
        edit(page, "$19.99", "$17.50")  # a drop under 18 and 10 % under 19.99: both watches cross
        crawl("hookedonhallmark")
        crawl("hookedonhallmark")  # nothing changed: no event, the watches hold and stay quiet
        edit(page, 'id="availability">Pre-order<', 'id="availability">Out of Stock<')
        crawl("hookedonhallmark")  # one shop left in stock: the collector's signal
        drop_card(shop, "1123")
        moved = shop.parent / "mickey-page"
        shutil.move(shop / "mickeys-merry-christmas-2021", moved)
        crawl("ornament_shop")  # the shop stops selling it: a clean run marks it removed
        one = client.get(f"/items/{item}").json()
        assert one["in_stock_at"] == {"shops": 0, "of": 1} and one["best_prices"] == {}
        assert {(o["vendor"], o["removed"]) for o in one["offers"]} == {("hookedonhallmark", False), ("ornament_shop", True)}
        assert one["lowest_ever"]["USD"] == {**one["lowest_ever"]["USD"], "price": "17.50", "vendor": "hookedonhallmark"}
        assert item not in [i["id"] for i in client.get("/items", params={"in_stock": "true"}).json()["items"]]
        shutil.rmtree(shop)
        shutil.copytree(Path(__file__).parent / "sites" / "ornament_shop", shop)  # back on sale, as it was
        crawl("ornament_shop")
        assert client.get(f"/watches/{back['id']}").json()["triggered"] == 1
        assert client.get(f"/watches/{at_18['id']}").json()["triggered"] == 1  # once per crossing
        browser = api.client()
        assert browser.post("/ui/login", data=login_form(browser, writer, f"/ui/items/{item}"),
                            headers={"Origin": api.url}).status_code == 303
        html = browser.get(f"/ui/items/{item}").text
        assert "In stock at <strong>1 of 2</strong>" in html
        assert html.count("<svg") == 1 and html.count("<polyline") == 2  # one chart, a line for each shop
    finally:
        process.terminate()
        process.wait(10)
    removed = rows(pg_url, sa.select(sync_runs.c.items_removed).where(sync_runs.c.vendor == "ornament_shop").order_by(sync_runs.c.id))
    assert [r.items_removed for r in removed] == [0, 1, 0]
    assert rows(pg_url, sa.select(products.c.removed_at).where(products.c.vendor == "ornament_shop",
                                                               products.c.sku == MICKEY)) == [(None,)]

    expected = [("item_best_price_changed", "19.99", "17.50"), ("watch_triggered", "list-18", "17.50"),
                ("watch_triggered", "drop-10", "17.50"),
                ("item_best_price_changed", "17.50", "21.99"), ("item_stock_changed", 2, 1, True),
                ("item_best_price_changed", "21.99", None), ("item_stock_changed", 1, 0, False),
                ("item_best_price_changed", None, "21.99"), ("item_stock_changed", 0, 1, True),
                ("watch_triggered", "back", None)]
    dispatcher = Dispatcher(fast_config(pg_url), engine)
    verifier = Webhook(secret)

    def events() -> list[dict]:
        found = {}
        for headers, body in webhook_receiver.deliveries:
            for event in verifier.verify(body, headers)["data"]["events"]:
                found[event["id"]] = event
        return [found[i] for i in sorted(found)]
    drain(dispatcher, lambda: len(events()) >= len(expected))
    dispatcher.close(dispose_engine=False)
    engine.dispose()
    got = events()
    assert [brief(e) for e in got] == expected
    assert {(e["vendor"], e["vendor_product_id"]) for e in got} == {("catalogue", str(item))}


def test_a_persons_decisions_survive_re_crawls_that_change_the_listings(replica_site, replica_crawl, pg_url, tmp_path):
    """`scrapy matches accept` and `split` on crawled listings; the shops rename them and change the number
    on the page; the next crawls leave what the person decided as it was."""
    from tests.fixtures.crawl import run_scrapy, scrapy_env
    from ornaments.storage.schema import item_listings

    hook, ho = copy_site("hookedonhallmark", tmp_path / "sites"), copy_site("hallmark_ornaments", tmp_path / "sites")
    servers = {"hookedonhallmark": replica_site("hookedonhallmark", hook), "hallmark_ornaments": replica_site("hallmark_ornaments", ho)}
    for vendor, server in servers.items():
        assert replica_crawl(vendor, server).returncode == 0

    def links() -> dict[tuple[str, str], tuple[int, str]]:
        query = sa.select(products.c.vendor, products.c.vendor_product_id, item_listings.c.item_id,
                          item_listings.c.state).join(item_listings, item_listings.c.product_id == products.c.id)
        return {(r.vendor, r.vendor_product_id): (r.item_id, r.state) for r in rows(pg_url, query)}

    env = scrapy_env(DATABASE_URL=pg_url)
    listed = run_scrapy("matches", "list", env=env)
    assert listed.returncode == 0 and "KC2021" in listed.log, listed.log
    proposal = int(listed.log.split("#", 1)[1].split()[0])
    accepted = run_scrapy("matches", "accept", str(proposal), env=env)
    assert accepted.returncode == 0, accepted.log
    before = links()
    mickey = before[("hallmark_ornaments", "26101")]
    assert before[("hookedonhallmark", "4101")] == mickey  # QXD6352 at both shops, one item
    (pid,) = [r.id for r in rows(pg_url, sa.select(products.c.id).where(products.c.vendor == "hallmark_ornaments",
                                                                         products.c.vendor_product_id == "26101"))]
    split = run_scrapy("matches", "split", str(pid), env=env)
    assert split.returncode == 0, split.log
    decided = links()
    assert decided[("hallmark_ornaments", "26102")] == (decided[("hookedonhallmark", "4103")][0], "confirmed")
    assert decided[("hallmark_ornaments", "26101")][0] != mickey[0]
    # The shops rename the collection and re-spell the Mickey's number: the machine must not undo either.
    edit(ho / "product.asp?itemid=26102", "2021 Complete Keepsake Collection (127 Ornaments)",
         "Keepsake Collection 2021 - all 127")
    edit(ho / "product.asp?itemid=26101", 'itemprop="sku">QXD6352<', 'itemprop="sku">1QXD6352-1<')
    for vendor, server in servers.items():
        assert replica_crawl(vendor, server).returncode == 0
    assert links() == decided
    again = run_scrapy("matches", "accept", str(proposal), env=env)
    assert again.returncode != 0 and "already accepted" in again.log and "Traceback" not in again.log
