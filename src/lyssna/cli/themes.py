"""``lyssna themes``: what the posts talk about, once or week by week."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from .context import emit_json, out, project_from
from .listen import _window


@click.command("themes")
@click.option("--topic", "-t", default=None, help="Only the posts a listening topic matches.")
@click.option("--since", default=None, help="From this date or time (2025-06-01, in the project's time zone).")
@click.option("--until", default=None, help="Up to this date (the whole day) or time, exclusive.")
@click.option("--by", type=click.Choice(["week", "month"]), default=None,
              help="Themes per week or month, a continuing theme keeping its id.")
@click.option("--k", "k", type=click.IntRange(1, 50), default=None, help="How many themes (default: by the posts' number).")
@click.option("--all-copies", is_flag=True, help="Count each near-duplicate (repost, copy) on its own.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def themes(ctx: click.Context, topic: str | None, since: str | None, until: str | None, by: str | None,
           k: int | None, all_copies: bool, as_json: bool) -> None:
    """What are they talking about? Themes over the keyphrases of the posts (of a topic, in a window):
    a readable label, the posts it covers and its top phrases. A campaign's copies count once.

    \b
    Example:
      lyssna themes --topic norrsken --since 2025-06-01
      lyssna themes --by week --json
    """
    with project_from(ctx) as project:
        start, end = _window(since, until, project)
        window = dict(topic=topic, since=start, until=end, k=k, once_per_copy_group=not all_copies)
        if by is None:
            found = project.themes(**window)
            if as_json:
                emit_json([_theme(t) for t in found])
                return
            _table(found, "themes")
            return
        periods = project.theme_trends(by=by, **window)
        if not periods and not as_json:
            out.print("no themes: no enriched posts in this selection")
            return
        if as_json:
            emit_json([{"period": p.period, "posts": p.posts, "new": list(p.new), "ended": list(p.ended),
                        "themes": [_theme(t) for t in p.themes]} for p in periods])
            return
        for p in periods:
            _table(p.themes, f"{p.period}: {p.posts:,} posts" + (f", new {', '.join(p.new)}" if p.new else "")
                   + (f", ended {', '.join(p.ended)}" if p.ended else ""))


def _theme(t) -> dict:
    return {"id": t.id, "label": t.label, "posts": t.size, "share": round(t.share, 4),
            "terms": [[term, round(w, 4)] for term, w in t.terms]}


def _table(found, title: str) -> None:
    if not found:
        out.print(f"{escape(title)}: no themes (no enriched posts with shared phrases)")
        return
    table = Table(title=escape(title), title_justify="left")
    for col in ("id", "theme", "posts", "share", "top phrases"):
        table.add_column(col, justify="right" if col in ("posts", "share") else "left")
    for t in found:
        table.add_row(t.id, escape(t.label), f"{t.size:,}", f"{t.share:.0%}",
                      escape(", ".join(term for term, _ in t.terms[:6])))
    out.print(table)
