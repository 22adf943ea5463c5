"""The catalogue's surfaces against the wrong things an operator types and an API client sends (issue 23):
`scrapy matches` answers one line on stderr and a non-zero exit, never a traceback nor a new database;
/items, /matches, POST /watches and the review pages answer a clear 4xx naming the field (a page for the
pages), never a 500, and store nothing when they refuse."""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from ornaments.api import csrf
from ornaments.commands.failures import DATABASE_EXIT
from ornaments.env import USAGE_EXIT
from ornaments.storage import CatalogStore
from ornaments.storage.catalogue_review import Review, WatchExists, create_watch
from ornaments.storage.schema import catalog_items, item_listings, match_proposals, watches
from tests.fixtures.crawl import scrapy_command, scrapy_env
from tests.helpers import refused_port
from tests.test_catalogue_api import seed as seed_api
from tests.test_catalogue_review import item_of, listing, seed
from tests.test_catalogue_review_pages import logged_in
from tests.test_storage import table

HUGE = "9" * 25  # beyond BIGINT (2**63 - 1 has 19 digits)


def one_line(result, code: int) -> str:
    """The one line a refused command wrote on stderr, after checking there is nothing else."""
    assert result.returncode == code, (result.args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == "", (result.args, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, (result.args, result.stderr)
    return lines[0]


@pytest.fixture
def seeded_sqlite(sqlite_url):
    store = CatalogStore(sqlite_url, match_catalogue=True)
    store.create_tables()
    seed(store)
    yield store
    store.close()


def state_of(store) -> tuple:
    """Everything a decision could change: the links, the proposals' states, the items."""
    return (table(store, sa.select(item_listings.c.product_id, item_listings.c.item_id).order_by(item_listings.c.product_id)),
            table(store, sa.select(match_proposals.c.id, match_proposals.c.state).order_by(match_proposals.c.id)),
            table(store, sa.select(catalog_items.c.id).order_by(catalog_items.c.id)))


# --- scrapy matches ---------------------------------------------------------------------------------------------

def test_scrapy_matches_wrong_arguments_are_one_line_and_change_nothing(seeded_sqlite, sqlite_url):
    env = scrapy_env(DATABASE_URL=sqlite_url)
    (proposal,) = Review(seeded_sqlite.engine).proposals()
    before = state_of(seeded_sqlite)
    wrong = {  # arguments -> words of the one line
        # argparse's own refusals were Scrapy's "Usage / =====" block, then "__main__.py: error: ..."
        ("list", "--limit", "0"): "a count must be 1 to 1,000,000, not 0",
        ("list", "--limit"): "--limit: expected one argument",
        ("list", "--limit", HUGE): f"not {HUGE}",
        # int() read these as ids 3 and 1000: proposal 3 would have been accepted
        ("accept", "٣"): "'٣' is not a whole number",
        ("accept", "1_000"): "'1_000' is not a whole number",
        ("reject", HUGE): f"not {HUGE}",
        ("frob",): "not 'frob'",
        ("list", "extra"): "takes 0 ids, not 1 (extra)",
        ("accept", str(proposal["id"]), str(proposal["id"])): "takes 1 id (PROPOSAL_ID), not 2",
        ("merge", "1"): "takes 2 ids (KEPT_ITEM MERGED_ITEM), not 1",
    }
    for args, words in wrong.items():
        line = one_line(scrapy_command("matches", *args, env=env), USAGE_EXIT)
        assert line.startswith("scrapy matches: ") and words in line, (args, line)
    assert state_of(seeded_sqlite) == before


def test_scrapy_matches_refuses_a_database_it_cannot_use_in_one_line(tmp_path, seeded_sqlite, sqlite_url):
    missing = tmp_path / "typo" / "ornaments.sqlite3"
    nowhere = tmp_path / "no-such.sqlite3"
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    behind, ahead = tmp_path / "behind.sqlite3", tmp_path / "ahead.sqlite3"
    for copy, revision in ((behind, "items_name_search"), (ahead, "from_the_future")):
        copy.write_bytes(Path(seeded_sqlite.engine.url.database).read_bytes())
        with sqlite3.connect(copy) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    with refused_port() as port:
        cases = {  # DATABASE_URL -> words of the one line
            f"sqlite:///{missing}": f"the database file {missing} does not exist",
            # SQLite made an empty database there, and `matches list` answered "No open proposals."
            f"sqlite:///{nowhere}": f"the database file {nowhere} does not exist",
            # create_tables(upgrade=False) made the tables: a review command never makes a database
            f"sqlite:///{empty}": "has no ornaments tables; create them with `scrapy db upgrade`",
            # SchemaTooOld's and SchemaTooNew's tracebacks
            f"sqlite:///{behind}": "older than this code's",
            f"sqlite:///{ahead}": "which this code does not know",
            f"postgresql+psycopg2://postgres@127.0.0.1:{port}/ornaments": "could not be reached",
            "not a url": "DATABASE_URL (not a URL) cannot be used",
        }
        for url, words in cases.items():
            for args in (("list",), ("accept", "1")):
                line = one_line(scrapy_command("matches", *args, env=scrapy_env(DATABASE_URL=url)), DATABASE_EXIT)
                assert words in line, (url, args, line)
    assert not nowhere.exists()
    with sqlite3.connect(empty) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_scrapy_matches_list_shows_a_shops_control_characters_escaped(seeded_sqlite, sqlite_url):
    """A shop's name with a newline or a terminal escape sequence (stored as the shop sent it through the
    API's uploads) is one line of the queue, the escape shown, not obeyed."""
    seeded_sqlite.write_batch(None, 0, [listing("shop_a", "A1", "Frosty Friends 42nd in Series\x1b[2J\nFAKE",
                                                sku="QX7654")])
    listed = scrapy_command("matches", "list", env=scrapy_env(DATABASE_URL=sqlite_url))
    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "\\x1b[2J\\x0aFAKE" in listed.stdout, listed.stdout
    assert not any(line.startswith("FAKE") for line in listed.stdout.splitlines())


# --- the API ----------------------------------------------------------------------------------------------------

def watch_count(store) -> int:
    return table(store, sa.select(sa.func.count()).select_from(watches))[0][0]


@pytest.mark.three_databases
def test_ids_beyond_bigint_or_of_the_wrong_type_are_a_422_naming_the_field(api_server, api_keys):
    """Each was SQLite's "Python int too large to convert to SQLite INTEGER" (a 500); true and "1" were item 1."""
    store = seed_api(api_server.database_url)
    frosty = item_of(store, "shop_a", "A1")
    reader, writer = api_server.client(api_keys["read"]), api_server.client(api_keys["write"])
    before = state_of(store)
    asks = [
        (reader.get, f"/items/{HUGE}", {}, "path.item_id"), (reader.get, "/items/-1", {}, "path.item_id"),
        (reader.get, "/items", {"params": {"year": HUGE}}, "query.year"),
        (reader.get, "/matches", {"params": {"after": HUGE}}, "query.after"),
        (reader.get, f"/watches/{HUGE}", {}, "path.watch_id"), (writer.delete, f"/watches/{HUGE}", {}, "path.watch_id"),
        (writer.post, f"/matches/{HUGE}/accept", {}, "path.proposal_id"),
        (writer.post, f"/matches/{HUGE}/reject", {}, "path.proposal_id"),
        (writer.post, f"/listings/{HUGE}/split", {}, "path.product_id"),
        (writer.post, f"/items/{HUGE}/merge", {"json": {"merged": frosty}}, "path.item_id"),
        (writer.post, f"/items/{frosty}/merge", {"json": {"merged": int(HUGE)}}, "body.merged"),
        (writer.post, f"/items/{frosty}/merge", {"json": {"merged": True}}, "body.merged"),
        (writer.post, f"/items/{frosty}/merge", {"json": {"merged": frosty, "into": 3}}, "body.into"),
        (writer.post, "/watches", {"json": {"item_id": int(HUGE), "condition": {"kind": "back_in_stock"}}}, "body.item_id"),
        (writer.post, "/watches", {"json": {"item_id": True, "condition": {"kind": "back_in_stock"}}}, "body.item_id"),
        (writer.post, "/watches", {"json": {"item_id": str(frosty), "condition": {"kind": "back_in_stock"}}}, "body.item_id"),
    ]
    for call, path, kwargs, field in asks:
        answer = call(path, **kwargs)
        assert answer.status_code == 422 and field in answer.json()["error"], (path, kwargs, answer.text)
    assert state_of(store) == before and watch_count(store) == 0
    store.close()


def test_items_refuses_an_unknown_currency_and_a_tampered_cursor(api_server, api_keys):
    store = seed_api(api_server.database_url)
    reader = api_server.client(api_keys["read"])
    for currency in ("XYZ", "123", "U$D"):  # each was a 200 with no items, as if none were priced so
        answer = reader.get("/items", params={"currency": currency})
        assert answer.status_code == 422 and "currency must be an ISO 4217 code" in answer.json()["error"], answer.text
    answer = reader.get("/items", params={"currency": "usdollars"})
    assert answer.status_code == 422 and "query.currency" in answer.json()["error"]
    usd = reader.get("/items", params={"currency": "usd"}).json()["items"]  # any case, as documented
    assert usd and {i["best_price"]["currency"] for i in usd} == {"USD"}
    by_id = reader.get("/items", params={"limit": 1}).json()
    by_price = reader.get("/items", params={"sort": "best_price", "currency": "USD", "limit": 1}).json()
    assert by_id["next_cursor"] and ":" in by_price["next_cursor"]
    for sort, cursor in (("id", "-1"), ("id", HUGE), ("id", by_price["next_cursor"]), ("id", "１"),
                         ("best_price", by_id["next_cursor"]), ("best_price", "NaN:1"), ("best_price", "Infinity:1"),
                         ("best_price", "-1.00:1"), ("best_price", f"1.00:{HUGE}"), ("best_price", f"{HUGE}.00:1"),
                         ("best_price", "1e5:1")):
        params = {"sort": sort, "cursor": cursor, **({"currency": "USD"} if sort == "best_price" else {})}
        answer = reader.get("/items", params=params)  # each was a page (NaN:1 an empty one) or a 500
        assert answer.status_code == 400 and "cursor" in answer.json()["error"], (params, answer.text)
    following = reader.get("/items", params={"sort": "best_price", "currency": "usd", "cursor": by_price["next_cursor"]})
    assert following.status_code == 200 and following.json()["items"]
    store.close()


def test_items_search_of_no_word_finds_nothing(api_server, api_keys):
    """q=% or q=_ listed every item: a search for text no name holds finds nothing."""
    store = seed_api(api_server.database_url)
    reader = api_server.client(api_keys["read"])
    every = [i["id"] for i in reader.get("/items").json()["items"]]
    assert len(every) > 1
    for q in ("%", "_", "%%", "'\"", "\\", "%_%", "' --"):
        answer = reader.get("/items", params={"q": q})
        assert answer.status_code == 200 and answer.json()["items"] == [], (q, answer.text)
    assert [i["id"] for i in reader.get("/items", params={"q": "  "}).json()["items"]] == every  # blank: no search
    answer = reader.get("/items", params={"q": "frosty\x00"})
    assert answer.status_code == 400 and "control character" in answer.json()["error"]
    store.close()


@pytest.mark.three_databases
def test_a_watch_condition_is_checked_whole_and_a_refusal_stores_nothing(api_server, api_keys):
    store = seed_api(api_server.database_url)
    frosty = item_of(store, "shop_a", "A1")
    writer = api_server.client(api_keys["write"])

    def price(value: str, currency: str = "USD") -> dict:
        return {"kind": "price_at_or_below", "currency": currency, "price": value}

    def drop(value: str) -> dict:
        return {"kind": "price_drop", "currency": "USD", "percent": value}
    refused = [  # (condition, or a whole body), words of the error
        (price("0.001"), "condition.price has at most 2 decimal places"),  # stored as 0.00 before
        (price("9999999999.999"), "condition.price must be above 0 and at most 9999999999.99"),  # overflowed
        (price("10000000000"), "condition.price must be above 0"),
        (price("abc"), "condition.price must be a number"), (price("Infinity"), "condition.price must be a number"),
        (price("-Infinity"), "condition.price must be a number"), (price("-5"), "condition.price must be above 0"),
        (price("١٠"), "condition.price must be a number"), (price("1_000"), "condition.price must be a number"),
        (price("1,000"), "condition.price must be a number"),
        (drop("99.999"), "condition.percent has at most 2 decimal places"),  # stored as 100.00 before
        (drop("0.001"), "condition.percent has at most 2 decimal places"),  # stored as 0.00, triggered at once
        (drop("100"), "condition.percent must be above 0 and below 100"),
        (price("5", "XYZ"), "condition.currency must be an ISO 4217 code"),  # each stored before
        (price("5", "12$"), "condition.currency must be an ISO 4217 code"),
        (price("5", "U\x00D"), "condition.currency must be an ISO 4217 code"),
        (price("5", "usdollars"), "condition.currency must be an ISO 4217 code"),
        ({**price("5"), "percent": "10"}, "condition.percent is not used by price_at_or_below"),  # ignored before
        ({"kind": "back_in_stock", "currency": "USD"}, "condition.currency is not used by back_in_stock"),
        ({"kind": "back_in_stock", "price": "5"}, "condition.price is not used by back_in_stock"),
        ({"kind": "back_in_stock", "when": "soon"}, "body.condition.when"),
        ({"kind": "price_at_or_below", "currency": "USD", "price": 20}, "body.condition.price"),
    ]
    for condition, words in refused:
        answer = writer.post("/watches", json={"item_id": frosty, "condition": condition})
        assert answer.status_code == 422 and words in answer.json()["error"], (condition, answer.text)
    for reference in ("user\u008542", "user\u202842", "user\u202e24", "user\t42"):  # C1, separators, bidi
        answer = writer.post("/watches", json={"item_id": frosty, "reference": reference,
                                               "condition": {"kind": "back_in_stock"}})
        assert answer.status_code == 422 and "reference must not hold control" in answer.json()["error"], answer.text
    answer = writer.post("/watches", json={"item_id": frosty, "refrence": "user-42", "condition": {"kind": "back_in_stock"}})
    assert answer.status_code == 422 and "body.refrence" in answer.json()["error"]  # a misspelt field was ignored
    assert watch_count(store) == 0
    made = writer.post("/watches", json={"item_id": frosty, "condition": price(" 9999999999.99 ")})
    assert made.status_code == 201 and made.json()["price"] == "9999999999.99", made.text
    store.close()


def test_the_same_watch_twice_is_a_409_naming_the_first(api_server, api_keys):
    store = seed_api(api_server.database_url)
    frosty = item_of(store, "shop_a", "A1")
    reader, writer = api_server.client(api_keys["read"]), api_server.client(api_keys["write"])
    body = {"item_id": frosty, "reference": "user-42",
            "condition": {"kind": "price_at_or_below", "currency": "USD", "price": "20"}}
    first = writer.post("/watches", json=body)
    assert first.status_code == 201, first.text
    same = {**body, "condition": {**body["condition"], "currency": "usd", "price": "20.00"}}  # the same, spelt otherwise
    again = writer.post("/watches", json=same)
    assert again.status_code == 409 and again.json()["watch_id"] == first.json()["id"], again.text
    assert f"watch {first.json()['id']}" in again.json()["error"]
    assert watch_count(store) == 1
    other = writer.post("/watches", json={**body, "reference": "user-43"})  # another shopper's: their own
    assert other.status_code == 201
    assert writer.delete(f"/watches/{first.json()['id']}").status_code == 200
    gone = writer.delete(f"/watches/{first.json()['id']}")
    assert gone.status_code == 404 and "cancelled already" in gone.json()["error"], gone.text
    assert writer.delete("/watches/999999").json()["error"] == "no watch 999999"
    assert reader.get(f"/watches/{first.json()['id']}").json()["cancelled"] is True
    assert writer.post("/watches", json=body).status_code == 201  # cancelled: it may be made again
    store.close()


@pytest.mark.three_databases
def test_decisions_that_cannot_be_taken_are_a_4xx_and_change_nothing(api_server, api_keys):
    """What behaved already, with no test: a decided proposal, the only listing of an item, a merge in a
    circle, a page too long, a search too long."""
    store = seed_api(api_server.database_url)
    reader, writer = api_server.client(api_keys["read"]), api_server.client(api_keys["write"])
    (proposal,) = reader.get("/matches").json()["items"]
    assert writer.post(f"/matches/{proposal['id']}/reject").status_code == 200
    frosty, snow = item_of(store, "shop_a", "A1"), item_of(store, "shop_a", "A2")
    assert writer.post(f"/items/{snow}/merge", json={"merged": frosty}).status_code == 200
    before = state_of(store)
    alone = proposal["listing"]["product_id"]  # B3, rejected: the only listing of its item
    for call, path, kwargs, status, words in (
            (writer.post, f"/matches/{proposal['id']}/accept", {}, 409, "already rejected"),
            (writer.post, f"/matches/{proposal['id']}/reject", {}, 409, "already rejected"),
            (writer.post, f"/listings/{alone}/split", {}, 409, "already its own item"),
            (writer.post, f"/items/{frosty}/merge", {"json": {"merged": snow}}, 404, f"no item {frosty}"),  # a circle
            (writer.post, f"/items/{snow}/merge", {"json": {"merged": snow}}, 409, "one item already"),
            (reader.get, "/items", {"params": {"q": "x" * 201}}, 422, "query.q"),
            (reader.get, "/items", {"params": {"limit": 201}}, 422, "query.limit"),
            (reader.get, "/items", {"params": {"limit": -1}}, 422, "query.limit"),
            (reader.get, "/items/abc", {}, 422, "path.item_id")):
        answer = call(path, **kwargs)
        assert answer.status_code == status and words in answer.json()["error"], (path, answer.text)
    assert state_of(store) == before
    store.close()


# --- the pages --------------------------------------------------------------------------------------------------

def flash_line(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", re.search(r'id="flash"[^>]*>(.*?)</p>', page, re.S).group(1))).strip()


def test_review_forms_with_ids_that_are_no_numbers_answer_a_page(api_server, api_keys):
    """A POST with "abc" in the path was FastAPI's JSON 422, an id beyond BIGINT or a merge target of 5,000
    digits a 500: each is a page with one line, its status and the pages' headers, and changes nothing."""
    store = seed_api(api_server.database_url)
    frosty = item_of(store, "shop_a", "A1")
    client, token = logged_in(api_server, api_keys["write"])
    before = state_of(store)
    posts = [(f"/ui/matches/{HUGE}/accept", {}, 404, f"No proposal {HUGE}"),
             ("/ui/matches/abc/reject", {}, 404, "No proposal abc: an id is a number"),
             ("/ui/listings/1x/split", {"item": str(frosty)}, 404, "No listing 1x"),
             (f"/ui/listings/{HUGE}/split", {"item": HUGE}, 404, f"No listing {HUGE}"),
             (f"/ui/items/{HUGE}/merge", {"into": str(frosty)}, 404, f"No item {HUGE}"),
             (f"/ui/items/{frosty}/merge", {"into": "0" * 5000 + "2"}, 400, "Give the number of the item"),
             (f"/ui/items/{frosty}/merge", {"into": HUGE}, 400, "Give the number of the item"),
             (f"/ui/items/{frosty}/merge", {"into": "٣"}, 400, "Give the number of the item"),
             (f"/ui/items/{frosty}/merge", {"into": "<b>2</b>"}, 400, "not '<b>2</b>'")]
    for path, form, status, words in posts:
        answer = client.post(path, data={**form, csrf.CSRF_FIELD: token}, follow_redirects=False)
        assert answer.status_code == status and answer.headers["content-type"].startswith("text/html"), (path, answer.text)
        assert "default-src" in answer.headers["content-security-policy"], path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert words in flash_line(answer.text) and "<b>2</b>" not in answer.text, (path, answer.text)
    for path in (f"/ui/items/{HUGE}", f"/ui/matches?after={HUGE}"):  # 500s before
        answer = client.get(path)
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), (path, answer.text)
    assert state_of(store) == before
    store.close()


@pytest.mark.three_databases
def test_the_same_watch_asked_for_at_the_same_instant_is_stored_once(matching_store):
    """The duplicate check runs in the insert's transaction with the item locked: eight identical requests
    at once are one watch and seven WatchExists naming it, on every database."""
    seed(matching_store)
    frosty = item_of(matching_store, "shop_a", "A1")
    start, made, refused = threading.Barrier(8), [], []

    def ask() -> None:
        start.wait()
        try:
            made.append(create_watch(matching_store.engine, frosty, "back_in_stock", None, None, None, "user-7")[0])
        except WatchExists as exc:
            refused.append(exc.watch_id)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and refused == [made[0]] * 7
    assert watch_count(matching_store) == 1
