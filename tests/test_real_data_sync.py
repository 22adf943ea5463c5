"""Acceptance: every real third-party file in shared/real-data synced by `scrapy crawl` into a database,
exactly as it is (never copied into this repository), and what got stored. Skipped only where that
folder does not exist (tests/real_data.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ornaments.storage.schema import products, sync_runs
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.real_data import REAL_DATA, needs_real_data

pytestmark = [pytest.mark.slow, needs_real_data]

# file: (spider, extra arguments, products stored, {id: (name, price, regular price, currency)}, drops)
CASES = {
    "bestseller-clivern.xml": ("bestseller", (), 2, {
        "2445456": ("Bootleg Front Washed", "49.95", None, "EUR"),
        "2445457": ("Bootleg Front Washed", "49.95", None, "EUR")}, {}),
    "bestseller-etl-loader-2items.xml": ("bestseller", (), 2, {
        "100": ("Dark Side of the Moon", "101.20", None, "DKK"),
        "101": ("Dark Side of the Moon-2", "2.00", None, "EUR")}, {}),
    "gm-atom-prestashop-module-export.xml": ("google_merchant", ("currency=EUR",), 14, {
        "1": ("Ipod nano", "189.05", "189.05", "EUR")}, {}),  # regular_price is always g:price
    "gm-sooq-alemarat-aed.xml": ("google_merchant", (), 5, {
        "1": ("غسالة محمولة قابلة للطي", "150.00", "200.00", "AED")}, {}),
    "gm-sooq-alemarat-aed.csv": ("products_csv", (), 5, {
        "1": ("غسالة محمولة قابلة للطي", "150.00", "200.00", "AED")}, {}),
    "products-importer-acme-medium.csv": ("products_csv", (), 1998, {
        "lay-raise-best-end": ("Bryce Jones", None, None, None)}, {"duplicate": 2}),
    "woocommerce-sample_products.csv": ("products_csv", ("currency=USD",), 21, {
        "cc-beanie": ("Beanie", "18.00", "20.00", "USD")}, {}),
    "shopify-product_template.csv": ("products_csv", ("currency=USD",), 16, {
        "HAT_GRY_275": ("Example Beanie", "17.99", "22.99", "USD")}, {}),
}


def money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_real_file_syncs_as_it_is(name, sqlite_url):
    spider, arguments, count, expected, drops = CASES[name]
    args = [a for pair in (("-a", a) for a in arguments) for a in pair]
    result = run_scrapy("crawl", spider, "-a", f"feed={(REAL_DATA / name).as_uri()}", *args,
                        env=scrapy_env(DATABASE_URL=sqlite_url))
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        run = conn.execute(sa.select(sync_runs)).one()
        stored = {r.vendor_product_id: r for r in conn.execute(sa.select(products))}
    engine.dispose()
    assert (run.status, result.returncode) == ("finished", 0), result
    assert len(stored) == count and json.loads(run.dropped_reasons) == drops, result
    for key, (product_name, price, regular, currency) in expected.items():
        row = stored[key]
        assert (row.name, row.price, row.regular_price, row.currency) == (
            product_name, money(price), money(regular), currency)
