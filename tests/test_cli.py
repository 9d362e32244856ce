"""The CLI, as a user runs it: commands, output on the right streams, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lyssna.cli import cli, main

from .helpers import FIXTURES

STATUSES = FIXTURES / "twitter_v1" / "statuses.jsonl"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The real command in a child process, so exit codes and stderr are what a user sees."""
    return subprocess.run([sys.executable, "-m", "lyssna", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`lyssna {name} --help` shows no example"
        assert command.help and len(command.help.split()) > 5, name


def test_init_import_stats_show_thread(tmp_path):
    assert run(["init"], tmp_path).returncode == 0
    assert (tmp_path / "lyssna.toml").exists() and (tmp_path / "lyssna.duckdb").exists()
    imported = run(["import", str(STATUSES), "--json"], tmp_path)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert (report["read"], report["imported"], report["duplicate"], report["quarantined"]) == (7, 4, 1, 2)
    again = run(["import", str(STATUSES)], tmp_path)
    assert "unchanged" in again.stderr and again.returncode == 0

    stats = json.loads(run(["stats", "--json"], tmp_path).stdout)
    assert stats["posts"] == 4 and stats["by_platform"] == [["twitter", 4]] and stats["max_depth"] == 2
    table = run(["stats"], tmp_path).stdout
    assert "posts" in table and "2025-01" in table

    shown = run(["show", "twitter:9002"], tmp_path)
    assert shown.returncode == 0
    assert "@NorrskenEnergi" in shown.stdout and "felsöker" in shown.stdout and '"id_str": "9002"' in shown.stdout
    as_json = json.loads(run(["show", "9002", "--json"], tmp_path).stdout)
    assert as_json["reply_to"] == "9001" and as_json["raw"]["id_str"] == "9002"

    thread = run(["thread", "twitter:9003"], tmp_path).stdout
    lines = [line for line in thread.splitlines() if line.strip()]
    assert "@norrsken_kund" in lines[0] and "Strömavbrott" in lines[0]
    assert lines.index(next(l for l in lines if "felsöker" in l)) < lines.index(next(l for l in lines if "Tack" in l))
    assert "2025-01-13 07:20" in thread
    tree = json.loads(run(["thread", "9001", "--json"], tmp_path).stdout)
    assert tree["children"][0]["children"][0]["id"] == "9003"

    q = run(["quarantine", "--json"], tmp_path)
    assert {r["at"] for r in json.loads(q.stdout)} == {"line 4", "line 6"}


def test_errors_are_messages_not_tracebacks(tmp_path):
    no_project = run(["stats"], tmp_path)
    assert no_project.returncode == 2 and "lyssna init" in no_project.stderr
    assert "Traceback" not in no_project.stderr
    run(["init"], tmp_path)
    (tmp_path / "notes.txt").write_text("hello\n")
    unknown = run(["import", "notes.txt"], tmp_path)
    assert unknown.returncode == 1 and "notes.txt" in unknown.stderr and "Supported:" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = run(["show", "twitter:1"], tmp_path)
    assert missing.returncode == 1 and "no post" in missing.stderr
    bad_map = run(["import", str(STATUSES), "--map", "text"], tmp_path)
    assert bad_map.returncode == 2 and "Traceback" not in bad_map.stderr
    (tmp_path / "lyssna.toml").write_text('timezone = "Mars/Olympus"\n')
    bad_config = run(["stats"], tmp_path)
    assert bad_config.returncode == 2 and "Mars/Olympus" in bad_config.stderr


def test_data_on_stdout_messages_on_stderr(tmp_path):
    run(["init"], tmp_path)
    result = run(["import", str(STATUSES), "--json"], tmp_path)
    json.loads(result.stdout)  # nothing but the JSON on stdout
    assert "quarantined" in result.stderr  # the hint goes to stderr


def test_project_option_and_env(tmp_path):
    project = tmp_path / "p"
    run(["init", str(project)], tmp_path)
    assert run(["--project", str(project), "import", str(STATUSES)], tmp_path).returncode == 0
    env_run = subprocess.run([sys.executable, "-m", "lyssna", "stats", "--json"], cwd=tmp_path, text=True,
                             capture_output=True, env={"PATH": "/usr/bin:/bin", "LYSSNA_PROJECT": str(project)})
    assert json.loads(env_run.stdout)["posts"] == 4


def test_main_turns_interrupts_into_a_message(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", boom)
    with pytest.raises(SystemExit) as e:
        main(["stats"])
    assert e.value.code == 130 and "resume" in capsys.readouterr().err


def test_progress_bars_on_a_terminal_only(tmp_path):
    """On a terminal, stderr shows a progress bar while a big file is read; piped, stderr stays plain."""
    import os
    import pty

    big = tmp_path / "big.jsonl"
    with big.open("w") as f:
        for i in range(1, 40_001):
            f.write(json.dumps({"id_str": str(i), "created_at": "Tue Mar 24 10:50:07 +0000 2015",
                                "text": "elpriset " * 20, "user": {"id_str": str(i % 99)}}) + "\n")
    run(["init"], tmp_path)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lyssna", "import", str(big), "--workers", "1"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=slave, env={"PATH": "/usr/bin:/bin", "TERM": "xterm",
                                                                       "COLUMNS": "100"})
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    assert b"big.jsonl [twitter-v1]" in seen and b"\xe2\x94\x81" in seen  # the file's bar, drawn with ━
    assert b"40000" in proc.stdout.read()  # the table still goes to stdout
    piped = run(["import", str(big), "--force", "--workers", "1"], tmp_path)
    assert "━" not in piped.stderr and "\x1b[" not in piped.stderr


def test_demo_command(tmp_path):
    """The README's first command, small: generated, imported through the importers, summarised."""
    result = run(["demo", "--folder", str(tmp_path / "d"), "--scale", "0.05", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["import"]["quarantined"] == 0
    assert summary["import"]["imported"] == summary["manifest"]["total"] == summary["stats"]["posts"]
    assert {p for p, _ in summary["stats"]["by_platform"]} >= {"twitter", "mastodon", "reddit", "web",
                                                                "forum", "transcript"}
    assert summary["example_thread"]
    thread = run(["--project", str(tmp_path / "d"), "thread", summary["example_thread"]], tmp_path)
    assert thread.returncode == 0 and thread.stdout.count("\n") >= 3
    topics = {t["name"]: t["matches"] for t in summary["topics"]}
    assert set(topics) >= {"Norrsken Energi", "Fjällkraft", "Vindö El", "Storm Vidar"}
    assert all(n > 0 for n in topics.values()), topics
    assert topics["Norrsken Energi"] > topics["Fjällkraft"] > topics["Vindö El"]
    table = run(["demo", "--folder", str(tmp_path / "d"), "--scale", "0.05"], tmp_path)
    assert table.returncode == 0 and "Norrsken Energi" in table.stdout and "unchanged" in table.stdout
    listed = json.loads(run(["--project", str(tmp_path / "d"), "topic", "list", "--json"], tmp_path).stdout)
    assert {t["name"]: t["matches"] for t in listed} == topics and {t["version"] for t in listed} == {1}
