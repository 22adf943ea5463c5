"""Columns for real-world feeds and the removal guard.

products: regular_price, item_group_id, missed_runs; url becomes NULLable.
sync_runs: reasons, stats, items_seen, held_back_removals, pid, hostname.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _refuse_cascading_rebuild() -> None:
    """SQLite rebuilds products (copy, DROP, rename) to drop NOT NULL from url. With foreign_keys=ON that
    DROP would run ON DELETE CASCADE and empty price_history and product_changes: refuse instead."""
    migration = op.get_context()
    if migration.as_sql or migration.dialect.name != "sqlite":  # --sql prints DDL: no database to ask
        return
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("PRAGMA foreign_keys is ON: upgrade with it OFF (the default), or the products "
                           "table rebuild would cascade-delete price history")


def upgrade() -> None:
    _refuse_cascading_rebuild()
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("regular_price", sa.Numeric(12, 2)))
        batch.add_column(sa.Column("item_group_id", sa.Text))
        batch.add_column(sa.Column("missed_runs", sa.Integer, nullable=False, server_default="0"))
        # Feeds whose records have no product page: the GTIN or the vendor's id is enough.
        batch.alter_column("url", existing_type=sa.Text, nullable=True)
    with op.batch_alter_table("sync_runs") as batch:
        batch.add_column(sa.Column("reasons", sa.Text))
        batch.add_column(sa.Column("stats", sa.Text))
        batch.add_column(sa.Column("items_seen", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("held_back_removals", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("pid", sa.Integer))
        batch.add_column(sa.Column("hostname", sa.String(255)))


def downgrade() -> None:
    """Fails while a product has no url (NOT NULL comes back): give those rows one first."""
    _refuse_cascading_rebuild()
    with op.batch_alter_table("sync_runs") as batch:
        for column in ("hostname", "pid", "held_back_removals", "items_seen", "stats", "reasons"):
            batch.drop_column(column)
    with op.batch_alter_table("products") as batch:
        batch.alter_column("url", existing_type=sa.Text, nullable=False)
        for column in ("missed_runs", "item_group_id", "regular_price"):
            batch.drop_column(column)
