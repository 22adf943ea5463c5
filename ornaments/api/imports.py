"""POST /imports: a CSV or XML file uploaded as multipart form data is kept under ORNAMENTS_IMPORTS_DIR
and synced by its feed spider, in a worker process (`scrapy crawl <spider> -a feed=<file>`) or on a
Scrapyd node (SCRAPYD_NODES, through ornaments.scheduling.client). The answer comes at once, with the
id of the run: the run is queued in sync_runs first (status "queued") and the crawl takes it over
(ORNAMENTS_RUN_ID). GET /runs/{id}/progress follows it.

The file never sits in the API's memory: the multipart parser spools it to disk (1 MB in memory at
most) and it is copied to its place in 1 MB chunks in a worker thread, so the event loop keeps serving.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

import ornaments
from ornaments.api import models
from ornaments.api.auth import require_write
from ornaments.api.config import ApiConfig
from ornaments.api.runs import progress_file
from ornaments.scheduling.client import NodeUnavailable, ScrapydClient, ScrapydError
from ornaments.clock import utcnow
from ornaments.storage.runs import mark_abandoned, queue_run
from ornaments.storage.schema import sync_runs

logger = logging.getLogger(__name__)
router = APIRouter(tags=["imports"])

CHUNK = 1024 * 1024
FEED_SPIDERS = {"products_csv": "csv", "google_merchant": "xml", "bestseller": "xml"}
XML_ROOTS = {"rss": "google_merchant", "feed": "google_merchant", "items": "bestseller"}
PASSED_ARGUMENTS = ("currency", "columns", "labels", "year")
PROJECT_DIR = Path(ornaments.__file__).resolve().parents[1]


def save_upload(source: BinaryIO, incoming: Path, limit: int) -> int:
    """Copy the spooled upload to incoming in chunks; refuse it past `limit` bytes."""
    size = 0
    with open(incoming, "wb") as target:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"the file is larger than ORNAMENTS_API_MAX_UPLOAD_MB ({limit // CHUNK} MB)")
            target.write(chunk)
    return size


def choose_spider(path: Path, filename: str, asked: str | None) -> str:
    if asked:
        if asked not in FEED_SPIDERS:
            raise HTTPException(400, f"spider must be one of {', '.join(FEED_SPIDERS)}")
        return asked
    with open(path, "rb") as file:
        head = file.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        # The root element: skip the XML declaration, comments and a doctype.
        match = re.search(rb"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", head)
        root = match.group(2).decode() if match else ""
        if root in XML_ROOTS:
            return XML_ROOTS[root]
        raise HTTPException(400, f"{filename}: an XML document whose root element <{root}> no feed spider reads; "
                                 f"say which with spider= ({', '.join(FEED_SPIDERS)})")
    if filename.lower().endswith((".csv", ".txt")) or b"," in head.split(b"\n", 1)[0]:
        return "products_csv"
    raise HTTPException(400, f"{filename}: neither CSV nor XML; say which spider reads it with spider=")


def safe_name(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename or "upload").name).strip("._") or "upload"
    return name[:100]


def last_lines(path: Path, count: int) -> list[str]:
    """The last lines of a log, reading only its end (a big import's log runs to megabytes)."""
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - 8192))
            return file.read().decode("utf-8", "replace").strip().splitlines()[-count:]
    except OSError:
        return []


class ImportRunner:
    """Starts the crawls of uploads and watches them, so a crawl that dies before it takes its run over
    leaves a failed run, not a queued one forever."""

    def __init__(self, config: ApiConfig, db):
        self.config = config
        self.db = db
        self.processes: dict[int, subprocess.Popen] = {}
        self.lock = threading.Lock()

    def running(self) -> int:
        with self.lock:
            return sum(1 for p in self.processes.values() if p.poll() is None)

    def start(self, run_id: int, spider: str, feed: Path, arguments: dict[str, str]) -> str:
        settings = {"ORNAMENTS_RUN_ID": str(run_id),
                    "ORNAMENTS_PROGRESS_FILE": str(progress_file(self.config.imports_dir, run_id)),
                    "ORNAMENTS_PROGRESS_INTERVAL": str(self.config.progress_interval)}
        if self.config.scrapyd_nodes:
            return self._on_scrapyd(run_id, spider, feed, arguments, settings)
        command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"feed={feed}"]
        for name, value in arguments.items():
            command += ["-a", f"{name}={value}"]
        for name, value in settings.items():
            command += ["-s", f"{name}={value}"]
        env = {**os.environ, "DATABASE_URL": self.config.database_url, "SCRAPY_SETTINGS_MODULE": "ornaments.settings"}
        log = open(feed.parent / "crawl.log", "ab")
        try:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        with self.lock:
            self.processes[run_id] = process
        threading.Thread(target=self._watch, args=(run_id, process, feed.parent / "crawl.log"),
                         name=f"import-{run_id}", daemon=True).start()
        return f"pid {process.pid}"

    def _on_scrapyd(self, run_id: int, spider: str, feed: Path, arguments: dict[str, str],
                    settings: dict[str, str]) -> str:
        """The least busy node that answers runs it; the file must be at the same path there (a shared
        ORNAMENTS_IMPORTS_DIR)."""
        loads = []
        for url in self.config.scrapyd_nodes:
            client = ScrapydClient(url)
            try:
                status = client.daemon_status()
            except (NodeUnavailable, ScrapydError) as exc:
                logger.warning("Scrapyd node %s cannot take import %s: %s", url, run_id, exc)
                continue
            loads.append((int(status.get("pending", 0)) + int(status.get("running", 0)), url, client))
        for _load, url, client in sorted(loads, key=lambda t: t[0]):
            try:
                job = client.schedule(self.config.scrapyd_project, spider, {"feed": str(feed), **arguments},
                                      settings, job_id=f"import-{run_id}")
            except (NodeUnavailable, ScrapydError) as exc:
                logger.warning("Scrapyd node %s refused import %s: %s", url, run_id, exc)
                continue
            return f"Scrapyd job {job} on {url}"
        self.fail(run_id, "no Scrapyd node of SCRAPYD_NODES took the import")
        raise HTTPException(503, "no Scrapyd node could take the import; it was not started")

    def _watch(self, run_id: int, process: subprocess.Popen, log: Path) -> None:
        code = process.wait()
        with self.lock:
            self.processes.pop(run_id, None)
        last = last_lines(log, 1)
        self.fail(run_id, f"the import's crawl exited with code {code} before it started the run"
                  + (f": {last[0][:300]}" if last else ""))

    def fail(self, run_id: int, reason: str) -> None:
        """A run still queued when its crawl is gone failed; one left running died (abandoned)."""
        def record(conn: sa.Connection) -> None:
            conn.execute(sync_runs.update().where(sync_runs.c.id == run_id, sync_runs.c.status == "queued").values(
                status="failed", finished_at=utcnow(), finish_reason="not_started", reasons=json.dumps([reason])))
            vendor = conn.execute(sa.select(sync_runs.c.vendor).where(sync_runs.c.id == run_id)).scalar()
            mark_abandoned(conn, vendor)
        try:
            self.db.write(record, f"recording the end of import {run_id}")
        except Exception as exc:
            logger.error("Could not record the end of import %s: %s", run_id, type(exc).__name__)


def accept(state, upload: UploadFile, asked: str | None, arguments: dict[str, str]) -> dict[str, Any]:
    """Blocking: keep the file, queue its run, start its crawl (runs in the threadpool)."""
    config: ApiConfig = state.config
    runner: ImportRunner = state.imports
    if not config.scrapyd_nodes and runner.running() >= config.max_running_imports:
        raise HTTPException(429, f"{config.max_running_imports} imports are running (ORNAMENTS_API_MAX_IMPORTS); "
                                 "try again when one has ended")
    incoming_dir = config.imports_dir / "incoming"
    incoming_dir.mkdir(parents=True, exist_ok=True)
    incoming = incoming_dir / f"{uuid.uuid4().hex}.part"
    try:
        size = save_upload(upload.file, incoming, config.max_upload_bytes)
        if not size:
            raise HTTPException(400, "the uploaded file is empty")
        filename = upload.filename or "upload"
        spider = choose_spider(incoming, filename, asked)
        run_id = state.db.write(lambda conn: queue_run(conn, spider, spider, {"upload": filename, **arguments}),
                                "queueing an import")
        target = config.imports_dir / str(run_id) / safe_name(filename)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(incoming, target)
    finally:
        incoming.unlink(missing_ok=True)
    try:
        started = runner.start(run_id, spider, target, arguments)
    except HTTPException:
        raise
    except Exception as exc:
        runner.fail(run_id, f"the import's crawl could not be started: {type(exc).__name__}: {exc}")
        raise HTTPException(500, "the import's crawl could not be started") from None
    logger.info("Import %s (%s, %d bytes) is run %s with %s: %s", filename, spider, size, run_id, spider, started)
    return {"run_id": run_id, "spider": spider, "file": filename, "size": size, "status": "queued",
            "run_url": f"/runs/{run_id}", "progress_url": f"/runs/{run_id}/progress"}


@router.post("/imports", status_code=202, dependencies=[Depends(require_write)], response_model=models.ImportAccepted,
             responses={**models.ERRORS, 403: {"model": models.Error, "description": "a read-only key"}},
             summary="Upload a CSV or XML feed (multipart field `file`) and sync it; answers with the run's id")
async def create_import(request: Request, file: UploadFile = File(..., description="the CSV or XML feed"),
                        spider: str | None = Form(None, description=", ".join(FEED_SPIDERS) + " (default: "
                                                  "recognised from the file)"),
                        currency: str | None = Form(None), columns: str | None = Form(None),
                        labels: str | None = Form(None), year: str | None = Form(None)) -> JSONResponse:
    given = {"currency": currency, "columns": columns, "labels": labels, "year": year}
    arguments = {k: v for k, v in given.items() if v}
    try:
        answer = await run_in_threadpool(accept, request.app.state, file, spider, arguments)
    finally:
        await file.close()
    return JSONResponse(answer, status_code=202)
