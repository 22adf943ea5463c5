"""Reading a batch's facts ahead, in a thread, while the batch's products are written: that is mostly
the server's work, during which the database drivers let other Python threads run, and the reading
(about a second per 100,000 listings) was otherwise one more step after it (docs/catalogue.md,
"Fifth round"). catalogue.after_batch takes the result."""

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
    """Start reading the facts of a batch's new listings ({(vendor, vendor_product_id): Facts}). Only
    the facts: working out their match keys here too made the batch slower (bench/catalogue_match.py,
    CPU 8.3 -> 9.4 s): the two threads took the interpreter from each other."""
    return _READER.submit(lambda: {(r["vendor"], r["vendor_product_id"]): ladder.facts(r) for r in rows})
