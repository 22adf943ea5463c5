"""The schedule file: which spider runs when, with which arguments and settings.

    timezone = "UTC"                  # cron expressions are read in this zone (optional)

    [[schedule]]
    name = "google-merchant-nightly"  # unique; keys the scheduler's state and the Scrapyd job ids
    spider = "google_merchant"
    cron = "15 2 * * *"               # croniter syntax; an optional sixth field is seconds
    args = { year = "2024" }          # spider arguments (-a), optional
    settings = { LOG_LEVEL = "INFO" } # Scrapy settings for this run (-s), optional
    enabled = true                    # optional

The file ships inside the package (ornaments/schedules.toml, read with importlib.resources); a path
given on the command line (--file) or in the ORNAMENTS_SCHEDULES setting replaces it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # no dots: a job id is "<name>.<slot>"
KEYS = {"name", "spider", "cron", "args", "settings", "enabled"}
RESERVED_ARGS = {"project", "spider", "setting", "jobid", "priority", "_version"}  # schedule.json's own fields


class ScheduleError(ValueError):
    """The schedule file is not usable; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    name: str
    spider: str
    cron: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    enabled: bool = True
    tz: Any = timezone.utc

    def latest_slot(self, now: datetime) -> datetime:
        """The latest time at or before now at which this entry was due."""
        now = now.astimezone(self.tz)
        previous = croniter(self.cron, now).get_prev(datetime)  # strictly before now
        # A slot exactly at now is due too.
        following = croniter(self.cron, previous).get_next(datetime)
        return following if following <= now else previous

    def next_slot(self, after: datetime) -> datetime:
        """The first time strictly after `after` at which this entry is due."""
        return croniter(self.cron, after.astimezone(self.tz)).get_next(datetime)

    def job_id(self, slot: datetime) -> str:
        """A job id that names the entry and its slot, so a run fired before a crash is recognised."""
        return f"{self.name}.{slot.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"

    def describe(self) -> str:
        parts = [self.spider] + [f"-a {k}={v}" for k, v in self.args.items()]
        parts += [f"-s {k}={v}" for k, v in self.settings.items()]
        return " ".join(parts)


def default_schedule_text() -> str:
    return resources.files("ornaments").joinpath("schedules.toml").read_text(encoding="utf-8")


def load_schedule(path: str | Path | None = None) -> list[Entry]:
    """Entries of the schedule file at path (--file, else the ORNAMENTS_SCHEDULES setting), else the packaged file."""
    if not path:
        return parse_schedule(default_schedule_text(), "ornaments/schedules.toml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleError(f"cannot read the schedule file {path}: {exc.strerror or exc}") from exc
    return parse_schedule(text, str(path))


def parse_schedule(text: str, source: str = "<schedule>") -> list[Entry]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{source}: not valid TOML: {exc}") from exc
    unknown = set(document) - {"timezone", "schedule"}
    if unknown:
        raise ScheduleError(f"{source}: unknown top-level keys {', '.join(sorted(unknown))}")
    tz_name = document.get("timezone", "UTC")
    try:
        # UTC needs no time zone database (slim containers may lack one).
        tz = timezone.utc if tz_name in ("UTC", "Etc/UTC") else ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"{source}: unknown timezone {tz_name!r}") from exc
    raw_entries = document.get("schedule", [])
    if not isinstance(raw_entries, list):
        raise ScheduleError(f"{source}: 'schedule' must be an array of tables ([[schedule]])")
    entries = [_entry(raw, tz, f"{source}, entry {n}") for n, raw in enumerate(raw_entries, 1)]
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise ScheduleError(f"{source}: the name {entry.name!r} is used twice")
        seen.add(entry.name)
    return entries


def _entry(raw: Any, tz: Any, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table")
    unknown = set(raw) - KEYS
    if unknown:
        raise ScheduleError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("name", "spider", "cron"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ScheduleError(f"{where}: '{key}' is required and must be a string")
    name, cron = raw["name"].strip(), raw["cron"].strip()
    if not NAME.match(name):
        raise ScheduleError(f"{where}: name {name!r} may hold only letters, digits, '_' and '-'")
    if not croniter.is_valid(cron):
        raise ScheduleError(f"{where} ({name}): invalid cron expression {cron!r}")
    args = _strings(raw, "args", where)
    reserved = set(args) & RESERVED_ARGS
    if reserved:
        raise ScheduleError(f"{where} ({name}): Scrapyd keeps the argument names {', '.join(sorted(reserved))}")
    return Entry(name=name, spider=raw["spider"].strip(), cron=cron, args=args,
                 settings=_strings(raw, "settings", where), enabled=bool(raw.get("enabled", True)), tz=tz)


def _strings(raw: dict, key: str, where: str) -> dict[str, str]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ScheduleError(f"{where}: '{key}' must be a table of names to values")
    # Scrapyd passes everything as text; TOML numbers and booleans are accepted and sent as text.
    return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in value.items()}
