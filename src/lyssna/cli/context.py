"""What every command shares: opening the project named by --project (or found), and the consoles."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from rich.console import Console

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
