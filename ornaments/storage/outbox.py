"""The writer of the change outbox: what a committed change says to the website, as product_events rows.

The storage module calls these inside the transaction of the change itself, so an event exists exactly
when its change was committed (a rolled-back or replayed batch writes none). Events are inserted in one
statement per batch (COPY on PostgreSQL), after the ordering lock:

Event ids are the consumers' cursor, so an event must never become visible after one with a higher id.
PostgreSQL hands out sequence values before commit, and two transactions could commit out of id order;
so every writer takes one advisory lock right before it inserts its events and keeps it to its commit:
ids are then handed out in commit order. The lock is held only for the insert and the commit. SQLite
serializes writers anyway (BEGIN IMMEDIATE). MariaDB/MySQL hand out AUTO_INCREMENT ids at insert time
too: there the lock is a row lock in transaction_locks, also held to the commit (ornaments.storage.mysql).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Sequence

import sqlalchemy as sa

from ornaments.clock import iso_utc
from ornaments.fields import MONEY_FIELDS, PRICE_FIELDS, SNAPSHOT_FIELDS, TRACKED_FIELDS
from ornaments.storage.mysql import is_mysql, transaction_lock
from ornaments.storage.mysql_bulk import insert_many
from ornaments.storage.pg_bulk import copy_lines, text_value
from ornaments.storage.schema import product_events, products

# pg_advisory_xact_lock key of the event writers ("evnt"); the migration lock uses "orna".
EVENTS_LOCK_KEY = 0x65766E74
EVENTS_LOCK_NAME = "ornaments.events"  # its row in transaction_locks (MariaDB/MySQL)
# Availability groups: a move from one group to the other is a stock event, any other move an "updated".
AVAILABLE = frozenset({"in_stock", "preorder", "backorder"})
UNAVAILABLE = frozenset({"out_of_stock", "discontinued"})
# json.dumps(data, separators=(",", ":")), without making an encoder per event (a tenth of its time)
_encode = json.JSONEncoder(separators=(",", ":")).encode
_COLUMNS = ("type", "vendor", "vendor_product_id", "product_id", "run_id", "occurred_at", "data")
# Tracked fields an "updated" event reports (price and stock have events of their own). A change of any
# of PRICE_FIELDS is one price_changed event (a Merchant feed's regular price is g:price, so a price change
# usually moves both). A created or returned event carries SNAPSHOT_FIELDS: enough to publish the product.
UPDATED_FIELDS = tuple(f for f in TRACKED_FIELDS if f not in PRICE_FIELDS)


def _plain(value: Any) -> Any:
    """JSON-ready: prices as exact decimal strings, image lists as lists."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return iso_utc(value)
    return value


def _image_list(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def snapshot(row: Mapping) -> dict[str, Any]:
    return {f: _plain(row.get(f)) for f in SNAPSHOT_FIELDS}


def created(key: tuple[str, str], product_id: int, row: Mapping) -> dict:
    """A created event; its data (the snapshot) is built when it is inserted: on PostgreSQL by the
    server, from the row just inserted (a first sync writes one per product, so this is the hot path)."""
    return {"type": "created", "vendor": key[0], "vendor_product_id": key[1], "product_id": product_id,
            "data": None, "row": row}


def changed(key: tuple[str, str], old: Any, new: Mapping) -> list[dict]:
    """Events of one stored product whose tracked fields (or removal) changed, in the order a reader
    applies them: returned, price_changed, back_in_stock / out_of_stock, updated.

    old is the locked products row (the tracked fields, removed_at); new the incoming row."""
    events = []
    returned = old.removed_at is not None
    if returned:
        events.append(_event("returned", key, old.id, snapshot(new)))
    if any(getattr(old, name) != new[name] for name in PRICE_FIELDS):
        events.append(_event("price_changed", key, old.id, price_change(
            old.price, old.currency, new["price"], new["currency"], old.regular_price, new["regular_price"])))
    fields = {}
    for name in UPDATED_FIELDS:
        before, after = getattr(old, name), new[name]
        if before == after:
            continue
        if name == "availability":
            stock = stock_event(before, after)
            if returned:
                continue  # "discontinued" was our removal's marker; returned carries the availability
            if stock:
                events.append(_event(stock, key, old.id, {"old": before, "new": after}))
                continue
        if name == "image_urls":
            before, after = _image_list(before), _image_list(after)
        fields[name] = {"old": _plain(before), "new": _plain(after)}
    if fields:
        events.append(_event("updated", key, old.id, {"fields": fields}))
    return events


def price_change(old_price: Decimal | None, old_currency: str | None,
                 new_price: Decimal | None, new_currency: str | None,
                 old_regular_price: Decimal | None = None, new_regular_price: Decimal | None = None) -> dict[str, Any]:
    """old and new price, currency and regular price; direction and percent (of the price) when both
    prices are in one currency."""
    data: dict[str, Any] = {"old_price": _plain(old_price), "old_currency": old_currency,
                            "new_price": _plain(new_price), "new_currency": new_currency,
                            "old_regular_price": _plain(old_regular_price),
                            "new_regular_price": _plain(new_regular_price),
                            "direction": None, "percent": None}
    if old_price is not None and new_price is not None and old_currency == new_currency:
        if new_price != old_price:
            data["direction"] = "up" if new_price > old_price else "down"
        if old_price:
            percent = (new_price - old_price) * 100 / old_price
            data["percent"] = str(percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return data


def stock_event(before: str | None, after: str | None) -> str | None:
    if before in UNAVAILABLE and after in AVAILABLE:
        return "back_in_stock"
    if before in AVAILABLE and after in UNAVAILABLE:
        return "out_of_stock"
    return None


def _event(kind: str, key: tuple[str, str], product_id: int, data: Mapping) -> dict:
    return {"type": kind, "vendor": key[0], "vendor_product_id": key[1], "product_id": product_id, "data": data}


def removed_events(conn: sa.Connection, ids: Sequence[int], chunk: int = 1000) -> list[dict]:
    """removed events of products just marked removed (their key and name are read back)."""
    events = []
    for start in range(0, len(ids), chunk):
        query = (sa.select(products.c.id, products.c.vendor, products.c.vendor_product_id, products.c.name,
                           products.c.last_seen_at)
                 .where(products.c.id.in_(ids[start:start + chunk])))
        for row in conn.execute(query):
            events.append(_event("removed", (row.vendor, row.vendor_product_id), row.id,
                                 {"name": row.name, "last_seen_at": _plain(row.last_seen_at)}))
    return sorted(events, key=lambda e: (e["vendor"], e["vendor_product_id"]))


def _data_text(event: Mapping) -> str:
    """An event's data as stored: JSON text. None: the product's snapshot; a str: encoded already (item
    events whose data PostgreSQL built)."""
    data = event["data"]
    if data is None:
        return _encode(snapshot(event["row"]))
    return data if isinstance(data, str) else _encode(data)


def insert_events(conn: sa.Connection, events: Sequence[Mapping], run_id: int | None, at: datetime) -> int:
    """Insert events in the caller's transaction, under the ordering lock: created events first (in the
    given order, which is key order), then the others in the given order."""
    if not events:
        return 0
    total = len(events)
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVENTS_LOCK_KEY})
        new_ids = [e["product_id"] for e in events if e["type"] == "created"]
        if new_ids:
            _insert_created_pg(conn, new_ids, run_id, at)
        events = [e for e in events if e["type"] != "created"]
    elif is_mysql(conn):
        transaction_lock(conn, EVENTS_LOCK_NAME)
        new_ids = [e["product_id"] for e in events if e["type"] == "created"]
        if new_ids:
            _insert_created_mysql(conn, new_ids, run_id, at)
        events = [e for e in events if e["type"] != "created"]
    events = sorted(events, key=lambda e: e["type"] != "created")  # stable: created first
    if events and postgres:  # COPY, lines of its text format: the data is JSON, which csv quotes slowly
        tail = f"\t{text_value(None if run_id is None else str(int(run_id)))}\t{at}\t"
        copy_lines(conn, "product_events", _COLUMNS, (
            f"{text_value(e['type'])}\t{text_value(e['vendor'])}\t{text_value(e['vendor_product_id'])}\t"
            f"{text_value(None if e['product_id'] is None else str(int(e['product_id'])))}{tail}"
            f"{text_value(_data_text(e))}\n" for e in events))
        return total
    rows = [{"type": e["type"], "vendor": e["vendor"], "vendor_product_id": e["vendor_product_id"],
             "product_id": e["product_id"], "run_id": run_id, "occurred_at": at,
             "data": _data_text(e)} for e in events]
    if rows:
        if is_mysql(conn):  # one multi-row INSERT per megabyte; AUTO_INCREMENT follows the row order
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                insert_many(cursor, f"INSERT INTO product_events ({', '.join(_COLUMNS)}) VALUES",
                            ([row[c] for c in _COLUMNS] for row in rows))
            finally:
                cursor.close()
        else:
            conn.execute(product_events.insert(), rows)
    return total


def _insert_created_pg(conn: sa.Connection, ids: list[int], run_id: int | None, at: datetime) -> None:
    """created events of products just inserted, their snapshot built by the server (json_build_object
    keeps SNAPSHOT_FIELDS' order; numeric(12,2)::text is the same "10.00" string as _plain)."""
    pairs = ", ".join(f"'{f}', {f}::text" if f in MONEY_FIELDS else f"'{f}', {f}"
                      for f in SNAPSHOT_FIELDS)
    conn.execute(sa.text(
        f"INSERT INTO product_events (type, vendor, vendor_product_id, product_id, run_id, occurred_at, data) "
        f"SELECT 'created', vendor, vendor_product_id, id, :run_id, :at, json_build_object({pairs})::text "
        f"FROM products WHERE id = ANY(:ids) ORDER BY vendor, vendor_product_id"),
        {"run_id": run_id, "at": at, "ids": ids})


def _insert_created_mysql(conn: sa.Connection, ids: list[int], run_id: int | None, at: datetime) -> None:
    """created events of products just inserted, their snapshot built by the server (JSON_OBJECT, in
    MariaDB and MySQL 8 alike; CAST(price AS CHAR) of a DECIMAL(12,2) is the same "10.00" as _plain).
    The ids are this transaction's own integers, written into the statement as they are."""
    pairs = ", ".join(f"'{f}', CAST({f} AS CHAR)" if f in ("price", "regular_price") else f"'{f}', {f}"
                      for f in SNAPSHOT_FIELDS)
    for start in range(0, len(ids), 5000):
        chunk = ", ".join(str(int(i)) for i in ids[start:start + 5000])
        conn.execute(sa.text(
            f"INSERT INTO product_events (type, vendor, vendor_product_id, product_id, run_id, occurred_at, data) "
            f"SELECT 'created', vendor, vendor_product_id, id, :run_id, :at, JSON_OBJECT({pairs}) "
            f"FROM products WHERE id IN ({chunk}) ORDER BY vendor, vendor_product_id"),
            {"run_id": run_id, "at": at})


