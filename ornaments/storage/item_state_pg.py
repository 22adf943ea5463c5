"""PostgreSQL: the state of many catalogue items computed and stored by the server in one statement.

item_state.compute() in SQL: offers (live listings), shops in stock, the best in-stock price per currency
as the same JSON text (`{"EUR": "9.50", "USD": "12.34"}`, A-Z), and the best price in the currency most
live offers have (ties: A-Z). Only items whose state changes are written; the same statement keeps their
item_prices rows in step and returns the data of their events as JSON text. Reading every listing's row
into Python and computing there was about a tenth of the matching time of bench/catalogue_match.py, and so
was decoding, building and encoding tens of thousands of events' data there.

The JSON text is written directly only for currency codes of plain ASCII letters and digits (as
item_state._prices_json does); an item with another code among its best prices is left untouched here
and returned for item_state's Python path, which JSON-encodes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Collection, Sequence

import sqlalchemy as sa

# The old state is read in the same statement (its snapshot), as item_state's Python path reads it in a
# SELECT just before its UPDATE. The joins are the planner's: at 100,000 products it hashes catalog_items
# and item_listings (their scans are about a third of a batch's 200 ms); nested loops forced everywhere
# also joined the CTEs that way and took 30 times as long (docs/catalogue.md, "Eighth round").
_UPDATE_STATES = sa.text("""
WITH ids AS (SELECT unnest(CAST(:ids AS bigint[])) AS id),
live AS (
    SELECT l.item_id, p.vendor, p.price, NULLIF(p.currency, '') AS currency,
           p.availability = ANY(CAST(:available AS text[])) AS in_stock
    FROM ids JOIN item_listings AS l ON l.item_id = ids.id JOIN products AS p ON p.id = l.product_id
    WHERE p.removed_at IS NULL),
by_item AS (
    SELECT item_id, count(*) AS offers, count(DISTINCT vendor) FILTER (WHERE in_stock) AS shops
    FROM live GROUP BY item_id),
by_currency AS (
    SELECT item_id, currency, count(*) AS n, min(price) FILTER (WHERE in_stock) AS best
    FROM live WHERE currency IS NOT NULL GROUP BY item_id, currency),
prices AS (
    SELECT item_id,
           string_agg('"' || currency || '": "' || best::text || '"', ', ' ORDER BY currency COLLATE "C")
               FILTER (WHERE best IS NOT NULL) AS pairs,
           coalesce(bool_and(currency ~ '^[A-Za-z0-9]+$') FILTER (WHERE best IS NOT NULL), true) AS plain,
           array_agg(currency) FILTER (WHERE best IS NOT NULL) AS currencies
    FROM by_currency GROUP BY item_id),
main AS (
    SELECT DISTINCT ON (item_id) item_id, currency, best
    FROM by_currency ORDER BY item_id, n DESC, currency COLLATE "C"),
state AS (
    SELECT c.id, c.state_at AS old_state_at, c.best_prices AS old_best_prices,
           c.shops_in_stock AS old_shops_in_stock, c.offers AS old_offers, c.best_price AS old_best_price,
           c.best_currency AS old_best_currency,
           coalesce(b.offers, 0) AS offers, coalesce(b.shops, 0) AS shops,
           '{' || coalesce(pr.pairs, '') || '}' AS best_prices, coalesce(pr.plain, true) AS plain,
           coalesce(pr.currencies, CAST('{}' AS text[])) AS currencies,
           m.best AS best_price, CASE WHEN m.best IS NOT NULL THEN m.currency END AS best_currency
    FROM ids JOIN catalog_items AS c ON c.id = ids.id
    LEFT JOIN by_item AS b ON b.item_id = ids.id LEFT JOIN prices AS pr ON pr.item_id = ids.id
    LEFT JOIN main AS m ON m.item_id = ids.id),
updated AS (
    UPDATE catalog_items AS c
    SET offers = s.offers, shops_in_stock = s.shops, best_prices = s.best_prices, best_price = s.best_price,
        best_currency = s.best_currency, state_at = :now, updated_at = :now
    FROM state AS s
    WHERE c.id = s.id AND s.plain
      AND NOT (s.old_state_at IS NOT NULL AND s.old_shops_in_stock IS NOT DISTINCT FROM s.shops
               AND s.old_best_prices IS NOT DISTINCT FROM s.best_prices AND s.old_offers IS NOT DISTINCT FROM s.offers
               AND s.old_best_price IS NOT DISTINCT FROM s.best_price
               AND s.old_best_currency IS NOT DISTINCT FROM s.best_currency)
    RETURNING c.id, c.name, c.item_number, s.old_state_at, s.old_best_prices, s.old_shops_in_stock, s.offers,
              s.shops AS shops_in_stock, s.best_prices),
repriced AS (  -- item_prices follows best_prices: the items whose best prices are new or changed
    SELECT id, currencies FROM state
    WHERE plain AND (old_state_at IS NULL OR old_best_prices IS DISTINCT FROM best_prices)),
prices_gone AS (  -- the currencies an item no longer has a best price in
    DELETE FROM item_prices AS ip USING repriced AS r
    WHERE ip.item_id = r.id AND ip.currency <> ALL(r.currencies)),
prices_set AS (
    INSERT INTO item_prices (item_id, currency, price)
    SELECT b.item_id, b.currency, b.best FROM by_currency AS b JOIN repriced AS r ON r.id = b.item_id
    WHERE b.best IS NOT NULL
    ON CONFLICT (item_id, currency) DO UPDATE SET price = EXCLUDED.price
    WHERE item_prices.price IS DISTINCT FROM EXCLUDED.price)
SELECT true AS written, id,
       CASE WHEN old_state_at IS NOT NULL AND old_best_prices IS DISTINCT FROM best_prices THEN
           json_build_object('item_id', id, 'name', name, 'item_number', item_number,
                             'old', CAST(coalesce(old_best_prices, '{}') AS json), 'new', CAST(best_prices AS json),
                             'shops_in_stock', shops_in_stock)::text END AS price_event,
       CASE WHEN old_state_at IS NOT NULL AND old_shops_in_stock IS DISTINCT FROM shops_in_stock THEN
           json_build_object('item_id', id, 'name', name, 'item_number', item_number,
                             'old_shops_in_stock', old_shops_in_stock, 'shops_in_stock', shops_in_stock,
                             'offers', offers, 'last_shop_in_stock', shops_in_stock = 1)::text END AS stock_event
FROM updated
UNION ALL
SELECT false, id, NULL, NULL FROM state WHERE NOT plain
""")


def update_states(conn, item_ids: Sequence[int], now: datetime,
                  available: Collection[str]) -> tuple[list[sa.Row], list[int]]:
    """Store the items' new states, and their item_prices rows; return (the rows of the items whose state
    changed: id, and the data of their item_best_price_changed and item_stock_changed events as JSON text,
    or None where that did not change; the ids of the items left to item_state's Python path)."""
    rows = conn.execute(_UPDATE_STATES, {"ids": sorted(set(item_ids)), "available": sorted(available), "now": now}).all()
    return [r for r in rows if r.written], sorted(r.id for r in rows if not r.written)
