"""The dispatcher's settings, parsed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from ornaments.env import setting_float, setting_int
from ornaments.webhooks.signing import KEY_ENV


@dataclass(frozen=True)
class WebhookConfig:
    database_url: str
    batch_size: int  # events per delivery
    timeout: float  # seconds per HTTP request
    poll: float  # seconds between passes when there is nothing to send
    max_attempts: int  # failed attempts of one batch before its endpoint is paused
    backoff: float  # seconds before the second attempt; doubles, with jitter
    max_backoff: float
    concurrency: int  # endpoints served at once
    key: str | None = field(default=None, repr=False)  # ORNAMENTS_WEBHOOK_KEY (a secret: from the environment only)

    @property
    def lease(self) -> float:
        """How long a dispatcher owns an endpoint while it sends to it (a killed one's lease runs out)."""
        return self.timeout * 2 + 5

    @classmethod
    def from_settings(cls, settings) -> "WebhookConfig":
        return cls(
            database_url=settings.get("DATABASE_URL"),
            batch_size=max(1, setting_int(settings, "ORNAMENTS_WEBHOOK_BATCH_SIZE")),
            timeout=setting_float(settings, "ORNAMENTS_WEBHOOK_TIMEOUT"),
            poll=setting_float(settings, "ORNAMENTS_WEBHOOK_POLL"),
            max_attempts=max(1, setting_int(settings, "ORNAMENTS_WEBHOOK_MAX_ATTEMPTS")),
            backoff=setting_float(settings, "ORNAMENTS_WEBHOOK_BACKOFF"),
            max_backoff=setting_float(settings, "ORNAMENTS_WEBHOOK_MAX_BACKOFF"),
            concurrency=max(1, setting_int(settings, "ORNAMENTS_WEBHOOK_CONCURRENCY")),
            key=settings.get(KEY_ENV) or None,
        )
