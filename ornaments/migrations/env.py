"""Alembic's environment: run by every alembic command, from code (ornaments.storage.migrate passes an
open, locked connection) or from the developers' `alembic` CLI (alembic.ini at the repository root)."""

from __future__ import annotations

import logging.config

import sqlalchemy as sa
from alembic import context

from ornaments.storage.schema import metadata


def run_on(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER a column: batch mode rebuilds the table (copy, drop, rename).
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_cli() -> None:
    """`alembic ...` at the repository root: the crawls' DATABASE_URL, under the same migration lock."""
    from ornaments.storage import migrate  # here, not at the top: migrate imports alembic.command
    from ornaments.settings import DATABASE_URL  # the crawls' DATABASE_URL (environment, else SQLite)
    from ornaments.storage.engine import create_catalog_engine

    config = context.config
    if config.config_file_name:
        logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = config.get_main_option("sqlalchemy.url") or DATABASE_URL
    if context.is_offline_mode():  # `alembic upgrade --sql`: print the DDL instead of running it
        context.configure(url=url, target_metadata=metadata, literal_binds=True,
                          render_as_batch=sa.make_url(url).get_backend_name() == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_catalog_engine(url)
    try:
        with migrate.migration_lock(engine) as connection:
            run_on(connection)
    finally:
        engine.dispose()


_connection = context.config.attributes.get("connection")
if _connection is not None:
    run_on(_connection)
else:
    run_from_cli()
