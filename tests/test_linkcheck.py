"""scrapy crawl linkcheck against replicas on loopback of a network's redirector (127.0.0.1) and a
merchant's shop (localhost): every way a link stops earning is told apart and recorded in link_checks,
link_broken / link_fixed go through the outbox, and a vendor with too many dead links is an ERROR."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from urllib.parse import quote

import sqlalchemy as sa

from ornaments.storage import CatalogStore
from ornaments.storage.schema import link_checks, product_events
from tests.api_seed import item, sync
from tests.fixtures.crawl import run_scrapy, scrapy_env


def page(price: str, availability: str = "InStock", title: str = "Ornament") -> str:
    data = {"@context": "https://schema.org", "@type": "Product", "name": title,
            "offers": {"@type": "Offer", "price": price, "priceCurrency": "USD",
                       "availability": f"https://schema.org/{availability}"}}
    return (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script></head>"
            f"<body><h1>{title}</h1></body></html>")


HTML = {"Content-Type": "text/html; charset=utf-8"}


def replicas(json_api):
    network, shop = json_api(), json_api()
    shop_url = f"http://localhost:{shop.server_address[1]}"
    state = {"gone": set()}

    def redirector(call):  # /cread.php?awinmid=<merchant>&ued=<page>: the merchant's page with a click id
        if call.query.get("awinmid") == "999":  # the merchant left the programme
            return 302, b"", {"Location": "/programme-closed"}
        target = call.query["ued"]
        return 302, b"", {"Location": target + ("&" if "?" in target else "?") + "awc=1234_abc"}

    network.route("GET", "/cread.php", redirector)
    # The replicas answer HEAD with 501 (no do_HEAD), so every hop also shows the GET fallback.
    network.route("GET", "/programme-closed", lambda call: (200, "<html>This programme is closed</html>", HTML))

    def product_page(call):
        key = call.path.rsplit("/", 1)[-1]
        if key in state["gone"] or key == "P4":
            return 404, "<html>Not found</html>", HTML
        if key == "P2":  # drops the query string (and so the click id) on a canonical redirect
            return (301, b"", {"Location": "/p/P2-canonical"})
        if key == "P5":  # a soft 404: the product is gone, the shop sends buyers home
            return 302, b"", {"Location": "/"}
        if key == "P7":
            return 302, b"", {"Location": "/p/P7b"}
        if key == "P7b":
            return 302, b"", {"Location": "/p/P7"}
        if key == "P8":
            time.sleep(3)
        price = {"P6": "15.00"}.get(key, "10.00")
        availability = "OutOfStock" if key == "P9" else "InStock"
        return 200, page(price, availability, f"Ornament {key}"), HTML

    shop.route("GET", "/p/*", product_page)
    shop.route("GET", "/", lambda call: (200, "<html>Welcome to the shop</html>", HTML))
    return network, shop, shop_url, state


def seed(sqlite_url, network, shop_url, keys):
    store = CatalogStore(sqlite_url)
    store.create_tables()
    rows = []
    for n, key in enumerate(keys, 1):
        merchant = "999" if key == "P3" else "111"
        page_url = f"{shop_url}/p/{key}"
        rows.append(item(n, vendor="outlet", url=page_url, vendor_product_id=key,
                         affiliate_url=f"{network.url}/cread.php?awinmid={merchant}&awinaffid=1&ued={quote(page_url, safe='')}"))
    sync(store, rows, vendor="outlet")
    store.close()


def linkcheck(sqlite_url, network, *args, **env):
    extra = [a for pair in (("-a", a) for a in args) for a in pair]
    return run_scrapy("crawl", "linkcheck", *extra, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                      env=scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_LINKCHECK_TIMEOUT="1",
                                     ORNAMENTS_LINKCHECK_NETWORK_HOSTS=f"127.0.0.1:{network.server_address[1]}", **env))


def checks(sqlite_url):
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(link_checks).order_by(link_checks.c.id)).all()
        events = conn.execute(sa.select(product_events.c.type, product_events.c.vendor_product_id)
                              .where(product_events.c.type.like("link_%")).order_by(product_events.c.id)).all()
    engine.dispose()
    return rows, events


def test_every_way_a_link_stops_earning_is_told_apart(json_api, sqlite_url, webhook_receiver):
    network, shop, shop_url, state = replicas(json_api)
    keys = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"]
    seed(sqlite_url, network, shop_url, keys)
    result = linkcheck(sqlite_url, network, ORNAMENTS_ALERT_WEBHOOK=webhook_receiver.url)
    rows, events = checks(sqlite_url)
    by_key = {}
    for r in rows:
        key = next(k for k in keys if f"%2Fp%2F{k}" in r.link)
        by_key[key] = r
    outcome = {k: r.outcome for k, r in by_key.items()}
    assert outcome == {"P1": "ok", "P2": "broken", "P3": "redirected-away", "P4": "broken", "P5": "redirected-away",
                       "P6": "price-mismatch", "P7": "broken", "P8": "broken", "P9": "out-of-stock-mismatch"}, result
    ok = by_key["P1"]
    assert ok.tracking_kept and ok.lands_on_product and ok.status == 200 and ok.final_url.endswith("/p/P1?awc=1234_abc")
    assert [s for s, _ in json.loads(ok.chain)] == [302, 200]
    assert by_key["P2"].tracking_kept is False and "tracking was dropped" in by_key["P2"].detail
    assert by_key["P3"].final_url.endswith("/programme-closed")
    assert by_key["P4"].status == 404
    assert "home or search page" in by_key["P5"].detail
    assert by_key["P6"].page_price == Decimal("15.00")
    assert "redirect loop" in by_key["P7"].detail
    assert "no answer" in by_key["P8"].detail
    assert by_key["P9"].page_availability == "out_of_stock"
    assert sorted(k for t, k in events if t == "link_broken") == ["P2", "P3", "P4", "P5", "P7", "P8"]
    assert "Links of outlet: 6 of 9 checked do not earn" in result.log  # above the 20% alert share
    (alert,) = [body for _, _, body in webhook_receiver.received]
    assert "links of outlet: 6 of 9 checked do not earn" in json.dumps(alert), alert


def test_a_link_that_works_again_sends_link_fixed_and_a_sample_bounds_the_run(json_api, sqlite_url):
    network, shop, shop_url, state = replicas(json_api)
    seed(sqlite_url, network, shop_url, ["P1", "P10"])
    state["gone"].add("P10")
    linkcheck(sqlite_url, network)
    state["gone"].clear()
    result = linkcheck(sqlite_url, network, "vendor=outlet")
    rows, events = checks(sqlite_url)
    assert events == [("link_broken", "P10"), ("link_fixed", "P10")], result
    before = len(rows)
    linkcheck(sqlite_url, network, "sample=1")
    rows, _ = checks(sqlite_url)
    assert len(rows) == before + 1  # one product per vendor


def test_wrong_arguments_are_one_line(sqlite_url):
    result = run_scrapy("crawl", "linkcheck", "-a", "sample=lots", env=scrapy_env(DATABASE_URL=sqlite_url))
    assert result.returncode == 2 and "-a sample must be a number" in result.log and "Traceback" not in result.log


def test_the_api_shows_each_vendors_and_products_link_health(api_server, api_keys, store):
    from ornaments.api import models
    from ornaments.storage.link_checks import LinkCheck, LinkChecks

    sync(store, [item(1, vendor="outlet", vendor_product_id="P1"), item(2, vendor="outlet", vendor_product_id="P2")],
         vendor="outlet")
    with store.engine.connect() as conn:
        ids = dict(conn.execute(sa.text("SELECT vendor_product_id, id FROM products")).all())
    checks = LinkChecks(store.engine.url.render_as_string(hide_password=False))
    checks.record(LinkCheck(ids["P1"], "outlet", "P1", "https://n.example/c?p=1", "ok", 200, "https://s.example/1?awc=1",
                            [(302, "https://n.example/c?p=1"), (200, "https://s.example/1?awc=1")], True, True,
                            Decimal("10.00"), "in_stock"))
    assert checks.record(LinkCheck(ids["P2"], "outlet", "P2", "https://n.example/c?p=2", "broken", 404,
                                   "https://s.example/2", [], False, True, detail="the chain ends in HTTP 404")) == "link_broken"
    checks.close()
    client = api_server.client(api_keys["read"])
    assert api_server.client().get("/links/health").status_code == 401  # a read key is needed
    health = client.get("/links/health").json()
    models.LinkHealthPage.model_validate(health)
    assert health["vendors"] == [{"vendor": "outlet", "checked": 2, "ok": 1, "broken": 1, "redirected-away": 0,
                                  "price-mismatch": 0, "out-of-stock-mismatch": 0, "broken_share": 0.5}]
    page = client.get("/links/checks", params={"vendor": "outlet", "vendor_product_id": "P1"}).json()
    models.LinkCheckPage.model_validate(page)
    (p1,) = page["items"]
    assert (p1["outcome"], p1["page_price"], p1["tracking_kept"], p1["chain"][0]) == ("ok", "10.00", True, [302, "https://n.example/c?p=1"])
    html = client.get("/ui/links").text
    assert '<tr id="links-outlet"><td>outlet</td><td>2</td><td>1</td><td>1</td>' in html and "50%" in html
    assert "the chain ends in HTTP 404" in html and "/ui/products/outlet/P2" in html
    assert '<span id="link-health">link broken: the chain ends in HTTP 404</span>' in client.get("/ui/products/outlet/P2").text
    events = client.get("/events", params={"types": "link_broken"}).json()
    assert [(e["type"], e["vendor_product_id"]) for e in events["events"]] == [("link_broken", "P2")]
