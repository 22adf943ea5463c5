"""Data files shipped inside the package, read with importlib.resources (never through __file__).

Under Scrapyd the project runs from a zipped egg, so a data file may not exist on disk. Scrapy needs a
file:// URL, so a file inside a zip is copied out once to a temporary file that lives until exit.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from pathlib import Path

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)
_cache: dict[str, Path] = {}


def packaged_file(*parts: str) -> Path | None:
    """A real filesystem path to ornaments/<parts...>, or None if the package does not ship it."""
    key = "/".join(parts)
    if key not in _cache:
        resource = resources.files("ornaments").joinpath(*parts)
        if not resource.is_file():
            return None
        _cache[key] = Path(_extracted.enter_context(resources.as_file(resource)))
    return _cache[key]


def packaged_feed(name: str) -> Path | None:
    """The sample feed of that file name shipped with the project (the top-level feeds/ directory)."""
    return packaged_file("sample_feeds", name) if name and "/" not in name and "\\" not in name else None
