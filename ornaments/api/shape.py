"""How values look in the API's JSON: prices as exact decimal strings, times as ISO 8601 UTC."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ornaments.clock import as_utc, iso_utc  # noqa: F401  (the API's modules take them from here)

MAX_MONEY = Decimal("9999999999.99")  # the Money columns' largest value (NUMERIC(12, 2))

CENT = Decimal("0.01")


def money(value: Any) -> str | None:
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(CENT))


def json_list(text: str | None) -> list:
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def json_object(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


__all__ = ["money", "iso_utc", "as_utc", "json_list", "json_object"]
