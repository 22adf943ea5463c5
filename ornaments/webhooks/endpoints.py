"""Endpoints in the database: add, list, remove, resume, redeliver, and their dead letters."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.events.feed import last_event_id, parse_types
from ornaments.storage.schema import webhook_deliveries, webhook_endpoints
from ornaments.webhooks.signing import SecretBox, new_secret

# What `list` shows: never the secret.
PUBLIC_COLUMNS = [c for c in webhook_endpoints.c if c.name != "secret"]
# event_types of an endpoint added without --events: every type, those a later version adds too. An
# endpoint added before this existed has the list of that time stored, and keeps it (`events ID all`).
EVERY_TYPE = "*"


def type_filter(stored: str) -> tuple[str, ...] | None:
    """An endpoint's stored event_types as a filter: None for every type."""
    return None if stored == EVERY_TYPE else tuple(t for t in stored.split(",") if t)


def _stored(types: str | None) -> str:
    chosen = parse_types(types)  # ValueError: an unknown name, said in one line
    return EVERY_TYPE if chosen is None else ",".join(chosen)


def safe_url(url: str) -> str:
    """scheme://host:port/ of an endpoint, for logs: its path or query may be its credential."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}/…"


def add(engine: sa.Engine, box: SecretBox, url: str, types: str | None = None, vendors: str | None = None,
        since: int | None = None) -> tuple[int, str]:
    """Store an endpoint; return its id and its secret (the only time the secret is shown).

    Its first delivery starts after event `since` (default: the latest event now, so only what happens
    from now on is sent; `--since 0` sends the whole history)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the endpoint URL must be http(s)://host/…, not {url!r}")
    stored = _stored(types)
    secret = new_secret()
    with engine.begin() as conn:
        cursor = last_event_id(conn) if since is None else max(0, since)
        endpoint_id = conn.execute(webhook_endpoints.insert().values(
            url=url, event_types=stored, vendors=_list(vendors), secret=box.seal(secret),
            status="active", cursor=cursor, failures=0, created_at=utcnow())).inserted_primary_key[0]
    return endpoint_id, secret


def set_types(engine: sa.Engine, endpoint_id: int, types: str | None) -> bool:
    """Change which event types an endpoint gets ("all", a group, a list), from its cursor on: events
    before it are not sent again (`resume ID --from EVENT_ID` does that)."""
    stored = _stored(types)
    with engine.begin() as conn:
        return conn.execute(webhook_endpoints.update().where(webhook_endpoints.c.id == endpoint_id)
                            .values(event_types=stored)).rowcount == 1


def _list(text: str | None) -> str | None:
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    return ",".join(values) or None


def endpoints(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return conn.execute(sa.select(*PUBLIC_COLUMNS).order_by(webhook_endpoints.c.id)).all()


def remove(engine: sa.Engine, endpoint_id: int) -> bool:
    with engine.begin() as conn:
        conn.execute(webhook_deliveries.delete().where(webhook_deliveries.c.endpoint_id == endpoint_id))
        return conn.execute(webhook_endpoints.delete().where(webhook_endpoints.c.id == endpoint_id)).rowcount == 1


def resume(engine: sa.Engine, endpoint_id: int, from_event: int | None = None) -> bool:
    """Activate an endpoint now: a paused one retries its waiting batch (its dead letter) at once.
    With from_event, delivery restarts at that event (a receiver that lost what it was sent)."""
    values = dict(status="active", failures=0, next_attempt_at=None, paused_at=None)
    if from_event is not None:
        values.update(cursor=max(0, from_event - 1), pending_through=None)
    with engine.begin() as conn:
        return conn.execute(webhook_endpoints.update().where(webhook_endpoints.c.id == endpoint_id)
                            .values(**values)).rowcount == 1


def dead_letters(engine: sa.Engine, endpoint_id: int | None = None) -> list[sa.Row]:
    """The attempts that paused their endpoint, whose events still wait (newest first)."""
    query = (sa.select(webhook_deliveries, webhook_endpoints.c.status.label("endpoint_status"))
             .join(webhook_endpoints, webhook_endpoints.c.id == webhook_deliveries.c.endpoint_id)
             .where(webhook_deliveries.c.status == "dead",
                    webhook_deliveries.c.last_event_id > webhook_endpoints.c.cursor)
             .order_by(webhook_deliveries.c.id.desc()))
    if endpoint_id is not None:
        query = query.where(webhook_deliveries.c.endpoint_id == endpoint_id)
    with engine.connect() as conn:
        return conn.execute(query).all()
