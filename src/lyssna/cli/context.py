"""What every command shares: opening the project named by --project (or found), and the consoles."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from rich.console import Console
from rich.markup import escape

from ..project import Project, open_project

# data: stdout. Piped into a file or another program, lines are not cut at 80 columns.
out = Console(soft_wrap=True, highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False)  # progress and messages: stderr


def project_from(ctx: click.Context) -> Project:
    folder = (ctx.find_root().obj or {}).get("project")
    return open_project(Path(folder) if folder else None)


def emit_json(value: object) -> None:
    """One JSON document on stdout."""
    click.echo(orjson.dumps(value, default=str, option=orjson.OPT_INDENT_2).decode())


class Problems:
    """Problems with an input, printed to stderr as they come (the first ``shown``), counted for the summary;
    call it with a :class:`~lyssna.analyze.Problem`."""

    def __init__(self, shown: int = 20):
        self.shown = shown
        self.all: list = []

    def __call__(self, problem) -> None:
        self.all.append(problem)
        if len(self.all) <= self.shown:
            err.print(f"[yellow]{'Skipped' if problem.skipped else 'Warning:'}[/yellow] {escape(str(problem))}")

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.all if p.skipped)

    def print_rest(self) -> None:
        if len(self.all) > self.shown:
            err.print(f"… and {len(self.all) - self.shown:,} more problems")
