"""products.affiliate_url: the tracked link a buyer is sent to (a network's deep link, or one built from
the vendor's link template), beside url, the merchant's own page. See docs/affiliate-networks.md.

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


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("affiliate_url")
