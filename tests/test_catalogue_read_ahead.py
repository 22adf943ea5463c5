"""catalogue_ahead.read_ahead: a batch's facts read in a thread are the ladder's facts, and a forked child (whose
copy of the executor has no thread behind it) still gets them instead of waiting forever."""

from __future__ import annotations

import os

from ornaments.catalogue import ladder
from ornaments.storage import catalogue_ahead as catalogue

ROWS = [{"vendor": "shop_a", "vendor_product_id": "A1", "name": "Frosty Friends 2023 QX9201", "brand": "Hallmark"},
        {"vendor": "shop_b", "vendor_product_id": "B7", "name": "Snow Buddies", "gtin": "0763795920150"}]


def test_facts_read_ahead_are_the_ladders():
    read = catalogue.read_ahead(ROWS).result(timeout=10)
    assert read == {(r["vendor"], r["vendor_product_id"]): ladder.facts(r) for r in ROWS}


def test_a_forked_child_reads_ahead_too():
    catalogue.read_ahead(ROWS).result(timeout=10)  # the parent's thread is running
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's exit code is the result
        try:
            ok = catalogue.read_ahead(ROWS).result(timeout=5)[("shop_a", "A1")].number == "QX9201"
        except Exception:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
