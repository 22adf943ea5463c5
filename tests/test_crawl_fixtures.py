"""The crawl fixtures' own contract: a test marked storage_in_thread stores in a thread, others do not."""

from __future__ import annotations

import pytest

import tests.fixtures.crawl as crawl_fixtures


@pytest.fixture
def started(monkeypatch) -> list[dict[str, str]]:
    """The environment of each crawl the fixtures start (nothing is run)."""
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(crawl_fixtures, "run_scrapy", lambda *args, env, **kwargs: envs.append(env))
    return envs


@pytest.mark.storage_in_thread
def test_a_marked_test_stores_in_a_thread_unless_a_call_says_otherwise(sqlite_crawl, started):
    sqlite_crawl("bestseller")
    sqlite_crawl("bestseller", env={"ORNAMENTS_STORAGE_PROCESS": "1"})
    assert [env.get("ORNAMENTS_STORAGE_PROCESS") for env in started] == ["0", "1"]


def test_an_unmarked_test_keeps_the_storage_worker_processes(sqlite_crawl, started):
    sqlite_crawl("bestseller")
    assert "ORNAMENTS_STORAGE_PROCESS" not in started[0]
