"""`lyssna analyze`: records in (CSV or JSON lines, file or stdin), the same records out, enriched."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from .test_cli import run


def _stdin(args, data: str, cwd):
    return subprocess.run([sys.executable, "-m", "lyssna", "analyze", *args], cwd=cwd, input=data,
                          capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


TEMPLATE = "Jag stöder kampanjen för bättre kollektivtrafik i Stockholm, skriv under du också @politiker"


def test_csv_in_csv_out_with_every_column(tmp_path):
    path = tmp_path / "posts.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "body", "sentiment"])
        w.writerow(["a", "Tåget är försenat igen! Varför? #sj @SJ_AB https://sj.se/x 😡", "gold-neg"])
        w.writerow(["b", "Love the new app, thanks so much! :)", "gold-pos"])
        w.writerow(["c", TEMPLATE, ""])
        w.writerow(["d", "RT @someone: " + TEMPLATE, ""])
    done = run(["analyze", str(path), "--text-col", "body"], tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    a, b, c, d = rows
    assert a["sentiment"] == "gold-neg" and a["lyssna_sentiment"] == "negative"  # the record's own field is kept
    assert b["lyssna_sentiment"] == "positive" and float(b["sentiment_score"]) > 0
    assert a["lang"] == "sv" and b["lang"] == "en"
    assert a["hashtags"] == "sj" and a["mentions"] == "SJ_AB" and a["domains"] == "sj.se" and a["emoji"] == "😡"
    assert "question" in a["labels"].split("|") and "complaint" in a["labels"].split("|")
    assert d["dup_of"] == "3" and d["dup_group"] == "3" and c["dup_of"] == ""
    assert "kollektivtrafik" in c["phrases"]
    assert "4 records analysed" in done.stderr


def test_jsonl_from_stdin_reports_bad_lines_and_goes_on(tmp_path):
    lines = ['{"text": "Hur gör jag för att få pengarna tillbaka?"}', "not json", "[1, 2]", '{"text": 5}',
             '{"other": "x"}', '{"text": "Fantastic service today 😍"}']
    done = _stdin(["--json"], "\n".join(lines) + "\n", tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert len(out) == 2
    assert out[0]["sentiment"]["label"] in ("negative", "neutral") and "question" in out[0]["labels"]
    assert out[1]["sentiment"]["label"] == "positive" and out[1]["sentiment"]["score"] > 0
    assert out[1]["emoji"] == ["😍"] and out[1]["lang"] == "en"
    for n, why in ((2, "not JSON"), (3, "a JSON array, not an object"), (4, "'text' is a JSON number"),
                   (5, "no 'text' field")):
        assert f"stdin, line {n}: {why}" in done.stderr
    assert "2 records analysed, 4 skipped" in done.stderr


def test_a_missing_text_column_is_one_clear_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,message\n1,hej\n", encoding="utf-8")
    done = run(["analyze", str(path)], tmp_path)
    assert done.returncode == 2
    assert "no column 'text'; the columns are id, message" in done.stderr and "Traceback" not in done.stderr


def test_a_csv_row_with_the_wrong_number_of_fields_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('id,text\n1,"bra"\n2,"a",extra\n3,"dåligt"\n', encoding="utf-8")
    done = run(["analyze", str(path), "--json"], tmp_path)
    assert done.returncode == 0
    assert [json.loads(x)["id"] for x in done.stdout.splitlines()] == ["1", "3"]
    assert "line 3: 3 fields where the header has 2" in done.stderr


def test_an_overlong_line_is_skipped(tmp_path):
    from lyssna.analyze import MAX_LINE

    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "' + "a" * (MAX_LINE + 10) + '"}\n{"text": "ok bra"}\n', encoding="utf-8")
    done = run(["analyze", str(path)], tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1
    assert "line 1: longer than" in done.stderr


def test_bom_crlf_one_column_csv_and_undecodable_bytes(tmp_path):
    done = _stdin([], "\ufefftext\r\nBra, riktigt bra\r\nDåligt\r\n", tmp_path)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["text"] for r in rows] == ["Bra, riktigt bra", "Dåligt"]  # one column: commas are text
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "Bra"}\r\n{"text": "Caf\xe9 bra"}\r\n')
    done = run(["analyze", str(path)], tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2
    assert "line 2: not valid UTF-8" in done.stderr and "2 records analysed" in done.stderr


def test_sentiment_is_nested_in_json_without_touching_the_records_own_fields(tmp_path):
    lines = ['{"id": 1, "text": "Usel service", "sentiment": "positive"}',
             '{"id": 2, "text": "Grymt bra", "sentiment": "neutral", "sentiment_score": 0.9}',
             '{"id": 3, "text": "Grymt bra"}']
    out = [json.loads(x) for x in _stdin([], "\n".join(lines) + "\n", tmp_path).stdout.splitlines()]
    assert out[0]["sentiment"] == "positive" and out[0]["lyssna_sentiment"]["label"] == "negative"
    assert out[1]["sentiment"] == "neutral" and out[1]["sentiment_score"] == 0.9
    assert out[1]["lyssna_sentiment"]["label"] == "positive" and "lyssna_sentiment_score" not in out[1]
    assert out[2]["sentiment"]["label"] == "positive" and out[2]["sentiment"]["score"] > 0


def test_a_json_array_or_nothing_analysed_is_an_error(tmp_path):
    done = _stdin([], '[{"text": "hej"}]\n', tmp_path)
    assert done.returncode == 2 and "write one JSON object a line" in done.stderr
    done = _stdin([], '{"body": "hej"}\n', tmp_path)
    assert done.returncode == 2 and "nothing analysed" in done.stderr and "Traceback" not in done.stderr
