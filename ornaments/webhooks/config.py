"""The dispatcher's settings, parsed once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ornaments.webhooks.signing import KEY_ENV


@dataclass(frozen=True)
class WebhookConfig:
    database_url: str
    batch_size: int = 100  # events per delivery
    timeout: float = 10.0  # seconds per HTTP request
    poll: float = 2.0  # seconds between passes when there is nothing to send
    max_attempts: int = 30  # failed attempts of one batch before its endpoint is paused
    backoff: float = 10.0  # seconds before the second attempt; doubles, with jitter
    max_backoff: float = 3600.0
    concurrency: int = 4  # endpoints served at once
    key: str | None = field(default=None, repr=False)  # ORNAMENTS_WEBHOOK_KEY (a secret: environment only)

    @property
    def lease(self) -> float:
        """How long a dispatcher owns an endpoint while it sends to it (a killed one's lease runs out)."""
        return self.timeout * 2 + 5

    @classmethod
    def from_settings(cls, settings) -> "WebhookConfig":
        return cls(
            database_url=settings.get("DATABASE_URL"),
            batch_size=max(1, settings.getint("ORNAMENTS_WEBHOOK_BATCH_SIZE", 100)),
            timeout=settings.getfloat("ORNAMENTS_WEBHOOK_TIMEOUT", 10.0),
            poll=settings.getfloat("ORNAMENTS_WEBHOOK_POLL", 2.0),
            max_attempts=max(1, settings.getint("ORNAMENTS_WEBHOOK_MAX_ATTEMPTS", 30)),
            backoff=settings.getfloat("ORNAMENTS_WEBHOOK_BACKOFF", 10.0),
            max_backoff=settings.getfloat("ORNAMENTS_WEBHOOK_MAX_BACKOFF", 3600.0),
            concurrency=max(1, settings.getint("ORNAMENTS_WEBHOOK_CONCURRENCY", 4)),
            key=os.environ.get(KEY_ENV),
        )
