"""item_prices: each catalogue item's best in-stock price per currency as rows, kept in step with the
item's best_prices JSON (the same prices) whenever its state is written.

GET /items?currency=EUR&sort=best_price reads them: an item offered in USD by three shops and in EUR by
one is found and sorted among the EUR prices too, by the (currency, price, item_id) index. Before, the
sort knew only each item's main currency (best_currency), and such an item was missing from the EUR list.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Iterable

import sqlalchemy as sa

from ornaments.storage.catalogue_bulk import insert_rows
from ornaments.storage.pg_bulk import among
from ornaments.storage.schema import item_prices

COLUMNS = ("item_id", "currency", "price")


# New items' rows made by the server from the best_prices it was just given (a first sync makes tens of
# thousands: decoding their JSON here and sending the rows back cost more).
_FROM_ITEMS_PG = sa.text(
    "INSERT INTO item_prices (item_id, currency, price) SELECT c.id, p.key, CAST(p.value AS numeric) "
    "FROM catalog_items AS c CROSS JOIN LATERAL json_each_text(CAST(c.best_prices AS json)) AS p "
    "WHERE c.id = ANY(CAST(:ids AS bigint[])) AND c.best_prices <> '{}'")


def store(conn, states: Iterable[tuple[int, str | None]], new: bool = False) -> None:
    """Replace the price rows of these items by their best_prices ((item id, JSON text) pairs, the text
    item_state wrote). new: the items were made in this transaction, with that text, and have no rows yet."""
    pairs = list(states)
    if not pairs:
        return
    if new and conn.dialect.name == "postgresql":
        priced = [i for i, text in pairs if text and text != "{}"]
        if priced:
            conn.execute(_FROM_ITEMS_PG, {"ids": priced})
        return
    if not new:
        for where in among(conn, item_prices.c.item_id, sorted({i for i, _ in pairs})):
            conn.execute(item_prices.delete().where(where))
    rows = [(item_id, currency, Decimal(price)) for item_id, text in pairs if text and text != "{}"
            for currency, price in json.loads(text).items()]
    if rows:
        insert_rows(conn, item_prices, COLUMNS, rows)


def forget(conn, item_id: int) -> None:
    """An item deleted (merged into another): its rows go with it."""
    conn.execute(item_prices.delete().where(item_prices.c.item_id == item_id))
