"""``lyssna campaign …``: campaigns and pilots, and what they changed."""

from __future__ import annotations

import math
import sys
from datetime import date, datetime

import click
from rich.markup import escape
from rich.table import Table

from ..analytics.impact import Estimate, ImpactReport, WindowEffect
from ..campaigns import KPIS, PLANNED_KPIS, CampaignReport
from ..models import Campaign
from .context import emit_json, err, out, project_from

__all__ = ["campaign"]

_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def _campaign_dict(c: Campaign) -> dict:
    return {"name": c.name, "kind": c.kind, "start": c.start, "end": c.end, "topics": list(c.topics),
            "controls": list(c.controls), "kpi": c.kpi, "hypothesis": c.hypothesis,
            "decision_date": c.decision_date, "note": c.note, "created_at": c.created_at}


@click.group()
def campaign() -> None:
    """Campaigns and pilots: a period and the topics it should move, and what it changed.

    \b
    Examples:
      lyssna campaign add sommar --start 2025-06-01 --end 2025-06-30 --topic norrsken --control marknaden
      lyssna campaign report sommar
    """


@campaign.command("add")
@click.argument("name")
@click.option("--start", type=_DAY, required=True, help="First day (YYYY-MM-DD, the project's time zone).")
@click.option("--end", type=_DAY, required=True, help="Last day, inclusive.")
@click.option("--topic", "topics", multiple=True, required=True, metavar="TOPIC",
              help="A topic the campaign should move (repeat for several; a post counts once).")
@click.option("--control", "controls", multiple=True, metavar="TOPIC",
              help="A topic it should not move: a competitor, the market (repeat for several).")
@click.option("--kpi", type=click.Choice([*KPIS, *PLANNED_KPIS]), default="volume", show_default=True,
              help="What the campaign is measured on.")
@click.option("--pilot", is_flag=True, help="A pilot: a small test with a hypothesis and a decision date.")
@click.option("--hypothesis", metavar="TEXT", help="A pilot's hypothesis: what should change, by how much.")
@click.option("--decision", type=_DAY, help="A pilot's decision date: when to decide whether to scale it up.")
@click.option("--note", metavar="TEXT", help="Anything worth remembering about it.")
@click.pass_context
def campaign_add(ctx: click.Context, name: str, start: datetime, end: datetime, topics: tuple[str, ...],
                 controls: tuple[str, ...], kpi: str, pilot: bool, hypothesis: str | None,
                 decision: datetime | None, note: str | None) -> None:
    """Save a campaign or a pilot: its days, the topics it should move and the controls it should not.

    \b
    Examples:
      lyssna campaign add sommar --start 2025-06-01 --end 2025-06-30 --topic norrsken --control vattenfall
      lyssna campaign add kundtjänst --start 2025-09-01 --end 2025-10-31 --topic norrsken --pilot \\
          --kpi net_sentiment --hypothesis "answering every complaint lifts net sentiment by 0.1" \\
          --decision 2025-12-01
    """
    with project_from(ctx) as project:
        saved = project.add_campaign(name, start=start.date(), end=end.date(), topics=topics, controls=controls,
                                     kpi=kpi, pilot=pilot, hypothesis=hypothesis, decision_date=_day(decision),
                                     note=note)
        against = f" against {', '.join(saved.controls)}" if saved.controls else ""
        out.print(f"Added {saved.kind} {escape(saved.name)}: {saved.start} – {saved.end}, "
                  f"{escape(', '.join(saved.topics))}{escape(against)}, measured on {saved.kpi}.")


@campaign.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def campaign_list(ctx: click.Context, as_json: bool) -> None:
    """The campaigns and pilots, by start date.

    \b
    Example:
      lyssna campaign list --json
    """
    with project_from(ctx) as project:
        campaigns = project.campaigns()
        if as_json:
            emit_json([_campaign_dict(c) for c in campaigns])
            return
        if not campaigns:
            out.print("No campaigns yet. Add one with: lyssna campaign add NAME --start … --end … --topic …")
            return
        table = Table("campaign", "kind", "start", "end", "topics", "controls", "kpi", "decision",
                      title_justify="left")
        for c in campaigns:
            table.add_row(escape(c.name), c.kind, str(c.start), str(c.end), escape(", ".join(c.topics)),
                          escape(", ".join(c.controls)), c.kpi, str(c.decision_date or ""))
        out.print(table)


@campaign.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def campaign_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """One campaign or pilot: its period, topics, controls, KPI, hypothesis and decision date.

    \b
    Example:
      lyssna campaign show sommar
    """
    with project_from(ctx) as project:
        c = project.campaign(name)
        if as_json:
            emit_json(_campaign_dict(c))
            return
        for label, value in _facts(c):
            out.print(f"[bold]{label}:[/bold] {escape(value)}")


def _facts(c: Campaign) -> list[tuple[str, str]]:
    facts = [(c.kind, c.name), ("period", f"{c.start} – {c.end} ({(c.end - c.start).days + 1} days)"),
             ("topics", ", ".join(c.topics)), ("controls", ", ".join(c.controls) or "none"),
             ("kpi", f"{c.kpi} ({KPIS.get(c.kpi, '')})")]
    if c.hypothesis:
        facts.append(("hypothesis", c.hypothesis))
    if c.decision_date:
        facts.append(("decision", str(c.decision_date)))
    if c.note:
        facts.append(("note", c.note))
    return facts


@campaign.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def campaign_remove(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete a campaign or pilot (its topics and their matches stay).

    \b
    Example:
      lyssna campaign remove sommar --yes
    """
    with project_from(ctx) as project:
        project.campaign(name)
        if not yes and sys.stdin.isatty():
            click.confirm(f"Remove campaign {name!r}?", abort=True, err=True)
        removed = project.remove_campaign(name)
        out.print(f"Removed {removed.kind} {escape(removed.name)}.")


@campaign.command("report")
@click.argument("name")
@click.option("--after-weeks", default=4, show_default=True, type=click.IntRange(0, 104),
              help="How many weeks after the end to follow the effect (the lasting change is their last 14 days).")
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON (with the daily series).")
@click.pass_context
def campaign_report(ctx: click.Context, name: str, after_weeks: int, as_json: bool) -> None:
    """What a campaign changed: the verdict (lasting change, spike only, no detectable effect, too early
    to tell: still running, or too few days after it), the lift, peak, half-life and lasting change with their intervals, against a counterfactual
    from the topics' own history and the controls.

    \b
    Examples:
      lyssna campaign report sommar
      lyssna campaign report sommar --after-weeks 8 --json > sommar.json
    """
    with project_from(ctx) as project:
        today = datetime.now(project.settings.zone).date()  # the one place the clock is read
        report = project.campaign_impact(name, after_weeks=after_weeks, today=today)
        if as_json:
            emit_json(report.to_dict())
            return
        _print_report(report)


def _print_report(report: CampaignReport) -> None:
    impact, c = report.impact, report.campaign
    out.print(f"[bold]{escape(impact.explanation)}[/bold]")
    out.print(f"{c.kind} {escape(c.name)}: {c.start} – {c.end}; topics {escape(', '.join(c.topics))}; controls "
              f"{escape(', '.join(c.controls) or 'none')}; KPI {c.kpi} ({KPIS.get(c.kpi, '')}).")
    if c.hypothesis:
        out.print(f"Hypothesis: {escape(c.hypothesis)}")
    if report.decision_text():
        out.print(f"Decision: {report.decision_text()}.")
    out.print(_effects_table(impact))
    out.print(f"Method: {escape(impact.method)}; data {report.series.days[0]} – {report.series.days[-1]}.")
    for warning in report.warnings:
        err.print(f"[yellow]Warning:[/yellow] {escape(warning)}")


def _effects_table(impact: ImpactReport) -> Table:
    level = f"{impact.level * 100:.0f} % interval"
    table = Table("measure", "days", "observed", "expected", "effect", level, "relative", "p-value",
                  title=f"verdict: {impact.verdict}", title_justify="left")
    rows: list[tuple[str, WindowEffect | None]] = [
        ("lift during the campaign", impact.campaign), ("after the campaign", impact.after),
        ("lasting change", impact.lasting)]
    for label, w in rows:
        if w is None:
            continue
        if w.absolute is None or w.observed is None:  # no value on any day of the window
            table.add_row(label, f"{w.start} – {w.end}", "no data", _n(w.expected), "no data", "", "", "")
            continue
        pct = w.relative_pct
        relative = "" if pct is None else f"{_p(pct.value)} % ({_p(pct.lower)} to {_p(pct.upper)} %)"
        table.add_row(label, f"{w.start} – {w.end}", _n(w.observed), _n(w.expected), _n(w.absolute.value),
                      _ci(w.absolute), relative, "" if w.p_value is None else f"{w.p_value:.3f}")
    table.add_row(f"peak ({impact.peak_day})", "1", "", "", _n(impact.peak.value), _ci(impact.peak), "", "")
    if impact.half_life_days is not None:
        h = impact.half_life_days
        table.add_row("half-life (days)", "", "", "", _n(h.value), _ci(h), "", "")
    else:
        table.add_row("half-life (days)", "", "", "", "none: no decay to measure", "", "", "")
    table.add_row("cumulative effect", "", "", "", _n(impact.cumulative.value), _ci(impact.cumulative), "", "")
    return table


def _n(x: float) -> str:
    if not math.isfinite(x):
        return "no data"
    ax = abs(x)
    return f"{x:,.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 1 else f"{x:.3f}"


def _p(x: float) -> str:
    return f"{x:+,.0f}" if abs(x) >= 100 else f"{x:+.1f}"


def _ci(e: Estimate) -> str:
    if not (math.isfinite(e.lower) and math.isfinite(e.upper)):
        return ""
    return f"{_n(e.lower)} to {_n(e.upper)}"
