"""Taking part (lyssna.analytics.dialogue, Project.responses, `lyssna report --section responses`): which
posts were addressed to the organisation, which its own accounts answered, and how fast — on a real
project, imported from a CSV of posts and replies."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import lyssna
from lyssna.analytics.dialogue import parse_accounts, responses
from lyssna.campaigns import build_series
from lyssna.cli import cli
from lyssna.errors import CampaignError

UTC = ZoneInfo("UTC")

#: (id, author, UTC time, text, reply_to, platform)
POSTS = [
    ("c1", "anna", "2025-05-05T10:00:00", "@NorrskenHjalp min faktura är fel", "", "twitter"),
    ("a1", "NorrskenHjalp", "2025-05-05T10:30:00", "@anna Vi tittar på fakturan direkt! /Linnea", "c1", "twitter"),
    ("c2", "bo", "2025-05-05T11:00:00", "norrsken har dåligt elpris", "", "twitter"),  # about, not to, them
    ("c3", "cia", "2025-05-05T12:00:00", "@norrskenhjalp hallå? någon där?", "", "twitter"),  # never answered
    ("o1", "NorrskenHjalp", "2025-05-06T09:00:00", "Driftstörning i Luleå idag, vi jobbar på det", "", "twitter"),
    ("c4", "dan", "2025-05-06T09:30:00", "När är strömmen tillbaka?", "o1", "twitter"),  # a reply to them
    ("a4", "NorrskenHjalp", "2025-05-06T11:30:00", "@dan Vid 14 räknar vi med", "c4", "twitter"),
    ("a4b", "NorrskenHjalp", "2025-05-06T12:30:00", "@dan Nu är den tillbaka", "c4", "twitter"),  # a later answer
    ("c5", "eve", "2025-05-06T13:00:00", "norrsken energi kundtjänst svarar aldrig", "", "twitter"),
    ("a5", "NorrskenHjalp", "2025-05-06T13:10:00", "@eve Skriv till oss så hjälper vi dig", "c5", "twitter"),
    ("r1", "fia", "2025-05-06T14:00:00", "norrsken på reddit, någon?", "", "reddit"),
    ("x1", "NorrskenHjalp", "2025-05-06T14:05:00", "svar på fel plattform", "r1", "twitter"),  # not an answer
]


def _write(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "created_at", "text", "reply_to", "platform"])
        for pid, author, at, text, reply_to, platform in rows:
            w.writerow([pid, author, at + "+00:00", text, reply_to, platform])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dialogue")
    _write(folder / "posts.csv", POSTS)
    with lyssna.init(folder / "p", settings={"own_accounts": ["twitter:NorrskenHjalp"]}) as p:
        p.import_paths([folder / "posts.csv"])
        p.add_topic("faktura", "faktura*")
        yield p


def test_addressed_answered_and_how_fast_per_day(project):
    zone = project.settings.zone
    rows = project.responses(bucket="day", since=datetime(2025, 5, 5, tzinfo=zone), until=datetime(2025, 5, 7, tzinfo=zone))
    # in the project's zone (Stockholm): both days' posts stay on their days
    assert [(r.start.date().isoformat(), r.addressed, r.answered) for r in rows] == [
        ("2025-05-05", 2, 1), ("2025-05-06", 2, 2)]
    assert rows[0].response_rate == 0.5 and rows[0].median_minutes == 30
    assert rows[1].response_rate == 1.0 and rows[1].median_minutes == (120 + 10) / 2  # first answers only
    total = project.responses()
    assert (total.addressed, total.answered, total.median_minutes) == (4, 3, 30)
    assert total.response_rate == pytest.approx(0.75)


def test_a_topic_narrows_what_is_counted(project):
    total = project.responses(["faktura"])
    assert (total.addressed, total.answered, total.median_minutes) == (1, 1, 30)  # c1 (a1 is their own)


def test_accounts_are_read_leniently_and_none_means_nothing_to_count(project):
    assert parse_accounts(["twitter:@NorrskenHjalp", " reddit:Norrsken ", "bare", "", "mastodon:x@y.social"]) == [
        ("twitter", "norrskenhjalp"), ("reddit", "norrsken"), (None, "bare"), ("mastodon", "x@y.social")]
    assert responses(project.store, own_accounts=[]) == []
    # a bare handle counts on any platform: then the reddit post answered from twitter is still not an
    # answer (an answer is on the post's own platform)
    rows = responses(project.store, own_accounts=["norrskenhjalp"], bucket="month", tz=UTC)
    assert sum(r.addressed for r in rows) == 4


def test_the_report_shows_the_responses(project):
    result = CliRunner().invoke(cli, ["--project", str(project.folder), "report", "--section", "responses", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["responses"]
    assert [(r["addressed"], r["answered"]) for r in rows] == [(2, 1), (2, 2)]
    html = CliRunner().invoke(cli, ["--project", str(project.folder), "report", "--section", "responses", "--html", "-"])
    assert 'id="responses"' in html.stdout and "Share answered per bucket" in html.stdout


def test_a_response_kpi_needs_the_own_accounts(project, tmp_path):
    day = datetime(2025, 5, 5).date()
    with lyssna.init(tmp_path / "none") as bare:
        bare.import_paths([project.folder.parent / "posts.csv"])
        bare.add_topic("faktura", "faktura*")
        campaign = bare.add_campaign("c", start=day, end=day, topics=["faktura"], kpi="response_rate")
        with pytest.raises(CampaignError, match="set own_accounts in lyssna.toml"):
            build_series(bare.store, campaign, bare.settings.zone, today=datetime(2025, 6, 1).date())
    series = build_series(project.store, campaign, project.settings.zone, today=datetime(2025, 6, 1).date(),
                          own_accounts=project.settings.own_accounts)
    assert list(series.treated) == [1.0]  # c1 answered, on 5 May


def test_hours_off_the_hour_grid_keep_their_counts(tmp_path):
    # Lord Howe Island: clocks go back half an hour at 2025-04-05 15:00 UTC; that night an hour bucket
    # starts off the hour grid — every addressed post still lands in a bucket
    rows = [(f"c{i}", f"u{i}", f"2025-04-05T{h:02d}:{m:02d}:00", "@brand hej", "", "twitter")
            for i, (h, m) in enumerate([(13, 10), (14, 10), (14, 40), (15, 5), (15, 35), (16, 10), (16, 50), (17, 5)])]
    _write(tmp_path / "lh.csv", rows)
    with lyssna.init(tmp_path / "p", settings={"own_accounts": ["twitter:brand"], "timezone": "Australia/Lord_Howe"}) as p:
        p.import_paths([tmp_path / "lh.csv"])
        hourly = p.responses(bucket="hour")
        assert sum(r.addressed for r in hourly) == p.responses().addressed == 8

