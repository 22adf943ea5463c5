"""schema.sql and the tables the code creates are the same, compared in PostgreSQL's own catalogs."""

from pathlib import Path

import sqlalchemy as sa

from ornaments.storage.schema import metadata

SCHEMA_SQL = Path(__file__).resolve().parents[1] / "schema.sql"

COLUMNS = """SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,
                    numeric_scale, is_nullable, regexp_replace(coalesce(column_default, ''), '_seq''?::regclass', '')
             FROM information_schema.columns WHERE table_schema = :schema ORDER BY table_name, column_name"""
INDEXES = """SELECT tablename, indexname, replace(indexdef, :schema || '.', '') FROM pg_indexes
             WHERE schemaname = :schema ORDER BY tablename, indexname"""
STORAGE = """SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = :schema AND c.relkind = 'r' ORDER BY 1"""
CONSTRAINTS = """SELECT cl.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
                 FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
                 JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :schema ORDER BY 1, 2"""


def catalog(conn, schema: str) -> dict:
    conn.exec_driver_sql(f"SET search_path TO {schema}")
    found = {name: [tuple(r) for r in conn.execute(sa.text(sql), {"schema": schema})]
             for name, sql in (("columns", COLUMNS), ("indexes", INDEXES), ("constraints", CONSTRAINTS),
                                       ("storage", STORAGE))}
    found["columns"] = [r[:7] + (r[7].replace(schema + ".", ""),) for r in found["columns"]]
    return found


def test_schema_sql_matches_the_tables_the_code_creates(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA from_sql; CREATE SCHEMA from_code")
        conn.exec_driver_sql("SET search_path TO from_sql")
        conn.exec_driver_sql(SCHEMA_SQL.read_text())
    with engine.begin() as conn:
        conn.exec_driver_sql("SET search_path TO from_code")
        metadata.create_all(conn)
    with engine.connect() as conn:
        from_sql, from_code = catalog(conn, "from_sql"), catalog(conn, "from_code")
    engine.dispose()
    assert {r[0] for r in from_code["columns"]} == set(metadata.tables)
    for part in ("columns", "indexes", "constraints", "storage"):
        assert from_sql[part] == from_code[part], part


def test_the_website_queries_are_indexed(pg_url):
    indexed = {tuple(c.name for c in index.columns) for index in metadata.tables["products"].indexes}
    assert ("vendor", "changed_at") in indexed
    unique = [c for c in metadata.tables["products"].constraints if isinstance(c, sa.UniqueConstraint)]
    assert [tuple(c.name for c in u.columns) for u in unique] == [("vendor", "vendor_product_id")]
