"""The task table of drop-folder sources: feed_files.

Revision ID: feed_files
Revises: offers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "feed_files"
down_revision = "offers"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feed_files",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("etag", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger),
        sa.Column("last_modified", Timestamp),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("run_id", BigId, sa.ForeignKey("sync_runs.id", ondelete="SET NULL")),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("claimed_at", Timestamp),
        sa.Column("finished_at", Timestamp),
        sa.UniqueConstraint("source", "key", "etag", name="uq_feed_files_source_key_etag"),
    )
    op.create_index("ix_feed_files_source_status", "feed_files", ["source", "status"])


def downgrade() -> None:
    op.drop_table("feed_files")
