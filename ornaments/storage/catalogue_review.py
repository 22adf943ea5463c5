"""A person's word on the catalogue: the review queue of rung-3 proposals (accept, reject), and
splitting a listing off its item or merging two items. What a person decides is "confirmed" (or a
rejected pair) and the machine never undoes it. Each decision updates the items' state and writes
their events (ornaments.storage.item_state) in its own transaction.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.catalogue import ladder, names
from ornaments.storage import catalogue, catalogue_items, item_state, outbox
from ornaments.storage.catalogue_lock import lock_catalogue
from ornaments.storage.schema import catalog_items, item_listings, match_proposals, products, watches

# What a side of a proposal shows; brand and description too: the numbers are read as matching reads them.
LISTING_COLUMNS = (products.c.id, products.c.vendor, products.c.vendor_product_id, products.c.name, products.c.sku,
                   products.c.gtin, products.c.brand, products.c.description, products.c.release_year,
                   products.c.price, products.c.currency, products.c.availability, products.c.url,
                   products.c.image_urls)


class ReviewError(ValueError):
    """A decision that cannot be taken (unknown id, already decided): one line for the person."""


def _side(row) -> dict:
    """One listing as a person compares it: its shop, name, image, price with currency, the year and the
    numbers matching read (the manufacturer numbers, the number in a series), and its own ids."""
    images = json.loads(row.image_urls) if isinstance(row.image_urls, str) and row.image_urls else row.image_urls
    images = [u for u in images or [] if isinstance(u, str)]
    found = ladder.facts(row._mapping)
    return {"product_id": row.id, "vendor": row.vendor, "vendor_product_id": row.vendor_product_id, "name": row.name,
            "sku": row.sku, "gtin": row.gtin, "item_numbers": list(found.numbers),
            "series_number": names.series_number(row.name), "release_year": row.release_year, "year": found.year,
            "price": None if row.price is None else f"{row.price:.2f}", "currency": row.currency,
            "availability": row.availability, "url": row.url, "image": images[0] if images else None,
            "images": images}


class Review:
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def proposals(self, state: str = "open", limit: int = 50, after: int = 0) -> list[dict]:
        """The queue: each proposal with its listing and the item's listings side by side, and why."""
        with self.engine.connect() as conn:
            query = (sa.select(match_proposals).where(match_proposals.c.state == state, match_proposals.c.id > after)
                     .order_by(match_proposals.c.id).limit(limit))
            found = []
            for p in conn.execute(query).all():
                listing = conn.execute(sa.select(*LISTING_COLUMNS).where(products.c.id == p.product_id)).first()
                item = conn.execute(sa.select(catalog_items).where(catalog_items.c.id == p.item_id)).first()
                if listing is None or item is None:  # left behind by a merge (the listing had one for both)
                    continue
                others = conn.execute(sa.select(*LISTING_COLUMNS).join(item_listings, item_listings.c.product_id == products.c.id)
                                      .where(item_listings.c.item_id == p.item_id).order_by(products.c.id).limit(10)).all()
                found.append({"id": p.id, "state": p.state, "score": p.score, "reasons": json.loads(p.reasons),
                              "created_at": p.created_at, "listing": _side(listing),
                              "item": {"id": item.id, "name": item.name, "item_number": item.item_number,
                                       "release_year": item.release_year, "brand": item.brand,
                                       "series": item.series, "series_number": item.series_number,
                                       "gtins": json.loads(item.gtins or "[]"), "image": item.image_url,
                                       "listings": [_side(o) for o in others]}})
            return found

    def _decide(self, work) -> Any:
        now = utcnow()
        with self.engine.begin() as conn:
            lock_catalogue(conn)  # a crawl matching at the same time waits, and so does this decision
            result, affected = work(conn, now)
            items = sorted(i for i in affected if _exists(conn, i))
            events = item_state.refresh(conn, items, now)
            # A merge moves watches to the kept item, whose state need not change (the merged item had
            # no live offer): refresh checked only the changed items' watches. A watch checked already
            # holds as it did, and emits nothing twice.
            events.extend(item_state.evaluate_watches(conn, items, now))
            outbox.insert_events(conn, events, None, now)
        return result

    def _open(self, conn, proposal_id: int):
        p = conn.execute(sa.select(match_proposals).where(match_proposals.c.id == proposal_id)).first()
        if p is None:
            raise ReviewError(f"no proposal {proposal_id}")
        if p.state != "open":
            raise ReviewError(f"proposal {proposal_id} is already {p.state}")
        return p

    def accept(self, proposal_id: int) -> int:
        """The listing is the item's: linked (confirmed); its own item, left empty, merged in. The item id."""
        def work(conn, now):
            p = self._open(conn, proposal_id)
            conn.execute(match_proposals.update().where(match_proposals.c.id == p.id)
                         .values(state="accepted", decided_at=now))
            old = _item_of(conn, p.product_id)
            _link(conn, p.product_id, p.item_id, now)
            affected = {p.item_id, old}
            if old is not None and old != p.item_id and not _listing_count(conn, old):
                _merge(conn, p.item_id, old, now)
                affected.discard(old)
            return p.item_id, affected
        return self._decide(work)

    def reject(self, proposal_id: int) -> None:
        """Not one product: never proposed or linked again."""
        def work(conn, now):
            p = self._open(conn, proposal_id)
            conn.execute(match_proposals.update().where(match_proposals.c.id == p.id)
                         .values(state="rejected", decided_at=now))
            return None, set()
        self._decide(work)

    def split(self, product_id: int) -> int:
        """The listing is not its item's: it gets an item of its own (confirmed), and the machine never
        links it to the old item again. The new item's id."""
        def work(conn, now):
            row = conn.execute(sa.select(products).where(products.c.id == product_id)).first()
            old = _item_of(conn, product_id)
            if row is None or old is None:
                raise ReviewError(f"no listing {product_id} in the catalogue")
            if _listing_count(conn, old) == 1:  # a new item would leave the old one empty, on every repeat
                raise ReviewError(f"listing {product_id} is already its own item ({old})")
            found = ladder.facts(row._mapping)
            # made with an empty state: the refresh reports its offers as a change (no created event tells it)
            empty = {**item_state.compute([]), "state_at": now}
            new_id = conn.execute(catalog_items.insert(),
                                  {**catalogue.new_item_row(found, row._mapping, now), **empty}).inserted_primary_key[0]
            _link(conn, product_id, new_id, now)
            _reject_pair(conn, product_id, old, now)
            return new_id, {old, new_id}
        return self._decide(work)

    def merge(self, kept: int, merged: int) -> int:
        """Two items are one product: every listing, key, proposal and watch of merged goes to kept."""
        def work(conn, now):
            for item_id in (kept, merged):
                if not _exists(conn, item_id):
                    raise ReviewError(f"no item {item_id}")
            if not _merge(conn, kept, merged, now):
                raise ReviewError(f"items {kept} and {merged} are one item already")
            return kept, {kept}
        return self._decide(work)

    def link_unlinked(self, chunk: int = 5000) -> int:
        """Match every stored product without an item (a catalogue added to an existing database)."""
        done = 0
        while True:
            now = utcnow()
            with self.engine.begin() as conn:
                rows = conn.execute(sa.select(products).where(~products.c.id.in_(sa.select(item_listings.c.product_id)))
                                    .order_by(products.c.id).limit(chunk)).all()
                if not rows:
                    return done
                events = catalogue.after_batch(conn, [(r.id, r._mapping) for r in rows], now)
                outbox.insert_events(conn, events, None, now)
            done += len(rows)


def _merge(conn, kept: int, merged: int, now) -> bool:
    """catalogue_items.merge_items: it leaves no key or proposal naming the merged item."""
    return catalogue_items.merge_items(conn, kept, merged, now)


def _exists(conn, item_id) -> bool:
    return item_id is not None and conn.execute(sa.select(catalog_items.c.id).where(catalog_items.c.id == item_id)).first() is not None


def _item_of(conn, product_id: int) -> int | None:
    return conn.execute(sa.select(item_listings.c.item_id).where(item_listings.c.product_id == product_id)).scalar()


def _listing_count(conn, item_id: int) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(item_listings).where(item_listings.c.item_id == item_id)).scalar()


def _link(conn, product_id: int, item_id: int, now) -> None:
    row = conn.execute(sa.select(products).where(products.c.id == product_id)).first()
    key = ladder.facts(row._mapping).match_key()
    conn.execute(item_listings.delete().where(item_listings.c.product_id == product_id))
    conn.execute(item_listings.insert(), {"product_id": product_id, "item_id": item_id, "method": "person",
                                          "confidence": 1.0, "state": "confirmed", "match_key": key, "linked_at": now})


def _reject_pair(conn, product_id: int, item_id: int, now) -> None:
    existing = conn.execute(sa.select(match_proposals.c.id).where(match_proposals.c.product_id == product_id,
                                                                  match_proposals.c.item_id == item_id)).scalar()
    if existing is not None:
        conn.execute(match_proposals.update().where(match_proposals.c.id == existing).values(state="rejected", decided_at=now))
    else:
        conn.execute(match_proposals.insert(), {"product_id": product_id, "item_id": item_id, "score": 0.0,
                                                "reasons": json.dumps(["split by a person"]), "state": "rejected",
                                                "created_at": now, "decided_at": now})


WATCH_KINDS = ("price_at_or_below", "price_drop", "back_in_stock")


class WatchExists(ReviewError):
    """The item already has a live watch with this condition and reference (a second would trigger twice)."""

    def __init__(self, item_id: int, watch_id: int, reference: str | None):
        super().__init__(f"item {item_id} already has this watch{' for this reference' if reference else ''}: "
                         f"watch {watch_id}")
        self.watch_id = watch_id


def _same_watch(item_id: int, kind: str, currency: str | None, price: Any, percent: Any,
                reference: str | None) -> sa.Select:
    def same(column, value):
        return column.is_(None) if value is None else column == value
    return sa.select(watches.c.id).where(
        watches.c.item_id == item_id, watches.c.kind == kind, same(watches.c.currency, currency),
        same(watches.c.threshold, price), same(watches.c.percent, percent), same(watches.c.reference, reference),
        watches.c.cancelled_at.is_(None)).order_by(watches.c.id).limit(1)


def create_watch(engine: sa.Engine, item_id: int, kind: str, currency: str | None, price: Any, percent: Any,
                 reference: str | None) -> tuple[int, list[dict]]:
    """A shopper's watch on an item; evaluated at once: a price condition that already holds triggers now
    (once); a back-in-stock watch made while the item is in stock waits for it to sell out and return.
    Returns the watch id and the events written; WatchExists if the same live watch exists."""
    now = utcnow()
    with engine.begin() as conn:
        # The item's row is locked (SQLite: BEGIN IMMEDIATE) so that two identical requests at the same
        # instant are one watch and one WatchExists, not two watches.
        item = conn.execute(sa.select(catalog_items).where(catalog_items.c.id == item_id).with_for_update()).first()
        if item is None:
            raise ReviewError(f"no item {item_id}")
        existing = conn.execute(_same_watch(item_id, kind, currency, price, percent, reference)).scalar()
        if existing is not None:
            raise WatchExists(item_id, existing, reference)
        baseline = None
        if kind == "price_drop":
            best = json.loads(item.best_prices or "{}").get(currency)
            if best is None:
                raise ReviewError(f"item {item_id} has no price in {currency} to drop from")
            baseline = best
        watch_id = conn.execute(watches.insert(), {
            "item_id": item_id, "kind": kind, "currency": currency, "threshold": price, "percent": percent,
            "baseline": baseline, "reference": reference, "holding": False, "triggered": 0,
            "created_at": now}).inserted_primary_key[0]
        if kind == "back_in_stock":  # "back" in stock: a watch made while it is in stock waits for the next return
            conn.execute(watches.update().where(watches.c.id == watch_id).values(holding=item.shops_in_stock > 0))
        events = item_state.evaluate_watches(conn, [], now, watch_id=watch_id)
        outbox.insert_events(conn, events, None, now)
    return watch_id, events


def cancel_watch(engine: sa.Engine, watch_id: int) -> bool:
    with engine.begin() as conn:
        done = conn.execute(watches.update().where(watches.c.id == watch_id, watches.c.cancelled_at.is_(None))
                            .values(cancelled_at=utcnow()))
        return done.rowcount > 0
