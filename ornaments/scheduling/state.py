"""The scheduler's memory, in a small SQLite file, so that a restart neither loses nor repeats a run.

For each entry it keeps the first time the scheduler saw it (runs due before that are not owed) and
the latest cron slot it has dealt with (fired, found already fired, or skipped for overlap). After a
restart every slot later than that is due again, and is fired once, however many were missed.
A lock file stops two schedulers from sharing one state file (and firing every run twice).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    name TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,      -- UTC ISO time the scheduler first saw the entry
    last_slot TEXT,                -- the latest slot dealt with
    last_outcome TEXT,
    last_job TEXT,
    last_node TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, entry TEXT NOT NULL, slot TEXT, outcome TEXT NOT NULL,
    node TEXT, job TEXT, detail TEXT
);
"""


class StateLocked(RuntimeError):
    """Another scheduler holds this state file."""


@dataclass(frozen=True)
class EntryState:
    name: str
    first_seen: datetime
    last_slot: datetime | None
    last_outcome: str | None
    last_job: str | None
    last_node: str | None

    @property
    def handled_until(self) -> datetime:
        """Slots at or before this time are dealt with (or were never owed)."""
        return max(self.first_seen, self.last_slot) if self.last_slot else self.first_seen


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class StateStore:
    def __init__(self, path: str | Path, lock: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = None
        if lock:
            self._lock_file = open(f"{self.path}.lock", "w")
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._lock_file.close()
                raise StateLocked(f"another scheduler is using {self.path}") from None
            self._lock_file.write(str(os.getpid()))
            self._lock_file.flush()
        self.db = sqlite3.connect(self.path, isolation_level=None)  # autocommit; writes are single statements
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the flock
            self._lock_file = None

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, name: str) -> EntryState | None:
        row = self.db.execute("SELECT name, first_seen, last_slot, last_outcome, last_job, last_node "
                              "FROM entries WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        return EntryState(row[0], _time(row[1]), _time(row[2]), row[3], row[4], row[5])

    def first_seen(self, name: str, now: datetime) -> EntryState:
        self.db.execute("INSERT OR IGNORE INTO entries (name, first_seen, updated_at) VALUES (?, ?, ?)",
                        (name, _iso(now), _iso(now)))
        self.log(name, None, "first_seen", now=now)
        return self.get(name)  # type: ignore[return-value]

    def handled(self, name: str, slot: datetime, outcome: str, now: datetime, node: str | None = None,
                job: str | None = None, detail: str | None = None) -> None:
        with self.db:  # one transaction: the entry row and its event
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE entries SET last_slot = ?, last_outcome = ?, last_job = COALESCE(?, last_job), "
                "last_node = COALESCE(?, last_node), updated_at = ? WHERE name = ?",
                (_iso(slot), outcome, job, node, _iso(now), name))
            self._event(name, slot, outcome, now, node, job, detail)

    def log(self, name: str, slot: datetime | None, outcome: str, now: datetime, node: str | None = None,
            job: str | None = None, detail: str | None = None) -> None:
        self._event(name, slot, outcome, now, node, job, detail)

    def _event(self, name, slot, outcome, now, node, job, detail) -> None:
        self.db.execute("INSERT INTO events (at, entry, slot, outcome, node, job, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (_iso(now), name, _iso(slot) if slot else None, outcome, node, job, detail))

    def events(self, name: str | None = None) -> list[tuple]:
        sql = "SELECT at, entry, slot, outcome, node, job, detail FROM events"
        rows = self.db.execute(sql + (" WHERE entry = ?" if name else "") + " ORDER BY id",
                               (name,) if name else ())
        return rows.fetchall()
