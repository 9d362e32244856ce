"""The README's promises: its commands exist, CI runs its test command, its formats are the real ones."""

from __future__ import annotations

import re

from lyssna.cli import cli
from lyssna.plugins import registry

from .helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_lyssna_command_in_the_readme_exists():
    used = set(re.findall(r"^lyssna (?:--project \S+ )?([a-z-]+)", README, re.MULTILINE))
    assert {"init", "import", "stats", "show", "thread", "demo"} <= used
    assert used <= set(cli.commands), used - set(cli.commands)


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert re.search(rf"^lyssna {name}\b", README, re.MULTILINE), f"`lyssna {name}` is not in the README"


def test_ci_runs_the_readme_test_command():
    test_command = re.search(r"^# 2\..*\n(.+)$", README, re.MULTILINE).group(1).strip()
    assert "pytest" in test_command
    assert test_command in (REPO / ".ci" / "run").read_text()


def test_formats_table_matches_the_registry():
    section = README.split("### Supported formats", 1)[1].split("\n#", 1)[0]
    table = set(re.findall(r"^\| `([a-z0-9-]+)`(?:, `([a-z0-9-]+)`)? \|", section, re.MULTILINE))
    named = {name for pair in table for name in pair if name}
    assert named == {f.name for f in registry.formats()}
