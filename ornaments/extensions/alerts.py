"""RunAlerts: tells someone when a run needs attention, once its end is recorded.

Listens to ornaments.signals.run_recorded (sent after the run is written to sync_runs, also when the
database was unreachable) rather than spider_closed, so an alert reports the recorded status and the
guard's held-back removals. Delivery runs in threads, with a few retries; an alert that cannot be
delivered is one WARNING and a stat, never an error of the run or a change of its status.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Callable

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import run_in_thread

from ornaments.alerts import AlertConfig, ConfigError, email_message, post_webhook, send_email, webhook_payload
from ornaments.alerts.send import deliver
from ornaments.retry import one_line
from ornaments.signals import RunReport, run_recorded

logger = logging.getLogger(__name__)


class RunAlerts:
    def __init__(self, crawler, config: AlertConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config

    @classmethod
    def from_crawler(cls, crawler) -> "RunAlerts":
        try:
            config = AlertConfig.from_settings(crawler.settings)
        except ConfigError as exc:
            logger.error("Alerts are off: %s", exc)
            raise NotConfigured from None  # the ERROR above said why
        if config is None:
            raise NotConfigured  # no channel configured: nothing to say on every run (Scrapy logs a message)
        extension = cls(crawler, config)
        crawler.signals.connect(extension.run_recorded, signal=run_recorded)
        return extension

    def channels(self, report: RunReport) -> list[tuple[str, str, Callable[[], None]]]:
        """(channel, where, send) for each configured channel; where names no secret."""
        config, found = self.config, []
        if config.webhook_url:
            found.append(("webhook", config.webhook_host,
                          partial(post_webhook, config.webhook_url, webhook_payload(report), config.timeout)))
        if config.email_to and config.smtp:
            message = email_message(report, config.email_from, config.email_to)
            found.append(("email", f"{len(config.email_to)} recipients via {config.smtp.address}",
                          partial(send_email, config.smtp, message, config.timeout)))
        return found

    async def run_recorded(self, report: RunReport) -> None:
        if not report.needs_attention:
            return
        self.stats.set_value("ornaments/alerts/needed", True)
        await asyncio.gather(*(self._deliver(channel, where, send, report)
                               for channel, where, send in self.channels(report)))

    async def _deliver(self, channel: str, where: str, send: Callable[[], None], report: RunReport) -> None:
        what = f"the {channel} alert for run {report.run_id}"
        try:
            await run_in_thread(deliver, send, self.config.retry, what)
        except Exception as exc:  # whatever happens, the run and its recorded status stay as they are
            self.stats.inc_value(f"ornaments/alerts/failed/{channel}")
            logger.warning("The %s alert for run %s (%s, %s) was NOT delivered to %s: %s", channel,
                           report.run_id, report.vendor, report.status, where,
                           self.config.redact(str(exc) if hasattr(exc, "transient") else one_line(exc)))
            return
        self.stats.inc_value(f"ornaments/alerts/sent/{channel}")
        logger.info("Sent the %s alert for run %s (%s, %s) to %s", channel, report.run_id, report.vendor,
                    report.status, where)
