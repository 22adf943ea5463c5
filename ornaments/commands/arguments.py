"""argparse types for the commands' numbers: a value the database could not hold (`--limit 10**23`,
`--apply-removals 99999999999999999999`) is refused by argparse in its one usage line, not by the
database in a traceback."""

from __future__ import annotations

import argparse

MAX_ID = 2**63 - 1  # the largest BIGINT: every table's id fits
MAX_COUNT = 1_000_000  # more rows than a person reads in a terminal


def _whole(value: str, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{what} must be {low:,} to {high:,}, not {value}")
    return number


def record_id(value: str) -> int:
    """A row's id (a run, an event, a file)."""
    return _whole(value, 0, MAX_ID, "an id")


def count(value: str) -> int:
    """How many rows to show."""
    return _whole(value, 1, MAX_COUNT, "a count")
