"""The project's one idea of "now" and of how a time is shown: aware UTC datetimes, ISO 8601 with a Z."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """A time from the database or a query, aware and in UTC (SQLite hands back naive UTC times)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z."""
    value = as_utc(value)
    return None if value is None else value.isoformat().replace("+00:00", "Z")
