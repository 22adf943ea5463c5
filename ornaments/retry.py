"""Bounded retries with exponential backoff, shared by the database, sFTP, Scrapyd and alert code.

A policy is bounded by a number of tries (`attempts`), by a time budget (`seconds`), or by both,
whichever runs out first; never forever.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from ornaments import backoff

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int | None = 5  # total tries, the first included; None: as many as `seconds` allows
    backoff: float = 0.5  # seconds before the second try; doubles each time
    max_backoff: float = 30.0
    # Time budget: no try starts later than this many seconds after the first one. With it, a
    # database restart or failover costs time instead of data.
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.attempts is None and self.seconds is None:
            raise ValueError("a RetryPolicy needs attempts, seconds or both: it never retries forever")
        if self.attempts is not None and self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")

    def delay(self, failed_attempts: int) -> float:
        return backoff.delay(failed_attempts, self.backoff, self.max_backoff, jitter=backoff.JITTER)


def call_with_retries(
    func: Callable[[], T],
    policy: RetryPolicy,
    is_transient: Callable[[BaseException], bool],
    what: str,
    on_retry: Callable[[BaseException], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    log_level: int = logging.WARNING,
) -> T:
    """Call func; on a transient error wait and call again, while the policy's tries and time last.

    Meant for blocking code running in a thread. The last error is raised when the tries run out.
    """
    started = clock()
    deadline = None if policy.seconds is None else started + policy.seconds
    attempt = 0
    while True:
        attempt += 1
        try:
            return func()
        except Exception as exc:
            if not is_transient(exc) or (policy.attempts is not None and attempt >= policy.attempts):
                raise
            delay = policy.delay(attempt)
            if deadline is not None:
                left = deadline - clock()
                if left <= 0:
                    raise
                delay = min(delay, left)  # the last try comes at the end of the budget, not after it
            logger.log(log_level, "%s failed (try %d%s): %s; retrying in %.1fs", what, attempt,
                       _progress(policy, attempt, clock() - started), one_line(exc), delay)
            if on_retry is not None:
                on_retry(exc)
            sleep(delay)


def _progress(policy: RetryPolicy, attempt: int, elapsed: float) -> str:
    if policy.seconds is None:
        return f" of {policy.attempts}"
    return f", {elapsed:.0f}s of a {policy.seconds:g}s retry budget spent"


def one_line(exc: BaseException) -> str:
    """An error in one line: its type and the first line of its message (no SQL, no parameters)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
