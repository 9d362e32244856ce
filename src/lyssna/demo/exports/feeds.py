"""RSS 2.0 feeds: a trade news site's and the company's newsroom, newest entry first, dates in RFC 2822
with the Swedish offset of the day (``+0100`` in winter, ``+0200`` in summer)."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from ..manifest import DemoFile
from ..media import Article

__all__ = ["write_feed"]


def _rfc2822(at: datetime) -> str:
    return format_datetime(at)  # keeps the offset: "Tue, 09 Feb 2021 13:36:27 +0100"


def write_feed(folder: Path, name: str, *, title: str, link: str, description: str, base: str,
               articles: list[Article]) -> DemoFile:
    """Write ``news/NAME.rss`` with ``articles`` (each linked under ``base``) and say what it holds."""
    items = sorted(articles, key=lambda a: a.at, reverse=True)
    built = items[0].at if items else None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"  <title>{escape(title)}</title>",
        f"  <link>{escape(link)}</link>",
        f"  <description>{escape(description)}</description>",
        "  <language>sv-se</language>",
        f'  <atom:link href="{escape(link)}rss" rel="self" type="application/rss+xml"/>',
    ]
    if built is not None:
        lines.append(f"  <lastBuildDate>{_rfc2822(built)}</lastBuildDate>")
    for a in items:
        url = f"{base}{a.slug}/"
        lines += [
            "  <item>",
            f"    <title>{escape(a.title)}</title>",
            f"    <link>{escape(url)}</link>",
            f"    <description>{escape(a.description)}</description>",
            f'    <guid isPermaLink="true">{escape(url)}</guid>',
            f"    <pubDate>{_rfc2822(a.at)}</pubDate>",
            f"    <dc:creator>{escape(a.author)}</dc:creator>",
            f"    <category>{escape(a.category)}</category>",
            "  </item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    path = folder / "news" / f"{name}.rss"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return DemoFile(path.relative_to(folder).as_posix(), "feed", "web", len(items))
