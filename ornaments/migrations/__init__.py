"""Alembic migrations of the catalog database (ornaments.storage.schema is the target metadata).

Operators upgrade with `scrapy db upgrade` (`scrapy db current` tells); crawls create a new database but
refuse one behind the code, unless ORNAMENTS_DB_AUTO_UPGRADE=1 lets them upgrade it themselves
(CatalogStore.create_tables -> ornaments.storage.migrate). No alembic.ini is needed at runtime:
the Config is built in code, and the scripts are found with importlib.resources (also in an egg).

Writing the next migration (developers, from the repository root, with its alembic.ini):
  1. change ornaments/storage/schema.py and schema.sql;
  2. bring a scratch database to the current head:
       DATABASE_URL=postgresql://postgres@127.0.0.1:5432/scratch alembic upgrade head
  3. generate the revision and read it (autogenerate misses renames and some type changes):
       DATABASE_URL=... alembic revision --autogenerate --rev-id 0003 -m "what changed"
  4. keep SQLite in mind: alterations of existing columns go inside `op.batch_alter_table(...)`
     (env.py sets render_as_batch for SQLite, so autogenerate writes them that way);
  5. run tests/test_migrations.py and tests/test_schema.py: head must equal the metadata and schema.sql.
"""
