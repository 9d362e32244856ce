"""X/Twitter API v1.1 status objects: one per file (as in the RumourEval threads), a JSON array of them,
or JSON lines (as written by twarc 1 and many v1.1 collectors).

Also used by the archive format: an archive's ``tweet`` objects are v1.1-shaped with string numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_records
from .twitter_text import declared_lang, tweet_text
from .values import parse_time, to_int

__all__ = ["TwitterV1", "map_status", "is_v1_status"]


def is_v1_status(obj: Any) -> bool:
    return (isinstance(obj, dict) and "id_str" in obj and ("text" in obj or "full_text" in obj)
            and "created_at" in obj)


def _author(user: Any) -> Author | None:
    if not isinstance(user, dict):
        return None
    native = user.get("id_str") or (str(user["id"]) if user.get("id") is not None else None) or user.get("screen_name")
    if not native:
        return None
    handle = user.get("screen_name")
    return Author(
        platform="twitter", native_id=str(native), handle=handle, name=user.get("name"),
        followers=to_int(user.get("followers_count"), what="followers_count"),
        verified=bool(user["verified"]) if user.get("verified") is not None else None,
        url=f"https://twitter.com/{handle}" if handle else None,
    )


def _text(status: dict) -> str:
    ext = status.get("extended_tweet")
    if isinstance(ext, dict) and ext.get("full_text"):
        text = ext["full_text"]
    else:
        text = status.get("full_text") or status.get("text") or ""
    if not isinstance(text, str):
        raise RecordError(f"tweet text is a JSON {type(text).__name__}, not a string")
    return tweet_text(text)


def map_status(status: Any, *, user: Any = None, raw: Any = None) -> Post:
    """One v1.1 status (or archive tweet) to a :class:`Post`. ``user`` overrides ``status['user']``."""
    if not isinstance(status, dict):
        raise RecordError(f"a tweet should be a JSON object, not {type(status).__name__}")
    native = status.get("id_str") or (str(status["id"]) if status.get("id") is not None else None)
    if not native:
        raise RecordError("tweet has no 'id_str'")
    created = parse_time(status.get("created_at"), what="created_at")
    author = _author(user if user is not None else status.get("user"))
    reply_to = status.get("in_reply_to_status_id_str") or (
        str(status["in_reply_to_status_id"]) if status.get("in_reply_to_status_id") else None)
    retweeted = status.get("retweeted_status")
    quoted = status.get("quoted_status_id_str")
    kind = "repost" if isinstance(retweeted, dict) else "reply" if reply_to else "quote" if quoted else "post"
    handle = author.handle if author else None
    return Post(
        platform="twitter", native_id=str(native), created_at=created, text=_text(status), author=author,
        kind=kind, lang=declared_lang(status.get("lang")),
        url=f"https://twitter.com/{handle or 'i'}/status/{native}", site="twitter.com",
        country=_country(status.get("place")),
        reply_to=str(reply_to) if reply_to else None,
        quote_of=str(quoted) if quoted else None,
        repost_of=retweeted.get("id_str") if isinstance(retweeted, dict) else None,
        likes=to_int(status.get("favorite_count"), what="favorite_count"),
        reposts=to_int(status.get("retweet_count"), what="retweet_count"),
        replies=to_int(status.get("reply_count"), what="reply_count"),
        quotes=to_int(status.get("quote_count"), what="quote_count"),
        raw=status if raw is None else raw,
    )


class TwitterV1:
    name = "twitter-v1"
    platform = "twitter"
    summary = "X/Twitter API v1.1 statuses: one per file, a JSON array, or JSON lines"
    line_based = True
    splittable = True  # JSON lines, one record per line: big files can be mapped by worker processes

    def sniff(self, sample: Sample) -> int:
        first = sample.first_line_json
        if is_v1_status(first):
            return 80
        if first is None and is_v1_status(sample.first_json_object()):
            return 75
        return 0

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        return iter_json_records(path, cursor)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        # A JSON line is kept as it was written (no need to serialise the parsed object again).
        line = record.text if isinstance(record.text, (bytes, bytearray)) else None
        return [map_status(record.payload, raw=line)]


FORMATS = (TwitterV1,)


def _country(place: Any) -> str | None:
    """The ISO country code of a tweet's place, when it has one."""
    code = place.get("country_code") if isinstance(place, dict) else None
    return code.upper() if isinstance(code, str) and 1 < len(code) <= 3 and code.isalpha() else None
