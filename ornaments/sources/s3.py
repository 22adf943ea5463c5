"""An S3 drop folder: where it is (S3Location), how to reach it (S3Config), listing and downloading.

The endpoint and credentials are the standard ones (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION), read by settings.py from the environment, so any
S3-compatible store works (AWS, MinIO, Ceph, moto in the tests). Every call is retried by botocore
("standard" mode: exponential backoff with jitter, ORNAMENTS_S3_RETRIES tries); a download that breaks
off mid-body is retried from the start (ornaments.retry). Blocking: call from a thread.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from scrapy.exceptions import UsageError

from ornaments.env import setting_flag, setting_float, setting_int
from ornaments.retry import RetryPolicy, call_with_retries
from ornaments.storage.feed_files import ListedObject, normalize_etag

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class Superseded(Exception):
    """The object changed (another ETag) between the listing and the download."""


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""  # "" or ends with "/" when given as a folder

    @classmethod
    def parse(cls, uri: str, what: str = "-a source") -> "S3Location":
        match = re.match(r"^s3://([^/]+)/?(.*)$", (uri or "").strip())
        if not match or not _BUCKET.match(match.group(1)):
            raise UsageError(f"{what} must be an S3 URI such as s3://bucket/partner/drop/, not {uri!r}")
        return cls(match.group(1), match.group(2))

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def object_uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def relative(self, key: str) -> str:
        """key below the prefix ("drop/2026/a.xml" under "drop/" -> "2026/a.xml")."""
        return key[len(self.prefix):] if key.startswith(self.prefix) else key

    def contains(self, bucket: str, key: str) -> bool:
        return bucket == self.bucket and key.startswith(self.prefix)


@dataclass(frozen=True)
class S3Config:
    endpoint_url: str | None
    access_key: str | None
    secret_key: str | None = field(repr=False)
    region: str | None
    attempts: int  # botocore tries per call (ORNAMENTS_S3_RETRIES)
    timeout: float  # connect and read timeout per call (ORNAMENTS_S3_TIMEOUT)

    @classmethod
    def from_settings(cls, settings) -> "S3Config":
        # Keys: a setting if one is given (Scrapy's AWS_* settings, -s); None lets botocore read its own
        # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (settings.py never copies them).
        return cls(endpoint_url=settings.get("AWS_ENDPOINT_URL") or None,
                   access_key=settings.get("AWS_ACCESS_KEY_ID") or None,
                   secret_key=settings.get("AWS_SECRET_ACCESS_KEY") or None,
                   region=settings.get("AWS_REGION_NAME") or None,
                   attempts=max(1, setting_int(settings, "ORNAMENTS_S3_RETRIES")),
                   timeout=setting_float(settings, "ORNAMENTS_S3_TIMEOUT"))

    def client(self):
        import boto3.session
        from botocore.config import Config

        config = Config(retries={"mode": "standard", "max_attempts": self.attempts},
                        connect_timeout=self.timeout, read_timeout=self.timeout)
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key, region_name=self.region, config=config)


def _transient(exc: BaseException) -> bool:
    """A body that broke off, or a connection botocore gave up on: worth one more download."""
    from botocore.exceptions import (ConnectionClosedError, EndpointConnectionError, IncompleteReadError,
                                     ReadTimeoutError, ResponseStreamingError)

    return isinstance(exc, (ConnectionClosedError, EndpointConnectionError, IncompleteReadError, ReadTimeoutError,
                            ResponseStreamingError, ConnectionError, TimeoutError))


def error_text(exc: BaseException) -> str:
    """One line, never a credential: botocore's messages name the operation and the S3 error code."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:500]


class DropFolder:
    """The objects of one location; one botocore client per folder (clients are thread-safe)."""

    def __init__(self, location: S3Location, config: S3Config):
        self.location = location
        self.config = config
        self.client = config.client()
        self.download_retry = RetryPolicy(attempts=config.attempts, backoff=1.0, max_backoff=20)

    def list(self) -> list[ListedObject]:
        """Every object under the prefix, oldest first (folder markers, keys ending in "/", left out)."""
        found = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.location.bucket, Prefix=self.location.prefix):
            for entry in page.get("Contents", ()):
                if entry["Key"].endswith("/"):
                    continue
                found.append(ListedObject(entry["Key"], normalize_etag(entry["ETag"]), entry.get("Size"),
                                          entry.get("LastModified")))
        return sorted(found, key=lambda o: (o.last_modified, o.key))

    def download(self, key: str, etag: str, path: Path) -> int:
        """The object's bytes, in the version with this ETag, into path; returns the size.
        Raises Superseded when the object has changed since it was listed."""
        from botocore.exceptions import ClientError

        def once() -> int:
            try:
                answer = self.client.get_object(Bucket=self.location.bucket, Key=key, IfMatch=f'"{etag}"')
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code")
                if code in ("PreconditionFailed", "412"):
                    raise Superseded(f"s3://{self.location.bucket}/{key} changed after it was listed "
                                     f"(ETag {etag} is gone)") from None
                raise
            size = 0
            with path.open("wb") as out:
                for chunk in answer["Body"].iter_chunks(CHUNK):
                    out.write(chunk)
                    size += len(chunk)
            return size

        return call_with_retries(once, self.download_retry, _transient, f"downloading s3://{self.location.bucket}/{key}")


@dataclass(frozen=True)
class S3DropConfig:
    """How a drop folder is processed (defaults in ornaments.settings)."""
    s3: S3Config
    full_catalogue: bool  # each file is the partner's whole catalogue: a clean run may remove (off)
    max_attempts: int  # a failing file is tried this many times, then left failed for a person
    claim_timeout: timedelta  # a file `processing` longer than this is taken back

    @classmethod
    def from_settings(cls, settings) -> "S3DropConfig":
        return cls(s3=S3Config.from_settings(settings),
                   full_catalogue=setting_flag(settings, "ORNAMENTS_S3_FULL_CATALOGUE"),
                   max_attempts=max(1, setting_int(settings, "ORNAMENTS_S3_MAX_ATTEMPTS")),
                   claim_timeout=timedelta(hours=setting_float(settings, "ORNAMENTS_S3_CLAIM_TIMEOUT_HOURS")))
