"""transaction_locks: the locks MariaDB and MySQL hold to the end of a transaction (issue 25).

PostgreSQL's pg_advisory_xact_lock has no MySQL equivalent (GET_LOCK belongs to the session and outlives
the COMMIT); a row lock does, so the events' ordering lock and the per-vendor lock are rows here,
made on first use (ornaments.storage.mysql.transaction_lock). Empty on PostgreSQL and SQLite.

Revision ID: transaction_locks
Revises: search_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "transaction_locks"
down_revision = "catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("transaction_locks", sa.Column("name", sa.String(191), primary_key=True))


def downgrade() -> None:
    op.drop_table("transaction_locks")
