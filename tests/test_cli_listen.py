"""`lyssna topic …` and `lyssna search`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json

from .helpers import FIXTURES
from .test_cli import run

STATUSES = FIXTURES / "twitter_v1" / "statuses.jsonl"


def _project(tmp_path):
    assert run(["init"], tmp_path).returncode == 0
    assert run(["import", str(STATUSES)], tmp_path).returncode == 0
    return tmp_path


def test_search_outputs_table_json_and_csv(tmp_path):
    p = _project(tmp_path)
    table = run(["search", "strömavbrott OR elpris*"], p)
    assert table.returncode == 0, table.stderr
    assert "twitter:9001" in table.stdout and "twitter:9005" in table.stdout and "twitter:9003" not in table.stdout
    assert "2 posts match" in table.stderr
    lines = run(["search", "@norrskenenergi", "--json"], p).stdout.splitlines()
    assert [json.loads(line)["ref"] for line in lines] == ["twitter:9003", "twitter:9001"]  # newest first
    rows = list(csv.DictReader(io.StringIO(run(["search", "norrsken", "--csv", "--limit", "1"], p).stdout)))
    assert len(rows) == 1 and rows[0]["ref"] == "twitter:9005" and "elpriset" in rows[0]["text"]
    window = run(["search", "norrsken OR strömavbrott", "--since", "2025-01-13T08:30", "--until", "2025-01-13",
                  "--json"], p)
    assert [json.loads(line)["ref"] for line in window.stdout.splitlines()] == ["twitter:9005"]


def test_a_bad_query_shows_where_and_why_without_a_traceback(tmp_path):
    p = _project(tmp_path)
    bad = run(["search", 'norrsken AND "elpris'], p)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    lines = bad.stderr.splitlines()
    caret = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret - 1].strip() == 'norrsken AND "elpris'
    assert lines[caret].index("^") == lines[caret - 1].index('"'), "the caret points at the open quote"
    assert "Hint:" in bad.stderr
    unknown = run(["topic", "test", "autor:anna"], p)
    assert unknown.returncode == 2 and "author" in unknown.stderr and "Traceback" not in unknown.stderr
    warned = run(["search", "norrsken and elpris"], p)
    assert warned.returncode == 0 and "Warning" in warned.stderr and "AND" in warned.stderr


def test_topic_lifecycle(tmp_path):
    p = _project(tmp_path)
    preview = run(["topic", "test", "norrsken OR strömavbrott", "--json"], p)
    assert preview.returncode == 0, preview.stderr
    assert json.loads(preview.stdout)["total"] == 2
    added = run(["topic", "add", "norrsken", "norrsken OR strömavbrott"], p)
    assert added.returncode == 0 and "2 posts matched" in added.stdout
    again = run(["topic", "add", "norrsken", "x"], p)
    assert again.returncode != 0 and "exists already" in again.stderr
    edited = run(["topic", "edit", "norrsken", "norrsken OR strömavbrott OR @norrskenenergi", "--note", "handle"], p)
    assert edited.returncode == 0 and "version 2" in edited.stdout and "3 posts" in edited.stdout
    listed = json.loads(run(["topic", "list", "--json"], p).stdout)
    assert [(t["name"], t["version"], t["matches"]) for t in listed] == [("norrsken", 2, 3)]
    shown = json.loads(run(["topic", "show", "norrsken", "--json"], p).stdout)
    assert [v["version"] for v in shown["versions"]] == [1, 2] and shown["versions"][1]["note"] == "handle"
    assert [m["ref"] for m in shown["latest"]] == ["twitter:9005", "twitter:9003", "twitter:9001"]
    table = run(["topic", "list"], p).stdout
    assert "norrsken" in table and "@norrskenenergi" in table
    removed = run(["topic", "remove", "norrsken", "--yes"], p)
    assert removed.returncode == 0 and "3 matches" in removed.stdout
    assert json.loads(run(["topic", "list", "--json"], p).stdout) == []
    missing = run(["topic", "remove", "norrsken", "--yes"], p)
    assert missing.returncode == 1 and "no topic named 'norrsken'" in missing.stderr


def test_post_text_cannot_inject_markup(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "posts.csv").write_text(
        "id,created_at,author,text\n1,2025-01-01T10:00:00Z,x,[bold red]norrsken[/bold red] <script>\n",
        encoding="utf-8")
    assert run(["init"], tmp_path).returncode == 0
    assert run(["import", str(tmp_path / "in")], tmp_path).returncode == 0
    out = run(["search", "norrsken"], tmp_path).stdout
    assert "[bold red]norrsken[/bold red]" in out


def test_an_empty_or_reversed_window_is_refused(tmp_path):
    p = _project(tmp_path)
    for command in (["search", "norrsken"], ["report"], ["themes"]):
        done = run([*command, "--since", "2025-06-10", "--until", "2025-06-01"], p)
        assert done.returncode == 2 and "is not before --until" in done.stderr, command
