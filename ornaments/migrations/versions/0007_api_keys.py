"""API keys for the HTTP API, and the indexes its product listing pages by (vendor, year, availability).

Revision ID: api_keys
Revises: webhooks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "api_keys"
down_revision = "webhooks"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("scopes", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_index("ix_products_vendor_id", "products", ["vendor", "id"])
    op.create_index("ix_products_availability_id", "products", ["availability", "id"])
    # (vendor, release_year) gains id, so ?vendor=&year= pages come in id order straight from the index.
    op.drop_index("ix_products_vendor_release_year", "products")
    op.create_index("ix_products_vendor_year_id", "products", ["vendor", "release_year", "id"])


def downgrade() -> None:
    op.drop_index("ix_products_vendor_year_id", "products")
    op.create_index("ix_products_vendor_release_year", "products", ["vendor", "release_year"])
    op.drop_index("ix_products_availability_id", "products")
    op.drop_index("ix_products_vendor_id", "products")
    op.drop_table("api_keys")
