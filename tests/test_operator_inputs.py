"""What an operator types and an API client sends, outside the catalogue (tests/test_catalogue_operator.py
has the catalogue's): ids beyond BIGINT on /events, /runs, /products and the run and product pages are a
4xx naming the parameter (a 500 on SQLite before); a body that is not JSON says so; a read-only key is told
what it asked to write; the commands take ids in ASCII digits only, and a database behind or ahead of the
code is one line and DATABASE_EXIT, never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ornaments.api.auth import SESSION_COOKIE
from ornaments.commands.failures import DATABASE_EXIT
from ornaments.env import USAGE_EXIT
from ornaments.storage import migrate
from tests.api_seed import item, sync
from tests.fixtures.crawl import scrapy_command, scrapy_env
from tests.test_catalogue_operator import HUGE, one_line
from tests.test_catalogue_review_pages import logged_in

# --- the API ------------------------------------------------------------------------------------------------------


def test_ids_and_cursors_beyond_bigint_are_a_4xx_naming_the_parameter(api_server, api_keys, store):
    """Each was SQLite's "Python int too large to convert to SQLite INTEGER": a 500."""
    run = sync(store, [item(1), item(2)])
    reader = api_server.client(api_keys["read"])
    for path, params, field in (("/events", {"after": HUGE}, "query.after"),
                                (f"/runs/{HUGE}", {}, "path.run_id"),
                                (f"/runs/{HUGE}/progress", {}, "path.run_id"),
                                ("/runs", {"before": HUGE}, "query.before"),
                                ("/products", {"year": HUGE}, "query.year")):
        answer = reader.get(path, params=params)
        assert answer.status_code == 422 and answer.json()["error"].startswith(f"{field}: "), (path, answer.text)
    # The cursor is the text of a next_cursor: beyond BIGINT, or digits int() reads or refuses ("٣", "²"),
    # it is the 400 of any cursor that is not one (a 500 for HUGE and "²", and "٣" was product 3).
    for cursor in (HUGE, "²", "٣", "1_000", " 12"):
        answer = reader.get("/products", params={"cursor": cursor})
        assert (answer.status_code, answer.json()) == (
            400, {"error": "cursor must be the next_cursor of a previous page"}), (cursor, answer.text)
    # What they refuse still works.
    assert reader.get("/events", params={"after": str(2**63 - 1)}).json()["events"] == []
    assert reader.get(f"/runs/{run}").json()["id"] == run
    assert reader.get(f"/runs/{2**63 - 1}").status_code == 404
    assert [r["id"] for r in reader.get("/runs", params={"before": run + 1}).json()["runs"]] == [run]
    first = reader.get("/products", params={"limit": 1}).json()
    assert [p["vendor_product_id"] for p in reader.get("/products", params={"cursor": first["next_cursor"]}).json()[
        "items"]] == ["P2"]


def test_the_run_and_products_pages_answer_a_page_for_numbers_beyond_bigint(api_server, api_keys, store):
    """/ui/runs/HUGE, a run's ?after=/?before= and /ui/products?page= were a JSON 500."""
    run = sync(store, [item(1)])
    client, _ = logged_in(api_server, api_keys["read"])
    for path in (f"/ui/runs/{HUGE}", f"/ui/runs/{run}?after={HUGE}", f"/ui/runs/{run}?before={HUGE}",
                 f"/ui/products?page={HUGE}"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), (path, answer.text)
        assert "names no page" in answer.text, (path, answer.text)
    assert client.get(f"/ui/runs/{run}?after=1").status_code == 200
    assert client.get("/ui/products?page=2").status_code == 200


def test_a_forged_login_cookie_with_a_huge_or_foreign_number_is_a_401(api_server, api_keys, store):
    """The cookie's key id reached SQLite before its signature was checked (a 500), and "²" passed
    str.isdigit() for int() to refuse (a 500)."""
    for cookie in (f"{HUGE}.9999999999.x", "1.²²²²²²²²²².x", "²." + "9" * 10 + ".x", "1.1_000_000_000_000.x"):
        # Sent as a browser sends it: bytes, "²" as latin-1 (httpx's cookie jar takes ASCII only).
        answer = api_server.client().get("/products", headers={"Cookie": f"{SESSION_COOKIE}={cookie}".encode("latin-1")})
        assert (answer.status_code, answer.json()) == (401, {"error": "unauthorized"}), (cookie, answer.text)


@pytest.mark.parametrize("body, says", [
    (b'{"item_id": 1,', "body: not valid JSON (expecting property name enclosed in double quotes at line 1, column 15)"),
    (b'{\n  "item_id": 1\n  "condition": {}\n}', "body: not valid JSON (expecting ',' delimiter at line 3, column 3)"),
    (b'{"item_id": 1}}', "body: not valid JSON (extra data at line 1, column 15)"),
    (b'', "body: Field required"),
])
def test_a_body_that_is_not_json_says_so_and_where(api_server, api_keys, body, says):
    """It was "body.14: JSON decode error": 14, the parser's offset, read as a field's name."""
    writer = api_server.client(api_keys["write"])
    answer = writer.post("/watches", content=body, headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()) == (422, {"error": says}), answer.text


def test_a_read_only_key_is_told_what_it_asked_to_write(api_server, api_keys):
    """A read-only key on POST /watches was told "uploads need a key made with --write"."""
    reader = api_server.client(api_keys["read"])
    for method, path, kwargs in (("POST", "/watches", {"json": {"item_id": 1, "condition": {"kind": "back_in_stock"}}}),
                                 ("DELETE", "/watches/1", {}), ("POST", "/matches/1/accept", {}),
                                 ("POST", "/imports", {"files": {"file": ("p.csv", b"name,sku\nA,1\n")}})):
        answer = reader.request(method, path, **kwargs)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["error"] == (f"this API key may only read; {method} {path} needs the write scope "
                                          "(a key made with `scrapy apikeys create --write`)"), answer.text


# --- the commands -------------------------------------------------------------------------------------------------

def test_ids_in_other_digits_or_with_underscores_are_one_line_and_exit_2(sqlite_url):
    """int() read "٣" as 3 and "1_000" as 1000: `runs --apply-removals ٣` would apply run 3's removals. And
    argparse's refusals were Scrapy's "Usage / =====" block, then "__main__.py: error: ..."."""
    env = scrapy_env(DATABASE_URL=sqlite_url)
    assert scrapy_command("db", "upgrade", env=env).returncode == 0
    for command, option in ((("runs",), "--apply-removals"), (("changes",), "--run"), (("feedfiles",), "--retry"),
                            (("webhooks", "add", "https://hooks.example/in"), "--since"),
                            (("webhooks", "resume", "1"), "--from")):
        for value in ("٣", "1_000", "１２", " 12", "3.0"):
            line = one_line(scrapy_command(*command, option, value, env=env), USAGE_EXIT)
            assert line == f"scrapy {command[0]}: argument {option}: {value!r} is not a whole number", (command, line)
    line = one_line(scrapy_command("runs", "--limit", "0", env=env), USAGE_EXIT)
    assert line == "scrapy runs: argument --limit: a count must be 1 to 1,000,000, not 0"
    line = one_line(scrapy_command("changes", "--run", "9" * 5000, env=env), USAGE_EXIT)  # not 5,000 digits back
    assert line.startswith("scrapy changes: argument --run: an id must be 0 to ") and len(line) < 200, line
    line = one_line(scrapy_command("runs", "--limit", env=env), USAGE_EXIT)
    assert line == "scrapy runs: argument --limit: expected one argument"
    assert scrapy_command("changes", "--run", "0012", env=env).stderr.strip() == "scrapy changes: No sync run 12."


def test_a_missing_or_unknown_action_is_one_line_naming_the_actions(sqlite_url):
    """`scrapy db status` was Scrapy's "Usage / =====" block, then "__main__.py: error: Say `scrapy db current`
    ..."; `scrapy webhooks frob`, `apikeys frob` and `schedules frob` did not say what was typed. Said before
    the database is looked at: a wrong DATABASE_URL too is not reported first."""
    for url in (sqlite_url, "oracle://scott:tiger@db/orders"):
        env = scrapy_env(DATABASE_URL=url)
        for command, actions in ((("db",), "current, upgrade"),
                                 (("webhooks",), "key, add, list, remove, test, deliver, dead, resume, events"),
                                 (("apikeys",), "create, list, revoke"), (("schedules",), "list, run")):
            name = command[0]
            for typed in ("status", "Upgrade", "٣"):
                line = one_line(scrapy_command(*command, typed, env=env), USAGE_EXIT)
                assert line == f"scrapy {name}: no action named {typed!r}; the actions are: {actions}", (url, line)
            line = one_line(scrapy_command(*command, env=env), USAGE_EXIT)
            assert line == f"scrapy {name}: say what to do; the actions are: {actions}", (url, line)
    line = one_line(scrapy_command("db", "current", "now", env=scrapy_env(DATABASE_URL=sqlite_url)), USAGE_EXIT)
    assert line == "scrapy db: db current takes nothing more, not 'now'"


@pytest.mark.parametrize("command, option", [(("api",), "--port"), (("s3events",), "--port"),
                                             (("s3events",), "--retries"), (("schedules", "run"), "--retries")])
def test_ports_and_tries_in_other_digits_or_out_of_range_are_one_line_and_exit_2(sqlite_url, tmp_path, command,
                                                                                   option):
    """type=int read "٣" as 3, "1_000" as 1000 and " 12" as 12 (`scrapy api --port ٣` listened on port 3), and
    took any number of tries. Each command is given something else it refuses (an upload limit of 0, no
    schedule file): before, that was what it said, not the value typed."""
    env = scrapy_env(DATABASE_URL=sqlite_url, ORNAMENTS_API_MAX_UPLOAD_MB="0")
    rest = () if command == ("api",) else ("--file", str(tmp_path / "nosuch.toml"))
    for value in ("٣", "1_000", "１２", " 12", "8.0", ""):
        line = one_line(scrapy_command(*command, option, value, *rest, env=env), USAGE_EXIT)
        assert line == f"scrapy {command[0]}: argument {option}: {value!r} is not a whole number", (value, line)
    bounds = ("a port must be 1 to 65,535", ("0", "65536", "-1")) if option == "--port" else (
        "a number of tries must be 0 to 10", ("11", "-1", "1000"))
    for value in bounds[1]:
        line = one_line(scrapy_command(*command, f"{option}={value}", *rest, env=env), USAGE_EXIT)
        assert line == f"scrapy {command[0]}: argument {option}: {bounds[0]}, not {value}", (value, line)
    # A value in range passes argparse: the command goes on to what it refuses.
    line = one_line(scrapy_command(*command, option, "10", *rest, env=env), USAGE_EXIT)
    assert "argument" not in line, line


@pytest.fixture
def schemas(sqlite_url, tmp_path) -> dict[str, str]:
    """DATABASE_URLs of a database behind the code and one ahead of it (migrated by newer code)."""
    assert scrapy_command("db", "upgrade", env=scrapy_env(DATABASE_URL=sqlite_url)).returncode == 0
    made = Path(sqlite_url.removeprefix("sqlite:///"))
    urls = {}
    for name, revision in (("behind", _previous_revision()), ("ahead", "0099_from_newer_code")):
        copy = tmp_path / f"{name}.sqlite3"
        shutil.copy(made, copy)
        with sqlite3.connect(copy) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        urls[name] = f"sqlite:///{copy}"
    return urls


def _previous_revision() -> str:
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return script.get_revision(migrate.head_revision()).down_revision


@pytest.mark.parametrize("command", [("webhooks", "list"), ("webhooks", "add", "https://hooks.example/in"),
                                     ("webhooks", "deliver", "--once"), ("apikeys", "list"), ("feedfiles",)])
def test_a_database_behind_or_ahead_of_the_code_is_one_line_and_exit_5(schemas, command):
    """SchemaTooNew's traceback (and `scrapy webhooks` on a database behind: exit 2, as if the operator had
    typed something wrong); the exit code is `scrapy matches`'s for the same database, DATABASE_EXIT."""
    for name, says in (("behind", "older than this code's"), ("ahead", "which this code does not know")):
        if name == "behind" and command[0] in ("apikeys", "feedfiles"):
            continue  # these bring a database behind to head (ORNAMENTS_DB_AUTO_UPGRADE's default)
        line = one_line(scrapy_command(*command, env=scrapy_env(DATABASE_URL=schemas[name])), DATABASE_EXIT)
        assert line.startswith("cannot use the database: the database is at schema revision ") and says in line, (
            command, name, line)


@pytest.mark.parametrize("action", ["upgrade", "current"])
def test_db_upgrade_or_current_of_a_database_ahead_of_the_code_is_one_line(schemas, action):
    """`scrapy db current` said "current: 0099_from_newer_code" and "run `scrapy db upgrade`", which cannot
    help (exit 1): it is this code that needs updating."""
    line = one_line(scrapy_command("db", action, env=scrapy_env(DATABASE_URL=schemas["ahead"])), DATABASE_EXIT)
    assert line == (f"cannot use the database: the database is at schema revision '0099_from_newer_code', which this "
                    f"code does not know (its head is {migrate.head_revision()!r}): deploy the newer code")


def test_db_current_of_a_database_behind_the_code_still_says_db_upgrade(schemas):
    result = scrapy_command("db", "current", env=scrapy_env(DATABASE_URL=schemas["behind"]))
    assert result.returncode == 1 and result.stderr == "", result.stderr
    assert result.stdout.splitlines()[1:] == [f"current: {_previous_revision()}", f"head: {migrate.head_revision()}",
                                              "run `scrapy db upgrade` to bring the database to head (crawls refuse it "
                                              "until then)"], result.stdout
