"""sFTP settings. The password and the key path are secrets: they never appear in repr, logs or stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ornaments.env import SettingError, setting_float, setting_int
from ornaments.retry import RetryPolicy


class ConfigError(ValueError):
    """The sFTP settings cannot work; the message names the setting, never its secret value."""


@dataclass(frozen=True)
class SftpConfig:
    """Built by from_settings (each default is in ornaments/settings.py), or from one made so."""

    host: str
    user: str
    port: int
    key_file: str | None = field(repr=False)
    password: str | None = field(repr=False)
    known_hosts: str
    remote_dir: str
    base_url: str | None  # public URL of remote_dir, for product_images.public_url
    channels: int  # SFTP channels (and worker threads) on the one SSH connection
    retry: RetryPolicy
    timeout: float  # connect, banner, auth and per-operation timeout
    keepalive: int  # seconds between SSH keepalives, so idle NAT/firewall state survives

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | Any) -> "SftpConfig | None":
        """From Scrapy settings or a mapping holding the project's; None when SFTP_HOST is empty (upload off)."""
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
        remote_dir = (get("SFTP_REMOTE_DIR") or "").strip().rstrip("/") or "/"
        if ".." in remote_dir.split("/"):
            raise ConfigError("SFTP_REMOTE_DIR must not contain '..'")
        base_url = (get("IMAGES_BASE_URL") or "").strip() or None
        try:
            return cls(
                host=host, user=user, port=setting_int(settings, "SFTP_PORT"), key_file=key_file, password=password,
                known_hosts=get("SFTP_KNOWN_HOSTS"), remote_dir=remote_dir,
                base_url=base_url.rstrip("/") + "/" if base_url else None,
                channels=max(1, setting_int(settings, "SFTP_CHANNELS")),
                retry=RetryPolicy(attempts=max(1, setting_int(settings, "SFTP_RETRIES")),
                                  backoff=setting_float(settings, "SFTP_BACKOFF"),
                                  max_backoff=setting_float(settings, "SFTP_MAX_BACKOFF")),
                timeout=setting_float(settings, "SFTP_TIMEOUT"),
                keepalive=setting_int(settings, "SFTP_KEEPALIVE"),
            )
        except SettingError as exc:  # the upload is off, said in one ERROR line (ornaments.pipelines.sftp)
            raise ConfigError(str(exc)) from None

    @property
    def address(self) -> str:
        """user@host:port, for log lines."""
        return f"{self.user}@{self.host}:{self.port}"
