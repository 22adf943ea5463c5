"""The catalogue over HTTP (issue 23): /items search, filters and best-price order, /items/{id} with
every shop's offer, best price per currency, lowest ever, in stock at N of M and each shop's history;
the review queue (/matches) and watches (POST /watches), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from ornaments.api import csrf
from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore
from tests.test_catalogue_review import item_of, listing

pytestmark = pytest.mark.three_databases  # the API on MariaDB too


def seed(url: str) -> CatalogStore:
    store = CatalogStore(url, retry=RetryPolicy(attempts=3, backoff=0.05), match_catalogue=True)
    store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series", sku="QX7654", price="30.00"),
                                listing("shop_a", "A2", "Snow Buddies", sku="QX1111", price="12.00", year=2020)])
    store.write_batch(None, 0, [listing("shop_b", "B1", "Frosty Friends #42", sku="1QX7654-1", price="22.00",
                                        availability="out_of_stock"),
                                listing("shop_b", "B3", "2021 Frosty Friends 42nd Ornament", sku="B-77", price="21.00")])
    store.write_batch(None, 0, [listing("shop_c", "C1", "Frosty Friends", sku="QX 7654", price="28.00")])
    store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series", sku="QX7654", price="26.00")])
    gbp = listing("shop_uk", "U1", "Frosty Friends", sku="QX7654", price="19.00")
    store.write_batch(None, 0, [{**gbp, "currency": "GBP"}])
    return store


def test_items_search_filter_sort_and_one_item(api_server, api_keys):
    store = seed(api_server.database_url)
    client = api_server.client(api_keys["read"])
    frosty = item_of(store, "shop_a", "A1")
    found = client.get("/items", params={"q": "qx 7654"}).json()["items"]
    assert [i["id"] for i in found] == [frosty]
    assert found[0]["best_prices"] == {"GBP": "19.00", "USD": "26.00"}  # per currency, never converted
    assert found[0]["in_stock"] == {"shops": 3, "offers": 4}  # B3 is only proposed
    assert [i["name"] for i in client.get("/items", params={"year": 2020}).json()["items"]] == ["Snow Buddies"]
    # words in any order, a year among them is the release year; a number in another spelling
    words = [i["name"] for i in client.get("/items", params={"q": "friends, FROSTY 2021"}).json()["items"]]
    assert words == ["Frosty Friends 42nd in Series", "2021 Frosty Friends 42nd Ornament"]  # B3: its own item
    assert client.get("/items", params={"q": "frosty friends 2020"}).json()["items"] == []
    assert [i["name"] for i in client.get("/items", params={"q": "snow 2020"}).json()["items"]] == ["Snow Buddies"]
    assert [i["id"] for i in client.get("/items", params={"q": "1QX7654-1 frosty"}).json()["items"]] == [frosty]
    by_price = client.get("/items", params={"sort": "best_price", "currency": "USD", "limit": 1}).json()
    assert by_price["items"][0]["name"] == "Snow Buddies" and by_price["next_cursor"]
    more = client.get("/items", params={"sort": "best_price", "currency": "USD", "cursor": by_price["next_cursor"]})
    # B3 (no number, only proposed) is an item of its own until a person accepts it
    assert [(i["best_price"]["price"], i["id"] == frosty) for i in more.json()["items"]] == [("21.00", False),
                                                                                        ("26.00", True)]
    assert client.get("/items", params={"sort": "best_price"}).status_code == 400  # which currency?
    # Frosty's offers are mostly in USD; its one GBP offer still puts it in the GBP list, at its GBP price
    in_gbp = client.get("/items", params={"sort": "best_price", "currency": "gbp"}).json()["items"]
    assert [(i["id"], i["best_price"]) for i in in_gbp] == [(frosty, {"price": "19.00", "currency": "GBP"})]
    assert [i["id"] for i in client.get("/items", params={"currency": "GBP"}).json()["items"]] == [frosty]
    assert client.get("/items", params={"sort": "best_price", "currency": "EUR"}).json()["items"] == []
    one = client.get(f"/items/{frosty}").json()
    assert one["item_number"] == "QX7654" and one["in_stock_at"] == {"shops": 3, "of": 4}
    offers = {(o["vendor"], o["price"], o["currency"], o["in_stock"]) for o in one["offers"]}
    assert offers == {("shop_a", "26.00", "USD", True), ("shop_b", "22.00", "USD", False),
                      ("shop_c", "28.00", "USD", True), ("shop_uk", "19.00", "GBP", True)}
    assert one["lowest_ever"]["USD"]["price"] == "22.00" and one["lowest_ever"]["USD"]["vendor"] == "shop_b"
    shop_a = next(h for h in one["history"] if h["vendor"] == "shop_a")
    assert [p["price"] for p in shop_a["points"]] == ["30.00", "26.00"]
    assert client.get("/items/999999").status_code == 404
    store.close()


def test_review_and_watches_over_http(api_server, api_keys):
    store = seed(api_server.database_url)
    reader, writer = api_server.client(api_keys["read"]), api_server.client(api_keys["write"])
    queue = reader.get("/matches").json()["items"]
    assert [(p["listing"]["vendor_product_id"], p["item"]["item_number"]) for p in queue] == [("B3", "QX7654")]
    assert reader.post(f"/matches/{queue[0]['id']}/accept").status_code == 403  # a read key decides nothing
    done = writer.post(f"/matches/{queue[0]['id']}/accept")
    assert done.status_code == 200 and done.json()["item_id"] == item_of(store, "shop_a", "A1")
    assert writer.post(f"/matches/{queue[0]['id']}/accept").status_code == 409
    frosty = item_of(store, "shop_a", "A1")
    watch = writer.post("/watches", json={"item_id": frosty, "reference": "user-42",
                                          "condition": {"kind": "price_at_or_below", "currency": "usd", "price": "20"}})
    assert watch.status_code == 201, watch.text
    assert watch.json()["holding"] is False and watch.json()["price"] == "20.00"  # best now: 21.00 (B3)
    store.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series", sku="QX7654", price="19.00")])
    assert reader.get(f"/watches/{watch.json()['id']}").json()["triggered"] == 1
    bad = writer.post("/watches", json={"item_id": frosty, "condition": {"kind": "price_drop", "currency": "USD",
                                                                         "percent": "abc"}})
    assert bad.status_code == 422 and "percent" in bad.text
    missing = writer.post("/watches", json={"item_id": 999999, "condition": {"kind": "back_in_stock"}})
    assert missing.status_code == 404
    assert writer.delete(f"/watches/{watch.json()['id']}").json()["cancelled"] is True
    store.close()


def test_item_page_and_review_queue_page(api_server, api_keys):
    store = seed(api_server.database_url)
    store.write_batch(None, 0, [listing("shop_c", "C9", "<script>alert(1)</script> Frosty", sku="QX7654", price="27.00")])
    client = api_server.client()
    token = client.get("/ui/login").text.split(f'name="{csrf.CSRF_FIELD}" value="')[1].split('"')[0]
    login = client.post("/ui/login", data={"key": api_keys["read"], csrf.CSRF_FIELD: token},
                        headers={"Origin": str(client.base_url).rstrip("/")})
    assert login.status_code == 303
    frosty = item_of(store, "shop_a", "A1")
    item = client.get(f"/ui/items/{frosty}")
    assert item.status_code == 200
    html = item.text
    assert "In stock at <strong>3 of 4</strong>" in html  # shop_b is sold out and "26.00 USD" in html and "19.00 GBP" in html
    assert html.count("<polyline") == 5  # one line per shop's listing, on the USD and GBP charts
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html  # autoescaped
    queue = client.get("/ui/matches")
    assert queue.status_code == 200 and "B3" in queue.text and "names" in queue.text and "QX7654" in queue.text
    assert api_server.client().get(f"/ui/items/{frosty}", follow_redirects=False).status_code == 303  # log in first
    store.close()
