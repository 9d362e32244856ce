"""Transcripts of a recording — WebVTT (``.vtt``) and SubRip (``.srt``): one post per cue.

Each cue becomes a :class:`Post` of platform ``transcript`` and kind ``segment``, with
``media_start_ms``/``media_end_ms`` its place in the recording, so that "where in the interview do they
talk about campaigns?" finds the cue at 00:01:38 and its ``url`` (``intervju.vtt#t=98``, a W3C media
fragment) opens the recording there.

**The recording.** Its id is the file's stem (``intervju.vtt`` → ``intervju``) unless a header names it.
A transcript has no wall-clock times, so a cue's ``created_at`` is the recording's start plus the cue's
offset. The start is taken from a header; without one, from the file's modification time (an
approximation: usually when the file was written, not when the recording was made; ``raw["recorded_from"]``
says ``"mtime"``). Headers are ``Name: value`` lines, names case-insensitive:

=========================  ==========================================================================
``X-LYSSNA-RECORDED``      when the recording started, ISO 8601 with its offset
                           (``2009-05-12T14:00:00+02:00``; without an offset, ``--tz`` or UTC)
``X-LYSSNA-RECORDING``     the recording's id (instead of the file stem)
``X-LYSSNA-MEDIA``         the recording's file name or URL, used for ``url`` (instead of the transcript's
                           file name) and ``site`` (its domain)
``Language`` or            the language spoken (``sv``, ``sv-SE``)
``X-LYSSNA-LANGUAGE``
=========================  ==========================================================================

In WebVTT they go in the header (the lines right after ``WEBVTT``, before the first blank line) or in a
``NOTE`` block before the first cue, so the file stays valid WebVTT. SubRip has no place for them: a first
block made only of ``X-LYSSNA-…:`` lines is read as headers (players will show or skip it; Lyssna's own
convention). A header ``X-LYSSNA-RECORDED`` that is not a time is quarantined with its line, and so is
every cue of the file (rather than dating them by the file's time, which a later import could not correct).

**Cues.** ``native_id`` is ``<recording id>#<start in ms>`` (``intervju#98000``): it survives edits
elsewhere in the file; a second cue starting at the same moment gets ``-2`` (then ``-3`` …). The text has
its markup removed (``<v>``, ``<i>``, ``<b>``, ``<u>``, ``<c.class>``, ``<lang>``, ``<ruby>``, inner
timestamps, SRT's ``<font>`` and ``{\\an8}``) and entities decoded; its lines are kept. The first voice tag
``<v Niclas Strandh>`` names the author (an :class:`Author` of platform ``transcript`` whose id is the
name: the same speaker in two recordings is one author). ``source`` is the recording id.

**Parsing.** Our own small parser: UTF-8 with or without BOM (else see
:func:`~lyssna.formats.base.decode_text`), CRLF/CR/LF line ends, optional cue identifiers, timestamps
``hh:mm:ss.ttt`` and ``mm:ss.ttt`` (a ``,`` is accepted in place of ``.``; SRT's ``hh:mm:ss,ttt``), cue
settings after the timing, multi-line text, ``NOTE``/``STYLE``/``REGION`` blocks. A block that is not a
cue, a timing line that does not parse, and a cue that ends before it starts are yielded as records with
``error`` naming the line; reading goes on with the next block. A cue with no text left is quarantined
by :meth:`map` ("cue has no text").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, decode_text, read_document_bytes
from .values import domain_of, parse_time

__all__ = ["WebVTT", "SubRip", "parse_timestamp", "parse_timing", "clean_cue_text", "map_cue"]

_LINE_END = re.compile(r"\r\n|\r|\n")
_TIMESTAMP = re.compile(r"^(?:(\d+):)?([0-5]\d):([0-5]\d)[.,](\d{3})$")
_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+(.*?))?\s*$")
_HEADER = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.,]*>|\{\\[^{}]*\}")
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_VTT_BLOCK = re.compile(r"^(NOTE|STYLE|REGION)(?:[ \t].*)?$")

_RECORDED, _RECORDING, _MEDIA = "x-lyssna-recorded", "x-lyssna-recording", "x-lyssna-media"
_LANGUAGE = ("language", "x-lyssna-language")


def parse_timestamp(value: str, *, hours_required: bool = False) -> int:
    """``01:38.000``, ``00:01:38.000`` or ``00:01:38,000`` → milliseconds. ValueError names what is wrong."""
    m = _TIMESTAMP.match(value)
    if not m or (hours_required and m.group(1) is None):
        form = "hh:mm:ss,ttt" if hours_required else "hh:mm:ss.ttt or mm:ss.ttt"
        raise ValueError(f"{value!r} is not a timestamp ({form})")
    hours, minutes, seconds, millis = m.groups()
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def parse_timing(line: str, *, hours_required: bool = False) -> tuple[int, int, str]:
    """A cue timing line → (start ms, end ms, settings). ValueError names what is wrong."""
    m = _TIMING.match(line)
    if not m:
        raise ValueError(f"{line.strip()!r} is not a cue timing line ('start --> end')")
    start = parse_timestamp(m.group(1), hours_required=hours_required)
    end = parse_timestamp(m.group(2), hours_required=hours_required)
    if end < start:
        raise ValueError(f"the cue ends ({m.group(2)}) before it starts ({m.group(1)})")
    return start, end, m.group(3) or ""


def clean_cue_text(lines: Iterable[str]) -> tuple[str, str | None]:
    """Cue text lines → (plain text, the first voice's name or None)."""
    speaker: str | None = None
    out: list[str] = []
    for line in lines:
        if speaker is None:
            voice = _VOICE.search(line)
            if voice:
                speaker = html.unescape(voice.group(1)).strip() or None
        text = html.unescape(_TAG.sub("", line)).replace("\u200e", "").replace("\u200f", "")
        text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
        if text:
            out.append(text)
    return "\n".join(out), speaker


@dataclass(slots=True)
class _Block:
    line: int  # 1-based number of its first line
    lines: list[str]


def _blocks(text: str) -> Iterator[_Block]:
    """Runs of non-blank lines, with the number of each run's first line."""
    current: _Block | None = None
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if line.strip():
            if current is None:
                current = _Block(number, [])
            current.lines.append(line)
        elif current is not None:
            yield current
            current = None
    if current is not None:
        yield current


@dataclass(slots=True)
class _Transcript:
    """What the reader found: headers (name → (value, line)), and records in file order."""

    headers: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: (cue number or None, first line, the cue or an error message, the block's text)
    items: list[tuple[int | None, int, dict[str, Any] | str, str]] = field(default_factory=list)


class _TranscriptFormat:
    """What WebVTT and SubRip share: reading, headers, the recording's start, mapping."""

    name = ""
    platform = "transcript"
    summary = ""
    line_based = False
    srt = False

    def _parse(self, text: str) -> _Transcript:
        raise NotImplementedError

    def _cue(self, out: _Transcript, block: _Block, number: int) -> None:
        """A cue block (optional identifier, timing line, text) into ``out``."""
        lines = block.lines
        raw = "\n".join(lines)
        if "-->" in lines[0]:
            identifier, timing_at = None, 0
        elif len(lines) > 1 and "-->" in lines[1]:
            identifier, timing_at = lines[0].strip(), 1
        else:  # the timing line is expected first, or after an identifier
            at = 1 if len(lines) > 1 else 0
            out.items.append((number, block.line, f"line {block.line + at}: not a cue timing line: "
                              f"{lines[at].strip()[:80]!r} (expected 'start --> end', e.g. "
                              "'00:01:38.000 --> 00:01:45.000')", raw))
            return
        line_no = block.line + timing_at
        try:
            start, end, settings = parse_timing(lines[timing_at], hours_required=self.srt)
        except ValueError as e:
            out.items.append((number, block.line, f"line {line_no}: bad cue timing: {e}", raw))
            return
        timing = _TIMING.match(lines[timing_at])
        assert timing is not None
        out.items.append((number, block.line, {
            "cue": number, "line": block.line, "identifier": identifier, "start": timing.group(1),
            "end": timing.group(2), "start_ms": start, "end_ms": end, "settings": settings,
            "lines": lines[timing_at + 1:],
        }, raw))

    @staticmethod
    def _headers(out: _Transcript, lines: list[str], first_line: int) -> None:
        """``Name: value`` lines into ``out.headers`` (the first of each name wins)."""
        for offset, line in enumerate(lines):
            m = _HEADER.match(line)
            if m and m.group(1).lower() not in out.headers:
                out.headers[m.group(1).lower()] = (m.group(2), first_line + offset)

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        data = read_document_bytes(path)
        text, _ = decode_text(data)
        parsed = self._parse(text)
        headers = parsed.headers
        recording = (headers.get(_RECORDING, ("", 0))[0].strip() or path.stem)
        media = headers.get(_MEDIA, ("", 0))[0].strip() or None
        language = next((headers[k][0].strip() for k in _LANGUAGE if k in headers and headers[k][0].strip()), None)

        records: list[RawRecord] = []
        recorded: str | None = None
        recorded_from = "header"
        recorded_error: str | None = None
        if _RECORDED in headers:
            value, line = headers[_RECORDED]
            try:
                recorded = parse_time(value, options.default_tz, what="X-LYSSNA-RECORDED").isoformat()
            except RecordError as e:
                recorded_error = f"the recording's start is unknown: line {line}: {e}"
                records.append(RawRecord(0, f"line {line}", error=f"line {line}: {e}",
                                         text=f"X-LYSSNA-RECORDED: {value}"))
        else:
            recorded_from = "mtime"
            try:
                mtime = path.stat().st_mtime
                recorded = parse_time(mtime, what="the file's modification time").isoformat()
            except (OSError, RecordError) as e:
                recorded_error = (f"the recording's start is unknown: no X-LYSSNA-RECORDED header, and "
                                  f"{e.strerror if isinstance(e, OSError) else e}")

        seen: dict[int, int] = {}
        for number, line, item, raw in parsed.items:
            locator = f"cue {number} (line {line})" if number is not None else f"line {line}"
            if not isinstance(item, dict):
                records.append(RawRecord(len(records), locator, error=item, text=raw))
                continue
            seen[item["start_ms"]] = seen.get(item["start_ms"], 0) + 1
            payload = {
                "format": self.name, "recording": recording, "media": media or path.name,
                "media_is_header": media is not None, "language": language, "occurrence": seen[item["start_ms"]],
                "recorded": recorded, "recorded_from": recorded_from, "recorded_error": recorded_error, **item,
            }
            records.append(RawRecord(len(records), locator, payload=payload, text=raw))
        for record in records:
            if record.position >= cursor.position:
                yield record

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return [map_cue(record.payload)]


def _seconds(ms: int) -> str:
    return str(ms // 1000) if ms % 1000 == 0 else f"{ms / 1000:.3f}".rstrip("0")


def map_cue(cue: Any) -> Post:
    """One cue (as :meth:`read` gives it) to a :class:`Post`. Raises :class:`RecordError`."""
    if not isinstance(cue, dict):
        raise RecordError(f"a cue should be an object, not {type(cue).__name__}")
    if cue.get("recorded_error"):
        raise RecordError(cue["recorded_error"])
    text, speaker = clean_cue_text(cue.get("lines") or ())
    if not text:
        raise RecordError("cue has no text")
    start, end = int(cue["start_ms"]), int(cue["end_ms"])
    created = datetime.fromisoformat(cue["recorded"]) + timedelta(milliseconds=start)
    native = f"{cue['recording']}#{start}"
    if cue.get("occurrence", 1) > 1:
        native += f"-{cue['occurrence']}"
    media = cue["media"]
    if not cue.get("media_is_header"):
        media = quote(media)
    language = cue.get("language")
    lang = re.split(r"[-_]", language, maxsplit=1)[0].lower() if isinstance(language, str) and language else None
    return Post(
        platform="transcript",
        native_id=native,
        created_at=created,
        text=text,
        author=Author(platform="transcript", native_id=speaker, name=speaker) if speaker else None,
        kind="segment",
        url=f"{media}#t={_seconds(start)}",
        lang=lang if lang and lang.isalpha() and 2 <= len(lang) <= 3 else None,
        site=domain_of(media) if cue.get("media_is_header") else None,
        media_start_ms=start,
        media_end_ms=end,
        source=cue["recording"],
        raw=cue,
    )


class WebVTT(_TranscriptFormat):
    """WebVTT transcripts and captions."""

    name = "webvtt"
    summary = "WebVTT transcripts (.vtt): one post per cue, with its offset into the recording"
    srt = False

    def sniff(self, sample: Sample) -> int:
        first = _LINE_END.split(sample.text, maxsplit=1)[0]
        return 95 if _SIGNATURE.match(first) else 0

    def _parse(self, text: str) -> _Transcript:
        out = _Transcript()
        blocks = list(_blocks(text))
        cues = 0
        if blocks and _SIGNATURE.match(blocks[0].lines[0].strip()):
            header = blocks.pop(0)
            # A timing line inside the header block starts the first cue (the WebVTT parsing algorithm).
            at = next((i for i, line in enumerate(header.lines) if "-->" in line), None)
            if at is not None:
                blocks.insert(0, _Block(header.line + at, header.lines[at:]))
            self._headers(out, header.lines[1:at], header.line + 1)
        else:
            out.items.append((None, 1, "line 1: a WebVTT file starts with 'WEBVTT'", text[:200]))
        for block in blocks:
            kind = _VTT_BLOCK.match(block.lines[0].strip())
            if kind and not any("-->" in line for line in block.lines[:2]):
                if kind.group(1) == "NOTE" and cues == 0:  # "NOTE X-LYSSNA-RECORDED: …" or on the lines below
                    self._headers(out, [block.lines[0].strip()[4:]] + block.lines[1:], block.line)
                continue
            cues += 1
            self._cue(out, block, cues)
        return out


class SubRip(_TranscriptFormat):
    """SubRip (SRT) transcripts and subtitles."""

    name = "srt"
    summary = "SubRip transcripts (.srt): one post per cue, with its offset into the recording"
    srt = True

    @staticmethod
    def _is_header(block: _Block) -> bool:
        return all((m := _HEADER.match(line)) and m.group(1).lower().startswith("x-lyssna-") for line in block.lines)

    def sniff(self, sample: Sample) -> int:
        blocks = _blocks(sample.text)
        for block in blocks:
            if self._is_header(block):
                continue
            lines = block.lines
            if len(lines) >= 2 and lines[0].strip().isdigit():
                try:
                    parse_timing(lines[1], hours_required=True)
                except ValueError:
                    return 0
                return 85
            return 0
        return 0

    def _parse(self, text: str) -> _Transcript:
        out = _Transcript()
        blocks = list(_blocks(text))
        if blocks and self._is_header(blocks[0]):
            header = blocks.pop(0)
            self._headers(out, header.lines, header.line)
        for number, block in enumerate(blocks, start=1):
            self._cue(out, block, number)
        return out


FORMATS = (WebVTT, SubRip)
