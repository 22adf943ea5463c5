"""Signals of our own, sent on the crawler's signal manager (crawler.signals.send_catch_log_deferred)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Sent once the run's end is recorded in sync_runs, with report=RunReport. Alerts, exit codes and
# anything else that acts on how a run ended listen to it instead of reading the spider.
run_recorded = object()

# Sent (no arguments) by a spider that reads several versions of one catalogue in a run, one after the
# other (s3_drop: file after file), once every item of the previous version has passed the pipelines.
# Pipelines that keep per-run state about products close that chapter: DedupePipeline forgets what it
# saw (the next file may list the same product again, newer), StorePipeline writes what it holds and
# waits for it, so a later file's values are never mixed into an earlier file's batch.
records_boundary = object()


@dataclass(frozen=True)
class RunReport:
    """How a run ended, as recorded: what alerts say and what `scrapy runs` lists."""
    run_id: int | None
    spider: str
    vendor: str
    status: str  # ornaments.runs.STATUSES
    reasons: list[str] = field(default_factory=list)  # one line per check that made the status worse
    counts: dict[str, int] = field(default_factory=dict)  # new, updated, unchanged, removed, dropped, ...
    held_back_removals: int = 0  # products the removal guard did not mark removed
    started_at: str | None = None  # ISO 8601 UTC
    finished_at: str | None = None

    @property
    def needs_attention(self) -> bool:
        """Someone should be told: the run went wrong, or a guard held back removals."""
        return self.status not in ("finished", "partial") or self.held_back_removals > 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
