"""A forum export as CSV: one row per post, threads flat as on Flashback, quotes as replies.

Columns: ``id``, ``thread_id`` (the opening post's id), ``title`` (the thread's), ``author``,
``created_at``, ``text``, ``reply_to``, ``url``, ``platform``. ``created_at`` is Swedish local time *with*
its offset (``2025-03-14 21:07:00+01:00``), so it reads the same whatever time zone the importer assumes.
``reply_to`` is the quoted post, else the opening post (empty for the opening post itself). A quoting
post's text starts with the quote, as Flashback shows it. Rows are in time order; line ends are CRLF,
as Python's ``csv`` (and Excel) writes them.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from ..manifest import DemoFile
from ..messages import Message
from ..scenario import STOCKHOLM

__all__ = ["write_forum", "FORUM_SITE"]

FORUM_SITE = "https://www.kilowattforum.se"
_COLUMNS = ("id", "thread_id", "title", "author", "created_at", "text", "reply_to", "url", "platform")


def write_forum(folder: Path, messages: list[Message], rng: random.Random) -> DemoFile:
    """Write ``forum/kilowattforum-export.csv`` and say what it holds."""
    ordered = sorted(messages, key=lambda m: m.at)
    last = 0
    for m in ordered:
        candidate = 71_000_000 + int((m.at.timestamp() - 1735689600) / 4) + rng.randrange(3)
        last = max(last + 1, candidate)
        m.native_id = str(last)
    path = folder / "forum" / "kilowattforum-export.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(_COLUMNS)
        for m in ordered:
            root = m.root
            local = m.at.replace(microsecond=0).astimezone(STOCKHOLM).isoformat(sep=" ")
            writer.writerow((m.native_id, root.native_id, m.title or "", m.author.handle, local, m.text,
                             m.parent.native_id if m.parent is not None else "",
                             f"{FORUM_SITE}/t{root.native_id}#p{m.native_id}", "forum"))
    return DemoFile(path.relative_to(folder).as_posix(), "csv", "forum", len(ordered))
