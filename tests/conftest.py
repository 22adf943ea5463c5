"""Test set-up. Fixtures for real servers live in tests/fixtures/, one module each, all loaded here."""

import os
import sys
from pathlib import Path

# Every crawl, command and storage worker a test starts is a fresh process that imports the project's
# modules, and with PYTHONDONTWRITEBYTECODE (set on this machine and in CI) each one compiled them from
# source again: a fifth of the suite's CPU (py-spy, docs/testing.md). Here bytecode is written as on any
# developer's machine (__pycache__/ is in .gitignore), so the modules are compiled once per run. Set before
# the xdist workers, fork servers and subprocesses start: they inherit it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)
