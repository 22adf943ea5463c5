"""The API's database access: blocking SQLAlchemy calls with bounded retries, run in FastAPI's threadpool."""

from __future__ import annotations

from typing import Callable, TypeVar

import sqlalchemy as sa

from ornaments.retry import RetryPolicy, call_with_retries
from ornaments.storage.engine import create_catalog_engine, is_transient_db_error

T = TypeVar("T")


class Database:
    def __init__(self, url: str, retry: RetryPolicy):
        self.retry = retry
        self.writer = create_catalog_engine(url)
        if self.writer.dialect.name == "sqlite":
            # The crawls' SQLite engine takes the write lock at every BEGIN; readers must not, or a page
            # view would queue behind a sync's batch (and hold the sync up in turn).
            self.reader = sa.create_engine(url, connect_args={"timeout": 30}, pool_pre_ping=True)
        else:
            self.reader = self.writer
        self.dialect = self.writer.dialect.name

    def read(self, func: Callable[[sa.Connection], T], what: str = "reading") -> T:
        def once() -> T:
            with self.reader.connect() as conn:
                return func(conn)
        return call_with_retries(once, self.retry, is_transient_db_error, what)

    def write(self, func: Callable[[sa.Connection], T], what: str = "writing") -> T:
        def once() -> T:
            with self.writer.begin() as conn:
                return func(conn)
        return call_with_retries(once, self.retry, is_transient_db_error, what)

    def close(self) -> None:
        self.writer.dispose()
        self.reader.dispose()
