"""catalog_items.search_name: the name as GET /items?q= compares it, folded (lower case, accents gone,
’ as '), so that "creme brulee" finds "Crème Brûlée". The trigram index of items_name_search moves to it
(PostgreSQL only). Existing items are filled here, in batches by id, with the folding storage writes
(ornaments.catalogue.names.search_text).

Revision ID: fixes_item_search_name
Revises: items_name_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ornaments.catalogue.names import search_text

revision = "fixes_item_search_name"
down_revision = "items_name_search"
branch_labels = None
depends_on = None

BATCH = 5000
_items = sa.table("catalog_items", sa.column("id", sa.BigInteger), sa.column("name", sa.String),
                  sa.column("search_name", sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("catalog_items", sa.Column("search_name", sa.String(500)))
    last = 0
    while True:
        rows = bind.execute(sa.select(_items.c.id, _items.c.name).where(_items.c.id > last)
                            .order_by(_items.c.id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(_items.update().where(_items.c.id == sa.bindparam("_id")).values(search_name=sa.bindparam("_s")),
                     [{"_id": r.id, "_s": search_text(r.name)} for r in rows])
        last = rows[-1].id
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_catalog_items_name_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_catalog_items_search_name_trgm ON catalog_items "
                   "USING gin (search_name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_catalog_items_search_name_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_catalog_items_name_trgm ON catalog_items USING gin (name gin_trgm_ops)")
    op.drop_column("catalog_items", "search_name")
