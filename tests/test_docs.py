"""The documentation site: the generated references are current, the site builds with `mkdocs build
--strict` (a broken link or anchor fails it), and the README links only to files that exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_docs  # noqa: E402  (scripts/ is no package)
from tests.fixtures.crawl import scrapy_command  # noqa: E402


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                           "--site-dir", str(site)], cwd=config.parent, capture_output=True, text=True,
                          env=env, timeout=300)


def test_the_generated_references_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_site_builds_strictly(tmp_path):
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "reference" / "settings" / "index.html").exists()
    # the benchmarks page is bench/README.md itself, included whole
    benchmarks = (tmp_path / "site" / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert "bench/feed_sync.py" in benchmarks and "--8&lt;--" not in benchmarks


def test_a_broken_link_fails_the_build(tmp_path):
    """What the CI relies on: strict mode turns a link to a missing page or anchor into a failed build."""
    for name in ("docs", "bench"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.png", "*.py"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "sync.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nSee [the guard](removal-guard.md).\n", encoding="utf-8")
    missing_page = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert missing_page.returncode != 0 and "removal-guard.md" in missing_page.stderr, missing_page.stderr
    page.write_text(original + "\nSee [the guard](feeds.md#no-such-heading).\n", encoding="utf-8")
    missing_anchor = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert missing_anchor.returncode != 0 and "no-such-heading" in missing_anchor.stderr, missing_anchor.stderr


def test_every_environment_variable_of_settings_is_in_the_reference():
    """A cross-check that does not use the generator's own parsing: every quoted upper-case name that
    settings.py passes to an env reader is a row of the reference."""
    source = (ROOT / "ornaments" / "settings.py").read_text(encoding="utf-8")
    named = set(re.findall(r'(?:env_\w+|environ\.get|getenv)\(\s*["\']([A-Z][A-Z0-9_]*)["\']', source))
    reference = (ROOT / "docs" / "reference" / "settings.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_<>]*)` \|", reference, re.M))
    assert named and named <= rows, sorted(named - rows)


def test_the_settings_generator_reads_each_kind_of_environment_read():
    source = '''
import os
# --- Storage (README "Storage") ------------------------------------------
# Rows per batch.
BATCH = env_int("X_BATCH", 5000, minimum=1)
FLAG = env_flag("X_FLAG", True)  # on or off
# Where it goes; secrets have no default.
TARGET = os.environ.get("X_TARGET")
_uri = os.environ.get("X_URI", "exports/%(name)s.jsonl")
FEEDS = {_uri: {}} if _uri else {}
FAMILY = {k: v for k, v in os.environ.items() if k.startswith("X_FEED_")}
def _secret(name):
    return os.environ.get(name) or None
# The offers service's key.
OFFERS_KEY = _secret("X_OFFERS_KEY")
'''
    reads = {read.name: read for read in gen_docs.settings_reads(source)}
    assert list(reads) == ["X_BATCH", "X_FLAG", "X_TARGET", "X_URI", "X_FEED_<NAME>", "X_OFFERS_KEY"]
    assert (reads["X_OFFERS_KEY"].settings, reads["X_OFFERS_KEY"].comment) == (["OFFERS_KEY"], "The offers service's key.")
    batch = reads["X_BATCH"]
    assert (batch.settings, batch.kind, batch.default, batch.comment, batch.section) == (
        ["BATCH"], "whole number, at least 1", "5000", "Rows per batch.", "Storage")
    assert (reads["X_FLAG"].kind, reads["X_FLAG"].default, reads["X_FLAG"].comment) == ("yes/no", "True", "on or off")
    assert (reads["X_TARGET"].default, reads["X_TARGET"].comment) == ("(unset)", "Where it goes; secrets have no default.")
    assert reads["X_URI"].settings == ["FEEDS"] and reads["X_URI"].default == "'exports/%(name)s.jsonl'"
    assert reads["X_FEED_<NAME>"].settings == ["FAMILY"]


def test_the_vendors_reference_names_every_spider():
    listed = scrapy_command("list", cwd=ROOT, env=dict(os.environ), timeout=120)
    assert listed.returncode == 0, listed.stderr
    reference = (ROOT / "docs" / "reference" / "vendors.md").read_text(encoding="utf-8")
    for name in listed.stdout.split():
        assert f"[`{name}`]" in reference, name
    assert "`-a labels`" in reference  # google_merchant's own argument, read from its __init__


def test_the_readme_is_a_door_whose_links_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 170
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    local = [t.split("#")[0] for t in targets if not t.startswith(("http://", "https://", "#"))]
    assert len(local) > 10
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, missing
