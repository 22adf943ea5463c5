"""Rakuten Advertising's pipe-delimited catalogue: the real row read with the right values; a trailer
count that disagrees (or no trailer) is a file cut short that removes nothing; a delta file's D rows
remove exactly those products and nothing else."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from ornaments.storage.schema import products, sync_runs
from ornaments.spiders.rakuten import RakutenSpider
from tests.fixtures.crawl import PROJECT_ROOT, run_scrapy, scrapy_env
from tests.test_feed_spiders import make_spider, parse
from tests.real_data import REAL_DATA, needs_real_data

EXAMPLE = (PROJECT_ROOT / "feeds" / "rakuten.txt").read_text().splitlines()
HDR, ROWS = EXAMPLE[0], EXAMPLE[1:-1]  # three products: 1001, 1002, 1003


def stored(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {r.vendor_product_id: r for r in conn.execute(sa.select(products))}
        runs = conn.execute(sa.select(sync_runs).order_by(sync_runs.c.id)).all()
    engine.dispose()
    return rows, runs


def sync(url: str, path, *args: str):
    extra = [a for pair in (("-a", a) for a in args) for a in pair]
    return run_scrapy("crawl", "rakuten", "-a", "merchant=508728", "-a", f"feed={path}", *extra,
                      env=scrapy_env(DATABASE_URL=url, ORNAMENTS_MAX_REMOVAL_SHARE="1"))


def write(path, rows, count=None, trailer=True):
    path.write_text("\n".join([HDR, *rows, *([f"TRL|{len(rows) if count is None else count}"] if trailer else [])]) + "\n")
    return path


def flagged(row: str, flag: str) -> str:
    return row.rsplit("|", 1)[0] + "|" + flag


@needs_real_data
def test_the_real_rakuten_row_syncs_with_the_right_values(sqlite_url, tmp_path):
    real = (REAL_DATA / "rakuten-pipe-row-EXCERPT.txt").read_text(encoding="utf-8").strip()
    feed = tmp_path / "catalogue.txt"
    feed.write_text(f"HDR|508728|Rakuten Global Market|2016-01-01/00:00:00\n{real}\nTRL|1\n", encoding="utf-8")
    result = sync(sqlite_url, feed)
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, result.returncode) == ("finished", 0), result
    cd = rows["11543387968"]
    # sku: the manufacturer part number (field 20) before the merchant's SKU (field 3), as other networks' mpn
    assert (cd.name, cd.sku, cd.price, cd.regular_price, cd.currency) == (
        "V.A. Cd10929 Release", "5213964844", Decimal("18.00"), Decimal("18.00"), "USD")
    assert cd.availability == "in_stock"  # あり
    assert cd.affiliate_url.startswith("http://click.linksynergy.com/link?id=CrWs39duuW8&offerid=508728.11543387968")
    assert cd.url.startswith("http://global.rakuten.com/en/store/ajewelry/item/vicl-63562?hi_cu_id=usd")  # murl decoded
    assert cd.brand == "ajewelry" and cd.category == "Animals & Pet Supplies"


def test_a_trailer_that_disagrees_or_is_missing_removes_nothing(sqlite_url, tmp_path):
    assert sync(sqlite_url, write(tmp_path / "full.txt", ROWS)).returncode == 0
    for name, feed in (("short", write(tmp_path / "short.txt", ROWS[:1], count=3)),
                       ("no-trailer", write(tmp_path / "cut.txt", ROWS[:1], trailer=False))):
        result = sync(sqlite_url, feed)
        rows, runs = stored(sqlite_url)
        assert runs[-1].status == "incomplete" and runs[-1].items_removed == 0, (name, result)
        assert all(r.removed_at is None for r in rows.values()), name
    assert "its TRL line counts '3' rows, the file has 1" in sync(sqlite_url, tmp_path / "short.txt").log


def test_a_complete_file_that_lacks_a_product_removes_it(sqlite_url, tmp_path):
    assert sync(sqlite_url, write(tmp_path / "full.txt", ROWS)).returncode == 0
    result = sync(sqlite_url, write(tmp_path / "full.txt", ROWS[:2]))
    rows, runs = stored(sqlite_url)
    assert (runs[-1].status, runs[-1].items_removed) == ("finished", 1), result
    assert rows["1003"].removed_at is not None


def test_a_delta_removes_exactly_its_deleted_products(sqlite_url, tmp_path):
    assert sync(sqlite_url, write(tmp_path / "full.txt", ROWS)).returncode == 0
    # The delta updates 1001 and deletes 1002; 1003 is not in it and stays.
    delta = write(tmp_path / "508728_3750000_mp_delta.txt", [ROWS[0].replace("|24.99|", "|19.99|"), flagged(ROWS[1], "D")])
    result = sync(sqlite_url, delta)
    rows, runs = stored(sqlite_url)
    assert (runs[-1].mode, runs[-1].status) == ("partial", "partial"), result
    assert rows["1002"].removed_at is not None and rows["1002"].availability == "discontinued"
    assert rows["1001"].removed_at is None and rows["1001"].price == Decimal("19.99")
    assert rows["1003"].removed_at is None  # a delta is no whole catalogue: nothing else goes
    assert runs[-1].items_removed == 1


def test_a_delta_cut_short_removes_none_of_its_deleted_products(sqlite_url, tmp_path):
    assert sync(sqlite_url, write(tmp_path / "full.txt", ROWS)).returncode == 0
    delta = write(tmp_path / "d.txt", [flagged(ROWS[1], "D")], count=2)
    result = sync(sqlite_url, delta, "delta=true")
    rows, runs = stored(sqlite_url)
    assert runs[-1].status == "incomplete" and rows["1002"].removed_at is None, result


def with_fields(row: str, **values: str) -> str:
    """A row with some fields replaced: sku (3), brand (17), mpn (20), manufacturer (21), upc (24)."""
    fields = row.split("|")
    for name, value in values.items():
        fields[{"sku": 2, "brand": 16, "mpn": 19, "manufacturer": 20, "upc": 23}[name]] = value
    return "|".join(fields)


def test_the_manufacturer_part_number_and_manufacturer_are_read_beside_the_merchants_sku_and_brand():
    rows = [with_fields(ROWS[0], sku="TT-2201", mpn="QX8993", brand="", manufacturer="Hallmark", upc="49631791505"),
            with_fields(ROWS[1], sku="TT-2330", mpn="Does not apply", brand="Hallmark Keepsake", upc="")]
    items = parse(make_spider(RakutenSpider, merchant="508728"), "\n".join([HDR, *rows, "TRL|2"]).encode())
    assert [(i["sku"], i["brand"], i["gtin"]) for i in items] == [
        ("QX8993", "Hallmark", "049631791505"), ("TT-2330", "Hallmark Keepsake", None)]
