"""catalogue_links_unchecked: item_listings and item_keys lose their foreign keys.

A foreign key costs each inserted row a look-up and a row lock of the row it names. A first sync links
every listing and records its keys, so that was 200,000-odd checks per 100,000 products: about 3.5 s of
bench/catalogue_match.py on PostgreSQL, a sixth of the matching time. The rows are derived data with one
writer (ornaments/storage/catalogue*.py), which never leaves one dangling: products are never deleted,
and a merge moves an item's listings and keys before it deletes the item, as it already did for SQLite
(where foreign keys are off). tests/test_catalogue_review.py checks for orphans after every review
operation. match_proposals and watches keep theirs: they are few and written by people.

Revision ID: catalogue_links_unchecked
Revises: fixes_item_search_name
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "catalogue_links_unchecked"
down_revision = "fixes_item_search_name"
branch_labels = None
depends_on = None

TABLES = ("item_keys", "item_listings")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # frozen here, as the tables were made
Timestamp = sa.DateTime(timezone=True)


def _item_keys(with_keys: bool) -> sa.Table:
    item = (sa.ForeignKey("catalog_items.id", ondelete="CASCADE"),) if with_keys else ()
    return sa.Table("item_keys", sa.MetaData(),
                    sa.Column("kind", sa.String(8), primary_key=True),
                    sa.Column("key", sa.String(100), primary_key=True),
                    sa.Column("item_id", BigId, *item, primary_key=True),
                    sa.Index("ix_item_keys_item_id", "item_id"))


def _item_listings(with_keys: bool) -> sa.Table:
    product = (sa.ForeignKey("products.id", ondelete="CASCADE"),) if with_keys else ()
    item = (sa.ForeignKey("catalog_items.id", ondelete="CASCADE"),) if with_keys else ()
    return sa.Table("item_listings", sa.MetaData(),
                    sa.Column("product_id", BigId, *product, primary_key=True, autoincrement=False),
                    sa.Column("item_id", BigId, *item, nullable=False),
                    sa.Column("method", sa.String(16), nullable=False),
                    sa.Column("confidence", sa.Float, nullable=False),
                    sa.Column("state", sa.String(16), nullable=False),
                    sa.Column("match_key", sa.String(32), nullable=False),
                    sa.Column("linked_at", Timestamp, nullable=False),
                    sa.Index("ix_item_listings_item_id", "item_id"))


def _rebuild_on_sqlite(with_keys: bool) -> None:
    """SQLite cannot drop or add a constraint: the table is copied into its new shape."""
    for shape in (_item_keys(with_keys), _item_listings(with_keys)):
        with op.batch_alter_table(shape.name, copy_from=shape, recreate="always"):
            pass


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _rebuild_on_sqlite(with_keys=False)
        return
    inspector = sa.inspect(bind)
    for table in TABLES:  # by the names the server gave them (MariaDB: item_keys_ibfk_1, ...)
        for foreign in inspector.get_foreign_keys(table):
            op.drop_constraint(foreign["name"], table, type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(with_keys=True)
        return
    op.create_foreign_key(None, "item_keys", "catalog_items", ["item_id"], ["id"], ondelete="CASCADE")
    op.create_foreign_key(None, "item_listings", "products", ["product_id"], ["id"], ondelete="CASCADE")
    op.create_foreign_key(None, "item_listings", "catalog_items", ["item_id"], ["id"], ondelete="CASCADE")
