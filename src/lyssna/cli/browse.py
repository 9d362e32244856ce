"""``lyssna stats``, ``lyssna show``, ``lyssna thread``: what is in the store."""

from __future__ import annotations

from dataclasses import asdict

import click
import orjson
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..store.base import StoredPost, ThreadNode
from .context import emit_json, out, project_from


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """What is in the store: posts per platform, language, kind and month; authors; threads.

    \b
    Example:
      lyssna stats --json
    """
    with project_from(ctx) as project:
        s = project.stats()
    if as_json:
        emit_json(asdict(s))
        return
    summary = Table.grid(padding=(0, 2))
    summary.add_row("posts", f"{s.posts:,}")
    summary.add_row("authors", f"{s.authors:,}")
    summary.add_row("period", f"{s.first:%Y-%m-%d} – {s.last:%Y-%m-%d}" if s.first else "–")
    summary.add_row("threads", f"{s.threads:,} with {s.replies:,} replies, deepest {s.max_depth}")
    summary.add_row("orphans", f"{s.orphans:,} replies whose parent is not in the store")
    summary.add_row("files", f"{s.files:,} imported, {s.quarantined:,} records quarantined")
    out.print(summary)
    for title, rows in (("platform", s.by_platform), ("language", s.by_language), ("kind", s.by_kind)):
        out.print(_counts(title, rows))
    out.print(_counts("month", s.by_month, bars=True))


def _counts(title: str, rows: list[tuple[str, int]], bars: bool = False) -> Table:
    table = Table(title, "posts", title_justify="left")
    if bars:
        table.add_column("")
    top = max((n for _, n in rows), default=0)
    for key, n in rows:
        cells = [escape(key), f"{n:,}"]
        if bars:
            cells.append("█" * max(1, round(30 * n / top)) if top else "")
        table.add_row(*cells)
    return table


def _post_dict(p: StoredPost) -> dict:
    d = asdict(p)
    d["ref"] = p.ref
    return d


@click.command()
@click.argument("post_id")
@click.option("--json", "as_json", is_flag=True, help="Print the post and its raw payload as JSON.")
@click.option("--no-raw", is_flag=True, help="Leave out the raw payload.")
@click.pass_context
def show(ctx: click.Context, post_id: str, as_json: bool, no_raw: bool) -> None:
    """One post, with its raw payload as it was imported.

    POST_ID is PLATFORM:ID (e.g. twitter:1212), a native id alone when unambiguous, or the store key.

    \b
    Example:
      lyssna show twitter:580320684305416192
    """
    with project_from(ctx) as project:
        p = project.post(post_id)
        enriched = project.store.enrichments_of(p.key)
    if as_json:
        d = _post_dict(p)
        d["enrichments"] = enriched
        if no_raw:
            d.pop("raw")
        emit_json(d)
        return
    grid = Table.grid(padding=(0, 2))
    fields = [
        ("post", p.ref), ("key", str(p.key)), ("kind", p.kind), ("time", p.created_at.isoformat()),
        ("author", _author(p)), ("site", p.site), ("url", p.url), ("language (declared)", p.lang),
        ("country", p.country), ("title", p.title),
        ("reply to", p.reply_to), ("quotes", p.quote_of), ("repost of", p.repost_of), ("thread", f"root {p.root_id}, depth {p.depth if p.depth is not None else '?'}"),
        ("engagement", _engagement(p)),
        ("in recording", _offset(p)), ("source", p.source),
    ]
    fields += [(_ENRICHED_LABELS.get(name, name.replace("_", " ")),
                ", ".join(map(str, value)) if isinstance(value, list) else value) for name, value in enriched.items()]
    for name, value in fields:
        if value:
            grid.add_row(name, escape(str(value)))
    out.print(grid)
    out.print()
    out.print(escape(p.text))
    if not no_raw and p.raw is not None:
        out.print()
        out.print("raw payload:", style="bold")
        out.print(escape(orjson.dumps(p.raw, option=orjson.OPT_INDENT_2).decode()))


_ENRICHED_LABELS = {"lang": "language (detected)", "lang_score": "language score"}


def _author(p: StoredPost) -> str | None:
    if not p.author_id:
        return None
    name = f"@{p.author_handle}" if p.author_handle else p.author_id
    if p.author_name and p.author_name != p.author_handle:
        name += f" ({p.author_name})"
    if p.author_followers is not None:
        name += f", {p.author_followers:,} followers"
    return name


def _engagement(p: StoredPost) -> str | None:
    parts = [f"{v:,} {k}" for k, v in (("likes", p.likes), ("reposts", p.reposts), ("replies", p.replies),
                                       ("quotes", p.quotes), ("views", p.views)) if v]
    return ", ".join(parts) or None


def _offset(p: StoredPost) -> str | None:
    if p.media_start_ms is None:
        return None
    s = p.media_start_ms // 1000
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"


@click.command()
@click.argument("post_id")
@click.option("--limit", default=2000, show_default=True, help="At most this many posts of the thread.")
@click.option("--json", "as_json", is_flag=True, help="Print the tree as nested JSON.")
@click.pass_context
def thread(ctx: click.Context, post_id: str, limit: int, as_json: bool) -> None:
    """The whole reply tree around a post, indented, with times and authors.

    Replies whose parent is not in the store hang under a "missing post" placeholder.

    \b
    Example:
      lyssna thread reddit:t1_dyy3n0w
    """
    with project_from(ctx) as project:
        tree = project.thread(post_id, limit=limit)
    if as_json:
        emit_json(_node_dict(tree))
        return
    root = Tree(_label(tree, post_id))
    stack = [(tree, root)]
    while stack:  # iterative: a deep thread must not hit the recursion limit
        node, branch = stack.pop()
        for child in node.children:
            stack.append((child, branch.add(_label(child, post_id))))
    out.print(root)


def _label(node: ThreadNode, asked: str) -> str:
    p = node.post
    if p is None:
        return f"[dim]… missing post {escape(node.native_id)} (not in the store)[/dim]"
    text = " ".join(p.text.split())
    if len(text) > 160:
        text = text[:157] + "…"
    who = f"@{p.author_handle}" if p.author_handle else (p.author_id or "?")
    mark = " [bold]◀[/bold]" if asked in (p.ref, p.native_id, str(p.key)) else ""
    return f"[cyan]{p.created_at:%Y-%m-%d %H:%M}[/cyan] [green]{escape(who)}[/green] {escape(text)}{mark}"


def _node_dict(tree: ThreadNode) -> dict:
    def one(node: ThreadNode) -> dict:
        return {"id": node.native_id, "depth": node.depth,
                "post": _post_dict(node.post) if node.post else None, "children": []}

    top = one(tree)
    stack = [(tree, top)]
    while stack:  # iterative, like the tree itself
        node, d = stack.pop()
        for child in node.children:
            cd = one(child)
            d["children"].append(cd)
            stack.append((child, cd))
    return top
