"""The one exponential backoff formula: every retry in the project waits `delay(...)` seconds.

Used by ornaments.retry (database, sFTP, Scrapyd, S3, alerts, webhook deliveries), the downloader's
BackoffRetryMiddleware and the webhook dispatcher's wait for its database; each passes its own settings.
"""

from __future__ import annotations

import random

JITTER = 0.2  # the house's spread: each wait is 80-120 % of the doubling one
MAX_DOUBLINGS = 60  # 2**60 times any base is past every cap; the exponent stops there so a float cannot overflow


def delay(attempt: int, base: float, cap: float, jitter: float = 0.0, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number `attempt` (1 is the first retry): base × 2^(attempt−1), at most
    `cap`, then multiplied by a random factor in [1 − jitter, 1 + jitter] so that parallel clients do not
    retry in step (with jitter the result may pass the cap by that fraction). `rng` makes it repeatable."""
    if attempt < 1:
        raise ValueError(f"a backoff attempt counts from 1, not {attempt}")
    wait = min(cap, base * 2 ** min(attempt - 1, MAX_DOUBLINGS))
    if jitter:
        wait *= (rng or random).uniform(1 - jitter, 1 + jitter)
    return wait
