"""The cases of a second, discarded implementation of issue 24's link health, run against ours: scrapy crawl
linkcheck against a network's click redirector and a merchant on 127.0.0.1 (tests/fixtures/link_replica.py),
each case's outcome, chain and detail in link_checks, link_broken once and link_fixed when the link is back."""

from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage import CatalogStore
from ornaments.storage.schema import link_checks, product_events, products
from tests.api_seed import item, sync
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.fixtures.link_replica import CLICK_ID, click_url, link_replica  # noqa: F401  (a fixture)

VENDOR = "replica_shop"
# path on the merchant -> (our outcome, words of its detail)
CASES = {
    "/p/ok": ("ok", ""),
    "/p/nohead": ("ok", ""),  # HEAD answered 405: asked again with GET
    "/p/drop": ("broken", "tracking was dropped"),  # the merchant's own redirect loses the click id
    "/p/gone": ("broken", "HTTP 404"),
    "/p/old": ("redirected-away", "home or search page"),  # a soft 404 to the home page
    "/p/discontinued": ("broken", "not available"),
    "/p/pricey": ("price-mismatch", "29.99"),
    "/p/sold-out": ("out-of-stock-mismatch", "out_of_stock"),
    "/loop/a": ("broken", "redirect loop"),
    "/hops/1": ("broken", "more than 10 redirects"),
    "/p/slow": ("broken", "no answer"),
    "/p/nolocation": ("broken", "without a Location"),
    "/private/x": ("ok", "robots.txt"),  # never read: judged on the chain that reached it
}
NOT_EARNING = {"broken", "redirected-away"}
LOCAL = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_ENABLED=0")


def seed(sqlite_url: str, redirector, merchant) -> None:
    rows = [item(n, vendor=VENDOR, price="24.99", vendor_product_id=path, url=merchant.url + path,
                 affiliate_url=click_url(redirector, merchant.url + path)) for n, path in enumerate(CASES, 1)]
    # The merchant left the programme: the network answers its own landing page.
    rows.append(item(90, vendor=VENDOR, price="24.99", vendor_product_id="left", url=merchant.url + "/p/left",
                     affiliate_url=f"{redirector.url}/click?mid=left"))
    # A click page that moves on with a meta refresh instead of a 3xx.
    rows.append(item(91, vendor=VENDOR, price="24.99", vendor_product_id="refresh", url=merchant.url + "/p/r",
                     affiliate_url=click_url(redirector, merchant.url + "/p/r") + "&via=refresh"))
    # One that moves on only after ten minutes: no buyer waits for it, the click stays on the network's page.
    rows.append(item(92, vendor=VENDOR, price="24.99", vendor_product_id="late-refresh", url=merchant.url + "/p/lr",
                     affiliate_url=click_url(redirector, merchant.url + "/p/lr") + "&via=late-refresh"))
    store = CatalogStore(sqlite_url)
    store.create_tables()
    sync(store, rows, vendor=VENDOR)
    store.close()


def linkcheck(sqlite_url: str, redirector, *args: str):
    extra = [word for a in args for word in ("-a", a)]
    return run_scrapy("crawl", "linkcheck", *extra, *LOCAL, timeout=120, env=scrapy_env(
        DATABASE_URL=sqlite_url, ORNAMENTS_LINKCHECK_TIMEOUT="2",
        ORNAMENTS_LINKCHECK_NETWORK_HOSTS=redirector.url.removeprefix("http://")))


def latest(sqlite_url: str) -> tuple[dict[str, sa.Row], list[tuple[str, str]]]:
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(link_checks, products.c.vendor_product_id)
                            .join(products, products.c.id == link_checks.c.product_id).order_by(link_checks.c.id)).all()
        events = conn.execute(sa.select(product_events.c.type, product_events.c.vendor_product_id)
                              .where(product_events.c.type.like("link_%")).order_by(product_events.c.id)).all()
    engine.dispose()
    return {r.vendor_product_id: r for r in rows}, [tuple(e) for e in events]  # a product's later check wins


def test_every_case_is_told_apart_and_events_are_written_once(sqlite_url, link_replica):  # noqa: F811
    redirector, merchant = link_replica
    seed(sqlite_url, redirector, merchant)
    result = linkcheck(sqlite_url, redirector)
    assert result.returncode == 0, result.log[-3000:]
    checks, events = latest(sqlite_url)
    assert set(checks) == set(CASES) | {"left", "refresh", "late-refresh"}
    for path, (outcome, words) in CASES.items():
        assert (checks[path].outcome, words in checks[path].detail) == (outcome, True), (path, checks[path].detail)

    ok = checks["/p/ok"]
    assert [s for s, _ in json.loads(ok.chain)] == [302, 200]
    assert ok.final_url == f"{merchant.url}/p/ok?awc={CLICK_ID}" and ok.status == 200
    assert ok.lands_on_product is True and ok.tracking_kept is True
    assert (ok.page_price, ok.page_availability) == (Decimal("24.99"), "in_stock")
    assert ("HEAD", "/p/nohead") in merchant.requests and ("GET", "/p/nohead") in merchant.requests
    assert checks["/p/nohead"].lands_on_product is True
    assert checks["/p/drop"].tracking_kept is False and checks["/p/drop"].final_url == merchant.url + "/p/drop-new"
    assert checks["/p/gone"].status == 404
    assert checks["/p/pricey"].page_price == Decimal("29.99")
    assert checks["/p/sold-out"].page_availability == "out_of_stock"
    assert len(json.loads(checks["/hops/1"].chain)) == 10  # ORNAMENTS_LINKCHECK_MAX_HOPS
    assert checks["/p/slow"].status is None
    assert checks["/p/nolocation"].status == 302

    left = checks["left"]
    assert left.outcome == "redirected-away" and left.final_url == redirector.url + "/advertiser-left", left.detail
    refresh = checks["refresh"]
    assert (refresh.outcome, refresh.tracking_kept, refresh.lands_on_product) == ("ok", True, True), refresh.detail
    assert refresh.final_url == f"{merchant.url}/p/r?awc={CLICK_ID}"
    assert json.loads(refresh.chain)[-1] == [200, refresh.final_url]
    assert checks["late-refresh"].outcome == "redirected-away" and not any(p == "/p/lr" for _, p in merchant.requests)

    # robots.txt of the merchant forbids /private/: never asked for; the chain reached it with the click id,
    # but whether the page is the product is not known. The redirector's robots.txt is not asked for.
    private = checks["/private/x"]
    assert not [p for _, p in merchant.requests if p.startswith("/private/")], merchant.requests
    assert (private.status, private.lands_on_product, private.tracking_kept) == (None, None, True)
    assert not any(p == "/robots.txt" for _, p in redirector.requests)

    not_earning = sorted(p for p, (outcome, _) in CASES.items() if outcome in NOT_EARNING) + ["left", "late-refresh"]
    assert sorted(k for t, k in events if t == "link_broken") == sorted(not_earning) and len(events) == len(not_earning)

    # Nothing changed: no new event. Then the gone product is back: link_fixed, once.
    assert linkcheck(sqlite_url, redirector).returncode == 0
    assert len(latest(sqlite_url)[1]) == len(not_earning)
    merchant.revived.add("/p/gone")
    assert linkcheck(sqlite_url, redirector, f"url={merchant.url}/p/gone").returncode == 0
    checks, events = latest(sqlite_url)
    assert events[len(not_earning):] == [("link_fixed", "/p/gone")] and checks["/p/gone"].outcome == "ok"


def test_a_robots_forbidden_page_reached_without_the_click_id_is_broken(sqlite_url, link_replica):  # noqa: F811
    """What the chain shows before robots.txt stops it is judged: here the click id was not passed on."""
    redirector, merchant = link_replica
    store = CatalogStore(sqlite_url)
    store.create_tables()
    # A link template whose ued= the redirector does not know: the merchant's URL is asked directly, no awc.
    sync(store, [item(1, vendor=VENDOR, vendor_product_id="direct", url=merchant.url + "/private/y",
                      affiliate_url=f"{redirector.url}/click?mid=left&x=1")], vendor=VENDOR)
    store.close()
    # Only the redirection to the forbidden page differs from the left-programme case: point it there.
    merchant_private = merchant.url + "/private/y"
    redirector.route = lambda method, path, query, _old=redirector.route: (
        (302, [("Location", merchant_private)], "") if path == "/click" else _old(method, path, query))
    assert linkcheck(sqlite_url, redirector).returncode == 0
    checks, events = latest(sqlite_url)
    assert checks["direct"].outcome == "broken" and checks["direct"].tracking_kept is False, checks["direct"].detail
    assert not [p for _, p in merchant.requests if p.startswith("/private/")]
    assert events == [("link_broken", "direct")]


def test_every_request_waiting_for_robots_txt_obeys_it(sqlite_url, link_replica):  # noqa: F811
    """Six forbidden pages asked at once while the merchant's robots.txt loads: none is fetched (Scrapy 2.19's
    own middleware let all but the first waiter through; ornaments.scrapy_compat.RobotsTxtMiddleware)."""
    redirector, merchant = link_replica
    store = CatalogStore(sqlite_url)
    store.create_tables()
    sync(store, [item(n, vendor=VENDOR, vendor_product_id=f"x{n}", url=f"{merchant.url}/private/{n}",
                      affiliate_url=f"{merchant.url}/private/{n}") for n in range(6)], vendor=VENDOR)
    store.close()
    result = linkcheck(sqlite_url, redirector)
    assert result.returncode == 0, result.log[-3000:]
    assert merchant.requests == [("GET", "/robots.txt")]
    checks, _ = latest(sqlite_url)
    assert {c.outcome for c in checks.values()} == {"ok"} and len(checks) == 6
    assert all("robots.txt" in c.detail and c.lands_on_product is None for c in checks.values())


def test_wrong_arguments_are_one_line_and_exit_2(sqlite_url):
    CatalogStore(sqlite_url).create_tables()
    for argument, words in (("sample=0", "-a sample must be"), ("sample=", "-a sample"),
                            ("vendors=x", "takes no -a vendors"),
                            ("vendor=no_such_shop", "no live product with a link for -a vendor=no_such_shop")):
        result = run_scrapy("crawl", "linkcheck", "-a", argument, env=scrapy_env(DATABASE_URL=sqlite_url))
        assert result.returncode == 2 and words in result.log and "Traceback" not in result.log, (argument, result.log)
    words = "ORNAMENTS_LINKCHECK_ALERT_SHARE must be from 0 to 1, not"
    for how in ({"env": scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_LINKCHECK_ALERT_SHARE="10")},
                {"env": scrapy_env(DATABASE_URL=sqlite_url), "extra": ("-s", "ORNAMENTS_LINKCHECK_ALERT_SHARE=10")}):
        result = run_scrapy("crawl", "linkcheck", *how.get("extra", ()), env=how["env"])
        assert result.returncode == 2 and words in result.log and "Traceback" not in result.log, result.log[-2000:]


def test_an_empty_page_is_judged_not_a_crash():
    from ornaments.base_spiders.networks.landing import classify
    link = "https://www.awin1.com/cread.php?awinmid=1&ued=https%3A%2F%2Fshop.example%2Fp%2F1"
    landing = classify(link, "https://shop.example/p/1", "https://shop.example/p/1?awc=1", 200, " \n",
                       Decimal("10.00"), "in_stock")
    assert (landing.outcome, landing.lands_on_product, landing.tracking_kept) == ("ok", None, True)
