"""Ids and other numbers a client or a form sends, checked before they reach the database.

Every table's id is a BIGINT. A larger number in a path, a query or a JSON body reached SQLite as
"Python int too large to convert to SQLite INTEGER" (and PostgreSQL as "bigint out of range" on an
insert): a 500. Here it is a 422 naming the field, as any other wrong value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import Path, Query

MAX_ID = 2**63 - 1  # the largest BIGINT: every table's id fits (ornaments.commands.arguments.MAX_ID)
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: int() also reads "١٢", "1_000" and " 12 "
# Control characters, format characters (bidi overrides, zero-width), lone surrogates and the
# Unicode line and paragraph separators: none belongs in a reference, and each can forge a log line
# or be refused by a database driver.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def path_id(what: str) -> Any:
    """An id in the path: 0 to MAX_ID, as the commands take ids (0 and a deleted id are a 404)."""
    return Path(ge=0, le=MAX_ID, description=f"the {what}'s id")


def after_id(description: str = "the id the previous page ended at") -> Any:
    """A keyset cursor given as an id: 0 (the start) to MAX_ID."""
    return Query(0, ge=0, le=MAX_ID, description=description)


def text_id(text: str) -> int | None:
    """An id written in ASCII digits within BIGINT, or None (str.isdigit() also passes "²" and "٣";
    an id beyond BIGINT reached SQLite as "Python int too large"; int() of 5,000 digits is slow)."""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def form_id(text: str) -> int | None:
    """An id typed in a form ("12", "#12"), or None when it is not one."""
    return text_id(text.strip().lstrip("#"))


def hidden_character(text: str) -> str | None:
    """The first control or invisible formatting character in text, as U+XXXX, or None."""
    for char in text:
        if unicodedata.category(char) in _HIDDEN:
            return f"U+{ord(char):04X}"
    return None
