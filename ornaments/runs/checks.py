"""Small checks on a finished crawl, Spidermon-style: each looks at one thing and returns a Verdict
(status, reason) when that thing makes the run worse than "finished", else None.

The removal guard is the one check that needs the database under a lock; it runs in
ornaments.storage.removal and its reason joins these (status "suspect").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ornaments.runs.ledger import COVERAGE_FIELDS, RunLedger

DROP_PREFIX = "ornaments/dropped/"
NOT_A_DROP = ("duplicate",)  # a second record of a product already stored is no sign of a broken parser
MIN_MASS_DROPS = 3  # one or two bad records of a small shop are bad records, not a broken parser
COLLAPSE_FROM = 0.8  # a field the previous run had for at least this share of items...
COLLAPSE_TO = 0.5  # ...that falls below this fraction of it has collapsed


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


@dataclass
class RunFacts:
    finish_reason: str
    mode: str  # all | year | url | query | files | partial
    stats: Mapping[str, Any]
    ledger: RunLedger
    incomplete: list[str] = field(default_factory=list)  # ledger.incompleteness(), asked once
    previous_coverage: dict | None = None  # the scope's last finished run
    coverage_min: Mapping[str, float] = field(default_factory=dict)
    max_drop_share: float = 0.1


def _some(items: list[str], count: int) -> str:
    shown = "; ".join(items[:3])
    return shown + (f" (and {count - 3} more)" if count > 3 else "")


def storage(facts: RunFacts) -> Verdict | None:
    failures = facts.ledger.storage_failures
    if failures:
        return Verdict("failed", f"storage failed: {_some(failures, len(failures))}")
    return None


def finish_reason(facts: RunFacts) -> Verdict | None:
    reason = facts.finish_reason
    if reason in ("shutdown", "cancelled") or reason.startswith("closespider_"):
        return Verdict("cancelled", f"the crawl was stopped ({reason})")
    if reason != "finished":
        return Verdict("failed", f"the crawl ended with {reason!r}")
    return None


def layout(facts: RunFacts) -> Verdict | None:
    ledger = facts.ledger
    if ledger.problem_count:
        return Verdict("suspect", f"{ledger.problem_count} sign(s) of a changed layout: "
                                  f"{_some(ledger.problems, ledger.problem_count)}")
    return None


def completeness(facts: RunFacts) -> Verdict | None:
    exceptions = int(facts.stats.get("spider_exceptions/count", 0))
    reasons = list(facts.incomplete) + ([f"{exceptions} spider callback error(s)"] if exceptions else [])
    if reasons:
        count = max(len(reasons), facts.ledger.incomplete_count)
        return Verdict("incomplete", f"the run did not see its whole scope: {_some(reasons, count)}")
    return None


def drop_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    return {k[len(DROP_PREFIX):]: v for k, v in sorted(stats.items()) if k.startswith(DROP_PREFIX)}


def drop_share(facts: RunFacts) -> Verdict | None:
    """Mass drops mean our parser broke, not that the shop's records all went bad at once."""
    drops = drop_counts(facts.stats)
    dropped = sum(v for k, v in drops.items() if k not in NOT_A_DROP)
    # Records refused by the database were also stored as items: count them once.
    records = facts.ledger.field_counts["items"] + dropped - drops.get("refused_by_database", 0)
    if dropped >= MIN_MASS_DROPS and dropped / records > facts.max_drop_share:
        worst = ", ".join(f"{k}: {v}" for k, v in sorted(drops.items(), key=lambda kv: -kv[1])
                          if k not in NOT_A_DROP)
        return Verdict("suspect", f"dropped {dropped} of {records} records ({dropped / records:.0%}; {worst}), "
                                  f"above ORNAMENTS_MAX_DROP_SHARE={facts.max_drop_share:g}")
    return None


def coverage(facts: RunFacts) -> Verdict | None:
    """Fields most items lack (ORNAMENTS_COVERAGE_MIN), or that collapsed since the last finished run."""
    if facts.mode in ("url", "query"):  # a handful of products says nothing about the catalog
        return None
    now = facts.ledger.coverage()
    if not now["items"]:
        return None
    low = []
    for name in COVERAGE_FIELDS:
        share = now[name] or 0.0
        minimum = facts.coverage_min.get(name)
        before = (facts.previous_coverage or {}).get(name)
        if minimum is not None and share < minimum:
            low.append(f"{name} {share:.0%} (ORNAMENTS_COVERAGE_MIN {minimum:.0%})")
        elif before is not None and before >= COLLAPSE_FROM and share < before * COLLAPSE_TO:
            low.append(f"{name} {share:.0%} (the last finished run had {before:.0%})")
    if low:
        return Verdict("suspect", f"field coverage fell: {', '.join(low)}")
    return None


def scope(facts: RunFacts) -> Verdict | None:
    if facts.mode in ("url", "query"):
        return Verdict("partial", f"only part of the catalog was asked for (-a {facts.mode})")
    if facts.mode == "partial":  # a feed (an upload) not declared the source's full catalogue
        return Verdict("partial", "the feed was not declared a full catalogue (full_catalogue=true), so it removes nothing")
    if facts.mode == "files":  # a drop folder whose files are changes, or that had no new file
        return Verdict("partial", "the run read a drop folder's new files, not a whole catalogue")
    return None


CHECKS: tuple[Callable[[RunFacts], Verdict | None], ...] = (
    storage, finish_reason, layout, completeness, drop_share, coverage, scope)


def run_checks(facts: RunFacts) -> list[Verdict]:
    return [v for v in (check(facts) for check in CHECKS) if v is not None]
