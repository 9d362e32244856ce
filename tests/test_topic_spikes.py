"""Every topic's spikes, found as posts arrive (lyssna.topic_spikes, Project.spikes, `lyssna spikes --topic`):
imports of a real project feed each topic's streaming detectors, and what they find is what the same
detector finds over the whole series at once — also when posts arrive late or a query changes."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import lyssna
from lyssna.analytics.spikes import SpikeDetector
from lyssna.cli import cli, main
from lyssna.topic_spikes import KINDS

from .test_alerts import _hours

FIRST = datetime(2025, 3, 3, tzinfo=timezone.utc)  # a Monday
END = FIRST + timedelta(days=10)


def _rows(rng, start: datetime, hours: int, n0: int, burst: dict[int, tuple[int, str]] | None = None) -> list[tuple]:
    """Poisson(6) posts an hour about brandword, a tenth negative, plus bursts (the alert tests' series)."""
    return _hours(rng, start, hours, n0, burst=burst)


def _import(project, folder: Path, name: str, rows) -> None:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(("id", "author", "created_at", "text"))
        w.writerows(rows)
    project.import_paths([path])


@pytest.fixture
def project(tmp_path):
    with lyssna.init(tmp_path / "p") as p:
        p.clock = lambda: END + timedelta(days=30)
        _import(p, tmp_path, "history.csv", _rows(np.random.default_rng(1), FIRST, 10 * 24, 0))
        p.add_topic("brand", "brandword")
        yield p


def _at_once(project, topic: str, kind: str):
    """The same detector over the topic's whole hourly series, from its first match to the last complete hour."""
    store = project.store
    topic_id = store.topic(topic).id
    first = store.first_match_hours()[topic_id]
    end = int(store.newest_post_time().timestamp()) // 3600 * 3600
    counts = store.hourly_topic_counts(first, end, [topic_id]).get(topic_id, {})
    d = SpikeDetector("hour", tz=project.settings.zone, params=KINDS[kind])
    found = {}
    for h in range(first, end, 3600):
        d.update(float(h), counts.get(h, (0, 0))[0 if kind == "volume" else 1])
        for a in d.emitted:
            found[a.start] = (a.start, a.peak, a.end, a.direction)
    return sorted(found.values())


def _streamed(project, topic: str, kind: str):
    return [(s.start, s.peak, s.end, s.direction) for s in project.spikes([topic], kinds=[kind])]


def test_a_burst_after_the_history_is_a_spike_and_a_negative_surge(project, tmp_path):
    _import(project, tmp_path, "burst.csv", _rows(np.random.default_rng(2), END, 12, 100_000,
                                                   {5: (80, "brandword is everywhere today"),
                                                    8: (40, "brandword is terrible, I hate it, the worst")}))
    spikes = [s for s in project.spikes(since=END) if s.direction == "up"]
    assert [(s.kind, s.start.astimezone(timezone.utc)) for s in spikes] == [
        ("volume", END + timedelta(hours=5)), ("negative", END + timedelta(hours=8)),
        ("volume", END + timedelta(hours=8))]  # by start, then kind
    assert spikes[0].peak_value >= 80 and spikes[0].expected < 15 and spikes[0].score >= 5
    assert spikes[0].start.tzinfo == project.settings.zone and spikes[0].topic == "brand"
    # asking again finds the same, nothing twice
    assert project.spikes() == project.spikes()
    assert len({(s.kind, s.start) for s in project.spikes()}) == len(project.spikes())


def test_imports_in_pieces_find_what_one_pass_over_the_series_finds(project, tmp_path):
    rng = np.random.default_rng(3)
    start, n = END, 100_000
    for i, burst in enumerate([{3: (70, "brandword launch")}, {}, {6: (60, "brandword outage")}, {}]):
        rows = _rows(rng, start, 9, n, burst)
        _import(project, tmp_path, f"piece{i}.csv", rows)
        start, n = start + timedelta(hours=9), n + len(rows) + 1
    for kind in KINDS:
        assert _streamed(project, "brand", kind) == _at_once(project, "brand", kind)
    assert len([s for s in project.spikes(["brand"], kinds=["volume"], since=END) if s.direction == "up"]) >= 2


def test_posts_arriving_late_replay_the_topic(project, tmp_path):
    _import(project, tmp_path, "new.csv", _rows(np.random.default_rng(4), END, 12, 100_000))
    assert not [s for s in project.spikes(kinds=["volume"]) if s.start.astimezone(timezone.utc) == FIRST + timedelta(days=6)]
    # an export of an old burst, imported after the fact
    old = [(500_000 + i, f"late{i}", (FIRST + timedelta(days=6, minutes=i)).isoformat(), f"brandword back then, {i}")
           for i in range(90)]
    _import(project, tmp_path, "late.csv", old)
    starts = [s.start.astimezone(timezone.utc) for s in project.spikes(kinds=["volume"]) if s.direction == "up"]
    assert FIRST + timedelta(days=6) in starts
    assert _streamed(project, "brand", "volume") == _at_once(project, "brand", "volume")


def test_an_edited_topic_is_replayed_with_its_new_matches(project, tmp_path):
    _import(project, tmp_path, "burst.csv", _rows(np.random.default_rng(5), END, 12, 100_000,
                                                   {5: (80, "brandword and otherword everywhere")}))
    assert [s for s in project.spikes(["brand"], kinds=["volume"]) if s.direction == "up"]
    project.edit_topic("brand", "brandword AND NOT otherword")
    assert not [s for s in project.spikes(["brand"], kinds=["volume"]) if s.direction == "up" and s.peak_value > 40]
    assert _streamed(project, "brand", "volume") == _at_once(project, "brand", "volume")


def test_the_cli_lists_a_topics_spikes(project, tmp_path, capsys):
    _import(project, tmp_path, "burst.csv", _rows(np.random.default_rng(2), END, 12, 100_000,
                                                   {5: (80, "brandword is everywhere today")}))
    folder = str(project.folder)
    project.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", folder, "spikes", "--topic", "brand", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert any(r["kind"] == "volume" and r["direction"] == "up" and r["peak_value"] >= 80 for r in rows)
    with pytest.raises(SystemExit) as e:
        main(["--project", folder, "spikes", "--topic", "nosuch"])
    assert e.value.code != 0 and "no topic named 'nosuch'" in capsys.readouterr().err
    result = runner.invoke(cli, ["--project", folder, "spikes", "some.csv", "--topic", "brand"])
    assert result.exit_code == 2 and "either FILE or --topic" in result.output


def test_the_report_has_a_spikes_section(project, tmp_path):
    _import(project, tmp_path, "burst.csv", _rows(np.random.default_rng(2), END, 12, 100_000,
                                                   {5: (80, "brandword is everywhere today")}))
    folder = str(project.folder)
    project.close()
    result = CliRunner().invoke(cli, ["--project", folder, "report", "-t", "brand", "--section", "spikes", "--json",
                                      "--since", "2025-03-13"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["spikes"]
    assert [(r["kind"], r["direction"]) for r in rows if r["peak_value"] >= 80] == [("volume", "up")]
    csv_out = CliRunner().invoke(cli, ["--project", folder, "report", "-t", "brand", "--section", "spikes", "--csv"])
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines()[0].startswith("topic,kind,start,peak,end")


def test_a_rescored_history_replays_the_negative_detectors(project, tmp_path):
    _import(project, tmp_path, "burst.csv", _rows(np.random.default_rng(6), END, 12, 100_000,
                                                   {5: (60, "brandword news today")}))
    hour = END + timedelta(hours=5)
    assert not [s for s in project.spikes(kinds=["negative"]) if s.start.astimezone(timezone.utc) == hour]
    # the sentiment enricher re-scores the history (a new version): that hour's posts were negative after all
    keys = [k for (k,) in project.store.con.execute(
        "SELECT key FROM posts WHERE created_at >= ? AND created_at < ?", [hour, hour + timedelta(hours=1)]).fetchall()]
    project.store.write_enrichments(keys, {"sentiment": ("VARCHAR", ["negative"] * len(keys))}, [])
    assert hour in [s.start.astimezone(timezone.utc) for s in project.spikes(kinds=["negative"])]
    assert _streamed(project, "brand", "negative") == _at_once(project, "brand", "negative")


def test_a_spike_going_on_is_listed_for_a_period_after_its_start(project, tmp_path):
    _import(project, tmp_path, "step.csv", _rows(np.random.default_rng(7), END, 12, 100_000,
                                                  {h: (60, f"brandword everywhere {h}") for h in range(6, 12)}))
    going = [s for s in project.spikes(kinds=["volume"]) if s.ongoing and s.direction == "up"]
    assert going and going[0].start.astimezone(timezone.utc) == END + timedelta(hours=6)
    later = END + timedelta(hours=9)
    assert going[0] in project.spikes(kinds=["volume"], since=later)
    ended = [s for s in project.spikes(kinds=["volume"]) if not s.ongoing]
    for s in ended:  # one that ended before the period is not in it
        assert s not in project.spikes(kinds=["volume"], since=s.end + timedelta(hours=1))
        assert s in project.spikes(kinds=["volume"], since=s.end + timedelta(minutes=59))
