"""The offers_api spider against a replica of the offers service on 127.0.0.1, polled again and again."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from ornaments.retry import RetryPolicy
from ornaments.scheduling.schedule import load_schedule
from ornaments.spiders.offers_api import OffersApiSpider
from ornaments.storage import CatalogStore, product_row
from ornaments.storage.offers import offers_row, write_offers
from ornaments.storage.schema import offer_history, offers, products
from tests.api_replicas import OffersService
from tests.fixtures.replica_sites import FAST, sync_runs
from tests.helpers import rows

KEY = "refresh-key-7f3a9c"  # the secret; the service's access tokens are derived from it


def seed_products(database_url: str, count: int = 2) -> list[int]:
    """Products of ours (as a shop sync stored them); their ids are what the service knows."""
    store = CatalogStore(database_url, retry=RetryPolicy(attempts=2, backoff=0.05))
    try:
        store.create_tables()
        store.write_batch(None, 0, [product_row({"vendor": "shop", "vendor_product_id": f"P{n}",
                                                 "name": f"Ornament {n}", "price": Decimal("10.00"), "currency": "USD"})
                                    for n in range(1, count + 1)])
    finally:
        store.close()
    return [r.id for r in rows(database_url, sa.select(products.c.id).order_by(products.c.id))]


def poll(crawl, service, *args, key: str = KEY):
    return crawl("offers_api", "-a", f"base_url={service.api.url}", "-a", "currency=USD", *FAST, *args,
                 env={"ORNAMENTS_OFFERS_API_KEY": key} if key else {})


def stored_offers(database_url: str) -> dict[str, tuple]:
    found = rows(database_url, sa.select(offers).order_by(offers.c.id))
    return {r.offer_id: (Decimal(str(r.price)) if r.price is not None else None, r.currency, r.items_in_stock,
                         r.changed_at, r.removed_at) for r in found}


def history(database_url: str) -> list[tuple]:
    query = sa.select(offers.c.offer_id, offer_history.c.price, offer_history.c.items_in_stock).join(
        offers, offers.c.id == offer_history.c.offer_row_id).order_by(offer_history.c.id)
    return [(o, None if p is None else Decimal(str(p)), s) for o, p, s in rows(database_url, query)]


def test_offers_keep_their_price_and_stock_history_over_repeated_polls(crawl, database_url, json_api):
    first, second = seed_products(database_url)
    service = OffersService(json_api(), KEY)
    service.registered[str(first)] = {"id": str(first)}
    service.offers[str(first)] = [{"id": "o1", "price": 1999, "items_in_stock": 5},
                                  {"id": "o2", "price": "24.50", "items_in_stock": 0}]

    result = poll(crawl, service)
    assert result.returncode == 0, result
    assert str(second) in service.registered  # unknown to the service: registered, then asked again
    assert service.registered[str(second)]["name"] == "Ornament 2"
    after_first = stored_offers(database_url)
    assert {k: v[:3] for k, v in after_first.items()} == {"o1": (Decimal("1999.00"), "USD", 5),
                                                          "o2": (Decimal("24.50"), "USD", 0)}
    assert history(database_url) == [("o1", Decimal("1999.00"), 5), ("o2", Decimal("24.50"), 0)]
    assert sync_runs(database_url)[-1]["status"] == "finished"

    # Nothing changed at the service: nothing is written.
    result = poll(crawl, service)
    assert result.returncode == 0, result
    assert stored_offers(database_url) == after_first
    assert len(history(database_url)) == 2
    assert json.loads(sync_runs(database_url)[-1]["stats"])["ornaments/offers/unchanged"] == 2
    registrations = [c for c in service.api.calls if c.path == "/products/register"]
    assert len(registrations) == 1  # the second poll found both products registered

    # A price changes, a stock changes, a new offer appears.
    service.offers[str(first)] = [{"id": "o1", "price": 1899, "items_in_stock": 5},
                                  {"id": "o2", "price": "24.50", "items_in_stock": 3}]
    service.offers[str(second)] = [{"id": "o3", "price": 5, "items_in_stock": 1}]
    assert poll(crawl, service).returncode == 0
    # The two products' offers are fetched concurrently: their rows may land in either order.
    assert sorted(history(database_url)[2:]) == [("o1", Decimal("1899.00"), 5), ("o2", Decimal("24.50"), 3),
                                                 ("o3", Decimal("5.00"), 1)]
    after_third = stored_offers(database_url)
    assert after_third["o1"][3] > after_first["o1"][3]  # changed_at moved

    # An offer gone from the list is removed (a history row without price and stock); it comes back later.
    service.offers[str(first)] = [{"id": "o1", "price": 1899, "items_in_stock": 5}]
    assert poll(crawl, service).returncode == 0
    gone = stored_offers(database_url)
    assert gone["o2"][4] is not None and gone["o1"] == after_third["o1"] and gone["o3"] == after_third["o3"]
    assert history(database_url)[5:] == [("o2", None, None)]
    service.offers[str(first)].append({"id": "o2", "price": "24.50", "items_in_stock": 3})
    assert poll(crawl, service).returncode == 0
    assert stored_offers(database_url)["o2"][4] is None
    assert history(database_url)[6:] == [("o2", Decimal("24.50"), 3)]


def test_the_key_and_the_token_never_reach_the_log_or_the_run_record(sqlite_crawl, sqlite_url, json_api):
    (only,) = seed_products(sqlite_url, 1)
    service = OffersService(json_api(), KEY)
    service.registered[str(only)] = {"id": str(only)}
    service.offers[str(only)] = [{"id": "o1", "price": 10, "items_in_stock": 1}]
    result = poll(sqlite_crawl, service, "-s", "LOG_LEVEL=DEBUG")
    assert result.returncode == 0, result
    (token,) = service.tokens
    offers_call = next(c for c in service.api.calls if c.path.endswith("/offers"))
    assert offers_call.headers["authorization"] == f"Bearer {token}"  # the token was used...
    run = sync_runs(sqlite_url)[-1]
    for secret in (KEY, token, KEY[::-1]):  # ...and is nowhere to be read
        assert secret not in result.log
        assert secret not in (run["stats"] or "") and secret not in run["arguments"]
        assert secret not in json.dumps(run["details"])

    wrong = poll(sqlite_crawl, service, key="not-the-key")
    assert wrong.returncode == 4, wrong
    assert "refused the credentials in ORNAMENTS_OFFERS_API_KEY" in wrong.log and "not-the-key" not in wrong.log
    missing = poll(sqlite_crawl, service, key="")
    assert missing.returncode == 4 and "ORNAMENTS_OFFERS_API_KEY" in missing.log
    assert len(history(sqlite_url)) == 1  # neither run touched the offers


def test_a_product_whose_offers_fail_keeps_them_and_the_run_is_incomplete(sqlite_crawl, sqlite_url, json_api):
    first, second = seed_products(sqlite_url)
    service = OffersService(json_api(), KEY)
    for pid in (first, second):
        service.registered[str(pid)] = {"id": str(pid)}
        service.offers[str(pid)] = [{"id": f"o{pid}", "price": 10, "items_in_stock": 1}]
    assert poll(sqlite_crawl, service).returncode == 0
    service.offers[str(first)], service.offers[str(second)] = [], []
    handler = service.product_offers
    service.api.route("GET", "/products/*",
                      lambda c: (503, b"") if c.path == f"/products/{first}/offers" else handler(c))
    service.api.once("GET", f"/products/{second}/offers", 429, {"detail": "slow down"}, {"Retry-After": "1"})
    result = poll(sqlite_crawl, service, "-s", "RETRY_TIMES=1")
    assert result.returncode == 4, result
    stored = stored_offers(sqlite_url)
    assert stored[f"o{first}"][4] is None  # its product could not be asked: its offer stays
    assert stored[f"o{second}"][4] is not None  # the service answered (after the 429): no offers now
    calls = [c for c in service.api.calls if c.path == f"/products/{second}/offers"]
    assert calls[-1].at - calls[-2].at >= 1  # Retry-After was honoured


def test_offers_can_be_polled_every_30_seconds_from_the_packaged_schedule():
    (entry,) = [e for e in load_schedule() if e.spider == "offers_api"]
    start = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    first = entry.next_slot(start)
    assert (first, entry.next_slot(first)) == (start + timedelta(seconds=30), start + timedelta(seconds=60))
    assert entry.args == {"currency": "USD"} and not entry.enabled  # switched on once the service is set


def test_offers_skip_the_product_pipelines_and_the_per_run_export():
    settings = {**get_project_settings().copy_to_dict(), "FEEDS": {"exports/%(name)s.jsonl": {"format": "jsonlines"}}}
    crawler = get_crawler(OffersApiSpider, settings)
    assert crawler.settings.getdict("FEEDS") == {}
    assert list(crawler.settings.getdict("ITEM_PIPELINES")) == ["ornaments.pipelines.store.StorePipeline"]
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 8


def test_an_offer_field_that_cannot_be_read_keeps_its_stored_value(store, database_url):
    (pid,) = seed_products(database_url, 1)
    spider = OffersApiSpider.from_crawler(get_crawler(OffersApiSpider), currency="USD")
    product = {"id": pid}
    read = [spider.offer(r, product, n) for n, r in enumerate([
        {"id": "o1", "price": "12,5", "items_in_stock": 3}, {"id": "o2", "price": 4, "items_in_stock": -1},
        {"id": "o3", "price": True, "items_in_stock": "many"}, {"id": "o4", "price": None, "items_in_stock": 0}])]
    assert [o["keep"] for o in read] == [["price"], ["items_in_stock"], ["price", "items_in_stock"], []]
    assert spider.crawler.stats.get_value("ornaments/warnings/bad_price") == 2
    assert spider.offer({"price": 3}, product, 5) is None and spider.incomplete_reasons == ["offer 5 of product %d "
                                                                                              "has no id" % pid]

    def write(*listed):
        return write_offers(store.engine, None, [offers_row({"source": "svc", "product_id": pid, "offers": listed})],
                            RetryPolicy(attempts=1))

    first = write({"offer_id": "o1", "price": Decimal("10.00"), "currency": "USD", "items_in_stock": 2})
    assert (first.new, first.history_rows) == (1, 1)
    kept = write({"offer_id": "o1", "price": None, "currency": None, "items_in_stock": 3, "keep": ["price"]})
    assert (kept.changed, kept.history_rows) == (1, 1)
    assert stored_offers(database_url)["o1"][:3] == (Decimal("10.00"), "USD", 3)  # the price stayed
    same = write({"offer_id": "o1", "price": None, "currency": None, "items_in_stock": None,
                  "keep": ["price", "items_in_stock"]})
    assert (same.unchanged, same.history_rows) == (1, 0)
    assert history(database_url) == [("o1", Decimal("10.00"), 2), ("o1", Decimal("10.00"), 3)]


def test_an_expired_token_is_renewed_and_the_request_sent_again(sqlite_crawl, sqlite_url, json_api):
    ids = seed_products(sqlite_url, 60)
    # Every token expires after 20 requests (more than are in flight at once, as a token living minutes is).
    service = OffersService(json_api(), KEY, max_uses=20)
    for pid in ids:
        service.registered[str(pid)] = {"id": str(pid)}
        service.offers[str(pid)] = [{"id": f"o{pid}", "price": 10, "items_in_stock": 1}]
    result = poll(sqlite_crawl, service)
    assert result.returncode == 0, result
    assert len(stored_offers(sqlite_url)) == 60
    renewals = json.loads(sync_runs(sqlite_url)[-1]["stats"])["ornaments/api/auth_renewals"]
    assert renewals >= 2 and len([c for c in service.api.calls if c.path == "/auth"]) == 1 + renewals
    assert all(token not in result.log for token in service.tokens)

    # A service that refuses every token it issues: renewals are bounded, and the run is incomplete.
    service.max_uses = 0
    result = poll(sqlite_crawl, service)
    assert result.returncode == 4, result
    assert len([c for c in service.api.calls if c.path == "/auth"]) - (1 + renewals) <= 1 + 10
