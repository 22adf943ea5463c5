"""The product is defined once (ornaments/fields.py): everything that lists the fields derives from FIELDS,
a field added there reaches the item, the table, validation, storage, events, the API and the docs, and
the generated field reference (docs/reference/fields.md) is current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ornaments.fields import (COVERAGE_FIELDS, EXPORT_FIELDS, FIELD_NAMES, FIELDS, MAX_LENGTHS, REFERENCE_PATH,
                              SNAPSHOT_FIELDS, reference_markdown)
from ornaments.normalize import AVAILABILITIES, FIRST_YEAR

ROOT = Path(__file__).resolve().parents[1]


def test_every_field_says_what_it_means():
    undocumented = [f.name for f in FIELDS if len(f.doc.split()) < 3]
    assert not undocumented, f"give these a doc in ornaments/fields.py: {undocumented}"
    by_name = {f.name: f for f in FIELDS}
    assert all(value in by_name["availability"].doc for value in AVAILABILITIES)
    assert str(FIRST_YEAR) in by_name["release_year"].doc


def test_the_field_reference_is_generated_from_fields():
    page = ROOT / REFERENCE_PATH
    assert page.exists() and page.read_text(encoding="utf-8") == reference_markdown(), (
        f"{REFERENCE_PATH} is not current: run python scripts/generate.py")
    rows = [line for line in page.read_text().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(FIELD_NAMES)


def test_the_generator_reports_a_stale_file_and_writes_nothing_with_check(tmp_path):
    """--check exits 1 naming the stale file (the CI's guard); the files here are current, so it exits 0."""
    script = ROOT / "scripts" / "generate.py"
    current = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert current.returncode == 0, current.stderr
    sqlite = subprocess.run([sys.executable, str(script), "--sqlite"], capture_output=True, text=True)
    assert sqlite.returncode == 0 and "CREATE TABLE IF NOT EXISTS products" in sqlite.stdout


def test_the_hand_copies_are_gone():
    from ornaments.api import models
    from ornaments.pipelines import validate
    from ornaments.runs import ledger
    from ornaments.storage import outbox
    from ornaments.storage.schema import products

    answer = list(models.Product.model_fields)
    assert answer == ["id", *FIELD_NAMES, "created_at", "last_seen_at", "changed_at", "removed_at", "removed"]
    assert {n: models.Product.model_fields[n].description for n in FIELD_NAMES} == {f.name: f.doc for f in FIELDS}
    assert validate.MAX_LENGTHS == {f.name: f.max_length for f in FIELDS if f.max_length}
    assert validate.MAX_ID == products.c.vendor_product_id.type.length
    assert all(products.c[name].type.length == length for name, length in MAX_LENGTHS.items())
    assert ledger.COVERAGE_FIELDS == COVERAGE_FIELDS == {"price": "price", "sku": "sku", "year": "release_year",
                                                         "image": "image_urls"}
    assert set(outbox.SNAPSHOT_FIELDS) == set(SNAPSHOT_FIELDS) == {
        "name", "sku", "price", "currency", "regular_price", "availability", "url", "release_year",
        "affiliate_url"}
    assert [c.name for c in products.columns][1:len(FIELDS) + 1] == list(FIELD_NAMES)


def test_the_openapi_document_describes_every_field():
    from fastapi import FastAPI

    from ornaments.api import models

    app = FastAPI()
    app.get("/p", response_model=models.ProductDetail)(lambda: None)
    properties = app.openapi()["components"]["schemas"]["ProductDetail"]["properties"]
    assert {f.name: properties[f.name].get("description") for f in FIELDS} == {f.name: f.doc for f in FIELDS}


# Run in a fresh interpreter: ornaments/fields.py with one more field at the end of FIELDS (as a person adds
# one), then the item, validation, storage on SQLite, events, the API answer and the generated files.
ADDED_FIELD = '''
import json, sys, types
from decimal import Decimal
from pathlib import Path

import ornaments
path = Path(ornaments.__file__).with_name("fields.py")
source = path.read_text()
marker = "\\n)\\n\\nFIELD_NAMES"
assert marker in source, "FIELDS no longer ends as this test expects"
source = source.replace(marker, '\\n    ProductField("gift_note", "text", "a note for the gift tag", max_length=20, '
                                'snapshot=True, coverage="note"),' + marker, 1)
module = types.ModuleType("ornaments.fields")
module.__file__ = str(path)
sys.modules["ornaments.fields"] = module
exec(compile(source, str(path), "exec"), module.__dict__)

import sqlalchemy as sa
from scrapy.exceptions import DropItem
from ornaments import settings
from ornaments.api import models
from ornaments.api.products import COLUMNS, product_json
from ornaments.items import new_item
from ornaments.pipelines.validate import find_problem
from ornaments.runs.ledger import RunLedger
from ornaments.storage import CatalogStore, product_row
from ornaments.storage.schema import product_events, products
from ornaments.storage.schema_sql import schema_sql
from ornaments.fields import reference_markdown

found = {}
values = {"vendor": "shop", "vendor_product_id": "P1", "name": "Star", "price": Decimal("5.00"),
          "currency": "USD", "availability": "in_stock", "gift_note": "For Ann"}
item = new_item(values)
found["too_long"] = find_problem({**values, "gift_note": "x" * 21})
found["valid"] = find_problem(dict(item))
ledger = RunLedger()
ledger.count_item(dict(item))
found["coverage"] = ledger.coverage()
found["export"] = "gift_note" in settings.FEED_EXPORT_FIELDS
store = CatalogStore(sys.argv[1])
store.create_tables()
for note in ("For Ann", "For Bo"):
    run_id, _ = store.start_run("test", "shop", {}, "all", None)
    store.write_batch(run_id, 0, [product_row({**values, "gift_note": note})])
    store.finish_run(run_id, "finished", "finished", {}, 0)
with store.engine.connect() as conn:
    row = conn.execute(sa.select(*COLUMNS)).one()
    events = [(e.type, json.loads(e.data)) for e in conn.execute(sa.select(product_events).order_by(product_events.c.id))]
store.close()
answer = product_json(row)
models.Product.model_validate(answer)
found["answer"] = answer["gift_note"]
found["events"] = events
found["ddl"] = "gift_note TEXT," in schema_sql()
found["reference"] = "| `gift_note` | str or None |" in reference_markdown()
found["described"] = models.Product.model_fields["gift_note"].description
print(json.dumps(found))
'''


def test_a_field_added_to_fields_flows_through_everything(tmp_path):
    url = f"sqlite:///{tmp_path / 'added.sqlite3'}"
    done = subprocess.run([sys.executable, "-c", ADDED_FIELD, url], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["too_long"] == ["gift_note_too_long", "gift_note is 21 characters long (at most 20)"]
    assert found["valid"] is None
    assert found["coverage"]["note"] == 1.0 and found["export"]
    assert found["answer"] == "For Bo"
    assert found["events"][0][0] == "created" and found["events"][0][1]["gift_note"] == "For Ann"
    assert found["events"][1] == ["updated", {"fields": {"gift_note": {"old": "For Ann", "new": "For Bo"}}}]
    assert found["ddl"] and found["reference"] and found["described"] == "a note for the gift tag"


def test_export_columns_are_the_fields_then_images():
    assert EXPORT_FIELDS == (*FIELD_NAMES, "images")
