"""What a batch write reports (BatchResult), and keeping PostgreSQL's planner statistics current while a
first sync grows the tables (PlannerStatistics): CatalogStore's helpers, apart from its write path."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from ornaments.retry import one_line

logger = logging.getLogger(__name__)

LOOKUP_COLUMNS = ("id", "vendor", "vendor_product_id")  # what the batch statements find products by
# ANALYZE products after this store inserted this many rows and as many as the planner thinks it holds.
ANALYZE_AFTER_ROWS = 5000
# The catalogue's lookups (issue 23): items by id, listings by product and item, keys by (kind, key).
CATALOGUE_ANALYZE = ("ANALYZE catalog_items (id, brand, release_year), item_listings (product_id, item_id), "
                     "item_keys (kind, key), match_proposals (product_id)")
ANALYZE_SHARE = 1.0  # the table doubled: 5k, 10k, 20k ... 640k rows, 8 ANALYZEs in a 1M first sync


@dataclass
class BatchResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    history_rows: int = 0
    change_rows: int = 0
    replayed: bool = False  # the batch had already been committed by an earlier try
    seen_dropped: int = 0  # stored products whose record was dropped: seen, values kept
    # Products a run that started later had already written: this (older) run's values were not written
    # over them (counted among unchanged: the run saw them).
    older_run_skipped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (vendor_product_id, why) the database refused

    def merged(self, other: "BatchResult") -> "BatchResult":
        return BatchResult(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged,
                           self.history_rows + other.history_rows, self.change_rows + other.change_rows,
                           self.replayed and other.replayed, self.seen_dropped + other.seen_dropped,
                           self.older_run_skipped + other.older_run_skipped, self.refused + other.refused)


class PlannerStatistics:
    """When to ANALYZE the tables a store writes (PostgreSQL): counted per store, run in a transaction
    of its own after a batch."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.inserted_since_analyze = 0
        self.analyzed = 0  # ANALYZE runs (tests)

    def after_insert(self, inserted: int, catalogue: bool) -> None:
        """ANALYZE products once this store has inserted as many rows as the planner thinks it holds.

        PostgreSQL plans every key lookup from the table's statistics. A table that grew from nothing
        within the run (a first sync) still looks empty, so the planner hashed all of products for each
        batch instead of probing the unique index: at 1,000,000 products that cost 180 µs of server CPU
        per row against 56 µs at 100,000, and the next re-sync paid the same. Autovacuum (when it is on)
        catches up only after the fact. An ANALYZE samples 30,000 rows: cheap next to what it saves. Only
        the columns the batch statements look up by are analyzed (55 ms instead of 275 ms at 100,000 rows:
        the text columns' statistics are most of the work); the table's row count is updated all the same,
        and, as a column list leaves the table's change counter alone, autovacuum still analyzes it all."""
        self.inserted_since_analyze += inserted
        if self.inserted_since_analyze < ANALYZE_AFTER_ROWS:
            return
        try:
            with self.engine.begin() as conn:
                known = conn.execute(sa.text("SELECT reltuples FROM pg_class WHERE oid = 'products'::regclass")).scalar()
                if self.inserted_since_analyze < (known or 0) * ANALYZE_SHARE:
                    return
                conn.execute(sa.text(f"ANALYZE products ({', '.join(LOOKUP_COLUMNS)})"))
                if catalogue:  # the catalogue's tables grew with it (the store matches): its joins and key probes
                    conn.execute(sa.text(CATALOGUE_ANALYZE))
            self.inserted_since_analyze = 0
            self.analyzed += 1
        except Exception as exc:  # statistics are an optimisation: never a reason to fail a batch
            logger.warning("Could not ANALYZE products (%s); lookups may be slower until it runs", one_line(exc))
