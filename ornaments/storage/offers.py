"""Offers of our products at an offers service (the offers_api spider): current state and history.

The spider sends one row per product it polled: the product's whole list of offers as the service
answered it. In one transaction per batch:
- an offer not stored yet is inserted, with its first offer_history row;
- an offer whose price, currency or stock changed is updated (changed_at) with a history row;
- an offer the service no longer lists for that product is marked removed (a history row with no
  price and no stock); one listed again is un-removed (a history row);
- an unchanged offer writes nothing at all: a poll every 30 seconds costs reads, not writes.
An offer whose price or stock could not be read ("keep") keeps the stored value of that field.
Products whose offers could not be fetched send no row, so their offers are left as they are.

Runs without Scrapy, in the storage worker (ornaments.storage.worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

import sqlalchemy as sa

from ornaments.retry import RetryPolicy
from ornaments.storage.engine import with_db_retries
from ornaments.storage.schema import offer_history, offers, products
from ornaments.storage.upserts import inserted_id, insert_or_nothing

KIND = "offers"  # the marker of an offers row among a batch's rows
CHUNK = 1000


@dataclass
class OffersResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    history_rows: int = 0


def offers_row(item: Mapping) -> dict:
    """The row of an OffersItem, as the storage worker takes it."""
    return {"kind": KIND, "source": item["source"], "product_id": int(item["product_id"]),
            "offers": [dict(o) for o in item.get("offers") or ()]}


def split_offers(rows: Sequence[Mapping]) -> tuple[list[Mapping], list[Mapping]]:
    """(product rows, offers rows) of a batch."""
    plain, offer_rows = [], []
    for row in rows:
        (offer_rows if row.get("kind") == KIND else plain).append(row)
    return plain, offer_rows


def write_offers(engine: sa.Engine, run_id: int | None, rows: Sequence[Mapping], retry: RetryPolicy) -> OffersResult:
    """Store the offers rows of a batch in one transaction, retried on lost connections."""
    return with_db_retries(lambda: _write_once(engine, run_id, rows), retry,
                           f"writing the offers of {len(rows)} products")


def _write_once(engine: sa.Engine, run_id: int | None, rows: Sequence[Mapping]) -> OffersResult:
    now = datetime.now(timezone.utc)
    result = OffersResult()
    by_product = {(r["source"], r["product_id"]): r for r in rows}  # the latest answer per product wins
    with engine.begin() as conn:
        stored = _stored(conn, by_product.keys())
        history: list[dict] = []
        for (source, product_id), row in by_product.items():
            listed = {}
            for offer in row["offers"]:
                listed.setdefault(str(offer["offer_id"]), offer)
            mine = stored.get((source, product_id), {})
            new = [o for key, o in listed.items() if key not in mine]
            if new:
                values = [{"source": source, "product_id": product_id, "offer_id": str(o["offer_id"]),
                           "price": _money(o.get("price")), "currency": o.get("currency"),
                           "items_in_stock": o.get("items_in_stock"), "first_seen_at": now, "changed_at": now}
                          for o in new]
                statement = insert_or_nothing(conn, offers, ["source", "product_id", "offer_id"])
                # One statement per offer: INSERT ... RETURNING over many rows is not portable (psycopg2,
                # MySQL). An offer a concurrent run inserted first gives no id, and is that run's to record.
                for value in values:
                    offer_row_id = inserted_id(conn, statement, value, offers.c.id)
                    if offer_row_id is not None:
                        history.append({"offer_row_id": offer_row_id, "price": value["price"],
                                        "currency": value["currency"], "items_in_stock": value["items_in_stock"]})
                        result.new += 1
            for key, old in mine.items():
                offer = listed.get(key)
                if offer is None:
                    if old.removed_at is None:
                        conn.execute(offers.update().where(offers.c.id == old.id)
                                     .values(removed_at=now, changed_at=now))
                        history.append({"offer_row_id": old.id, "price": None, "currency": None,
                                        "items_in_stock": None})
                        result.removed += 1
                    continue
                price, currency = _money(offer.get("price")), offer.get("currency")
                stock = offer.get("items_in_stock")
                keep = offer.get("keep") or ()  # fields that could not be read: their stored values stay
                if "price" in keep:
                    price, currency = _money(old.price), old.currency
                if "items_in_stock" in keep:
                    stock = old.items_in_stock
                if (old.removed_at is None and _same(old.price, price) and old.currency == currency
                        and old.items_in_stock == stock):
                    result.unchanged += 1
                    continue
                conn.execute(offers.update().where(offers.c.id == old.id).values(
                    price=price, currency=currency, items_in_stock=stock, changed_at=now, removed_at=None))
                history.append({"offer_row_id": old.id, "price": price, "currency": currency, "items_in_stock": stock})
                result.changed += 1
        if history:
            conn.execute(offer_history.insert(), [{**h, "recorded_at": now, "run_id": run_id} for h in history])
        result.history_rows = len(history)
    return result


def _stored(conn, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict[str, sa.Row]]:
    """(source, product) -> offer id -> the stored offer."""
    by_source: dict[str, list[int]] = {}
    for source, product_id in keys:
        by_source.setdefault(source, []).append(product_id)
    found: dict[tuple[str, int], dict[str, sa.Row]] = {}
    for source, ids in by_source.items():
        for start in range(0, len(ids), CHUNK):
            query = sa.select(offers).where(offers.c.source == source,
                                            offers.c.product_id.in_(ids[start:start + CHUNK]))
            for row in conn.execute(query):
                found.setdefault((source, row.product_id), {})[row.offer_id] = row
    return found


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _same(stored, new) -> bool:
    """Stored money (a float on SQLite) and a new Decimal are the same amount."""
    if stored is None or new is None:
        return stored is new
    return _money(stored) == new


# --- what to poll -------------------------------------------------------------------------------------

def products_to_poll(engine: sa.Engine, vendors: Sequence[str], year: int | None = None,
                     url: str | None = None) -> list[dict]:
    """Our live products whose offers a run polls: of these vendors (all when empty), of one release
    year, or the one product at url."""
    query = sa.select(products.c.id, products.c.vendor, products.c.vendor_product_id, products.c.name,
                      products.c.description, products.c.gtin).where(products.c.removed_at.is_(None))
    if vendors:
        query = query.where(products.c.vendor.in_(list(vendors)))
    if year is not None:
        query = query.where(products.c.release_year == year)
    if url is not None:
        query = query.where(products.c.url == url)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query.order_by(products.c.id))]
