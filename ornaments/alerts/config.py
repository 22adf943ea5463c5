"""Alert settings. The webhook URL (a Slack incoming-webhook URL is a credential) and the SMTP password
are secrets: they never appear in repr, logs, stats or error messages."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from ornaments.env import SettingError, parse_flag, setting_float, setting_int
from ornaments.retry import RetryPolicy

SMTP_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class ConfigError(ValueError):
    """The alert settings cannot work; the message names the setting, never its secret value."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: str = "none"  # "none", "starttls" (smtp://...?starttls=1) or "ssl" (smtps://)
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        """smtp://user:pass@host:port, smtps://... (TLS from the start), smtp://...?starttls=1.

        User and password are percent-decoded, so a password may hold '@' or ':' as %40 and %3A.
        """
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise ConfigError("ORNAMENTS_SMTP_URL is not a valid URL (smtp://user:password@host:port)") from None
        if parts.scheme not in ("smtp", "smtps"):
            raise ConfigError("ORNAMENTS_SMTP_URL must start with smtp:// or smtps://")
        if not parts.hostname:
            raise ConfigError("ORNAMENTS_SMTP_URL names no host")
        try:  # yes/no read as every other (the URL's password is not in the message)
            starttls = parse_flag("ORNAMENTS_SMTP_URL's starttls", parse_qs(parts.query).get("starttls", ["0"])[-1])
        except SettingError as exc:
            raise ConfigError(str(exc)) from None
        security = "ssl" if parts.scheme == "smtps" else "starttls" if starttls else "none"
        return cls(host=parts.hostname, port=port or SMTP_PORTS[security], security=security,
                   user=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password is not None else None)

    @property
    def address(self) -> str:
        """host:port, for log lines."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class AlertConfig:
    """Built by from_settings: each default is in ornaments/settings.py."""

    webhook_url: str | None = field(repr=False)
    email_to: tuple[str, ...]
    email_from: str
    smtp: SmtpServer | None
    # A few tries over about half a minute: enough for a blip, short enough not to hold up the end of a run.
    retry: RetryPolicy
    timeout: float  # per connection attempt and per answer

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | Any) -> "AlertConfig | None":
        """From Scrapy settings or a mapping holding the project's; None when no channel is configured."""
        get = settings.get
        webhook = (get("ORNAMENTS_ALERT_WEBHOOK") or "").strip() or None
        if webhook and urlsplit(webhook).scheme not in ("http", "https"):
            raise ConfigError("ORNAMENTS_ALERT_WEBHOOK must be an http:// or https:// URL")
        recipients = tuple(a.strip() for a in str(get("ORNAMENTS_ALERT_EMAIL") or "").split(",") if a.strip())
        smtp_url = (get("ORNAMENTS_SMTP_URL") or "").strip()
        if recipients and not smtp_url:
            raise ConfigError("ORNAMENTS_ALERT_EMAIL is set but ORNAMENTS_SMTP_URL is not")
        if not webhook and not recipients:
            return None
        smtp = SmtpServer.from_url(smtp_url) if recipients else None
        sender = (get("ORNAMENTS_ALERT_FROM") or "").strip()
        if not sender:
            sender = smtp.user if smtp and smtp.user and "@" in smtp.user else f"ornaments@{socket.gethostname()}"
        try:
            return cls(webhook_url=webhook, email_to=recipients, email_from=sender, smtp=smtp,
                       retry=RetryPolicy(attempts=max(1, setting_int(settings, "ORNAMENTS_ALERT_RETRIES")),
                                         backoff=setting_float(settings, "ORNAMENTS_ALERT_BACKOFF"),
                                         max_backoff=10.0),
                       timeout=setting_float(settings, "ORNAMENTS_ALERT_TIMEOUT"))
        except SettingError as exc:  # alerts are off, said in one ERROR line (ornaments.extensions.alerts)
            raise ConfigError(str(exc)) from None

    @property
    def webhook_host(self) -> str:
        """Where the webhook goes, without the secret path, for log lines."""
        return urlsplit(self.webhook_url or "").hostname or "?"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must not leave this object: masked in every message about a delivery."""
        found = [self.webhook_url, urlsplit(self.webhook_url or "").path.strip("/"),
                 self.smtp.password if self.smtp else None]
        return tuple(s for s in found if s and len(s) >= 4)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text
