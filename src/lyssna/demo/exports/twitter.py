"""X/Twitter API v2 search results as twarc2 writes them: JSON lines, one response page per line.

Each page holds up to 100 tweets, newest first (``data``), the users and referenced tweets they need
(``includes.users``, ``includes.tweets``), the page's ``meta`` (``newest_id``, ``oldest_id``,
``result_count``, ``next_token`` but on the last page) and twarc's ``__twarc`` (the request URL, twarc's
version and when the page was retrieved). Ids are snowflakes carrying their time; links in the text are
t.co links with the full URL in ``entities.urls``; ``&``, ``<`` and ``>`` are written as entities, as
the API does; JSON is ASCII-escaped, as Python's ``json.dumps`` writes it.
"""

from __future__ import annotations

import json
import random
import re
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..manifest import DemoFile
from ..messages import Message
from ..people import Persona
from .tokens import tokens

__all__ = ["write_twitter"]

TWITTER_EPOCH_MS = 1288834974657
PAGE_SIZE = 100
_EXPANSIONS = ("author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
               "entities.mentions.username")
_TWEET_FIELDS = ("author_id,conversation_id,created_at,edit_history_tweet_ids,entities,id,in_reply_to_user_id,lang,"
                 "possibly_sensitive,public_metrics,referenced_tweets,reply_settings,text")
_USER_FIELDS = ("created_at,description,id,location,name,profile_image_url,protected,public_metrics,url,username,"
                "verified,verified_type")
QUERY = ('norrsken OR @NorrskenEnergi OR @NorrskenHjalp OR from:NorrskenEnergi OR from:NorrskenHjalp OR fjällkraft '
         'OR @Fjallkraft OR "vindö el" OR @VindoEl OR #elpris OR elavtal OR #strömavbrott OR #LaddaSmartSundsvall')
_ALPHABET = string.ascii_letters + string.digits
_NOT_WORDS = re.compile(r"[@#]\w+|https?://\S+")
_LETTERS = re.compile(r"[^\W\d_]")


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Writer:
    def __init__(self, messages: list[Message], rng: random.Random):
        self.rng = rng
        self.messages = sorted(messages, key=lambda m: m.at)  # stable: equal times keep their order
        self.by_name: dict[str, Persona] = {}
        for m in self.messages:
            self.by_name.setdefault(m.author.handle.lower(), m.author)
        self.tco: dict[str, str] = {}
        last = 0
        for m in self.messages:
            ms = int(m.at.timestamp()) * 1000 + rng.randrange(1000) - TWITTER_EPOCH_MS
            last = max(last + 1, (ms << 22) | rng.getrandbits(22))
            m.native_id = str(last)
        self.tweets = {m.native_id: self._tweet(m) for m in self.messages}

    def _short(self, url: str) -> str:
        if url not in self.tco:
            self.tco[url] = "https://t.co/" + "".join(self.rng.choice(_ALPHABET) for _ in range(10))
        return self.tco[url]

    def _text(self, m: Message) -> str:
        if m.repost_of is not None:
            text = f"RT @{m.repost_of.author.handle}: {m.repost_of.text}"
            return text if len(text) <= 140 else text[:139] + "…"
        return m.text

    def _lang(self, m: Message, text: str) -> str:
        if len(_LETTERS.findall(_NOT_WORDS.sub(" ", text))) < 4:
            return "und"
        if m.lang == "sv" and self.rng.random() < 0.02:
            return self.rng.choice(("no", "da"))  # the platform's guess, sometimes a neighbour's language
        return m.lang

    def _tweet(self, m: Message) -> dict[str, Any]:
        raw = self._text(m)
        parts: list[str] = []
        pos = 0
        for tok in tokens(raw):
            if tok.kind == "url":
                parts.append(_escape(raw[pos:tok.start]))
                parts.append(f"\x00{tok.value}\x00")
                pos = tok.end
        parts.append(_escape(raw[pos:]))
        # Replace the links by t.co links, then find every entity's place in the final text.
        text, urls = "", []
        for part in parts:
            if part.startswith("\x00"):
                url = part.strip("\x00")
                short = self._short(url)
                display = url.split("://", 1)[1]
                display = display if len(display) <= 26 else display[:26] + "…"
                urls.append({"start": len(text), "end": len(text) + len(short), "url": short, "expanded_url": url,
                             "display_url": display})
                text += short
            else:
                text += part
        entities: dict[str, Any] = {}
        mentions, hashtags = [], []
        for tok in tokens(text):
            if tok.kind == "mention" and "@" not in tok.value and len(tok.value) <= 15:
                entry: dict[str, Any] = {"start": tok.start, "end": tok.end, "username": tok.value}
                person = self.by_name.get(tok.value.lower())
                if person is not None:
                    entry["id"] = person.native_id
                mentions.append(entry)
            elif tok.kind == "tag":
                hashtags.append({"start": tok.start, "end": tok.end, "tag": tok.value})
        if hashtags:
            entities["hashtags"] = hashtags
        if mentions:
            entities["mentions"] = mentions
        if urls:
            entities["urls"] = urls
        root = m.root
        original = m.repost_of
        tweet: dict[str, Any] = {
            "edit_history_tweet_ids": [m.native_id],
            "lang": self._lang(m, text),
            "possibly_sensitive": False,
            "conversation_id": root.native_id if original is None else m.native_id,
            "public_metrics": {
                "retweet_count": len(m.reposts) if original is None else len(original.reposts),
                "reply_count": len(m.children), "like_count": m.likes, "quote_count": 0,
                "bookmark_count": m.likes // 12, "impression_count": self._impressions(m),
            },
            "text": text, "author_id": m.author.native_id, "id": m.native_id, "created_at": _iso(m.at),
            "reply_settings": "everyone",
        }
        if entities:
            tweet["entities"] = entities
        if original is not None:
            tweet["referenced_tweets"] = [{"type": "retweeted", "id": original.native_id}]
        elif m.parent is not None:
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": m.parent.native_id}]
            tweet["in_reply_to_user_id"] = m.parent.author.native_id
        return tweet

    def _impressions(self, m: Message) -> int:
        if m.repost_of is not None:
            return 0
        return int(m.author.followers * self.rng.uniform(0.02, 0.3)) + m.likes * 25 + self.rng.randint(3, 60)

    def _user(self, p: Persona) -> dict[str, Any]:
        return {
            "created_at": _iso(p.created), "description": p.bio, "id": p.native_id, "location": p.location,
            "name": p.name,
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{int(p.native_id) % 10**19}/avatar_normal.jpg",
            "protected": False,
            "public_metrics": {"followers_count": p.followers, "following_count": p.following,
                               "tweet_count": p.posts, "listed_count": p.followers // 90,
                               "like_count": p.posts * 2, "media_count": p.posts // 20},
            "url": "", "username": p.handle, "verified": p.verified,
            "verified_type": ("business" if p.role in ("own", "competitor") else "blue") if p.verified else "none",
        }

    def pages(self, url: str, retrieved: str) -> list[dict[str, Any]]:
        newest_first = self.messages[::-1]
        users_by_id = {m.author.native_id: m.author for m in self.messages}
        out = []
        for i in range(0, len(newest_first), PAGE_SIZE):
            chunk = newest_first[i:i + PAGE_SIZE]
            data = [self.tweets[m.native_id] for m in chunk]
            referenced: list[dict[str, Any]] = []
            seen_ref: set[str] = set()
            user_ids: list[str] = []
            for t in data:
                for ref in t.get("referenced_tweets", ()):
                    if ref["id"] not in seen_ref:
                        seen_ref.add(ref["id"])
                        referenced.append(self.tweets[ref["id"]])
            for t in data + referenced:
                user_ids.append(t["author_id"])
                if "in_reply_to_user_id" in t:
                    user_ids.append(t["in_reply_to_user_id"])
                user_ids += [e["id"] for e in t.get("entities", {}).get("mentions", ()) if "id" in e]
            users = [self._user(users_by_id[u]) for u in dict.fromkeys(user_ids) if u in users_by_id]
            meta: dict[str, Any] = {"newest_id": chunk[0].native_id, "oldest_id": chunk[-1].native_id,
                                    "result_count": len(chunk)}
            if i + PAGE_SIZE < len(newest_first):
                meta["next_token"] = "".join(self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(45))
            includes: dict[str, Any] = {"users": users}
            if referenced:
                includes["tweets"] = referenced
            out.append({"data": data, "includes": includes, "meta": meta,
                        "__twarc": {"url": url, "version": "2.14.0", "retrieved_at": retrieved}})
        return out


def write_twitter(folder: Path, messages: list[Message], rng: random.Random, *, start: datetime,
                  end: datetime) -> DemoFile:
    """Write ``twitter/twarc2-search.jsonl`` and say what it holds."""
    writer = _Writer(messages, rng)
    url = (f"https://api.twitter.com/2/tweets/search/all?expansions={quote(_EXPANSIONS, safe='')}"
           f"&tweet.fields={quote(_TWEET_FIELDS, safe='')}&user.fields={quote(_USER_FIELDS, safe='')}"
           f"&max_results={PAGE_SIZE}&query={quote(QUERY, safe='')}"
           f"&start_time={quote(start.strftime('%Y-%m-%dT%H:%M:%S+00:00'), safe='')}"
           f"&end_time={quote(end.strftime('%Y-%m-%dT%H:%M:%S+00:00'), safe='')}")
    retrieved = (end + timedelta(hours=9, minutes=14, seconds=7)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    path = folder / "twitter" / "twarc2-search.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for page in writer.pages(url, retrieved):
            f.write(json.dumps(page) + "\n")
    return DemoFile(path.relative_to(folder).as_posix(), "twitter-v2", "twitter", len(messages))
