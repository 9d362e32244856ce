"""CSV and generic JSON: real exports from ../shared/data (skipped when absent) and our own fixtures.

Expected values come from the files themselves, read independently (the csv module, sqlite3, the
CrisisLex timestamp lists), or from what a fixture was written to contain — never from a previous run.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import tempfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lyssna.errors import MappingSpecError, UnknownFormat
from lyssna.formats.base import Cursor, MapContext, ReadOptions, Sample
from lyssna.formats.mapping import FIELDS, format_columns, guess_mapping, parse_columns, parse_mapping
from lyssna.formats.tabular import MAPPED, MAPPED_MISFIT, Csv, JsonTable, Row, map_row
from lyssna.formats.values import STOCKHOLM
from lyssna.pipeline import detect, import_paths
from lyssna.store.duckdb import DuckStore

from ..helpers import FIXTURES, need, only

REG = only("lyssna.formats.tabular")
WITH_V1 = only("lyssna.formats.twitter_v1", "lyssna.formats.tabular")
TAB = FIXTURES / "tabular"
SV = ReadOptions(default_tz=STOCKHOLM)
FLASHBACK_MAP = {"id": "2", "author": "3", "created_at": "4+5", "text": "6"}


def balanced(report) -> bool:
    return report.read == report.imported + report.duplicate + report.quarantined


def quarantine_by_line(store) -> dict[str, str]:
    return {locator: reason for _, locator, reason, _ in store.quarantine(100_000)}


def line_of(path: Path, prefix: str, encoding: str = "utf-8-sig") -> int:
    """The 1-based number of the first physical line of a file starting with ``prefix``."""
    lines = path.read_bytes().decode(encoding).split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


# ---------------------------------------------------------------------------------------------------
# Our fixtures


def test_swedish_semicolon_csv(store):
    path = TAB / "forum_sv.csv"
    report = import_paths(store, [path], reg=REG, options=SV)
    assert balanced(report) and report.files[0].format == "csv"
    # Rows 7, 8 and 9 of the fixture are bad on purpose: an unreadable date, no text, a field too many.
    assert (report.imported, report.duplicate, report.quarantined) == (7, 0, 3)
    reasons = quarantine_by_line(store)
    assert "not a time" in reasons[f"line {line_of(path, '7;')}"]
    assert "text" in reasons[f"line {line_of(path, '8;')}"] and "empty" in reasons[f"line {line_of(path, '8;')}"]
    assert "7 fields" in reasons[f"line {line_of(path, '9;')}"]

    # The same instant written five ways: RFC 2822, ISO with offset, epoch, Swedish words, Swedish local.
    summer = datetime(2019, 6, 18, 6, 0, tzinfo=STOCKHOLM)
    for i in "12345":
        assert store.get_post(f"other:{i}").created_at == summer, i
    assert store.get_post("other:6").created_at == datetime(2019, 1, 15, 10, 0, tzinfo=STOCKHOLM)

    quoted = store.get_post("other:2")
    assert quoted.text == 'Ja, här också; ingen ström sedan fem.\nNågon som vet "varför"?'
    assert quoted.author_handle == "Bertil" and quoted.kind == "reply" and quoted.reply_to == "1"
    assert store.get_post("other:10").text == "Sista raden,\nmed ett citat över tre rader;\noch semikolon"
    assert store.get_post("other:1").likes == 3 and store.get_post("other:1").raw["inlägg"].startswith("Ström")
    # 5 → 4 → 2 → 1: a thread rebuilt from the svar_på column
    assert store.get_post("other:5").root_id == "1" and store.get_post("other:5").depth == 3


def test_default_time_zone_applies_only_to_times_without_offset():
    results = {}
    for tz in (STOCKHOLM, timezone.utc):
        s = DuckStore(":memory:")
        s.migrate()
        import_paths(s, [TAB / "forum_sv.csv"], reg=REG, options=ReadOptions(default_tz=tz))
        results[tz] = {i: s.get_post(f"other:{i}").created_at for i in "12345"}
        results[tz]["6"] = s.get_post("other:6").created_at
        s.close()
    sthlm, utc = results[STOCKHOLM], results[timezone.utc]
    for i in "123":  # written with an offset (or as epoch seconds)
        assert sthlm[i] == utc[i]
    for i, local in (("4", datetime(2019, 6, 18, 6)), ("5", datetime(2019, 6, 18, 6)), ("6", datetime(2019, 1, 15, 10))):
        assert utc[i] - sthlm[i] == STOCKHOLM.utcoffset(local)
    assert utc["4"] - sthlm["4"] == timedelta(hours=2) and utc["6"] - sthlm["6"] == timedelta(hours=1)


def test_locators_and_offsets_are_exact():
    path = TAB / "forum_sv.csv"
    data = path.read_bytes()
    records = list(Csv().read(path, Cursor(), SV))
    starts = [data.index(b"\n") + 1] + [r.end_offset for r in records[:-1]]
    for r, start in zip(records, starts):
        chunk = data[start:r.end_offset].lstrip(b"\r\n")  # a blank line before a record is no record
        native = chunk.split(b";")[0].decode()
        assert r.locator == f"line {line_of(path, native + ';')}" and chunk.endswith(b"\r\n")
        assert r.error is not None or r.payload.cells[0] == native
    assert records[-1].end_offset == len(data)
    assert [r.position for r in records] == list(range(len(records)))
    # Reading on from any record's end gives exactly the records after it, numbered the same.
    for k in range(1, len(records)):
        rest = list(Csv().read(path, Cursor(k, records[k - 1].end_offset), SV))
        assert [(r.position, r.locator, r.end_offset, r.error) for r in rest] == [
            (r.position, r.locator, r.end_offset, r.error) for r in records[k:]]
        by_position = list(Csv().read(path, Cursor(k), SV))
        assert [r.locator for r in by_position] == [r.locator for r in records[k:]]


def test_windows_1252_tab_separated_is_read_with_a_note(store):
    path = TAB / "excel_cp1252.tsv"
    records = Csv().read(path, Cursor(), ReadOptions())
    posts = [p for r in records for p in Csv().map(r, MapContext(str(path)))]
    assert [p.text for p in posts] == ["Köp här: «billigt» – nu!", "Återkommer på måndag"]
    assert [p.native_id for p in posts] == ["1001", "1002"] and posts[0].author.handle == "butik"
    assert any("Windows-1252" in note for note in records.notes)
    assert balanced(import_paths(store, [path], reg=REG))


def test_stable_ids_without_an_id_column(store):
    path = TAB / "no_id.csv"
    # Rows 1 and 3: same author, same text, the same instant written in two time zones.
    first = import_paths(store, [path], reg=REG)
    assert (first.read, first.imported, first.duplicate, first.quarantined) == (3, 2, 1, 0)
    ids = [n for (n,) in store.con.execute("SELECT native_id FROM posts").fetchall()]
    assert all(re.fullmatch(r"h-[0-9a-f]{24}", i) for i in ids) and len(set(ids)) == 2
    again = import_paths(store, [path], reg=REG)
    assert again.files[0].status == "unchanged" and store.count_posts() == 2
    forced = import_paths(store, [path], reg=REG, force=True)
    assert (forced.imported, forced.duplicate) == (0, 3)


def test_headerless_csv_with_column_numbers(store):
    path = TAB / "headerless.csv"
    options = ReadOptions(mapping=FLASHBACK_MAP, platform="forum", default_tz=STOCKHOLM)
    records = list(Csv().read(path, Cursor(), options))
    assert [r.locator for r in records] == [f"line {line_of(path, p)}" for p in ("1,", "2,", "3,")]
    report = import_paths(store, [path], reg=REG, format_name="csv", options=options)
    assert (report.read, report.imported, report.quarantined) == (3, 3, 0)
    post = store.get_post("forum:501")
    assert post.text == "Första inlägget, över\nflera rader" and post.author_handle == "Fastslurp"
    assert post.created_at == datetime(2018, 9, 14, 23, 55, tzinfo=STOCKHOLM)
    assert post.raw[0] == "1" and post.raw[6] == "none"
    assert store.get_post("forum:502").text == 'Svar med "citat" i'
    assert store.get_post("forum:502").created_at == datetime(2018, 9, 15, 0, 11, tzinfo=STOCKHOLM)


def test_json_lines_with_dotted_paths(store):
    path = TAB / "posts.jsonl"
    mapping = parse_mapping("id=post.id,text=post.body,created_at=meta.published,author=user.handle,"
                            "followers=user.followers,reply_to=post.parent")
    report = import_paths(store, [path], reg=REG, format_name="json",
                          options=ReadOptions(mapping=mapping, default_tz=STOCKHOLM))
    # 6 values on 7 lines (one blank): 3 posts; empty text, a broken line and an array are quarantined.
    assert balanced(report) and (report.read, report.imported, report.quarantined) == (6, 3, 3)
    reasons = quarantine_by_line(store)
    assert set(reasons) == {"line 4", "line 5", "line 6"}
    assert "empty" in reasons["line 4"] and "JSON" in reasons["line 5"] and "object" in reasons["line 6"]
    first = store.get_post("other:a1")
    assert first.author_handle == "anna" and first.author_followers == 1204
    assert first.created_at == datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert store.get_post("other:a2").created_at == datetime.fromtimestamp(1709287200, timezone.utc)
    assert store.get_post("other:a5").created_at == datetime(2024, 3, 1, 12, 0, tzinfo=STOCKHOLM)
    assert store.thread("other:a2").native_id == "a1"


def test_json_array_recognised_without_a_mapping(store):
    path = TAB / "flat.json"
    fmt, _ = detect(Sample.of(path), REG)
    assert fmt is not None and fmt.name == "json"
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.quarantined) == (2, 0)
    reply = store.get_post("mastodon:2")
    assert reply.reply_to == "1" and reply.kind == "reply" and reply.author_handle == "bertil"
    assert store.get_post("mastodon:1").replies == 2


def test_a_broken_json_document_is_one_quarantined_record(tmp_path, store):
    path = tmp_path / "broken.json"
    path.write_text('[{"text": "a", "created_at": "2024-01-01T00:00:00Z"}, {"text": ')
    report = import_paths(store, [path], reg=REG, format_name="json")
    assert (report.read, report.quarantined) == (1, 1)
    assert "invalid JSON" in next(iter(quarantine_by_line(store).values()))


@pytest.mark.parametrize("name", ["structure.json", "prices.csv"])
def test_unrelated_files_are_not_claimed(tmp_path, store, name):
    assert Csv().sniff(Sample.of(TAB / name)) == 0 and JsonTable().sniff(Sample.of(TAB / name)) == 0
    with pytest.raises(UnknownFormat, match="not a format Lyssna can import"):
        import_paths(store, [TAB / name], reg=REG)
    assert store.count_posts() == 0


def test_platform_formats_win_over_generic_json():
    statuses = FIXTURES / "twitter_v1" / "statuses.jsonl"
    fmt, _ = detect(Sample.of(statuses), WITH_V1)
    assert fmt.name == "twitter-v1"
    assert 0 < JsonTable().sniff(Sample.of(statuses)) < 75


def test_a_mapping_naming_a_missing_column_is_a_clear_error(store):
    with pytest.raises(MappingSpecError) as e:
        import_paths(store, [TAB / "forum_sv.csv"], reg=REG, format_name="csv",
                     options=ReadOptions(mapping={"text": "body"}))
    assert "'body'" in str(e.value) and "'inlägg'" in str(e.value) and "forum_sv.csv" in str(e.value)
    with pytest.raises(MappingSpecError, match="'post.text'.*'post.body'"):
        import_paths(store, [TAB / "posts.jsonl"], reg=REG, format_name="json",
                     options=ReadOptions(mapping={"text": "post.text", "created_at": "meta.published"}))
    with pytest.raises(MappingSpecError, match="only 7 columns"):
        Csv().read(TAB / "headerless.csv", Cursor(), ReadOptions(mapping={**FLASHBACK_MAP, "text": "9"}))
    assert store.count_posts() == 0 and store.stats().files == 0


def test_sniffers_use_the_mapping_when_given_one():
    def sample(name: str, mapping: dict[str, str]) -> Sample:
        s = Sample.of(TAB / name)
        s.options = ReadOptions(mapping=mapping)  # what the pipeline should set (see the module docstring)
        return s

    assert Csv().sniff(Sample.of(TAB / "headerless.csv")) == 0
    assert Csv().sniff(sample("headerless.csv", FLASHBACK_MAP)) == MAPPED
    assert Csv().sniff(sample("forum_sv.csv", {"text": "nope"})) == MAPPED_MISFIT
    assert JsonTable().sniff(sample("posts.jsonl", {"text": "post.body", "created_at": "meta.published"})) == MAPPED
    assert JsonTable().sniff(Sample.of(TAB / "posts.jsonl")) == 0


def test_a_mapping_alone_claims_a_headerless_file(store):
    options = ReadOptions(mapping=FLASHBACK_MAP, platform="forum")
    report = import_paths(store, [TAB / "headerless.csv"], reg=REG, options=options)
    assert report.imported == 3


def test_unterminated_quote_quarantines_one_line_and_reads_on(tmp_path, store):
    path = tmp_path / "broken.csv"
    path.write_text('id,created_at,text\n1,2024-01-01T10:00:00Z,ok\n2,2024-01-01T10:01:00Z,"never closed\n'
                    '3,2024-01-01T10:02:00Z,fine\n4,2024-01-01T10:03:00Z,"last, ""quoted""\nacross lines"\n'
                    '5,2024-01-01T10:04:00Z,"also never closed\n')
    report = import_paths(store, [path], reg=REG)
    assert balanced(report) and report.imported == 3 and report.quarantined == 2
    reasons = quarantine_by_line(store)
    assert set(reasons) == {"line 3", "line 7"} and all("never closed" in r for r in reasons.values())
    assert store.get_post("other:4").text == 'last, "quoted"\nacross lines'


def test_interrupted_csv_import_resumes_with_the_same_line_numbers(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "text"])
        for i in range(1, 1201):
            when = "not a time" if i == 1100 else f"2024-01-01T{i // 60 % 24:02d}:{i % 60:02d}:00Z"
            w.writerow([i, when, f"post {i}\nwith a second line" if i % 3 else f"post {i}"])
    reference = DuckStore(":memory:")
    reference.migrate()
    import_paths(reference, [path], reg=REG, batch_size=100)

    class Interrupt:
        calls = 0

        def start_file(self, *a):
            pass

        def advance(self, *a):
            self.calls += 1
            if self.calls == 5:
                raise KeyboardInterrupt

        def end_file(self, *a):
            pass

    store = DuckStore(tmp_path / "s.duckdb")
    store.migrate()
    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [path], reg=REG, batch_size=100, progress=Interrupt())
    assert 0 < store.count_posts() < 1199
    report = import_paths(store, [path], reg=REG, batch_size=100)
    assert report.files[0].status == "resumed" and report.duplicate == 0
    assert store.count_posts() == reference.count_posts() == 1199
    assert quarantine_by_line(store) == quarantine_by_line(reference)
    assert list(quarantine_by_line(store)) == [f"line {line_of(path, '1100,')}"]


def test_appended_rows_are_read_alone(tmp_path, store):
    path = tmp_path / "live.csv"
    path.write_text("id;created_at;text\n1;2024-01-01 10:00;första\n")
    import_paths(store, [path], reg=REG)
    with path.open("a") as f:
        f.write('2;2024-01-01 10:05;"andra\nmed två rader"\n3;2024-01-01 10:10;\n')
    report = import_paths(store, [path], reg=REG)
    (f,) = report.files
    assert f.status == "appended" and (f.read, f.imported, f.quarantined) == (2, 1, 1)
    assert list(quarantine_by_line(store)) == ["line 5"]


def test_excel_exports_sep_line_and_utf16(tmp_path, store):
    sep = tmp_path / "excel.csv"
    sep.write_bytes("sep=;\r\nid;Datum;Text;platform\r\n1;2024-01-01 10:00;hej;Twitter for iPhone\r\n"
                    "2;fel;trasig;x\r\n".encode("cp1252"))
    report = import_paths(store, [sep], reg=REG, options=SV)
    assert (report.imported, report.quarantined) == (1, 1)
    assert list(quarantine_by_line(store)) == ["line 4"]  # the sep= line counts as a line
    post = store.get_post("other:1")  # a device in a column that looks like the platform is no platform
    assert post.created_at == datetime(2024, 1, 1, 10, tzinfo=STOCKHOLM)

    unicode_text = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with tabs
    unicode_text.write_bytes("text\tcreated_at\tuser\r\nÅsa skrev ✓\t2024-02-01T08:00:00Z\tasa\r\n".encode("utf-16"))
    records = list(Csv().read(unicode_text, Cursor(), ReadOptions()))
    assert [r.payload.cells[0] for r in records] == ["Åsa skrev ✓"] and records[0].locator == "line 2"
    assert records[0].end_offset is None  # decoded whole: resumed by position, not offset
    assert import_paths(store, [unicode_text], reg=REG).imported == 1


def test_a_long_cell_is_no_error(tmp_path, store):
    path = tmp_path / "long.csv"
    body = ("ett mycket långt inlägg " * 20_000).strip()  # ~480,000 characters, beyond csv's default limit
    path.write_text(f'id,created_at,text\n1,2024-01-01T10:00:00Z,"{body}\nrad två"\n2,2024-01-01T10:01:00Z,kort\n')
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.quarantined) == (2, 0)
    assert store.get_post("other:1").text == body + "\nrad två"


# ---------------------------------------------------------------------------------------------------
# Property: whatever a csv writer writes, the reader gives back cell for cell, line for line


_cell = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30) | st.sampled_from(
    ['"', '""', "a\nb", "a\r\nb", ",", ";", "\t", " lead", "x\"y", "\n", "å"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]), crlf=st.booleans(), bom=st.booleans())
def test_reader_round_trips_csv_writer_output(rows, delimiter, crlf, bom):
    out = io.StringIO(newline="")
    # With "\n" line ends the csv module leaves a lone "\r" unquoted, which no reader can tell from a line
    # end: quote every field then.
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n",
                        quoting=csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL)
    writer.writerow(["id", "text", "created_at"])
    lines_before = []
    for i, (text, other) in enumerate(rows, 1):
        lines_before.append(out.getvalue().count("\n"))
        writer.writerow([str(i), text, other])
    data = ("\ufeff" if bom else "") + out.getvalue()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.csv"
        path.write_bytes(data.encode("utf-8"))
        options = ReadOptions(delimiter=delimiter)
        records = list(Csv().read(path, Cursor(), options))
        assert [r.payload.cells for r in records] == [[str(i), t, o] for i, (t, o) in enumerate(rows, 1)]
        assert [r.locator for r in records] == [f"line {n + 1}" for n in lines_before]
        assert records[-1].end_offset == len(data.encode("utf-8"))
        for k in range(1, len(records)):
            rest = list(Csv().read(path, Cursor(k, records[k - 1].end_offset), options))
            assert [(r.locator, r.payload.cells, r.end_offset) for r in rest] == [
                (r.locator, r.payload.cells, r.end_offset) for r in records[k:]]


# ---------------------------------------------------------------------------------------------------
# The mapping language


def test_parse_mapping_examples():
    assert parse_mapping("text=body,created_at=date,author=user,id=tweet_id") == {
        "text": "body", "created_at": "date", "author": "user", "id": "tweet_id"}
    assert parse_mapping(" Text = Tweet Text , created_at=date+time ") == {
        "text": "Tweet Text", "created_at": "date+time"}
    assert parse_columns(parse_mapping('text="Body, cleaned",author="a""b"')["text"]) == ("Body, cleaned",)
    assert parse_columns(parse_mapping('text="Body, cleaned",author="a""b"')["author"]) == ('a"b',)
    assert parse_mapping("date=when,body=msg,user=who") == {"created_at": "when", "text": "msg", "author": "who"}
    assert parse_columns(parse_mapping("created_at=4+5")["created_at"]) == ("4", "5")


@pytest.mark.parametrize("spec, message", [
    ("txt=body", "unknown field 'txt'.*did you mean 'text'.*known fields: id, text, created_at"),
    ("text", "no '='"),
    ("text=body,text=other", "mapped twice"),
    ("text=", "empty column"),
    ("text=a+,created_at=b", "empty column"),
    ('text="body', "not closed"),
    ("text=body,,created_at=date", "empty item"),
    ("=body", "no field"),
    ("", "empty"),
])
def test_parse_mapping_errors_name_the_bad_part(spec, message):
    with pytest.raises(MappingSpecError, match=message):
        parse_mapping(spec)


@given(st.text(max_size=80))
def test_parse_mapping_raises_only_mapping_errors(spec):
    try:
        mapping = parse_mapping(spec)
    except MappingSpecError as e:
        assert str(e)
    else:
        assert mapping and set(mapping) <= set(FIELDS)
        for value in mapping.values():
            assert parse_columns(value)


@given(st.dictionaries(st.sampled_from(list(FIELDS)),
                       st.lists(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and s),
                                min_size=1, max_size=3), min_size=1, max_size=6))
def test_parse_mapping_round_trips(mapping):
    spec = ",".join(f"{field}={format_columns(cols)}" for field, cols in mapping.items())
    parsed = parse_mapping(spec)
    assert {f: parse_columns(v) for f, v in parsed.items()} == {f: tuple(c) for f, c in mapping.items()}


def test_guessing_from_headers():
    assert guess_mapping(["Datum", "Tid", "Inlägg", "Användare"]) == {
        "created_at": ("Datum", "Tid"), "text": ("Inlägg",), "author": ("Användare",)}
    guess = guess_mapping(["tweet_id", "name", "text", "tweet_created", "in_response_to_tweet_id"])
    assert guess["author"] == ("name",) and guess["reply_to"] == ("in_response_to_tweet_id",)
    assert "text" not in guess_mapping(["Timestamp", " Tweet-ID", "Included(Y/N)"])


def test_map_row_is_pure_and_keeps_the_row():
    plan_row = next(iter(Csv().read(TAB / "forum_sv.csv", Cursor(), SV)))
    row = plan_row.payload
    assert isinstance(row, Row)
    once, twice = map_row(row, SV), map_row(row, SV)
    assert once == twice and once.raw == twice.raw and once.raw["id"] == "1"
    assert map_row(row, ReadOptions(platform="X")).platform == "twitter"


# ---------------------------------------------------------------------------------------------------
# Real exports (../shared/data)


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], [r for r in rows[1:] if r]


def test_twcs_customer_support_threads(shared_data, store):
    folder = need(shared_data / "twcs_customer_support")
    report = import_paths(store, [folder], reg=REG)
    assert balanced(report) and report.quarantined == 0
    header, rows = _csv_rows(folder / "twcs_kaggle_sample.csv")
    col = {name: i for i, name in enumerate(header)}
    assert sum(f.read for f in report.files if f.path.endswith("twcs_kaggle_sample.csv")) == len(rows)
    parent = {r[col["tweet_id"]]: r[col["in_response_to_tweet_id"]] for r in rows}

    def depth(native: str) -> int | None:  # follow the reply links in the file itself
        steps = 0
        while parent[native]:
            if parent[native] not in parent:
                return None  # the chain ends at a tweet that is not in the sample
            native, steps = parent[native], steps + 1
        return steps

    expected = {native: depth(native) for native in parent}
    assert sum(d is not None and d > 0 for d in expected.values()) > 20
    for native, d in expected.items():
        post = store.get_post(f"other:{native}")
        assert post.depth == d and post.reply_to == (parent[native] or None)
        assert post.kind == ("reply" if parent[native] else "post")
        if d:
            assert store.thread(post.ref).native_id == post.root_id
    # The annotated subset has ids written as floats by pandas ("1732612.0"): they are ids all the same.
    header, rows = _csv_rows(folder / "amazonhelp_inbound_sentiment_annotations.csv")
    col = {name: i for i, name in enumerate(header)}
    r = next(r for r in rows if r[col["in_response_to_tweet_id"]])
    post = store.get_post(f"other:{r[col['tweet_id']]}")
    assert post.reply_to == str(int(float(r[col["in_response_to_tweet_id"]])))
    assert post.author_id == str(int(float(r[col["author_id"]])))


def test_airline_sentiment_dirty_rows(shared_data, store):
    path = need(shared_data / "twitter_us_airline_sentiment" / "Tweets.csv")
    header, rows = _csv_rows(path)
    col = {name: i for i, name in enumerate(header)}
    report = import_paths(store, [path], reg=REG)
    assert balanced(report) and report.read == len(rows)

    def when(r):
        try:
            return datetime.strptime(r[col["tweet_created"]], "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            return None

    shifted = [r for r in rows if when(r) is None]  # the ";" → "," artefact moved the time elsewhere
    good = [r for r in rows if when(r) is not None]
    assert 400 < len(shifted) < 700
    assert report.quarantined == len(shifted)
    assert report.duplicate == len(good) - len({r[col["tweet_id"]] for r in good})
    reasons = [reason for _, _, reason, _ in store.quarantine(100_000)]
    assert all(reason.startswith("created_at (column 'tweet_created')") for reason in reasons)
    assert sum("look shifted" in reason for reason in reasons) > len(shifted) * 0.9
    for r in good[:: len(good) // 50]:
        post = store.get_post(f"other:{r[col['tweet_id']]}")
        assert post.created_at == when(r) and post.author_handle == r[col["name"]]
        assert post.text == r[col["text"]].strip().replace("\r\n", "\n")


def test_flashback_thread_without_header(shared_data, store):
    folder = need(shared_data / "swedish_flashback_thread")
    path, db = folder / "t2977018p3.csv", folder / "t2977018.sqlite3"
    options = ReadOptions(mapping=FLASHBACK_MAP, platform="forum", default_tz=STOCKHOLM)
    report = import_paths(store, [path], reg=REG, format_name="csv", options=options)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        expected = con.execute("SELECT idnumber, user, date, time, body FROM fb").fetchall()
    assert balanced(report) and report.quarantined == 0 and report.imported == len(expected)
    for idnumber, user, date, time_, body in expected:
        post = store.get_post(f"forum:{idnumber}")
        assert post.author_handle == user and post.text == body.replace("\r\n", "\n").strip()
        local = datetime.strptime(f"{date} {time_}", "%Y-%m-%d %H:%M").replace(tzinfo=STOCKHOLM)
        assert post.created_at == local


def test_crisislex_labelled_tweets_take_their_time_from_the_id(shared_data, store):
    folder = need(shared_data / "crisislex_t26_event_timelines")
    report = import_paths(store, [folder], reg=REG)
    # Labelled tweets have no time column and the id lists no text: nothing there is claimed unasked.
    assert report.read == 0 and {f.status for f in report.files} == {"skipped"}
    event = need(folder / "2012_Costa_Rica_earthquake")
    labelled = next(event.glob("*tweets_labeled.csv"))
    options = ReadOptions(mapping=parse_mapping("text=Tweet Text,id=Tweet ID"), platform="twitter")
    report = import_paths(store, [labelled], reg=REG, format_name="csv", options=options)
    assert balanced(report) and report.quarantined == 0 and report.imported > 0
    times = {}
    with next(event.glob("*entire_period.csv")).open(newline="") as f:
        for row in list(csv.reader(f))[1:]:
            times[row[1].strip()] = datetime.strptime(row[0], "%a %b %d %H:%M:%S %z %Y")
    stored = store.con.execute("SELECT native_id, created_at FROM posts WHERE platform = 'twitter'").fetchall()
    diffs = sorted(abs((created - times[n]).total_seconds()) for n, created in stored if n in times)
    # Twitter's listed time and the id's agree to a second for almost all; 2012 ids drift by up to ~25 s.
    assert len(diffs) > 100 and diffs[len(diffs) // 2] < 1 and diffs[-1] < 30


def test_volume_series_are_not_posts(shared_data, store):
    folder = need(shared_data / "nab_twitter_volume")
    report = import_paths(store, [folder], reg=REG)
    assert report.read == 0 and report.files and all(f.status == "skipped" for f in report.files)
    assert Counter(f.format for f in report.files) == Counter({None: len(report.files)})
