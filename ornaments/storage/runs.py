"""Run records in sync_runs: start, finish (with the guarded removal), abandoned runs, applying
held-back removals, and reading runs back. Blocking; RunRecords works on an engine, each transaction
retried on a passing database fault (ornaments.storage.engine.with_db_retries)."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Sequence

import sqlalchemy as sa

from ornaments.storage.removal import (UNGUARDED, RemovalOutcome, RemovalPolicy, RemovalScope, guarded_removal,
                                       lock_vendor, mark_removed, newer_running_runs, scope_filter, utcnow)
from ornaments.retry import RetryPolicy
from ornaments.storage.engine import with_db_retries
from ornaments.storage.schema import products, sync_batches, sync_runs

@dataclass
class RunSummary:
    run_id: int
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    held_back: int = 0
    reasons: list[str] = field(default_factory=list)
    removal: RemovalOutcome | None = None  # what the removal did this time (None: not attempted or replayed)
    started_at: datetime | None = None
    finished_at: datetime | None = None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def mark_abandoned(conn: sa.Connection, vendor: str | None, bound: timedelta | None,
                   exclude: int | None = None) -> list[int]:
    """Runs still 'running' whose process is gone (same host, pid not alive) or that started longer
    than bound ago are marked 'abandoned' (they died without closing: kill -9, a lost node), and so are
    runs 'queued' longer than bound ago (their crawl never started).

    bound: the ORNAMENTS_ABANDONED_AFTER_HOURS setting (a run on another host cannot be checked for a
    live process); None: no age bound, only this host's dead runs."""
    query = sa.select(sync_runs.c.id, sync_runs.c.pid, sync_runs.c.hostname, sync_runs.c.started_at).where(
        sync_runs.c.status == "running")
    if vendor is not None:
        query = query.where(sync_runs.c.vendor == vendor)
    cutoff = utcnow() - bound if bound is not None else None
    old = {r.id for r in conn.execute(query.where(sync_runs.c.started_at < cutoff))} if cutoff is not None else set()
    host = socket.gethostname()
    gone = [r.id for r in conn.execute(query) if r.id != exclude and (
        r.id in old or (r.hostname == host and r.pid and r.pid != os.getpid() and not process_alive(r.pid)))]
    # A run queued for a crawl (an API upload) that never took it over, e.g. a Scrapyd job that never ran.
    if cutoff is not None:
        never_started = sa.select(sync_runs.c.id).where(sync_runs.c.status == "queued", sync_runs.c.started_at < cutoff)
        if vendor is not None:
            never_started = never_started.where(sync_runs.c.vendor == vendor)
        gone += [r.id for r in conn.execute(never_started) if r.id != exclude]
    if gone:
        conn.execute(sync_runs.update().where(sync_runs.c.id.in_(gone)).values(
            status="abandoned", finished_at=utcnow(),
            finish_reason="the run's process ended without recording the run's end",
            reasons=json.dumps(["the process died without closing the run (killed, or its host was lost)"])))
    return gone


def queue_run(conn: sa.Connection, spider: str, vendor: str, arguments: Mapping) -> int:
    """A run whose id is known before its crawl starts (an upload through the API answers with it):
    status 'queued' until the crawl, given ORNAMENTS_RUN_ID, takes it over in start_run."""
    return conn.execute(sync_runs.insert(), {  # inserted_primary_key: MySQL has no RETURNING
        "spider": spider, "vendor": vendor, "mode": "all", "arguments": json.dumps(dict(arguments), sort_keys=True),
        "started_at": utcnow(), "status": "queued"}).inserted_primary_key[0]


class ApplyRefused(Exception):
    """The held-back removals of a run cannot be applied (why in the message)."""


def summary_of(run: sa.Row) -> RunSummary:
    return RunSummary(run.id, run.status, run.items_new, run.items_updated, run.items_unchanged, run.items_removed,
                      json.loads(run.dropped_reasons or "{}"), run.errors, run.held_back_removals,
                      json.loads(run.reasons or "[]"), None, run.started_at, run.finished_at)


class RunRecords:
    """The runs of one database. change_log_fields: the fields a removal writes to product_changes."""

    def __init__(self, engine: sa.Engine, retry: RetryPolicy = RetryPolicy(), change_log_fields: Iterable[str] = (),
                 on_retry: Callable[[BaseException], None] | None = None):
        self.engine = engine
        self.retry = retry
        self.change_log_fields = tuple(change_log_fields)
        self.on_retry = on_retry

    def _retrying(self, func, what: str):
        return with_db_retries(func, self.retry, what, self.on_retry)

    def start(self, spider: str, vendor: str, arguments: Mapping, mode: str, scope_year: int | None,
              abandoned_after: timedelta | None = None, queued_run: int | None = None) -> tuple[int, datetime]:
        """abandoned_after: the ORNAMENTS_ABANDONED_AFTER_HOURS setting (a crawl always gives it; None, for
        tests and tools: only this host's dead runs of the vendor are marked abandoned first)."""
        def insert_run() -> tuple[int, datetime]:
            with self.engine.begin() as conn:
                lock_vendor(conn, vendor)  # see ornaments.storage.removal: starts queue behind a removal
                mark_abandoned(conn, vendor, abandoned_after)
                started_at = utcnow()  # under the lock: a removal that committed before us used an older start
                values = {"spider": spider, "vendor": vendor, "mode": mode, "scope_year": scope_year,
                          "arguments": json.dumps(dict(arguments), sort_keys=True), "started_at": started_at,
                          "status": "running", "pid": os.getpid(), "hostname": socket.gethostname()[:255]}
                if queued_run is not None:  # take over the run queue_run made (once: a retry finds it running)
                    taken = conn.execute(sync_runs.update().where(
                        sync_runs.c.id == queued_run, sync_runs.c.status == "queued").values(**values)).rowcount
                    if not taken:
                        raise ValueError(f"run {queued_run} is not a queued run (ORNAMENTS_RUN_ID)")
                    return queued_run, started_at
                run_id = conn.execute(sync_runs.insert(), values).inserted_primary_key[0]
                return run_id, started_at

        return self._retrying(insert_run, "recording the run start")

    def finish(self, run_id: int, status: str, finish_reason: str, dropped: Mapping[str, int],
               errors: int, details: Mapping | None = None, removal: RemovalScope | None = None,
               policy: RemovalPolicy | None = None, reasons: Sequence[str] = (),
               stats: Mapping[str, Any] | None = None, items_seen: int | None = None) -> RunSummary:
        """Record the end of a run and, with a removal scope, remove what the guard allows.

        Both happen in one transaction, so a retry after a lost commit finds the run already finished
        and returns what was recorded instead of removing or counting twice. Without a policy nothing
        guards the removal (the storage API's default; StorePipeline always passes one).
        """
        def finish_once() -> RunSummary:
            with self.engine.begin() as conn:
                recorded = conn.execute(sa.select(sync_runs).where(sync_runs.c.id == run_id)).one()
                if recorded.status != "running":
                    return summary_of(recorded)
                totals = conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(sync_batches.c.items_new), 0),
                              sa.func.coalesce(sa.func.sum(sync_batches.c.items_updated), 0),
                              sa.func.coalesce(sa.func.sum(sync_batches.c.items_unchanged), 0))
                    .where(sync_batches.c.run_id == run_id)).one()
                new, updated, unchanged = (int(t) for t in totals)
                seen = items_seen if items_seen is not None else new + updated + unchanged
                outcome = None
                final_status, all_reasons = status, list(reasons)
                policy_used = policy or UNGUARDED
                if removal is not None:
                    outcome = guarded_removal(conn, run_id, removal, policy_used, seen, self.change_log_fields)
                    if outcome.reason:
                        final_status = "suspect"
                        all_reasons.append(outcome.reason)
                removal_details = {} if outcome is None else {"removal": {
                    "live": outcome.live, "missed": outcome.missed, "removed": outcome.removed,
                    "held_back": outcome.held_back, "deferred_to_runs": outcome.deferred_to,
                    "window": None if outcome.window is None else {"max_live": outcome.window.max_live,
                                                                   "runs": outcome.window.runs}}}
                finished_at = utcnow()
                scope_live = outcome.scope_live if outcome is not None else None
                # A run with the guard off is a person accepting its removals: the guard's history starts here.
                reset_at = finished_at if scope_live is not None and not policy_used.guarding else None
                conn.execute(sync_runs.update().where(sync_runs.c.id == run_id).values(
                    finished_at=finished_at, status=final_status, finish_reason=finish_reason,
                    items_new=new, items_updated=updated, items_unchanged=unchanged,
                    items_removed=outcome.removed if outcome else 0, items_dropped=sum(dropped.values()),
                    dropped_reasons=json.dumps(dict(dropped), sort_keys=True), errors=errors,
                    details=json.dumps({**dict(details or {}), **removal_details}, sort_keys=True, default=str),
                    reasons=json.dumps(all_reasons), items_seen=seen,
                    held_back_removals=outcome.held_back if outcome else 0, scope_live=scope_live, guard_reset_at=reset_at,
                    stats=json.dumps(dict(stats), sort_keys=True, default=str) if stats is not None else None))
                return RunSummary(run_id, final_status, new, updated, unchanged, outcome.removed if outcome else 0,
                                  dict(dropped), errors, outcome.held_back if outcome else 0, all_reasons, outcome,
                                  recorded.started_at, finished_at)

        return self._retrying(finish_once, f"recording the end of run {run_id}")

    def previous_coverage(self, vendor: str, mode: str, year: int | None, before_run: int) -> dict | None:
        """The coverage recorded by the vendor's last finished run of the same scope, if any."""
        query = (sa.select(sync_runs.c.details)
                 .where(sync_runs.c.vendor == vendor, sync_runs.c.status == "finished", sync_runs.c.mode == mode,
                        sync_runs.c.id < before_run)
                 .order_by(sync_runs.c.id.desc()).limit(1))
        if year is not None:
            query = query.where(sync_runs.c.scope_year == year)
        with self.engine.connect() as conn:
            details = conn.execute(query).scalar()
        return json.loads(details).get("coverage") if details else None

    def apply_removals(self, run_id: int, abandoned_after: timedelta) -> tuple[int, int]:
        """Remove what run run_id's guard held back, except products a newer run has seen since.

        Returns (removed, kept because seen since). Refused while a newer run of the vendor is running
        (it may be about to bump a product we would remove), or when there is nothing held back.
        """
        def apply_once() -> tuple[int, int]:
            with self.engine.begin() as conn:
                run = conn.execute(sa.select(sync_runs).where(sync_runs.c.id == run_id)).first()
                if run is None:
                    raise ApplyRefused(f"there is no run {run_id}")
                details = json.loads(run.details or "{}")
                if "removals_applied" in details:
                    raise ApplyRefused(f"the removals of run {run_id} were applied on {details['removals_applied']['at']}")
                if not run.held_back_removals:
                    raise ApplyRefused(f"run {run_id} held back no removals")
                lock_vendor(conn, run.vendor)
                mark_abandoned(conn, run.vendor, abandoned_after)
                running = newer_running_runs(conn, run_id, run.vendor, run.started_at)
                if running:
                    raise ApplyRefused(f"run(s) {', '.join(map(str, running))} of {run.vendor} are still running; "
                                       "apply the removals once they have ended")
                gone = conn.execute(scope_filter(sa.select(products.c.id, products.c.availability),
                                                 run.vendor, run.scope_year)
                                    .where(products.c.last_seen_at < run.started_at)).all()
                removed = mark_removed(conn, run_id, gone, self.change_log_fields, run.started_at)
                now = utcnow()
                details["removals_applied"] = {"at": now.isoformat(), "removed": removed,
                                               "seen_since": max(run.held_back_removals - removed, 0)}
                live = conn.execute(scope_filter(sa.select(sa.func.count()), run.vendor, run.scope_year)
                                    .select_from(products)).scalar_one()
                # A person accepted the shrink: the removal guard's window starts again at this size.
                conn.execute(sync_runs.update().where(sync_runs.c.id == run_id).values(
                    items_removed=run.items_removed + removed, details=json.dumps(details, sort_keys=True),
                    scope_live=live, guard_reset_at=now))
                return removed, max(run.held_back_removals - removed, 0)

        return self._retrying(apply_once, f"applying the removals of run {run_id}")

    def latest(self, abandoned_after: timedelta, vendor: str | None = None, limit: int = 20) -> list[sa.Row]:
        """The latest runs, newest first, after marking those whose process is gone as abandoned."""
        with self.engine.begin() as conn:
            mark_abandoned(conn, vendor, abandoned_after)
        query = sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(limit)
        if vendor is not None:
            query = query.where(sync_runs.c.vendor == vendor)
        with self.engine.connect() as conn:
            return conn.execute(query).all()
