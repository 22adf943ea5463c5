"""The pages people look at, in real Chromium against real uvicorn (SQLite and PostgreSQL): login and logout
refuse other sites' forms, a run's changes, the products list's filters, sorting, total and pages, a
product's image, and charts with labelled axes and values. Screenshots go to the test's directory, or to
docs/screenshots/ (shown in docs/api.md) with ORNAMENTS_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from ornaments.api import auth, csrf
from ornaments.pipelines.images import full_path
from ornaments.storage.removal import RemovalScope
from ornaments.storage.schema import price_history, products
from tests.api_seed import T0, item
from tests.fixtures.api_server import start_api
from tests.browser import EVIL, enforce_csp, follow, in_browser, log_in, post_from_another_site

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path) -> Path:
    if os.environ.get("ORNAMENTS_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


@pytest.fixture
def server(store, tmp_path):
    images = tmp_path / "images"
    process, api = start_api(str(store.engine.url.render_as_string(hide_password=False)), tmp_path,
                             IMAGES_STORE=str(images))
    api.images = images
    try:
        yield api
    finally:
        process.terminate()
        process.wait(10)


def run(store, rows, removal: bool = True, vendor: str = "shop") -> int:
    run_id, started = store.start_run("test", vendor, {}, "all", None)
    if rows:
        store.write_batch(run_id, 0, rows)
    store.finish_run(run_id, "finished", "finished", {}, 0,
                     removal=RemovalScope(vendor, started) if removal else None)
    return run_id


def seed(store) -> dict[str, int]:
    """shop: 120 products, then a run with a price drop, a rise, a restock, a new and a gone product, then
    a failed run that saw nothing; other: 3 products. P1 has several price changes within one day."""
    def catalog(changes: dict[int, dict]) -> list[dict]:
        rows = []
        for i in range(120):
            values = {"price": f"{10 + i}.00", "release_year": 2019 + i % 3,
                      "availability": "out_of_stock" if i % 4 == 0 else "in_stock", **changes.get(i, {})}
            if values.get("gone"):
                continue
            rows.append(item(i, **{k: v for k, v in values.items() if k != "gone"}))
        return rows

    first = run(store, catalog({}))
    second = run(store, catalog({1: {"price": "9.00"}, 2: {"price": "15.00"}, 4: {"availability": "in_stock"},
                                 3: {"gone": True}}) + [item(500, name="Brand New Angel")])
    failed, _ = store.start_run("test", "shop", {}, "all", None)
    store.finish_run(failed, "failed", "finished", {}, 1, reasons=["the feed could not be read"])
    run(store, [item(i, vendor="other", vendor_product_id=f"O{i}") for i in range(3)], vendor="other")
    with store.engine.begin() as conn:
        product_id = conn.execute(sa.select(products.c.id).where(products.c.vendor_product_id == "P1")).scalar_one()
        conn.execute(price_history.delete().where(price_history.c.product_id == product_id))
        for at, price in ((timedelta(days=0), "20.00"), (timedelta(days=10, hours=9), "15.00"),
                          (timedelta(days=10, hours=9, minutes=30), "17.00"), (timedelta(days=10, hours=11), "16.00"),
                          (timedelta(days=20), "18.00")):
            conn.execute(price_history.insert(), {"product_id": product_id, "price": price, "currency": "USD",
                                                  "recorded_at": T0 + at, "run_id": second})
        conn.execute(products.update().where(products.c.id == product_id).values(price="18.00", regular_price="25.00"))
    return {"first": first, "second": second, "failed": failed}


def session(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE), None)


def test_login_and_logout_refuse_forms_of_other_sites(server, api_keys, store):
    base = server.url
    # Without a browser: a POST with the key but no token is refused, and so is one naming another origin.
    with httpx.Client(base_url=base) as client:
        refused = client.post("/ui/login", data={"key": api_keys["read"], "next": "/ui/runs"})
        assert refused.status_code == 403 and auth.SESSION_COOKIE not in refused.cookies
        form = client.get("/ui/login")
        token = form.text.split(f'name="{csrf.CSRF_FIELD}" value="')[1].split('"')[0]
        for headers in ({"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
            answer = client.post("/ui/login", data={"key": api_keys["read"], csrf.CSRF_FIELD: token}, headers=headers)
            assert answer.status_code == 403 and auth.SESSION_COOKIE not in answer.cookies, headers
        # A token made for another browser's nonce is refused too.
        with httpx.Client(base_url=base) as other:
            other.get("/ui/login")
            assert other.post("/ui/login", data={"key": api_keys["read"], csrf.CSRF_FIELD: token}).status_code == 403
        good = client.post("/ui/login", data={"key": api_keys["read"], csrf.CSRF_FIELD: token},
                           headers={"Origin": base})
        assert good.status_code == 303 and good.cookies.get(auth.SESSION_COOKIE)
        # Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site still tells our own form.
        proxied = client.post("/ui/login", data={"key": api_keys["read"], csrf.CSRF_FIELD: token},
                              headers={"Origin": "https://ornaments.shop.example", "Sec-Fetch-Site": "same-origin"})
        assert proxied.status_code == 303

    def check(page) -> None:
        # Another site's page posts its own key to our login: the browser is not logged in.
        post_from_another_site(page, f"{base}/ui/login", "login-csrf", {"key": api_keys["write"], "next": "/ui/runs"})
        assert "refused" in page.locator("p.error").inner_text() and session(page) is None
        page.goto(f"{base}/ui/runs")
        assert "/ui/login" in page.url

        # Our own form logs in; the log-out is a POST button: GET /ui/logout and another site's form don't.
        log_in(page, base, api_keys["read"])
        cookie = session(page)
        page.goto(f"{base}/ui/logout")
        assert session(page) == cookie and page.locator("#logout").is_visible()
        post_from_another_site(page, f"{base}/ui/logout", "logout-csrf")
        assert "refused" in page.locator("p.error").inner_text()
        assert session(page) == cookie
        page.goto(f"{base}/ui/runs")
        assert page.url == f"{base}/ui/runs"
        page.click("#logout")
        page.wait_for_url(f"{base}/ui/login")
        assert session(page) is None
        page.goto(f"{base}/ui/runs")
        assert "/ui/login" in page.url

    in_browser(check)


def test_pages_show_changes_filters_images_and_charts(server, api_keys, store, shots):
    runs = seed(store)
    base = server.url
    image = server.images / full_path("shop", "https://s.example/1.jpg")
    image.parent.mkdir(parents=True)
    shutil.copy(ROOT / "feeds" / "images" / "qxi3204.jpg", image)

    def check(page) -> None:
        violations = enforce_csp(page, base)
        log_in(page, base, api_keys["read"])
        # Runs: the failed run that saw nothing still has a bar you can see; the axes say what they show.
        bars = page.locator("section[data-vendor=shop] rect.run-bar")
        assert bars.count() == 3
        empty = bars.nth(2).bounding_box()
        assert empty["height"] >= 3 and empty["width"] >= 3
        chart = page.locator("section[data-vendor=shop] svg.runs-chart")
        assert {"items", "0", "120"} <= set(chart.locator("text").all_text_contents())
        page.screenshot(path=str(shots / "runs.png"), full_page=True)

        # A run's changes: each kind counted, each change linked to its product.
        page.click(f"section[data-vendor=shop] tr.run[data-run='{runs['second']}'] a.changes")
        page.wait_for_url(f"**/ui/runs/{runs['second']}#changes")
        kinds = {row.get_attribute("data-kind") for row in page.locator("tr.change").all()}
        assert kinds == {"created", "price_down", "price_up", "back_in_stock", "removed"}
        down = page.locator("tr.change[data-kind=price_down]")
        assert "11.00 USD → 9.00 USD" in down.inner_text()
        page.screenshot(path=str(shots / "run-changes.png"), full_page=True)
        follow(page, ".type-counts a.kind-removed")
        assert page.locator("tr.change").count() == 1
        page.click("tr.change a")
        page.wait_for_url(f"{base}/ui/products/shop/P3")
        assert page.locator("h1 .status-removed").is_visible()
        # No copy of its image here: a link to the shop's, nothing loaded from the shop's host.
        assert page.locator("#images img").count() == 0
        assert page.locator("a.shop-image").get_attribute("href") == "https://s.example/3.jpg"

        # Products: filters, sorting, the total and previous/next.
        page.goto(f"{base}/ui/products")
        assert page.locator("#total").inner_text() == "124 products"
        assert page.locator("select[name=vendor] option").all_inner_texts() == ["every vendor", "other", "shop"]
        page.select_option("select[name=vendor]", "shop")
        page.select_option("select[name=availability]", "in_stock")
        page.fill("input[name=year]", "2020")
        page.select_option("select[name=removed]", "no")
        page.select_option("select[name=sort]", "-price")
        follow(page, "form.filters button")
        # shop, live, in stock, 2020: i % 3 == 1 and i % 4 != 0 (P4 restocked is 2020 too), and P500.
        expected = [i for i in range(120) if i % 3 == 1 and (i % 4 != 0 or i == 4) and i != 3] + [500]
        assert page.locator("#total").inner_text() == f"{len(expected)} products"
        prices = [float(t.split()[0]) for t in page.locator("#products tr.product td:nth-child(5)").all_inner_texts()]
        assert prices == sorted(prices, reverse=True) and len(prices) == min(50, len(expected))
        page.screenshot(path=str(shots / "products.png"), full_page=True)
        page.goto(f"{base}/ui/products?vendor=shop&sort=price")
        assert page.locator("#prev").count() == 0
        follow(page, "#next")
        assert "51–100" in page.locator("#showing").inner_text()
        follow(page, "#next")
        assert page.locator("#next").count() == 0 and page.locator("tr.product").count() == 21
        follow(page, "#prev")
        assert "51–100" in page.locator("#showing").inner_text()

        # A product: its image (the crawls' stored copy, served by the API) and the chart, whose changes
        # within one day stand apart, each with its price and time.
        page.goto(f"{base}/ui/products/shop/P1")
        img = page.locator("#images img")
        assert img.count() == 1 and img.evaluate("i => i.complete && i.naturalWidth") == 240
        chart = page.locator("#price-chart")
        xs = [float(c.get_attribute("cx")) for c in chart.locator("circle.point").all()]
        assert len(xs) == 5 and all(b - a >= 40 for a, b in zip(xs, xs[1:]))
        texts = chart.locator("text").all_text_contents()
        assert {"15.00", "17.00", "16.00", "18.00", "20.00"} <= set(texts)
        assert "Price (USD)" in texts and any(t.startswith("Recorded (UTC)") for t in texts)
        ticks = " ".join(chart.locator("text.x-tick").all_text_contents())
        assert "09:00:00" in ticks and "09:30:00" in ticks and "11:00:00" in ticks
        assert len(chart.locator("text.y-tick").all()) >= 3
        page.screenshot(path=str(shots / "product.png"), full_page=True)
        for path in ("/ui/runs", f"/ui/runs/{runs['second']}", "/ui/products", "/ui/products/shop/P1", "/ui/login"):
            html = page.request.get(f"{base}{path}").text()  # as served (the browser may add style="" itself)
            assert " style=" not in html and "<script>" not in html and "<style" not in html, path
        assert violations == []
        assert page.locator("nav a").first.evaluate("a => getComputedStyle(a).marginRight") == "0px"  # the CSS loaded
        assert page.locator("#logout").evaluate("b => getComputedStyle(b).cursor") == "pointer"

    in_browser(check)
