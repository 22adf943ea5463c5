"""Reading a batch's facts ahead, in a thread, while the server inserts the batch's products: the
database drivers let other Python threads run while they wait, and the reading (about a second per
100,000 listings) was otherwise one more step after it (docs/catalogue.md, "Fifth round").
catalogue.after_batch takes the result."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Mapping, Sequence

from ornaments.catalogue import ladder

Read = Mapping[tuple[str, str], ladder.Facts]


def _new_reader() -> None:
    global _READER
    _READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ornaments-facts")


_new_reader()
# A forked child has no thread behind the parent's executor (its work would wait forever): a new one.
os.register_at_fork(after_in_child=_new_reader)


def read_ahead(rows: Sequence[Mapping[str, Any]]) -> Future[Read]:
    """Start reading the facts of a batch's new listings ({(vendor, vendor_product_id): Facts}), with
    what matching asks of each (its keys, match key and a new item's texts, each worked out once).
    Started while the server inserts the batch (sync's `meanwhile`): started earlier, this thread took
    the interpreter from the one writing the rows to the server (bench/catalogue_match.py: CPU 8.3 ->
    9.4 s when match keys were read here too)."""
    return _READER.submit(_read, rows)


def _read(rows: Sequence[Mapping[str, Any]]) -> Read:
    read = {}
    for r in rows:
        found = read[(r["vendor"], r["vendor_product_id"])] = ladder.facts(r)
        found.keys(), found.match_key(), found.item_texts()
    return read
