"""ornaments.backoff.delay, the one backoff formula: it grows by doubling, stays under its cap, spreads
within its jitter, repeats with a seeded random, and each caller keeps its own numbers."""

from __future__ import annotations

import math
import random

import pytest

from ornaments import backoff
from ornaments.retry import RetryPolicy


def test_grows_by_doubling_up_to_the_cap():
    assert [backoff.delay(n, 0.5, 5.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_bounded_for_any_attempt():
    assert backoff.delay(10_000, 0.5, 30.0) == 30.0  # the exponent stops before the float overflows
    assert backoff.delay(10_000, 0.5, math.inf) == 0.5 * 2 ** backoff.MAX_DOUBLINGS


def test_jitter_stays_within_its_range_and_spreads():
    rng = random.Random(1)
    waits = [backoff.delay(3, 1.0, 30.0, jitter=0.2, rng=rng) for _ in range(2000)]
    assert all(3.2 <= w <= 4.8 for w in waits)
    assert max(waits) - min(waits) > 1.4  # spread over the range, not one value
    capped = [backoff.delay(20, 1.0, 10.0, jitter=0.2, rng=rng) for _ in range(500)]
    assert all(8.0 <= w <= 12.0 for w in capped)


def test_repeatable_with_a_seeded_random():
    first = [backoff.delay(n, 0.3, 9.0, jitter=0.2, rng=random.Random(42)) for n in range(1, 8)]
    again = [backoff.delay(n, 0.3, 9.0, jitter=0.2, rng=random.Random(42)) for n in range(1, 8)]
    assert first == again


def test_attempts_count_from_one():
    with pytest.raises(ValueError, match="from 1"):
        backoff.delay(0, 1.0, 10.0)


def test_retry_policy_waits_by_it():
    random.seed(7)
    waits = [RetryPolicy(attempts=9, backoff=0.5, max_backoff=4.0).delay(n) for n in range(1, 9)]
    random.seed(7)
    assert waits == [backoff.delay(n, 0.5, 4.0, jitter=backoff.JITTER) for n in range(1, 9)]
    assert 0.4 <= waits[0] <= 0.6 and all(3.2 <= w <= 4.8 for w in waits[4:])
