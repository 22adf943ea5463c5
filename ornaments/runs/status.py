"""Run statuses, how verdicts make one, exit codes, and the summary line."""

from __future__ import annotations

from typing import Iterable

# finished   clean and complete: unseen products in scope are marked removed (within the removal guard)
# partial    clean, but only part of the catalog was asked for (-a url, -a query)
# suspect    the run looks wrong: a changed layout, mass drops, collapsed coverage, or the removal guard
#            held back its removals
# incomplete the run did not see everything (pages that failed for good, a malformed feed, ...)
# failed     the run or its storage broke (also: the database was unreachable)
# cancelled  stopped by hand or by a limit (Ctrl-C, CLOSESPIDER_*)
# abandoned  its process died without recording the end (kill -9); marked by the next run or `scrapy runs`
STATUSES = ("running", "finished", "partial", "suspect", "incomplete", "failed", "cancelled", "abandoned")

# Worst first: the run's status is its worst verdict's.
SEVERITY = ("failed", "cancelled", "suspect", "incomplete", "partial", "finished")

# `scrapy crawl` exit codes (ornaments.commands.crawl). 0 for runs whose result can be trusted.
EXIT_CODES = {"finished": 0, "partial": 0, "suspect": 3, "incomplete": 4, "failed": 5, "cancelled": 6}
CLEAN = ("finished", "partial")


def decide(verdicts: Iterable) -> tuple[str, list[str]]:
    """(status, reasons): the worst verdict's status, and every verdict's reason, worst first."""
    ordered = sorted(verdicts, key=lambda v: SEVERITY.index(v.status))
    return (ordered[0].status if ordered else "finished"), [v.reason for v in ordered]


def summary_line(spider: str, summary, removal_tried: bool) -> str:
    dropped = sum(summary.dropped.values())
    reasons = ", ".join(f"{k}: {v}" for k, v in summary.dropped.items())
    line = (f"Sync of {spider} (run {summary.run_id}) ended {summary.status}: {summary.new} new, "
            f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.removed} removed, "
            f"{dropped} dropped{f' ({reasons})' if reasons else ''}, {summary.errors} errors.")
    outcome = summary.removal
    if not removal_tried:
        line += " Nothing was marked removed, because the run was not a clean, complete sync."
    elif outcome is not None and outcome.deferred_to:
        line += (f" Nothing was marked removed: run(s) {', '.join(map(str, outcome.deferred_to))} of this vendor "
                 "started later and are still running; their removal covers this run's.")
    elif summary.held_back:
        line += f" {summary.held_back} removals held back by the removal guard."
    if summary.reasons:
        line += " Why: " + " | ".join(summary.reasons)
    return line
