"""One writer of the catalogue at a time, from its first read to its commit.

Matching reads which items a batch's keys find and then makes, links and merges items; a state refresh
reads an item's offers and then writes its state. Two crawls doing this at once (Scrapyd runs several)
each saw no item for an ornament both shops sell and each made one: two items for one product. So every
writer of the catalogue (a batch's matching and state refresh, a run's removals, a person's review
decision) takes this lock first and holds it to its commit, as the outbox holds its ordering lock:

- PostgreSQL: pg_advisory_xact_lock;
- MariaDB/MySQL: a row lock in transaction_locks (ornaments.storage.mysql.transaction_lock);
- SQLite: nothing more: every write transaction begins IMMEDIATE, so writers are one at a time already.

Always taken before the events' lock (outbox.insert_events runs last), so the two never deadlock.
"""

from __future__ import annotations

import sqlalchemy as sa

from ornaments.storage.mysql import is_mysql, transaction_lock

CATALOGUE_LOCK_KEY = 0x63617467  # "catg"; the outbox uses "evnt", the migrations "orna"
CATALOGUE_LOCK_NAME = "ornaments.catalogue"  # its row in transaction_locks (MariaDB/MySQL)


def lock_catalogue(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CATALOGUE_LOCK_KEY})
    elif is_mysql(conn):
        transaction_lock(conn, CATALOGUE_LOCK_NAME)
