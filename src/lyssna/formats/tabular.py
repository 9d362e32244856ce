"""Generic tables of posts: CSV (comma, semicolon, tab or bar separated) and JSON lines or a JSON array of
flat-ish objects, with a column mapping (see :mod:`lyssna.formats.mapping` for how ``--map`` is written).

**Claiming a file.** Without a mapping a file is claimed only when its header (or its first JSON objects'
keys) names at least a text column and a time column, so unrelated CSV or JSON gets the pipeline's
"unknown format" message instead of a pile of quarantined rows. These formats are registered last and
claim with less confidence than the platform formats, which win when they recognise a file. With an
explicit mapping every CSV or JSON-lines file is claimed (once the pipeline hands the options to sniffers
through ``sample.options``; until then force it with ``--format csv``/``--format json``), and a mapping
naming a column that is not there is a :class:`MappingSpecError` from :meth:`Csv.read` naming the column
and the columns that exist.

**Records.** Every record's locator is ``line N``: the physical line where the CSV record starts (a
quoted field may span lines; the reader counts them) or the line of the JSON value. A row with the wrong
number of fields, an unterminated quote or an overlong record (16 MiB) is yielded with ``error`` set; a
row without text or with a time that cannot be read is a :class:`RecordError` from :meth:`map` (when the
time seems to sit in another column, the reason says the row looks shifted). Neither stops the import.
A blank row (no cells, or only empty ones) is not a record. A quote that is never closed would swallow
the rows after it: when it runs to the end of the file or past 16 MiB, or swallows a next line that is a
complete row by itself, only the line that opened it is quarantined and the lines after it are read
again. Excel's ``sep=;`` first line is obeyed; a single cell may be up to 16 MiB (the :mod:`csv` field
limit is raised, process-wide, to that).

**Ids.** With an id column the id is its value (``123.0`` written by spreadsheets becomes ``123``).
Without one the id is ``h-`` and 24 hex digits of SHA-256 over the author, the time (UTC, ISO 8601) and
the text, so importing the same rows again finds the same posts, and identical rows are duplicates.

**Platform and time.** The platform is ``--platform``, else a ``platform`` column, else ``other``. A
time without an offset is read in ``options.default_tz`` (the project's time zone, Europe/Stockholm by
default, which is right for Swedish exports such as Flashback's). For X/Twitter posts without a time
column the time is read from the id (a snowflake).

**Resuming.** CSV is read in binary and decoded one physical line at a time (UTF-8 with or without BOM;
a file that is not UTF-8 is read as Windows-1252 and a line that is not UTF-8 in a UTF-8 file too, with a
note), so each record's ``end_offset`` is exact and both formats are ``line_based``: an interrupted or
appended file is read on from a byte offset, the line count being recovered by counting newlines before
it. UTF-16 files are decoded whole and resume by position. JSON arrays resume by position.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

import orjson

from ..errors import MappingSpecError, RecordError, UnreadableFile
from ..models import KINDS, PLATFORMS, Author, Post
from .base import (MAX_RECORD_BYTES, Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, decode_text,
                   iter_json_document, iter_json_lines, read_document_bytes)
from .mapping import MISSING, Plan, lookup, plan_for_header, plan_for_objects, parse_mapping
from .values import domain_of, parse_time, to_int

__all__ = ["Csv", "JsonTable", "Row", "FORMATS", "parse_mapping", "map_row", "sniff_delimiter"]

DELIMITERS = (",", ";", "\t", "|")
#: Confidence when the header names a text and a time column (platform formats claim with 75 and more).
GUESSED_CSV, GUESSED_JSON = 50, 35
#: Confidence with an explicit mapping that fits the file, and one that does not (read() then explains).
MAPPED, MAPPED_MISFIT = 70, 30
_SAMPLE_OBJECTS = 200
_NULLS = frozenset({"", "null", "none", "nan", "n/a", "na", "nil", "\\n"})
_TRUE, _FALSE = frozenset({"true", "t", "yes", "y", "1", "ja"}), frozenset({"false", "f", "no", "n", "0", "nej"})
_KIND_ALIASES = {"tweet": "post", "status": "post", "original": "post", "retweet": "repost", "rt": "repost",
                 "reblog": "repost", "share": "repost", "answer": "reply", "quoted": "quote"}
_PLATFORM_ALIASES = {"x": "twitter", "x.com": "twitter", "twitter.com": "twitter", "reddit.com": "reddit",
                     "bsky": "bluesky", "bsky.app": "bluesky", "rss": "web", "blog": "web", "news": "web"}
_TIMEISH = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\b\d{1,2}:\d{2}:\d{2}\b|"
                      r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} ")
_SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_START = datetime(2010, 11, 4, tzinfo=timezone.utc)


# ---------------------------------------------------------------------------------------------------
# Mapping a row to a post (pure)


@dataclass(frozen=True, slots=True)
class Row:
    """A record's payload: its cells (a CSV row's strings, or a JSON object) and the file's :class:`Plan`."""

    cells: Any
    plan: Plan

    def values(self) -> dict[str, Any]:
        """The mapped fields that have a value (not None, not blank); several columns joined with a space."""
        out: dict[str, Any] = {}
        cells = self.cells
        json = self.plan.json
        for field, refs in self.plan.columns.items():
            if len(refs) == 1:
                if json:
                    v = lookup(cells, refs[0])
                    if v is MISSING:
                        continue
                else:
                    v = cells[refs[0]] if refs[0] < len(cells) else ""
                if v is None or (isinstance(v, str) and (not v or v.isspace())):
                    continue
                out[field] = v
            else:
                parts = [lookup(cells, r) for r in refs] if json else [cells[r] if r < len(cells) else "" for r in refs]
                joined = " ".join(str(p).strip() for p in parts if p is not None and p is not MISSING and str(p).strip())
                if joined:
                    out[field] = joined
        return out

    def raw(self) -> Any:
        """What the post keeps as its raw payload: the header's names with the row's cells, or the object."""
        if not self.plan.json:
            if not self.plan.header:
                return list(self.cells)
            raw: dict[str, str] = {}
            for i, cell in enumerate(self.cells):
                name = self.plan.names[i] if i < len(self.plan.names) else str(i + 1)
                raw[name if name not in raw else f"{name}_{i + 1}"] = cell
            return raw
        return self.cells


def _newlines(s: str) -> str:
    """Line breaks as ``\\n`` (a cell written on Windows keeps ``\\r\\n``)."""
    return s.replace("\r\n", "\n").replace("\r", "\n") if "\r" in s else s


def _digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


class _Fields:
    """A row's values read as the types of a post's fields, with errors naming field and column."""

    __slots__ = ("values", "labels")

    def __init__(self, row: Row):
        self.values = row.values()
        self.labels = row.plan.labels

    def about(self, field: str) -> str:
        return f"{field} ({self.labels.get(field, 'not mapped')})"

    def scalar(self, field: str) -> str | None:
        value = self.values.get(field)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise RecordError(f"{self.about(field)} is a JSON {type(value).__name__}, not a value")
        s = str(value).strip()
        return None if s.casefold() in _NULLS else s

    def ident(self, field: str) -> str | None:
        """An id: ``123.0`` (a spreadsheet's float) becomes ``123``; JSON numbers become their digits."""
        value = self.values.get(field)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        s = self.scalar(field)
        if s is not None and s.endswith(".0") and _digits(s[:-2]):
            return s[:-2]
        return s

    def count(self, field: str) -> int | None:
        value = self.values.get(field)
        if value is None or (isinstance(value, str) and value.strip().casefold() in _NULLS):
            return None
        return to_int(value, what=self.about(field))

    def flag(self, field: str) -> bool | None:
        s = self.scalar(field)
        if s is None:
            return None
        if s.casefold() in _TRUE:
            return True
        if s.casefold() in _FALSE:
            return False
        raise RecordError(f"{self.about(field)} {s[:40]!r} is not true or false")


def _time_hint(row: Row) -> str:
    """When a CSV row's time is not where the header says, where it seems to be (shifted columns)."""
    if row.plan.json:
        return ""
    own = set(row.plan.columns.get("created_at", ()))
    for i, cell in enumerate(row.cells):
        if i not in own and _TIMEISH.search(cell or "") and i < len(row.plan.names):
            return (f"; column {row.plan.names[i]!r} holds {cell.strip()[:40]!r}: the row's columns look "
                    "shifted (a delimiter inside an unquoted field?)")
    return ""


def _snowflake_time(native_id: str | None) -> datetime | None:
    if native_id and _digits(native_id) and 15 <= len(native_id) <= 20:
        dt = datetime.fromtimestamp(((int(native_id) >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, tz=timezone.utc)
        if dt >= _SNOWFLAKE_START:
            return dt
    return None


def stable_id(author: str | None, created_at: datetime, text: str) -> str:
    """The id of a post from a file without an id column: the same row always gets the same id."""
    key = "\x1f".join((author or "", created_at.astimezone(timezone.utc).isoformat(), text))
    return "h-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _platform(value: str | None, guessed: bool) -> str:
    """A platform name, normalised. A column only guessed to hold it (it may name the client or device,
    "Twitter for iPhone") counts only when it names a known platform; a mapped one may name any."""
    if not value:
        return "other"
    name = value.strip().casefold()
    name = _PLATFORM_ALIASES.get(name, name)
    if guessed and name not in PLATFORMS:
        return "other"
    return name


def map_row(row: Row, options: ReadOptions) -> Post:
    """One row (CSV cells or a JSON object) to a :class:`Post`, as its file's plan says."""
    if row.plan.json and not isinstance(row.cells, dict):
        raise RecordError(f"a record should be a JSON object, not a JSON {type(row.cells).__name__}")
    f = _Fields(row)
    text_value = f.values.get("text")
    if isinstance(text_value, (dict, list)):
        raise RecordError(f"{f.about('text')} is a JSON {type(text_value).__name__}, not text")
    text = _newlines(str(text_value)).strip() if text_value is not None else ""
    if not text:
        raise RecordError(f"{f.about('text')} is empty")
    platform = _platform(options.platform or f.scalar("platform"), guessed="platform" in row.plan.guessed
                         and not options.platform)
    native = f.ident("id")
    if "created_at" in row.plan.columns:
        try:
            created = parse_time(f.values.get("created_at"), options.default_tz, what=f.about("created_at"))
        except RecordError as e:
            raise RecordError(f"{e}{_time_hint(row)}") from None
    else:
        snowflake = _snowflake_time(native) if platform == "twitter" else None
        if snowflake is None:
            raise RecordError("no time: no created_at column, and the id is not an X/Twitter id that carries one")
        created = snowflake

    handle = f.scalar("author")
    handle = (handle.lstrip("@") or None) if handle else None
    author_name = f.scalar("author_name")
    author_native = f.ident("author_id") or handle or author_name
    author = None
    if author_native:
        author_url = f.scalar("author_url")
        if author_url is None and platform == "twitter" and handle:
            author_url = f"https://twitter.com/{handle}"
        author = Author(platform=platform, native_id=author_native, handle=handle, name=author_name,
                        followers=f.count("followers"), verified=f.flag("verified"), url=author_url)
    if native is None:
        native = stable_id(author_native, created, text)

    reply_to, quote_of, repost_of = f.ident("reply_to"), f.ident("quote_of"), f.ident("repost_of")
    kind = f.scalar("kind")
    if kind is not None:
        kind = _KIND_ALIASES.get(kind.casefold(), kind.casefold())
        if kind not in KINDS:
            raise RecordError(f"{f.about('kind')} {kind[:40]!r} is none of {', '.join(KINDS)}")
    else:
        kind = "repost" if repost_of else "reply" if reply_to else "quote" if quote_of else "post"
    url = f.scalar("url")
    if url is None and platform == "twitter" and _digits(native):
        url = f"https://twitter.com/{handle or 'i'}/status/{native}"
    lang, title = f.scalar("lang"), f.scalar("title")
    return Post(
        platform=platform, native_id=native, created_at=created, text=text, author=author, kind=kind,
        title=_newlines(title) if title else None, url=url, lang=lang if lang != "und" else None,
        site=f.scalar("site") or ("twitter.com" if platform == "twitter" else domain_of(url)),
        reply_to=reply_to, conversation_id=f.ident("conversation_id"), quote_of=quote_of, repost_of=repost_of,
        likes=f.count("likes"), reposts=f.count("reposts"), replies=f.count("replies"), quotes=f.count("quotes"),
        views=f.count("views"), raw=row.raw(),
    )


# ---------------------------------------------------------------------------------------------------
# Reading CSV with exact line numbers and byte offsets


_EXCEL_SEP = re.compile(r"sep=([,;\t|])[ \t]*\r?\n")


def _encoding(head: bytes) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip) judged from the start of a file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    return decode_text(head)[1], 0


def sniff_delimiter(text: str, complete: bool = True) -> tuple[str, list[str]] | None:
    """The delimiter of CSV text and its first row, or None when it does not look like a table.

    A table has at least two columns and most rows of the sample have as many fields as the first; of
    several delimiters that fit, the one that gives the most columns wins. ``complete`` False means the
    text is the start of a longer file: its last row is left out. Excel's ``sep=;`` first line is obeyed.
    """
    stripped = text.lstrip()
    if not stripped or stripped[0] in "{[<":
        return None
    excel = _EXCEL_SEP.match(text)
    if excel:
        rows = [r for r in islice(csv.reader(io.StringIO(text[excel.end():], newline=""),
                                             delimiter=excel.group(1)), 1) if r]
        return (excel.group(1), rows[0]) if rows else None
    best: tuple[tuple[bool, int, float], str, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 60) if r]
        except csv.Error:
            continue
        if not complete and len(rows) > 1:
            rows = rows[:-1]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agree = sum(len(r) == width for r in rows) / len(rows)
        if agree < 0.5:  # dirty files (a quote never closed) still count; a claim also needs a fitting header
            continue
        score = (agree >= 0.8, width, agree)
        if best is None or score > best[0]:
            best = (score, delimiter, rows[0])
    return (best[1], best[2]) if best else None


class _TooLong(Exception):
    def __init__(self, physical: bool):
        self.physical = physical


class _Lines:
    """The physical lines of a binary file, decoded one by one for :mod:`csv`, remembering which lines
    (and how many bytes) the record being parsed has taken, so that line numbers and offsets are exact."""

    def __init__(self, f: BinaryIO, *, offset: int, line: int, encoding: str):
        self.f = f
        self.encoding = encoding
        self.pending: deque[bytes] = deque()
        self.start_offset = offset  # where the record being parsed starts
        self.start_line = line  # its first line, counted from 1
        self.taken: list[bytes] = []
        self.taken_bytes = 0
        self.eof_in_record = False
        self.fallback_lines = 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self.pending:
            line = self.pending.popleft()
        else:
            line = self.f.readline(MAX_RECORD_BYTES + 1)
            if not line:
                self.eof_in_record = bool(self.taken)
                raise StopIteration
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                size = len(line)
                head = line[:4000]
                while line and not line.endswith(b"\n"):
                    line = self.f.readline(MAX_RECORD_BYTES)
                    size += len(line)
                self.taken.append(head)
                self.taken_bytes += size
                raise _TooLong(physical=True)
        self.taken.append(line)
        self.taken_bytes += len(line)
        if self.taken_bytes > MAX_RECORD_BYTES:
            raise _TooLong(physical=False)
        return self.decode(line)

    def decode(self, line: bytes, *, count: bool = True) -> str:
        """A line as text: UTF-8, or Windows-1252 for a file (or a line) that is not UTF-8."""
        if self.encoding == "utf-8":
            try:
                return line.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_lines += count
        return line.decode("cp1252", errors="replace")

    def take(self) -> tuple[int, int, bytes]:
        """Close the record parsed: (its first line, the offset after it, its bytes)."""
        first, data = self.start_line, b"".join(self.taken)
        self.start_line += len(self.taken)
        self.start_offset += self.taken_bytes
        self.taken, self.taken_bytes, self.eof_in_record = [], 0, False
        return first, self.start_offset, data

    def take_first_line(self) -> tuple[int, int, bytes]:
        """Close only the first line of the record parsed and read the others again."""
        first_line, rest = self.taken[0], self.taken[1:]
        self.pending.extendleft(reversed(rest))
        self.taken, self.taken_bytes = [first_line], len(first_line)
        return self.take()


@dataclass(slots=True)
class _Parsed:
    line: int
    end_offset: int
    data: bytes
    cells: list[str] | None = None
    error: str | None = None


def _looks_like_a_row(line: str, delimiter: str, width: int) -> bool:
    """Whether one physical line is, on its own, a complete row of ``width`` fields."""
    if line.count('"') % 2:
        return False
    try:
        return [len(r) for r in csv.reader([line], delimiter=delimiter)] == [width]
    except csv.Error:
        return False


def _parse_records(lines: _Lines, delimiter: str, width: int | None = None) -> Iterator[_Parsed]:
    """CSV records with the line each starts on. Recovers from a quote that is never closed by reading
    again from the line after the one that opened it: when the quote runs to the end of the file or past
    the size limit, and when (``width`` given) it swallowed the next line although that line is a row."""
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _TooLong as e:
            if e.physical or len(lines.taken) == 1:
                line, end, data = lines.take()
                yield _Parsed(line, end, data, error=f"record longer than {MAX_RECORD_BYTES // 2**20} MiB")
            else:
                line, end, data = lines.take_first_line()
                yield _Parsed(line, end, data, error=(
                    f"a quoted field opened here runs on for more than {MAX_RECORD_BYTES // 2**20} MiB "
                    "(a quote that is never closed?); the lines after it were read again"))
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        except csv.Error as e:
            line, end, data = lines.take_first_line() if len(lines.taken) > 1 else lines.take()
            yield _Parsed(line, end, data, error=f"not valid CSV: {e}")
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        if lines.eof_in_record:
            if len(lines.taken) > 1:
                line, end, data = lines.take_first_line()
                yield _Parsed(line, end, data, error=(
                    "a quoted field opened on this line is never closed; the lines after it were read again"))
                reader = csv.reader(lines, delimiter=delimiter)
                continue
            line, end, data = lines.take()
            yield _Parsed(line, end, data, error="a quoted field is never closed")
            continue
        if (width is not None and len(cells) != width and len(lines.taken) > 1
                and not (len(cells) > width and _is_blank(cells[width:]))
                and _looks_like_a_row(lines.decode(lines.taken[1], count=False), delimiter, width)):
            n = len(lines.taken)
            line, end, data = lines.take_first_line()
            yield _Parsed(line, end, data, error=(
                f"a quoted field opened on this line seems never closed: it ran on over {n} lines into a record "
                f"of {len(cells)} fields; the lines after it were read again"))
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        line, end, data = lines.take()
        yield _Parsed(line, end, data, cells=cells)


def _count_lines(path: Path, offset: int) -> int:
    """Newlines in the first ``offset`` bytes of a file (to number lines when resuming at an offset)."""
    count = 0
    with path.open("rb") as f:
        left = offset
        while left > 0:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


class _Records:
    """An iterator of RawRecords that also collects notes about the file (e.g. its encoding)."""

    def __init__(self, records: Iterator[RawRecord], notes: list[str]):
        self._records = records
        self.notes = notes

    def __iter__(self) -> "_Records":
        return self

    def __next__(self) -> RawRecord:
        return next(self._records)


def _is_blank(cells: list[str]) -> bool:
    return all(not c.strip() for c in cells)


def _open_binary(path: Path, encoding: str) -> tuple[BinaryIO, bool]:
    """The file as a binary stream; UTF-16 files are decoded whole (offsets then are not the file's)."""
    if encoding == "utf-16":
        text, _ = decode_text(read_document_bytes(path))
        return io.BytesIO(text.encode("utf-8")), False
    try:
        return path.open("rb"), True
    except OSError as e:
        raise UnreadableFile(f"{path}: cannot read ({e.strerror or e})") from None


def _first_record(path: Path, encoding: str, skip: int, line: int, delimiter: str) -> tuple[list[str], int, int]:
    """The first non-blank row from ``skip``, the offset and the line number after it."""
    f, _ = _open_binary(path, encoding)
    with f:
        f.seek(skip)
        lines = _Lines(f, offset=skip, line=line, encoding="utf-8" if encoding == "utf-16" else encoding)
        for parsed in _parse_records(lines, delimiter):
            if parsed.cells is not None and not _is_blank(parsed.cells):
                return parsed.cells, parsed.end_offset, lines.start_line
            if parsed.error is not None:
                raise MappingSpecError(f"{path}: the first row is not valid CSV ({parsed.error})")
    raise MappingSpecError(f"{path}: the file has no rows")


class Csv:
    """CSV/TSV exports of posts with a header naming the columns, or any CSV with ``--map``."""

    name = "csv"
    platform = "other"
    summary = ("CSV or TSV (, ; tab |), header recognised (text, created_at, id, author …) or mapped with "
               "--map; without a header map columns by number")
    line_based = True

    def sniff(self, sample: Sample) -> int:
        options: ReadOptions | None = getattr(sample, "options", None)
        text = decode_text(sample.head)[0]
        found = sniff_delimiter(text, complete=len(sample.head) >= sample.size)
        if options is not None and options.delimiter:
            rows = list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=options.delimiter), 1))
            found = (options.delimiter, rows[0]) if rows and len(rows[0]) > 1 else found
        if found is None:
            return 0
        mapping = options.mapping if options else {}
        try:
            plan_for_header(found[1], mapping, where=str(sample.path), platform=_option_platform(options))
        except MappingSpecError:
            return MAPPED_MISFIT if mapping else 0
        return MAPPED if mapping else GUESSED_CSV

    def check(self, sample: Sample, options: ReadOptions) -> Plan:
        """The mapping resolved against this file, or a :class:`MappingSpecError` saying what does not fit."""
        return self._plan(sample.path, options)[0]

    def _plan(self, path: Path, options: ReadOptions) -> tuple[Plan, str, str, int, int, int, int]:
        """The plan, encoding, delimiter, where data starts (offset, line) and where the header ends."""
        csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))  # one long cell is no error
        sample = Sample.of(path)
        encoding, skip = _encoding(sample.head)
        text = decode_text(sample.head)[0]
        line = 1
        excel = _EXCEL_SEP.match(text) if encoding != "utf-16" else None
        if excel:  # Excel's "sep=;" line: not part of the table
            skip += len(text[:excel.end()].encode(encoding))
            line = 2
        delimiter = options.delimiter or (excel.group(1) if excel else "")
        if not delimiter:
            found = sniff_delimiter(text, complete=len(sample.head) >= sample.size)
            delimiter = found[0] if found else ","
        first, after, next_line = _first_record(path, encoding, skip, line, delimiter)
        plan = plan_for_header(first, options.mapping, where=str(path), platform=_option_platform(options))
        return plan, encoding, delimiter, skip, line, after, next_line

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        """Records from ``cursor``; raises :class:`MappingSpecError` at once when the mapping does not fit."""
        plan, encoding, delimiter, skip, line, after, next_line = self._plan(path, options)
        notes: list[str] = []
        if encoding == "cp1252":
            notes.append("not UTF-8: read as Windows-1252")
        start = (after, next_line) if plan.header else (skip, line)
        return _Records(self._records(path, cursor, plan, encoding, delimiter, start, notes), notes)

    def _records(self, path: Path, cursor: Cursor, plan: Plan, encoding: str, delimiter: str,
                 start: tuple[int, int], notes: list[str]) -> Iterator[RawRecord]:
        f, real_offsets = _open_binary(path, encoding)
        with f:
            if cursor.byte_offset and real_offsets:
                f.seek(cursor.byte_offset)
                offset, position = cursor.byte_offset, cursor.position
                line = _count_lines(path, offset) + 1
            else:
                (offset, line), position = start, 0
                f.seek(offset)
            lines = _Lines(f, offset=offset, line=line, encoding="utf-8" if encoding == "utf-16" else encoding)
            for parsed in _parse_records(lines, delimiter, plan.width):
                if parsed.cells is not None and _is_blank(parsed.cells):
                    continue
                if position >= cursor.position:
                    yield self._record(parsed, plan, position, parsed.end_offset if real_offsets else None)
                position += 1
        if lines.fallback_lines:
            notes.append(f"{lines.fallback_lines} line(s) not UTF-8: read as Windows-1252")

    @staticmethod
    def _record(parsed: _Parsed, plan: Plan, position: int, end_offset: int | None) -> RawRecord:
        locator = f"line {parsed.line}"
        if parsed.error is not None:
            return RawRecord(position, locator, error=parsed.error, text=parsed.data, end_offset=end_offset)
        cells = parsed.cells or []
        width = plan.width or len(cells)
        if len(cells) > width and _is_blank(cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            of = "the header has" if plan.header else "the first row has"
            return RawRecord(position, locator, error=(
                f"{len(cells)} fields where {of} {width} (a delimiter in an unquoted field, or a quote that "
                "is not closed?)"), text=parsed.data, end_offset=end_offset)
        return RawRecord(position, locator, payload=Row(cells, plan), text=parsed.data, end_offset=end_offset)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return [map_row(record.payload, ctx.options)]


def _option_platform(options: ReadOptions | None) -> str | None:
    return _platform(options.platform, guessed=False) if options and options.platform else None


# ---------------------------------------------------------------------------------------------------
# Generic JSON


def _sample_objects(sample: Sample) -> list[Any]:
    """The first objects of a JSON-lines file or JSON array, as far as the sample reaches."""
    if sample.first_line_json is not None:
        out: list[Any] = []
        lines = sample.head.split(b"\n")
        if len(sample.head) < sample.size:
            lines = lines[:-1]
        for line in lines:
            line = line.strip().lstrip(codecs.BOM_UTF8)
            if line:
                try:
                    out.append(orjson.loads(line))
                except orjson.JSONDecodeError:
                    continue
            if len(out) >= _SAMPLE_OBJECTS:
                break
        return out
    doc = sample.document_json
    if isinstance(doc, list):
        return doc[:_SAMPLE_OBJECTS]
    return [doc] if isinstance(doc, dict) else []


class JsonTable:
    """Generic JSON lines, or a JSON array, of flat-ish objects (keys may be dotted paths in ``--map``)."""

    name = "json"
    platform = "other"
    summary = ("JSON lines or a JSON array of objects with text and time keys (recognised, or mapped with "
               "--map, dotted paths allowed)")
    line_based = True

    def sniff(self, sample: Sample) -> int:
        options: ReadOptions | None = getattr(sample, "options", None)
        if sample.text[:1] not in ("{", "["):
            return 0
        objects = _sample_objects(sample)
        if not any(isinstance(o, dict) for o in objects):
            return 0
        mapping = options.mapping if options else {}
        try:
            plan_for_objects(objects, mapping, where=str(sample.path), platform=_option_platform(options))
        except MappingSpecError:
            return MAPPED_MISFIT if mapping else 0
        return MAPPED if mapping else GUESSED_JSON

    def check(self, sample: Sample, options: ReadOptions) -> Plan | None:
        """The mapping resolved against this file, or a :class:`MappingSpecError` saying what does not fit.

        A document that is not JSON at all passes: reading it quarantines it with the parser's position."""
        if sample.first_line_json is None and sample.document_json is None:
            return None
        objects = _sample_objects(sample)
        if not any(isinstance(o, dict) for o in objects):
            raise MappingSpecError(f"{sample.path}: not JSON lines or a JSON array of objects")
        return plan_for_objects(objects, options.mapping, where=str(sample.path),
                                platform=_option_platform(options))

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        """Records from ``cursor``; raises :class:`MappingSpecError` at once when the mapping does not fit."""
        sample = Sample.of(path)
        if sample.first_line_json is not None:
            plan = self.check(sample, options)
            return _Records((self._wrap(r, plan) for r in iter_json_lines(path, cursor)), [])
        # A whole document: plan from its first items rather than parse it once more for the sample.
        records = iter_json_document(path, cursor)
        head = list(islice(records, _SAMPLE_OBJECTS))
        objects = [r.payload for r in head if r.error is None]
        if not objects:  # a document that does not parse is one quarantined record
            return _Records(iter(head), [])
        if not any(isinstance(o, dict) for o in objects):
            raise MappingSpecError(f"{path}: not JSON lines or a JSON array of objects")
        plan = plan_for_objects(objects, options.mapping, where=str(path), platform=_option_platform(options))
        return _Records((self._wrap(r, plan) for r in chain(head, records)), [])

    @staticmethod
    def _wrap(record: RawRecord, plan: Plan) -> RawRecord:
        if record.error is None:
            record.payload = Row(record.payload, plan)
        return record

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return [map_row(record.payload, ctx.options)]


FORMATS = (Csv, JsonTable)
