"""sFTP settings. The password and the key path are secrets: they never appear in repr, logs or stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ornaments.retry import RetryPolicy


class ConfigError(ValueError):
    """The sFTP settings cannot work; the message names the setting, never its secret value."""


@dataclass(frozen=True)
class SftpConfig:
    host: str
    user: str
    port: int = 22
    key_file: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    known_hosts: str = "~/.ssh/known_hosts"
    remote_dir: str = "images"
    base_url: str | None = None  # public URL of remote_dir, for product_images.public_url
    channels: int = 4  # SFTP channels (and worker threads) on the one SSH connection
    retry: RetryPolicy = RetryPolicy(attempts=5, backoff=1.0, max_backoff=30.0)
    timeout: float = 30.0  # connect, banner, auth and per-operation timeout
    keepalive: int = 15  # seconds between SSH keepalives, so idle NAT/firewall state survives

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | Any) -> "SftpConfig | None":
        """From Scrapy settings or a plain mapping; None when SFTP_HOST is empty (upload off)."""
        get = settings.get
        host = (get("SFTP_HOST") or "").strip()
        if not host:
            return None
        user = (get("SFTP_USER") or "").strip()
        if not user:
            raise ConfigError("SFTP_HOST is set but SFTP_USER is not")
        key_file, password = get("SFTP_KEY_FILE") or None, get("SFTP_PASSWORD") or None
        if not key_file and not password:
            raise ConfigError("SFTP_HOST is set but neither SFTP_KEY_FILE nor SFTP_PASSWORD is")
        remote_dir = (get("SFTP_REMOTE_DIR") or "images").strip().rstrip("/") or "/"
        if ".." in remote_dir.split("/"):
            raise ConfigError("SFTP_REMOTE_DIR must not contain '..'")
        base_url = (get("IMAGES_BASE_URL") or "").strip() or None
        try:
            return cls(
                host=host, user=user, port=int(get("SFTP_PORT") or 22), key_file=key_file, password=password,
                known_hosts=get("SFTP_KNOWN_HOSTS") or "~/.ssh/known_hosts", remote_dir=remote_dir,
                base_url=base_url.rstrip("/") + "/" if base_url else None,
                channels=max(1, int(get("SFTP_CHANNELS") or 4)),
                retry=RetryPolicy(attempts=max(1, int(get("SFTP_RETRIES") or 5)),
                                  backoff=float(get("SFTP_BACKOFF") or 1.0),
                                  max_backoff=float(get("SFTP_MAX_BACKOFF") or 30.0)),
                timeout=float(get("SFTP_TIMEOUT") or 30.0),
                keepalive=int(get("SFTP_KEEPALIVE") or 15),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"a numeric SFTP_* setting is not a number: {exc}") from None

    @property
    def address(self) -> str:
        """user@host:port, for log lines."""
        return f"{self.user}@{self.host}:{self.port}"
