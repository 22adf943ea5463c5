"""s3_drop: a partner's drop folder on S3, each file processed exactly once (docs/sources.md).

    scrapy crawl s3_drop -a source=s3://partner-drop/bestseller/ [-a output=s3://partner-drop/json/]
                         [-a vendor=bestseller_dk] [-a key=bestseller/2026-11-23.xml]

Lists the prefix, records every object in feed_files (ornaments.storage.feed_files), then claims and
processes the files one at a time, oldest first. A file is BESTSELLER partner XML (nsx:items/nsx:item),
read by the bestseller spider's reader; its records go through the pipelines like any feed's, and,
with -a output, are written as one JSON document per file. -a key limits the run to one object (the
runs the S3 event endpoint schedules).

A file that cannot be downloaded, is malformed, truncated or of another kind, or whose JSON cannot be
written, is `failed` (tried again by later runs up to ORNAMENTS_S3_MAX_ATTEMPTS) and makes the run
incomplete, so it removes nothing. The files read are `done` once the run is recorded; if the run
failed or was stopped (its records may not all be stored) they are `failed` and read again next time.
Removal: only with ORNAMENTS_S3_FULL_CATALOGUE (each file is the whole catalogue) and only after a
clean run of at least one file; otherwise the run is `partial` and removes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

from scrapy import signals
from scrapy.exceptions import UsageError
from scrapy.utils.asyncio import run_in_thread

from ornaments.env import setting_flag
from ornaments.items import ProductItem
from ornaments.runs.config import abandoned_after
from ornaments.signals import RunReport, records_boundary, run_recorded
from ornaments.sources.file_export import FileExport, output_uri
from ornaments.sources.s3 import DropFolder, S3DropConfig, S3Location, Superseded, error_text
from ornaments.spiders.bestseller import BestsellerSpider
from ornaments.storage.engine import database_retry_policy
from ornaments.storage.feed_files import SUPERSEDED, FeedFile, FeedFiles

logger = logging.getLogger(__name__)

READ_CHUNK = 1 << 20
VENDOR = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class S3DropSpider(BestsellerSpider):
    name = "s3_drop"
    default_feed = ""

    def __init__(self, *args: Any, source: str | None = None, output: str | None = None, key: str | None = None,
                 vendor: str | None = None, **kwargs: Any):
        if any(kwargs.get(k) for k in ("year", "url", "query")):
            raise UsageError("s3_drop reads whole files, each exactly once: -a year, -a url and -a query do not apply")
        super().__init__(*args, **kwargs)
        if not source:
            raise UsageError("s3_drop needs -a source=s3://BUCKET/PREFIX/")
        self.location = S3Location.parse(source)
        self.source = self.location.uri
        self.output = S3Location.parse(output, "-a output") if output else None
        self.only_key = key or None
        if vendor is not None:
            if not VENDOR.match(vendor):
                raise UsageError(f"-a vendor must be 1-64 letters, digits, '_', '.' or '-', not {vendor!r}")
            self.vendor = vendor
        self.tasks: FeedFiles | None = None
        self.run_id: int | None = None
        self.files_read: list[FeedFile] = []  # read cleanly; done once the run is recorded
        self.open_files: dict[int, FeedFile] = {}  # claimed and not finished yet
        self.nothing_read = False
        self.files_started = 0
        self.tried: list[int] = []  # ids of the files this run claimed
        self._settled = False
        # Items handed to the pipelines, and those the pipelines are done with (scraped, dropped or
        # failed): a file's chapter closes once the second count reaches the first (_records_boundary).
        self.items_sent = 0
        self.items_done = 0
        self._all_items_done: asyncio.Event | None = None

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = S3DropConfig.from_settings(crawler.settings)
        crawler.signals.connect(spider.run_recorded, signal=run_recorded)
        for done in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=done)
        return spider

    def _item_done(self) -> None:
        self.items_done += 1
        if self._all_items_done is not None and self.items_done >= self.items_sent:
            self._all_items_done.set()

    @property
    def sync_mode(self) -> str:
        # Whole catalogues: an "all" run (removal within the guard). Changes, or no file read: "files",
        # a partial run that removes nothing.
        return "all" if self.config.full_catalogue and not self.nothing_read else "files"

    @property
    def sync_arguments(self) -> dict[str, Any]:
        arguments = {**super().sync_arguments, "source": self.source}
        if self.output:
            arguments["output"] = self.output.uri
        if self.only_key:
            arguments["key"] = self.only_key
        return arguments

    # --- the run ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.run_id = self.crawler.stats.get_value("ornaments/run_id")
        settings = self.crawler.settings
        self.tasks = FeedFiles(settings.get("DATABASE_URL"), database_retry_policy(settings))
        stats = self.crawler.stats
        try:
            await run_in_thread(self.tasks.create_tables)
            folder = await run_in_thread(DropFolder, self.location, self.config.s3)
            listing = await run_in_thread(folder.list)
            if self.only_key:
                listing = [o for o in listing if o.key == self.only_key]
            new = await run_in_thread(self.tasks.register, self.source, listing)
            recovered = await run_in_thread(self.tasks.recover, self.source, self.config.claim_timeout,
                                            abandoned_after(settings))
        except Exception as exc:
            logger.error("Could not list the drop folder %s: %s. Nothing was read.", self.source, error_text(exc),
                         extra={"spider": self})
            self.mark_incomplete("the drop folder could not be listed")
            return
        stats.set_value("ornaments/s3/objects_listed", len(listing))
        stats.set_value("ornaments/s3/files_new", new)
        if recovered:
            stats.set_value("ornaments/s3/files_recovered", len(recovered))
            logger.warning("%d file(s) of %s were left unfinished by a run that ended (%s); they are tried again.",
                           len(recovered), self.source, ", ".join(recovered[:5]), extra={"spider": self})
        logger.info("Drop folder %s: %d object(s) listed, %d new.", self.source, len(listing), new,
                    extra={"spider": self})
        while True:
            try:
                task = await run_in_thread(self.tasks.claim_next, self.source, self.run_id,
                                           self.config.max_attempts, self.only_key, self.tried)
            except Exception as exc:
                logger.error("Could not claim the next file of %s: %s", self.source, error_text(exc),
                             extra={"spider": self})
                self.mark_incomplete("the task table could not be read")
                break
            if task is None:
                break
            self.tried.append(task.id)
            if self.files_started:
                await self._records_boundary()
            self.files_started += 1
            async for item in self._process(folder, task):
                self.items_sent += 1
                yield item
        self.feed_read = True  # the listing was read: "the feed was never read" does not apply
        self.nothing_read = not self.files_read
        if self.nothing_read:
            logger.info("No new file in %s.", self.source, extra={"spider": self})

    async def _records_boundary(self) -> None:
        """Let every item of the previous file pass the pipelines, then have them close that chapter:
        the next file may list the same products again, and its values are the newer ones."""
        if self.items_done < self.items_sent:
            self._all_items_done = asyncio.Event()
            await self._all_items_done.wait()
            self._all_items_done = None
        await self.crawler.signals.send_catch_log_async(records_boundary)

    async def _process(self, folder: DropFolder, task: FeedFile) -> AsyncIterator[ProductItem]:
        self.open_files[task.id] = task
        uri = self.location.object_uri(task.key)
        logger.info("Reading %s (ETag %s, %s bytes, attempt %d of %d)", uri, task.etag, task.size, task.attempts,
                    self.config.max_attempts, extra={"spider": self})
        incomplete_before, kept_before = self.ledger.incomplete_count, len(self.ledger.incomplete)
        descriptor, name = tempfile.mkstemp(prefix="ornaments-s3-", suffix=".xml")
        os.close(descriptor)
        path = Path(name)
        export: FileExport | None = None
        try:
            try:
                await run_in_thread(folder.download, task.key, task.etag, path)
            except Superseded as exc:
                logger.warning("%s; its new version is a task of its own.", exc, extra={"spider": self})
                await self._finish([task], "failed", SUPERSEDED + str(exc))
                return
            except Exception as exc:
                await self._fail(task, f"could not download it: {error_text(exc)}")
                return
            if self.output is not None:
                export = FileExport(self.crawler, output_uri(self.output, self.location, task.key))
            for item in self._read(uri, path):
                if export is not None:
                    export.write(item)
                yield item
            if self.ledger.incomplete_count > incomplete_before:
                reasons = self.ledger.incomplete[kept_before:] or ["the file could not be read whole"]
                await self._fail(task, "; ".join(dict.fromkeys(reasons)), already_reported=True)
                return
            if export is not None:
                try:
                    await export.store()
                except Exception as exc:
                    await self._fail(task, f"could not write its JSON to {export.uri}: {error_text(exc)}")
                    return
                self.crawler.stats.inc_value("ornaments/s3/json_written")
            self.open_files.pop(task.id, None)
            self.files_read.append(task)
            self.crawler.stats.inc_value("ornaments/s3/files_read")
        finally:
            if export is not None:
                export.discard()
            path.unlink(missing_ok=True)

    def _read(self, uri: str, path: Path) -> Iterator[ProductItem]:
        """The file's records, read by the BESTSELLER reader (XmlFeedSpider.read_document) in chunks."""
        def chunks() -> Iterator[bytes]:
            with path.open("rb") as stream:
                while chunk := stream.read(READ_CHUNK):
                    yield chunk

        self.bad_records = 0  # the reader's limit of bad records is per document
        records = 0
        for item in self.read_document(uri, chunks()):
            records += 1
            self.records_read += 1
            self.records_in_scope += 1
            yield item
        self.crawler.stats.inc_value("ornaments/feed/records", records)
        if not records and not self.incomplete_reasons:
            self.report_problem("empty_feed", uri, "the file has no product records")

    async def _fail(self, task: FeedFile, error: str, already_reported: bool = False) -> None:
        """A file that could not be processed: failed (retried by later runs up to the bound), and the
        run is incomplete, so it removes nothing."""
        left = self.config.max_attempts - task.attempts
        logger.error("The file %s failed (attempt %d of %d): %s. %s", self.location.object_uri(task.key),
                     task.attempts, self.config.max_attempts, error,
                     f"It will be tried again by the next {left} run(s)." if left > 0 else
                     "It is left failed: fix or replace it (a new version is a new task).", extra={"spider": self})
        if not already_reported:
            self.mark_incomplete(f"file {task.key} failed")
        self.crawler.stats.inc_value("ornaments/s3/files_failed")
        await self._finish([task], "failed", error)

    async def _finish(self, tasks: list[FeedFile], status: str, error: str | None = None) -> None:
        for task in tasks:
            self.open_files.pop(task.id, None)
        try:
            await run_in_thread(self.tasks.finish, [t.id for t in tasks], self.run_id, status, error)
        except Exception as exc:  # left processing: the next run recovers them
            logger.error("Could not record %d file(s) as %s: %s", len(tasks), status, error_text(exc),
                         extra={"spider": self})

    # --- the end: the files read are done once the run's records are -----------------------------

    async def run_recorded(self, report: RunReport) -> None:
        await self._settle(report.status)

    async def closed(self, reason: str) -> None:
        if not setting_flag(self.crawler.settings, "ORNAMENTS_STORAGE_ENABLED"):
            await self._settle("finished" if reason == "finished" else "cancelled")
        # Otherwise StorePipeline records the run next and sends run_recorded.

    async def _settle(self, status: str) -> None:
        if self._settled or self.tasks is None:
            return
        self._settled = True
        try:
            unfinished = list(self.open_files.values())
            if unfinished:
                await self._finish(unfinished, "failed", f"the run ended ({status}) while reading it")
            read = list(self.files_read)
            if status in ("failed", "cancelled"):
                await self._finish(read, "failed", f"the run ended {status}: its records may not all be stored")
            else:
                await self._finish(read, "done")
        finally:
            await run_in_thread(self.tasks.close)
