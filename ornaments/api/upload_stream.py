"""An upload's multipart body read as it arrives: the file part is written straight to its place on
disk, its first bytes are checked before the rest is read, and its size is counted on the way.

FastAPI's UploadFile would spool the whole body before the endpoint runs, so 200 MB of random bytes
were received, stored and handed to a crawl before anything looked at them. Here a file that is not
text or XML is refused (415) after its first SNIFF_BYTES, and one past the size limit (413) as soon
as its Content-Length or its bytes say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

SNIFF_BYTES = 8192  # what the content check looks at
MAX_FIELDS = 32
MAX_FIELD_BYTES = 64 * 1024
FORM_OVERHEAD = 1024 * 1024  # the other fields and the part headers, on top of the file's own limit


@dataclass
class Received:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    size: int = 0  # the file's bytes
    head: bytes = b""  # its first SNIFF_BYTES


class _Part:
    def __init__(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.name = ""
        self.is_file = False
        self.data = bytearray()


class UploadReceiver:
    """Reads a multipart/form-data body with one file part (`file_field`) into `target`.

    check(head) is called with the file's first SNIFF_BYTES (or all of it, when smaller) before more
    is written; it raises HTTPException to refuse the file. The caller deletes `target` on any error."""

    def __init__(self, target: Path, limit: int, check: Callable[[bytes, str | None], None],
                 file_field: str = "file"):
        self.target = target
        self.limit = limit
        self.check = check
        self.file_field = file_field
        self.received = Received()
        self._part = _Part()
        self._header_name = b""
        self._header_value = b""
        self._to_write: list[bytes] = []
        self._checked = False
        self._file_parts = 0

    # --- python-multipart callbacks (synchronous: they only collect; the awaits are in receive) ------

    def _on_part_begin(self) -> None:
        self._part = _Part()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._part.headers.append((self._header_name.lower(), self._header_value))
        self._header_name = self._header_value = b""

    def _on_headers_finished(self) -> None:
        disposition = next((v for k, v in self._part.headers if k == b"content-disposition"), b"")
        _, options = parse_options_header(disposition)
        if b"name" not in options:
            raise HTTPException(400, "a part of the form has no name")
        self._part.name = options[b"name"].decode("utf-8", "replace")
        if b"filename" in options or self._part.name == self.file_field:
            if self._part.name != self.file_field:
                raise HTTPException(400, f"send the feed in the form field `{self.file_field}`, not "
                                         f"`{self._part.name}`")
            self._file_parts += 1
            if self._file_parts > 1:
                raise HTTPException(400, "one file per upload")
            self._part.is_file = True
            self.received.filename = options.get(b"filename", b"").decode("utf-8", "replace") or None
        elif len(self.received.fields) >= MAX_FIELDS:
            raise HTTPException(400, f"more than {MAX_FIELDS} form fields")

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._part.is_file:
            self.received.size += len(chunk)
            if self.received.size > self.limit:
                raise too_large(self.limit)
            self._to_write.append(chunk)
            return
        self._part.data += chunk
        if len(self._part.data) > MAX_FIELD_BYTES:
            raise HTTPException(400, f"the form field `{self._part.name}` is longer than {MAX_FIELD_BYTES} bytes")

    def _on_part_end(self) -> None:
        if not self._part.is_file:
            self.received.fields[self._part.name] = self._part.data.decode("utf-8", "replace")

    # --- the body --------------------------------------------------------------------------------

    async def receive(self, request: Request) -> Received:
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        if content_type != b"multipart/form-data" or b"boundary" not in params:
            raise HTTPException(415, f"send the feed as multipart/form-data, in the field `{self.file_field}`")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit + FORM_OVERHEAD:
            raise too_large(self.limit)
        parser = MultipartParser(params[b"boundary"], {
            "on_part_begin": self._on_part_begin, "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end, "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value, "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished})
        with open(self.target, "wb") as file:
            try:
                async for chunk in request.stream():
                    parser.write(chunk)
                    await self._flush(file, final=False)
                parser.finalize()
            except MultipartParseError as exc:
                raise HTTPException(400, f"the form could not be read: {exc}") from None
            await self._flush(file, final=True)
        if not self._file_parts:
            raise HTTPException(400, f"the form has no file in the field `{self.file_field}`")
        return self.received

    async def _flush(self, file: BinaryIO, final: bool) -> None:
        if not self._checked:
            pending = b"".join(self._to_write)
            if len(pending) < SNIFF_BYTES and not final:
                return  # nothing is written before the head has been checked
            self._checked = True
            self.received.head = pending[:SNIFF_BYTES]
            if pending:
                self.check(self.received.head, self.received.filename)
        if self._to_write:
            data = b"".join(self._to_write)
            self._to_write.clear()
            await run_in_threadpool(file.write, data)


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the file is larger than ORNAMENTS_API_MAX_UPLOAD_MB ({limit / 1024 / 1024:g} MB)")
