"""Two runs of one vendor at once: a product a run saw never ends removed by a run that started
earlier (ornaments.storage.removal). In-process, two CatalogStores in threads, many times."""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal

import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore, RemovalPolicy, RemovalScope, product_row
from ornaments.storage.schema import products

PATIENT = RetryPolicy(attempts=20, backoff=0.05)
COUNT = 600
MISSED_BY_A = range(540, 600)  # 10%: within the removal guard


def row(i: int) -> dict:
    return product_row({"vendor": "shop", "vendor_product_id": f"P{i}", "name": f"Ornament {i}",
                        "price": Decimal("5.00"), "currency": "USD", "availability": "in_stock"})


def test_concurrent_runs_never_remove_a_product_a_later_run_saw(database_url):
    seed = CatalogStore(database_url, retry=PATIENT)
    seed.create_tables()
    all_rows = [row(i) for i in range(COUNT)]
    rng = random.Random(7)
    for attempt in range(12):
        run_id, started = seed.start_run("test", "shop", {}, "all", None)
        seed.write_batch(run_id, 0, all_rows)
        seed.finish_run(run_id, "finished", "finished", {}, 0)  # every product live again
        with seed.engine.begin() as conn:
            conn.execute(products.update().values(removed_at=None, availability="in_stock", missed_runs=0))
        a_store, b_store = CatalogStore(database_url, retry=PATIENT), CatalogStore(database_url, retry=PATIENT)
        slow_bump = {"left": 1}

        @sa.event.listens_for(b_store.engine, "before_cursor_execute")
        def slow_first_bump(conn, cursor, statement, *args):
            # B has read its products as live; it bumps last_seen_at a second later. A run that
            # started earlier and removes meanwhile is the race this test is about.
            if slow_bump["left"] and statement.lstrip().upper().startswith("UPDATE PRODUCTS SET LAST_SEEN_AT"):
                slow_bump["left"] -= 1
                time.sleep(1.0)
        seen_by_b: dict[str, object] = {}
        errors: list[BaseException] = []

        def run_a(pause: float) -> None:
            try:
                a_id, a_started = a_store.start_run("test", "shop", {}, "all", None)
                a_store.write_batch(a_id, 0, [r for i, r in enumerate(all_rows) if i not in MISSED_BY_A])
                time.sleep(pause)  # A ends at a random moment of B's run
                a_store.finish_run(a_id, "finished", "finished", {}, 0, removal=RemovalScope("shop", a_started),
                                   policy=RemovalPolicy())
            except BaseException as exc:
                errors.append(exc)

        def run_b() -> None:
            try:
                time.sleep(0.5)
                b_id, b_started = b_store.start_run("test", "shop", {}, "all", None)
                seen_by_b["started"] = b_started
                # B sees every product once, as a crawl does; A's missed products in its first batch.
                ordered = all_rows[540:] + all_rows[:540]
                for batch_no in range(6):
                    b_store.write_batch(b_id, batch_no, ordered[batch_no * 100:(batch_no + 1) * 100])
                b_store.finish_run(b_id, "partial", "finished", {}, 0)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run_a, args=(rng.uniform(0.2, 1.4),)), threading.Thread(target=run_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        a_store.close()
        b_store.close()
        assert errors == [], errors
        with seed.engine.connect() as conn:
            wrongly_removed = conn.execute(sa.select(sa.func.count()).select_from(products).where(
                products.c.removed_at.is_not(None))).scalar_one()
        # B started after A and saw every product: none may end removed.
        assert wrongly_removed == 0, f"attempt {attempt}: {wrongly_removed} products B saw ended removed"
    seed.close()
