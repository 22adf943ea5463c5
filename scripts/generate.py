#!/usr/bin/env python3
"""Write the files generated from the code: schema.sql (from ornaments/storage/schema.py) and
docs/reference/fields.md (from ornaments/fields.py). Run it after changing a table or a field:

    .venv/bin/python scripts/generate.py           write them
    .venv/bin/python scripts/generate.py --check   exit 1 naming each file that is not current
    .venv/bin/python scripts/generate.py --sqlite  print the SQLite DDL of the same tables

tests/test_schema.py and tests/test_fields.py fail while a generated file is not current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ornaments.fields import REFERENCE_PATH, reference_markdown  # noqa: E402
from ornaments.storage.schema_sql import SCHEMA_SQL_PATH, schema_sql  # noqa: E402


def generated() -> dict[Path, str]:
    """Each generated file and the text it must have."""
    return {ROOT / SCHEMA_SQL_PATH: schema_sql("postgresql"), ROOT / REFERENCE_PATH: reference_markdown()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not current")
    parser.add_argument("--sqlite", action="store_true", help="print the SQLite DDL instead of writing files")
    args = parser.parse_args(argv)
    if args.sqlite:
        sys.stdout.write(schema_sql("sqlite"))
        return 0
    stale = [path for path, text in generated().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    for path in stale:
        name = path.relative_to(ROOT)
        if args.check:
            print(f"{name} is not current: run python scripts/generate.py", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated()[path], encoding="utf-8")
            print(f"wrote {name}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
