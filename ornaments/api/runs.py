"""GET /runs, GET /runs/{id}, GET /runs/{id}/progress (Server-Sent Events) and GET /health.

A run's progress comes from two places: the batches it committed (sync_batches: stored, in the
database, wherever the crawl runs) and the figures its crawl writes to a progress file (records read,
dropped, ETA; ornaments.extensions.progress) when it runs on this host, as uploads do.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, AsyncIterator

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.ids import MAX_ID, path_id
from ornaments.api.shape import as_utc, iso_utc, json_list, json_object
from ornaments.storage import migrate
from ornaments.clock import utcnow
from ornaments.storage.schema import sync_batches, sync_runs

router = APIRouter(tags=["runs"])
ACTIVE = ("queued", "running")


def run_json(row: Any, full: bool = False) -> dict[str, Any]:
    started, finished = as_utc(row.started_at), as_utc(row.finished_at)
    end = finished or (utcnow() if row.status == "running" else None)
    data = {
        "id": int(row.id), "spider": row.spider, "vendor": row.vendor, "mode": row.mode, "status": row.status,
        "started_at": iso_utc(started), "finished_at": iso_utc(finished),
        "duration_seconds": None if end is None else round((end - started).total_seconds(), 1),
        "reasons": json_list(row.reasons), "finish_reason": row.finish_reason,
        "counts": {"new": row.items_new, "updated": row.items_updated, "unchanged": row.items_unchanged,
                   "removed": row.items_removed, "dropped": row.items_dropped, "seen": row.items_seen,
                   "errors": row.errors},
        "held_back_removals": row.held_back_removals,
    }
    if full:
        details = json_object(row.details)
        data.update({"scope_year": row.scope_year, "arguments": json_object(row.arguments),
                     "dropped_reasons": json_object(row.dropped_reasons), "details": details,
                     "removals_applied": details.get("removals_applied")})
    return data


@router.get("/runs", response_model=models.RunPage, responses=models.ERRORS, summary="Recent sync runs, newest first", dependencies=[Depends(require_read)])
def list_runs(request: Request, vendor: str | None = None, status: str | None = None,
              before: int | None = Query(None, ge=0, le=MAX_ID, description="the next_before of the previous page"),
              limit: int = Query(50, ge=1, le=500)) -> JSONResponse:
    query = sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(limit)
    if vendor:
        query = query.where(sync_runs.c.vendor == vendor)
    if status:
        query = query.where(sync_runs.c.status == status)
    if before is not None:
        query = query.where(sync_runs.c.id < before)
    rows = request.app.state.db.read(lambda conn: conn.execute(query).all(), "listing runs")
    return JSONResponse({"runs": [run_json(r) for r in rows],
                         "next_before": int(rows[-1].id) if len(rows) == limit else None})


def read_run(db, run_id: int) -> Any:
    row = db.read(lambda conn: conn.execute(sa.select(sync_runs).where(sync_runs.c.id == run_id)).first(),
                  "reading a run")
    if row is None:
        raise HTTPException(404, f"no run {run_id}")
    return row


@router.get("/runs/{run_id}", response_model=models.RunDetail, responses=models.ERRORS, summary="One run: status, reasons, counts, duration, held-back removals",
            dependencies=[Depends(require_read)])
def get_run(request: Request, run_id: int = path_id("run")) -> JSONResponse:
    return JSONResponse(run_json(read_run(request.app.state.db, run_id), full=True))


# --- progress ----------------------------------------------------------------------------------------

def progress_file(imports_dir: Path, run_id: int) -> Path:
    return imports_dir / str(run_id) / "progress.json"


def progress_snapshot(db, imports_dir: Path, run_id: int) -> dict[str, Any]:
    def read(conn: sa.Connection):
        run = conn.execute(sa.select(sync_runs).where(sync_runs.c.id == run_id)).first()
        stored = conn.execute(sa.select(
            sa.func.coalesce(sa.func.sum(sync_batches.c.items_new), 0),
            sa.func.coalesce(sa.func.sum(sync_batches.c.items_updated), 0),
            sa.func.coalesce(sa.func.sum(sync_batches.c.items_unchanged), 0))
            .where(sync_batches.c.run_id == run_id)).one()
        return run, stored

    run, stored = db.read(read, "reading a run's progress")
    if run is None:
        raise HTTPException(404, f"no run {run_id}")
    figures: dict[str, Any] = {}
    try:
        figures = json.loads(progress_file(imports_dir, run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # not started yet, or the crawl runs on another node: the database's counts only
    new, updated, unchanged = (int(v) for v in stored)
    return {"run_id": run_id, "status": run.status,
            "records_read": figures.get("records_read"), "records_total": figures.get("records_total"),
            "bytes_read": figures.get("bytes_read"), "bytes_total": figures.get("bytes_total"),
            "stored": new + updated + unchanged, "new": new, "updated": updated, "unchanged": unchanged,
            "dropped": figures.get("dropped", 0), "records_per_second": figures.get("records_per_second"),
            "eta_seconds": figures.get("eta_seconds"), "elapsed_seconds": figures.get("elapsed_seconds"),
            "_row": run}


def sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


@router.get("/runs/{run_id}/progress", summary="The run's progress as Server-Sent Events, until it ends",
            dependencies=[Depends(require_read)], response_class=StreamingResponse)
async def run_progress(request: Request, run_id: int = path_id("run")) -> StreamingResponse:
    state = request.app.state
    first = await run_in_threadpool(progress_snapshot, state.db, state.config.imports_dir, run_id)  # 404 early

    async def stream() -> AsyncIterator[str]:
        snapshot, number = first, 0
        while True:
            row = snapshot.pop("_row")
            number += 1
            if row.status not in ACTIVE:
                yield sse("end", {**snapshot, **run_json(row, full=False), "run_id": run_id}, number)
                return
            yield sse("progress", snapshot, number)
            await asyncio.sleep(state.config.progress_interval)
            if await request.is_disconnected():
                return
            snapshot = await run_in_threadpool(progress_snapshot, state.db, state.config.imports_dir, run_id)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# --- health -------------------------------------------------------------------------------------------

def last_runs(conn: sa.Connection) -> list[Any]:
    latest = sa.select(sa.func.max(sync_runs.c.id)).group_by(sync_runs.c.vendor).scalar_subquery()
    return conn.execute(sa.select(sync_runs).where(sync_runs.c.id.in_(latest)).order_by(sync_runs.c.vendor)).all()


@router.get("/health", response_model=models.Health, summary="Database reachable, schema current, last run per vendor (no key needed)")
def health(request: Request) -> JSONResponse:
    db = request.app.state.db
    head = migrate.head_revision()
    try:
        current, runs = db.read(lambda conn: (migrate.current_revision(conn), last_runs(conn)
                                              if sa.inspect(conn).has_table("sync_runs") else []), "checking health")
    except Exception as exc:  # the database is away: say so, without the URL (it may hold a password)
        return JSONResponse({"status": "down", "database": "unreachable", "error": type(exc).__name__,
                             "schema": {"current": None, "head": head, "up_to_date": False}, "vendors": []},
                            status_code=503)
    now = utcnow()
    vendors = []
    for run in runs:
        ended = as_utc(run.finished_at) or as_utc(run.started_at)
        vendors.append({"vendor": run.vendor, "run_id": int(run.id), "status": run.status,
                        "started_at": iso_utc(run.started_at), "finished_at": iso_utc(run.finished_at),
                        "age_seconds": round((now - ended).total_seconds())})
    up_to_date = current == head
    return JSONResponse({"status": "ok" if up_to_date else "degraded", "database": "reachable",
                         "schema": {"current": current, "head": head, "up_to_date": up_to_date},
                         "vendors": vendors})
