"""ApiConfig: the API's settings, parsed once (defaults in ornaments.settings, overridable by the environment)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ornaments.env import SettingError
from ornaments.retry import RetryPolicy


@dataclass(frozen=True)
class ApiConfig:
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    imports_dir: Path = Path("imports")
    max_upload_bytes: int = 1024 ** 3
    keep_failed_uploads_hours: float = 0.0  # a failed import's file is deleted this long after its run ended
    max_running_imports: int = 2
    progress_interval: float = 1.0  # seconds between Server-Sent Events of a run's progress
    scrapyd_nodes: tuple[str, ...] = ()  # imports run there when set (SCRAPYD_NODES)
    scrapyd_project: str = "ornaments"
    # Signs the pages' login cookies; a random one per process when unset (logins end with a restart).
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    session_hours: float = 12.0
    secure_cookies: bool = True  # off only for plain-http use on one machine (ORNAMENTS_API_SECURE_COOKIES=0)
    auth_failures: int = 10  # wrong keys from one client within auth_window seconds before it waits (429)
    auth_window: float = 60.0
    images_store: Path | None = None  # the crawls' local IMAGES_STORE: the product page shows images from it
    retry: RetryPolicy = RetryPolicy(attempts=3, backoff=0.2, max_backoff=2.0)

    @classmethod
    def from_settings(cls, settings, **overrides) -> "ApiConfig":
        secret = os.environ.get("ORNAMENTS_API_SESSION_SECRET", "")  # a secret: environment only
        nodes = settings.get("SCRAPYD_NODES") or os.environ.get("SCRAPYD_NODES", "")
        values = dict(
            database_url=settings.get("DATABASE_URL"),
            host=settings.get("ORNAMENTS_API_HOST", "127.0.0.1"),
            port=settings.getint("ORNAMENTS_API_PORT", 8000),
            imports_dir=Path(settings.get("ORNAMENTS_IMPORTS_DIR", "imports")).resolve(),
            max_upload_bytes=int(settings.getfloat("ORNAMENTS_API_MAX_UPLOAD_MB", 1024) * 1024 * 1024),
            keep_failed_uploads_hours=max(0.0, settings.getfloat("ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS", 0)),
            max_running_imports=max(1, settings.getint("ORNAMENTS_API_MAX_IMPORTS", 2)),
            progress_interval=max(0.1, settings.getfloat("ORNAMENTS_API_PROGRESS_INTERVAL", 1.0)),
            scrapyd_nodes=tuple(u.strip() for u in str(nodes).split(",") if u.strip()),
            scrapyd_project=os.environ.get("SCRAPYD_PROJECT", "ornaments"),
            session_hours=settings.getfloat("ORNAMENTS_API_SESSION_HOURS", 12.0),
            secure_cookies=settings.getbool("ORNAMENTS_API_SECURE_COOKIES", True),
            auth_failures=max(1, settings.getint("ORNAMENTS_API_AUTH_FAILURES", 10)),
            auth_window=max(1.0, settings.getfloat("ORNAMENTS_API_AUTH_WINDOW", 60)),
            images_store=local_store(settings.get("IMAGES_STORE", "")),
            retry=RetryPolicy(attempts=max(1, settings.getint("ORNAMENTS_API_DB_TRIES", 3)), backoff=0.2,
                              max_backoff=2.0),
        )
        if secret:
            values["session_secret"] = secret.encode()
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["max_upload_bytes"] <= 0:  # every upload would be 413 "too large"
            raise SettingError(f"ORNAMENTS_API_MAX_UPLOAD_MB must be more than 0, not "
                               f"{settings.get('ORNAMENTS_API_MAX_UPLOAD_MB')!r}")
        if not 0 <= values["port"] <= 65535:  # said in one line, not as the socket's traceback
            raise SettingError(f"the API's port (--port or ORNAMENTS_API_PORT) must be 0-65535, not {values['port']}")
        return cls(**values)


def local_store(uri: str) -> Path | None:
    """IMAGES_STORE as a local directory (a path or file://), or None (empty, s3://, gs://, ftp://)."""
    if uri.startswith("file://"):
        uri = uri[len("file://"):]
    elif not uri or "://" in uri:
        return None
    return Path(uri).resolve()


def project_settings():
    """Scrapy's settings of the project (ornaments.settings and the environment), also outside its directory."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "ornaments.settings")
    from scrapy.utils.project import get_project_settings
    return get_project_settings()
