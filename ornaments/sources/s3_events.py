"""Reactive mode for drop folders: an HTTP endpoint for S3 "object created" event notifications.

    POST /s3-events      Authorization: Bearer <ORNAMENTS_S3_EVENTS_SECRET>
                         body: the S3 event JSON, {"Records": [{"eventName": "ObjectCreated:Put",
                               "s3": {"bucket": {"name": ...}, "object": {"key": ..., "eTag": ..., "size": ...}}}]}
    GET  /health

Each record's object is matched with the s3_drop entries of the schedule file (the same entries the
polled mode runs on cron): the entry whose `source` holds the object. The object is recorded as a
`pending` row of feed_files; if that row is new, a run of the entry limited to that object
(`-a key=...`) is scheduled on Scrapyd through ornaments.scheduling.client. A duplicate event (same
bucket, key and ETag; S3 delivers at least once) or an object a polled run already listed does
nothing. If no node takes the run, the row is forgotten and the answer is 503, so the sender's retry
is not taken for a duplicate (and the next polled run processes the file anyway).

The secret is compared in constant time and never logged. The endpoint is blocking code: FastAPI runs
it in its thread pool.
"""

from __future__ import annotations

import hmac
import json
import logging
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ornaments.scheduling.client import NodeUnavailable, ScrapydClient, ScrapydError
from ornaments.scheduling.schedule import Entry
from ornaments.sources.s3 import S3Location
from ornaments.storage.feed_files import FeedFiles, ListedObject, normalize_etag

logger = logging.getLogger(__name__)

SPIDER = "s3_drop"
MAX_BODY = 1 << 20  # an S3 event is a few kB; anything near this is not one


@dataclass(frozen=True)
class Route:
    """An s3_drop schedule entry and the folder it watches."""
    entry: Entry
    location: S3Location


@dataclass
class EventsConfig:
    secret: str = field(repr=False)
    routes: list[Route]
    nodes: list[ScrapydClient]
    project: str = "ornaments"

    @staticmethod
    def routes_of(entries: Sequence[Entry]) -> list[Route]:
        """The enabled s3_drop entries with a source; the longest prefix first, so the most specific wins."""
        routes = [Route(e, S3Location.parse(e.args["source"], f"schedule entry {e.name}: source"))
                  for e in entries if e.spider == SPIDER and e.enabled and e.args.get("source")]
        return sorted(routes, key=lambda r: -len(r.location.prefix))


def _secret_ok(request: Request, secret: str) -> bool:
    given = request.headers.get("authorization", "")
    if given.lower().startswith("bearer "):
        given = given[7:].strip()
    else:
        given = request.headers.get("x-ornaments-secret", "")
    return hmac.compare_digest(given.encode(), secret.encode())


def _records(body: Any) -> list[dict]:
    if not isinstance(body, dict):
        raise ValueError("the body is not a JSON object")
    records = body.get("Records")
    if records is None:
        return []  # s3:TestEvent, sent when notifications are set up
    if not isinstance(records, list):
        raise ValueError("Records is not a list")
    return records


def _object_of(record: Any) -> tuple[str, ListedObject]:
    """(bucket, object) of one event record; ValueError naming the missing field."""
    try:
        s3 = record["s3"]
        bucket = str(s3["bucket"]["name"])
        raw = s3["object"]
        key = urllib.parse.unquote_plus(str(raw["key"]))  # event keys are URL-encoded ("a+b.xml")
    except (KeyError, TypeError):
        raise ValueError("the record has no s3.bucket.name or s3.object.key") from None
    etag = normalize_etag(str(raw.get("eTag") or raw.get("etag") or ""))
    if not etag:
        raise ValueError(f"the record for {key} has no s3.object.eTag")
    size = raw.get("size")
    when = None
    if record.get("eventTime"):
        try:
            when = datetime.fromisoformat(str(record["eventTime"]).replace("Z", "+00:00"))
        except ValueError:
            pass
    return bucket, ListedObject(key, etag, int(size) if isinstance(size, int) else None, when)


def create_app(config: EventsConfig, tasks: FeedFiles) -> FastAPI:
    app = FastAPI(title="ornaments S3 events", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/s3-events")
    async def s3_events(request: Request):
        if not _secret_ok(request, config.secret):
            logger.warning("Refused an S3 event from %s: wrong or missing secret",
                           request.client.host if request.client else "?")
            return JSONResponse({"error": "wrong or missing secret"}, status_code=401)
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return JSONResponse({"error": "the body is too large for an S3 event"}, status_code=413)
        try:
            records = _records(json.loads(raw))
        except ValueError as exc:
            return JSONResponse({"error": f"not an S3 event: {exc}"}, status_code=400)
        results = [await run_in_threadpool(handle_record, config, tasks, record) for record in records]
        failed = any(r["action"] == "error" for r in results)
        return JSONResponse({"results": results}, status_code=503 if failed else 200)

    return app


def handle_record(config: EventsConfig, tasks: FeedFiles, record: Any) -> dict:
    """What one event record led to: scheduled, duplicate, ignored or error (blocking)."""
    try:
        bucket, obj = _object_of(record)
    except ValueError as exc:
        return {"action": "ignored", "detail": str(exc)}
    result = {"bucket": bucket, "key": obj.key, "etag": obj.etag}
    name = str(record.get("eventName", "ObjectCreated:")) if isinstance(record, dict) else ""
    if not name.startswith(("ObjectCreated:", "s3:ObjectCreated:")):
        return {**result, "action": "ignored", "detail": f"{name} is not an object-created event"}
    route = next((r for r in config.routes if r.location.contains(bucket, obj.key)), None)
    if route is None or obj.key.endswith("/"):
        return {**result, "action": "ignored", "detail": f"no s3_drop schedule entry watches s3://{bucket}/{obj.key}"}
    file_id = tasks.record_event(route.location.uri, obj)
    if file_id is None:
        logger.info("S3 event for s3://%s/%s (ETag %s) is a duplicate: nothing to do", bucket, obj.key, obj.etag)
        return {**result, "action": "duplicate", "entry": route.entry.name}
    args = {**route.entry.args, "key": obj.key}
    job_id = f"{route.entry.name}.file{file_id}"  # one job per task: a retried schedule call is recognised
    errors = []
    for node in config.nodes:
        try:
            job = node.schedule(config.project, SPIDER, args=args, settings=route.entry.settings, job_id=job_id)
        except (NodeUnavailable, ScrapydError) as exc:
            errors.append(f"{node.url}: {exc}")
            logger.warning("Could not schedule %s on %s: %s", job_id, node.url, exc)
            continue
        logger.info("S3 event for s3://%s/%s (ETag %s): scheduled %s on %s", bucket, obj.key, obj.etag, job,
                    node.url)
        return {**result, "action": "scheduled", "entry": route.entry.name, "job": job, "node": node.url}
    tasks.forget(file_id)  # so the sender's retry of this event is not a "duplicate"
    return {**result, "action": "error", "entry": route.entry.name, "detail": "; ".join(errors) or "no Scrapyd node"}
