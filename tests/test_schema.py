"""schema.sql and the tables the code creates are the same: the file is generated from the metadata (and
current), and compared in PostgreSQL's own catalogs with tables made from the metadata, by the migrations
from nothing, and by upgrading a database of commit 41c81a7 in place."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ornaments.storage import CatalogStore, migrate
from ornaments.storage.schema import metadata
from ornaments.storage.schema_sql import schema_sql
from tests.test_migrations import assert_old_rows_kept, create_old_database, seed_old_rows

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
    """Columns, indexes, constraints and storage options of the schema's tables, alembic_version left out."""
    conn.exec_driver_sql(f"SET search_path TO {schema}, public")  # public: pg_trgm's operator classes
    found = {name: [tuple(r) for r in conn.execute(sa.text(sql), {"schema": schema})
                    if r[0] != migrate.VERSION_TABLE]
             for name, sql in (("columns", COLUMNS), ("indexes", INDEXES), ("constraints", CONSTRAINTS),
                                       ("storage", STORAGE))}
    found["columns"] = [r[:7] + (r[7].replace(schema + ".", ""),) for r in found["columns"]]
    return found


def schema_sql_catalog(engine: sa.Engine) -> dict:
    """schema.sql applied to a schema of its own, read back, and dropped (pg_url empties only public)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA expected; SET search_path TO expected, public")
        conn.exec_driver_sql(SCHEMA_SQL.read_text())
        found = catalog(conn, "expected")
        conn.exec_driver_sql("DROP SCHEMA expected CASCADE")
    return found


def assert_public_equals_schema_sql(url: str) -> None:
    engine = sa.create_engine(url)
    expected = schema_sql_catalog(engine)
    with engine.connect() as conn:
        found = catalog(conn, "public")
    engine.dispose()
    assert {r[0] for r in found["columns"]} == set(metadata.tables)
    for part in ("columns", "indexes", "constraints", "storage"):
        assert found[part] == expected[part], part


def differences_from_metadata(url: str) -> list:
    """What `alembic revision --autogenerate` would write: nothing when the database is at the metadata."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        found = compare_metadata(context, metadata)
    engine.dispose()
    return found


def test_schema_sql_is_generated_from_the_tables():
    assert SCHEMA_SQL.read_text(encoding="utf-8") == schema_sql(), (
        "schema.sql is not what the code creates: run python scripts/generate.py")
    assert SCHEMA_SQL.read_text().startswith("-- PostgreSQL DDL") and "scripts/generate.py" in SCHEMA_SQL.read_text()


def test_the_sqlite_ddl_makes_the_tables_the_code_creates(tmp_path):
    """The --sqlite flavour, applied with sqlite3 itself, gives the metadata's tables, columns and indexes."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'from_sql.sqlite3'}")
    with engine.begin() as conn:
        conn.connection.dbapi_connection.executescript(schema_sql("sqlite"))
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == set(metadata.tables)
    for table in metadata.sorted_tables:
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name: c.nullable for c in table.columns}, table.name
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        assert indexes == {i.name for i in table.indexes if not i.name.endswith("_trgm")}, table.name
    engine.dispose()


def test_schema_sql_matches_the_tables_the_code_creates(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA from_sql; CREATE SCHEMA from_code")
        conn.exec_driver_sql("SET search_path TO from_sql, public")
        conn.exec_driver_sql(SCHEMA_SQL.read_text())
    with engine.begin() as conn:
        conn.exec_driver_sql("SET search_path TO from_code, public")
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


def test_create_tables_on_an_empty_database_makes_schema_sql(pg_url):
    store = CatalogStore(pg_url)
    store.create_tables()
    store.close()
    assert_public_equals_schema_sql(pg_url)


def test_an_old_database_upgraded_in_place_is_schema_sql_and_keeps_its_rows(pg_url):
    create_old_database(pg_url)
    seed_old_rows(pg_url)
    store = CatalogStore(pg_url)
    store.create_tables()
    store.create_tables()  # idempotent
    store.close()
    assert_public_equals_schema_sql(pg_url)
    assert_old_rows_kept(pg_url)
    assert differences_from_metadata(pg_url) == []


def test_the_migrations_from_nothing_reach_the_metadata(pg_url):
    """Running 0001..head on an empty database (not create_all) gives exactly the metadata and schema.sql."""
    engine = sa.create_engine(pg_url)
    with migrate.migration_lock(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    engine.dispose()
    assert differences_from_metadata(pg_url) == []
    assert_public_equals_schema_sql(pg_url)
