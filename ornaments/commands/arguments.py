"""argparse types for the commands' numbers: a value the database could not hold (`--limit 10**23`,
`--apply-removals 99999999999999999999`) is refused by argparse in its one usage line, not by the
database in a traceback. Only ASCII digits are numbers: int() also reads "٣" (Arabic-Indic three) as
3, "1_000" as 1000 and " 12 " as 12, which nobody types meaning a run's id.

one_line_refusals(parser, "runs") makes argparse's own refusals one line on stderr and exit 2, as
every other wrong value: they were Scrapy's "Usage / =====" block and then "__main__.py: error: ...".
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from ornaments.env import USAGE_EXIT

MAX_ID = 2**63 - 1  # the largest BIGINT: every table's id fits
MAX_COUNT = 1_000_000  # more rows than a person reads in a terminal
_NUMBER = re.compile(r"[+-]?[0-9]+")  # ASCII digits only (re's [0-9], not \d, which matches "٣")


def _shown(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:20]}… ({len(value)} characters)"


def _whole(value: str, low: int, high: int, what: str) -> int:
    if not _NUMBER.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{_shown(value)!r} is not a whole number")
    # A number of thousands of digits is out of range: no need to read it (int() refuses 4,300 and more).
    number = int(value) if len(value) <= 40 else None
    if number is None or not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{what} must be {low:,} to {high:,}, not {_shown(value)}")
    return number


def record_id(value: str) -> int:
    """A row's id (a run, an event, a file)."""
    return _whole(value, 0, MAX_ID, "an id")


def count(value: str) -> int:
    """How many rows to show."""
    return _whole(value, 1, MAX_COUNT, "a count")


def one_line_refusals(parser: argparse.ArgumentParser, command: str) -> None:
    """argparse's refusals of this command's options (`--run ٣`, `--limit` alone) as one line,
    "scrapy <command>: argument --run: ...", and exit 2. One command per process, so the parser is its own."""
    def error(message: str) -> NoReturn:
        print(f"scrapy {command}: {message}", file=sys.stderr)
        raise SystemExit(USAGE_EXIT)

    parser.error = error  # type: ignore[method-assign]
