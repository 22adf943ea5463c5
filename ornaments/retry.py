"""Bounded retries with exponential backoff, shared by the database and sFTP code (never forever)."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # total tries, the first included
    backoff: float = 0.5  # seconds before the second try; doubles each time
    max_backoff: float = 30.0

    def delay(self, failed_attempts: int) -> float:
        base = min(self.max_backoff, self.backoff * (2 ** (failed_attempts - 1)))
        return base * random.uniform(0.8, 1.2)  # jitter, so parallel clients do not retry in step


def call_with_retries(
    func: Callable[[], T],
    policy: RetryPolicy,
    is_transient: Callable[[BaseException], bool],
    what: str,
    on_retry: Callable[[BaseException], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call func; on a transient error wait and call again, at most policy.attempts times in all.

    Meant for blocking code running in a thread. The last error is raised when the tries run out.
    """
    for attempt in range(1, policy.attempts + 1):
        try:
            return func()
        except Exception as exc:
            if not is_transient(exc) or attempt == policy.attempts:
                raise
            delay = policy.delay(attempt)
            logger.warning("%s failed (try %d of %d): %s; retrying in %.1fs",
                           what, attempt, policy.attempts, one_line(exc), delay)
            if on_retry is not None:
                on_retry(exc)
            sleep(delay)
    raise AssertionError("unreachable")


def one_line(exc: BaseException) -> str:
    """An error in one line: its type and the first line of its message (no SQL, no parameters)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
