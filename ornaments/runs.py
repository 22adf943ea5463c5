"""How a run ended, and whether it may mark unseen products removed."""

from __future__ import annotations

from typing import Mapping

# finished   clean and complete: unseen products in scope are marked removed
# partial    clean, but only part of the catalog was asked for (-a url, -a query)
# suspect    the shop's layout looks changed (pages without products, names or prices)
# incomplete errors happened (pages that failed for good, a malformed feed, ...)
# failed     the run or its storage broke
# cancelled  stopped by hand or by a limit (Ctrl-C, CLOSESPIDER_*)
STATUSES = ("running", "finished", "partial", "suspect", "incomplete", "failed", "cancelled")


def run_status(finish_reason: str, mode: str, stats: Mapping, problems: list, incomplete: list,
               storage_failed: bool) -> str:
    if storage_failed:
        return "failed"
    if finish_reason in ("shutdown", "cancelled") or finish_reason.startswith("closespider_"):
        return "cancelled"
    if finish_reason != "finished":
        return "failed"
    if problems:
        return "suspect"
    # Failed pages and pipeline errors arrive as incomplete reasons (ornaments.middlewares.FailureAccounting);
    # ERROR lines alone do not count, since a missing image logs one and must not block removals.
    if incomplete or stats.get("spider_exceptions/count", 0):
        return "incomplete"
    if mode in ("url", "query"):
        return "partial"
    return "finished"


def dropped_counts(stats: Mapping) -> dict[str, int]:
    prefix = "ornaments/dropped/"
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def summary_line(spider: str, summary, removal_allowed: bool) -> str:
    dropped = sum(summary.dropped.values())
    reasons = ", ".join(f"{k}: {v}" for k, v in summary.dropped.items())
    line = (f"Sync of {spider} (run {summary.run_id}) ended {summary.status}: {summary.new} new, "
            f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.removed} removed, "
            f"{dropped} dropped{f' ({reasons})' if reasons else ''}, {summary.errors} errors.")
    if not removal_allowed:
        line += " Nothing was marked removed, because the run was not a clean, complete sync."
    return line
