"""Products, runs and price histories for the API's tests, written through the storage module."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage import product_row
from ornaments.storage.schema import price_history, products

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def item(i: int, vendor: str = "shop", price: str | None = "10.00", **changes) -> dict:
    values = {"vendor": vendor, "vendor_product_id": f"P{i}", "name": f"Ornament {i}", "sku": f"QX{i:04d}",
              "url": f"https://s.example/{i}", "price": None if price is None else Decimal(price),
              "currency": None if price is None else "USD", "availability": "in_stock", "release_year": 2020,
              "image_urls": [f"https://s.example/{i}.jpg"]}
    values.update(changes)
    return product_row(values)


def sync(store, rows: list[dict], vendor: str = "shop") -> int:
    run_id, _ = store.start_run("test", vendor, {}, "all", None)
    store.write_batch(run_id, 0, rows)
    store.finish_run(run_id, "finished", "finished", {}, 0)
    return run_id


def add_history(store, vendor_product_id: str, points: list[tuple[int, str | None]], currency: str = "EUR") -> None:
    """Replace a product's price history with (day, price) points, and set its state to the last one."""
    with store.engine.begin() as conn:
        product_id = conn.execute(sa.select(products.c.id).where(
            products.c.vendor_product_id == vendor_product_id)).scalar_one()
        conn.execute(price_history.delete().where(price_history.c.product_id == product_id))
        for day, price in points:
            conn.execute(price_history.insert(), {"product_id": product_id, "price": price,
                                                  "currency": currency if price else None,
                                                  "recorded_at": T0 + timedelta(days=day)})
        last = points[-1][1] if points else None
        conn.execute(products.update().where(products.c.id == product_id).values(
            price=last, currency=currency if last else None, regular_price="25.00" if last else None))
