"""Test set-up. Fixtures for real servers live in tests/fixtures/, one module each, all loaded here."""

from pathlib import Path

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)
