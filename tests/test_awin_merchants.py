"""An Awin feed of several merchants synced without -a merchant (issue 24): every merchant is its own
source (vendor awin_<id>) with its own run record, and removal stays inside each merchant, judged per
merchant: a merchant absent from the feed removes nothing, nor does one whose rows were all unreadable."""

from __future__ import annotations

import json

import pytest

from tests.test_awin import HEADER, crawl, row, stored


def feed_of(products: dict[str, list[str]]) -> str:
    return HEADER + "".join(row(merchant, p) for merchant, ids in products.items() for p in ids)


def unnamed_row(merchant: str, product: str) -> str:
    """A row validation drops (no product_name) whose id is still readable."""
    return row(merchant, product).replace(f",Ornament {product},", ",,")


def runs_of(runs, crawl_run) -> dict[str, object]:
    """The source runs a crawl's own run recorded, by vendor."""
    sources = json.loads(crawl_run.details)["source_runs"]
    by_id = {r.id: r for r in runs}
    return {vendor: by_id[run_id] for vendor, run_id in sources.items()}


@pytest.mark.parametrize("database", ["sqlite_url", "pg_url", "mariadb_url"])
def test_every_merchant_is_synced_as_its_own_source_and_removes_only_within_itself(database, request, tmp_path):
    url = request.getfixturevalue(database)
    feed = tmp_path / "feed.csv"
    merchants = {"111": [f"A{n}" for n in range(1, 6)], "222": [f"B{n}" for n in range(1, 6)],
                 "333": [f"C{n}" for n in range(1, 6)]}
    feed.write_text(feed_of(merchants))
    first = crawl(url, feed.as_uri())
    rows, runs = stored(url)
    assert first.returncode == 0, first
    assert sorted(rows) == sorted((f"awin_{m}", p) for m, ids in merchants.items() for p in ids)
    assert runs[0].vendor == "awin" and runs[0].status == "finished"
    sources = runs_of(runs, runs[0])
    assert sorted(sources) == ["awin_111", "awin_222", "awin_333"]
    assert all(r.status == "finished" and r.items_seen == 5 for r in sources.values())

    # Next day: A5 gone from merchant 111, merchant 222 unchanged, merchant 333 absent from the feed.
    feed.write_text(feed_of({"111": merchants["111"][:4], "222": merchants["222"]}))
    second = crawl(url, feed.as_uri())
    rows, runs = stored(url)
    assert second.returncode == 0, second
    crawl_run = [r for r in runs if r.vendor == "awin"][-1]
    sources = runs_of(runs, crawl_run)
    assert sorted(sources) == ["awin_111", "awin_222"]  # no run, so no removal, for the absent merchant
    assert (sources["awin_111"].status, sources["awin_111"].items_removed) == ("finished", 1)
    assert (sources["awin_222"].status, sources["awin_222"].items_removed) == ("finished", 0)
    assert crawl_run.items_removed == 0
    removed = sorted(key for key, r in rows.items() if r.removed_at is not None)
    assert removed == [("awin_111", "A5")]
    assert all(rows[("awin_333", p)].removed_at is None for p in merchants["333"])
    assert "also holds merchants" not in second.log and "several merchants" not in second.log


def test_a_merchant_whose_rows_are_all_unreadable_removes_nothing(sqlite_url, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(feed_of({"111": ["A1", "A2"], "222": ["B1", "B2"]}))
    assert crawl(sqlite_url, feed.as_uri()).returncode == 0
    # Merchant 222's rows now all lack their name (and name other products); 111 lost A2. Guard and
    # drop share off: only the per-merchant judgement keeps B1 and B2.
    feed.write_text(feed_of({"111": ["A1"]}) + unnamed_row("222", "B8") + unnamed_row("222", "B9"))
    result = crawl(sqlite_url, feed.as_uri(), ORNAMENTS_MAX_REMOVAL_SHARE="1", ORNAMENTS_MAX_DROP_SHARE="1")
    rows, runs = stored(sqlite_url)
    sources = runs_of(runs, [r for r in runs if r.vendor == "awin"][-1])
    assert sources["awin_222"].status == "incomplete" and sources["awin_222"].items_removed == 0, result
    assert "no readable record of awin_222" in sources["awin_222"].reasons
    assert rows[("awin_222", "B1")].removed_at is None and rows[("awin_222", "B2")].removed_at is None
    assert (sources["awin_111"].status, sources["awin_111"].items_removed) == ("finished", 1)
    assert rows[("awin_111", "A2")].removed_at is not None
    assert result.returncode == 4  # the crawl's worst source: incomplete


def test_a_suspect_crawl_removes_nothing_in_any_merchant(sqlite_url, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(feed_of({"111": ["A1", "A2"], "222": ["B1", "B2"]}))
    assert crawl(sqlite_url, feed.as_uri()).returncode == 0
    # Mass drops in merchant 111 make the whole crawl suspect: merchant 222 (B2 gone) removes nothing either.
    feed.write_text(feed_of({"111": ["A1"], "222": ["B1"]}) + "".join(unnamed_row("111", f"A{n}") for n in (7, 8, 9)))
    result = crawl(sqlite_url, feed.as_uri(), ORNAMENTS_MAX_REMOVAL_SHARE="1")
    rows, runs = stored(sqlite_url)
    assert result.returncode == 3 and all(r.removed_at is None for r in rows.values()), result
    assert all(r.items_removed == 0 and r.status == "suspect" for r in runs[-3:])
