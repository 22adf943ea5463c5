"""POST /imports: a CSV or XML file uploaded as multipart form data is kept under ORNAMENTS_IMPORTS_DIR
and synced by its feed spider, in a worker process (`scrapy crawl <spider> -a feed=<file>`) or on a
Scrapyd node (SCRAPYD_NODES, through ornaments.scheduling.client). The answer comes at once, with the
id of the run: the run is queued in sync_runs first (status "queued") and the crawl takes it over
(ORNAMENTS_RUN_ID). GET /runs/{id}/progress follows it.

An upload names its source: the `vendor` field, else the key's default source (`scrapy apikeys create
--source`); its products are stored under that vendor, so uploads of different partners never touch
each other's products. An upload is partial (it adds and updates, and removes nothing) unless it is
declared the source's full catalogue (`full_catalogue=true`); then a clean run removes what it lacked,
within the removal guard, and only among that source's products.

The file never sits in the API's memory: the body is parsed as it arrives (ornaments.api.upload_stream),
the file part written to disk in a worker thread, its first bytes checked (415 for what is not CSV or
XML text) and its size counted (413) before the rest is read. The file of an import whose run fails is
deleted (ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS after the run's end).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import subprocess
import sys
import threading
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from starlette.concurrency import run_in_threadpool

import ornaments
from ornaments.api import models
from ornaments.api.auth import Caller, require_write
from ornaments.api.config import ApiConfig, project_settings
from ornaments.api.runs import progress_file
from ornaments.api.upload_stream import Received, UploadReceiver
from ornaments.normalize import VENDOR_NAME, VENDOR_NAME_RULE
from ornaments.scheduling.client import NodeUnavailable, ScrapydClient, ScrapydError
from ornaments.clock import utcnow
from ornaments.env import SettingError, parse_flag
from ornaments.feed_sniff import as_utf8, looks_like_xml, text_start
from ornaments.storage.runs import mark_abandoned, queue_run
from ornaments.storage.schema import sync_runs

logger = logging.getLogger(__name__)
router = APIRouter(tags=["imports"])

FEED_SPIDERS = {"products_csv": "csv", "google_merchant": "xml", "bestseller": "xml"}
XML_ROOTS = {"rss": "google_merchant", "feed": "google_merchant", "items": "bestseller"}
# A network's own catalogue, which its spider fetches from the network with the merchant's id: not an upload.
NETWORK_FILE = ("{name}: a Rakuten catalogue ({form}); the rakuten spider reads it, not an upload: "
                "`scrapy crawl rakuten -a merchant=<MID> -a feed=<its URL or path>`")
PASSED_ARGUMENTS = ("currency", "columns", "labels", "year")
FORM_FIELDS = ("spider", "vendor", "full_catalogue", *PASSED_ARGUMENTS)
PROJECT_DIR = Path(ornaments.__file__).resolve().parents[1]
# An import whose run ended in one of these failed: its file is deleted (after the time kept).
FAILED_STATUSES = ("failed", "incomplete", "suspect", "cancelled", "abandoned")
KEPT_FILES = ("crawl.log", "progress.json")  # what stays of a failed import: why it failed
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01  # of a CSV's first bytes: more control characters than this is not text


def check_content(head: bytes, filename: str | None) -> None:
    """Refuse (415) a file whose first bytes are not CSV or XML text: binary data, an archive, a
    spreadsheet. Text in UTF-8, Latin-1, UTF-16 or UTF-32 passes (the feed spiders read each)."""
    what = filename or "the file"
    if looks_like_xml(head):
        return
    head = as_utf8(head)
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13) or byte == 127)
    if b"\x00" in head or controls > MAX_CONTROL_SHARE * len(head):
        raise HTTPException(415, f"{what}: not CSV or XML text (binary bytes at its start); upload the feed "
                                 f"itself, uncompressed")


def choose_spider(head: bytes, filename: str, asked: str | None) -> str:
    if asked:
        if asked not in FEED_SPIDERS:
            raise HTTPException(400, f"spider must be one of {', '.join(FEED_SPIDERS)}")
        return asked
    head = text_start(head)
    if head.startswith(b"<"):
        # The root element: skip the XML declaration, comments and a doctype.
        match = re.search(rb"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", head)
        root = match.group(2).decode() if match else ""
        if root in XML_ROOTS:
            return XML_ROOTS[root]
        if root == "merchandiser":
            raise HTTPException(400, NETWORK_FILE.format(name=filename, form="MerchandiserXML"))
        raise HTTPException(400, f"{filename}: an XML document whose root element <{root}> no feed spider reads; "
                                 f"say which with spider= ({', '.join(FEED_SPIDERS)})")
    header = head.split(b"\n", 1)[0]
    if header.startswith(b"HDR|"):
        raise HTTPException(400, NETWORK_FILE.format(name=filename, form="a pipe-delimited Merchandiser file"))
    # The CSV reader takes its delimiter from the header: a comma, a tab (Google's own Merchant format) or
    # a semicolon.
    if filename.lower().endswith((".csv", ".tsv", ".txt")) or any(d in header for d in (b",", b"\t", b";")):
        return "products_csv"
    raise HTTPException(400, f"{filename}: neither CSV nor XML; say which spider reads it with spider=")


def _boolean_field(name: str, value: str | None) -> bool:
    try:
        return parse_flag(name, value or "")
    except SettingError as exc:
        raise HTTPException(400, str(exc)) from None


def upload_arguments(fields: dict[str, str], caller: Caller) -> tuple[str | None, dict[str, str]]:
    """The asked spider and the crawl's -a arguments of an upload's form fields (400 for a bad one)."""
    unknown = sorted(set(fields) - set(FORM_FIELDS))
    if unknown:
        raise HTTPException(400, f"unknown form field(s) {', '.join(unknown)}; the fields are file, "
                                 f"{', '.join(FORM_FIELDS)}")
    for name, value in fields.items():
        if CONTROL_CHARACTER.search(value):  # they would reach the crawl's command line
            raise HTTPException(400, f"the form field {name} holds a control character")
    vendor = (fields.get("vendor") or "").strip() or caller.source
    if not vendor:
        raise HTTPException(400, "say which source the file is from: the form field vendor=<name> (or make the "
                                 "key with `scrapy apikeys create --source <name>`)")
    if not VENDOR_NAME.match(vendor):
        raise HTTPException(400, f"vendor must be {VENDOR_NAME_RULE}, not {vendor!r}")
    full = _boolean_field("full_catalogue", fields.get("full_catalogue"))
    arguments = {k: fields[k] for k in PASSED_ARGUMENTS if fields.get(k)}
    arguments.update(vendor=vendor, full_catalogue="true" if full else "false")
    return fields.get("spider") or None, arguments


@functools.cache
def _spider_loader():
    return get_spider_loader(project_settings())


def refuse_bad_arguments(spider: str, feed: Path, arguments: dict[str, str]) -> None:
    """400 with the crawl's own words for a value the spider refuses (year=abc, currency=euros,
    columns=...), checked as `scrapy crawl` checks them (the spider made once, doing nothing else),
    instead of an accepted upload whose run fails at once."""
    try:
        _spider_loader().load(spider)(feed=str(feed), **arguments)
    except UsageError as exc:
        raise HTTPException(400, str(exc).replace("-a ", "")) from None
    except Exception:  # noqa: BLE001  anything else is the crawl's to show, in its log
        pass


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


def start_process(command: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> subprocess.Popen:
    """The crawl as a process of its own (ORNAMENTS_API_IMPORT_LAUNCHER's default), its output appended to
    the log, in a session of its own so that it outlives the API and a signal to the API's group."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


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
        # The crawl's own environment (not a setting read here): the API's, with the API's database.
        env = {**os.environ, "DATABASE_URL": self.config.database_url, "SCRAPY_SETTINGS_MODULE": "ornaments.settings"}
        process = self.config.import_launcher(command, env, PROJECT_DIR, feed.parent / "crawl.log")
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
            client = ScrapydClient(url, auth=self.config.scrapyd_auth)
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
        keep = self.config.keep_failed_uploads_hours * 3600
        if keep:
            timer = threading.Timer(keep + 1, sweep_failed_uploads, args=(self.config, self.db, [run_id]))
            timer.daemon = True
            timer.start()
        else:
            sweep_failed_uploads(self.config, self.db, [run_id])

    def fail(self, run_id: int, reason: str) -> None:
        """A run still queued when its crawl is gone failed; one left running died (abandoned)."""
        def record(conn: sa.Connection) -> None:
            conn.execute(sync_runs.update().where(sync_runs.c.id == run_id, sync_runs.c.status == "queued").values(
                status="failed", finished_at=utcnow(), finish_reason="not_started", reasons=json.dumps([reason])))
            vendor = conn.execute(sa.select(sync_runs.c.vendor).where(sync_runs.c.id == run_id)).scalar()
            mark_abandoned(conn, vendor, self.config.abandoned_after)
        try:
            self.db.write(record, f"recording the end of import {run_id}")
        except Exception as exc:
            logger.error("Could not record the end of import %s: %s", run_id, type(exc).__name__)


def sweep_failed_uploads(config: ApiConfig, db, run_ids: list[int] | None = None) -> int:
    """Delete the files of imports whose run failed, ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS after it
    ended; their crawl.log stays. Called when an import's crawl exits, at start-up and with each upload
    (imports run on Scrapyd end unseen). Returns how many files were deleted; never raises."""
    root = config.imports_dir
    try:
        if run_ids is None:
            run_ids = [int(p.name) for p in root.iterdir() if p.name.isdigit() and p.is_dir()] if root.is_dir() else []
        run_ids = [i for i in run_ids if any(f.name not in KEPT_FILES for f in (root / str(i)).glob("*"))]
        if not run_ids:
            return 0
        cutoff = utcnow() - timedelta(hours=config.keep_failed_uploads_hours)
        ended = []
        for at in range(0, len(run_ids), 500):
            query = sa.select(sync_runs.c.id, sync_runs.c.finished_at).where(
                sync_runs.c.id.in_(run_ids[at:at + 500]), sync_runs.c.status.in_(FAILED_STATUSES))
            ended += db.read(lambda conn: conn.execute(query).all(), "finding failed imports")
        deleted = 0
        for row in ended:
            finished = row.finished_at if row.finished_at is None or row.finished_at.tzinfo else \
                row.finished_at.replace(tzinfo=cutoff.tzinfo)
            if finished is not None and finished > cutoff:
                continue
            for path in (root / str(row.id)).iterdir():
                if path.name in KEPT_FILES:
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                deleted += 1
                logger.info("Deleted %s: the file of import %s, whose run failed", path.name, row.id)
        return deleted
    except Exception as exc:
        logger.warning("Could not delete the files of failed imports: %s", type(exc).__name__)
        return 0


def accept(state, incoming: Path, received: Received, asked: str | None, arguments: dict[str, str]) -> dict[str, Any]:
    """Blocking: queue the upload's run, move its file to the run's directory, start its crawl."""
    config: ApiConfig = state.config
    runner: ImportRunner = state.imports
    filename = received.filename or "upload"
    spider = choose_spider(received.head, filename, asked)
    refuse_bad_arguments(spider, incoming, arguments)
    vendor = arguments["vendor"]
    run_id = state.db.write(lambda conn: queue_run(conn, spider, vendor, {"upload": filename, **arguments}),
                            "queueing an import")
    target = config.imports_dir / str(run_id) / safe_name(filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(incoming, target)
    try:
        started = runner.start(run_id, spider, target, arguments)
    except HTTPException:
        raise
    except Exception as exc:
        runner.fail(run_id, f"the import's crawl could not be started: {type(exc).__name__}: {exc}")
        raise HTTPException(500, "the import's crawl could not be started") from None
    logger.info("Import %s (%s, %d bytes, vendor %s, %s) is run %s: %s", filename, spider, received.size, vendor,
                "full catalogue" if arguments["full_catalogue"] == "true" else "partial", run_id, started)
    sweep_failed_uploads(config, state.db)
    return {"run_id": run_id, "spider": spider, "vendor": vendor, "full_catalogue": arguments["full_catalogue"] == "true",
            "file": filename, "size": received.size, "status": "queued",
            "run_url": f"/runs/{run_id}", "progress_url": f"/runs/{run_id}/progress"}


UPLOAD_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the CSV or XML feed"},
        "vendor": {"type": "string", "description": "the source the products are stored under (default: the "
                                                    "key's --source; one of the two is needed)"},
        "full_catalogue": {"type": "boolean", "default": False,
                           "description": "the file is the source's whole catalogue: a clean run removes the "
                                          "source's products it lacks (within the removal guard)"},
        "spider": {"type": "string", "enum": list(FEED_SPIDERS), "description": "default: recognised from the file"},
        **{name: {"type": "string"} for name in PASSED_ARGUMENTS}}}}}}}


@router.post("/imports", status_code=202, response_model=models.ImportAccepted, openapi_extra=UPLOAD_FORM,
             responses={**models.ERRORS, 403: {"model": models.Error, "description": "a read-only key"},
                        413: {"model": models.Error, "description": "larger than ORNAMENTS_API_MAX_UPLOAD_MB"},
                        415: {"model": models.Error, "description": "not CSV or XML text"}},
             summary="Upload a CSV or XML feed (multipart field `file`) and sync it; answers with the run's id")
async def create_import(request: Request, caller: Caller = Depends(require_write)) -> JSONResponse:
    state = request.app.state
    config: ApiConfig = state.config
    if not config.scrapyd_nodes and state.imports.running() >= config.max_running_imports:
        raise HTTPException(429, f"{config.max_running_imports} imports are running (ORNAMENTS_API_MAX_IMPORTS); "
                                 "try again when one has ended", headers={"Retry-After": "30"})
    incoming_dir = config.imports_dir / "incoming"
    incoming_dir.mkdir(parents=True, exist_ok=True)
    incoming = incoming_dir / f"{uuid.uuid4().hex}.part"
    try:
        received = await UploadReceiver(incoming, config.max_upload_bytes, check_content).receive(request)
        if not received.size:
            raise HTTPException(400, "the uploaded file is empty")
        asked, arguments = upload_arguments(received.fields, caller)
        answer = await run_in_threadpool(accept, state, incoming, received, asked, arguments)
    finally:
        incoming.unlink(missing_ok=True)
    return JSONResponse(answer, status_code=202)
