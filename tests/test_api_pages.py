"""The pages in a real browser: Chromium (Playwright) logs in with a key, sees the runs page and a
product's price chart and figures. Screenshots go to the test's directory, or to docs/ (shown in
docs/api.md) with ORNAMENTS_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from ornaments.api import auth
from ornaments.api.keys import revoke_key
from ornaments.storage.schema import sync_runs
from tests.api_seed import add_history, item, sync
from tests.browser import enforce_csp, follow, in_browser, log_in
from tests.feedgen import generated_products_csv

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: docs/ only when asked, so a test run leaves the checkout clean."""
    return DOCS if os.environ.get("ORNAMENTS_UPDATE_SCREENSHOTS") == "1" else tmp_path


def seed_runs(store) -> None:
    """shop: five good runs, then a collapse the guard caught (suspect); other: a failed run."""
    for seen in (200, 205, 210, 208, 212):
        sync(store, [item(i) for i in range(3)])
        with store.engine.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(sync_runs.c.id))).scalar()
            conn.execute(sync_runs.update().where(sync_runs.c.id == last).values(items_seen=seen))
    collapse, _ = store.start_run("test", "shop", {}, "all", None)
    store.finish_run(collapse, "suspect", "finished", {}, 0, reasons=["would remove 190 of 212 products"])
    with store.engine.begin() as conn:
        conn.execute(sync_runs.update().where(sync_runs.c.id == collapse).values(items_seen=12, held_back_removals=190))
    failed, _ = store.start_run("test", "other", {}, "all", None)
    store.finish_run(failed, "failed", "finished", {}, 1, reasons=["the database could not be reached"])


def test_pages_in_chromium(api_server, api_keys, store, shots):
    seed_runs(store)
    add_history(store, "P1", [(0, "20.00"), (10, "15.00"), (30, "25.00"), (50, "18.00")])
    add_history(store, "P2", [])  # a product without a price
    base = api_server.url

    def check(page) -> None:
        # Not logged in: the login form; a wrong key is refused.
        page.goto(f"{base}/ui/runs")
        assert "/ui/login" in page.url
        page.fill("input[name=key]", "orn_not-a-key")
        follow(page, "button[type=submit]")
        assert page.locator(".error").is_visible()
        page.fill("input[name=key]", api_keys["read"])
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/ui/runs")
        cookie = next(c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE)
        assert cookie["httpOnly"] is True and api_keys["read"] not in cookie["value"]
        assert page.evaluate("document.cookie") == ""  # scripts cannot read the session

        # The runs page: one section per vendor, a bar per run coloured by status, the collapse low and amber.
        assert page.locator("section.vendor").count() == 2
        bars = page.locator("section[data-vendor=shop] rect.run-bar")
        assert bars.count() == 6
        last = bars.nth(5)
        assert last.get_attribute("data-status") == "suspect" and last.get_attribute("fill") == "#f9a825"
        assert float(last.get_attribute("height")) < float(bars.nth(4).get_attribute("height")) / 10
        failed_badge = page.locator("section[data-vendor=other] tr.run .status-failed")
        assert failed_badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
        assert "would remove 190 of 212 products" in page.locator("section[data-vendor=shop]").inner_text()
        page.screenshot(path=str(shots / "api-runs-page.png"), full_page=True)
        page.click("section[data-vendor=shop] tr.run >> nth=0 >> a")  # a run's own page
        page.wait_for_url("**/ui/runs/*")
        assert page.locator("#status").inner_text() == "suspect" and page.locator("#held-back").inner_text() == "190"
        with page.expect_navigation():  # its JSON opens with the login cookie
            page.click("text=as JSON")
        assert '"status":"suspect"' in page.locator("body").inner_text().replace(" ", "")
        # ...but the cookie never uploads: another site's form could post it.
        upload = page.request.post(f"{base}/imports", multipart={
            "file": {"name": "p.csv", "mimeType": "text/csv", "buffer": b"name,sku\nA,1\n"}})
        assert upload.status == 401

        # A product, found by its SKU on the products page: the price chart (a step line and a point per
        # price) and the figures.
        page.goto(f"{base}/ui/products")
        page.fill("input[name=q]", "qx0001")
        follow(page, "form.filters button")
        assert page.locator("tr.product").count() == 1
        page.click("tr.product a")
        page.wait_for_url(f"{base}/ui/products/shop/P1")
        chart = page.locator("#price-chart")
        assert chart.is_visible() and chart.locator("circle.point").count() == 4
        assert chart.locator("path.price-line").get_attribute("d").count("H") == 4
        assert page.locator("#price").inner_text() == "18.00 EUR"
        assert page.locator("#regular-price").inner_text() == "25.00 EUR"
        assert page.locator("#percent-off").inner_text() == "28.0 %"
        assert page.locator("#lowest-30").inner_text().startswith("15.00 EUR")
        assert page.locator("#all-time-low").inner_text().startswith("15.00 EUR")
        assert page.locator("#all-time-high").inner_text().startswith("25.00 EUR")
        assert "25.00 → 18.00 EUR" in page.locator("#latest-reduction").inner_text()
        page.screenshot(path=str(shots / "api-product-page.png"), full_page=True)

        # A product that never had a price says so instead of drawing a chart.
        page.goto(f"{base}/ui/products/shop/P2")
        assert page.locator("#price-chart").text_content() == "No price recorded yet"
        assert page.locator("#price").inner_text() == "—" and page.locator("#all-time-low").inner_text() == "—"

        # Revoking the key ends its login.
        with store.engine.begin() as conn:
            revoke_key(conn, "website")
        page.goto(f"{base}/ui/runs")
        assert "/ui/login" in page.url

    in_browser(check)


@pytest.mark.api_env(ORNAMENTS_BATCH_SIZE="500", ORNAMENTS_BATCH_SECONDS="0.5")
def test_a_running_upload_shows_live_progress_in_chromium(api_server, api_keys, tmp_path, shots):
    feed = generated_products_csv(tmp_path / "catalog.csv", 20_000)  # a run of a few seconds
    base = api_server.url

    def check(page) -> None:  # the live progress runs under a strict policy too
        violations = enforce_csp(page, base)
        log_in(page, base, api_keys["read"])  # before the upload starts, so the page opens while it runs
        answer = api_server.client(api_keys["write"]).post("/imports",
                                                            files={"file": ("catalog.csv", feed.read_bytes())})
        run_id = answer.json()["run_id"]
        page.goto(f"{base}/ui/runs/{run_id}")
        assert page.locator("#status").inner_text() in ("queued", "running")  # opened while it runs
        assert page.locator("progress#bar").count() == 1
        # Figures arrive while it runs: products stored, and the bar moves.
        page.wait_for_function("""() => {
            const stored = document.getElementById("stored"), bar = document.getElementById("bar");
            return stored && Number(stored.textContent) > 0 && bar.value > 0
                && document.getElementById("status").textContent === "running";
        }""", timeout=60_000)
        assert page.locator("#status").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 101, 192)"
        page.screenshot(path=str(shots / "api-run-progress.png"))
        # The page follows the stream and reloads with the final record once the run has ended.
        page.wait_for_selector("#status.status-partial", timeout=90_000)  # an upload is partial unless declared full
        page.wait_for_selector("#count-new:text-is('20000')", timeout=30_000)
        assert page.locator("progress#bar").count() == 0  # an ended run has no live section
        assert violations == []

    in_browser(check)
