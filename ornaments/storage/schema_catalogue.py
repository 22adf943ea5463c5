"""The cross-shop catalogue's tables (issue 23, ornaments/storage/catalogue.py), as SQLAlchemy Core, in
the project's one metadata; ornaments.storage.schema imports them with the rest."""

import sqlalchemy as sa

from ornaments.storage.schema_base import SEARCH_STATISTICS, TRIGRAM_EXTENSION, BigId, Money, Timestamp, metadata

# The cross-shop catalogue (issue 23, ornaments/storage/catalogue.py): one item per real product, and
# every shop's listing (a products row) linked to one. brand is a key ("hallmark"), item_number the
# manufacturer's normalised number ("QX9201"). The state columns are what item events compare against:
# offers (live listings), shops_in_stock, best_prices (JSON {currency: "12.34"}, in-stock offers only),
# best_price/best_currency (the lowest in the currency most of its offers use). /items sorts and filters
# by the price in a currency through item_prices.
catalog_items = sa.Table(
    "catalog_items", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("brand", sa.String(64), nullable=False, server_default=""),
    sa.Column("item_number", sa.String(32)),
    sa.Column("name", sa.String(500), nullable=False),
    # The name as GET /items?q= compares it: lower case, accents gone, ’ as ' (names.search_text), written
    # with the name (migration fixes_item_search_name filled the items made before it).
    sa.Column("search_name", sa.String(500)),
    sa.Column("release_year", sa.Integer),
    sa.Column("series", sa.Text),
    sa.Column("series_number", sa.Integer),
    sa.Column("gtins", sa.Text),  # JSON list of GTIN-14s
    sa.Column("image_url", sa.Text),
    sa.Column("offers", sa.Integer, nullable=False, server_default="0"),
    sa.Column("shops_in_stock", sa.Integer, nullable=False, server_default="0"),
    sa.Column("best_prices", sa.Text),
    sa.Column("best_price", Money),
    sa.Column("best_currency", sa.String(3)),
    sa.Column("state_at", Timestamp),  # NULL: state never computed (a new item emits no change events)
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_catalog_items_brand_year", "brand", "release_year"),
    sa.Index("ix_catalog_items_item_number", "item_number"),
    sa.Index("ix_catalog_items_year_id", "release_year", "id"),
    # GET /items?q= (words in the folded name, LIKE '%q%'): trigrams, PostgreSQL only (migration
    # fixes_item_search_name; items_name_search had it on name).
    sa.Index("ix_catalog_items_search_name_trgm", "search_name", postgresql_using="gin",
             postgresql_ops={"search_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    # Room on each page for the state update's new row version: a HOT update, no index entries (the
    # trigram index's were the costly ones; migration catalog_items_fillfactor).
    postgresql_with={"fillfactor": 70},
)

sa.event.listen(catalog_items, "before_create", sa.DDL(TRIGRAM_EXTENSION).execute_if(dialect="postgresql"))
sa.event.listen(catalog_items, "after_create", sa.DDL(SEARCH_STATISTICS.format(table="catalog_items", column="search_name"))
                .execute_if(dialect="postgresql"))

# What finds an item: kind "gtin" (key a GTIN-14) or "number" (key "brand:NUMBER").
# item_keys and item_listings carry no foreign keys (migration catalogue_links_unchecked): a first sync
# writes one row of each per listing, and each check was a look-up and a row lock (a sixth of the matching
# time). Their one writer keeps them whole: products are never deleted, and a merge moves an item's
# listings and keys before it deletes the item.
item_keys = sa.Table(
    "item_keys", metadata,
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("item_id", BigId, primary_key=True),
    sa.Index("ix_item_keys_item_id", "item_id"),
)

# A listing's item. method: gtin | number | new (its own item) | person; state: auto (the machine's,
# re-matched when match_key, the digest of its GTINs and numbers, changes) | confirmed (a person's:
# never undone by the machine).
item_listings = sa.Table(
    "item_listings", metadata,
    sa.Column("product_id", BigId, primary_key=True, autoincrement=False),
    sa.Column("item_id", BigId, nullable=False),
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("match_key", sa.String(32), nullable=False),
    sa.Column("linked_at", Timestamp, nullable=False),
    sa.Index("ix_item_listings_item_id", "item_id"),
)

# Each item's best in-stock price per currency (best_prices as rows), for GET /items?currency=&sort=best_price:
# an item offered in USD and in EUR is found, and sorted, in either. Written with the item's state
# (ornaments/storage/item_prices.py); no foreign key, as item_keys (a merge deletes the merged item's rows).
item_prices = sa.Table(
    "item_prices", metadata,
    sa.Column("item_id", BigId, primary_key=True, autoincrement=False),
    sa.Column("currency", sa.String(3), primary_key=True),
    sa.Column("price", Money, nullable=False),
    sa.Index("ix_item_prices_currency_price", "currency", "price", "item_id"),
)

# Rung 3: "this listing may be that item", for a person to accept or reject. state: open | accepted |
# rejected. A rejected pair is never proposed or linked again.
match_proposals = sa.Table(
    "match_proposals", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("product_id", BigId, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),  # JSON list
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("decided_at", Timestamp),
    sa.UniqueConstraint("product_id", "item_id", name="uq_match_proposals_product_item"),
    sa.Index("ix_match_proposals_state_id", "state", "id"),
    sa.Index("ix_match_proposals_item_id", "item_id"),
)

# A shopper's watch on an item (POST /watches). kind: price_at_or_below (threshold, currency) |
# price_drop (percent below baseline, the best price when the watch was made) | back_in_stock.
# holding: the condition held at the last evaluation; a watch_triggered event is written only when it
# starts to hold (once per crossing).
watches = sa.Table(
    "watches", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("item_id", BigId, sa.ForeignKey("catalog_items.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("currency", sa.String(3)),
    sa.Column("threshold", Money),
    sa.Column("percent", sa.Numeric(5, 2)),
    sa.Column("baseline", Money),
    sa.Column("reference", sa.String(255)),
    sa.Column("holding", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("triggered", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_triggered_at", Timestamp),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("cancelled_at", Timestamp),
    sa.Index("ix_watches_item_id", "item_id"),
)
