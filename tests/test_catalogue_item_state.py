"""An item's state (offers, shops in stock, best price per currency, best price and its currency) is the
same whichever way it is computed: PostgreSQL computes it in one SQL statement per batch
(item_state_pg), SQLite and MariaDB in Python (item_state.compute). Here items with mixed currencies,
ties, missing prices and currencies, unavailable and removed listings, and a currency code that is not
plain letters (left to the Python path), are refreshed and their stored state checked against compute()."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.clock import utcnow
from ornaments.storage import item_state, product_row
from ornaments.storage.schema import catalog_items, item_listings, item_prices, product_events, products

SHOPS = ("shop_a", "shop_b", "shop_c", "shop_d", "shop_e")
CURRENCIES = ("USD", "USD", "EUR", "GBP", None, "U$")


def _listing(rng: random.Random, shop: str, n: int) -> dict:
    price = None if rng.random() < 0.15 else Decimal(rng.randint(100, 400)) / 4  # ties on purpose
    return product_row({"vendor": shop, "vendor_product_id": f"{shop}-{n}", "name": f"Ornament {n}",
                        "sku": f"QX{1000 + n}", "brand": "Hallmark", "release_year": 2021, "price": price,
                        "currency": rng.choice(CURRENCIES), "url": f"https://{shop}.example/{n}",
                        "availability": rng.choice(("in_stock", "in_stock", "preorder", "out_of_stock", None))})


def price_rows_of_states(conn) -> tuple[dict, dict]:
    """(item_prices as {item: {currency: price}}, the same read from each item's best_prices JSON)."""
    rows: dict[int, dict] = {}
    for r in conn.execute(sa.select(item_prices)):
        rows.setdefault(r.item_id, {})[r.currency] = Decimal(r.price).quantize(Decimal("0.01"))
    wanted = {r.id: {c: Decimal(p) for c, p in json.loads(r.best_prices).items()}
              for r in conn.execute(sa.select(catalog_items.c.id, catalog_items.c.best_prices))
              if r.best_prices and r.best_prices != "{}"}
    return rows, wanted


def _states(conn) -> dict[int, dict]:
    rows = conn.execute(sa.select(catalog_items.c.id, *(catalog_items.c[k] for k in item_state.STATE_COLUMNS)))
    return {r.id: {k: r._mapping[k] for k in item_state.STATE_COLUMNS} for r in rows}


@pytest.mark.three_databases
def test_stored_states_are_compute_of_the_offers(matching_store):
    rng = random.Random(7)
    store = matching_store
    for round_no in range(3):  # new items, then shops joining them and changing (the refresh of older items)
        for shop in SHOPS:
            store.write_batch(None, 0, [_listing(rng, shop, n) for n in range(40) if rng.random() < 0.6])
    with store.engine.begin() as conn:  # some listings gone
        removed = [r.id for r in conn.execute(sa.select(products.c.id, products.c.sku))
                   if r.sku == "QX1000" or rng.random() < 0.2]  # every listing of one item, some of others
        conn.execute(products.update().where(products.c.id.in_(removed)).values(removed_at=utcnow()))
        before = conn.execute(sa.select(sa.func.count()).select_from(product_events)).scalar()
        ids = sorted(conn.execute(sa.select(catalog_items.c.id)).scalars())
        events = item_state.after_removal(conn, removed, utcnow())
    with store.engine.connect() as conn:
        offers = item_state.offers_of(conn, ids)
        stored = _states(conn)
        linked = set(conn.execute(sa.select(item_listings.c.item_id)).scalars())
    assert len(ids) >= 30 and linked == set(ids)
    computed = {i: item_state.compute(offers[i]) for i in ids}
    assert stored == computed
    with store.engine.connect() as conn:  # /items sorts by these rows: the same prices as best_prices
        rows, wanted = price_rows_of_states(conn)
    assert rows == wanted and any(len(p) >= 2 for p in rows.values())
    assert any(s["best_prices"].count(":") >= 2 for s in computed.values())  # items with two currencies
    assert any('"U$"' in s["best_prices"] for s in computed.values())  # the Python path's on PostgreSQL
    assert any(s["offers"] == 0 for s in computed.values()) and before > 0
    assert {e["type"] for e in events} <= {"item_best_price_changed", "item_stock_changed"} and events
    with store.engine.begin() as conn:  # nothing changed: nothing written, no events
        stamps = dict(conn.execute(sa.select(catalog_items.c.id, catalog_items.c.state_at)).all())
        assert item_state.refresh(conn, ids, utcnow()) == []
        assert dict(conn.execute(sa.select(catalog_items.c.id, catalog_items.c.state_at)).all()) == stamps
