"""Removal of the products a source itself lists as deleted (a Rakuten delta file's "D" rows), as
opposed to the sweep of products a complete run did not see (ornaments.storage.removal). Exactly the
listed products of the vendor go; a product the same run saw again (re-added later in the file, or by a
newer run) stays."""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

from ornaments.storage.engine import create_catalog_engine
from ornaments.storage.removal import KEY_CHUNK, lock_vendor, mark_removed
from ornaments.storage.schema import products, sync_runs


def remove_listed(url: str, run_id: int, vendor: str, keys: Iterable[str], change_log_fields=()) -> int:
    """Mark the vendor's live products with these ids removed by run run_id; return how many."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    engine = create_catalog_engine(url)
    try:
        with engine.begin() as conn:
            lock_vendor(conn, vendor)
            started = conn.execute(sa.select(sync_runs.c.started_at).where(sync_runs.c.id == run_id)).scalar_one()
            gone = []
            for start in range(0, len(keys), KEY_CHUNK):
                chunk = keys[start:start + KEY_CHUNK]
                gone += conn.execute(sa.select(products.c.id, products.c.availability).where(
                    products.c.vendor == vendor, products.c.vendor_product_id.in_(chunk),
                    products.c.removed_at.is_(None),
                    sa.or_(products.c.written_run_started_at.is_(None),
                           products.c.written_run_started_at < started))).all()
            removed = mark_removed(conn, run_id, gone, change_log_fields, started)
            conn.execute(sync_runs.update().where(sync_runs.c.id == run_id)
                         .values(items_removed=sync_runs.c.items_removed + removed))
            return removed
    finally:
        engine.dispose()
