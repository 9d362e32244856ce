"""The ``lyssna`` command: a thin layer over the Python API (:mod:`lyssna.project`).

Data goes to stdout (tables, or JSON with ``--json``); progress bars and messages go to stderr. Errors are
printed as one clear message, never a traceback.
"""

from __future__ import annotations

import sys

import click

from ..errors import LyssnaError
from .alerts import alert
from .analyze import analyze
from .browse import show, stats, thread
from .campaign import campaign
from .demo import demo
from .imports import formats, import_, init, quarantine
from .listen import search, topic
from .report import report
from .spikes import spikes
from .themes import themes

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="lyssna")
@click.option("--project", "-p", type=click.Path(file_okay=False), envvar="LYSSNA_PROJECT",
              help="The project folder (default: the current folder or the nearest parent with lyssna.toml).")
@click.pass_context
def cli(ctx: click.Context, project: str | None) -> None:
    """Lyssna listens to social media, blogs, forums and recordings, and measures what lasted.

    \b
    Example:
      lyssna init && lyssna import exports/ && lyssna stats
    """
    ctx.obj = {"project": project}


for command in (init, import_, stats, show, thread, topic, search, report, themes, campaign, alert, analyze,
                spikes, demo, formats, quarantine):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI, turning Lyssna's errors into messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="lyssna", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted. What was committed is kept; run the same command again to resume.", err=True)
        sys.exit(130)
    except LyssnaError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
