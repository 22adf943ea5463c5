"""The HTTP API served by real uvicorn on SQLite and PostgreSQL: auth, products and their filters,
pagination while a sync writes, price figures, events, runs, health."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ornaments.api import models
from ornaments.storage.runs import queue_run
from ornaments.storage.schema import api_keys as api_keys_table
from ornaments.storage.schema import product_events, product_images, products
from tests.api_seed import T0, add_history, item, sync
from tests.fixtures.api_server import start_api
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.helpers import free_port, rows

# The API on SQLite, PostgreSQL and MariaDB (tests/fixtures/mariadb.py).
pytestmark = pytest.mark.three_databases


def every_page(client, **params) -> list[dict]:
    found, cursor = [], None
    while True:
        answer = client.get("/products", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        found += answer["items"]
        cursor = answer["next_cursor"]
        if cursor is None:
            return found


def test_keys_none_wrong_revoked_right_and_read_only_uploads(api_server, api_keys, store, tmp_path):
    assert api_server.client().get("/health").status_code == 200  # no key needed
    for key in (None, "orn_wrong", api_keys["revoked"]):
        answer = api_server.client(key).get("/products")
        assert (answer.status_code, answer.json()) == (401, {"error": "unauthorized"})
    assert api_server.client().get("/products", headers={"X-API-Key": "orn_wrong"}).status_code == 401
    assert api_server.client(api_keys["read"]).get("/products").status_code == 200
    used = {r.name: r.last_used_at for r in rows(api_server.database_url, sa.select(api_keys_table))}
    for _ in range(50):  # recorded in the background
        if used["website"] is not None:
            break
        time.sleep(0.1)
        used = {r.name: r.last_used_at for r in rows(api_server.database_url, sa.select(api_keys_table))}
    assert used["website"] is not None and used["old"] is None  # a revoked key is not "used"
    assert api_server.client().get("/products", headers={"X-API-Key": api_keys["write"]}).status_code == 200
    upload = api_server.client(api_keys["read"]).post("/imports", files={"file": ("p.csv", b"name,sku\nA,1\n")})
    assert upload.status_code == 403 and "read" in upload.json()["error"]
    # A key revoked with the command stops working at once.
    revoked = run_scrapy("apikeys", "revoke", "website", env=scrapy_env(DATABASE_URL=api_server.database_url))
    assert revoked.returncode == 0, revoked
    assert api_server.client(api_keys["read"]).get("/products").status_code == 401
    # Keys never reach the log, not even one sent in a query string.
    api_server.client().get("/products", params={"api_key": api_keys["write"]})
    log = api_server.log()
    assert "GET /products?api_key=… HTTP/1.1" in log
    assert all(key not in log for key in api_keys.values())
    assert api_server.client().get("/docs").status_code == 200
    assert "/products/{vendor}/{vendor_product_id}/prices" in api_server.client().get("/openapi.json").json()["paths"]


def test_product_filters_detail_and_images(api_server, api_keys, store):
    sync(store, [item(1, name="Betsey Clark 1975", release_year=1975, availability="out_of_stock"),
                 item(2, name="Snoopy 100% joy"), item(3, sku="qxr-777")])
    sync(store, [item(9, vendor="other")], vendor="other")
    with store.engine.begin() as conn:
        conn.execute(products.update().where(products.c.vendor_product_id == "P3").values(
            removed_at=T0, changed_at=T0 - timedelta(days=1)))
        conn.execute(product_images.insert(), {"vendor": "shop", "vendor_product_id": "P1", "path": "shop/full/a.jpg",
                                               "public_url": "https://cdn.example/shop/full/a.jpg", "status": "uploaded",
                                               "source_url": "https://s.example/1.jpg", "last_seen_at": T0})
    client = api_server.client(api_keys["read"])

    def ids(**params) -> list[str]:
        return [p["vendor_product_id"] for p in every_page(client, **params)]

    assert ids() == ["P1", "P2", "P3", "P9"]
    assert ids(vendor="other") == ["P9"]
    assert ids(year=1975) == ["P1"]
    assert ids(availability="out_of_stock") == ["P1"]
    assert ids(q="betsey") == ["P1"]
    assert ids(q="QXR-7") == ["P3"]  # the SKU, any case
    assert ids(q="100%") == ["P2"] and ids(q="0%") == ["P2"]  # % is text, not a wildcard
    assert ids(removed="true") == ["P3"]
    assert ids(removed="false", vendor="shop") == ["P1", "P2"]
    assert ids(changed_since=(T0 + timedelta(days=1)).isoformat()) == ["P1", "P2", "P9"]
    bad = client.get("/products", params={"year": "soon"})
    assert bad.status_code == 422 and "year" in bad.json()["error"]
    assert client.get("/products", params={"availability": "maybe"}).status_code == 400

    product = client.get("/products/shop/P1").json()
    models.ProductDetail.model_validate(product)  # the answer is what /docs says
    models.ProductPage.model_validate(client.get("/products").json())
    assert product["price"] == "10.00" and product["currency"] == "USD" and product["release_year"] == 1975
    assert product["images"] == [{"path": "shop/full/a.jpg", "public_url": "https://cdn.example/shop/full/a.jpg",
                                  "source_url": "https://s.example/1.jpg", "status": "uploaded", "size": None,
                                  "uploaded_at": None}]
    assert product["changed_at"].endswith("Z") and product["image_urls"] == ["https://s.example/1.jpg"]
    assert client.get("/products/shop/P3").json()["removed_at"] == "2026-01-01T00:00:00Z"
    missing = client.get("/products/shop/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["error"]


def test_pages_have_no_gaps_or_repeats_while_a_sync_writes(api_server, api_keys, store):
    sync(store, [item(i) for i in range(300)])
    client = api_server.client(api_keys["read"])
    writing = threading.Event()

    def write() -> None:  # updates every product (new prices) and adds new ones, batch after batch
        run_id, _ = store.start_run("test", "shop", {}, "all", None)
        for batch in range(6):
            store.write_batch(run_id, batch, [item(i, price=f"{11 + batch}.00") for i in range(batch * 50, 300)]
                              + [item(1000 + batch * 10 + j) for j in range(10)])
            writing.set()
        store.finish_run(run_id, "finished", "finished", {}, 0)

    writer = threading.Thread(target=write)
    writer.start()
    writing.wait(30)
    seen, cursor = [], None
    while True:
        page = client.get("/products", params={"limit": 20, **({"cursor": cursor} if cursor else {})}).json()
        seen += [p["vendor_product_id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    writer.join()
    assert len(seen) == len(set(seen))  # no repeats
    assert {f"P{i}" for i in range(300)} <= set(seen)  # no gaps among the products there from the start


def test_price_figures_on_known_histories(api_server, api_keys, store):
    sync(store, [item(1), item(2), item(3), item(4, price=None)])
    add_history(store, "P1", [(0, "20.00"), (10, "15.00"), (30, "25.00"), (50, "18.00")])
    add_history(store, "P2", [(0, "10.00"), (5, "8.00"), (9, "10.00")])  # A -> B -> A
    add_history(store, "P3", [(0, "12.00"), (3, None), (6, "9.00")])  # no price in between: not a reduction
    client = api_server.client(api_keys["read"])

    p1 = client.get("/products/shop/P1/prices").json()
    models.Prices.model_validate(p1)
    assert (p1["price"], p1["regular_price"], p1["percent_off"], p1["currency"]) == ("18.00", "25.00", "28.0", "EUR")
    assert p1["latest_reduction"] == {"at": "2026-02-20T00:00:00Z", "from": "25.00", "to": "18.00",
                                      "percent": "28.0", "current": True}
    # In effect during the 30 days before day 50: 15.00 (from day 10, when the window opened), then 25.00.
    assert p1["lowest_30_days_before_reduction"] == {"price": "15.00", "since": "2026-01-11T00:00:00Z",
                                                     "window_start": "2026-01-21T00:00:00Z",
                                                     "window_end": "2026-02-20T00:00:00Z"}
    assert p1["all_time_low"] == {"price": "15.00", "first_at": "2026-01-11T00:00:00Z", "last_at": "2026-01-11T00:00:00Z"}
    assert p1["all_time_high"]["price"] == "25.00" and p1["all_time_high"]["first_at"] == "2026-01-31T00:00:00Z"
    assert [h["price"] for h in p1["history"]] == ["20.00", "15.00", "25.00", "18.00"]

    p2 = client.get("/products/shop/P2/prices").json()
    assert [h["price"] for h in p2["history"]] == ["10.00", "8.00", "10.00"]
    assert p2["latest_reduction"]["to"] == "8.00" and p2["latest_reduction"]["current"] is False
    assert p2["lowest_30_days_before_reduction"]["price"] == "10.00"
    assert p2["all_time_high"] == {"price": "10.00", "first_at": "2026-01-01T00:00:00Z",
                                   "last_at": "2026-01-10T00:00:00Z"}
    assert p2["all_time_low"]["price"] == "8.00"

    p3 = client.get("/products/shop/P3/prices").json()
    assert p3["latest_reduction"] is None and p3["lowest_30_days_before_reduction"] is None
    assert [h["price"] for h in p3["history"]] == ["12.00", None, "9.00"]

    p4 = client.get("/products/shop/P4/prices").json()
    assert p4["history"] == [] and p4["price"] is None and p4["percent_off"] is None
    assert p4["all_time_low"] is None and p4["all_time_high"] is None and p4["latest_reduction"] is None


def test_events_after_a_cursor(api_server, api_keys, store):
    with store.engine.begin() as conn:
        for i, (kind, vendor) in enumerate([("created", "shop"), ("price_changed", "shop"), ("created", "other"),
                                            ("removed", "shop")]):
            conn.execute(product_events.insert(), {"type": kind, "vendor": vendor, "vendor_product_id": f"P{i}",
                                                   "occurred_at": T0 + timedelta(hours=i),
                                                   "data": json.dumps({"price": {"old": "1.00", "new": "2.00"}})})
    client = api_server.client(api_keys["read"])
    first = client.get("/events", params={"limit": 2}).json()
    models.EventPage.model_validate(first)
    assert [e["type"] for e in first["events"]] == ["created", "price_changed"] and first["more"] is True
    assert first["events"][1]["data"] == {"price": {"old": "1.00", "new": "2.00"}}
    assert first["events"][0]["occurred_at"] == "2026-01-01T00:00:00Z"
    rest = client.get("/events", params={"after": first["next_after"]}).json()
    assert [e["vendor_product_id"] for e in rest["events"]] == ["P2", "P3"] and rest["more"] is False
    assert client.get("/events", params={"after": rest["next_after"]}).json() == {
        "events": [], "next_after": rest["next_after"], "more": False}
    assert [e["type"] for e in client.get("/events", params={"vendor": "shop", "types": "removed,created"}).json()[
        "events"]] == ["created", "removed"]
    assert client.get("/events", params={"types": "exploded"}).status_code == 400


def test_runs_and_health(api_server, api_keys, store):
    first = sync(store, [item(1), item(2)])
    running, _ = store.start_run("test", "other", {"year": 2020}, "year", 2020)
    client = api_server.client(api_keys["read"])
    runs = client.get("/runs").json()["runs"]
    assert [(r["id"], r["vendor"], r["status"]) for r in runs] == [(running, "other", "running"),
                                                                    (first, "shop", "finished")]
    run = client.get(f"/runs/{first}").json()
    models.RunDetail.model_validate(run)
    models.RunPage.model_validate(client.get("/runs").json())
    assert run["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "removed": 0, "dropped": 0, "seen": 2, "errors": 0}
    assert run["duration_seconds"] >= 0 and run["finished_at"].endswith("Z") and run["held_back_removals"] == 0
    assert client.get("/runs", params={"vendor": "shop"}).json()["runs"][0]["id"] == first
    assert client.get("/runs/999999").status_code == 404
    health = api_server.client().get("/health").json()
    models.Health.model_validate(health)
    assert health["status"] == "ok" and health["schema"]["up_to_date"] is True
    assert {v["vendor"]: (v["run_id"], v["status"]) for v in health["vendors"]} == {
        "other": (running, "running"), "shop": (first, "finished")}
    assert all(v["age_seconds"] >= 0 for v in health["vendors"])
    with store.engine.begin() as conn:  # a queued run (an upload) shows as queued
        queued = queue_run(conn, "products_csv", "products_csv", {})
    assert client.get(f"/runs/{queued}").json()["status"] == "queued"


def test_a_database_that_is_away_gets_503_not_a_hang(tmp_path):
    process, server = start_api(f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/gone", tmp_path)
    try:
        health = server.client().get("/health")
        assert health.status_code == 503 and health.json()["status"] == "down"
        assert health.json()["database"] == "unreachable" and "127.0.0.1" not in health.text
        answer = server.client("orn_any").get("/products")  # the key check needs the database too
        assert answer.status_code == 503 and answer.json() == {"error": "the database is unreachable; try again later"}
    finally:
        process.terminate()
        process.wait(10)


def test_health_of_a_database_without_tables_says_the_schema_is_behind(sqlite_url, tmp_path):
    process, server = start_api(sqlite_url, tmp_path)  # nothing created it: `scrapy db upgrade` not run
    try:
        health = server.client().get("/health")
        assert health.status_code == 200 and health.json()["status"] == "degraded"
        assert health.json()["database"] == "reachable" and health.json()["schema"]["current"] is None
    finally:
        process.terminate()
        process.wait(10)
