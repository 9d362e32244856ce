"""Reddit API comment pages: one file per thread, ``[submission Listing, comment Listing]``, as
``https://www.reddit.com/r/SUB/comments/ID/.json`` returns them.

Replies nest inside each comment's ``replies`` Listing (an empty string when there are none), ordered
best first. Ids are base-36 and grow with time (submissions and comments have their own sequences);
``name`` is the fullname (``t3_…``, ``t1_…``), ``parent_id`` and ``link_id`` fullnames too. ``title``,
``selftext`` and ``body`` have ``&``, ``<`` and ``>`` written as entities, and the ``*_html`` fields are
escaped HTML, as the API writes them. ``created`` is the legacy local-time field (``created_utc`` + 8 h).
JSON is ASCII-escaped, as Python's ``json.dumps`` writes it.
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path
from typing import Any

from ..manifest import DemoFile
from ..messages import Message

__all__ = ["write_reddit"]

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SUBREDDIT_IDS = {"sverige": "t5_2qofe", "sweden": "t5_2qh3s", "privatekonomi": "t5_2ubtq", "sundsvall": "t5_2s6gd",
                  "TillSverige": "t5_2xq1b"}
_SUBSCRIBERS = {"sverige": 480_000, "sweden": 1_650_000, "privatekonomi": 210_000, "sundsvall": 9_800,
                "TillSverige": 95_000}
# Where the id sequences stood at the start of 2025, and how fast they grow (ids per second).
_T3_BASE, _T3_RATE = int("1hu0000", 36), 0.6
_T1_BASE, _T1_RATE = int("m5c0000", 36), 6.0
_EPOCH_2025 = 1735689600


def _b36(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out or "0"


def _amp(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_html(text: str, wrapper: bool) -> str:
    paragraphs = "".join(f"<p>{html.escape(p, quote=False)}</p>\n\n" for p in text.split("\n\n")).rstrip("\n") + "\n"
    inner = f'<div class="md">{paragraphs}</div>'
    return html.escape(f"<!-- SC_OFF -->{inner}<!-- SC_ON -->" if wrapper else inner, quote=True)


def _slug(title: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o"})
    words = "".join(ch if ch.isalnum() else " " for ch in title.lower().translate(table)).split()
    return "_".join(words)[:50].rstrip("_")


class _Writer:
    def __init__(self, messages: list[Message], rng: random.Random):
        self.rng = rng
        last = {"t3": 0, "t1": 0}
        for m in sorted(messages, key=lambda m: m.at):
            kind = "t3" if m.parent is None else "t1"
            base, rate = (_T3_BASE, _T3_RATE) if kind == "t3" else (_T1_BASE, _T1_RATE)
            candidate = base + int((m.at.timestamp() - _EPOCH_2025) * rate) + rng.randrange(50)
            last[kind] = max(last[kind] + 1, candidate)
            m.native_id = _b36(last[kind])

    def submission(self, m: Message, comments: int) -> dict[str, Any]:
        sub = m.site or "sverige"
        permalink = f"/r/{sub}/comments/{m.native_id}/{_slug(m.title or '')}/"
        ts = float(int(m.at.timestamp()))
        return {
            "approved_at_utc": None, "subreddit": sub, "selftext": _amp(m.text),
            "author_fullname": f"t2_{_b36(abs(hash_name(m.author.handle)))}", "saved": False, "gilded": 0,
            "clicked": False, "title": _amp(m.title or ""), "subreddit_name_prefixed": f"r/{sub}", "hidden": False,
            "downs": 0, "hide_score": False, "name": f"t3_{m.native_id}", "quarantine": False,
            "upvote_ratio": round(self.rng.uniform(0.7, 0.99), 2), "subreddit_type": "public", "ups": m.likes,
            "domain": f"self.{sub}", "is_original_content": False, "edited": False, "is_self": True,
            "created": ts + 28800, "banned_by": None, "selftext_html": _md_html(m.text, True), "likes": None,
            "archived": False, "no_follow": False, "pinned": False, "over_18": False, "locked": False,
            "distinguished": None, "subreddit_id": _SUBREDDIT_IDS.get(sub, "t5_2qh1i"), "id": m.native_id,
            "author": m.author.handle, "num_comments": comments, "send_replies": True, "permalink": permalink,
            "stickied": False, "url": f"https://www.reddit.com{permalink}", "score": m.likes,
            "subreddit_subscribers": _SUBSCRIBERS.get(sub, 10_000), "created_utc": ts, "num_crossposts": 0,
            "is_video": False,
        }

    def comment(self, m: Message, link: Message) -> dict[str, Any]:
        sub = link.site or "sverige"
        parent = m.parent
        assert parent is not None
        permalink = f"/r/{sub}/comments/{link.native_id}/{_slug(link.title or '')}/{m.native_id}/"
        ts = float(int(m.at.timestamp()))
        children = sorted(m.children, key=lambda c: (-c.likes, c.at))
        replies: Any = ""
        if children:
            replies = {"kind": "Listing", "data": {"after": None, "dist": None, "modhash": "", "geo_filter": "",
                                                   "children": [{"kind": "t1", "data": self.comment(c, link)}
                                                                for c in children], "before": None}}
        own = m.author.own
        return {
            "subreddit_id": _SUBREDDIT_IDS.get(sub, "t5_2qh1i"), "approved_at_utc": None, "author_is_blocked": False,
            "ups": m.likes, "link_id": f"t3_{link.native_id}", "replies": replies, "saved": False,
            "id": m.native_id, "banned_at_utc": None, "gilded": 0, "archived": False, "no_follow": m.likes < 2,
            "author": m.author.handle, "can_mod_post": False, "send_replies": True,
            "parent_id": f"t3_{parent.native_id}" if parent is link else f"t1_{parent.native_id}",
            "score": m.likes, "author_fullname": f"t2_{_b36(abs(hash_name(m.author.handle)))}",
            "body": _amp(m.text), "edited": False, "author_flair_text": "Norrsken Energi" if own else None,
            "downs": 0, "is_submitter": m.author is link.author, "collapsed": False,
            "body_html": _md_html(m.text, False),
            "stickied": False, "subreddit": sub, "score_hidden": False, "permalink": permalink, "locked": False,
            "name": f"t1_{m.native_id}", "created": ts + 28800, "subreddit_name_prefixed": f"r/{sub}",
            "controversiality": 1 if m.likes < 0 else 0, "created_utc": ts, "depth": m.depth - 1,
            "distinguished": None,
        }


def hash_name(name: str) -> int:
    """A stable number for a user name (not Python's salted ``hash``): the account's id."""
    n = 0
    for ch in name.encode("utf-8"):
        n = (n * 131 + ch) % 36**7
    return n + 36**6


def _count(m: Message) -> int:
    return sum(1 + _count(c) for c in m.children)


def write_reddit(folder: Path, messages: list[Message], rng: random.Random) -> list[DemoFile]:
    """Write ``reddit/SUB_ID.json`` per thread and say what each holds."""
    writer = _Writer(messages, rng)
    out = []
    (folder / "reddit").mkdir(parents=True, exist_ok=True)
    for link in sorted((m for m in messages if m.parent is None), key=lambda m: m.at):
        n = _count(link)
        top = sorted(link.children, key=lambda c: (-c.likes, c.at))
        doc = [
            {"kind": "Listing", "data": {"after": None, "dist": 1, "modhash": "", "geo_filter": "",
                                         "children": [{"kind": "t3", "data": writer.submission(link, n)}],
                                         "before": None}},
            {"kind": "Listing", "data": {"after": None, "dist": None, "modhash": "", "geo_filter": "",
                                         "children": [{"kind": "t1", "data": writer.comment(c, link)} for c in top],
                                         "before": None}},
        ]
        path = folder / "reddit" / f"{link.site}_{link.native_id}.json"
        path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
        out.append(DemoFile(path.relative_to(folder).as_posix(), "reddit", "reddit", n + 1))
    return out
