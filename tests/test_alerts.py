"""Alerts against a real SMTP server and a real HTTP receiver on 127.0.0.1, in-process (the run_recorded
signal on a crawler) and end to end (a `scrapy crawl` of a feed that cannot be read)."""

from __future__ import annotations

import asyncio
import inspect
import logging

import pytest
import pytest_twisted
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from ornaments.alerts import AlertConfig, ConfigError, SmtpServer, summary_text, webhook_payload
from ornaments.extensions.alerts import RunAlerts
from ornaments.pipelines.store import StorePipeline
from ornaments.signals import RunReport, run_recorded
from ornaments.spiders.google_merchant import GoogleMerchantSpider
from tests.fixtures.receivers import SECRET_PATH
from tests.fixtures.smtp import PASSWORD, USER
from tests.helpers import project_settings

FAILED = RunReport(run_id=42, spider="google_merchant", vendor="google_merchant", status="failed",
                   reasons=["storage failed: batch 3 of 2000 products not stored: OperationalError: refused",
                            "the feed was never read"],
                   counts={"new": 10, "updated": 2, "unchanged": 300, "removed": 0},
                   started_at="2026-11-23T09:00:00+00:00", finished_at="2026-11-23T09:05:00+00:00")
HELD_BACK = RunReport(run_id=43, spider="google_merchant", vendor="google_merchant", status="finished",
                      counts={"new": 0, "removed": 0}, held_back_removals=120)
FINE = RunReport(run_id=44, spider="google_merchant", vendor="google_merchant", status="finished")


def alerts(**settings) -> RunAlerts:
    crawler = get_crawler(GoogleMerchantSpider,
                          project_settings(ORNAMENTS_ALERT_BACKOFF=0.05, ORNAMENTS_ALERT_TIMEOUT=5, **settings))
    crawler.stats.open_spider()
    return RunAlerts.from_crawler(crawler)


def send(extension: RunAlerts, report: RunReport) -> Deferred:
    """Send run_recorded the way the run ledger does, on the crawler's signal manager."""
    coroutine = extension.crawler.signals.send_catch_log_async(run_recorded, report=report)
    return Deferred.fromFuture(asyncio.ensure_future(coroutine))


def secrets_in(text: str) -> list[str]:
    return [s for s in (PASSWORD, "wrong-pw-123", SECRET_PATH, "hook-s3cret-token") if s in text]


# --- settings and messages --------------------------------------------------------------------

def test_smtp_urls_are_read_and_their_secrets_stay_hidden():
    server = SmtpServer.from_url("smtp://me%40x.org:p%40ss%3Aword@mail.example:2525")
    assert (server.host, server.port, server.security, server.user, server.password) == (
        "mail.example", 2525, "none", "me@x.org", "p@ss:word")
    assert SmtpServer.from_url("smtps://u:p@mail.example").port == 465
    starttls = SmtpServer.from_url("smtp://u:p@mail.example?starttls=1")
    assert (starttls.security, starttls.port) == ("starttls", 587)
    config = AlertConfig.from_settings(project_settings(
        ORNAMENTS_ALERT_WEBHOOK="https://hooks.example/services/T/B/tok3n-xyz",
        ORNAMENTS_ALERT_EMAIL="a@x.org, b@x.org", ORNAMENTS_SMTP_URL="smtp://me%40x.org:p%40ss%3Aword@mail.example"))
    assert config.email_to == ("a@x.org", "b@x.org") and config.email_from == "me@x.org"
    assert "tok3n" not in repr(config) and "p@ss" not in repr(config)
    assert config.redact("POST https://hooks.example/services/T/B/tok3n-xyz: p@ss:word") == "POST ***: ***"
    for bad, setting in [({"ORNAMENTS_SMTP_URL": "http://u:s3cret@h", "ORNAMENTS_ALERT_EMAIL": "a@x.org"}, "SMTP"),
                         ({"ORNAMENTS_ALERT_EMAIL": "a@x.org"}, "ORNAMENTS_SMTP_URL"),
                         ({"ORNAMENTS_ALERT_WEBHOOK": "ftp://s3cret@h/x"}, "WEBHOOK")]:
        with pytest.raises(ConfigError, match=setting) as error:
            AlertConfig.from_settings(project_settings(**bad))
        assert "s3cret" not in str(error.value)
    assert AlertConfig.from_settings(project_settings(ORNAMENTS_SMTP_URL="smtp://h")) is None  # no recipients: off
    with pytest.raises(NotConfigured):
        alerts()


def test_the_summary_line_says_what_happened():
    text = summary_text(FAILED)
    assert text.startswith("ornaments: google_merchant sync failed (run 42): storage failed: batch 3")
    assert "the feed was never read" in text and "new 10, updated 2, unchanged 300" in text and "\n" not in text
    assert summary_text(HELD_BACK).endswith("; 120 removals held back")
    payload = webhook_payload(FAILED)
    assert {k: payload[k] for k in ("run_id", "vendor", "spider", "status", "held_back_removals")} == {
        "run_id": 42, "vendor": "google_merchant", "spider": "google_merchant", "status": "failed",
        "held_back_removals": 0}
    assert payload["reasons"] == FAILED.reasons and payload["counts"] == FAILED.counts
    unrecorded = RunReport(None, "google_merchant", "google\nmerchant", "failed")
    assert summary_text(unrecorded) == "ornaments: google merchant sync failed (run not recorded): no reason recorded"


# --- the extension on a crawler ---------------------------------------------------------------

@pytest_twisted.ensureDeferred
async def test_an_alert_reaches_the_webhook_and_the_mailbox(webhook_receiver, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    extension = alerts(ORNAMENTS_ALERT_WEBHOOK=webhook_receiver.url, ORNAMENTS_SMTP_URL=smtp_server.url(),
                       ORNAMENTS_ALERT_EMAIL="ops@ornaments.test, shop@ornaments.test",
                       ORNAMENTS_ALERT_FROM="sync@ornaments.test")
    await send(extension, FAILED)

    [(path, content_type, body)] = webhook_receiver.received
    assert path == SECRET_PATH and content_type.startswith("application/json")
    assert body == {**webhook_payload(FAILED), "text": summary_text(FAILED)}
    [mail] = smtp_server.received
    assert smtp_server.logins == [USER]
    assert mail.rcpt_tos == ["ops@ornaments.test", "shop@ornaments.test"]
    assert mail.message["Subject"] == "[ornaments] google_merchant: run 42 failed"
    assert mail.message["From"] == "sync@ornaments.test"
    text = mail.message.get_content()
    assert text.startswith(summary_text(FAILED)) and "  - the feed was never read" in text and "  new: 10" in text
    stats = extension.crawler.stats
    assert (stats.get_value("ornaments/alerts/sent/webhook"), stats.get_value("ornaments/alerts/sent/email")) == (1, 1)
    assert not secrets_in(caplog.text) and not secrets_in(str(stats.get_stats()))


@pytest_twisted.ensureDeferred
async def test_held_back_removals_alert_and_a_run_that_went_well_does_not(webhook_receiver):
    extension = alerts(ORNAMENTS_ALERT_WEBHOOK=webhook_receiver.url)
    await send(extension, FINE)
    await send(extension, RunReport(45, "google_merchant", "google_merchant", "partial"))
    assert webhook_receiver.attempts == []
    await send(extension, HELD_BACK)
    [(_path, _type, body)] = webhook_receiver.received
    assert (body["run_id"], body["status"], body["held_back_removals"]) == (43, "finished", 120)


@pytest_twisted.ensureDeferred
async def test_a_webhook_that_fails_twice_gets_the_alert_on_the_third_try(webhook_receiver, caplog):
    webhook_receiver.statuses = [500, 503]
    extension = alerts(ORNAMENTS_ALERT_WEBHOOK=webhook_receiver.url)
    await send(extension, FAILED)
    assert [status for _path, status in webhook_receiver.attempts] == [500, 503, 200]
    assert len(webhook_receiver.received) == 1
    assert extension.crawler.stats.get_value("ornaments/alerts/sent/webhook") == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("ornaments")]


@pytest_twisted.ensureDeferred
async def test_an_alert_that_cannot_be_delivered_is_one_warning_and_leaves_the_run_alone(
        closed_port, smtp_server, webhook_receiver, caplog):
    caplog.set_level(logging.DEBUG)
    dead_hook = f"http://127.0.0.1:{closed_port}{SECRET_PATH}"
    extension = alerts(ORNAMENTS_ALERT_WEBHOOK=dead_hook, ORNAMENTS_ALERT_EMAIL="ops@ornaments.test",
                       ORNAMENTS_SMTP_URL=smtp_server.url(password="wrong-pw-123"), ORNAMENTS_ALERT_RETRIES=2)
    results = await Deferred.fromFuture(asyncio.ensure_future(
        extension.crawler.signals.send_catch_log_async(run_recorded, report=FAILED)))
    assert [type(result) for _receiver, result in results] == [type(None)]  # the handler did not raise
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("ornaments")]
    assert sorted(r.getMessage().split(" alert ")[0] for r in warnings) == ["The email", "The webhook"]
    assert all("was NOT delivered" in r.getMessage() and r.levelno == logging.WARNING for r in warnings)
    webhook_warning = next(r.getMessage() for r in warnings if "webhook" in r.getMessage())
    assert "127.0.0.1" in webhook_warning and "could not be reached" in webhook_warning
    assert "refused the login (SMTP 535)" in next(r.getMessage() for r in warnings if "email" in r.getMessage())
    stats = extension.crawler.stats
    assert (stats.get_value("ornaments/alerts/failed/webhook"), stats.get_value("ornaments/alerts/failed/email")) == (1, 1)
    assert smtp_server.received == [] and smtp_server.logins == []
    assert not secrets_in(caplog.text) and not secrets_in(str(stats.get_stats()))
    # A refused login is not retried; the dead webhook is, as often as configured.
    assert sum("retrying in" in r.getMessage() for r in caplog.records) == 1


# --- end to end -------------------------------------------------------------------------------

# run_recorded is sent by StorePipeline.spider_closed once the run ledger (another branch) records the
# end of the run; until that is merged, this test must fail, and then it must pass.
SENDS_RUN_RECORDED = "run_recorded" in inspect.getsource(StorePipeline)


@pytest.mark.slow
@pytest.mark.xfail(not SENDS_RUN_RECORDED, strict=True,
                   reason="needs the run ledger's run_recorded signal from StorePipeline.spider_closed")
def test_a_crawl_whose_feed_cannot_be_read_sends_an_alert(pg_crawl, webhook_receiver, smtp_server):
    result = pg_crawl("google_merchant", "-a", "feed=file:///nonexistent/feed.xml", env={
        "ORNAMENTS_ALERT_WEBHOOK": webhook_receiver.url, "ORNAMENTS_ALERT_EMAIL": "ops@ornaments.test",
        "ORNAMENTS_SMTP_URL": smtp_server.url(), "ORNAMENTS_ALERT_BACKOFF": "0.1"}, timeout=120)
    [(_path, _type, body)] = webhook_receiver.received
    assert body["spider"] == "google_merchant" and body["status"] not in ("finished", "partial"), body
    assert body["run_id"] is not None and body["reasons"], body
    [mail] = smtp_server.received
    assert mail.message["Subject"].startswith(f"[ornaments] google_merchant: run {body['run_id']} ")
    assert "Sent the webhook alert" in result.log and "Sent the email alert" in result.log
    assert not secrets_in(result.log), str(result)
