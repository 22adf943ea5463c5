"""Standard Webhooks signatures, and the endpoint secrets at rest.

A secret is `whsec_` + base64 of 32 random bytes, shown once when the endpoint is added. The dispatcher
must sign with it, so it cannot be stored as a hash: it is stored encrypted with Fernet (AES-128-CBC +
HMAC, from `cryptography`) under ORNAMENTS_WEBHOOK_KEY, which comes from the environment only. The key may
list several comma-separated Fernet keys: the first encrypts, any decrypts (key rotation).
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timezone

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from standardwebhooks import Webhook

PREFIX = "whsec_"
KEY_ENV = "ORNAMENTS_WEBHOOK_KEY"


class SecretKeyError(RuntimeError):
    """ORNAMENTS_WEBHOOK_KEY is missing, malformed, or not the key the secrets were stored with."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_key() -> str:
    return Fernet.generate_key().decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header (`v1,` + base64 of the HMAC-SHA256 of "id.timestamp.body"), made by the
    Standard Webhooks reference library, the one receivers verify with. The body is our UTF-8 JSON."""
    return Webhook(secret).sign(message_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body.decode("utf-8"))


class SecretBox:
    """Encrypts endpoint secrets for the database and decrypts them for signing."""

    def __init__(self, key: str | None):
        if not key:
            raise SecretKeyError(f"{KEY_ENV} is not set: webhook secrets are stored encrypted with it. Create one "
                                 f"with `scrapy webhooks key` and set it in the environment of every command "
                                 f"that adds endpoints or delivers")
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in key.split(",") if k.strip()])
        except ValueError:
            raise SecretKeyError(f"{KEY_ENV} is not a Fernet key (32 url-safe base64-encoded bytes); "
                                 f"create one with `scrapy webhooks key`") from None

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretKeyError(f"an endpoint secret cannot be decrypted with {KEY_ENV}: it was stored with "
                                 f"another key (add the old key after the new one, comma-separated)") from None
