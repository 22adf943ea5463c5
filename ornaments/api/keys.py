"""API keys as the `scrapy apikeys` command manages them: made, listed and revoked in the database.

Kept apart from ornaments.api.auth (which checks them on requests) so that the command, loaded at the
start of every `scrapy` command, does not import FastAPI."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.storage.schema import api_keys

KEY_PREFIX = "orn_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A key of 256 random bits: its sha256 needs no salt or slow hash to resist guessing."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(conn: sa.Connection, name: str, write: bool = False, source: str | None = None) -> tuple[int, str]:
    """source: the vendor the key's uploads are stored under when they name none."""
    key = new_key()
    key_id = conn.execute(api_keys.insert(), {  # inserted_primary_key: MySQL has no RETURNING
        "name": name, "key_hash": hash_key(key), "prefix": key[:10], "created_at": utcnow(),
        "scopes": "read,write" if write else "read", "default_source": source}).inserted_primary_key[0]
    return key_id, key


def revoke_key(conn: sa.Connection, name_or_id: str) -> int:
    """Revoke the live keys named name_or_id (or with that id); returns how many."""
    match = api_keys.c.name == name_or_id
    if name_or_id.isdigit():
        match = sa.or_(match, api_keys.c.id == int(name_or_id))
    return conn.execute(api_keys.update().where(match, api_keys.c.revoked_at.is_(None))
                        .values(revoked_at=utcnow())).rowcount


def list_keys(conn: sa.Connection) -> list[sa.Row]:
    return conn.execute(sa.select(api_keys).order_by(api_keys.c.id)).all()
