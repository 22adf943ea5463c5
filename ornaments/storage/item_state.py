"""Item state and its events: offers, shops in stock and best price per currency of catalogue items,
kept on the item row so that a change can be told (item_best_price_changed, item_stock_changed), and
the watches on those items (watch_triggered, once per crossing).

The best price is the lowest of the in-stock offers, per currency: prices in different currencies are
never compared or converted. An item made for new listings emits nothing (their created
events say it; one made for a listing that existed starts empty, and reports its offers); every later
change does. On PostgreSQL the server computes and stores the states of a
batch's items in one statement (item_state_pg); compute() is the same rule in Python, for SQLite, MariaDB
and a new item's first state.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

import sqlalchemy as sa

from ornaments.storage import item_prices, item_state_pg
from ornaments.storage.catalogue_lock import lock_catalogue
from ornaments.storage.mysql import is_mysql
from ornaments.storage.mysql_bulk import insert_many, literal
from ornaments.storage.outbox import AVAILABLE
from ornaments.storage.pg_bulk import among
from ornaments.storage.schema import catalog_items, item_listings, products, watches

STATE_COLUMNS = ("offers", "shops_in_stock", "best_prices", "best_price", "best_currency")
EVENTS_VENDOR = "catalogue"  # product_events.vendor of item events; vendor_product_id is the item id


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _prices_json(best: Mapping[str, Decimal]) -> str:
    """json.dumps({currency: "12.34"}) in A-Z order; written directly for plain currency codes (most)."""
    if all(c.isascii() and c.isalnum() for c in best):
        return "{" + ", ".join(f'"{c}": "{_money(p)}"' for c, p in sorted(best.items())) + "}"
    return json.dumps({c: _money(p) for c, p in sorted(best.items())})


def compute(offers: Iterable) -> dict:
    """The state of one item from its listings' rows (vendor, price, currency, availability, removed_at)."""
    live = 0
    shops: set = set()
    best: dict[str, Decimal] = {}
    currencies: dict[str, int] = {}
    for o in offers:
        if o.removed_at is not None:
            continue
        live += 1
        currency = o.currency
        if currency:
            currencies[currency] = currencies.get(currency, 0) + 1
        if o.availability in AVAILABLE:
            shops.add(o.vendor)
            price = o.price
            if price is not None and currency and (currency not in best or price < best[currency]):
                best[currency] = price
    if len(currencies) == 1:  # the usual case: one currency
        main = next(iter(currencies))
    else:  # most offers; ties: A-Z
        main = max(sorted(currencies), key=currencies.get) if currencies else None
    return {"offers": live, "shops_in_stock": len(shops), "best_prices": _prices_json(best),
            "best_price": best.get(main) if main else None, "best_currency": main if main in best else None}


def offers_of(conn, item_ids: Sequence[int]) -> dict[int, list[sa.Row]]:
    found: dict[int, list[sa.Row]] = {i: [] for i in item_ids}
    for where in among(conn, item_listings.c.item_id, item_ids):
        query = (sa.select(item_listings.c.item_id, products.c.vendor, products.c.price, products.c.currency,
                           products.c.availability, products.c.removed_at)
                 .join(products, products.c.id == item_listings.c.product_id).where(where))
        for row in conn.execute(query).all():  # one fetch, not one per row
            found[row.item_id].append(row)
    return found


def item_event(kind: str, item: sa.Row, data: Mapping) -> dict:
    return {"type": kind, "vendor": EVENTS_VENDOR, "vendor_product_id": str(item.id), "product_id": None,
            "data": {"item_id": item.id, "name": item.name, "item_number": item.item_number, **data}}


def _item_event_encoded(kind: str, item_id: int, data: str) -> dict:
    """An item event whose data is JSON text already (built by PostgreSQL: outbox.insert_events stores it as it is)."""
    return {"type": kind, "vendor": EVENTS_VENDOR, "vendor_product_id": str(item_id), "product_id": None, "data": data}


# What refresh reads of an item: what its events name and the state they compare.
_REFRESHED = (catalog_items.c.id, catalog_items.c.name, catalog_items.c.item_number, catalog_items.c.state_at,
               *(catalog_items.c[k] for k in STATE_COLUMNS))


def refresh(conn, item_ids: Sequence[int], now: datetime) -> list[dict]:
    """Recompute the items' state; return the events of what changed (and of the watches it crosses).
    Each item's row is read here, right after its offers (not earlier in the batch: another writer may
    have changed its state meanwhile)."""
    if not item_ids:
        return []
    prices: list[tuple[int, str]] = []  # the items whose best prices changed, for item_prices (Python path)
    if conn.dialect.name == "postgresql":  # computed and stored by the server, with item_prices, one statement
        rows, rest = item_state_pg.update_states(conn, item_ids, now, AVAILABLE)
        events, changed = [], []
        for row in sorted(rows, key=lambda r: r.id):
            if row.price_event is not None:
                events.append(_item_event_encoded("item_best_price_changed", row.id, row.price_event))
            if row.stock_event is not None:
                events.append(_item_event_encoded("item_stock_changed", row.id, row.stock_event))
            changed.append(row.id)
    else:
        events, changed, rest = [], [], item_ids
    if rest:
        more, more_changed = _refresh_in_python(conn, rest, now, prices)
        events.extend(more)
        changed.extend(more_changed)
    item_prices.store(conn, prices)
    if changed:
        events.extend(evaluate_watches(conn, changed, now))
    return events


def state_events(item: sa.Row, old_best_prices: str | None, old_shops: int | None, state: Mapping) -> list[dict]:
    """The item events of a change of an item's state."""
    events = []
    if old_best_prices != state["best_prices"]:
        events.append(item_event("item_best_price_changed", item, {
            "old": json.loads(old_best_prices or "{}"), "new": json.loads(state["best_prices"]),
            "shops_in_stock": state["shops_in_stock"]}))
    if old_shops != state["shops_in_stock"]:
        events.append(item_event("item_stock_changed", item, {
            "old_shops_in_stock": old_shops, "shops_in_stock": state["shops_in_stock"],
            "offers": state["offers"], "last_shop_in_stock": state["shops_in_stock"] == 1}))
    return events


def _refresh_in_python(conn, item_ids: Sequence[int], now: datetime,
                       prices: list[tuple[int, str]]) -> tuple[list[dict], list[int]]:
    """Read the items' offers, compute and store their states here (SQLite, MariaDB, and on PostgreSQL
    an item with a best price in a currency code that is not plain letters and digits); (events, changed).
    The items whose best prices changed are added to `prices`."""
    events: list[dict] = []
    offers = offers_of(conn, list(item_ids))
    changed: list[int] = []
    updates: list[tuple[int, dict]] = []
    rows = sorted((r for where in among(conn, catalog_items.c.id, item_ids)  # events by item id, as on PostgreSQL
                   for r in conn.execute(sa.select(*_REFRESHED).where(where)).all()), key=lambda r: r.id)
    for item in rows:
        state = compute(offers[item.id])
        if item.state_at is not None and item.shops_in_stock == state["shops_in_stock"] \
                and item.best_prices == state["best_prices"] and item.offers == state["offers"] \
                and item.best_price == state["best_price"] and item.best_currency == state["best_currency"]:
            continue
        if item.state_at is not None:
            events.extend(state_events(item, item.best_prices, item.shops_in_stock, state))
        if item.state_at is None or item.best_prices != state["best_prices"]:
            prices.append((item.id, state["best_prices"]))
        updates.append((item.id, state))
        changed.append(item.id)
    if updates:
        write_states(conn, updates, now)
    return events, changed


# PostgreSQL: every item's new state in one statement (an executemany is a round trip per 100 rows).
_UPDATE_STATES_PG = sa.text(
    "UPDATE catalog_items AS c SET offers = u.offers, shops_in_stock = u.shops, best_prices = u.best_prices, "
    "best_price = u.best_price, best_currency = u.best_currency, state_at = :now, updated_at = :now "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:offers AS integer[]), CAST(:shops AS integer[]), "
    "CAST(:best_prices AS text[]), CAST(:best_price AS numeric[]), CAST(:best_currency AS text[])) "
    "AS u(id, offers, shops, best_prices, best_price, best_currency) WHERE c.id = u.id")


def write_states(conn, updates: list[tuple[int, dict]], now: datetime) -> None:
    """Store items' states ((id, compute()'s state) pairs): one statement on PostgreSQL and MariaDB, an
    executemany on SQLite."""
    if conn.dialect.name == "postgresql":
        conn.execute(_UPDATE_STATES_PG, {
            "now": now, "ids": [i for i, _ in updates], "offers": [u["offers"] for _, u in updates],
            "shops": [u["shops_in_stock"] for _, u in updates], "best_prices": [u["best_prices"] for _, u in updates],
            "best_price": [u["best_price"] for _, u in updates], "best_currency": [u["best_currency"] for _, u in updates]})
        return
    if is_mysql(conn):
        _write_states_mysql(conn, updates, now)
        return
    values = {k: sa.bindparam(f"v_{k}") for k in STATE_COLUMNS}
    conn.execute(catalog_items.update().where(catalog_items.c.id == sa.bindparam("_id"))
                 .values(**values, state_at=now, updated_at=now),
                 [{"_id": i, **{f"v_{k}": v for k, v in state.items()}} for i, state in updates])


# MariaDB/MySQL: the states go into a session temporary table in multi-row INSERTs, then one UPDATE
# joins it (an executemany UPDATE is a statement, and a round trip, per item).
_STATES_MYSQL = "ornaments_item_states"
_CREATE_STATES_MYSQL = (f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STATES_MYSQL} (id BIGINT PRIMARY KEY, offers INT, "
                        "shops INT, best_prices TEXT, best_price DECIMAL(12, 2), best_currency VARCHAR(3)) "
                        "DEFAULT CHARSET=utf8mb4")


def _write_states_mysql(conn, updates: list[tuple[int, dict]], now: datetime) -> None:
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_CREATE_STATES_MYSQL)  # no implicit commit: a temporary table
        cursor.execute(f"DELETE FROM {_STATES_MYSQL}")
        insert_many(cursor, f"INSERT INTO {_STATES_MYSQL} (id, offers, shops, best_prices, best_price, best_currency) "
                            "VALUES", ((i, *(state[k] for k in STATE_COLUMNS)) for i, state in updates))
        cursor.execute(f"UPDATE catalog_items AS c JOIN {_STATES_MYSQL} AS u ON c.id = u.id SET c.offers = u.offers, "
                       "c.shops_in_stock = u.shops, c.best_prices = u.best_prices, c.best_price = u.best_price, "
                       f"c.best_currency = u.best_currency, c.state_at = {literal(now)}, c.updated_at = {literal(now)}")
    finally:
        cursor.close()


def after_removal(conn, product_ids: Sequence[int], now: datetime) -> list[dict]:
    """The item events of products just marked removed (their offers are gone)."""
    if not product_ids:
        return []
    lock_catalogue(conn)
    items: set[int] = set()
    for where in among(conn, item_listings.c.product_id, product_ids):
        query = sa.select(item_listings.c.item_id).where(where)
        items.update(conn.execute(query).scalars())
    return refresh(conn, sorted(items), now)


def holds(watch: sa.Row | Mapping, best_prices: Mapping[str, str], shops_in_stock: int) -> tuple[bool, str | None]:
    """Does the watch's condition hold for this state? (and the price that makes it hold)"""
    if watch["kind"] == "back_in_stock":
        return shops_in_stock > 0, None
    price = best_prices.get(watch["currency"])
    if price is None:
        return False, None
    price = Decimal(price)
    if watch["kind"] == "price_at_or_below":
        return price <= Decimal(watch["threshold"]), _money(price)
    if watch["kind"] == "price_drop" and watch["baseline"]:
        limit = Decimal(watch["baseline"]) * (100 - Decimal(watch["percent"])) / 100
        return price <= limit, _money(price)
    return False, None


def evaluate_watches(conn, item_ids: Sequence[int], now: datetime, watch_id: int | None = None) -> list[dict]:
    """watch_triggered for each active watch whose condition starts to hold; holding kept in step."""
    query = (sa.select(watches, catalog_items.c.name, catalog_items.c.item_number, catalog_items.c.best_prices,
                       catalog_items.c.shops_in_stock)
             .join(catalog_items, catalog_items.c.id == watches.c.item_id)
             .where(watches.c.cancelled_at.is_(None)))
    if watch_id is not None:
        found = list(conn.execute(query.where(watches.c.id == watch_id)).mappings())
    else:
        found = [w for where in among(conn, watches.c.item_id, item_ids) for w in conn.execute(query.where(where)).mappings()]
    events = []
    for w in found:
        now_holds, price = holds(w, json.loads(w["best_prices"] or "{}"), w["shops_in_stock"])
        if now_holds == w["holding"]:
            continue
        values: dict = {"holding": now_holds}
        if now_holds:
            values.update(triggered=w["triggered"] + 1, last_triggered_at=now)
            events.append({"type": "watch_triggered", "vendor": EVENTS_VENDOR, "vendor_product_id": str(w["item_id"]),
                           "product_id": None, "data": {
                               "watch_id": w["id"], "reference": w["reference"], "item_id": w["item_id"],
                               "name": w["name"], "item_number": w["item_number"], "kind": w["kind"],
                               "currency": w["currency"], "threshold": _money(w["threshold"]),
                               "percent": None if w["percent"] is None else str(w["percent"]),
                               "price": price, "shops_in_stock": w["shops_in_stock"]}})
        conn.execute(watches.update().where(watches.c.id == w["id"]).values(**values))
    return events
