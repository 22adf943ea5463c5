"""Recurring, non-overlapping Scrapyd runs from a schedule file. Scrapy-free: plain HTTP and SQLite.

    schedule.py   the schedule file (TOML) and cron next-run times (croniter)
    client.py     a small Scrapyd HTTP client: auth from the environment, bounded retries
    state.py      the scheduler's memory (SQLite), so a restart neither loses nor repeats a run
    scheduler.py  one tick: which entries are due, overlap check, least-busy node, schedule.json
"""
