"""The removal guard's window (issue 21): a catalogue eroded a little each run is caught, on SQLite and
on the real PostgreSQL, and a person can still accept a shop that really shrank."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage import CatalogStore, RemovalPolicy, RemovalScope, product_row
from ornaments.storage.removal import Window, window_reason
from ornaments.storage.schema import products, sync_runs
from tests.helpers import removal_policy

GUARD = removal_policy()  # the settings' defaults: 20%, a window of the last 10 runs and 7 days


def row(i: int, year: int = 2020) -> dict:
    return product_row({"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}",
                        "price": Decimal("5.00"), "currency": "USD", "availability": "in_stock", "release_year": year})


def run(store: CatalogStore, ids, policy: RemovalPolicy = GUARD, year: int | None = None, year_of=lambda i: 2020):
    run_id, started = store.start_run("test", "shop", {}, "year" if year else "all", year)
    store.write_batch(run_id, 0, [row(i, year_of(i)) for i in ids])
    return store.finish_run(run_id, "finished", "finished", {}, 0, removal=RemovalScope("shop", started, year),
                            policy=policy)


def live(store: CatalogStore) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(products)
                            .where(products.c.removed_at.is_(None))).scalar_one()


def test_a_catalogue_eroded_19_percent_a_run_is_held_back_at_the_second_step(store):
    """The issue's case: 20 finished runs, each about 19% smaller than the one before. Each step passes the
    per-run rules (19% < 20% of the live products; more than half the median seen), and before the window
    195 of 200 products were removed without one alert. Now the second step would leave the scope 34%
    below the largest size of its window: held back, suspect."""
    sizes = [200]
    while len(sizes) < 21:
        sizes.append(max(5, round(sizes[-1] * 0.81)))
    summaries = [run(store, range(size)) for size in sizes]
    assert [s.status for s in summaries[:2]] == ["finished", "finished"] and summaries[1].removed == 200 - 162
    held = summaries[2]
    assert (held.status, held.removed, held.held_back) == ("suspect", 0, 162 - 131)
    assert "leaving 131 live: 34% fewer than the 200 of the scope's largest recent catalogue" in held.reasons[0]
    assert f"scrapy runs --apply-removals {held.run_id}" in held.reasons[0]
    assert all(s.status == "suspect" and s.removed == 0 for s in summaries[2:])
    assert live(store) == 162  # not 5
    with store.engine.connect() as conn:
        recorded = conn.execute(sa.select(sync_runs.c.scope_live, sync_runs.c.details).order_by(sync_runs.c.id)).all()
    assert [r.scope_live for r in recorded[:3]] == [200, 162, 162]
    assert json.loads(recorded[2].details)["removal"]["window"] == {"max_live": 200, "runs": 2}


def test_accepting_a_real_shrink_starts_the_window_again(store):
    """A shop that really shrank: --apply-removals (or a run with the guard off) accepts it, and the next
    runs are compared with the accepted size, not held back again for the same shrink."""
    for ids in (range(100), range(85)):
        assert run(store, ids).status == "finished"
    held = run(store, range(70))
    assert held.status == "suspect" and held.held_back == 15
    again = run(store, range(69))  # a later run sees the shrink too: still held back
    assert again.status == "suspect"
    assert store.runs.apply_removals(held.run_id, timedelta(hours=48)) == (15, 0)
    after = run(store, range(66))  # 70 -> 66 after the accepted shrink: within the share
    assert (after.status, after.removed) == ("finished", 4) and live(store) == 66
    # The same with the setting: the run with the guard off is the acceptance.
    assert run(store, range(50)).status == "suspect"
    accepted = run(store, range(50), removal_policy(max_share=1.0))
    assert (accepted.status, accepted.removed) == ("finished", 16)
    assert run(store, range(48)).status == "finished" and live(store) == 48


def test_the_days_window_catches_erosion_a_short_runs_window_misses(store):
    """With a window of 2 runs only, 6% a run passes for ever; the 7 days also count every run of the
    week, so the scope's size at the start of the week is what it is compared with."""
    short = removal_policy(window_runs=2, window_days=0)
    week = removal_policy(window_runs=2, window_days=7)
    sizes = [200, 188, 177, 166, 156]
    assert [run(store, range(s), short).status for s in sizes] == ["finished"] * 5
    store2 = store  # the same database: continue with the days window
    assert run(store2, range(147), week).status == "suspect"  # 147 is 26% below 200 (this week)
    assert run(store2, range(147), short).status == "finished"  # the last two runs had 156 and 156


def test_a_year_run_has_its_own_scope_size(store):
    """Year runs compare with their year's runs: an "all" run's 200 is not the 2020 scope's size."""
    year_of = lambda i: 2020 if i < 100 else 2019  # noqa: E731
    assert run(store, range(200), year_of=year_of).status == "finished"
    # 10 of 2020's 100 go: the year scope has no window yet (compared with the "all" run's 200, 90 would
    # look 55% smaller); then 80, 11% below the 90 the year's first run recorded.
    assert run(store, range(90), year=2020, year_of=year_of).status == "finished"
    assert run(store, range(80), year=2020, year_of=year_of).status == "finished"
    held = run(store, range(70), year=2020, year_of=year_of)
    assert held.status == "suspect" and "leaving 70 live: 22% fewer than the 90 of the scope's" in held.reasons[0]
    assert run(store, range(190), year_of=year_of).status == "finished"  # the "all" scope: 190 of its 200


def test_the_window_rule_is_pure_and_off_when_asked():
    big = Window(max_live=200, runs=3)
    assert window_reason(7, 11, 170, big, GUARD) is not None  # 159 left: 41 fewer than 200, above 20% (40)
    assert window_reason(7, 10, 170, big, GUARD) is None  # 160 left: 40 fewer, not above the share
    assert window_reason(7, 0, 100, big, GUARD) is None  # removes nothing
    assert window_reason(7, 50, 170, None, GUARD) is None  # no earlier size
    assert window_reason(7, 50, 170, big, removal_policy(max_share=1.0)) is None
