"""Removal: the dangerous operation. A clean run marks the products of its scope it did not see as
removed, but only within the removal guard, only after ORNAMENTS_REMOVE_AFTER_MISSES clean misses,
and never while a newer run of the vendor is still writing what it sees.

Runs of one vendor coordinate through one lock per vendor (not per scope: an "all" run and a year
run overlap), taken by start_run and by the removing transaction:
- PostgreSQL: pg_advisory_xact_lock on the vendor, held until the transaction ends;
- MariaDB/MySQL: a row lock in transaction_locks, also held until the transaction ends;
- SQLite: BEGIN IMMEDIATE (ornaments.storage.engine) already serializes every write transaction.
A run that removes first checks, under the lock, that no run of the vendor that started after it is
still running. If one is, it removes nothing (that run's own removal covers the same products, or
the next clean run's will): its batches may have read a product as live before our removal and bump
last_seen_at after it, which would leave removed a product that newer run saw. A run that starts
after the removal committed reads removed_at and brings the product back through the normal update.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Sequence

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.storage import item_state, outbox
from ornaments.storage.mysql import is_mysql, transaction_lock
from ornaments.storage.schema import product_changes, products, sync_runs

REMOVED_AVAILABILITY = "discontinued"
KEY_CHUNK = 1000
RECENT_RUNS = 5  # finished runs of the same scope the "saw far fewer" rule compares with


@dataclass(frozen=True)
class RemovalScope:
    """Products of vendor (of year, when set) not seen since seen_since are gone from the shop."""
    vendor: str
    seen_since: datetime
    year: int | None = None


@dataclass(frozen=True)
class RemovalPolicy:
    """The removal guard (ORNAMENTS_MAX_REMOVAL_SHARE, ORNAMENTS_MIN_SEEN_RATIO, ORNAMENTS_REMOVE_AFTER_MISSES).

    max_share: a run that did not see more than this share of the live products of its scope removes
        nothing; 1 (or more) switches the whole guard off, as a person accepting the removal does.
    min_seen_ratio: a run that saw fewer products than this share of the median items_seen of the
        scope's last RECENT_RUNS finished runs removes nothing; 0 switches this rule off.
    remove_after_misses: a product is removed once this many consecutive clean runs missed it.
    window_runs, window_days (ORNAMENTS_REMOVAL_WINDOW_RUNS, ORNAMENTS_REMOVAL_WINDOW_DAYS): the window. A
        run whose removals would leave its scope more than max_share below the largest live size the
        scope's last window_runs runs, or its runs of the last window_days days, recorded removes nothing:
        a catalogue eroded a little each run is caught. 0 and 0 switch this rule off.
    """
    max_share: float
    min_seen_ratio: float
    remove_after_misses: int
    window_runs: int  # no defaults here: they are the settings' (ornaments.settings), read by GuardConfig
    window_days: float

    @property
    def guarding(self) -> bool:
        return self.max_share < 1


UNGUARDED = RemovalPolicy(max_share=1.0, min_seen_ratio=0.0, remove_after_misses=1, window_runs=0, window_days=0)


@dataclass(frozen=True)
class Window:
    """The largest live size the scope's runs in the window recorded, and how many runs that was."""
    max_live: int
    runs: int


@dataclass
class RemovalOutcome:
    removed: int = 0
    missed: int = 0  # live products of the scope the run did not see
    live: int = 0
    held_back: int = 0  # products the guard kept (the run's removals, for --apply-removals)
    reason: str | None = None  # why the guard held them back
    deferred_to: list[int] = field(default_factory=list)  # newer runs still running: removal left to them
    window: Window | None = None  # what the window rule compared with (None: no earlier size, or rule off)

    @property
    def scope_live(self) -> int | None:
        """Live products of the scope after the removal (None: the removal was left to a newer run)."""
        return None if self.deferred_to else self.live - self.removed


def lock_vendor(conn: sa.Connection, vendor: str) -> None:
    """Serialize run starts and removals of one vendor (PostgreSQL; SQLite's BEGIN IMMEDIATE does it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                     {"key": f"ornaments.vendor:{vendor}"})
    elif is_mysql(conn):
        transaction_lock(conn, f"ornaments.vendor:{vendor}")


def newer_running_runs(conn: sa.Connection, run_id: int, vendor: str, started_at: datetime) -> list[int]:
    query = sa.select(sync_runs.c.id).where(sync_runs.c.vendor == vendor, sync_runs.c.status == "running",
                                            sync_runs.c.id != run_id, sync_runs.c.started_at >= started_at)
    return [r.id for r in conn.execute(query.order_by(sync_runs.c.id))]


def _scope_runs(query, vendor: str, year: int | None):
    """Runs of the scope: a year run's scope is that year's runs, an "all" run's the "all" runs."""
    query = query.where(sync_runs.c.vendor == vendor, sync_runs.c.mode == ("year" if year is not None else "all"))
    return query.where(sync_runs.c.scope_year == year) if year is not None else query


def last_reset(conn: sa.Connection, vendor: str, year: int | None) -> datetime | None:
    """When a person last accepted removals of the scope (--apply-removals, or a run with the guard off);
    accepting the vendor's whole catalogue ("all") resets its year scopes too. The guard's history
    starts there: a shop that really shrank is not held back again for it."""
    scopes = sync_runs.c.mode == "all"
    if year is not None:
        scopes = sa.or_(scopes, sa.and_(sync_runs.c.mode == "year", sync_runs.c.scope_year == year))
    return conn.execute(sa.select(sa.func.max(sync_runs.c.guard_reset_at))
                        .where(sync_runs.c.vendor == vendor, scopes)).scalar()


def _since_reset(query, reset: datetime | None):
    if reset is None:
        return query
    # The accepted run itself counts from its acceptance (its live size was recorded then).
    return query.where(sa.func.coalesce(sync_runs.c.guard_reset_at, sync_runs.c.finished_at) >= reset)


def recent_items_seen(conn: sa.Connection, vendor: str, year: int | None, before_run: int,
                      reset: datetime | None = None) -> list[int]:
    """items_seen of the scope's last finished runs (a year run compares with year runs only)."""
    query = _scope_runs(sa.select(sync_runs.c.items_seen), vendor, year).where(
        sync_runs.c.status == "finished", sync_runs.c.id < before_run)
    query = _since_reset(query, reset).order_by(sync_runs.c.id.desc()).limit(RECENT_RUNS)
    return [r.items_seen for r in conn.execute(query)]


def window_of(conn: sa.Connection, run_id: int, vendor: str, year: int | None, policy: RemovalPolicy,
              reset: datetime | None = None) -> Window | None:
    """The largest scope_live of the scope's last policy.window_runs runs and of its runs that finished in
    the last policy.window_days days, since the last reset (None: no such run, or the window is off)."""
    base = _since_reset(_scope_runs(sa.select(sync_runs.c.id, sync_runs.c.scope_live), vendor, year), reset).where(
        sync_runs.c.scope_live.is_not(None), sync_runs.c.finished_at.is_not(None), sync_runs.c.id != run_id)
    found: dict[int, int] = {}
    if policy.window_runs > 0:
        query = base.order_by(sync_runs.c.finished_at.desc()).limit(policy.window_runs)
        found.update((r.id, r.scope_live) for r in conn.execute(query))
    if policy.window_days > 0:
        query = base.where(sync_runs.c.finished_at >= utcnow() - timedelta(days=policy.window_days))
        found.update((r.id, r.scope_live) for r in conn.execute(query))
    return Window(max(found.values()), len(found)) if found else None


def guard_reason(run_id: int, missed: int, live: int, seen: int, recent: Sequence[int],
                 policy: RemovalPolicy) -> str | None:
    """Why the guard keeps this run's removals (None: they may go ahead). Pure, for tests and docs."""
    if not policy.guarding or not missed:
        return None
    accept = (f"If the shop really shrank, run again with -s ORNAMENTS_MAX_REMOVAL_SHARE=1 or "
              f"`scrapy runs --apply-removals {run_id}`.")
    verb = "would remove" if policy.remove_after_misses <= 1 else "did not see"
    if live and missed > policy.max_share * live:
        return (f"{verb} {missed} of {live} live products ({missed / live:.0%}), above "
                f"ORNAMENTS_MAX_REMOVAL_SHARE={policy.max_share:g}; nothing was marked removed. {accept}")
    if recent and policy.min_seen_ratio > 0:
        median = statistics.median(recent)
        if seen < policy.min_seen_ratio * median:
            return (f"saw {seen} products, fewer than {policy.min_seen_ratio:g} of the median {median:g} of the "
                    f"last {len(recent)} finished runs of this scope (ORNAMENTS_MIN_SEEN_RATIO), and {verb} "
                    f"{missed} of {live} live products; nothing was marked removed. {accept}")
    return None


def window_reason(run_id: int, removing: int, live: int, window: Window | None, policy: RemovalPolicy) -> str | None:
    """Why the window rule keeps this run's removals (None: they may go ahead). Pure, for tests and docs.

    removing: products the run would mark removed now; live: the scope's live products before that."""
    if not policy.guarding or not removing or window is None or not window.max_live:
        return None
    after = live - removing
    if window.max_live - after <= policy.max_share * window.max_live:
        return None
    return (f"would remove {removing} products, leaving {after} live: {1 - after / window.max_live:.0%} fewer than "
            f"the {window.max_live} of the scope's largest recent catalogue (its last {window.runs} recorded "
            f"run(s), ORNAMENTS_REMOVAL_WINDOW_RUNS/_DAYS), above ORNAMENTS_MAX_REMOVAL_SHARE={policy.max_share:g}: "
            f"the catalogue is shrinking run by run; nothing was marked removed. If the shop really shrank, run "
            f"again with -s ORNAMENTS_MAX_REMOVAL_SHARE=1 or `scrapy runs --apply-removals {run_id}`.")


def scope_filter(query, vendor: str, year: int | None):
    query = query.where(products.c.vendor == vendor, products.c.removed_at.is_(None))
    return query.where(products.c.release_year == year) if year is not None else query


def guarded_removal(conn: sa.Connection, run_id: int, scope: RemovalScope, policy: RemovalPolicy,
                    seen: int, change_log_fields: Sequence[str]) -> RemovalOutcome:
    """Under the vendor lock: count, check the guard, then count misses and remove. One transaction."""
    lock_vendor(conn, scope.vendor)
    outcome = RemovalOutcome()
    outcome.deferred_to = newer_running_runs(conn, run_id, scope.vendor, scope.seen_since)
    if outcome.deferred_to:
        return outcome
    outcome.live = conn.execute(scope_filter(sa.select(sa.func.count()), scope.vendor, scope.year)
                                .select_from(products)).scalar_one()
    query = scope_filter(sa.select(products.c.id, products.c.missed_runs, products.c.availability),
                         scope.vendor, scope.year).where(products.c.last_seen_at < scope.seen_since)
    if conn.dialect.name != "sqlite":
        # Waits for a batch that is bumping one of these rows; READ COMMITTED then re-checks
        # last_seen_at on the row it committed, so a product just seen drops out here.
        query = query.order_by(products.c.id).with_for_update()
    missed = conn.execute(query).all()
    outcome.missed = len(missed)
    gone = [r for r in missed if r.missed_runs + 1 >= policy.remove_after_misses]
    if policy.guarding:
        reset = last_reset(conn, scope.vendor, scope.year)
        recent = recent_items_seen(conn, scope.vendor, scope.year, run_id, reset)
        outcome.window = window_of(conn, run_id, scope.vendor, scope.year, policy, reset)
        outcome.reason = (guard_reason(run_id, len(missed), outcome.live, seen, recent, policy)
                          or window_reason(run_id, len(gone), outcome.live, outcome.window, policy))
    if outcome.reason is not None:
        outcome.held_back = len(missed)
        return outcome
    ids = [r.id for r in missed]
    for chunk in _chunks(ids, KEY_CHUNK):
        conn.execute(products.update().where(products.c.id.in_(chunk))
                     .values(missed_runs=products.c.missed_runs + 1))
    outcome.removed = mark_removed(conn, run_id, gone, change_log_fields, scope.seen_since)
    return outcome


def mark_removed(conn: sa.Connection, run_id: int, gone: Sequence[sa.Row], change_log_fields: Sequence[str],
                 run_started: datetime) -> int:
    """Mark rows (id, availability) removed, with their change log rows; return how many. The removal
    is the removing run's write: a run that started before it does not bring the product back."""
    now = utcnow()
    for chunk in _chunks([row.id for row in gone], KEY_CHUNK):
        conn.execute(products.update().where(products.c.id.in_(chunk)).values(
            removed_at=now, changed_at=now, availability=REMOVED_AVAILABILITY, written_run_started_at=run_started))
    changes = [{"product_id": row.id, "field": "removed_at", "old_value": None,
                "new_value": str(now), "changed_at": now, "run_id": run_id} for row in gone]
    if "availability" in change_log_fields:
        changes += [{"product_id": row.id, "field": "availability", "old_value": row.availability,
                     "new_value": REMOVED_AVAILABILITY, "changed_at": now, "run_id": run_id}
                    for row in gone if row.availability != REMOVED_AVAILABILITY]
    if changes:
        conn.execute(product_changes.insert(), changes)
    events = outbox.removed_events(conn, [row.id for row in gone])
    events += item_state.after_removal(conn, [row.id for row in gone], now)  # their catalogue items' offers
    outbox.insert_events(conn, events, run_id, now)
    return len(gone)


def _chunks(values: Sequence, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]
