"""Settings in one place (issue 22): the environment is read in ornaments/settings.py only, each value once;
components take their values from Scrapy settings; a default is written once, in settings.py; yes/no is
parsed one way; secrets read there never reach Scrapy's start-of-crawl settings log or the run's stats."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ornaments.runs.record import SECRET_SETTINGS
from tests.fixtures.crawl import PROJECT_ROOT, scrapy_env

PACKAGE = PROJECT_ROOT / "ornaments"
SETTINGS = PACKAGE / "settings.py"

# (file, function) -> why it may touch os.environ although it is not settings.py.
ENVIRONMENT_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("ornaments/env.py", "env_int"): "the helper settings.py reads the environment through",
    ("ornaments/env.py", "env_float"): "the helper settings.py reads the environment through",
    ("ornaments/env.py", "env_flag"): "the helper settings.py reads the environment through",
    ("ornaments/env.py", "env_json"): "the helper settings.py reads the environment through",
    ("ornaments/api/imports.py", "start"): "the upload's crawl is a child process: it inherits the API's "
                                          "environment (and reads it in its own settings.py)",
    ("ornaments/api/config.py", "project_settings"): "sets SCRAPY_SETTINGS_MODULE for Scrapy's own lookup "
                                                     "of the settings module; reads no setting",
}


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations/versions" not in p.as_posix())


def relative(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def environment_uses(path: Path) -> list[tuple[int, str]]:
    """(line, enclosing function) of each os.environ / os.getenv / `from os import environ` in the file."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Attribute) and child.attr in ("environ", "environb", "getenv", "getenvb"):
                found.append((child.lineno, function))
            elif isinstance(child, ast.ImportFrom) and child.module == "os" and \
                    {a.name for a in child.names} & {"environ", "environb", "getenv", "getenvb"}:
                found.append((child.lineno, function))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_only_settings_py_reads_the_environment():
    stray = []
    for path in python_files():
        if path == SETTINGS:
            continue
        for line, function in environment_uses(path):
            if (relative(path), function) not in ENVIRONMENT_EXCEPTIONS:
                stray.append(f"{relative(path)}:{line} (in {function})")
    assert not stray, ("the environment is read in ornaments/settings.py only (components take the value from "
                       "Scrapy settings); or add a documented exception: " + ", ".join(stray))


def test_the_scan_finds_every_form_of_environment_read(tmp_path):
    """The scan above must not be blind: each way of reading the environment is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom os import getenv\n"
                      "def a():\n    return os.environ.get('X')\n"
                      "def b():\n    return os.getenv('X')\n"
                      "C = os.environ['X']\n"
                      "def d():\n    return {**os.environ}\n")
    assert environment_uses(sample) == [(2, "<module>"), (4, "a"), (6, "b"), (7, "<module>"), (9, "d")]


def test_each_exception_is_still_needed():
    used = {(relative(p), f) for p in python_files() for _, f in environment_uses(p)}
    assert set(ENVIRONMENT_EXCEPTIONS) <= used, set(ENVIRONMENT_EXCEPTIONS) - used


def settings_reads() -> list[tuple[str, int]]:
    """(variable name, line) of each environment read in settings.py (env_xxx("NAME", ...), os.environ.get)."""
    reads = []
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and (
                    (isinstance(node.func, ast.Name) and node.func.id.startswith("env_"))
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                        and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "environ")):
            reads.append((node.args[0].value, node.lineno))
    return reads


def test_settings_py_reads_each_variable_once():
    names = [name for name, _ in settings_reads()]
    assert len(names) > 60  # the scan sees the reads
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, twice


def assigned_settings() -> dict[str, ast.AST]:
    """The settings settings.py defines (module-level UPPER_CASE names) and their value expressions."""
    found = {}
    for node in ast.parse(SETTINGS.read_text()).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    found[target.id] = node.value
    return found


GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getwithbase"}


def _reads_setting(node: ast.AST, names: set[str]) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS
            and bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value in names)


def _a_value(node: ast.AST) -> bool:
    """A literal other than "nothing" ("", None, empty containers): a default, when it follows `or`."""
    if isinstance(node, ast.Constant):
        return node.value not in ("", None)
    return isinstance(node, (ast.List, ast.Tuple, ast.Dict, ast.Set)) and bool(
        getattr(node, "elts", None) or getattr(node, "keys", None))


def restated_defaults(path: Path, names: set[str]) -> list[tuple[int, str]]:
    """(line, what) of each read of a setting settings.py defines that brings its own default."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if _reads_setting(node, names) and (len(node.args) > 1 or any(k.arg == "default" for k in node.keywords)):
            found.append((node.lineno, f"{node.args[0].value} read with a default"))
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and _reads_setting(node.values[0], names) \
                and any(_a_value(v) for v in node.values[1:]):
            found.append((node.lineno, f"{node.values[0].args[0].value} `or` a default"))
    return sorted(found)


def test_no_component_restates_a_default():
    """A setting's default is written once, in settings.py: `settings.getint("X", 5000)` or
    `settings.get("X") or 5000` elsewhere restates it (and goes stale when settings.py changes)."""
    names = set(assigned_settings())
    assert {"ORNAMENTS_BATCH_SIZE", "SCRAPYD_NODES", "RETRY_BACKOFF_BASE"} <= names
    stray = [f"{relative(path)}:{line} {what}" for path in python_files() if path != SETTINGS
             for line, what in restated_defaults(path, names)]
    assert not stray, stray


def test_the_default_scan_sees_both_forms(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("a = settings.getint('ORNAMENTS_BATCH_SIZE', 5000)\n"
                      "b = settings.get('ORNAMENTS_FEEDS_DIR') or 'feeds'\n"
                      "c = settings.get('ORNAMENTS_PROGRESS_FILE') or ''\n"
                      "d = settings.getint('ORNAMENTS_BATCH_SIZE')\n"
                      "e = settings.getfloat('ORNAMENTS_DB_BACKOFF', default=0.5)\n")
    assert [line for line, _ in restated_defaults(sample, set(assigned_settings()))] == [1, 2, 5]


def test_the_abandoned_run_bound_is_written_once():
    """48 hours used to be written five times (settings.py, storage, the guard's config twice, `scrapy runs`)."""
    places = [f"{relative(p)}:{n.lineno}" for p in python_files()
              for n in ast.walk(ast.parse(p.read_text())) if isinstance(n, ast.Constant) and n.value == 48]
    assert places == [f"ornaments/settings.py:{_line_of('ORNAMENTS_ABANDONED_AFTER_HOURS')}"], places


def _line_of(name: str) -> int:
    for node in ast.parse(SETTINGS.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return node.value.lineno
    raise AssertionError(name)


def test_scrapyd_nodes_is_parsed_in_one_place():
    """It was split on commas three times (the API, `scrapy schedules`, `scrapy s3events`)."""
    readers = []
    for path in python_files():
        if path == SETTINGS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if _reads_setting(node, {"SCRAPYD_NODES"}):
                readers.append(relative(path))
    assert readers == ["ornaments/scheduling/client.py"], readers


def test_scrapyd_nodes_parser_reads_the_environment_form_and_a_list():
    from scrapy.settings import Settings

    from ornaments.scheduling.client import scrapyd_nodes
    assert scrapyd_nodes(Settings({"SCRAPYD_NODES": " http://a:6800, ,http://b:6800 "})) == ("http://a:6800",
                                                                                          "http://b:6800")
    assert scrapyd_nodes(Settings({"SCRAPYD_NODES": ["http://c:6800"]})) == ("http://c:6800",)
    assert scrapyd_nodes(Settings({"SCRAPYD_NODES": ""})) == ()


def test_yes_or_no_is_parsed_one_way():
    """Scrapy's getbool reads only 1/0/true/false (and `-s X=no` was its ValueError traceback outside
    `scrapy crawl`); a hand-made ("1", "true", "yes") tuple read "on" as no. Both are gone."""
    from ornaments.env import parse_flag
    stray = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "getbool":
                stray.append(f"{relative(path)}:{node.lineno} getbool")
            if isinstance(node, ast.Tuple) and path.name != "env.py" and relative(path) != "ornaments/normalize.py":
                words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if {"true", "yes"} <= words or {"false", "no"} <= words:
                    stray.append(f"{relative(path)}:{node.lineno} a yes/no tuple")
    # normalize.py's ("1", "true", "yes") reads a feed's availability value ("in stock"), not a setting.
    assert not stray, stray
    assert [parse_flag("X", w) for w in ("on", "Yes", "1", "off", "no", "0", "")] == [True] * 3 + [False] * 4


def test_smtp_starttls_reads_yes_and_no_like_every_setting():
    from ornaments.alerts.config import ConfigError, SmtpServer
    assert SmtpServer.from_url("smtp://u:p@mail.example?starttls=on").security == "starttls"  # was "none"
    assert SmtpServer.from_url("smtp://u:p@mail.example?starttls=no").security == "none"
    with pytest.raises(ConfigError, match="must be yes or no") as refused:
        SmtpServer.from_url("smtp://u:s3cret-pw@mail.example?starttls=maybe")
    assert "s3cret-pw" not in str(refused.value)


SECRETS = {  # a secret setting -> the value the test gives it in the environment
    "SCRAPYD_PASSWORD": "scrapyd-pw-7f3a",
    "SFTP_PASSWORD": "sftp-pw-91bd",
    "ORNAMENTS_API_SESSION_SECRET": "session-secret-55e0",
    "ORNAMENTS_WEBHOOK_KEY": "webhook-key-0c4d",
    "ORNAMENTS_S3_EVENTS_SECRET": "s3-events-secret-a2b7",
    "ORNAMENTS_OFFERS_API_KEY": "offers-key-6d19",
    "ORNAMENTS_ALERT_WEBHOOK": "https://hooks.example/T0/B0/alert-tok3n",
    "ORNAMENTS_IMPACT_AUTH_TOKEN": "impact-token-3e8c",
    "ORNAMENTS_CJ_API_KEY": "cj-key-4b21",
}


def secret_settings_named_in_settings_py() -> set[str]:
    """Settings whose comment in settings.py says they are a secret."""
    lines = SETTINGS.read_text().splitlines()
    found = set()
    for name, node in assigned_settings().items():
        above = lines[node.lineno - 2] if node.lineno >= 2 else ""
        if "a secret" in above or "a secret" in lines[node.lineno - 1]:
            found.add(name)
    return found


def test_every_secret_setting_is_scrubbed_from_stats_and_tested_here():
    named = secret_settings_named_in_settings_py()
    assert {"SCRAPYD_PASSWORD", "ORNAMENTS_API_SESSION_SECRET", "ORNAMENTS_WEBHOOK_KEY"} <= named, named
    assert named <= set(SECRET_SETTINGS), named - set(SECRET_SETTINGS)
    assert named <= set(SECRETS), named - set(SECRETS)


def test_secrets_read_in_settings_py_are_not_in_scrapys_overridden_settings_log():
    """Scrapy logs "Overridden settings" at the start of every crawl (scrapy.settings.overridden_settings):
    the secrets settings.py reads must not be among them; the run's stats scrub their values too."""
    code = ("import json; from scrapy.settings import overridden_settings; from scrapy.utils.project import "
            "get_project_settings; from ornaments.runs.record import clean_stats, settings_secrets; "
            "s = get_project_settings(); "
            "print(json.dumps({'log': repr(dict(overridden_settings(s))), "
            f"'read': {{n: s.get(n) for n in {sorted(SECRETS)!r}}}, "
            f"'stats': clean_stats({{'x': ' '.join({list(SECRETS.values())!r})}}, settings_secrets(s))}}))")
    # AWS keys are Scrapy settings (so they would be logged): settings.py leaves them to botocore.
    aws = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE0SETTINGS", "AWS_SECRET_ACCESS_KEY": "aws-secret-3e8f"}
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=scrapy_env(**SECRETS, **aws),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["read"] == SECRETS  # settings.py did read them
    for value in [*SECRETS.values(), *aws.values()]:
        assert value not in seen["log"]
    for value in SECRETS.values():
        assert value not in seen["stats"]["x"]


def test_the_storage_worker_still_imports_no_scrapy():
    """Settings read through ornaments.env import Scrapy (SettingError is a UsageError); the storage worker
    process (ornaments.storage.worker) must start without it, or its first batch waits for the import."""
    code = "import sys, ornaments.storage.worker; print(sorted({'scrapy', 'twisted'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr
