"""WebVTT and SRT transcripts: cues as posts with their offsets, speakers, and malformed cues quarantined."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lyssna.errors import RecordError
from lyssna.formats.base import Cursor, ReadOptions, Sample
from lyssna.formats.transcripts import SubRip, WebVTT, clean_cue_text, map_cue, parse_timestamp, parse_timing
from lyssna.pipeline import detect, import_paths
from lyssna.store.base import StoredPost

from ..helpers import FIXTURES, only

REG = only("lyssna.formats.transcripts")
HERE = FIXTURES / "transcripts"
INTERVIEW = HERE / "intervju_strandh.vtt"
PANEL = HERE / "panelsamtal.srt"
BROKEN = HERE / "trasig.vtt"
UNDATED = HERE / "utan_tid.srt"

_TS = r"(?:\d+:)?\d\d:\d\d[.,]\d\d\d"


def _posts(store) -> list[StoredPost]:
    rows = store.con.execute("SELECT native_id FROM posts ORDER BY source, media_start_ms").fetchall()
    return [store.get_post(f"transcript:{n}") for (n,) in rows]


def _ms(stamp: str) -> int:
    """Our own reading of a timestamp, for expectations: [h:]mm:ss.ttt → ms."""
    *hours, minutes, rest = stamp.replace(",", ".").split(":")
    return round((int(hours[0]) * 3600 if hours else 0) * 1000 + int(minutes) * 60_000 + float(rest) * 1000)


def _header(path: Path, name: str) -> str:
    return re.search(rf"^{name}:\s*(.+)$", path.read_text(encoding="utf-8"), re.MULTILINE).group(1).strip()


def _accounting(report) -> None:
    assert report.read == report.imported + report.duplicate + report.quarantined
    for f in report.files:
        assert f.read == f.imported + f.duplicate + f.quarantined, f.path


# -- units ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stamp, ms", [
    ("00:01:38.000", 98_000), ("01:38.000", 98_000), ("00:01:38,000", 98_000), ("01:02:03.004", 3_723_004),
    ("123:00:00.000", 123 * 3_600_000),
])
def test_timestamps(stamp, ms):
    assert parse_timestamp(stamp) == ms


@pytest.mark.parametrize("stamp", ["00:01:75.000", "00:61:00.000", "1:38.000", "00:01:38", "00:01:38.5", "abc"])
def test_bad_timestamps(stamp):
    with pytest.raises(ValueError, match="not a timestamp"):
        parse_timestamp(stamp)


def test_srt_timestamps_need_hours():
    with pytest.raises(ValueError):
        parse_timestamp("01:38,000", hours_required=True)


def test_timing_lines():
    assert parse_timing("00:01:38.000 --> 00:01:52.250 align:start position:10%") == (
        98_000, 112_250, "align:start position:10%")
    with pytest.raises(ValueError, match="before it starts"):
        parse_timing("00:00:09.000 --> 00:00:05.000")
    with pytest.raises(ValueError, match="timing line"):
        parse_timing("00:00:03.000 -> 00:00:05.000")


def test_cue_text_markup():
    text, speaker = clean_cue_text(["<v.loud Niclas Strandh>Jag ser dem som <i>konverserande</i>",
                                    "<c.x>konduktörer</c> <00:00:01.000>&amp; &lt;inte&gt; lokförare</v>"])
    assert text == "Jag ser dem som konverserande\nkonduktörer & <inte> lokförare"
    assert speaker == "Niclas Strandh"
    assert clean_cue_text([r"{\an8}<font color=#fff>Hej</font>"]) == ("Hej", None)


def test_sniff():
    vtt, srt = WebVTT(), SubRip()
    assert vtt.sniff(Sample.of(INTERVIEW)) == 95 and srt.sniff(Sample.of(INTERVIEW)) == 0
    assert srt.sniff(Sample.of(PANEL)) == 85 and vtt.sniff(Sample.of(PANEL)) == 0  # after its header block
    assert srt.sniff(Sample.of(UNDATED)) == 85
    reg = only("lyssna.formats.feeds", "lyssna.formats.transcripts", "lyssna.formats.twitter_v1")
    for path, name in [(INTERVIEW, "webvtt"), (BROKEN, "webvtt"), (PANEL, "srt"), (UNDATED, "srt")]:
        fmt, why = detect(Sample.of(path), reg)
        assert fmt is not None and fmt.name == name, why


@pytest.mark.parametrize("head", [
    "WEBVTTX\n\n00:01.000 --> 00:02.000\nhej", "1\nhej\n", "12\n00:00:01.000 --> bad\n", '{"text": "WEBVTT"}',
    "Sociala medier och kampanjtänk\n", "<rss version='2.0'/>",
])
def test_sniff_refuses(tmp_path, head):
    path = tmp_path / "x"
    path.write_text(head, encoding="utf-8")
    assert WebVTT().sniff(Sample.of(path)) == 0 and SubRip().sniff(Sample.of(path)) == 0


# -- the interview ------------------------------------------------------------------------------------


def test_interview(store):
    report = import_paths(store, [INTERVIEW], reg=REG)
    _accounting(report)
    text = INTERVIEW.read_text(encoding="utf-8")
    timings = re.findall(rf"^({_TS}) --> ({_TS})", text, re.MULTILINE)
    assert report.imported == len(timings) == store.count_posts() and report.quarantined == 0

    recorded = datetime.fromisoformat(_header(INTERVIEW, "X-LYSSNA-RECORDED"))
    posts = _posts(store)
    assert [(p.media_start_ms, p.media_end_ms) for p in posts] == [(_ms(a), _ms(b)) for a, b in timings]
    for p in posts:
        assert p.platform == "transcript" and p.kind == "segment" and p.lang == "sv"
        assert p.created_at == recorded + timedelta(milliseconds=p.media_start_ms)
        assert p.created_at.utcoffset() == timedelta(0)
        assert p.native_id == f"intervju_strandh#{p.media_start_ms}"
        assert p.source == "intervju_strandh"
        assert "<" not in p.text and "&amp;" not in p.text
        assert "align:" not in p.text and "position:" not in p.text  # cue settings are not text

    # "where in the interview does he talk about campaigns?" → 1:38, and the link lands there
    [hit, *_] = [p for p in posts if "kampanj" in p.text.lower()]
    assert (hit.media_start_ms // 60_000, hit.media_start_ms // 1000 % 60) == (1, 38)
    assert hit.url == "intervju_strandh.vtt#t=98"
    assert hit.author_name == "Niclas Strandh" and hit.author_id == "Niclas Strandh"
    assert hit.text.startswith("Kampanjer är kortsiktiga.") and "\n" in hit.text  # both of its lines
    assert hit.raw["identifier"] == "kampanjer" and hit.raw["settings"] == "line:85%"

    # speakers: every <v Name> is the author of its cue; the last cue has no voice
    voices = re.findall(r"^(?:\S.*\n)?" + _TS + r" --> .*\n(?:<v(?:\.\w+)? ([^>]+)>)?", text, re.MULTILINE)
    assert [p.author_name for p in posts] == [v or None for v in voices]
    assert {p.author_name for p in posts} == {"Björn Falkevik", "Niclas Strandh", None}
    assert posts[-1].text == "Skratt och applåder & tack för i dag."
    # NOTE and STYLE blocks are not cues
    assert not any("anteckning" in p.text or "::cue" in p.text for p in posts)


def test_srt_with_headers(store):
    report = import_paths(store, [PANEL], reg=REG)
    _accounting(report)
    text = PANEL.read_text(encoding="utf-8")
    timings = re.findall(rf"^({_TS}) --> ({_TS})", text, re.MULTILINE)
    assert report.imported == len(timings) and report.quarantined == 0
    recording = _header(PANEL, "X-LYSSNA-RECORDING")
    media = _header(PANEL, "X-LYSSNA-MEDIA")
    recorded = datetime.fromisoformat(_header(PANEL, "X-LYSSNA-RECORDED"))
    posts = _posts(store)
    assert [(p.media_start_ms, p.media_end_ms) for p in posts] == [(_ms(a), _ms(b)) for a, b in timings]
    for p in posts:
        assert p.native_id == f"{recording}#{p.media_start_ms}" and p.source == recording
        assert p.created_at == recorded + timedelta(milliseconds=p.media_start_ms)
        assert p.url.startswith(media + "#t=") and p.site == "media.example.se" and p.lang == "sv"
        assert "<" not in p.text and "{" not in p.text
    assert posts[2].url == f"{media}#t=98"
    assert posts[-1].url == f"{media}#t=3723.004" and posts[-1].text == "Tack & hej."
    assert posts[0].text.count("\n") == 1  # multi-line text keeps its lines


@pytest.mark.parametrize("newline, bom", [("\r\n", True), ("\r\n", False), ("\r", False), ("\n", True)])
def test_line_ends_and_bom_do_not_matter(tmp_path, store, newline, bom):
    expected = [(p.native_id, p.text, p.created_at, p.media_end_ms) for p in _import_alone(PANEL)]
    for source in (PANEL, INTERVIEW):
        copy = tmp_path / source.name
        data = source.read_text(encoding="utf-8").replace("\n", newline).encode("utf-8")
        copy.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        assert detect(Sample.of(copy), REG)[0] is not None
    report = import_paths(store, [tmp_path / PANEL.name, tmp_path / INTERVIEW.name], reg=REG)
    _accounting(report)
    assert report.quarantined == 0
    got = [(p.native_id, p.text, p.created_at, p.media_end_ms) for p in _posts(store) if p.source != "intervju_strandh"]
    assert got == expected
    assert report.imported == len(expected) + len(_import_alone(INTERVIEW))


def _import_alone(path: Path) -> list[StoredPost]:
    from lyssna.store.duckdb import DuckStore

    with DuckStore(":memory:") as s:
        s.migrate()
        import_paths(s, [path], reg=REG)
        return _posts(s)


def test_start_from_the_files_modification_time(tmp_path, store):
    copy = tmp_path / UNDATED.name
    copy.write_bytes(UNDATED.read_bytes())
    mtime = datetime(2012, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    os.utime(copy, (mtime.timestamp(), mtime.timestamp()))
    report = import_paths(store, [copy], reg=REG)
    _accounting(report)
    posts = _posts(store)
    assert len(posts) == report.imported == 2
    for p in posts:
        assert p.created_at == mtime + timedelta(milliseconds=p.media_start_ms)
        assert p.raw["recorded_from"] == "mtime" and p.native_id.startswith("utan_tid#")
    assert posts[0].url == "utan_tid.srt#t=0.5"


def test_a_bad_recorded_header_quarantines_every_cue(tmp_path, store):
    path = tmp_path / "fel.vtt"
    path.write_text("WEBVTT\nX-LYSSNA-RECORDED: i somras\n\n00:01.000 --> 00:02.000\nEtt\n\n"
                    "00:02.000 --> 00:03.000\nTvå\n", encoding="utf-8")
    report = import_paths(store, [path], reg=REG)
    _accounting(report)
    assert (report.imported, report.quarantined) == (0, 3)
    reasons = {loc: reason for _, loc, reason, _ in store.quarantine()}
    assert "line 2" in reasons and "not a time" in reasons["line 2"]
    assert all("line 2" in r and "start is unknown" in r for loc, r in reasons.items() if loc.startswith("cue"))


def test_malformed_cues_are_quarantined_with_their_line(store):
    report = import_paths(store, [BROKEN], reg=REG)
    _accounting(report)
    lines = BROKEN.read_text(encoding="utf-8").split("\n")
    line_of = lambda needle: next(i for i, line in enumerate(lines, 1) if needle in line)  # noqa: E731
    expected = {  # the offending line → what the reason says
        line_of(" -> "): "not a cue timing line",
        line_of("00:00:09.000 --> 00:00:05.000"): "before it starts",
        line_of("01:75.000"): "not a timestamp",
        line_of("en rad utan tidsangivelse"): "not a cue timing line",
    }
    quarantine = store.quarantine()
    by_line = {}
    for _, locator, reason, raw in quarantine:
        m = re.match(r"line (\d+): ", reason)
        if m:
            by_line[int(m.group(1))] = (locator, reason, raw)
    assert set(by_line) == set(expected)
    for line, why in expected.items():
        locator, reason, raw = by_line[line]
        assert why in reason and locator.startswith("cue ") and lines[line - 1].strip() in raw
    # the cue whose text is only markup is quarantined by the mapper
    empty = [(loc, reason) for _, loc, reason, _ in quarantine if reason == "cue has no text"]
    assert len(empty) == 1 and f"line {line_of('<i></i>') - 2})" in empty[0][0]
    # …and the rest is imported
    whole = [line for line in lines if "repliken är" in line]
    assert sorted(p.text for p in _posts(store)) == sorted(whole)
    assert report.imported == len(whole) and report.quarantined == len(expected) + 1


def test_same_start_twice_gets_distinct_ids(tmp_path, store):
    path = tmp_path / "samtidigt.vtt"
    path.write_text("WEBVTT\nX-LYSSNA-RECORDED: 2011-03-01T09:00:00+01:00\n\n"
                    "00:01.000 --> 00:02.000\n<v A>Ja\n\n00:01.000 --> 00:02.500\n<v B>Nej\n", encoding="utf-8")
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.duplicate) == (2, 0)
    assert {p.native_id for p in _posts(store)} == {"samtidigt#1000", "samtidigt#1000-2"}


def test_reimport_is_idempotent(store):
    first = import_paths(store, [HERE], reg=REG)
    _accounting(first)
    count = store.count_posts()
    again = import_paths(store, [HERE], reg=REG)
    assert {f.status for f in again.files} == {"unchanged"} and store.count_posts() == count
    forced = import_paths(store, [HERE], reg=REG, force=True)
    _accounting(forced)
    assert forced.imported == 0 and forced.duplicate == first.imported and forced.quarantined == first.quarantined


def test_resume_from_a_cursor():
    records = list(WebVTT().read(BROKEN, Cursor(), ReadOptions()))
    later = list(WebVTT().read(BROKEN, Cursor(position=3), ReadOptions()))
    assert [r.position for r in records] == list(range(len(records)))
    assert [r.locator for r in later] == [r.locator for r in records[3:]]


def test_map_cue_refuses_garbage():
    with pytest.raises(RecordError):
        map_cue("not a cue")
