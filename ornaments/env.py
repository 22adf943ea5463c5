"""Setting values as a person types them: parsed once, and a wrong one said in one line.

`settings.py` reads the environment with these helpers. A value that cannot be what its setting needs
(`ORNAMENTS_BATCH_SIZE=x`) stops the command before it starts, with one line naming the variable and what
it must be, and exit status 2 (a usage error), never a traceback. Components that check a setting's range
in their `Config.from_settings` raise `SettingError`, which `scrapy crawl` reports the same way.

Components read number and yes/no settings with `setting_int`, `setting_float` and `setting_flag`: parsed
the same way, and with no second default (a setting's default is written once, in settings.py).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

from scrapy.exceptions import UsageError

USAGE_EXIT = 2  # a wrong name or value typed by a person (argparse's usage errors exit 2 too)
_TRUE = ("1", "true", "yes", "on", "y")
_FALSE = ("0", "false", "no", "off", "n", "")


class SettingError(UsageError, ValueError):
    """A setting's value is wrong (which setting, what it must be): a usage error, said in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message, print_help=False)


def parse_flag(name: str, raw: Any) -> bool:
    """yes/no, one way everywhere: 1/true/yes/on or 0/false/no/off (any case); empty is no."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingError(f"{name} must be yes or no (1/0, true/false, yes/no, on/off), not {raw!r}")


def parse_number(name: str, raw: Any, kind: type[int] | type[float], minimum: float | None = None,
                 maximum: float | None = None) -> Any:
    try:
        value = kind(str(raw).strip())
    except ValueError:
        raise SettingError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
    if maximum is not None and (value > maximum or minimum is not None and value < minimum):
        raise SettingError(f"{name} must be from {minimum or 0:g} to {maximum:g}, not {raw!r}")
    if minimum is not None and value < minimum:
        raise SettingError(f"{name} must be {minimum:g} or more, not {raw!r}")
    return value


def setting_int(settings, name: str, minimum: int | None = None) -> int:
    """A whole-number setting as a component reads it (`-s NAME=x` said in one line, like the environment's)."""
    return parse_number(name, _given(settings, name), int, minimum)


def setting_float(settings, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    return parse_number(name, _given(settings, name), float, minimum, maximum)


def setting_flag(settings, name: str) -> bool:
    return parse_flag(name, _given(settings, name))


def _given(settings, name: str) -> Any:
    # A default lives in ornaments/settings.py only: settings not built from the project's are said by name,
    # never read as 0 or "no".
    value = settings.get(name)
    if value is None:
        raise SettingError(f"{name} is not set: components read the project's settings (ornaments.settings), "
                           "where every setting has its default")
    return value


def _from_environment(parse, name: str, *args: Any) -> Any:
    try:
        return parse(name, *args)
    except SettingError as exc:
        _refuse(str(exc))


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    return _from_environment(parse_number, name, os.environ.get(name, str(default)), int, minimum)


def env_float(name: str, default: float, minimum: float | None = None, maximum: float | None = None) -> float:
    return _from_environment(parse_number, name, os.environ.get(name, str(default)), float, minimum, maximum)


def env_flag(name: str, default: bool) -> bool:
    return _from_environment(parse_flag, name, os.environ.get(name, "1" if default else "0"))


def env_json(name: str, default: str) -> Any:
    raw = os.environ.get(name, default)
    try:
        return json.loads(raw)
    except ValueError as exc:
        _refuse(f"{name} must be JSON (e.g. {default}), not {raw!r}: {exc}")


def _refuse(message: str) -> NoReturn:
    # Raised while settings.py is imported, before any logging: the line goes straight to stderr.
    print(f"ornaments: {message}", file=sys.stderr)
    raise SystemExit(USAGE_EXIT)


def normalize_overrides(settings, defaults: dict[str, Any]) -> None:
    """`-s NAME=value` of a number or yes/no setting, parsed like the environment's (one line and exit 2 when
    wrong), and stored as the number or bool it is, so every component reads it the same way."""
    for name, default in defaults.items():
        raw = settings.get(name)
        if not isinstance(raw, str) or isinstance(default, str) or not name.isupper():
            continue
        if isinstance(default, bool):
            value = parse_flag(name, raw)
        elif isinstance(default, (int, float)):
            value = parse_number(name, raw, type(default))
        else:
            continue
        settings.set(name, value, priority=settings.getpriority(name))
