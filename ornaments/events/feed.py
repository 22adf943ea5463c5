"""Reading the outbox: the events after a cursor, filtered. Shared by `scrapy changes --since` and the
webhook dispatcher. Ids are handed out in commit order (see outbox), so "id > cursor" never skips one."""

from __future__ import annotations

from datetime import datetime
from typing import Iterator, Sequence

import sqlalchemy as sa

from ornaments.events.shape import EVENT_GROUPS, EVENT_TYPES
from ornaments.storage.schema import product_events

PAGE = 1000


def parse_types(text: str | None) -> tuple[str, ...] | None:
    """"price_changed,removed" -> the types; a group name ("product", "item", "link") stands for its
    types; None, "" or "all" -> None (every type). Unknown names are refused."""
    if not text or text.strip().lower() in ("all", "*"):
        return None
    types: list[str] = []
    for name in (t.strip() for t in text.split(",")):
        types.extend(EVENT_GROUPS.get(name, (name,) if name else ()))
    unknown = [t for t in dict.fromkeys(types) if t not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"unknown event type(s) {', '.join(unknown)}; the types are {', '.join(EVENT_TYPES)}, "
                         f"or a group: {', '.join(EVENT_GROUPS)}, or all")
    return tuple(dict.fromkeys(types)) or None


def select_events(after: int, types: Sequence[str] | None = None, vendors: Sequence[str] | None = None,
                  since_time: datetime | None = None, through: int | None = None, limit: int | None = None):
    query = sa.select(product_events).where(product_events.c.id > after).order_by(product_events.c.id)
    if types:
        query = query.where(product_events.c.type.in_(list(types)))
    if vendors:
        query = query.where(product_events.c.vendor.in_(list(vendors)))
    if since_time is not None:
        query = query.where(product_events.c.occurred_at > since_time)
    if through is not None:
        query = query.where(product_events.c.id <= through)
    return query.limit(limit) if limit else query


def iter_events(engine: sa.Engine, after: int, limit: int | None = None, **filters) -> Iterator[sa.Row]:
    """Events after the cursor in id order, read a page at a time (short transactions: SQLite writers
    and the sync are never held up by a slow reader)."""
    left = limit
    while left is None or left > 0:
        page = PAGE if left is None else min(PAGE, left)
        with engine.connect() as conn:
            rows = conn.execute(select_events(after, limit=page, **filters)).all()
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1].id
        if left is not None:
            left -= len(rows)


def last_event_id(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.max(product_events.c.id))).scalar() or 0
