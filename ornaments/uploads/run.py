"""An upload run: files go in through submit(), worker threads upload what the server lacks.

Each worker owns one SFTP channel on the run's one SSH connection. It takes a batch of files from
the queue, asks the database which versions the server already holds (one query), hashes the local
files, uploads the new and changed ones with bounded retries, and records the batch (one
transaction). Nothing here runs on the reactor: submit() only puts a file on a queue.

When the server stays away through a whole retry series it is "gone for good": the remaining files
are recorded as failed without waiting again, so the next run uploads them. A refused host key or
login stops every upload at once.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ornaments.retry import call_with_retries
from ornaments.storage.images import ImageRecords, Outcome, utcnow
from ornaments.uploads.client import FatalUploadError, SftpConnection, is_connection_error, is_transient
from ornaments.uploads.config import SftpConfig
from ornaments.uploads.paths import ImageFile, UnsafePath, safe_relative_path

logger = logging.getLogger(__name__)

BATCH = 50


@dataclass
class UploadStats:
    uploaded: int = 0
    uploaded_bytes: int = 0
    unchanged: int = 0
    failed: int = 0
    refused_paths: int = 0
    missing_local: int = 0
    retries: int = 0
    reconnects: int = 0
    seconds: float = 0.0
    stopped: str | None = field(default=None)  # why uploads stopped early, if they did

    def as_stats(self, prefix: str = "ornaments/sftp/") -> dict[str, int | float]:
        values = {k: v for k, v in vars(self).items() if k != "stopped"}
        return {prefix + k: v for k, v in values.items()}


class _Unavailable(Exception):
    """Uploads stopped earlier in this run (the server is gone, or refused us)."""


class ImageUploader:
    def __init__(self, config: SftpConfig, records: ImageRecords, local_root: Path | str):
        self.config = config
        self.records = records
        self.local_root = Path(local_root)
        self.stats = UploadStats()
        self._queue: queue.Queue[ImageFile | None] = queue.Queue()
        self._claimed: dict[str, list[ImageFile]] = {}  # path -> later files of other products
        self._results: dict[str, Outcome] = {}
        self._lock = threading.Lock()
        self._stopped: str | None = None
        self._workers: list[threading.Thread] = []
        self._started = 0.0
        self.connection: SftpConnection | None = None

    def start(self) -> None:
        self._started = time.monotonic()
        try:
            self.connection = SftpConnection(self.config)
        except FatalUploadError as exc:  # an unreadable key: every file will be recorded as failed
            self._stop(str(exc), fatal=True)
        for number in range(self.config.channels):
            worker = threading.Thread(target=self._work, name=f"sftp-upload-{number}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def submit(self, file: ImageFile) -> bool:
        """Queue a file; False (and counted) when its path is unsafe. Never blocks."""
        try:
            safe_relative_path(file.path)
        except UnsafePath as exc:
            logger.warning("Not uploading an image of %s product %s: %s", file.vendor, file.vendor_product_id, exc)
            with self._lock:
                self.stats.refused_paths += 1
            return False
        with self._lock:
            if file.path in self._claimed:  # another product's copy of the same file: link it at the end
                self._claimed[file.path].append(file)
                return True
            self._claimed[file.path] = []
        self._queue.put(file)
        return True

    def finish(self) -> UploadStats:
        """Wait for every queued file, record the shared ones, close the connection."""
        for _ in self._workers:
            self._queue.put(None)
        for worker in self._workers:
            worker.join()
        followers = []
        for path, files in self._claimed.items():
            result = self._results.get(path)
            if result is not None:
                followers += [Outcome(f.vendor, f.vendor_product_id, path, f.source_url,
                                      "unchanged" if result.status == "uploaded" else result.status,
                                      result.checksum, result.size, result.uploaded_at, result.error)
                              for f in files]
        self._record(followers)
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - the run is over; a dead link needs no goodbye
                pass
            self.stats.reconnects = self.connection.reconnects
            if self.connection.orphans:
                logger.warning("%d temporary upload files could not be removed from the sFTP server "
                               "(names end in .part; they are never served under an image's name)",
                               len(self.connection.orphans))
        self.stats.seconds = round(time.monotonic() - self._started, 3)
        self.stats.stopped = self._stopped
        return self.stats

    # --- workers ----------------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, done = [first], False
            while len(batch) < BATCH:
                try:
                    file = self._queue.get_nowait()
                except queue.Empty:
                    break
                if file is None:
                    done = True
                    break
                batch.append(file)
            try:
                self._process(batch)
            except Exception:  # noqa: BLE001 - a worker must not die and leave files unrecorded
                logger.exception("Uploading a batch of %d images failed", len(batch))
            if done:
                return

    def _process(self, batch: list[ImageFile]) -> None:
        try:
            on_server = self.records.uploaded(f.path for f in batch)
        except Exception as exc:  # noqa: BLE001 - without the records, uploading everything is still right
            logger.warning("Could not read image records (%s); uploading the batch anyway", type(exc).__name__)
            on_server = {}
        outcomes = []
        for file in batch:
            local = self.local_root / file.path
            try:
                data = local.read_bytes()
            except OSError:
                with self._lock:
                    self.stats.missing_local += 1
                logger.debug("No local file for %s; nothing to upload", file.path)
                continue
            checksum = hashlib.sha256(data).hexdigest()
            known = on_server.get(file.path)
            if known is not None and known.checksum == checksum:
                outcome = Outcome(file.vendor, file.vendor_product_id, file.path, file.source_url, "unchanged",
                                  checksum, known.size, known.uploaded_at)
            else:
                outcome = self._upload(file, data, checksum)
            outcomes.append(outcome)
            with self._lock:
                self._results[file.path] = outcome
                if outcome.status == "uploaded":
                    self.stats.uploaded += 1
                    self.stats.uploaded_bytes += len(data)
                elif outcome.status == "unchanged":
                    self.stats.unchanged += 1
                else:
                    self.stats.failed += 1
        self._record(outcomes)

    def _upload(self, file: ImageFile, data: bytes, checksum: str) -> Outcome:
        def once() -> None:
            if self._stopped is not None:
                raise _Unavailable(self._stopped)
            self.connection.upload(file.path, data)

        try:
            call_with_retries(once, self.config.retry, is_transient, f"uploading {file.path}",
                              on_retry=self._after_error)
        except _Unavailable as exc:
            return self._failed(file, str(exc))
        except FatalUploadError as exc:
            self._stop(str(exc), fatal=True)
            return self._failed(file, str(exc))
        except Exception as exc:  # noqa: BLE001 - recorded, and tried again next run
            message = _describe(exc)
            if is_connection_error(exc):
                self._stop(f"the sFTP server {self.config.host}:{self.config.port} stayed unreachable "
                           f"through {self.config.retry.attempts} tries ({message})")
            else:
                logger.warning("Could not upload %s: %s", file.path, message)
            return self._failed(file, message)
        return Outcome(file.vendor, file.vendor_product_id, file.path, file.source_url, "uploaded",
                       checksum, len(data), utcnow())

    def _after_error(self, exc: BaseException) -> None:
        with self._lock:
            self.stats.retries += 1
        self.connection.forget_dirs()
        if is_connection_error(exc):
            self.connection.drop()

    def _failed(self, file: ImageFile, error: str) -> Outcome:
        return Outcome(file.vendor, file.vendor_product_id, file.path, file.source_url, "failed", error=error[:1000])

    def _stop(self, reason: str, fatal: bool = False) -> None:
        with self._lock:
            if self._stopped is not None:
                return
            self._stopped = reason
        log = logger.error if fatal else logger.warning
        log("sFTP uploads stopped for this run: %s. Images not uploaded are recorded as failed and will "
            "be uploaded by the next run; product data is stored as usual.", reason)

    def _record(self, outcomes: list[Outcome]) -> None:
        try:
            self.records.record(outcomes)
        except Exception as exc:  # noqa: BLE001 - the files are on the server; the next run re-checks them
            logger.warning("Could not record %d image uploads (%s); the next run will upload them again",
                           len(outcomes), _describe(exc))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
