"""What goes into the run record and the RunReport: Scrapy's stats without secrets, the counts."""

from __future__ import annotations

import re
from datetime import timezone
from typing import Any, Iterable, Mapping

from ornaments.signals import RunReport

# Keys that could hold credentials are left out; values are scrubbed of URL passwords and of the
# secrets the settings hold. Scrapy's stats should hold none: this makes sure.
SECRET_KEY = re.compile(r"password|passwd|secret|token|api_?key|credential|database_url|dsn", re.I)
URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s]*@", re.I)
# Every setting settings.py calls "a secret" (tests/test_settings_one_place.py holds the two lists together).
SECRET_SETTINGS = ("DATABASE_URL", "SFTP_PASSWORD", "SCRAPYD_PASSWORD", "AWS_SECRET_ACCESS_KEY",
                   "ORNAMENTS_API_SESSION_SECRET", "ORNAMENTS_WEBHOOK_KEY", "ORNAMENTS_S3_EVENTS_SECRET",
                   "ORNAMENTS_OFFERS_API_KEY", "ORNAMENTS_ALERT_WEBHOOK",
                   "ORNAMENTS_IMPACT_AUTH_TOKEN", "ORNAMENTS_CJ_API_KEY")


def settings_secrets(settings) -> list[str]:
    """Secret values in the settings: passwords themselves, and the password part of DATABASE_URL."""
    found = []
    for name in SECRET_SETTINGS:
        value = settings.get(name)
        if not value:
            continue
        match = re.search(r"://[^:/@\s]*:([^@\s]+)@", str(value))
        if match:
            found.append(match.group(1))
        elif name != "DATABASE_URL":
            found.append(str(value))
    return [s for s in found if len(s) >= 3]  # a tiny "secret" would blank out half the stats


def clean_stats(stats: Mapping[str, Any], secrets: Iterable[str] = ()) -> dict[str, Any]:
    secrets = list(secrets)
    clean = {}
    for key, value in stats.items():
        if SECRET_KEY.search(str(key)):
            continue
        if not isinstance(value, (int, float, bool, type(None))):
            value = URL_PASSWORD.sub(r"\1:***@", str(value))
            for secret in secrets:
                value = value.replace(secret, "***")
        clean[str(key)] = value
    return clean


def counts_of(summary) -> dict[str, int]:
    return {"new": summary.new, "updated": summary.updated, "unchanged": summary.unchanged,
            "removed": summary.removed, "dropped": sum(summary.dropped.values()), "errors": summary.errors}


def report_of(summary, spider: str, vendor: str) -> RunReport:
    return RunReport(run_id=summary.run_id, spider=spider, vendor=vendor, status=summary.status,
                     reasons=list(summary.reasons), counts=counts_of(summary), held_back_removals=summary.held_back,
                     started_at=_iso(summary.started_at), finished_at=_iso(summary.finished_at))


def _iso(moment) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back the stored UTC time without its zone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()
