"""``lyssna report``: the overview of topics in a period — volume, sentiment, share of voice, where, who,
what, reach and engagement, and what is rising — as tables, one JSON document, CSV of one section, or a self-contained HTML report with
charts (and campaigns' impact). A thin layer over :mod:`lyssna.analytics.overview` and
:mod:`lyssna.analytics.html_report`."""

from __future__ import annotations

import csv
import dataclasses
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import click
from rich.markup import escape
from rich.table import Table

from ..analytics import overview
from ..analytics.dialogue import ResponseRow
from ..analytics.html_report import render_report
from ..errors import NotFound
from ..topic_spikes import TopicSpike
from .campaign import _print_report
from .context import emit_json, err, out, project_from
from .listen import _caught_up, _window


@dataclasses.dataclass(frozen=True)
class _Ask:
    """What the user asked for, as the sections need it."""

    store: Any
    topics: list[str] | None
    since: datetime | None
    until: datetime | None
    tz: ZoneInfo
    bucket: str
    limit: int
    copies_once: bool
    recent: timedelta
    baseline: timedelta
    project: Any = None

    @property
    def window(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until}


def _volume(a: _Ask) -> list:
    return overview.volume(a.store, a.topics, tz=a.tz, bucket=a.bucket, once_per_copy_group=a.copies_once,
                           **a.window)


#: Section name → (table title, rows). Edits are listed whatever the period: a topic's matches are
#: recomputed over the whole history when it is edited, so every edit bears on the series.
SECTIONS: dict[str, tuple[str, Callable[[_Ask], list]]] = {
    "volume": ("Volume and sentiment", _volume),
    "edits": ("Topic edits (where a series breaks)",
              lambda a: overview.topic_edits(a.store, a.topics, tz=a.tz)),
    "sov": ("Share of voice", lambda a: overview.share_of_voice(a.store, a.topics, **a.window)),
    "where": ("Where", lambda a: overview.where(a.store, a.topics, limit=a.limit, **a.window)),
    "authors": ("Top authors by posts", lambda a: overview.top_authors(a.store, a.topics, limit=a.limit, **a.window)),
    "reach": ("Top authors by reach (followers)",
              lambda a: overview.top_authors(a.store, a.topics, by="reach", limit=a.limit, **a.window)),
    **{kind: (f"Top {kind}", lambda a, kind=kind: overview.top_entities(a.store, a.topics, kind=kind,
                                                                          limit=a.limit, **a.window))
       for kind in overview.ENTITY_KINDS},
    "engagement": ("Reach and engagement", lambda a: overview.engagement(a.store, a.topics, **a.window)),
    "rising": ("Rising terms", lambda a: overview.rising_terms(a.store, a.topics, until=a.until, recent=a.recent,
                                                               baseline=a.baseline, limit=a.limit)),
    "spikes": ("Spikes, drops and negative surges (hourly, found as posts arrived)",
               lambda a: a.project.spikes(a.topics, **a.window) if a.project is not None else []),
    "responses": ("Answers by the organisation's own accounts (the own_accounts setting)",
                  lambda a: a.project.responses(a.topics, bucket=a.bucket, **a.window)
                  if a.project is not None and a.project.settings.own_accounts else []),
}


@click.command("report")
@click.option("--topic", "-t", "topics", multiple=True,
              help="A listening topic (repeat for several: a brand and its competitors). Default: all posts.")
@click.option("--since", default=None, help="From this date or time (2025-06-01, in the project's time zone).")
@click.option("--until", default=None, help="Up to this date (the whole day) or time, exclusive.")
@click.option("--bucket", type=click.Choice(overview.BUCKETS), default="day", show_default=True,
              help="Volume per hour, day, week (from Monday) or month, in the project's time zone.")
@click.option("--section", "-s", "sections", multiple=True, type=click.Choice(list(SECTIONS)),
              help="Only this section (repeat for several). Default: all.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True,
              help="Rows in each top list.")
@click.option("--copies-once", is_flag=True,
              help="Volume: count each near-duplicate group (reposts, a campaign's copies) once.")
@click.option("--recent-days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="Rising terms: the recent window, at the end of the period.")
@click.option("--baseline-days", type=click.IntRange(1, 3660), default=28, show_default=True,
              help="Rising terms: the baseline window before the recent one.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document with every section (rows as objects).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV of one section (give exactly one --section).")
@click.option("--html", "html_file", default=None, metavar="FILE",
              help="Write a self-contained HTML report with charts of the sections to FILE ('-': stdout).")
@click.option("--campaign", "campaign_names", multiple=True, metavar="NAME",
              help="Include this campaign's impact (repeat for several; with --html, --json or tables).")
@click.pass_context
def report(ctx: click.Context, topics: tuple[str, ...], since: str | None, until: str | None, bucket: str,
           sections: tuple[str, ...], limit: int, copies_once: bool, recent_days: int, baseline_days: int,
           as_json: bool, as_csv: bool, html_file: str | None, campaign_names: tuple[str, ...]) -> None:
    """The overview of topics (or of all posts) in a period: volume and net sentiment per bucket, where a
    topic's query was edited, share of voice between the topics, where the conversation happens (platform
    and site, subreddit, instance), top authors by posts and by reach, top hashtags, mentions, links and
    domains, reach and engagement, the terms and hashtags rising against their own baseline, and the
    spikes, drops and negative surges each topic's detectors found as posts arrived (of every topic when
    none is given), and how often and how fast the organisation's own accounts (the own_accounts
    setting) answered the posts addressed to it.

    A post matched by several topics counts for each in volume, share of voice and engagement, once in
    the other sections. Net sentiment is (positive - negative) / posts.

    \b
    Example:
      lyssna report --topic norrsken --since 2025-01-01 --until 2025-06-30 --bucket week
      lyssna report -t norrsken -t solkraft --section sov --section volume --json > overview.json
      lyssna report -t norrsken --section hashtags --limit 50 --csv > hashtags.csv
      lyssna report -t norrsken -t solkraft --since 2025-01-01 --campaign sommar --html report.html
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if html_file is not None and (as_json or as_csv):
        raise click.UsageError("choose one of --html, --json and --csv")
    if as_csv and campaign_names:
        raise click.UsageError("--campaign goes with --html, --json or tables, not --csv")
    if as_csv and len(sections) != 1:
        raise click.UsageError("--csv writes one section: give exactly one --section "
                               f"({', '.join(SECTIONS)})")
    with project_from(ctx) as project:
        _caught_up(project)
        try:
            overview.resolve_topics(project.store, topics)
        except NotFound as e:
            raise click.BadParameter(str(e), param_hint="--topic") from None
        try:
            for name in campaign_names:
                project.campaign(name)
        except NotFound as e:
            raise click.BadParameter(str(e), param_hint="--campaign") from None
        ask = _Ask(project.store, list(topics) or None, *_window(since, until, project),
                   project.settings.zone, bucket, limit, copies_once,
                   timedelta(days=recent_days), timedelta(days=baseline_days), project)
        chosen = list(dict.fromkeys(sections)) or list(SECTIONS)
        results = {name: SECTIONS[name][1](ask) for name in chosen}
        today = datetime.now(ask.tz).date()  # campaigns read complete days only
        campaigns = [project.campaign_impact(name, today=today) for name in dict.fromkeys(campaign_names)]
        if campaigns and html_file is not None and "edits" not in results:  # the charts mark them
            results["edits"] = overview.topic_edits(project.store, sorted(
                {t for c in campaigns for t in (*c.campaign.topics, *c.campaign.controls)}), tz=ask.tz)
    if html_file is not None:
        _write(html_file, render_report(results, title=_title(topics), period=_period(ask, results.get("volume")),
                                        zone=ask.tz.key,
                                        campaigns=campaigns))
    elif as_csv:
        _csv(results[chosen[0]], _row_type(chosen[0]))
    elif as_json:
        emit_json({"topics": list(topics), "since": ask.since, "until": ask.until, "time_zone": ask.tz.key,
                   "bucket": bucket, **{name: [dataclasses.asdict(r) for r in rows] for name, rows in results.items()},
                   **({"campaigns": [c.to_dict() for c in campaigns]} if campaigns else {})})
    else:
        for name, rows in results.items():
            out.print(_table(SECTIONS[name][0], rows, _row_type(name), bucket))
        for campaign_report in campaigns:
            _print_report(campaign_report)


def _title(topics: tuple[str, ...]) -> str:
    return f"Lyssna report: {', '.join(topics)}" if topics else "Lyssna report: all posts"


def _period(ask: _Ask, volume: list | None) -> str:
    """'2025-06-01 – 2025-06-05' (both days included; a time where a bound is not a midnight); an open
    end is the first or last bucket of the volume when there is one."""
    starts = [r.start for r in volume or []]

    def shown(t: datetime | None, end: bool) -> str:
        if t is None:
            if starts:
                return str((max(starts) if end else min(starts)).astimezone(ask.tz).date())
            return "the last post" if end else "the first post"
        local = t.astimezone(ask.tz)
        if local.time() != datetime.min.time():
            return local.strftime("%Y-%m-%d %H:%M") + (" (exclusive)" if end else "")
        return str((local - timedelta(days=1)).date() if end else local.date())
    return f"{shown(ask.since, False)} – {shown(ask.until, True)}"


def _write(target: str, text: str) -> None:
    """Write to stdout ('-') or to a file atomically: a temporary file beside it, then renamed."""
    if target == "-":
        click.echo(text, nl=False)
        return
    path = Path(target)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    err.print(f"Wrote {escape(str(path))}")


_ROW_TYPES = {"volume": overview.VolumeRow, "edits": overview.TopicEdit, "sov": overview.ShareRow,
              "where": overview.WhereRow, "authors": overview.AuthorRow, "reach": overview.AuthorRow,
              "engagement": overview.EngagementRow, "rising": overview.RisingTerm, "spikes": TopicSpike, "responses": ResponseRow,
              **{kind: overview.EntityRow for kind in overview.ENTITY_KINDS}}


def _row_type(section: str) -> type:
    return _ROW_TYPES[section]


def _csv(rows: list, row_type: type) -> None:
    names = [f.name for f in dataclasses.fields(row_type)]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, datetime) else v
                         for v in (getattr(row, n) for n in names)])


#: Columns not worth a table column (kept in JSON and CSV).
_HIDDEN = {"kind", "author_id"}
_PERCENT = {"share", "response_rate"}
_SIGNED = {"net_sentiment", "score"}


def _table(title: str, rows: list, row_type: type, bucket: str) -> Table | str:
    if not rows:
        return f"{escape(title)}: nothing in this selection"
    names = [f.name for f in dataclasses.fields(row_type) if f.name not in _HIDDEN]
    if row_type is overview.VolumeRow and all(r.topic is None for r in rows):
        names.remove("topic")
    if row_type is overview.ShareRow and all(r.start is None for r in rows):
        names.remove("start")
    table = Table(title=escape(title), title_justify="left")
    for name in names:
        numeric = isinstance(getattr(rows[0], name), (int, float)) and name not in ("version",)
        table.add_column(name.replace("_", " "), justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(name, getattr(row, name), bucket) for name in names))
    return table


def _cell(name: str, value: Any, bucket: str) -> str:
    if name == "complete":  # a bucket the period cuts: fewer days than its neighbours
        return "" if value else "partial"
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime({"hour": "%Y-%m-%d %H:%M %z", "week": "%G-W%V %Y-%m-%d", "month": "%Y-%m"}.get(
            bucket, "%Y-%m-%d") if name == "start" else "%Y-%m-%d %H:%M")
    if isinstance(value, float):
        if name in _PERCENT:
            return f"{value:.1%}"
        return f"{value:+.2f}" if name in _SIGNED else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return escape(str(value))
