"""What an import format is, and the readers formats share.

A format is two halves, kept apart (STYLE.md habit 3):

* ``read(path, cursor, options)`` does the I/O: it yields :class:`RawRecord` items in a fixed order, each
  with its ordinal ``position`` (the resume cursor) and a human ``locator`` ("line 12"). A record that
  cannot even be parsed is yielded with ``error`` set, never raised, so the import goes on.
* ``map(record, ctx)`` is pure: it turns one record into posts. It raises :class:`RecordError` (or
  returns :class:`Problem` items for parts of a record) for bad input; the pipeline quarantines those.

``sniff(sample)`` says how sure the format is that a file is its own (0 = not mine, 100 = certain),
from the content, not the file name.

Two optional hooks: ``check(sample, options)`` may raise :class:`~lyssna.errors.MappingSpecError` before
anything is read (a ``--map`` that does not fit the file), and the iterator ``read`` returns may carry a
``notes`` list of things the user should know about the file (e.g. "read as Windows-1252").
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator, Protocol, runtime_checkable

import orjson

from ..errors import RecordError, UnreadableFile
from ..models import Post

__all__ = [
    "Cursor",
    "Format",
    "MapContext",
    "Problem",
    "RawRecord",
    "ReadOptions",
    "Sample",
    "MAX_RECORD_BYTES",
    "MAX_DOCUMENT_BYTES",
    "SAMPLE_BYTES",
    "bounded",
    "decode_text",
    "iter_json_lines",
    "iter_json_document",
    "iter_json_records",
]

SAMPLE_BYTES = 64 * 1024
#: A single line or record longer than this is quarantined rather than read into memory.
MAX_RECORD_BYTES = 16 * 1024 * 1024
#: A whole-document format (one JSON document, one feed) larger than this is refused.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
#: How much of a bad record's text is kept in the quarantine.
QUARANTINE_TEXT_CHARS = 4000


def bounded(text: str | bytes | None, limit: int = QUARANTINE_TEXT_CHARS) -> str:
    """The start of a record's text for the quarantine, never more than ``limit`` characters."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text[: limit * 4].decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more characters]"


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where to resume reading a file: the next record's ordinal and, for line formats, its byte offset."""

    position: int = 0
    byte_offset: int | None = None


@dataclass(slots=True)
class RawRecord:
    """One item as read from a file, before mapping."""

    position: int  # ordinal in the file: the resume cursor is position + 1
    locator: str  # for people: "line 12", "item 3", "cue 7"
    payload: Any = None  # parsed JSON, a dict of CSV cells, a feed entry …
    error: str | None = None  # set when the item could not be parsed at all
    text: str | bytes | None = None  # the item's raw text, kept for the quarantine
    end_offset: int | None = None  # byte offset just after this record, when the format can seek
    #: The file ends inside this record (a line still being written): it is quarantined for now, and the
    #: cursor stays before it so that it is read again when the file grows.
    incomplete: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """A part of a record that could not be mapped (one tweet in a page, one comment in a tree)."""

    locator: str  # appended to the record's locator: "line 3, data[7]"
    reason: str
    raw: Any = None


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options from the command line that readers and mappers may use."""

    mapping: dict[str, str] = field(default_factory=dict)  # CSV/JSON lines: field -> column
    platform: str | None = None  # override the platform of generic formats
    default_tz: tzinfo | None = None  # for timestamps written without an offset
    delimiter: str | None = None  # CSV delimiter, when not sniffed


@dataclass(frozen=True, slots=True)
class MapContext:
    """What a mapper knows besides the record: the file it came from and the options."""

    source: str
    options: ReadOptions = field(default_factory=ReadOptions)


class Sample:
    """The start of a file, for sniffing. Parses lazily and at most once per file."""

    def __init__(self, path: Path, head: bytes, size: int, options: "ReadOptions | None" = None):
        self.path = path
        self.head = head
        self.size = size
        self.options = options  # what the user said (e.g. a --map), which may decide a claim

    @classmethod
    def of(cls, path: Path, options: "ReadOptions | None" = None) -> "Sample":
        try:
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(SAMPLE_BYTES)
        except OSError as e:
            raise UnreadableFile(f"{path}: cannot read ({e.strerror or e})") from None
        return cls(path, head, size, options)

    @cached_property
    def text(self) -> str:
        """The head as text (BOM removed, undecodable bytes replaced), stripped of leading white space."""
        return decode_text(self.head)[0].lstrip()

    @cached_property
    def first_line_json(self) -> Any:
        """The first non-blank line parsed as JSON, or None when it is not a complete JSON value."""
        for line in self.head.split(b"\n"):
            if line.strip():
                try:
                    return orjson.loads(line)
                except orjson.JSONDecodeError:
                    return None
        return None

    @cached_property
    def document_json(self) -> Any:
        """The whole file parsed as one JSON document (only for JSON-looking files), or None."""
        if not self.text[:1] in ("{", "["):
            return None
        if self.size > MAX_DOCUMENT_BYTES:
            return None
        if len(self.head) == self.size:
            data = self.head
        else:
            try:
                data = self.path.read_bytes()
            except OSError:
                return None
        try:
            return orjson.loads(_strip_bom(data))
        except orjson.JSONDecodeError:
            return None

    def first_json_object(self) -> dict | None:
        """The first JSON object in the file: the first JSON line, or the document (or its first item)."""
        value = self.first_line_json
        if value is None:
            value = self.document_json
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, dict)), None)
        return value if isinstance(value, dict) else None

    def looks_like_json_lines(self) -> bool:
        """Several JSON values one per line (or one line holding a whole value)."""
        return self.first_line_json is not None


@runtime_checkable
class Format(Protocol):
    """An import format. Implementations are plain classes registered in :mod:`lyssna.plugins`."""

    name: ClassVar[str]  # "twitter-v2"
    platform: ClassVar[str]  # the platform its posts get
    summary: ClassVar[str]  # one line for `lyssna formats` and error messages
    line_based: ClassVar[bool]  # True when read() honours Cursor.byte_offset

    def sniff(self, sample: Sample) -> int: ...

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]: ...

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]: ...


# ---------------------------------------------------------------------------------------------------
# Shared readers


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252. Returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        # A sample may end inside a multi-byte character: that alone is not a reason to give up UTF-8.
        if e.start >= len(data) - 3 and e.reason.startswith("unexpected end"):
            return data[: e.start].decode("utf-8"), "utf-8"
        return data.decode("cp1252", errors="replace"), "cp1252"


def iter_json_lines(path: Path, cursor: Cursor, *, locator: str = "line") -> Iterator[RawRecord]:
    """One JSON value per line. Blank lines are skipped; a bad line is yielded with ``error`` set.

    ``position`` is the 0-based line number, so "line N" is ``position + 1``. With ``cursor.byte_offset``
    the file is read from there (line numbering continues at ``cursor.position``); without it, lines
    before ``cursor.position`` are skipped.
    """
    try:
        f = path.open("rb")
    except OSError as e:
        raise UnreadableFile(f"{path}: cannot read ({e.strerror or e})") from None
    with f:
        lineno = 0
        offset = 0
        if cursor.byte_offset:
            f.seek(cursor.byte_offset)
            lineno = cursor.position
            offset = cursor.byte_offset
        while True:
            line = f.readline(MAX_RECORD_BYTES + 1)
            if not line:
                return
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                # Too long: skip to the end of the line without keeping it.
                head = line[:QUARANTINE_TEXT_CHARS]
                while line and not line.endswith(b"\n"):
                    line = f.readline(MAX_RECORD_BYTES)
                    offset += len(line)
                offset += MAX_RECORD_BYTES + 1
                if lineno >= cursor.position:
                    yield RawRecord(lineno, f"{locator} {lineno + 1}", error=(
                        f"record longer than {MAX_RECORD_BYTES // (1024 * 1024)} MiB"), text=head, end_offset=offset)
                lineno += 1
                continue
            offset += len(line)
            if lineno < cursor.position:
                lineno += 1
                continue
            stripped = line.strip()
            if lineno == 0:
                stripped = _strip_bom(stripped)
            if stripped:
                try:
                    payload = orjson.loads(stripped)
                except orjson.JSONDecodeError as e:
                    cut = not line.endswith(b"\n")  # the last line, perhaps still being written
                    yield RawRecord(lineno, f"{locator} {lineno + 1}", error=f"invalid JSON: {e}", text=stripped,
                                    end_offset=offset - len(line) if cut else offset, incomplete=cut)
                else:
                    yield RawRecord(lineno, f"{locator} {lineno + 1}", payload=payload, text=stripped,
                                    end_offset=offset)
            lineno += 1


def read_document_bytes(path: Path) -> bytes:
    """A whole file, refusing ones over :data:`MAX_DOCUMENT_BYTES`."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise UnreadableFile(
                f"{path}: {size / 2**20:.0f} MiB is more than the {MAX_DOCUMENT_BYTES // 2**20} MiB a single "
                "document may have; split it or export it as JSON lines")
        return path.read_bytes()
    except OSError as e:
        raise UnreadableFile(f"{path}: cannot read ({e.strerror or e})") from None


def iter_json_document(path: Path, cursor: Cursor, items: Any = None, *, prefix: bytes | None = None,
                       locator: str = "item") -> Iterator[RawRecord]:
    """A file holding one JSON document. A list yields one record per element; anything else one record.

    ``prefix`` is text to strip before the JSON starts (``window.YTD.tweets.part0 =``). A document that
    does not parse is yielded as one record with ``error`` naming the position.
    """
    data = _strip_bom(read_document_bytes(path))
    if prefix is not None:
        start = data.find(prefix)
        if start >= 0:
            data = data[start + len(prefix):]
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        yield RawRecord(0, "document", error=f"invalid JSON: {e}", text=data[:QUARANTINE_TEXT_CHARS])
        return
    values = doc if isinstance(doc, list) else [doc]
    for i, value in enumerate(values):
        if i < cursor.position:
            continue
        yield RawRecord(i, f"{locator} {i + 1}" if isinstance(doc, list) else "document", payload=value)


def iter_json_records(path: Path, cursor: Cursor) -> Iterator[RawRecord]:
    """JSON lines when the file's first line is a whole JSON value, else one JSON document (a list: a
    record per item). What most JSON export formats need."""
    if Sample.of(path).first_line_json is not None:
        return iter_json_lines(path, cursor)
    return iter_json_document(path, cursor)


def read_text_lines(path: Path) -> io.StringIO:
    """A small text file decoded (see :func:`decode_text`), as a stream of lines."""
    text, _ = decode_text(read_document_bytes(path))
    return io.StringIO(text, newline=None)


def require(mapping: Any, key: str, what: str = "record") -> Any:
    """``mapping[key]``, or a :class:`RecordError` naming what is missing."""
    if not isinstance(mapping, dict):
        raise RecordError(f"{what} is a JSON {type(mapping).__name__}, not an object")
    value = mapping.get(key)
    if value is None or value == "":
        raise RecordError(f"{what} has no {key!r}")
    return value
