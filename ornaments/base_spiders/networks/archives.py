"""Feeds the networks ship compressed: Awin offers gzip and zip downloads, Rakuten gzips its catalogues.
The body (on disk or in memory) is unpacked as it is read, never whole into memory."""

from __future__ import annotations

import contextlib
import gzip
import zipfile
import zlib
from typing import BinaryIO, Callable, Iterator

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
# A compressed body cut short or damaged: the reader says so and the run removes nothing.
ARCHIVE_ERRORS = (EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile)


class ArchiveError(ValueError):
    """An archive whose feed cannot be chosen (which archive, why)."""


@contextlib.contextmanager
def damage_reported(damaged: Callable[[str, str, str], None], feed_url: str) -> Iterator[None]:
    """Read a compressed feed inside this: an archive that holds no single feed, or compressed data cut
    short or damaged, is said through damaged(feed_url, what, why) (the run then removes nothing)."""
    try:
        yield
    except ArchiveError as exc:
        damaged(feed_url, "archive holds no single feed", str(exc))
    except ARCHIVE_ERRORS as exc:
        damaged(feed_url, "compressed feed damaged",
                f"its compressed data is cut short or damaged ({type(exc).__name__}: {exc})")


@contextlib.contextmanager
def unpacked(raw: BinaryIO, feed_url: str) -> Iterator[tuple[BinaryIO, str | None]]:
    """(a binary stream of the feed, the kind of archive it came from or None). A zip holds one feed: its
    only member, or its only .csv/.txt/.xml member; anything else is an ArchiveError."""
    head = raw.read(4)
    raw.seek(0)
    if head[:2] == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            yield stream, "gzip"
    elif head == ZIP_MAGIC:
        with zipfile.ZipFile(raw) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            feeds = [m for m in members if m.filename.lower().endswith((".csv", ".txt", ".tsv", ".xml"))]
            chosen = members if len(members) == 1 else feeds
            if len(chosen) != 1:
                names = ", ".join(m.filename for m in members[:10]) or "none"
                raise ArchiveError(f"the zip {feed_url} holds {len(members)} files ({names}); expected one feed")
            with archive.open(chosen[0]) as stream:
                yield stream, "zip"
    else:
        yield raw, None
