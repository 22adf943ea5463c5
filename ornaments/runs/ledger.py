"""RunLedger: the one place a run's trouble is reported to, one per crawler.

Spiders (report_problem, mark_incomplete, drop_row, warn_record), FailureAccounting (failed pages,
item errors) and the pipelines (storage failures, items that reach storage) write here; the checks
in ornaments.runs.checks read it at the end of the run. Nothing here needs a database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ornaments.fields import COVERAGE_FIELDS  # noqa: F401  (coverage name -> item field; re-exported)

MAX_KEPT = 100  # reasons kept per kind: the first ones tell the story, the counts tell the rest

_EMPTY_TYPES = (str, list, tuple)  # an empty one of these is no value


@dataclass
class RunLedger:
    problems: list[str] = field(default_factory=list)  # layout problems: the run is suspect
    problem_count: int = 0
    incomplete: list[str] = field(default_factory=list)  # the run did not see its whole scope
    incomplete_count: int = 0
    pages_failed: int = 0
    item_errors: int = 0
    storage_failures: list[str] = field(default_factory=list)  # batches not stored, or no database at all
    # ids of records dropped while read (drained); (vendor, id) where a run holds several vendors
    seen_but_dropped: list[str | tuple[str, str]] = field(default_factory=list)
    field_counts: Counter = field(default_factory=Counter)
    # The spider's completeness_problems, asked once at the end (a feed never read, ...).
    completeness_hook: Callable[[], list[str]] | None = None

    ATTRIBUTE = "ornaments_run_ledger"

    @classmethod
    def of(cls, crawler: Any) -> "RunLedger":
        """The crawler's ledger, created on first use."""
        ledger = getattr(crawler, cls.ATTRIBUTE, None)
        if ledger is None:
            ledger = cls()
            setattr(crawler, cls.ATTRIBUTE, ledger)
        return ledger

    # --- reports ----------------------------------------------------------------------------------

    def problem(self, kind: str, url: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT:
            self.problems.append(f"{kind}: {url}")

    def mark_incomplete(self, reason: str) -> None:
        self.incomplete_count += 1
        if len(self.incomplete) < MAX_KEPT:
            self.incomplete.append(reason)

    def page_failed(self, reason: str) -> None:
        self.pages_failed += 1
        self.mark_incomplete(reason)

    def item_failed(self, reason: str) -> None:
        self.item_errors += 1
        self.mark_incomplete(reason)

    def storage_failed(self, reason: str) -> None:
        if len(self.storage_failures) < MAX_KEPT:
            self.storage_failures.append(reason)

    def seen_dropped(self, key: str | tuple[str, str]) -> None:
        self.seen_but_dropped.append(key if key.__class__ is tuple else str(key))

    def take_seen_dropped(self) -> list[str | tuple[str, str]]:
        keys, self.seen_but_dropped = self.seen_but_dropped, []
        return keys

    def count_item(self, values: Mapping) -> None:
        """An item that reached storage, for field coverage (runs for every item: kept cheap)."""
        counts = self.field_counts
        counts["items"] += 1
        for name, item_field in COVERAGE_FIELDS.items():
            value = values.get(item_field)
            # Not None and not empty text or list (a price of 0 counts): no == against a Decimal per field.
            if value is not None and (value or value.__class__ not in _EMPTY_TYPES):
                counts[name] += 1

    # --- reading ----------------------------------------------------------------------------------

    def incompleteness(self) -> list[str]:
        """Why the run may not have seen its whole scope: what was reported, and what the spider adds."""
        return list(self.completeness_hook()) if self.completeness_hook else list(self.incomplete)

    def coverage(self) -> dict[str, Any]:
        total = self.field_counts["items"]
        shares = {name: round(self.field_counts[name] / total, 3) if total else None for name in COVERAGE_FIELDS}
        return {"items": total, **shares}

    def errors(self, stats: Mapping[str, Any]) -> int:
        """What made the run worse: failed pages, item and spider errors, storage failures, layout
        problems. Not warnings (a broken image logs an ERROR line but harms no product)."""
        return (self.pages_failed + self.item_errors + self.problem_count + len(self.storage_failures)
                + int(stats.get("spider_exceptions/count", 0)))
