"""WebVTT transcripts of recorded interviews: a cue per phrase, the speaker in a voice tag, and headers
telling the transcripts importer when the recording started and where it lives."""

from __future__ import annotations

from pathlib import Path

from ..manifest import DemoFile
from ..media import Interview

__all__ = ["write_transcript"]

_WORDS_PER_SECOND = 2.6
_MAX_WORDS = 12


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _phrases(text: str) -> list[str]:
    """A line of speech cut into caption-sized pieces, at sentence ends where it can."""
    words = text.split()
    out: list[str] = []
    current: list[str] = []
    for w in words:
        current.append(w)
        if len(current) >= _MAX_WORDS or (w.endswith((".", "?", "!")) and len(current) >= 5):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def write_transcript(folder: Path, interview: Interview) -> DemoFile:
    """Write ``transcripts/KEY.vtt`` and say what it holds."""
    lines = ["WEBVTT", "Kind: captions", "Language: sv",
             f"X-LYSSNA-RECORDED: {interview.recorded.isoformat()}",
             f"X-LYSSNA-RECORDING: {interview.key}", f"X-LYSSNA-MEDIA: {interview.media}", "",
             f"NOTE {interview.title}", ""]
    at = 1200
    cues = 0
    for speaker, text in interview.lines:
        for phrase in _phrases(text):
            length = int(1000 * len(phrase.split()) / _WORDS_PER_SECOND) + 300
            cues += 1
            lines += [str(cues), f"{_stamp(at)} --> {_stamp(at + length)}", f"<v {speaker}>{phrase}", ""]
            at += length + 120
        at += 450
    path = folder / "transcripts" / f"{interview.key}.vtt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return DemoFile(path.relative_to(folder).as_posix(), "webvtt", "transcript", cues)
