"""Remote paths come only from our own names, and can never leave SFTP_REMOTE_DIR.

Stored names are built by ornaments.pipelines.images from a vendor slug and a hash of the image URL,
so nothing the remote side sent becomes a path. Every path is still checked here before it is used
locally or remotely, because an item's `images` field could have been filled by other code.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

# Each segment: starts with a letter, digit or underscore (so never "." or ".."), then a small safe set.
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
MAX_DEPTH = 8
MAX_LENGTH = 400


@dataclass(frozen=True)
class ImageFile:
    """A file to upload. Here, not beside the uploader: the pipeline builds one per image in every crawl
    with sFTP on, without importing paramiko at start-up."""
    vendor: str
    vendor_product_id: str
    path: str  # relative to the local root and to SFTP_REMOTE_DIR
    source_url: str | None = None


class UnsafePath(ValueError):
    pass


def safe_relative_path(path: object) -> str:
    """path unchanged when it is a short relative POSIX path of safe segments; else UnsafePath."""
    if not isinstance(path, str) or not path or len(path) > MAX_LENGTH:
        raise UnsafePath(f"not a usable relative path: {str(path)[:80]!r}")
    segments = path.split("/")
    if len(segments) > MAX_DEPTH or not all(_SEGMENT.fullmatch(s) for s in segments):
        raise UnsafePath(f"unsafe path (absolute, '..', empty or odd segment): {path[:80]!r}")
    return path


def remote_path(remote_dir: str, relative: str) -> str:
    """The remote file for relative under remote_dir; checked twice so it cannot escape."""
    relative = safe_relative_path(relative)
    base = posixpath.normpath(remote_dir) if remote_dir else "."
    full = posixpath.normpath(posixpath.join(base, relative))
    prefix = base.rstrip("/") + "/"
    if not full.startswith(prefix) and not (base == "." and not full.startswith(("/", ".."))):
        raise UnsafePath(f"{relative[:80]!r} escapes the remote directory")
    return full
