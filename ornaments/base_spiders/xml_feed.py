"""XmlFeedSpider: a feed of XML records, each parsed on its own.

The bytes are split into records by local name (xml_records.XmlRecordScanner); each record is parsed
by lxml inside a synthetic root that declares the document's namespace prefixes, and any prefix the
partner forgot to declare. So an undeclared prefix is read, and a broken tag costs the one record that
holds it (dropped as malformed_record, with its line and id), not the feed. Characters XML 1.0 forbids
(0x1D, NUL, &#31;) are removed from a record before it is parsed, counted as xml_control_characters
warnings, and the record is kept.

Entities are never resolved and no DTD or network is loaded (a record cannot even refer to the
document's DTD), so XXE and billion-laughs documents stay inert. At most one batch of records
(BATCH_RECORDS) is held at a time, and each record is freed once read.
A document whose root element is not the format's says so (wrong_format); one that ends before its
root's closing tag is incomplete, so nothing is marked removed.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from typing import Iterable, Iterator, NamedTuple

from lxml import etree
from scrapy.http import Response

from ornaments.base_spiders.feeds import MAX_ROW_ERRORS, FeedSpider
from ornaments.feed_download import open_body
from ornaments.base_spiders.xml_records import (ENDS_INSIDE, RawRecord, XmlRecordScanner, count_records, record_id,
                                                without_forbidden_characters)
from ornaments.feed_sniff import HEAD_SIZE
from ornaments.items import ProductItem

logger = logging.getLogger(__name__)

_UNDECLARED = re.compile(r"Namespace prefix ([\w.-]+) (?:for [\w.-]+ )?on [\w.-]+ is not defined")
UNDECLARED_URI = "urn:ornaments:undeclared:"  # the namespace given to a prefix the feed never declared
WRAPPER = "ornaments-record"
BATCH_RECORDS = 64
READ_SIZE = 1 << 20  # bytes read from a feed file at a time
_LXML_POSITION = re.compile(r", line \d+, column \d+$")  # relative to the record: the absolute line is given


class Parsed(NamedTuple):
    raw: RawRecord
    node: etree._Element | None
    problem: str | etree.XMLSyntaxError | None


class RecordParser:
    """Parse records' bytes inside a synthetic root that declares the document's prefixes."""

    def __init__(self, scanner: XmlRecordScanner):
        self.scanner = scanner
        self.parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                                      remove_comments=True, remove_pis=True)
        self.undeclared: dict[str, str] = {}
        self.new_prefixes: list[str] = []  # undeclared prefixes met since the caller last looked
        self._version = -1
        self._open = b""
        self._close = f"</{WRAPPER}>".encode()

    def _wrapper(self) -> bytes:
        if self._version != self.scanner.namespaces_version:
            self._version = self.scanner.namespaces_version
            namespaces = {**self.undeclared, **self.scanner.namespaces}
            declarations = "".join(f' xmlns{":" + p if p else ""}="{_attribute(uri)}"'
                                   for p, uri in namespaces.items())
            encoding = self.scanner.encoding
            declaration = "" if encoding in ("utf-8", "utf8") else f'<?xml version="1.0" encoding="{encoding}"?>'
            self._open = f"{declaration}<{WRAPPER}{declarations}>".encode(encoding if declaration else "utf-8")
        return self._open

    def parse(self, data: bytes) -> etree._Element:
        """The synthetic root around data (one or more records). Raises XMLSyntaxError."""
        while True:
            try:
                return etree.fromstring(self._wrapper() + data + self._close, self.parser)
            except etree.XMLSyntaxError as exc:
                # The parser's own log: the exception's may hold errors of earlier documents.
                missing = [p for p in dict.fromkeys(_UNDECLARED.findall(str(exc)) + [
                           m for e in self.parser.error_log for m in _UNDECLARED.findall(e.message)])
                           if p not in self.undeclared and p not in self.scanner.namespaces]
                if not missing or len(self.undeclared) > 50:
                    raise
                for prefix in missing:
                    self.undeclared[prefix] = UNDECLARED_URI + prefix
                self.new_prefixes += missing
                self._version = -1

    def records(self, raws: Iterable[RawRecord]) -> Iterator[Parsed]:
        """Each record with its element, or with the reason it is not one (its problem, or the parse error).

        Records are parsed BATCH_RECORDS at a time (one parser call costs more than its records);
        a batch that fails is parsed again record by record, so only the broken ones fail. Each
        element is cleared and detached once the consumer has it back, so memory stays flat.
        """
        batch: list[RawRecord] = []
        for raw in raws:
            if raw.problem is None:
                batch.append(raw)
                if len(batch) < BATCH_RECORDS:
                    continue
            yield from self._batch(batch)
            batch = []
            if raw.problem is not None:
                yield Parsed(raw, None, raw.problem)
        yield from self._batch(batch)

    def _batch(self, batch: list[RawRecord]) -> Iterator[Parsed]:
        if not batch:
            return
        try:
            wrapper = self.parse(b"".join(raw.data for raw in batch) if len(batch) > 1 else batch[0].data)
        except etree.XMLSyntaxError as exc:
            if len(batch) == 1:
                yield Parsed(batch[0], None, exc)
                return
            wrapper = None
        if wrapper is None or len(wrapper) != len(batch):
            for raw in batch:
                yield from self._batch([raw])
            return
        for raw, node in zip(batch, list(wrapper)):
            yield Parsed(raw, node, None)
            node.clear()
            wrapper.remove(node)


class XmlFeedSpider(FeedSpider):
    item_tag = "item"  # local name of one record; any namespace prefix matches
    # The root element's local name -> the local name of its records. Empty: any root, item_tag records.
    record_tags: dict[str, str] = {}
    feed_format = "XML"  # named in errors: "not a Google Merchant feed: ..."
    id_attribute = "id"  # the record's attribute that holds its id, read from a record that cannot be parsed
    record_nested_in: str | None = None  # where the record's own name is a field (XmlRecordScanner.records)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document_root: str | None = None  # the root's local name, once read ("rss", "feed")
        self.record_where = ""  # the record being parsed, for warn_record in parse_node
        self.bad_records = 0

    def parse_node(self, node: etree._Element) -> ProductItem | None:
        raise NotImplementedError

    def iter_records(self, response: Response) -> Iterator[ProductItem]:
        with open_body(response) as (raw, size):
            self.reading(raw, size)
            try:
                if isinstance(raw, io.BytesIO):  # in memory: count the records up front, for progress
                    yield from self.read_document(response.url, [response.body], whole=response.body)
                else:  # on disk: read in pieces; progress is told in bytes
                    yield from self.read_document(response.url, iter(lambda: raw.read(READ_SIZE), b""))
            finally:
                self.done_reading()

    def read_document(self, url: str, chunks: Iterable[bytes], whole: bytes | None = None) -> Iterator[ProductItem]:
        """The items of an XML document given as chunks of bytes (a body, or a file read piece by piece).
        whole, when the document is in memory, lets progress know the number of records up front."""
        chunks = iter(chunks)
        head = next(chunks, b"")
        if self.not_text(url, head[:HEAD_SIZE]):  # a picture or an archive: say what it looks like, not its bytes
            return
        scanner = XmlRecordScanner(itertools.chain((head,), chunks))
        root = scanner.read_root()
        record_tag = self._record_tag(url, root, scanner)
        if record_tag is None:
            return
        if scanner.prolog_controls:  # a stray NUL before the root costs nothing: not even the feed
            self.warn_record("xml_control_characters", "the document's start",
                             f"skipped {scanner.prolog_controls} character(s) XML 1.0 forbids before its root element")
        self.document_root = root.local
        if whole is not None:
            self.progress_total = count_records(whole, record_tag)
        parser = RecordParser(scanner)
        read = 0
        raws = scanner.records(record_tag, self.record_nested_in)
        for raw, node, problem in parser.records(self._allowed_characters(raws, record_tag, scanner.encoding)):
            where = f"{record_tag} at line {raw.line}"
            if problem == ENDS_INSIDE:
                break  # reported below, with the run marked incomplete
            if isinstance(problem, etree.XMLSyntaxError):
                line = raw.line + (problem.position[0] - 1 if problem.position else 0)
                problem = f"line {line}: {_LXML_POSITION.sub('', problem.msg.strip())}"
            if problem is not None:
                if not self._bad_record("malformed_record", where, problem, raw, scanner):
                    return
                continue
            while parser.new_prefixes:
                self.warn_record("undeclared_prefix", where, f"the prefix {parser.new_prefixes.pop(0)}: is used "
                                 "but never declared; its elements are read by their local names")
            read += 1
            self.record_where = where
            try:
                item = self.parse_node(node)
            except Exception as exc:  # one bad record is dropped; the feed goes on
                if not self._dropped("unparseable_record", where, f"{type(exc).__name__}: {exc}",
                                     _node_id(node, self.id_attribute)):
                    return
                continue
            if item is not None:
                yield item
        if not scanner.closed:
            logger.error("The feed %s is not well-formed XML at line %s: it ends before its root element </%s> "
                         "closes. %d records were read; the run is incomplete and nothing will be marked removed.",
                         url, scanner.line, root.qname, read, extra={"spider": self})
            self.mark_incomplete("truncated feed")

    def _allowed_characters(self, raws: Iterable[RawRecord], record_tag: str, encoding: str) -> Iterator[RawRecord]:
        """Each record without the characters XML 1.0 forbids (0x1D in a description, a NUL): a parser
        refuses the whole record for one of them, and the rest of its text is good. Counted as the
        warning xml_control_characters (one per record), and the record is kept."""
        for raw in raws:
            data, removed = without_forbidden_characters(raw.data, encoding)
            if removed:
                shown = ", ".join(dict.fromkeys(removed))
                self.warn_record("xml_control_characters", f"{record_tag} at line {raw.line}",
                                 f"removed {len(removed)} character(s) XML 1.0 forbids ({shown[:80]}); the record "
                                 "is kept")
                raw = raw._replace(data=data)
            yield raw

    def _record_tag(self, url: str, root, scanner: XmlRecordScanner) -> str | None:
        if root is None:
            preview = scanner.prolog_preview
            what = f"it starts with {preview[:60]!r}" if preview.strip() else "it is empty"
            self._wrong_format(url, f"not a {self.feed_format} feed: it holds no XML element ({what})")
            return None
        if not self.record_tags:
            return self.item_tag
        tag = self.record_tags.get(root.local)
        if tag is None:
            expected = " or ".join(f"<{r}>" for r in self.record_tags)
            self._wrong_format(url, f"not a {self.feed_format} feed: the root element is <{root.qname}> "
                                    f"(expected {expected})")
        return tag

    def _wrong_format(self, url: str, message: str) -> None:
        self.report_problem("wrong_format", url, message)
        self.mark_incomplete("wrong format")

    def _bad_record(self, reason: str, where: str, message: str, raw: RawRecord, scanner: XmlRecordScanner) -> bool:
        key = record_id(raw.data, scanner.encoding if scanner.encoding.startswith("utf") else "latin-1",
                        self.id_attribute)
        if key is None and "unidentified record dropped" not in self.incomplete_reasons:
            # The product this record describes is unknown, so it could be removed although still for sale.
            logger.error("A record of the feed without a readable id was dropped (%s): the run is incomplete and "
                         "nothing will be marked removed.", where, extra={"spider": self})
            self.mark_incomplete("unidentified record dropped")
        return self._dropped(reason, where, message, key)

    def _dropped(self, reason: str, where: str, message: str, key: str | None) -> bool:
        """Drop a record; False once there are too many to go on (the feed is garbage)."""
        self.drop_row(reason, where, message, key=key)
        self.bad_records += 1
        if self.bad_records <= MAX_ROW_ERRORS:
            return True
        logger.error("The feed has more than %d unreadable records; stopped reading it.", MAX_ROW_ERRORS,
                     extra={"spider": self})
        self.mark_incomplete("too many bad records")
        return False

    @staticmethod
    def children(node: etree._Element) -> dict[str, list[str]]:
        """The stripped texts of a record's child elements by local name ("g:price" -> "price").

        One pass over the children: an order of magnitude faster than a namespaced find() per field.
        """
        found: dict[str, list[str]] = {}
        for child in node:  # comments and processing instructions were removed by the parser
            text = child.text
            if text and (text := text.strip()):
                tag = child.tag
                found.setdefault(tag[tag.rfind("}") + 1:], []).append(text)
        return found


def first(fields: dict[str, list[str]], *names: str) -> str | None:
    """The first text of the first name present in fields (from XmlFeedSpider.children)."""
    for name in names:
        values = fields.get(name)
        if values:
            return values[0]
    return None


def local_name(tag: str) -> str:
    return tag[tag.rfind("}") + 1:]


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _node_id(node: etree._Element, attribute: str = "id") -> str | None:
    return node.get(attribute) or next((c.text.strip() for c in node
                                        if isinstance(c.tag, str) and local_name(c.tag) == "id" and c.text), None)
