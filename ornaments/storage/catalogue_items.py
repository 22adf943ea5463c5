"""What the catalogue writes on an item besides matching: two items made one (a person's merge, or the
machine's when one listing's GTIN and number show two items to be one), and the series a later listing
fills in."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Mapping, Sequence

import sqlalchemy as sa

from ornaments.catalogue import ladder
from ornaments.storage import item_prices
from ornaments.storage.schema import catalog_items, item_keys, item_listings, match_proposals, watches


def merge_items(conn, kept: int, merged: int, now: datetime, by_machine: bool = False) -> bool:
    """Make two items one: the merged item's listings, keys, proposals and watches go to the kept one,
    and what does not move (a key or a listing's proposal the kept item has already) is deleted here,
    not left to ON DELETE CASCADE: SQLite runs with foreign keys off, and a row naming a deleted item
    broke the review queue. The kept item is found by the merged item's keys too (its second number).
    The machine never moves a listing a person confirmed: it leaves such an item alone (False)."""
    if kept == merged:
        return False
    if by_machine and conn.execute(sa.select(item_listings.c.product_id).where(
            item_listings.c.item_id == merged, item_listings.c.state == "confirmed").limit(1)).first():
        return False
    rows = {r.id: r for r in conn.execute(sa.select(catalog_items).where(catalog_items.c.id.in_([kept, merged])))}
    if len(rows) != 2:
        return False
    conn.execute(item_listings.update().where(item_listings.c.item_id == merged).values(item_id=kept))
    have = {(r.kind, r.key) for r in conn.execute(sa.select(item_keys).where(item_keys.c.item_id == kept))}
    moving = [{"kind": r.kind, "key": r.key, "item_id": kept}
              for r in conn.execute(sa.select(item_keys).where(item_keys.c.item_id == merged)) if (r.kind, r.key) not in have]
    conn.execute(item_keys.delete().where(item_keys.c.item_id == merged))
    if moving:
        conn.execute(item_keys.insert(), moving)
    proposed = {r.product_id: r for r in conn.execute(sa.select(match_proposals).where(match_proposals.c.item_id == kept))}
    for r in conn.execute(sa.select(match_proposals).where(match_proposals.c.item_id == merged)).all():
        mine = proposed.get(r.product_id)
        if mine is None:
            conn.execute(match_proposals.update().where(match_proposals.c.id == r.id).values(item_id=kept))
        elif r.state == "rejected" and mine.state == "open":  # a person said no to this product: it stays no
            conn.execute(match_proposals.update().where(match_proposals.c.id == mine.id)
                         .values(state="rejected", decided_at=r.decided_at))
    conn.execute(match_proposals.delete().where(match_proposals.c.item_id == merged))
    # A proposal of a listing for the item it now belongs to is settled.
    conn.execute(match_proposals.delete().where(match_proposals.c.item_id == kept, match_proposals.c.state == "open",
                                                match_proposals.c.product_id.in_(
                                                    sa.select(item_listings.c.product_id).where(item_listings.c.item_id == kept))))
    conn.execute(watches.update().where(watches.c.item_id == merged).values(item_id=kept))
    a, b = rows[kept], rows[merged]
    gtins = sorted(set(json.loads(a.gtins or "[]")) | set(json.loads(b.gtins or "[]")))
    conn.execute(catalog_items.update().where(catalog_items.c.id == kept).values(
        gtins=json.dumps(gtins), item_number=a.item_number or b.item_number, image_url=a.image_url or b.image_url,
        release_year=a.release_year or b.release_year, series=a.series or b.series,
        series_number=a.series_number if a.series_number is not None else b.series_number, updated_at=now))
    item_prices.forget(conn, merged)
    conn.execute(catalog_items.delete().where(catalog_items.c.id == merged))
    return True


def fill_series(conn, decided: Sequence[tuple], rows_by_pid: Mapping[int, Mapping], pending: list[dict],
                items: Mapping[int, ladder.Candidate]) -> None:
    """An item without a series takes the first that a later listing linked to it names (few shops fill
    the field; the listing that made the item may not have). New items in memory; older ones, known to
    have none (catalogue_reads.load_candidates read it), in one statement, only when there is one to fill."""
    older: dict[int, str] = {}
    for pid, _found, target, _method, _confidence in decided:
        series = rows_by_pid[pid].get("series")
        if not series:
            continue
        if target < 0:
            if not pending[-target - 1].get("series"):
                pending[-target - 1]["series"] = series
        elif target in items and not items[target].series:
            older.setdefault(target, series)
    if older:
        conn.execute(catalog_items.update().where(catalog_items.c.id == sa.bindparam("_id"),
                                                  sa.func.coalesce(catalog_items.c.series, "") == "")
                     .values(series=sa.bindparam("v_series")), [{"_id": i, "v_series": s} for i, s in older.items()])
