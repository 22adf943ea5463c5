"""The scheduler: each tick, post every due entry to the least-busy reachable Scrapyd node.

An entry is due when a cron slot has passed since the slot it last dealt with. Missed slots (the
scheduler was down) are fired once, not once each. Before firing, every reachable node is asked
(listjobs.json) whether
  * the job of this slot already exists (fired before a crash, not yet recorded) -> recorded, not fired again;
  * a run of this entry is still pending or running (job ids are "<entry>.<slot>"), or a pending job
    has the same spider and arguments -> this slot is skipped and logged, so long runs never pile up.
A node that does not answer is skipped with a warning. If no node answers, the entry stays due and
is tried again on the next tick.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from ornaments.clock import utcnow
from ornaments.scheduling.client import AuthError, NodeUnavailable, ScrapydClient, ScrapydError
from ornaments.scheduling.schedule import Entry
from ornaments.scheduling.state import StateStore

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    entry: str
    action: str  # fired | skipped | already_fired | deferred | first_seen
    slot: datetime | None = None
    node: str | None = None
    job_id: str | None = None
    detail: str = ""


@dataclass
class NodeView:
    """What one node told us this tick."""
    client: ScrapydClient
    load: int = 0  # pending + running
    jobs: list[dict[str, Any]] = field(default_factory=list)  # pending and running
    finished_ids: set[str] = field(default_factory=set)
    usable: bool = True


class Scheduler:
    def __init__(self, entries: Sequence[Entry], nodes: Sequence[ScrapydClient], project: str,
                 state: StateStore, clock: Callable[[], datetime] = utcnow):
        if not nodes:
            raise ValueError("the scheduler needs at least one Scrapyd node")
        self.entries = [e for e in entries if e.enabled]
        self.nodes = list(nodes)
        self.project = project
        self.state = state
        self.clock = clock

    # --- one tick ----------------------------------------------------------------------------------

    def tick(self, now: datetime | None = None) -> list[Outcome]:
        now = now or self.clock()
        outcomes: list[Outcome] = []
        due: list[tuple[Entry, datetime]] = []
        for entry in self.entries:
            record = self.state.get(entry.name)
            if record is None:
                # A new entry owes no runs from before it existed; its first run is its next slot.
                self.state.first_seen(entry.name, now)
                outcomes.append(Outcome(entry.name, "first_seen", detail=f"next run {entry.next_slot(now)}"))
                continue
            slot = entry.latest_slot(now)
            if slot > record.handled_until:
                due.append((entry, slot))
        if due:
            views = self.survey()
            outcomes += [self.fire(entry, slot, views, now) for entry, slot in due]
        return outcomes

    def survey(self) -> list[NodeView]:
        """Each node's load and jobs; a node that does not answer is left out with a warning."""
        views = []
        for client in self.nodes:
            try:
                status = client.daemon_status()
                jobs = client.list_jobs(self.project)
            except NodeUnavailable as exc:
                logger.warning("Scrapyd node %s is down; skipping it this time: %s", client.url, exc)
                continue
            except AuthError as exc:
                logger.error("Scrapyd node %s: %s; skipping it", client.url, exc)
                continue
            except ScrapydError as exc:  # e.g. the project is not deployed there
                logger.warning("Scrapyd node %s cannot run %s; skipping it: %s", client.url, self.project, exc)
                continue
            views.append(NodeView(client=client, load=int(status.get("pending", 0)) + int(status.get("running", 0)),
                                  jobs=jobs.get("pending", []) + jobs.get("running", []),
                                  finished_ids={j["id"] for j in jobs.get("finished", [])}))
        return views

    def fire(self, entry: Entry, slot: datetime, views: list[NodeView], now: datetime) -> Outcome:
        job_id = entry.job_id(slot)
        for view in views:
            if job_id in view.finished_ids or any(job["id"] == job_id for job in view.jobs):
                # Fired before a restart that came before it was recorded: record it, never fire twice.
                self.state.handled(entry.name, slot, "already_fired", now, node=view.client.url, job=job_id)
                logger.info("%s: the run for %s was already sent to %s (job %s)", entry.name, slot,
                            view.client.url, job_id)
                return Outcome(entry.name, "already_fired", slot, view.client.url, job_id)
        for view in views:
            clash = self._overlapping_job(entry, view.jobs)
            if clash is not None:
                detail = (f"the previous run (job {clash['id']}) is still {clash['state']} on "
                          f"{view.client.url}")
                self.state.handled(entry.name, slot, "skipped", now, node=view.client.url, detail=detail)
                logger.warning("%s: skipping the run due at %s: %s", entry.name, slot, detail)
                return Outcome(entry.name, "skipped", slot, view.client.url, clash["id"], detail)
        for view in sorted((v for v in views if v.usable), key=lambda v: v.load):
            try:
                view.client.schedule(self.project, entry.spider, entry.args, entry.settings, job_id=job_id)
            except NodeUnavailable as exc:
                if exc.maybe_sent:
                    # It may have taken the run without answering: another node now could run it twice.
                    # The slot stays due; the next tick finds the job by its id, or sends it then.
                    logger.warning("%s: Scrapyd node %s did not answer whether it took the run due at %s: "
                                   "%s; checking again on the next tick", entry.name, view.client.url, slot, exc)
                    return Outcome(entry.name, "deferred", slot, view.client.url, job_id, "no answer")
                logger.warning("%s: Scrapyd node %s did not take the run: %s; trying another node",
                               entry.name, view.client.url, exc)
                view.usable = False
                continue
            except ScrapydError as exc:
                logger.warning("%s: Scrapyd node %s did not take the run: %s; trying another node",
                               entry.name, view.client.url, exc)
                view.usable = False
                continue
            view.load += 1
            view.jobs.append({"id": job_id, "spider": entry.spider, "args": dict(entry.args), "state": "pending"})
            self.state.handled(entry.name, slot, "fired", now, node=view.client.url, job=job_id)
            late = now - slot
            logger.info("%s: sent %s to %s as job %s (due %s%s)", entry.name, entry.describe(),
                        view.client.url, job_id, slot, f", {_short(late)} late" if late > timedelta(minutes=1) else "")
            return Outcome(entry.name, "fired", slot, view.client.url, job_id)
        logger.warning("%s: no Scrapyd node is reachable; the run due at %s stays due", entry.name, slot)
        return Outcome(entry.name, "deferred", slot, detail="no node reachable")

    def _overlapping_job(self, entry: Entry, jobs: list[dict[str, Any]]) -> dict[str, Any] | None:
        prefix = f"{entry.name}."
        for job in jobs:
            state = job.get("state") or ("running" if "pid" in job or "start_time" in job else "pending")
            if job["id"].startswith(prefix):
                return {**job, "state": state}
            # Scrapyd lists the arguments of pending jobs only (a run scheduled by hand, for instance).
            if job.get("spider") == entry.spider and "args" in job and _spider_args(job["args"]) == entry.args:
                return {**job, "state": state}
        return None

    # --- the long-running loop ---------------------------------------------------------------------

    def run_forever(self, interval: float = 30.0, stop: threading.Event | None = None) -> None:
        """Tick until stop is set; wake at the next due slot or after interval, whichever is first."""
        stop = stop or threading.Event()
        logger.info("Scheduler started: %d entries, nodes %s, project %s", len(self.entries),
                    ", ".join(c.url for c in self.nodes), self.project)
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # a bad tick (disk full, ...) is logged; the loop goes on
                logger.exception("Scheduler tick failed")
            stop.wait(self.seconds_to_next(interval))
        logger.info("Scheduler stopped")

    def seconds_to_next(self, interval: float) -> float:
        now = self.clock()
        upcoming = [e.next_slot(now) for e in self.entries]
        if not upcoming:
            return interval
        return max(0.05, min(interval, (min(upcoming) - now).total_seconds() + 0.01))


def _spider_args(args: dict[str, Any]) -> dict[str, str]:
    # Scrapyd keeps its own keys among a pending job's arguments.
    return {k: v for k, v in args.items() if k not in ("project", "spider", "jobid", "priority", "setting", "_version")}


def _short(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
