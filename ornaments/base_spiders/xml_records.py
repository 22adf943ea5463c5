"""Split an XML byte stream into records by local name, without parsing the whole document.

Real partners send documents that a conforming parser refuses as a whole: an undeclared namespace
prefix (`<nsx:items>` with no xmlns), one illegal character (0x1D, NUL) in an 847-entry feed. A
whole-document parser loses everything after the first fault; here each record is cut out of the
bytes and parsed on its own (xml_feed.XmlFeedSpider), so a fault costs one record.

The scanner reads chunks (a response body as one chunk, or a file read piece by piece) and keeps
only the unread part, so memory stays flat. It understands just enough XML to find the root element,
the namespace declarations around the records, the records themselves and the root's closing tag
(whose absence means the document ends early).
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

from ornaments.feed_sniff import HEAD_SIZE, wide_encoding

ENDS_INSIDE = "the document ends inside it"  # RawRecord.problem of a record cut off by the end of the document
COMPACT_AFTER = 1 << 20  # drop consumed bytes from the buffer once this many are behind us

_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_LEADING = re.compile(rb"[\s\x00-\x08\x0b\x0c\x0e-\x1f]*")
_PROLOG_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]+")  # forbidden bytes before the root: skipped
_START = re.compile(rb"<([A-Za-z_][\w.-]*(?::[\w.-]+)?)(?=[\s/>])")
_XMLNS = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENCODING = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([\w.:-]+)["']""")
_TAG_END = frozenset((b" ", b"\t", b"\r", b"\n", b">", b"/"))
_CHILD_ID = re.compile(rb"<([\w.-]+:)?id>\s*([^<]{1,255}?)\s*</")


@dataclass(frozen=True)
class Root:
    qname: str  # as written: "nsx:items", "rss"
    line: int

    @property
    def local(self) -> str:
        return self.qname.rpartition(":")[2]


class RawRecord(NamedTuple):  # a NamedTuple: one is made per record, and a dataclass is slower to make
    data: bytes  # from the record's start tag to the end of its closing tag (or as far as it goes)
    line: int  # the line of its start tag
    problem: str | None = None  # why it is not a whole record: it is dropped, not parsed


class XmlRecordScanner:
    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._buf = b""
        self._at = 0  # where scanning goes on in _buf
        self._line = 1  # the line at _at
        self._eof = False
        self._decoder = None  # set for UTF-16 and UTF-32 documents, which are read as UTF-8
        self.encoding = "utf-8"
        self.namespaces: dict[str, str] = {}  # prefix ("" for the default) -> URI, as declared so far
        self.namespaces_version = 0  # changes whenever namespaces does
        self.root: Root | None = None
        self._empty_root = False
        self.closed = False  # the root's closing tag came after the last record
        self.prolog_preview = b""  # the first bytes, to say what a document without a root is
        self.prolog_controls = 0  # bytes XML forbids (a stray NUL) skipped before the root element

    # --- reading ---------------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the stream."""
        if self._eof:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._eof = True
            if self._decoder is not None:
                self._buf += self._decoder.decode(b"", final=True).encode("utf-8")
            return False
        if not self._buf and not self._at and self._decoder is None and (codec := wide_encoding(chunk[:HEAD_SIZE])):
            # UTF-16 or UTF-32, with a byte order mark or without: byte patterns need an ASCII superset
            self._decoder = codecs.getincrementaldecoder(codec)()
        if self._decoder is not None:
            chunk = self._decoder.decode(chunk).encode("utf-8")
        if self._at >= COMPACT_AFTER:
            self._buf, self._at = self._buf[self._at:], 0
        self._buf = self._buf + chunk if self._buf else bytes(chunk)
        return True

    def _advance(self, to: int) -> None:
        self._line += self._buf.count(b"\n", self._at, to)
        self._at = to

    def _declarations(self, start: int, end: int) -> None:
        """Namespace declarations in the document outside records (the root, <channel>, ...)."""
        if self._buf.find(b"xmlns", start, end) < 0:
            return
        for match in _XMLNS.finditer(self._buf, start, end):
            prefix = (match.group(1) or b"").decode("ascii", "replace")
            uri = (match.group(2) or match.group(3) or b"").decode(self.encoding, "replace")
            if prefix not in ("xml", "xmlns") and self.namespaces.get(prefix) != uri:
                self.namespaces[prefix] = uri
                self.namespaces_version += 1

    # --- the document --------------------------------------------------------------------------

    def read_root(self) -> Root | None:
        """The root element's start tag (the XML declaration, comments and a DOCTYPE skipped), or None
        when the document has no element where one must be."""
        while True:
            buf = self._buf
            at = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
            self.prolog_controls = 0
            while ((skipped := _PROLOG_SKIP.match(buf, at) or _PROLOG_CONTROLS.match(buf, at))
                   and skipped.end() > at):
                if not skipped.group().startswith(b"<"):  # whitespace (\s holds 0x0B and 0x0C too) or controls
                    self.prolog_controls += sum(1 for byte in skipped.group() if byte < 32 and byte not in (9, 10, 13))
                at = skipped.end()
            start = _START.match(buf, at)
            tag_end = buf.find(b">", start.end()) if start else -1
            if tag_end >= 0 or (at < len(buf) and buf[at:at + 1] != b"<") or not self._fill():
                break
        self.prolog_preview = self._buf[:80]
        first = 3 if self._buf.startswith(b"\xef\xbb\xbf") else 0
        # The declaration after any whitespace or stray control bytes partners put before it.
        declared = _ENCODING.match(self._buf, _LEADING.match(self._buf, first).end())
        if declared and self._decoder is None:
            self.encoding = declared.group(1).decode("ascii").lower()
        if start is None or tag_end < 0:
            return None
        self._advance(start.start())
        self.root = Root(start.group(1).decode("ascii"), self._line)
        self._empty_root = self._buf[tag_end - 1] == 47  # <rss/>: a whole document without records
        self._declarations(start.start(), tag_end)
        self._advance(tag_end + 1)
        return self.root

    def records(self, local_name: str, nested_in: str | None = None) -> Iterator[RawRecord]:
        """The records whose element's local name is local_name, whatever their prefix. Records do not
        nest: a second start tag before a closing tag means the first record is broken. nested_in names
        the element in which the record's own name means something else (Rakuten's <product>…<URL>
        <product>link</product></URL>): there, one level of it belongs to the record."""
        tag = re.compile(rb"<(/?)((?:[\w.-]+:)?" + re.escape(local_name.encode()) + rb")(?=[\s/>])")
        parent = re.compile(rb"<(?:[\w.-]+:)?" + re.escape(nested_in.encode()) + rb"(?:\s[^<>]*)?>\s*") \
            if nested_in else None
        while True:
            found = self._next_record(tag, parent=parent)
            if found is None:
                if self._fill():
                    continue
                found = self._next_record(tag, at_end=True, parent=parent)
                if found is None:
                    break
            yield found
        self._check_closed()

    def _next_record(self, tag: re.Pattern, at_end: bool = False,
                     parent: re.Pattern | None = None) -> RawRecord | None:
        """The next record, or None when the buffer does not hold all of it (or, at_end, none is left)."""
        buf, at = self._buf, self._at
        start = tag.search(buf, at)  # between records there is little to search: whitespace, mostly
        if start is None:
            return None
        begin = start.start()
        self._declarations(at, begin)
        start_end = buf.find(b">", start.end())
        if start_end < 0:
            return self._cut_short(begin) if at_end else None
        if start.group(1):  # a closing tag with no start: the record's start tag is damaged
            return self._take(begin, start_end + 1, "a closing tag without its start tag")
        if buf[start_end - 1] == 47:  # "/": <item/>
            return self._take(begin, start_end + 1)
        name = start.group(2)
        closing = self._closing(buf, name, start_end + 1, at_end)
        if closing is None:
            return self._cut_short(begin) if at_end else None
        nested = self._nested_start(buf, b"<" + name, start_end + 1, closing[0])
        if nested < 0:
            return self._take(begin, closing[1] + 1)
        if parent is not None and self._right_after(parent, buf, begin, nested):
            return self._nested_record(buf, begin, name, nested, parent, at_end)
        return self._take(begin, nested, "a start tag without its closing tag")  # the next record has begun

    def _nested_record(self, buf: bytes, begin: int, name: bytes, nested: int, parent: re.Pattern,
                       at_end: bool) -> RawRecord | None:
        """The record from begin that holds, at nested, an element of its own name inside parent: one level
        of them is the record's; any other start tag of the name means the next record has begun."""
        depth, close_end = 1, -1
        while True:
            if nested >= 0:  # a start tag of the name before the next closing tag
                if depth > 1 or not self._right_after(parent, buf, begin, nested):
                    return self._take(begin, nested, "a start tag without its closing tag")
                nested_end = buf.find(b">", nested)
                depth += buf[nested_end - 1] != 47  # an empty <product/> inside opens nothing
                inside = nested_end + 1
            else:  # the closing tag ends the innermost open element of the name
                depth -= 1
                if depth == 0:
                    return self._take(begin, close_end + 1)
                inside = close_end + 1
            closing = self._closing(buf, name, inside, at_end)
            if closing is None:
                return self._cut_short(begin) if at_end else None
            close, close_end = closing
            nested = self._nested_start(buf, b"<" + name, inside, close)

    @staticmethod
    def _right_after(parent: re.Pattern, buf: bytes, begin: int, at: int) -> bool:
        """Whether the tag before buf[at] (after begin) is parent's start tag, whitespace between."""
        last = buf.rfind(b"<", begin, at)
        return last >= 0 and parent.fullmatch(buf, last, at) is not None

    @staticmethod
    def _closing(buf: bytes, name: bytes, start: int, at_end: bool) -> tuple[int, int] | None:
        """(where the first closing tag </name> from start begins, where its ">" is), or None when the
        buffer does not hold one (yet). Searched as a literal, much faster than a pattern over the tags."""
        close = start
        while True:
            close = buf.find(b"</" + name, close)
            if close < 0:
                return None
            after = close + 2 + len(name)
            if after >= len(buf) and not at_end:
                return None
            if buf[after:after + 1] in _TAG_END:
                break
            close = after
        close_end = buf.find(b">", after)
        return None if close_end < 0 else (close, close_end)

    @staticmethod
    def _nested_start(buf: bytes, opening: bytes, start: int, end: int) -> int:
        """Where a start tag `opening` (e.g. b"<item") is in buf[start:end], or -1 (<item_group_id> is not one)."""
        found = buf.find(opening, start, end)
        while found >= 0:
            if buf[found + len(opening):found + len(opening) + 1] in _TAG_END:
                return found
            found = buf.find(opening, found + 1, end)
        return -1

    def _take(self, start: int, end: int, problem: str | None = None) -> RawRecord:
        self._advance(start)
        record = RawRecord(self._buf[start:end], self._line, problem)
        self._advance(end)
        return record

    def _cut_short(self, start: int) -> RawRecord:
        """The document ends inside a record."""
        return self._take(start, len(self._buf), ENDS_INSIDE)

    def _check_closed(self) -> None:
        if self.root is None:
            return
        closing = re.compile(rb"</" + re.escape(self.root.qname.encode()) + rb"\s*>")
        self.closed = self._empty_root or closing.search(self._buf, self._at) is not None
        self._advance(len(self._buf))

    @property
    def line(self) -> int:
        """The line where scanning stands (the end of the document once records() is exhausted)."""
        return self._line


@functools.lru_cache(maxsize=8)
def _attribute_id(name: str) -> re.Pattern:
    """The start tag's attribute name="...", its value in group 1 or 2."""
    return re.compile(rb"<[^>]*?\s" + re.escape(name.encode()) + rb"""\s*=\s*(?:"([^"<]{1,255})"|'([^'<]{1,255})')""")


def record_id(data: bytes, encoding: str = "utf-8", attribute_name: str = "id") -> str | None:
    """The id of a record that could not be parsed (its attribute_name attribute, Rakuten's product_id, or
    an <id> child), when readable."""
    attribute = _attribute_id(attribute_name).match(data)
    if attribute:
        raw = attribute.group(1) or attribute.group(2)
    else:
        # A prefixed <g:id> before an unprefixed one: in Atom, <id> is the entry's URI, not the product's id.
        children = sorted(_CHILD_ID.findall(data), key=lambda found: not found[0])
        if not children:
            return None
        raw = children[0][1]
    text = "".join(c for c in raw.decode(encoding, "replace") if c.isprintable()).strip()
    return text or None


def count_records(body: bytes, local_name: str) -> int:
    """How many records a whole document holds, for progress and ETA."""
    return sum(1 for _ in re.finditer(rb"<(?:[\w.-]+:)?" + re.escape(local_name.encode()) + rb"[\s/>]", body))


# Characters XML 1.0 forbids (its Char production): C0 controls but tab, LF and CR; in UTF-8 also the
# surrogates (never valid there) and U+FFFE/U+FFFF; and character references to any of them. Control
# bytes never occur inside a multi-byte character of UTF-8 or the single-byte encodings, so they are
# removed from the bytes as they are.
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))  # for bytes.translate: 5x the regex
_FORBIDDEN_UTF8 = re.compile(rb"\xef\xbf[\xbe\xbf]|\xed[\xa0-\xbf][\x80-\xbf]")
_FORBIDDEN_REFERENCE = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])"
    rb"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|5529[6-9]|55[3-9]\d\d|56\d\d\d|57[0-2]\d\d|573[0-3]\d|5734[0-3]"
    rb"|6553[45]));")


def without_forbidden_characters(data: bytes, encoding: str = "utf-8") -> tuple[bytes, list[str]]:
    """data without the characters XML 1.0 forbids, and what was removed ("0x1D", "&#31;"), in order.
    The common case (nothing to remove) costs about 2 µs for a record of 600 bytes."""
    removed: list[str] = []

    def note(match: re.Match) -> bytes:
        found = match.group()
        removed.append(found.decode("ascii") if found.startswith(b"&#")
                       else "0x" + found.hex().upper() if len(found) == 1
                       else "U+" + f"{ord(found.decode('utf-8', 'surrogatepass')):04X}")
        return b""

    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        data = _FORBIDDEN_BYTES.sub(note, data)
    if encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf16") and (
            b"\xef\xbf" in data or b"\xed" in data) and _FORBIDDEN_UTF8.search(data):
        data = _FORBIDDEN_UTF8.sub(note, data)
    if b"&#" in data and _FORBIDDEN_REFERENCE.search(data):
        data = _FORBIDDEN_REFERENCE.sub(note, data)
    return data, removed
