"""products.affiliate_url: the tracked link a buyer is sent to (a network's deep link, or one built from
the vendor's link template), beside url, the merchant's own page; link_checks: what each check of a
product's link found (scrapy crawl linkcheck). See docs/affiliate-networks.md.

Revision ID: affiliate_links
Revises: search_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "affiliate_links"
down_revision = "search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("affiliate_url", sa.Text))
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "link_checks",
        sa.Column("id", big_id, primary_key=True, autoincrement=True),
        sa.Column("product_id", sa.BigInteger, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("vendor", sa.String(64), nullable=False),
        sa.Column("checked_at", stamp, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("final_url", sa.Text),
        sa.Column("chain", sa.Text, nullable=False, server_default="[]"),
        sa.Column("lands_on_product", sa.Boolean),
        sa.Column("tracking_kept", sa.Boolean),
        sa.Column("page_price", sa.Numeric(12, 2)),
        sa.Column("page_availability", sa.String(20)),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_link_checks_product_id", "link_checks", ["product_id", "id"])
    op.create_index("ix_link_checks_vendor_checked_at", "link_checks", ["vendor", "checked_at"])


def downgrade() -> None:
    op.drop_table("link_checks")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("affiliate_url")
