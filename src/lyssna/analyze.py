"""Enrichment outside the store: records of a CSV or JSON-lines file in, the same records out with what
the enrichers found added (``lyssna analyze``), for pipelines, notebooks and anyone's own evaluation.

Each record keeps its own fields; the enrichers' columns are added (``lang``, ``lang_score``,
``sentiment``, ``sentiment_score``, ``hashtags`` … ``phrases``, ``labels``, ``dup_group`` …). In JSON
lines a list stays a list; in CSV its items are joined with ``|`` (none of them can hold one: hashtags,
mentions, domains, emoji and phrases have no ``|``; a URL with one is percent-encoded first). A
record's number (1 for the first) is its key: ``dup_group``/``dup_of`` name records by it. A record
field that has an enricher column's name is kept; the column is then written as ``lyssna_<name>``.

Bad input never stops the run: a line that is not a JSON object, or a record whose text field is not
text, is reported (file, line, what is wrong) through ``on_error`` and left out of the output; a missing
text column in a CSV header is an error before anything is read. Lines are bounded (``MAX_LINE``), a
byte order mark is ignored, undecodable bytes are replaced and reported, a CSV header of one column
reads each line as one text (commas included).
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence, TextIO

import orjson

from .enrichers.base import Enricher, chain
from .errors import LyssnaError
from .query.analysis import MatchInput

__all__ = ["AnalyzeError", "Problem", "read_records", "analyze", "write_jsonl", "write_csv", "sniff", "MAX_LINE",
           "BATCH", "open_input", "bounded_lines"]

MAX_LINE = 1 << 20  # 1 MiB: a longer line is reported and skipped
BATCH = 2_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class AnalyzeError(LyssnaError):
    """The input cannot be read at all (no such column, not CSV or JSON lines)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Problem:
    source: str
    line: int
    message: str
    skipped: bool = True  # False: a warning, the record was kept

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.message}"


def sniff(head: str) -> str:
    """``jsonl`` when the first non-blank character opens a JSON object, else ``csv``; a JSON array (one
    document, not lines) is refused with what to do instead."""
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        raise AnalyzeError("the input is a JSON array; write one JSON object a line (JSON lines), "
                           "e.g. with `jq -c '.[]'`")
    return "jsonl" if stripped.startswith("{") else "csv"


def read_records(stream: TextIO, kind: str, text_col: str, source: str,
                 on_error: Callable[[Problem], None]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each good record; problems go to ``on_error``. ``stream`` should be
    decoded with ``errors="replace"``: a line with undecodable bytes is kept and reported."""
    if kind == "jsonl":
        yield from _jsonl(stream, text_col, source, on_error)
    else:
        yield from _csv(stream, text_col, source, on_error)


def _jsonl(stream: TextIO, text_col: str, source: str, on_error) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(bounded_lines(stream, source, on_error), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line.lstrip("\ufeff"))
        except orjson.JSONDecodeError as e:
            on_error(Problem(source, number, f"not JSON ({e.args[0].split(':')[0]})"))
            continue
        if not isinstance(record, dict):
            on_error(Problem(source, number, f"a JSON {_json_kind(record)}, not an object"))
            continue
        text = record.get(text_col)
        if text is None:
            on_error(Problem(source, number, f"no {text_col!r} field (use --text-col to name the text field)"))
            continue
        if not isinstance(text, str):
            on_error(Problem(source, number, f"{text_col!r} is a JSON {_json_kind(text)}, not text"))
            continue
        yield number, record


def _json_kind(value: Any) -> str:
    return ("boolean" if isinstance(value, bool) else "number" if isinstance(value, (int, float))
            else "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "null")


@contextmanager
def open_input(file: str) -> Iterator[TextIO]:
    """A file (or ``-``: stdin) as UTF-8 text whatever the locale: a byte order mark dropped, bad bytes
    replaced (:func:`bounded_lines` reports them), newlines kept as written (for CSV)."""
    if file == "-":
        raw: Any = sys.stdin.buffer
    else:
        try:
            raw = open(Path(file), "rb")
        except OSError as e:
            raise AnalyzeError(f"{file}: cannot read ({e.strerror})") from None
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    try:
        yield stream
    finally:
        if file == "-":
            stream.detach()  # stdin stays open for the caller
        else:
            stream.close()


def bounded_lines(stream: TextIO, source: str, on_error) -> Iterator[str]:
    """The stream's lines; a line over :data:`MAX_LINE` characters is reported and given as an empty
    line (so line numbers stay right), one with undecodable bytes (U+FFFD) is reported and kept."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            on_error(Problem(source, number, f"longer than {MAX_LINE:,} characters; skipped"))
            while line and not line.endswith("\n"):  # the rest of the long line
                line = stream.readline(MAX_LINE)
            yield "\n"
            continue
        if "\ufffd" in line:
            on_error(Problem(source, number, "not valid UTF-8: undecodable bytes replaced by \ufffd (kept)",
                             skipped=False))
        yield line


_SPAN_WARNING = 50  # lines one CSV record may span before a warning (an unclosed quote swallows the rest)


def _csv(stream: TextIO, text_col: str, source: str, on_error) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(MAX_LINE)
    lines = bounded_lines(stream, source, on_error)
    first = next(lines, "")
    if not first.strip():
        return
    first = first.lstrip("\ufeff")
    if not any(c in first for c in ",;\t"):
        dialect: Any = _OneColumn  # a header of one column: each line is one field, commas and all
    else:
        try:
            dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(itertools.chain([first], lines), dialect)
    try:
        header = next(reader)
    except csv.Error as e:
        raise AnalyzeError(f"{source}, line 1: not a CSV header ({e})") from None
    if text_col not in header:
        raise AnalyzeError(f"{source}: no column {text_col!r}; the columns are {', '.join(header)} "
                           "(use --text-col to name the text column)")
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            on_error(Problem(source, reader.line_num, f"unreadable CSV ({e}); skipped"))
            previous = reader.line_num
            continue
        if reader.line_num - previous > _SPAN_WARNING:
            on_error(Problem(source, reader.line_num, f"one record spans lines {previous + 1}–{reader.line_num} "
                             "(an unclosed quote?)", skipped=False))
        previous = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            on_error(Problem(source, reader.line_num, f"{len(row)} fields where the header has {len(header)}"))
            continue
        yield reader.line_num, dict(zip(header, row))


class _OneColumn(csv.excel):
    delimiter = "\x1f"  # the unit separator: never in text


def analyze(records: Iterable[tuple[int, dict[str, Any]]], enrichers: Sequence[Enricher], text_col: str,
            *, title_col: str | None = None, batch: int = BATCH, nest: bool = False) -> Iterator[dict[str, Any]]:
    """Each record with the enrichers' columns added, in input order, a batch at a time. With ``nest``
    (JSON output), ``sentiment`` is one object ``{"label", "score"}`` instead of two columns."""
    ordered = chain(enrichers)
    pending: list[dict[str, Any]] = []
    key = 0
    for _line, record in records:
        pending.append(record)
        if len(pending) >= batch:
            yield from _run(pending, ordered, text_col, title_col, key, nest)
            key += len(pending)
            pending = []
    if pending:
        yield from _run(pending, ordered, text_col, title_col, key, nest)


def _run(records: list[dict[str, Any]], enrichers: Sequence[Enricher], text_col: str, title_col: str | None,
         key: int, nest: bool) -> Iterator[dict[str, Any]]:
    posts = []
    for i, r in enumerate(records, start=key + 1):
        title = r.get(title_col) if title_col else None
        posts.append(MatchInput(i, _EPOCH, "file", str(r.get(text_col) or ""),
                                title if isinstance(title, str) and title else None))
    given: dict[str, list] = {}
    for e in enrichers:
        out = e.enrich(posts, given)
        for column in e.provides:
            given[column.name] = list(out[column.name])
    if nest and "sentiment" in given and "sentiment_score" in given:
        scores = given.pop("sentiment_score")
        given["sentiment"] = [{"label": lab, "score": sc} for lab, sc in zip(given["sentiment"], scores)]
    for i, r in enumerate(records):
        added = dict(r)
        for name, values in given.items():
            added[f"lyssna_{name}" if name in r else name] = values[i]  # never overwrite the record's own
        yield added


def write_jsonl(records: Iterable[dict[str, Any]], out) -> int:
    """JSON lines to a binary stream; returns the count."""
    n = 0
    for r in records:
        out.write(orjson.dumps(r, default=str, option=orjson.OPT_APPEND_NEWLINE))
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], out: TextIO,
              on_error: Callable[[Problem], None] | None = None, source: str = "output") -> int:
    """CSV (header from the first record; lists joined with ``|``); returns the count. A later record's
    fields that the header lacks (JSON lines need not share their keys) are left out and reported once
    each through ``on_error``."""
    writer = None
    fields: set[str] = set()
    reported: set[str] = set()
    n = 0
    for r in records:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(r), extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            fields = set(r)
        extra = [k for k in r if k not in fields and k not in reported]
        if extra and on_error is not None:
            reported.update(extra)
            on_error(Problem(source, n + 1, "fields not in the CSV header (taken from the first record) left "
                             f"out: {', '.join(extra)}; use --json to keep every field", skipped=False))
        writer.writerow({k: _cell(v) for k, v in r.items()})
        n += 1
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "|".join((v if isinstance(v, str) else orjson.dumps(v, default=str).decode()).replace("|", "%7C")
                        for v in value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, dict):
        return orjson.dumps(value, default=str).decode()
    return value
