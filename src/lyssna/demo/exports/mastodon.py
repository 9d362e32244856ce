"""Mastodon API Status entities, as fetched from one instance's timelines: a JSON array, newest first.

Statuses are seen from ``mastodon.nu``: every ``id`` (and ``in_reply_to_id``) is that instance's id, a
local account's ``acct`` is its bare username and a remote one's is ``user@domain``; ``uri`` and ``url``
point to the server the status was written on. ``content`` is HTML the way Mastodon renders it: mentions
as h-cards, hashtags as tag links, links with their invisible and ellipsis spans. A boost is a status with
empty content and the boosted status in ``reblog``. The file is indented, as a collector's ``json.dump``
writes it, so that it is one JSON document rather than one very long line.
"""

from __future__ import annotations

import html
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from ..manifest import DemoFile
from ..messages import Message
from ..people import MASTODON_HOME, Persona
from .tokens import tokens

__all__ = ["write_mastodon"]


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _home(p: Persona) -> str:
    return p.instance or MASTODON_HOME


class _Writer:
    def __init__(self, messages: list[Message], rng: random.Random):
        self.rng = rng
        self.messages = sorted(messages, key=lambda m: m.at)
        self.people: dict[str, Persona] = {}
        for m in self.messages:
            self.people.setdefault(self._acct(m.author).lower(), m.author)
            if _home(m.author) == MASTODON_HOME:
                self.people.setdefault(m.author.handle.lower(), m.author)
        self.origin: dict[int, str] = {}
        last = 0
        for m in self.messages:
            ms = int(m.at.timestamp()) * 1000 + rng.randrange(1000)
            last = max(last + 1, (ms << 16) | rng.getrandbits(16))
            m.native_id = str(last)
            # The id on the author's own server, for uri and url (the same for local statuses).
            local = _home(m.author) == MASTODON_HOME
            self.origin[id(m)] = m.native_id if local else str((ms << 16) | rng.getrandbits(16))

    @staticmethod
    def _acct(p: Persona) -> str:
        return p.handle if _home(p) == MASTODON_HOME else f"{p.handle}@{_home(p)}"

    def account(self, p: Persona, last: datetime) -> dict[str, Any]:
        home = _home(p)
        avatar = f"https://files.{MASTODON_HOME}/accounts/avatars/{int(p.native_id) % 10**9:09d}/original/avatar.png"
        return {
            "id": p.native_id, "username": p.handle, "acct": self._acct(p), "display_name": p.name, "locked": False,
            "bot": False, "discoverable": True, "indexable": True, "group": False,
            "created_at": p.created.strftime("%Y-%m-%dT00:00:00.000Z"),
            "note": f"<p>{html.escape(p.bio, quote=False)}</p>" if p.bio else "",
            "url": f"https://{home}/@{p.handle}", "uri": f"https://{home}/users/{p.handle}",
            "avatar": avatar, "avatar_static": avatar,
            "header": f"https://{MASTODON_HOME}/headers/original/missing.png",
            "header_static": f"https://{MASTODON_HOME}/headers/original/missing.png",
            "followers_count": p.followers, "following_count": p.following, "statuses_count": p.posts,
            "last_status_at": last.strftime("%Y-%m-%d"), "emojis": [], "fields": [],
        }

    def content(self, m: Message) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
        """The text as Mastodon's HTML, with the status's mentions and tags."""
        text, home = m.text, _home(m.author)
        out: list[str] = []
        mentions: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        pos = 0
        for tok in tokens(text):
            out.append(html.escape(text[pos:tok.start], quote=False))
            pos = tok.end
            if tok.kind == "mention":
                person = self.people.get(tok.value.lower())
                if person is None:
                    out.append(html.escape(text[tok.start:tok.end], quote=False))
                    continue
                url = f"https://{_home(person)}/@{person.handle}"
                out.append(f'<span class="h-card" translate="no"><a href="{url}" class="u-url mention">'
                           f'@<span>{html.escape(person.handle)}</span></a></span>')
                if all(x["id"] != person.native_id for x in mentions):
                    mentions.append({"id": person.native_id, "username": person.handle, "url": url,
                                     "acct": self._acct(person)})
            elif tok.kind == "tag":
                out.append(f'<a href="https://{home}/tags/{html.escape(tok.value)}" class="mention hashtag" '
                           f'rel="tag">#<span>{html.escape(tok.value)}</span></a>')
                name = tok.value.lower()
                if all(x["name"] != name for x in tags):
                    tags.append({"name": name, "url": f"https://{MASTODON_HOME}/tags/{name}"})
            else:
                out.append(self._link(tok.value))
        out.append(html.escape(text[pos:], quote=False))
        paragraphs = "".join(out).split("\n\n")
        body = "".join(f"<p>{p.replace(chr(10), '<br />')}</p>" for p in paragraphs)
        return body, mentions, tags

    @staticmethod
    def _link(url: str) -> str:
        scheme, rest = url.split("://", 1)
        prefix = f"{scheme}://" + ("www." if rest.startswith("www.") else "")
        rest = rest[4:] if rest.startswith("www.") else rest
        shown, hidden = (rest[:30], rest[30:]) if len(rest) > 30 else (rest, "")
        cls = "ellipsis" if hidden else ""
        return (f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
                f'<span class="invisible">{html.escape(prefix)}</span><span class="{cls}">{html.escape(shown)}</span>'
                f'<span class="invisible">{html.escape(hidden)}</span></a>')

    def status(self, m: Message, last: datetime) -> dict[str, Any]:
        home = _home(m.author)
        origin = self.origin[id(m)]
        boosted = m.repost_of
        if boosted is not None:
            body, mentions, tags, lang = "", [], [], None
        else:
            body, mentions, tags = self.content(m)
            lang = m.lang
        return {
            "id": m.native_id, "created_at": _iso(m.at),
            "in_reply_to_id": m.parent.native_id if m.parent is not None else None,
            "in_reply_to_account_id": m.parent.author.native_id if m.parent is not None else None,
            "sensitive": False, "spoiler_text": "", "visibility": "public", "language": lang,
            "uri": f"https://{home}/users/{m.author.handle}/statuses/{origin}",
            "url": f"https://{home}/@{m.author.handle}/{origin}",
            "replies_count": len(m.children), "reblogs_count": len(m.reposts), "favourites_count": m.likes,
            "quotes_count": 0, "edited_at": None, "content": body,
            "reblog": self.status(boosted, last) if boosted is not None else None,
            "account": self.account(m.author, last), "media_attachments": [], "mentions": mentions, "tags": tags,
            "emojis": [], "card": None, "poll": None,
        }


def write_mastodon(folder: Path, messages: list[Message], rng: random.Random) -> DemoFile:
    """Write ``mastodon/timeline.json`` and say what it holds."""
    writer = _Writer(messages, rng)
    last = writer.messages[-1].at if writer.messages else datetime(2025, 1, 1, tzinfo=timezone.utc)
    statuses = [writer.status(m, last) for m in reversed(writer.messages)]
    path = folder / "mastodon" / "timeline.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(statuses, option=orjson.OPT_INDENT_2) + b"\n")
    return DemoFile(path.relative_to(folder).as_posix(), "mastodon", "mastodon", len(messages))
