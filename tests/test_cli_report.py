"""``lyssna report``: every section as a titled table, one JSON document, CSV of one section, and clear
errors for an unknown topic or CSV of several sections."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import lyssna
from lyssna.cli.report import SECTIONS, report

from .analytics.test_overview import POSTS, write_csv


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    write_csv(root / "posts.csv", POSTS)
    with lyssna.init(root / "p") as project:
        project.import_paths([root / "posts.csv"])
        project.add_topic("volvo", "volvo")
        project.add_topic("saab", "saab")
        project.edit_topic("volvo", "volvo OR xc40", note="the model too")
    return root / "p"


def run(folder, *args: str):
    return CliRunner().invoke(report, list(args), obj={"project": str(folder)})


def test_every_section_is_a_titled_table(folder):
    result = run(folder, "-t", "volvo", "-t", "saab", "--since", "2025-06-01", "--until", "2025-06-05")
    assert result.exit_code == 0, result.output
    for title in ("Volume and sentiment", "Topic edits", "Share of voice", "Where", "Top authors by posts",
                  "Top authors by reach", "Top hashtags", "Top mentions", "Top domains", "Reach and engagement"):
        assert title in result.stdout
    assert "2025-06-02" in result.stdout and "r/sweden" in result.stdout and "volvo OR xc40" in result.stdout


def test_json_holds_every_section_with_rows_as_objects(folder):
    result = run(folder, "-t", "volvo", "--since", "2025-06-01", "--until", "2025-06-05", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(SECTIONS) <= set(doc) and doc["time_zone"] == "Europe/Stockholm" and doc["bucket"] == "day"
    assert [(r["start"][:10], r["posts"]) for r in doc["volume"]] == [
        ("2025-06-01", 1), ("2025-06-02", 2), ("2025-06-03", 0), ("2025-06-04", 1), ("2025-06-05", 0)]
    assert doc["volume"][0]["start"] == "2025-06-01T00:00:00+02:00"
    assert [(e["topic"], e["version"]) for e in doc["edits"]] == [("volvo", 2)]
    assert doc["hashtags"][0] == {"kind": "hashtags", "value": "elbil", "posts": 3, "authors": 2, "share": 0.75}


def test_json_of_chosen_sections_and_weekly_buckets(folder):
    result = run(folder, "--section", "sov", "--section", "volume", "--bucket", "week", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "where" not in doc and "hashtags" not in doc
    assert [(r["topic"], r["posts"]) for r in doc["sov"]] == [("volvo", 4), ("saab", 2)]
    assert sum(r["posts"] for r in doc["volume"]) == len(POSTS) and doc["volume"][0]["topic"] is None


def test_csv_of_one_section(folder):
    result = run(folder, "-t", "volvo", "-t", "saab", "--section", "authors", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["handle"], r["posts"]) for r in rows] == [("anna", "2"), ("bo", "2"), ("cia", "1")]
    volume = run(folder, "-t", "saab", "-s", "volume", "--csv", "--bucket", "month")
    assert volume.stdout.splitlines()[1].startswith("2025-06-01T00:00:00+02:00,saab,2,")


def test_csv_needs_exactly_one_section(folder):
    for args in ([], ["-s", "volume", "-s", "sov"]):
        result = run(folder, "--csv", *args)
        assert result.exit_code == 2 and "give exactly one --section" in result.output
    result = run(folder, "--csv", "--json", "-s", "volume")
    assert result.exit_code == 2 and "one of --json and --csv" in result.output


def test_an_unknown_topic_lists_the_topics(folder):
    result = run(folder, "-t", "volov")
    assert result.exit_code == 2
    assert "no topic named 'volov'" in result.output and "topics: saab, volvo" in result.output


def test_limit_and_help(folder):
    result = run(folder, "-s", "hashtags", "--limit", "1", "--json")
    assert [r["value"] for r in json.loads(result.stdout)["hashtags"]] == ["elbil"]
    help_text = CliRunner().invoke(report, ["--help"]).output
    assert "Example:" in help_text and "lyssna report" in help_text
