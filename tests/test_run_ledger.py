"""The run ledger and its checks, without a crawl."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from ornaments.middlewares import FailureAccounting
from ornaments.runs import RunFacts, RunLedger, decide, run_checks
from ornaments.runs.record import clean_stats, settings_secrets
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from ornaments.storage.removal import guard_reason
from tests.helpers import removal_policy


def facts(ledger: RunLedger | None = None, reason: str = "finished", mode: str = "all", stats=None, **kwargs):
    ledger = ledger or RunLedger()
    return RunFacts(reason, mode, stats or {}, ledger, ledger.incompleteness(), **kwargs)


def items(ledger: RunLedger, count: int, **values) -> None:
    for _ in range(count):
        ledger.count_item({"price": 1, "sku": "S", "release_year": 2020, "image_urls": ["x"], **values})


def test_a_clean_run_is_finished_without_reasons():
    ledger = RunLedger()
    items(ledger, 10)
    assert decide(run_checks(facts(ledger))) == ("finished", [])
    assert decide(run_checks(facts(ledger, mode="url")))[0] == "partial"


def test_spider_methods_and_failure_accounting_report_to_one_ledger():
    crawler = get_crawler(GoogleMerchantSpider)
    spider = GoogleMerchantSpider.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    spider.report_problem("empty_listing", "https://x/1", "no products")
    spider.drop_row("broken_markup", "row 3", "cut off", key="K3")
    spider.warn_record("bad_gtin", "row 4", "bad check digit")
    accounting = FailureAccounting.from_crawler(crawler)
    from scrapy import Request
    from scrapy.http import Response
    accounting.process_response(Request("https://x/2", callback=spider.parse), Response("https://x/2", status=503))
    ledger = RunLedger.of(crawler)
    assert ledger is spider.ledger and ledger.problems == spider.problems == ["empty_listing: https://x/1"]
    assert ledger.take_seen_dropped() == ["K3"] and ledger.pages_failed == 1
    # The feed was never read (the spider's own completeness check) and a page failed.
    assert ledger.incompleteness() == ["HTTP 503 for https://x/2", "the feed was never read"]
    status, reasons = decide(run_checks(facts(ledger, stats=crawler.stats.get_stats())))
    assert status == "suspect" and reasons[0].startswith("1 sign(s) of a changed layout: empty_listing")
    assert reasons[1].startswith("the run did not see its whole scope: HTTP 503 for https://x/2")
    # warnings (bad_gtin, a broken image's ERROR line) are not errors
    assert ledger.errors({"log_count/ERROR": 493}) == 2


def test_the_worst_verdict_decides_and_every_reason_is_kept():
    ledger = RunLedger()
    ledger.storage_failed("batch 3 of 2000 products was not stored")
    ledger.problem("empty_year", "https://x/2020")
    status, reasons = decide(run_checks(facts(ledger, reason="closespider_itemcount")))
    assert status == "failed" and len(reasons) == 3 and "cancelled" not in reasons[0]


def test_drop_share_counts_all_drops_but_duplicates():
    stats = {"ornaments/dropped/missing_name": 3, "ornaments/dropped/duplicate": 50}
    ledger = RunLedger()
    items(ledger, 27)
    assert decide(run_checks(facts(ledger, stats=stats)))[0] == "finished"  # 3 of 30: 10%, not above
    stats["ornaments/dropped/negative_price"] = 1
    status, reasons = decide(run_checks(facts(ledger, stats=stats)))
    assert status == "suspect" and reasons == [
        "dropped 4 of 31 records (13%; missing_name: 3, negative_price: 1), above ORNAMENTS_MAX_DROP_SHARE=0.1"]
    assert decide(run_checks(facts(ledger, stats=stats, max_drop_share=0.2)))[0] == "finished"


def test_coverage_minimum_and_collapse():
    ledger = RunLedger()
    items(ledger, 8)
    items(ledger, 2, image_urls=[], price=None)
    assert ledger.coverage() == {"items": 10, "price": 0.8, "sku": 1.0, "year": 1.0, "image": 0.8}
    assert decide(run_checks(facts(ledger, coverage_min={"price": 0.9})))[1] == [
        "field coverage fell: price 80% (ORNAMENTS_COVERAGE_MIN 90%)"]
    collapsed = RunLedger()
    items(collapsed, 10, image_urls=[])
    previous = {"items": 10, "price": 1.0, "image": 0.9}
    assert decide(run_checks(facts(collapsed, previous_coverage=previous)))[1] == [
        "field coverage fell: image 0% (the last finished run had 90%)"]
    assert decide(run_checks(facts(collapsed, previous_coverage={"image": 0.5})))[0] == "finished"  # was low


def test_guard_rules():
    policy = removal_policy()
    assert guard_reason(7, missed=10, live=200, seen=190, recent=[200], policy=policy) is None
    assert guard_reason(7, missed=41, live=200, seen=159, recent=[200], policy=policy).startswith(
        "would remove 41 of 200 live products (20%)")  # 20.5%, shown rounded
    # Few missed, but it saw far fewer than its scope's recent finished runs (median 200: fewer than 100).
    assert "fewer than 0.5 of the median 200" in guard_reason(7, missed=5, live=100, seen=95, recent=[200, 210, 190],
                                                             policy=policy)
    assert guard_reason(7, missed=197, live=200, seen=3, recent=[200], policy=removal_policy(max_share=1)) is None


def test_stats_are_kept_without_secrets():
    class Settings(dict):
        pass
    settings = Settings(DATABASE_URL="postgresql://u:db-secret-1@h/db", SFTP_PASSWORD="sftp-secret-2")
    stats = {"item_scraped_count": 3, "start_time": "2026-01-01",
             "downloader/exception_type_count/x": 1, "ornaments/db_password": "x",
             "log": "connected to postgresql://u:db-secret-1@h/db", "note": "pw sftp-secret-2 used",
             "sftp/url": "sftp://me:other-pass@host/x"}
    clean = clean_stats(stats, settings_secrets(settings))
    assert "ornaments/db_password" not in clean and clean["item_scraped_count"] == 3
    text = repr(clean)
    assert "db-secret-1" not in text and "sftp-secret-2" not in text and "other-pass" not in text
    assert clean["log"] == "connected to postgresql://u:***@h/db"
