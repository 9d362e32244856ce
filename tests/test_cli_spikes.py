"""``lyssna spikes``: CSV, JSON lines and stdin in; a table or JSON lines out; bad rows reported with their
line; a missing column is an error naming the columns."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner

from lyssna.analyze import AnalyzeError
from lyssna.cli.spikes import spikes

START = datetime(2025, 3, 3, tzinfo=timezone.utc)  # a Monday
SPIKE = 24 * 16 + 4


def series() -> list[tuple[str, int]]:
    """Three weeks of hourly counts with a daily rhythm and one spike (day 17, 04:00 UTC)."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(24 * 21):
        t = START + timedelta(hours=i)
        rate = 30 * (1 + 0.7 * math.sin((t.hour - 9) / 24 * 2 * math.pi))
        rows.append((t.isoformat(), int(rng.poisson(rate)) + (90 if i == SPIKE else 0)))
    return rows


def run(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(spikes, args, input=stdin)


def flat(text: str) -> str:
    """stderr without the console's line wrapping."""
    return " ".join(text.replace(",\n", ", ").split())


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "volume.csv"
    path.write_text("time,count\n" + "".join(f"{t},{c}\n" for t, c in series()))
    return path


def test_csv_gives_a_table_of_the_spike(csv_file):
    result = run([str(csv_file)])
    assert result.exit_code == 0, result.output
    spike_time = (START + timedelta(hours=SPIKE)).isoformat(sep=" ", timespec="minutes")
    assert spike_time in result.stdout and "up" in result.stdout
    assert "1 anomalies (1 up, 0 down) in 504 buckets of 1 h" in flat(result.stderr)


def test_json_lines_in_and_out_with_named_fields(tmp_path):
    path = tmp_path / "volume.jsonl"
    path.write_text("".join(json.dumps({"ts": t, "n": c}) + "\n" for t, c in series()))
    result = run([str(path), "--time-col", "ts", "--value-col", "n", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["direction"] == "up" and rows[0]["ongoing"] is False
    assert datetime.fromisoformat(rows[0]["start"]) == START + timedelta(hours=SPIKE)
    assert set(rows[0]) == {"start", "peak", "end", "peak_value", "expected", "score", "direction", "ongoing"}


def test_stdin_epoch_seconds_and_a_time_zone(tmp_path):
    text = "time,count\n" + "".join(f"{datetime.fromisoformat(t).timestamp():.0f},{c}\n" for t, c in series())
    result = run(["-", "--json", "--tz", "Europe/Stockholm"], stdin=text)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    start = datetime.fromisoformat(rows[0]["start"])
    assert start == START + timedelta(hours=SPIKE) and start.utcoffset() == timedelta(hours=1)


def test_nab_columns_work(tmp_path):
    path = tmp_path / "nab.csv"
    path.write_text("timestamp,value\n" + "".join(
        f"{datetime.fromisoformat(t).strftime('%Y-%m-%d %H:%M:%S')},{c}\n" for t, c in series()))
    result = run([str(path), "--time-col", "timestamp", "--value-col", "value", "--json"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_bad_rows_are_reported_with_their_line_and_skipped(tmp_path):
    rows = series()
    lines = ["time,count"] + [f"{t},{c}" for t, c in rows]
    lines[5] = "yesterday,4"
    lines[9] = f"{rows[8][0]},-3"
    lines[12] = f"{rows[11][0]},many"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    result = run([str(path), "--json"])
    assert result.exit_code == 0, result.output
    err = flat(result.stderr)
    assert f"{path}, line 6: time 'yesterday'" in err
    assert f"{path}, line 10: count -3 is not a non-negative number" in err
    assert f"{path}, line 13: count 'many' is not a number" in err
    assert "3 rows skipped" in err
    assert len(result.stdout.splitlines()) == 1  # the spike is still found


def test_bad_json_lines_are_reported(tmp_path):
    good = [json.dumps({"time": t, "count": c}) for t, c in series()]
    good[3] = "{not json"
    good[7] = json.dumps({"time": "2025-03-03T07:00:00Z", "count": True})
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(good) + "\n")
    result = run([str(path), "--json"])
    assert result.exit_code == 0
    err = flat(result.stderr)
    assert f"{path}, line 4: not JSON" in err and f"{path}, line 8: count True" in err


def test_a_missing_column_is_an_error_naming_the_columns(csv_file):
    result = run([str(csv_file), "--value-col", "mentions"])
    assert isinstance(result.exception, AnalyzeError) and result.exception.exit_code == 2
    assert "no column 'mentions'" in str(result.exception) and "time, count" in str(result.exception)


def test_unsorted_and_repeated_rows_are_sorted_and_summed(tmp_path):
    rows = series()
    shuffled = rows[::-1] + [(rows[SPIKE][0], 0)]  # reversed, and the spike's hour once more
    path = tmp_path / "unsorted.csv"
    path.write_text("time,count\n" + "".join(f"{t},{c}\n" for t, c in shuffled))
    result = run([str(path), "--json"])
    assert result.exit_code == 0
    err = flat(result.stderr)
    assert "not in time order; sorted" in err and "1 rows repeat an earlier time" in err
    assert len(result.stdout.splitlines()) == 1


def test_help_has_an_example_and_bad_options_are_usage_errors(csv_file):
    assert "Example" in run(["--help"]).output
    assert run([str(csv_file), "--tz", "Mars/Olympus"]).exit_code == 2
    assert run([str(csv_file), "--bucket", "fortnight"]).exit_code == 2


def test_a_daily_report_csv_across_daylight_saving_changes(tmp_path):
    """The shape ``lyssna report --section volume --csv`` writes: local-midnight ``start`` in ISO 8601 with
    its offset (``2025-03-30T00:00:00+01:00``), then topic, posts and the other columns."""
    zone = ZoneInfo("Europe/Stockholm")
    days = [datetime.combine(date(2025, 3, 1) + timedelta(days=i), time(), tzinfo=zone) for i in range(260)]
    spike = days.index(datetime(2025, 8, 20, tzinfo=zone))
    lines = ["start,topic,posts,authors,negative,neutral,positive,net_sentiment,engagement"]
    for i, d in enumerate(days):
        posts = 480 if i == spike else 120
        lines.append(f"{d.isoformat()},norrsken,{posts},{posts // 2},10,{posts - 30},20,0.08333,{posts * 3}")
    assert lines[30].startswith("2025-03-30T00:00:00+01:00,") and lines[31].startswith("2025-03-31T00:00:00+02:00,")
    path = tmp_path / "volume.csv"
    path.write_text("\n".join(lines) + "\n")
    args = [str(path), "--time-col", "start", "--value-col", "posts", "--tz", "Europe/Stockholm"]
    result = run(args + ["--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["start"], r["end"], r["direction"], r["peak_value"]) for r in rows] == [
        ("2025-08-20T00:00:00+02:00", "2025-08-20T00:00:00+02:00", "up", 480.0)]
    assert ("1 anomalies (1 up, 0 down) in 260 buckets of 1 day from 2025-03-01 00:00+01:00 to "
            "2025-11-15 00:00+01:00 (Europe/Stockholm)") in flat(result.stderr)
    table = run(args)
    assert table.exit_code == 0 and "2025-08-20 00:00+02:00" in table.stdout


def test_weekly_and_monthly_report_csvs(tmp_path):
    zone = ZoneInfo("Europe/Stockholm")
    weeks = [datetime.combine(date(2025, 1, 6) + timedelta(weeks=i), time(), tzinfo=zone) for i in range(40)]
    months = [datetime(2024 + m // 12, m % 12 + 1, 1, tzinfo=zone) for m in range(12)]
    for name, starts, spike, unit in (("weekly", weeks, 16, "7 days"), ("monthly", months, 8, "1 month")):
        path = tmp_path / f"{name}.csv"
        path.write_text("start,topic,posts\n" + "".join(
            f"{s.isoformat()},,{900 if i == spike else 300}\n" for i, s in enumerate(starts)))
        result = run([str(path), "--time-col", "start", "--value-col", "posts", "--tz", "Europe/Stockholm", "--json"])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert [(r["start"], r["direction"]) for r in rows] == [(starts[spike].isoformat(), "up")], name
        assert f"in {len(starts)} buckets of {unit} from" in flat(result.stderr)
