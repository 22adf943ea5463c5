"""What matching reads before it decides: a batch's listings' links, the stored items their keys find
(as the ladder's Candidates), and the pairs a person rejected. On PostgreSQL the lookups of thousands of
rows a batch run on the connection's own cursor (pg_bulk.fetch_all)."""

from __future__ import annotations

import json
from typing import Iterable, Sequence

import sqlalchemy as sa

from ornaments.catalogue import ladder
from ornaments.storage.pg_bulk import among, fetch_all
from ornaments.storage.schema import catalog_items, item_keys, item_listings, match_proposals


def at_most(conn, column: sa.Column, ids: Sequence[int]) -> list[int]:
    """The ids that may have a row: none above the column's largest value (a batch's new products have
    ids above every linked or proposed one, so a first sync asks nothing). One index probe."""
    top = conn.execute(sa.select(sa.func.max(column))).scalar()
    return [] if top is None else [i for i in ids if i <= top]


def links_of(conn, ids: Sequence[int]) -> dict[int, sa.Row]:
    found = {}
    for where in among(conn, item_listings.c.product_id, at_most(conn, item_listings.c.product_id, ids)):
        for row in conn.execute(sa.select(item_listings).where(where)).all():
            found[row.product_id] = row
    return found


_KEYS_PG = "SELECT key, item_id FROM item_keys WHERE kind = %(kind)s AND key = ANY(CAST(%(keys)s AS text[]))"
_CANDIDATES_PG = ("SELECT id, brand, item_number, release_year, name, gtins, series FROM catalog_items "
                  "WHERE id = ANY(CAST(%(ids)s AS bigint[]))")


def candidates(conn, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """The stored items of each (kind, key) (_fitting puts them in order)."""
    by_kind: dict[str, list[str]] = {}
    for kind, key in set(keys):
        by_kind.setdefault(kind, []).append(key)
    found: dict[tuple[str, str], list[int]] = {}
    for kind, values in by_kind.items():
        if conn.dialect.name == "postgresql":  # thousands of rows a batch: as tuples (pg_bulk.fetch_all)
            rows = fetch_all(conn, _KEYS_PG, {"kind": kind, "keys": values})
        else:
            rows = [tuple(r) for where in among(conn, item_keys.c.key, values) for r in conn.execute(
                sa.select(item_keys.c.key, item_keys.c.item_id).where(item_keys.c.kind == kind, where))]
        for key, item_id in rows:
            found.setdefault((kind, key), []).append(item_id)
    return found


def load_candidates(conn, item_ids: Iterable[int]) -> dict[int, ladder.Candidate]:
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    if conn.dialect.name == "postgresql":
        rows = fetch_all(conn, _CANDIDATES_PG, {"ids": ids})
    else:
        rows = [tuple(r) for where in among(conn, catalog_items.c.id, ids) for r in conn.execute(
            sa.select(catalog_items.c.id, catalog_items.c.brand, catalog_items.c.item_number,
                      catalog_items.c.release_year, catalog_items.c.name, catalog_items.c.gtins,
                      catalog_items.c.series).where(where))]
    items: dict[int, ladder.Candidate] = {}
    for item_id, brand, number, year, name, gtins, series in rows:
        items[item_id] = ladder.Candidate(item_id, brand, number, year, name,
                                          tuple(json.loads(gtins)) if gtins and gtins != "[]" else (), series)
    return items


def proposal_pairs(conn, product_ids: Sequence[int], state: str | None = None) -> set[tuple[int, int]]:
    """The (product id, item id) pairs proposed for these products (in this state, or any)."""
    found = set()
    for where in among(conn, match_proposals.c.product_id, at_most(conn, match_proposals.c.product_id, product_ids)):
        query = sa.select(match_proposals.c.product_id, match_proposals.c.item_id).where(where)
        if state is not None:
            query = query.where(match_proposals.c.state == state)
        found.update((r.product_id, r.item_id) for r in conn.execute(query))
    return found


def rejected_pairs(conn, product_ids: Sequence[int]) -> set[tuple[int, int]]:
    """The pairs a person rejected: the machine never proposes or links them again."""
    return proposal_pairs(conn, product_ids, "rejected")
