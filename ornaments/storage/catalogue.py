"""The catalogue's storage: linking what a batch created or changed to catalogue items (the ladder of
ornaments.catalogue.ladder), in the batch's own transaction, and the item events that follows.

Only the products a batch inserted or updated come here: a re-sync that changes nothing does no
matching work. A listing is (re)matched when it has no link yet or when what rungs 1-2 read from it
(GTINs, numbers, brand, year) changed; a link a person confirmed is never touched.
"""

from __future__ import annotations

import gc
import json
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Mapping, NamedTuple, Sequence

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from ornaments.catalogue import ladder, names
from ornaments.storage import item_prices, item_state
from ornaments.storage.catalogue_ahead import Read
from ornaments.storage.catalogue_bulk import insert_items, insert_links, insert_rows, update_gtins
from ornaments.storage.catalogue_items import fill_series, merge_items
from ornaments.storage.catalogue_lock import lock_catalogue
from ornaments.storage.catalogue_reads import candidates, links_of, load_candidates, proposal_pairs, rejected_pairs
from ornaments.storage.pg_bulk import among
from ornaments.storage.schema import catalog_items, item_keys, item_listings, match_proposals

MAX_PROPOSALS = 3  # rung 3: the best few items per listing
# Rung 3 compares a listing's name with every item of its brand and year; past this many items it compares
# only with the items sharing one of its two rarest words, when those are rare (a first sync of a large
# keyless catalogue would otherwise compare every name with every other: 100,000 products took minutes).
BLOCKING_FROM = 500
RAREST_WORDS = 2
MAX_SHARING = 50  # a word more items share than this does not pick candidates


class NameBlocks:
    """The items of one brand and year by the words of their comparable names."""

    def __init__(self, choices: Mapping[int, str]):
        self.choices = choices
        self.by_word: dict[str, list[int]] = {}
        for item_id, name in choices.items():
            for word in set(name.split()):
                self.by_word.setdefault(word, []).append(item_id)

    def around(self, name: str) -> dict[int, str]:
        """The items that share one of the name's rarest words (two names this similar share most words)."""
        known = sorted((len(self.by_word[w]), w) for w in set(name.split()) if w in self.by_word)
        if not known or known[0][0] > MAX_SHARING:
            return {}  # not one distinctive word: a proposal from hundreds of look-alikes helps nobody
        ids = {i for sharing, word in known[:RAREST_WORDS] if sharing <= MAX_SHARING for i in self.by_word[word]}
        return {i: self.choices[i] for i in ids}


# Rung 3's candidates: the items of a brand and year (built once: a first sync asks for hundreds of groups)
_ITEMS_OF_YEAR = sa.select(catalog_items.c.id, catalog_items.c.name, catalog_items.c.item_number,
                           catalog_items.c.gtins).where(catalog_items.c.brand == sa.bindparam("brand"),
                                                        catalog_items.c.release_year == sa.bindparam("year"))
_KEYLESS_OF_YEAR = _ITEMS_OF_YEAR.where(catalog_items.c.item_number.is_(None),
                                        sa.or_(catalog_items.c.gtins.is_(None), catalog_items.c.gtins == "[]"))


class _Offer(NamedTuple):
    vendor: str | None
    price: Any
    currency: str | None
    availability: str | None
    removed_at: Any


@contextmanager
def _collector_paused():
    """Matching a batch makes hundreds of thousands of objects that live until it ends and are freed by
    reference counting. Each collection of the oldest generation meanwhile scans everything the process
    holds and finds nothing (2.8 s of CPU per 100,000 products in bench/catalogue_match.py): pause the
    cyclic collector for the batch; it runs again, as usual, afterwards."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def after_batch(conn: sa.Connection, written: Sequence[tuple[int, Mapping[str, Any]]], now: datetime,
                ahead: Future[Read] | None = None) -> list[dict]:
    """Match the (product id, row) pairs a batch wrote; return the item events to insert with its own.
    `ahead`: read_ahead of (some of) the rows."""
    if not written:
        return []
    lock_catalogue(conn)  # held to the commit: a concurrent crawl's matching waits (catalogue_lock)
    known = ahead.result() if ahead is not None else {}
    with _collector_paused():
        return _after_batch(conn, written, now, known)


def _after_batch(conn: sa.Connection, written: Sequence[tuple[int, Mapping[str, Any]]], now: datetime,
                 known: Read) -> list[dict]:
    ids = [pid for pid, _ in written]
    links = links_of(conn, ids)
    to_match: list[tuple[int, ladder.Facts, Mapping]] = []
    affected: set[int] = set()
    for pid, row in written:
        link = links.get(pid)
        if link is not None:
            affected.add(link.item_id)
            if link.state == "confirmed":
                continue
        found = known.get((row.get("vendor"), row.get("vendor_product_id"))) or ladder.facts(row)
        if link is None or link.match_key != found.match_key():
            to_match.append((pid, found, row))
    kept: set[int] = set()
    if to_match:
        matcher = Matcher(conn, now)
        affected |= matcher.run(to_match, links)
        kept = matcher.kept_in_merges
    events = item_state.refresh(conn, sorted(affected), now)
    if kept:  # watches moved to them; a state that did not change checked none (checking again emits nothing twice)
        events.extend(item_state.evaluate_watches(conn, sorted(kept), now))
    return events


def gtins_json(gtins: Sequence[str]) -> str:
    """json.dumps(list(gtins)): GTINs are digits, which JSON escapes nothing of (written directly: a first
    sync writes one list per new item)."""
    if all(g.isdigit() and g.isascii() for g in gtins):
        return "[" + ", ".join(f'"{g}"' for g in gtins) + "]"
    return json.dumps(list(gtins))


def new_item_row(found: ladder.Facts, row: Mapping, now: datetime) -> dict:
    images = row.get("image_urls")
    if isinstance(images, str):
        try:
            images = json.loads(images)
        except ValueError:
            images = None
    name, search_name, series_number = found.item_texts()
    return {"brand": found.brand, "item_number": found.number, "name": name, "search_name": search_name,
            "release_year": found.year, "series": row.get("series"), "series_number": series_number,
            "gtins": gtins_json(found.gtins), "image_url": images[0] if images else None,
            "created_at": now, "updated_at": now}




class Matcher:
    """Rungs 1-2 for a batch's listings, new items for the rest, then rung 3's proposals."""

    def __init__(self, conn: sa.Connection, now: datetime):
        self.conn, self.now = conn, now
        self.kept_in_merges: set[int] = set()  # items that took another's listings, keys and watches

    def run(self, to_match: list[tuple[int, ladder.Facts, Mapping]], links: Mapping[int, sa.Row]) -> set[int]:
        conn, now = self.conn, self.now
        rows_by_pid = {pid: row for pid, _, row in to_match}
        keys_of = {pid: found.keys() for pid, found, _ in to_match}
        keyed = candidates(conn, (k for keys in keys_of.values() for k in keys))
        stored_keys = {(kind, key, i) for (kind, key), ids in keyed.items() for i in ids}  # before the batch's
        items = load_candidates(conn, (i for ids in keyed.values() for i in ids))
        rejected = rejected_pairs(conn, [pid for pid, _, _ in to_match])
        pending: list[dict] = []  # new items of this batch; as candidates their ids are -1, -2, ...
        merges: list[tuple[int, int]] = []  # (kept, merged) items one listing's keys showed to be one
        decided: list[tuple[int, ladder.Facts, int, str, float]] = []
        # Listings with the most keys first: they tie a batch's GTINs and numbers together; dated before yearless.
        for pid, found, row in sorted(to_match, key=lambda m: (-(bool(m[1].gtins) + bool(m[1].number)), m[1].year is None)):
            # (most listings of a first sync find no item: the rungs are asked only about candidates)
            fitting = self._fitting(pid, [("gtin", g) for g in found.gtins], keyed, items, rejected) if found.gtins else None
            by_gtin = ladder.gtin_link(found, fitting) if fitting else None
            fitting = self._fitting(pid, [("number", k) for k in found.number_keys()], keyed, items,
                                    rejected) if found.number else None
            by_number = ladder.number_link(found, fitting) if fitting else None
            if by_gtin is not None:
                item, method, confidence = by_gtin, "gtin", ladder.GTIN_CONFIDENCE
                if by_number is not None and by_number.id != by_gtin.id and by_gtin.id > 0 and by_number.id > 0:
                    merges.append((min(by_gtin.id, by_number.id), max(by_gtin.id, by_number.id)))
            elif by_number is not None:
                item, method, confidence = by_number, "number", ladder.NUMBER_CONFIDENCE
            else:
                pending.append(new_item_row(found, row, now))
                item = ladder.Candidate(-len(pending), found.brand, found.number, found.year, found.name, found.gtins)
                items[item.id] = item
                method, confidence = "new", 1.0
            for key in keys_of[pid]:  # later listings of the batch find the item by this listing's keys
                if item.id not in keyed.setdefault(key, []):
                    keyed[key].append(item.id)
            if found.gtins and item.id in items and not set(found.gtins) <= set(items[item.id].gtins):
                old = items[item.id]
                items[item.id] = ladder.Candidate(old.id, old.brand, old.number, old.year, old.name,
                                                  tuple(sorted(set(old.gtins) | set(found.gtins))), old.series)
            if found.year is not None and item.year is None and item.id in items:
                self._dated(item.id, found.year, items, pending)
            known = items.get(item.id)
            if found.number and known and (not known.number or (not known.brand and found.brand)):
                self._numbered(item.id, found, items, pending)
            decided.append((pid, found, item.id, method, confidence))
        # A new item's listings are all in this batch: its state is known now (no refresh, no events: its
        # listings' created events tell it). One that a listing moved into from another item starts empty
        # instead and is refreshed with the older items: its offers appear as a change (no created event
        # tells of a listing that existed already).
        offers_of_new: dict[int, list[_Offer]] = {}
        moved_into: set[int] = set()  # pending indexes
        for pid, found, target, method, confidence in decided:
            if target < 0:
                row = rows_by_pid[pid]
                offers_of_new.setdefault(-target - 1, []).append(_Offer(
                    row.get("vendor"), row.get("price"), row.get("currency"), row.get("availability"), None))
                if pid in links:
                    moved_into.add(-target - 1)
        for index, offers in offers_of_new.items():
            pending[index].update(item_state.compute([] if index in moved_into else offers), state_at=now,
                                  gtins=gtins_json(sorted(items[-index - 1].gtins)))  # every listing's
        fill_series(conn, decided, rows_by_pid, pending, items)
        new_ids = insert_items(conn, pending)
        item_prices.store(conn, [(i, row["best_prices"]) for i, row in zip(new_ids, pending)], new=True)
        fresh_items = set(new_ids)
        affected: set[int] = {new_ids[i] for i in moved_into}
        listing_rows: list[tuple] = []  # in catalogue_bulk.LINK_COLUMNS order
        key_rows: set[tuple[str, str, int]] = set()
        fresh: list[tuple[int, ladder.Facts, int]] = []
        for pid, found, target, method, confidence in decided:
            item_id = new_ids[-target - 1] if target < 0 else target
            if method == "new":
                fresh.append((pid, found, item_id))
            old = links.get(pid)
            if old is not None:
                affected.add(old.item_id)
            if item_id not in fresh_items:
                affected.add(item_id)
            listing_rows.append((pid, item_id, method, confidence, "auto", found.match_key(), now))
            key_rows.update((kind, key, item_id) for kind, key in keys_of[pid])
        moved = [r[0] for r in listing_rows if r[0] in links]
        for where in among(conn, item_listings.c.product_id, moved):
            conn.execute(item_listings.delete().where(where))
        if listing_rows:
            insert_links(conn, listing_rows)
        self._add_keys(key_rows, fresh_items, items, stored_keys)
        for kept, merged in sorted(set(merges)):
            if merge_items(conn, kept, merged, now, by_machine=True):
                affected.discard(merged)
                affected.add(kept)  # it has the merged item's offers now (it may have had no listing in the batch)
                self.kept_in_merges.add(kept)
        self._propose(fresh, rejected)
        return affected

    def _dated(self, item_id: int, year: int, items: dict[int, ladder.Candidate], pending: list[dict]) -> None:
        """A yearless item that a dated listing joins takes its year: a listing of that number in another
        year (Hallmark reused numbers) then no longer fits it, and the /items year filter finds it."""
        items[item_id] = items[item_id]._replace(year=year)
        if item_id < 0:
            pending[-item_id - 1]["release_year"] = year
        else:  # rare: one statement per such item
            self.conn.execute(catalog_items.update().where(catalog_items.c.id == item_id,
                                                           catalog_items.c.release_year.is_(None)).values(release_year=year))

    def _numbered(self, item_id: int, found: ladder.Facts, items: dict[int, ladder.Candidate], pending: list[dict]) -> None:
        """An item made from a listing without a number (a GTIN alone) or brand takes those of a listing
        linked to it: /items shows and finds the number, a later listing's GTIN with another number no
        longer fits it, and rung 3 compares it with its brand's items."""
        old = items[item_id]
        number, brand = old.number or found.number, old.brand or found.brand
        items[item_id] = old._replace(number=number, brand=brand)
        if item_id < 0:
            pending[-item_id - 1].update(item_number=number, brand=brand)
        else:  # rare: one statement per such item
            self.conn.execute(catalog_items.update().where(catalog_items.c.id == item_id).values(
                item_number=sa.func.coalesce(catalog_items.c.item_number, number),
                brand=sa.case((catalog_items.c.brand == "", brand), else_=catalog_items.c.brand)))

    @staticmethod
    def _fitting(pid, kind_keys, keyed, items, rejected) -> list[ladder.Candidate]:
        """The items of these keys: stored ones by id, then the batch's new ones in order of making."""
        ids = [i for k in kind_keys for i in keyed.get(k, ())]
        if not ids:  # most listings of a first sync: asked for twice each
            return []
        if len(ids) > 1:
            ids = sorted(set(ids), key=lambda i: (i < 0, abs(i)))
        return [items[i] for i in ids if i in items and (pid, i) not in rejected]

    def _add_keys(self, key_rows: set[tuple[str, str, int]], fresh_items: set[int], items: Mapping,
                  have: set[tuple[str, str, int]]) -> None:
        """Record the keys of linked listings on their items (the union of all their listings' keys).
        A new item's keys are new; an older item's may be stored already: `have`, every stored row of
        the batch's keys, read by candidates (the same transaction: nothing wrote item_keys since)."""
        if not key_rows:
            return
        missing = sorted(key_rows - have)
        if missing:
            insert_rows(self.conn, item_keys, ("kind", "key", "item_id"), missing)
        # rung 1 reads an item's GTINs from its row: the older items that got new ones (items: their union)
        grown = sorted({i for kind, _, i in missing if kind == "gtin" and i not in fresh_items})
        if grown:
            update_gtins(self.conn, [(i, gtins_json(sorted(items[i].gtins))) for i in grown if i in items])

    def _propose(self, fresh: list[tuple[int, ladder.Facts, int]], rejected: set[tuple[int, int]]) -> None:
        """Rung 3: listings that got an item of their own, against older items of their brand and year."""
        groups: dict[tuple[str, int], list[tuple[int, ladder.Facts, int]]] = {}
        for pid, found, own in fresh:
            if found.year is not None:
                groups.setdefault((found.brand, found.year), []).append((pid, found, own))
        proposals = []
        for (brand, year), members in groups.items():
            keyed_only = all(f.gtins or f.number for _, f, _ in members)  # listings with keys look at keyless items only
            rows = list(self.conn.execute(_KEYLESS_OF_YEAR if keyed_only else _ITEMS_OF_YEAR, {"brand": brand, "year": year}))
            if not rows:
                continue
            choices = {r.id: names.comparable(r.name) for r in rows}
            by_id = {r.id: r for r in rows}
            blocks = NameBlocks(choices) if len(choices) > BLOCKING_FROM else None
            for pid, found, own in members:
                hits = process.extract(found.comparable, blocks.around(found.comparable) if blocks else choices,
                                       scorer=fuzz.token_sort_ratio, score_cutoff=ladder.NAME_THRESHOLD,
                                       limit=MAX_PROPOSALS + 5)
                made = 0
                for _name, _score, item_id in hits:
                    r = by_id[item_id]
                    keyless = not r.item_number and r.gtins in (None, "[]")
                    if item_id == own or (pid, item_id) in rejected or made >= MAX_PROPOSALS:
                        continue
                    # Each pair once: a listing without keys is proposed for any item; one with keys only
                    # for an older item without keys (two items with keys were kept apart by rungs 1-2).
                    if (found.gtins or found.number) and not (keyless and item_id < own):
                        continue
                    if not (found.gtins or found.number) and keyless and item_id > own:
                        continue
                    candidate = ladder.Candidate(r.id, brand, r.item_number, year, r.name,
                                                 tuple(json.loads(r.gtins or "[]")))
                    verdict = ladder.name_proposal(found, candidate)
                    if verdict:
                        score, reasons = verdict
                        proposals.append({"product_id": pid, "item_id": item_id, "score": score,
                                          "reasons": json.dumps(reasons), "state": "open", "created_at": self.now})
                        made += 1
        if proposals:
            self._insert_new_proposals(proposals)

    def _insert_new_proposals(self, proposals: list[dict]) -> None:
        have = proposal_pairs(self.conn, sorted({p["product_id"] for p in proposals}))
        fresh = [p for p in proposals if (p["product_id"], p["item_id"]) not in have]
        if fresh:
            self.conn.execute(match_proposals.insert(), fresh)
