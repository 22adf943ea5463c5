"""Run order and the removal guard's window (issue 21).

products.written_run_started_at: the start time of the run that last wrote, confirmed or removed the
product's values. A run that started earlier never writes over them (two runs of one vendor at once:
the one that read the shop earlier may commit last). NULL (rows stored before this revision): older
than any run.

sync_runs.scope_live: live products of the run's scope once its removals were made (or held back),
the catalogue size the removal guard's window compares with. sync_runs.guard_reset_at: when a person
accepted the run's removals (`scrapy runs --apply-removals`, or a run with the guard off); the window
starts there, so a shop that really shrank is not held back again.

No index: the columns are read per row already fetched (products) or per scope's few runs (sync_runs).
An unindexed column keeps the re-sync's last_seen_at bump a HOT update.

Revision ID: run_order_and_guard_window
Revises: products_fillfactor
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "run_order_and_guard_window"
down_revision = "products_fillfactor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("written_run_started_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("sync_runs") as batch:
        batch.add_column(sa.Column("scope_live", sa.Integer))
        batch.add_column(sa.Column("guard_reset_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("sync_runs") as batch:
        batch.drop_column("guard_reset_at")
        batch.drop_column("scope_live")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("written_run_started_at")
