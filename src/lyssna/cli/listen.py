"""``lyssna topic …`` and ``lyssna search``: saying what to listen for, and finding it in the history."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, time, timedelta

import click
import orjson
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..errors import caret
from ..project import Project
from ..query.parser import QueryWarning
from ..store.base import StoredPost
from .context import emit_json, err, out, project_from

#: Below this many posts to take in, catching up needs no progress bar.
_QUIET_BACKLOG = 20_000


def _caught_up(project: Project) -> None:
    """Bring the text index and the matches up to date, with a progress bar when that takes a while."""
    listening = project.listening
    backlog = listening.backlog()
    if backlog < _QUIET_BACKLOG or not err.is_terminal:
        listening.catch_up()
        return
    with Progress(TextColumn("indexing posts for search"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task("", total=backlog)
        start = project.store.max_post_key() - backlog
        listening.catch_up(progress=lambda done, last: bar.update(task, completed=done - start))


def _warn(warnings: tuple[QueryWarning, ...], query: str) -> None:
    for w in warnings:
        err.print(f"[yellow]Warning:[/yellow] {escape(w.message)} (at position {w.position + 1})")
        err.print(escape(caret(query, w.position)), highlight=False)
        if w.hint:
            err.print(f"Hint: {escape(w.hint)}")


def _window(since: str | None, until: str | None, project: Project) -> tuple[datetime | None, datetime | None]:
    """--since and --until as times (:func:`_when`); an empty or reversed window is a usage error."""
    start, end = _when(since, project, end=False), _when(until, project, end=True)
    if start is not None and end is not None and start >= end:
        raise click.UsageError(f"--since {since} is not before --until {until}: the window is empty")
    return start, end


def _when(value: str | None, project: Project, *, end: bool) -> datetime | None:
    """A date (the whole day, in the project's time zone) or a time, for --since / --until."""
    if value is None:
        return None
    zone = project.settings.zone
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1) if end else day, time(), zone)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (2025-06-30) or a time (2025-06-30T14:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _short(text: str, n: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n - 1] + "…"


def _posts_table(posts: list[StoredPost], project: Project) -> Table:
    table = Table("time", "post", "author", "text", title_justify="left")
    zone = project.settings.zone
    for p in posts:
        who = f"@{p.author_handle}" if p.author_handle else (p.author_id or "")
        text = (f"[bold]{escape(_short(p.title, 60))}[/bold] " if p.title else "") + escape(_short(p.text))
        table.add_row(f"{p.created_at.astimezone(zone):%Y-%m-%d %H:%M}", escape(p.ref), escape(who), text)
    return table


_CSV_FIELDS = ["key", "ref", "created_at", "platform", "author", "lang", "url", "title", "text"]


def _row(p: StoredPost) -> dict:
    return {"key": p.key, "ref": p.ref, "created_at": p.created_at.isoformat(), "platform": p.platform,
            "author": p.author_handle, "lang": p.lang, "url": p.url, "title": p.title, "text": p.text}


@click.command()
@click.argument("query")
@click.option("--since", metavar="DATE", help="From this date or time (project time zone).")
@click.option("--until", metavar="DATE", help="Up to this date (the whole day) or time.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 1_000_000),
              help="At most this many posts, newest first.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one post per line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.pass_context
def search(ctx: click.Context, query: str, since: str | None, until: str | None, limit: int, as_json: bool,
           as_csv: bool) -> None:
    """Find posts in the whole history with a query in the boolean language.

    \b
    AND OR NOT ( )   "a phrase"   "volvo elbil"~5   volvo NEAR/3 elbil   NEAR/3f (in order)
    klimat* organi?ation   #hashtag  @mention   {BT} (case-sensitive)   <<<a comment>>>
    author: platform: site: url: lang: country: title:   followers:[1000 TO *]  engagement:[10 TO *]

    \b
    Examples:
      lyssna search '"norrsken energi" AND (elpris* OR faktura) NOT jobb' --since 2025-06-01
      lyssna search 'norrsken NEAR/5 (kundtjänst OR support)' --csv > svar.csv
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with project_from(ctx) as project:
        _caught_up(project)
        start, end = _window(since, until, project)
        result = project.search(query, since=start, until=end,
                                limit=limit)
        _warn(result.warnings, query)
        if as_json:
            for p in result.posts:
                click.echo(orjson.dumps(_row(p)).decode())
        elif as_csv:
            writer = csv.DictWriter(sys.stdout, fieldnames=_CSV_FIELDS, lineterminator="\n")
            writer.writeheader()
            for p in result.posts:
                writer.writerow(_row(p))
        elif result.posts:
            out.print(_posts_table(result.posts, project))
        shown = len(result.posts)
        err.print(f"{result.total:,} posts match" + (f"; the newest {shown:,} shown" if shown < result.total else ""))


@click.group()
def topic() -> None:
    """Listening topics: named queries matched against every post as it arrives.

    \b
    Examples:
      lyssna topic test '"norrsken energi" OR #norrsken NOT jobb'
      lyssna topic add norrsken '"norrsken energi" OR #norrsken NOT jobb'
      lyssna topic list
    """


@topic.command("test")
@click.argument("query")
@click.option("--sample", default=10, show_default=True, type=click.IntRange(0, 1000),
              help="Show this many matching posts, spread over the period.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def topic_test(ctx: click.Context, query: str, sample: int, as_json: bool) -> None:
    """What a query would match over the history — before saving it as a topic."""
    with project_from(ctx) as project:
        _caught_up(project)
        preview = project.test_topic(query, sample=sample)
        _warn(preview.warnings, query)
        if as_json:
            emit_json({"query": query, "total": preview.total, "first": preview.first, "last": preview.last,
                       "warnings": [w.message for w in preview.warnings], "sample": [_row(p) for p in preview.sample]})
            return
        period = (f" between {preview.first:%Y-%m-%d} and {preview.last:%Y-%m-%d}" if preview.first else "")
        out.print(f"{preview.total:,} posts would match{period}.")
        if preview.sample:
            out.print(_posts_table(preview.sample, project))


@topic.command("add")
@click.argument("name")
@click.argument("query")
@click.pass_context
def topic_add(ctx: click.Context, name: str, query: str) -> None:
    """Save a topic; it is matched over the whole history now, and against new posts as they arrive."""
    with project_from(ctx) as project:
        _caught_up(project)
        saved, warnings = project.listening.add(name, query)
        _warn(warnings, query)
        out.print(f"Added topic {escape(saved.name)}: {saved.matches:,} posts matched.")


@topic.command("edit")
@click.argument("name")
@click.argument("query")
@click.option("--note", help="Why it changed (kept with the version, shown where its series breaks).")
@click.pass_context
def topic_edit(ctx: click.Context, name: str, query: str, note: str | None) -> None:
    """Change a topic's query. Earlier versions are kept; the matches are recomputed over the history,
    and charts mark the edit so that a break in a series is not misread as a change in the conversation."""
    with project_from(ctx) as project:
        _caught_up(project)
        before = project.listening.topic(name)
        saved, warnings = project.listening.edit(name, query, note)
        _warn(warnings, query)
        if saved.version == before.version:
            out.print(f"Topic {escape(name)} already has this query; nothing changed.")
        else:
            out.print(f"Topic {escape(name)} is now version {saved.version}: {saved.matches:,} posts matched "
                      f"(version {before.version} matched {before.matches:,}).")


@topic.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def topic_remove(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete a topic with its versions and matches."""
    with project_from(ctx) as project:
        current = project.listening.topic(name)
        if not yes and sys.stdin.isatty():
            click.confirm(f"Remove topic {name!r} and its {current.matches:,} matches?", abort=True, err=True)
        project.remove_topic(name)
        out.print(f"Removed topic {escape(name)} ({current.matches:,} matches).")


@topic.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def topic_list(ctx: click.Context, as_json: bool) -> None:
    """The saved topics, with their queries and how many posts each matches."""
    with project_from(ctx) as project:
        _caught_up(project)
        topics = project.topics()
        if as_json:
            emit_json([{"name": t.name, "query": t.query, "version": t.version, "matches": t.matches,
                        "created_at": t.created_at, "updated_at": t.updated_at} for t in topics])
            return
        if not topics:
            out.print("No topics yet. Add one with: lyssna topic add NAME QUERY")
            return
        table = Table("topic", "matches", "version", "updated", "query", title_justify="left")
        zone = project.settings.zone
        for t in topics:
            table.add_row(escape(t.name), f"{t.matches:,}", str(t.version),
                          f"{t.updated_at.astimezone(zone):%Y-%m-%d %H:%M}", escape(t.query))
        out.print(table)


@topic.command("show")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(0, 10_000),
              help="Show this many of the latest matches.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def topic_show(ctx: click.Context, name: str, limit: int, as_json: bool) -> None:
    """One topic: its query, every version of it, and its latest matches."""
    with project_from(ctx) as project:
        _caught_up(project)
        t = project.listening.topic(name)
        versions = project.topic_history(name)
        latest = project.topic_matches(name, limit)
        if as_json:
            emit_json({"name": t.name, "query": t.query, "version": t.version, "matches": t.matches,
                       "versions": [{"version": v.version, "query": v.query, "valid_from": v.valid_from,
                                     "note": v.note} for v in versions],
                       "latest": [_row(p) for p in latest]})
            return
        out.print(f"[bold]{escape(t.name)}[/bold]: {t.matches:,} posts match  {escape(t.query)}")
        history = Table("version", "from", "query", "note", title="versions", title_justify="left")
        zone = project.settings.zone
        for v in versions:
            history.add_row(str(v.version), f"{v.valid_from.astimezone(zone):%Y-%m-%d %H:%M}", escape(v.query),
                            escape(v.note or ""))
        out.print(history)
        if latest:
            out.print(_posts_table(latest, project))


__all__ = ["search", "topic"]
