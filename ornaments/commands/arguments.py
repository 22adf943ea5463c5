"""argparse types for the commands' numbers: a value the database could not hold (`--limit 10**23`,
`--apply-removals 99999999999999999999`) is refused by argparse in its one usage line, not by the
database in a traceback. Only ASCII digits are numbers: int() also reads "٣" (Arabic-Indic three) as
3, "1_000" as 1000 and " 12 " as 12, which nobody types meaning a run's id.

one_line_refusals(parser, "runs") makes argparse's own refusals one line on stderr and exit 2, as
every other wrong value: they were Scrapy's "Usage / =====" block and then "__main__.py: error: ...".
check_action(args, ACTIONS) refuses a missing or unknown action (`scrapy db status`) the same way, naming
what was typed and the actions there are.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from scrapy.exceptions import UsageError

from ornaments.env import USAGE_EXIT

MAX_ID = 2**63 - 1  # the largest BIGINT: every table's id fits
MAX_COUNT = 1_000_000  # more rows than a person reads in a terminal
MAX_PORT = 65_535
# Tries per Scrapyd call: each waits up to --timeout, and the backoff between them up to 5 s; ten tries
# of a node that is down already hold a scheduler tick or an S3 event for over two minutes.
MAX_TRIES = 10
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


def port(value: str) -> int:
    """A TCP port to listen on."""
    return _whole(value, 1, MAX_PORT, "a port")


def tries(value: str) -> int:
    """How many times to try a call (0 is read as 1 by RetryPolicy's callers: one try, no retry)."""
    return _whole(value, 0, MAX_TRIES, "a number of tries")


def check_action(args: list[str], actions) -> str:
    """The action a command was given (its first argument), or a UsageError of one line naming what was
    typed and the actions there are. Call it from process_options: a typo is said before the command looks
    at its database (a wrong DATABASE_URL would otherwise be reported first)."""
    there_are = f"the actions are: {', '.join(actions)}"
    if not args:
        raise UsageError(f"say what to do; {there_are}", print_help=False)
    if args[0] not in actions:
        raise UsageError(f"no action named {_shown(args[0])!r}; {there_are}", print_help=False)
    return args[0]


def one_line_refusals(parser: argparse.ArgumentParser, command: str) -> None:
    """argparse's refusals of this command's options (`--run ٣`, `--limit` alone) as one line,
    "scrapy <command>: argument --run: ...", and exit 2. One command per process, so the parser is its own."""
    def error(message: str) -> NoReturn:
        print(f"scrapy {command}: {message}", file=sys.stderr)
        raise SystemExit(USAGE_EXIT)

    parser.error = error  # type: ignore[method-assign]
