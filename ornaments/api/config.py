"""ApiConfig: the API's settings, parsed once (defaults in ornaments.settings, overridable by the environment)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from ornaments.env import SettingError, setting_flag, setting_float, setting_int
from ornaments.retry import RetryPolicy
from ornaments.runs.config import abandoned_after
from ornaments.scheduling.client import scrapyd_credentials, scrapyd_nodes


@dataclass(frozen=True)
class ApiConfig:
    """Built by from_settings only: each value's default is in ornaments/settings.py."""

    database_url: str
    host: str
    port: int
    imports_dir: Path
    max_upload_bytes: int
    keep_failed_uploads_hours: float  # a failed import's file is deleted this long after its run ended
    max_running_imports: int
    progress_interval: float  # seconds between Server-Sent Events of a run's progress
    # Starts an upload's crawl: (command, env, cwd, log path) -> a process with pid, poll() and wait().
    import_launcher: Callable[[list[str], dict[str, str], Path, Path], Any]
    scrapyd_nodes: tuple[str, ...]  # imports run there when set (SCRAPYD_NODES)
    scrapyd_project: str
    scrapyd_auth: tuple[str, str] | None = field(repr=False)  # SCRAPYD_USERNAME, SCRAPYD_PASSWORD
    abandoned_after: timedelta  # a queued import whose crawl never started is abandoned this long after
    # Signs the pages' login cookies; a random one per process when unset (logins end with a restart).
    session_secret: bytes = field(repr=False)
    session_hours: float
    secure_cookies: bool  # off only for plain-http use on one machine (ORNAMENTS_API_SECURE_COOKIES=0)
    auth_failures: int  # wrong keys from one client within auth_window seconds before it waits (429)
    auth_window: float
    images_store: Path | None  # the crawls' local IMAGES_STORE: the product page shows images from it
    retry: RetryPolicy

    @classmethod
    def from_settings(cls, settings, **overrides) -> "ApiConfig":
        secret = settings.get("ORNAMENTS_API_SESSION_SECRET") or ""
        values = dict(
            database_url=settings.get("DATABASE_URL"),
            host=settings.get("ORNAMENTS_API_HOST"),
            port=setting_int(settings, "ORNAMENTS_API_PORT"),
            imports_dir=Path(settings.get("ORNAMENTS_IMPORTS_DIR")).resolve(),
            max_upload_bytes=int(setting_float(settings, "ORNAMENTS_API_MAX_UPLOAD_MB") * 1024 * 1024),
            keep_failed_uploads_hours=max(0.0, setting_float(settings, "ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS")),
            max_running_imports=max(1, setting_int(settings, "ORNAMENTS_API_MAX_IMPORTS")),
            progress_interval=max(0.1, setting_float(settings, "ORNAMENTS_API_PROGRESS_INTERVAL")),
            import_launcher=import_launcher(settings.get("ORNAMENTS_API_IMPORT_LAUNCHER")),
            scrapyd_nodes=scrapyd_nodes(settings),
            scrapyd_project=settings.get("SCRAPYD_PROJECT"),
            scrapyd_auth=scrapyd_credentials(settings),
            abandoned_after=abandoned_after(settings),
            session_secret=secret.encode() if secret else secrets.token_bytes(32),
            session_hours=setting_float(settings, "ORNAMENTS_API_SESSION_HOURS"),
            secure_cookies=setting_flag(settings, "ORNAMENTS_API_SECURE_COOKIES"),
            auth_failures=max(1, setting_int(settings, "ORNAMENTS_API_AUTH_FAILURES")),
            auth_window=max(1.0, setting_float(settings, "ORNAMENTS_API_AUTH_WINDOW")),
            images_store=local_store(settings.get("IMAGES_STORE") or ""),
            retry=RetryPolicy(attempts=max(1, setting_int(settings, "ORNAMENTS_API_DB_TRIES")), backoff=0.2,
                              max_backoff=2.0),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["max_upload_bytes"] <= 0:  # every upload would be 413 "too large"
            raise SettingError(f"ORNAMENTS_API_MAX_UPLOAD_MB must be more than 0, not "
                               f"{settings.get('ORNAMENTS_API_MAX_UPLOAD_MB')!r}")
        if not 0 <= values["port"] <= 65535:  # said in one line, not as the socket's traceback
            raise SettingError(f"the API's port (--port or ORNAMENTS_API_PORT) must be 0-65535, not {values['port']}")
        return cls(**values)


def import_launcher(path: str):
    """The function of ORNAMENTS_API_IMPORT_LAUNCHER, or one line saying why it cannot be loaded."""
    from scrapy.utils.misc import load_object
    try:
        launcher = load_object(path)
    except (ImportError, NameError, ValueError) as exc:
        raise SettingError(f"ORNAMENTS_API_IMPORT_LAUNCHER must name a function (package.module.function), "
                           f"not {path!r}: {exc}") from None
    if not callable(launcher):
        raise SettingError(f"ORNAMENTS_API_IMPORT_LAUNCHER must name a function, not {path!r}")
    return launcher


def local_store(uri: str) -> Path | None:
    """IMAGES_STORE as a local directory (a path or file://), or None (empty, s3://, gs://, ftp://)."""
    if uri.startswith("file://"):
        uri = uri[len("file://"):]
    elif not uri or "://" in uri:
        return None
    return Path(uri).resolve()


def project_settings():
    """Scrapy's settings of the project (ornaments.settings and the environment), also outside its directory."""
    # Not a setting read: tells Scrapy's own lookup which settings module is the project's.
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "ornaments.settings")
    from scrapy.utils.project import get_project_settings
    return get_project_settings()
