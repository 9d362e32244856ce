"""``lyssna campaign …`` as a user runs it: add, list, show, report, remove, on a real project.

The group is invoked through click's runner with the project given as the root command's ``--project``
would give it. Lyssna's errors propagate out of a group invoked this way (``lyssna.cli.main`` prints
them as ``Error: …`` with their exit code), so the tests check the exception and its exit code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import lyssna
from lyssna.analytics.impact import ImpactError
from lyssna.cli.campaign import campaign
from lyssna.errors import CampaignError, NotFound

from .test_campaigns import END, FIRST, START, write_posts


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli-campaign")
    write_posts(root / "posts.csv", seed=3, words=("stepword", "flatword"))
    with lyssna.init(root / "project") as project:
        project.import_paths([root / "posts.csv"])
        project.add_topic("step", "stepword")
        project.add_topic("flat", "flatword")
    return root / "project"


@pytest.fixture
def folder(template, tmp_path) -> Path:
    shutil.copytree(template, tmp_path / "project")
    return tmp_path / "project"


def invoke(folder: Path, *args: str):
    return CliRunner().invoke(campaign, list(args), obj={"project": str(folder)})


def test_every_command_has_help_with_an_example():
    assert "Example" in CliRunner().invoke(campaign, ["--help"]).output
    for name in campaign.commands:
        result = CliRunner().invoke(campaign, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`lyssna campaign {name} --help` shows no example"


def test_add_list_show_remove(folder):
    added = invoke(folder, "add", "summer", "--start", str(START), "--end", str(END), "--topic", "step",
                   "--control", "flat", "--note", "radio and billboards")
    assert added.exit_code == 0, added.output
    assert "Added campaign summer: 2025-04-16 – 2025-04-29, step against flat, measured on volume." in added.output
    pilot = invoke(folder, "add", "dialogue", "--start", str(START), "--end", str(END), "--topic", "flat",
                   "--pilot", "--kpi", "net_sentiment", "--hypothesis", "answers lift sentiment",
                   "--decision", "2025-06-01")
    assert pilot.exit_code == 0, pilot.output and "Added pilot dialogue" in pilot.output
    listed = invoke(folder, "list")
    assert listed.exit_code == 0 and "summer" in listed.output and "dialogue" in listed.output
    rows = json.loads(invoke(folder, "list", "--json").output)
    assert [r["name"] for r in rows] == ["dialogue", "summer"]
    assert rows[0] == {"name": "dialogue", "kind": "pilot", "start": "2025-04-16", "end": "2025-04-29",
                       "topics": ["flat"], "controls": [], "kpi": "net_sentiment",
                       "hypothesis": "answers lift sentiment", "decision_date": "2025-06-01", "note": None,
                       "created_at": rows[0]["created_at"]}
    shown = invoke(folder, "show", "dialogue")
    assert shown.exit_code == 0
    assert "hypothesis: answers lift sentiment" in shown.output and "decision: 2025-06-01" in shown.output
    assert json.loads(invoke(folder, "show", "summer", "--json").output)["note"] == "radio and billboards"
    removed = invoke(folder, "remove", "summer", "--yes")
    assert removed.exit_code == 0 and "Removed campaign summer." in removed.output
    assert [r["name"] for r in json.loads(invoke(folder, "list", "--json").output)] == ["dialogue"]


def test_an_empty_list_says_how_to_add_one(folder):
    result = invoke(folder, "list")
    assert result.exit_code == 0 and "No campaigns yet" in result.output


def test_report_prints_the_verdict_first_then_the_table_and_warnings(folder):
    assert invoke(folder, "add", "summer", "--start", str(START), "--end", str(END), "--topic", "step",
                  "--control", "flat").exit_code == 0
    result = invoke(folder, "report", "summer")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Mentions rose") and first.endswith("a lasting change.")
    for row in ("verdict: lasting change", "lift during the campaign", "lasting change", "half-life",
                "peak (", "p-value", "95 % interval", "controls flat"):
        assert row in result.output, row
    data = json.loads(invoke(folder, "report", "summer", "--after-weeks", "2", "--json").output)
    assert data["verdict"] == data["impact"]["verdict"] == "lasting change"
    assert data["campaign"]["controls"] == ["flat"] and data["after_weeks"] == 2
    assert data["series"]["days"][0] == str(FIRST) and data["impact"]["after"]["days"] == 14


def test_report_of_a_pilot_states_its_hypothesis_and_decision(folder):
    assert invoke(folder, "add", "p", "--start", str(START), "--end", str(END), "--topic", "flat", "--pilot",
                  "--hypothesis", "nothing changes", "--decision", "2025-06-01").exit_code == 0
    result = invoke(folder, "report", "p")
    assert result.exit_code == 0, result.output
    assert "Hypothesis: nothing changes" in result.output
    assert "Decision: the decision date 2025-06-01 passed" in result.output


@pytest.mark.parametrize("args, error, message", [
    (["--topic", "nope"], CampaignError, r"no topic named 'nope' \(topics: flat, step\)"),
    (["--topic", "step", "--control", "step"], CampaignError, "both a topic and a control"),
    (["--topic", "step", "--pilot"], CampaignError, "needs a hypothesis"),
])
def test_add_refuses_what_is_not_valid(folder, args, error, message):
    result = invoke(folder, "add", "bad", "--start", str(START), "--end", str(END), *args)
    assert isinstance(result.exception, error), result.output
    assert result.exception.exit_code == 2
    assert re.search(message, str(result.exception))


def test_usage_errors_and_missing_campaigns(folder):
    bad_date = invoke(folder, "add", "x", "--start", "16/4/2025", "--end", str(END), "--topic", "step")
    assert bad_date.exit_code == 2 and "%Y-%m-%d" in bad_date.output
    no_topic = invoke(folder, "add", "x", "--start", str(START), "--end", str(END))
    assert no_topic.exit_code == 2 and "--topic" in no_topic.output
    unknown_kpi = invoke(folder, "add", "x", "--start", str(START), "--end", str(END), "--topic", "step",
                         "--kpi", "likes")
    assert unknown_kpi.exit_code == 2 and "net_sentiment" in unknown_kpi.output
    ends_early = invoke(folder, "add", "x", "--start", str(END), "--end", str(START), "--topic", "step")
    assert isinstance(ends_early.exception, CampaignError) and "before it starts" in str(ends_early.exception)
    twice = [invoke(folder, "add", "x", "--start", str(START), "--end", str(END), "--topic", "step")
             for _ in range(2)]
    assert twice[0].exit_code == 0 and "exists already" in str(twice[1].exception)
    for command in ("show", "report", "remove"):
        missing = invoke(folder, command, "nope")
        assert isinstance(missing.exception, NotFound) and "campaigns: x" in str(missing.exception)


def test_report_with_too_little_history_is_a_clear_error(folder):
    assert invoke(folder, "add", "early", "--start", str(FIRST), "--end", str(START), "--topic", "step").exit_code == 0
    result = invoke(folder, "report", "early")
    assert isinstance(result.exception, ImpactError) and "at least 28" in str(result.exception)


def test_report_after_weeks_0_is_worded_after_the_reason(folder):
    assert invoke(folder, "add", "s0", "--start", str(START), "--end", str(END), "--topic", "step").exit_code == 0
    result = invoke(folder, "report", "s0", "--after-weeks", "0")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "data ends too soon" not in result.output and "no after-period was asked for" in first
    assert "nan" not in result.output.lower()
