"""GuardConfig: the settings of the run checks and the removal guard (defaults in ornaments.settings only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ornaments.env import SettingError, setting_float, setting_int
from ornaments.runs.ledger import COVERAGE_FIELDS
from ornaments.storage.removal import RemovalPolicy


@dataclass(frozen=True)
class GuardConfig:
    policy: RemovalPolicy
    max_drop_share: float
    coverage_min: dict[str, float]
    abandoned_after: timedelta

    @classmethod
    def from_settings(cls, settings) -> "GuardConfig":
        coverage_min = {str(k): float(v) for k, v in settings.getdict("ORNAMENTS_COVERAGE_MIN").items()}
        unknown = set(coverage_min) - set(COVERAGE_FIELDS)
        if unknown:
            raise SettingError(f"ORNAMENTS_COVERAGE_MIN names unknown fields {sorted(unknown)}; "
                               f"known: {', '.join(COVERAGE_FIELDS)}")
        return cls(
            policy=RemovalPolicy(max_share=_share(settings, "ORNAMENTS_MAX_REMOVAL_SHARE"),
                                 min_seen_ratio=_share(settings, "ORNAMENTS_MIN_SEEN_RATIO"),
                                 remove_after_misses=max(1, setting_int(settings, "ORNAMENTS_REMOVE_AFTER_MISSES")),
                                 window_runs=setting_int(settings, "ORNAMENTS_REMOVAL_WINDOW_RUNS", minimum=0),
                                 window_days=setting_float(settings, "ORNAMENTS_REMOVAL_WINDOW_DAYS", minimum=0)),
            max_drop_share=_share(settings, "ORNAMENTS_MAX_DROP_SHARE"),
            coverage_min=coverage_min,
            abandoned_after=abandoned_after(settings),
        )


def abandoned_after(settings) -> timedelta:
    """ORNAMENTS_ABANDONED_AFTER_HOURS: how long after its start a run of another host counts as abandoned."""
    return timedelta(hours=setting_float(settings, "ORNAMENTS_ABANDONED_AFTER_HOURS"))


def _share(settings, name: str) -> float:
    """A share from 0 to 1: 20 meant as 20% would let a run remove everything, so it is refused."""
    value = setting_float(settings, name, minimum=0)
    if value > 1:
        raise SettingError(f"{name} is a share from 0 to 1 (0.2 is 20%), not {settings.get(name)!r}")
    return value
