"""SourceRuns: one crawl that holds several sources (a spider with multi_vendor, e.g. an Awin feed of
several merchants). The crawl's own run (its vendor, e.g. "awin") holds the batches; each other vendor
its items carry gets a run record of its own in sync_runs, started before its first batch is written,
so the vendor lock, the abandoned-run checks and newer_running_runs see it like any run of that vendor.

At the end each source is judged on its own: only when the whole crawl was clean and complete, the
source had readable records and its own drop share is low, is its removal tried, and then within the
removal guard of its own vendor (its own history of runs). A source absent from the feed has no run
and removes nothing; a source whose every record was unreadable removes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import datetime
from typing import Awaitable, Callable, Iterable

from scrapy.utils.asyncio import run_in_thread

from ornaments.retry import one_line
from ornaments.runs.checks import MIN_MASS_DROPS
from ornaments.runs.record import report_of
from ornaments.runs.status import SEVERITY, summary_line
from ornaments.storage import RemovalScope

logger = logging.getLogger(__name__)


class SourceRuns:
    def __init__(self, run_vendor: str):
        self.run_vendor = run_vendor
        self.runs: dict[str, tuple[int, datetime]] = {}  # vendor -> (run id, started_at)
        self.stored = Counter()  # items that reached storage, per vendor
        self.seen_dropped = Counter()  # dropped records whose product is known: seen, values kept
        self.dropped = Counter()  # records dropped (by the spider or by validation), per vendor
        self.failed: dict[str, str] = {}  # vendor -> why its run could not be started
        self._lock = asyncio.Lock()

    def seen(self, vendor: str) -> int:
        return self.stored[vendor] + self.seen_dropped[vendor]

    async def start_new(self, rows: Iterable, start: Callable[[str], Awaitable[tuple[int, datetime]]]) -> None:
        """Start the run of every vendor in rows (packed items and seen rows: the vendor first) that has
        none yet, before the batch holding them is written. Under a lock: two flushes start a vendor once."""
        vendors = {row[0] for row in rows if row.__class__ is tuple}
        vendors.discard(self.run_vendor)
        if not vendors - self.runs.keys() - self.failed.keys():
            return
        async with self._lock:
            for vendor in sorted(vendors - self.runs.keys() - self.failed.keys()):
                try:
                    self.runs[vendor] = await start(vendor)
                except Exception as exc:  # recorded by the caller as a storage failure: nothing is removed
                    self.failed[vendor] = f"{type(exc).__name__}: {exc}"
                    raise

    def verdict(self, vendor: str, status: str, reasons: list[str], max_drop_share: float) -> tuple[str, list[str]]:
        """The source's status: the crawl's, made worse by what went wrong within the source only."""
        own: list[tuple[str, str]] = []
        if not self.stored[vendor]:
            own.append(("incomplete", f"no readable record of {vendor} in the feed ({self.dropped[vendor]} "
                                      "dropped); nothing of it is removed"))
        records = self.stored[vendor] + self.dropped[vendor]
        if self.dropped[vendor] >= MIN_MASS_DROPS and self.dropped[vendor] / records > max_drop_share:
            own.append(("suspect", f"dropped {self.dropped[vendor]} of {records} records of {vendor} "
                                   f"({self.dropped[vendor] / records:.0%}), above ORNAMENTS_MAX_DROP_SHARE="
                                   f"{max_drop_share:g}"))
        verdicts = sorted([(status, r) for r in reasons] + own, key=lambda v: SEVERITY.index(v[0]))
        worst = min([status] + [s for s, _ in own], key=SEVERITY.index)
        return worst, [r for _, r in verdicts]

    async def finish(self, pipeline, reason: str, status: str, reasons: list[str]) -> list[tuple[str, int]]:
        """Record the run of each source (pipeline: the crawl's StorePipeline), each removing within its
        own vendor and removal guard; (status, removed) of each."""
        spider, sources = pipeline.crawler.spider, self
        year = getattr(spider, "year", None)
        summaries = []
        for vendor, (run_id, _) in sorted(sources.runs.items()):
            source_status, source_reasons = sources.verdict(vendor, status, reasons, pipeline.guard.max_drop_share)
            # Seen since the crawl's start: its batches stamp what they write with that start.
            removal = RemovalScope(vendor, pipeline.started_at, year) if source_status == "finished" else None
            details = {"feed_run": pipeline.run_id, "items_stored": sources.stored[vendor],
                       "dropped": sources.dropped[vendor]}
            try:
                summary = await run_in_thread(
                    pipeline.store.finish_run, run_id, source_status, reason, {}, 0, details, removal,
                    policy=pipeline.guard.policy, reasons=source_reasons, items_seen=sources.seen(vendor))
            except Exception as exc:
                logger.error("Could not record the end of run %s of %s: %s", run_id, vendor, one_line(exc),
                             extra={"spider": spider})
                summaries.append(("failed", 0))
                continue
            pipeline.stats.set_value(f"ornaments/sources/{vendor}/status", summary.status)
            pipeline.stats.set_value(f"ornaments/sources/{vendor}/removed", summary.removed)
            if summary.held_back and summary.removal is not None:
                logger.error("Run %s of %s %s", run_id, vendor, summary.removal.reason, extra={"spider": spider})
            log = logger.info if summary.status in ("finished", "partial") else logger.warning
            log(summary_line(f"{spider.name} ({vendor}, {sources.seen(vendor)} seen)", summary, removal is not None),
                extra={"spider": spider})
            summaries.append((summary.status, summary.removed))
            await pipeline._send(report_of(summary, spider.name, vendor))
        return summaries


def worst_status(statuses: Iterable[str]) -> str:
    known = [s for s in statuses if s in SEVERITY]
    return min(known, key=SEVERITY.index) if known else "failed"
