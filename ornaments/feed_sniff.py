"""What a feed that is not text is, from its first bytes: "not a text feed (it looks like a JPEG image)".

A partner who uploads a picture, a PDF price list or a zipped export where the feed belongs gets a
message naming what was found, never the bytes themselves. Only the first bytes are looked at (the
feed is streamed); a text feed in any encoding (UTF-8, UTF-16 with or without a BOM, Latin-1) passes.
"""

from __future__ import annotations

HEAD_SIZE = 512  # bytes looked at

# Magic numbers (file signatures) -> what a person would call the file.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", ""),  # BMP: checked below (two letters are too weak alone)
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive (empty)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", ""),  # bzip2: checked below
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.xls or .doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a Linux program"),
    (b"MZ", ""),  # a Windows program: checked below
    (b"OggS", "an Ogg audio or video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)


def binary_kind(head: bytes) -> str | None:
    """What the file starting with head looks like when it is not text ("a JPEG image"); None for text."""
    if not head:
        return None
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):  # a byte order mark: text
        return None
    for signature, kind in _SIGNATURES:
        if head.startswith(signature) and kind:
            if kind.startswith("a ZIP") and b"xl/" in head[:HEAD_SIZE]:
                return "an Excel workbook (.xlsx, a ZIP archive)"
            if kind.startswith("a ZIP") and b"word/" in head[:HEAD_SIZE]:
                return "a Word document (.docx, a ZIP archive)"
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:12] in (b"ftypavif", b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "an AVIF or HEIC image"
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "a bzip2-compressed file"
    if head.startswith(b"MZ") and b"This program cannot be run in DOS mode" in head[:HEAD_SIZE]:
        return "a Windows program"
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "a BMP image"
    return "binary data" if _looks_binary(head[:HEAD_SIZE]) else None


def as_utf8(head: bytes) -> bytes:
    """A file's first bytes as UTF-8 when they are UTF-16 or UTF-32 text (Excel's "Unicode text"), which
    the feed readers read as such; other bytes as they are."""
    codec = wide_encoding(head)
    return head if codec is None else head.decode(codec, "replace").lstrip("\ufeff").encode("utf-8")


def text_start(head: bytes) -> bytes:
    """A file's first bytes as UTF-8 (as_utf8), from its first character after a byte order mark and
    whitespace."""
    return as_utf8(head).lstrip(b"\xef\xbb\xbf \t\r\n")


def looks_like_xml(head: bytes) -> bool:
    """Whether the text starting with head is an XML document rather than delimited rows: its first
    character after a byte order mark and whitespace is "<" (in UTF-8, Latin-1, UTF-16 or UTF-32)."""
    return text_start(head[:HEAD_SIZE - HEAD_SIZE % 4]).startswith(b"<")


def _looks_binary(head: bytes) -> bool:
    """Many NUL bytes or control characters, more than text in the feeds' encodings would hold. A stray
    control character in a text feed (a NUL or 0x1D in one description) is the XML reader's to remove,
    not a reason to refuse the file. UTF-16 or UTF-32 without a BOM has NULs in every other (or every
    fourth) byte: that is text."""
    if b"\x00" in head and wide_encoding(head):
        return False  # UTF-16 or UTF-32 text, a few characters beyond Latin-1 included
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(head) // 10


def wide_encoding(head: bytes) -> str | None:
    """The codec of a UTF-16 or UTF-32 text (Excel's "Unicode text", Windows tools' default), from its
    byte order mark or, without one, from where its NULs fall; None for text in a one-byte-based encoding
    (UTF-8, Latin-1), which the reader's own encoding reads. A codec that names no byte order skips a BOM."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:HEAD_SIZE]
    sample = sample[:len(sample) - len(sample) % 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    lanes = [sample[i::4].count(0) / (len(sample) // 4) for i in range(4)]  # share of NULs per byte lane
    if lanes[0] < 0.05 and min(lanes[1:]) > 0.95:
        return "utf-32-le"
    if lanes[3] < 0.05 and min(lanes[:3]) > 0.95:
        return "utf-32-be"
    even = (lanes[0] + lanes[2]) / 2
    odd = (lanes[1] + lanes[3]) / 2
    if odd > 0.6 and even < 0.05:  # mostly Latin text: every character's high byte is 0
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None
