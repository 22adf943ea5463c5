"""Helpers for writing replica sites."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (178, 34, 52)).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


IMAGE = _jpeg()  # a real (tiny) JPEG, so an images pipeline can fetch and read it


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def schema_availability(p) -> str:
    """The schema.org availability of a catalog product (tests.sites.catalog.Product)."""
    return "https://schema.org/" + ("PreOrder" if p.preorder else "InStock" if p.available else "OutOfStock")
