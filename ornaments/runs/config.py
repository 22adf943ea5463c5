"""GuardConfig: the settings of the run checks and the removal guard (defaults in ornaments.settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from ornaments.env import SettingError, parse_number
from ornaments.runs.ledger import COVERAGE_FIELDS
from ornaments.storage.removal import RemovalPolicy


@dataclass(frozen=True)
class GuardConfig:
    policy: RemovalPolicy = RemovalPolicy()
    max_drop_share: float = 0.1
    coverage_min: dict[str, float] = field(default_factory=dict)
    abandoned_after: timedelta = timedelta(hours=48)

    @classmethod
    def from_settings(cls, settings) -> "GuardConfig":
        coverage_min = {str(k): float(v) for k, v in settings.getdict("ORNAMENTS_COVERAGE_MIN", {}).items()}
        unknown = set(coverage_min) - set(COVERAGE_FIELDS)
        if unknown:
            raise SettingError(f"ORNAMENTS_COVERAGE_MIN names unknown fields {sorted(unknown)}; "
                             f"known: {', '.join(COVERAGE_FIELDS)}")
        return cls(
            policy=RemovalPolicy(max_share=_share(settings, "ORNAMENTS_MAX_REMOVAL_SHARE", "0.2"),
                                 min_seen_ratio=_share(settings, "ORNAMENTS_MIN_SEEN_RATIO", "0.5"),
                                 remove_after_misses=max(1, settings.getint("ORNAMENTS_REMOVE_AFTER_MISSES", 1)),
                                 window_runs=int(_not_negative(settings, "ORNAMENTS_REMOVAL_WINDOW_RUNS", "10", int)),
                                 window_days=_not_negative(settings, "ORNAMENTS_REMOVAL_WINDOW_DAYS", "7", float)),
            max_drop_share=_share(settings, "ORNAMENTS_MAX_DROP_SHARE", "0.1"),
            coverage_min=coverage_min,
            abandoned_after=timedelta(hours=settings.getfloat("ORNAMENTS_ABANDONED_AFTER_HOURS", 48)),
        )


def _share(settings, name: str, default: str) -> float:
    """A share from 0 to 1: 20 meant as 20% would let a run remove everything, so it is refused."""
    value = parse_number(name, settings.get(name, default), float, minimum=0)
    if value > 1:
        raise SettingError(f"{name} is a share from 0 to 1 (0.2 is 20%), not {settings.get(name)!r}")
    return value


def _not_negative(settings, name: str, default: str, kind) -> float:
    return parse_number(name, settings.get(name, default), kind, minimum=0)
