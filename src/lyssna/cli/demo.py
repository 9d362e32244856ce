"""``lyssna demo``: the scenario of DESIGN.md, generated, imported through the real importers, summarised."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from ..analytics.dialogue import format_minutes
from ..project import run_demo
from .browse import _counts
from .context import emit_json, err, out
from .imports import _Bars, _print_notes, _print_report


@click.command()
@click.option("--folder", default="lyssna-demo", show_default=True, type=click.Path(file_okay=False),
              help="Where to put the demo project and its generated exports.")
@click.option("--seed", default=7, show_default=True, help="The scenario's random seed (same seed, same data).")
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0.01, 100),
              help="Volume multiplier (1.0 is about 25k posts).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def demo(folder: str, seed: int, scale: float, as_json: bool) -> None:
    """Generate the demo scenario, import it into an embedded store and summarise it.

    A Swedish energy company that talked through a megaphone runs a summer campaign, then opens a
    long-term dialogue with its customers — with competitors, Swedish and English posts, complaints and
    questions, replies by its staff, a crisis spike and a pilot project. The exports are written in the
    real platform formats (X API v2 pages, Mastodon, Reddit, RSS, a forum CSV, a WebVTT interview) and
    imported through the same importers as your own data.

    \b
    Example:
      lyssna demo --folder /tmp/demo && lyssna --project /tmp/demo stats
    """
    err.print(f"Generating the demo scenario (seed {seed}) in {escape(str(Path(folder) / 'exports'))} …")
    progress = Progress(TextColumn("{task.description}"), BarColumn(), console=err, transient=True,
                        disable=not err.is_terminal)
    with progress:
        run = run_demo(folder, seed=seed, scale=scale, progress=_Bars(progress))
    manifest, report, stats = run.manifest, run.report, run.stats
    if as_json:
        emit_json({"manifest": asdict(manifest), "import": report.as_dict(), "stats": asdict(stats),
                   "example_thread": run.example_thread,
                   "topics": [{"name": t.name, "query": t.query, "matches": t.matches} for t in run.topics],
                   "campaigns": [c.to_dict() for c in run.campaigns],
                   "responses": {k: asdict(v) for k, v in run.responses.items()}})
        return
    _print_report(report, show_files=False)
    _print_notes(report)
    story = Table.grid(padding=(0, 2))
    for name, value in asdict(manifest).items():
        if name in ("files", "folder"):
            continue
        story.add_row(name.replace("_", " "), escape(_fmt(value)))
    out.print(story)
    out.print(_counts("month", stats.by_month, bars=True))
    out.print(f"{stats.posts:,} posts by {stats.authors:,} authors in {stats.threads:,} threads "
              f"(deepest {stats.max_depth}), {stats.first:%Y-%m-%d} – {stats.last:%Y-%m-%d}.")
    if run.topics:
        topics = Table("listening topic", "posts", "query", title_justify="left")
        for t in run.topics:
            topics.add_row(escape(t.name), f"{t.matches:,}", escape(t.query))
        out.print(topics)
    if run.campaigns:
        found = Table("campaign / pilot", "days", "what it changed", title_justify="left")
        for c in run.campaigns:
            found.add_row(escape(c.campaign.name), f"{c.campaign.start} – {c.campaign.end}",
                          escape(c.impact.explanation))
        out.print(found)
    if run.responses:
        answers = Table("answers to posts addressed to the company", "addressed", "answered", "median time",
                        "90 % within", title_justify="left")
        for period, r in run.responses.items():
            answers.add_row(period, f"{r.addressed:,}", f"{r.response_rate:.0%}" if r.response_rate is not None else "–",
                            format_minutes(r.median_minutes), format_minutes(r.p90_minutes))
        out.print(answers)
    where = escape(str(run.folder))
    out.print(f"Next: lyssna --project {where} stats")
    if run.example_thread:
        out.print(f"      lyssna --project {where} thread {escape(run.example_thread)}")
    out.print(f"      lyssna --project {where} search 'norrsken NEAR/5 (faktura OR kundtjänst)'")
    out.print(f"      lyssna --project {where} topic show \"Storm Vidar\"")
    out.print(f"      lyssna --project {where} report -t \"Norrsken Energi\" -t Fjällkraft --bucket week "
              "--campaign \"Summer campaign\" --html report.html")


def _fmt(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value)
    return str(value)
