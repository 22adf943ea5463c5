"""products at fillfactor 50: a re-sync's last_seen_at bump of every product stays a HOT update.

An identical re-sync updates every product's last_seen_at, a batch at a time. At fillfactor 90 a page
had room for the new versions of one or two of its rows, so 88% of those updates wrote a new entry
into all seven indexes and left the old row version behind until a vacuum: measured with the storage
module alone (200,000 products), each re-sync grew the heap by about 80 MB and the indexes from 34 to
70 MB, and cost 3.8-5.0 s of server CPU. At 50 every bump is HOT and the page's dead versions are
pruned by the next run: heap 182 MB and indexes 34 MB after any number of re-syncs, 1.1-1.7 s of CPU;
a first sync costs about 3% more. (Tried once before and reverted; that measurement was taken while the
planner hashed all of products for every batch, which a doubled heap made twice as slow.)

The setting applies to pages written from now on; `VACUUM FULL products` rewrites an existing
catalogue at the new fill in a quiet window. SQLite has no fillfactor: nothing to do there.

Revision ID: products_fillfactor
Revises: api_keys
"""

from __future__ import annotations

from alembic import op

revision = "products_fillfactor"
down_revision = "api_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE products SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE products SET (fillfactor = 90)")
