"""Where the real third-party inputs are: $ORNAMENTS_REAL_DATA, else ../shared/real-data beside the
project (or beside a parent of it, as from a git worktree). They are read where they are, never copied
into this repository; tests that read them are skipped only when the folder is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _real_data() -> Path:
    if os.environ.get("ORNAMENTS_REAL_DATA"):
        return Path(os.environ["ORNAMENTS_REAL_DATA"])
    here = Path(__file__).resolve()
    beside = here.parents[2] / "shared" / "real-data"
    return next((p / "shared" / "real-data" for p in here.parents[2:] if (p / "shared" / "real-data").is_dir()),
                beside)


REAL_DATA = _real_data()
needs_real_data = pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"no real data at {REAL_DATA}")
