"""X/Twitter API v2 as written by twarc2: one API response page per line, or twarc2's flattened output.

A page is ``{"data": [...], "includes": {"users", "tweets", "media", "places", "polls"}, "meta", "errors",
"__twarc"}`` (a filtered-stream line has a single tweet object as ``data`` plus ``matching_rules``). Each
tweet in ``data`` becomes one :class:`Post`; its author is looked up in ``includes.users`` by
``author_id``. ``twarc2 flatten`` output (one tweet per line with its ``author`` expanded inline, and the
referenced tweets expanded inside ``referenced_tweets``) is read too.

What happens to the parts that are not plain tweets (every item read ends up imported, duplicate or
quarantined; nothing is dropped without a trace):

* ``includes.tweets`` are imported as posts of the same record: they are real tweets (the parents of
  replies, the quoted and retweeted originals), complete objects with the same fields, and importing them
  lets reply trees and quotes resolve. One that is also in the page's ``data`` is the same object and is
  mapped once; across pages a tweet seen twice counts as a duplicate (the first one read is kept).
  The flattened format's inline referenced tweets are treated the same way.
* ``errors`` entries (a tweet that could not be found, a mentioned user who is suspended, a stream
  disconnect …) each become a :class:`Problem`, so they are quarantined with the API's words as the
  reason, e.g. ``API error: Not Found Error: Could not find tweet with referenced_tweets.id: [15…]``.
* A withheld tweet is imported as the API returned it: its ``withheld`` object stays in ``raw``. When a
  whole account is withheld (``"scope": "user"``) the API replaces the text with its own notice ("…'s
  account has been withheld in India …"); that notice is what the post's text is.
* Edits: every version of an edited tweet has its own id, and replies and quotes point at a specific
  version, so each version read is its own post keyed by its own id, with its own text and metrics;
  ``raw["edit_history_tweet_ids"]`` (oldest first, the last being the newest) ties a chain together.
* Pages whose ``data`` are not tweets — ``users.jsonl`` (users with their pinned tweets as includes),
  ``counts.jsonl``, lists, compliance files — are not claimed (sniff 0), so an import of a folder reports
  them as skipped, "JSON, but no importer recognises its fields", instead of importing a user's pinned
  tweet without its author or reporting an "imported" file that gave nothing. A non-tweet item met inside
  a tweets file is quarantined as such.
* Twitter escapes ``&``, ``<`` and ``>`` in tweet text (``&amp;``); the text is unescaped. ``lang`` codes
  that are not languages (``und``, ``zxx``, ``qme``, ``qht`` …) become None.
* A tweet without ``created_at`` (the field was not requested) gets the time encoded in its snowflake id.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_lines
from .twitter_text import PSEUDO_LANGS, declared_lang, tweet_text
from .values import parse_time, to_int

__all__ = ["TwitterV2", "PSEUDO_LANGS", "map_page", "map_flat", "map_tweet", "is_v2_tweet", "tweet_text",
           "declared_lang", "snowflake_time"]

#: Keys of a twarc2 page besides ``data``.
_PAGE_KEYS = ("includes", "meta", "errors", "__twarc", "matching_rules")
#: Keys only a v2 tweet has (v1.1 statuses have ``id_str`` instead and none of these).
_V2_KEYS = ("author_id", "edit_history_tweet_ids", "conversation_id", "referenced_tweets", "public_metrics")
_TWITTER_EPOCH_MS = 1288834974657
_PAGE_START = re.compile(rb'^\s*\{\s*"data"\s*:\s*(\[\s*)?')


# -- pure helpers ------------------------------------------------------------------------------------


def snowflake_time(native_id: str) -> datetime | None:
    """The creation time encoded in a tweet id since November 2010 (None for older, sequential ids)."""
    if not native_id.isdigit() or len(native_id) < 13:  # sequential ids never passed ~3e10
        return None
    ms = (int(native_id) >> 22) + _TWITTER_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def _id(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def is_v2_tweet(obj: Any) -> bool:
    """A v2 tweet object: ``id`` and ``text`` without v1.1's ``id_str``."""
    return (isinstance(obj, dict) and _id(obj.get("id")) is not None and isinstance(obj.get("text"), str)
            and "id_str" not in obj)


def _author(user: Any, author_id: str | None) -> Author | None:
    if not isinstance(user, dict):
        user = {}
    native = _id(user.get("id")) or author_id
    if not native:
        return None
    handle = user.get("username") if isinstance(user.get("username"), str) else None
    metrics = user.get("public_metrics")
    followers = to_int(metrics.get("followers_count"), what="followers_count") if isinstance(metrics, dict) else None
    verified = user.get("verified")
    return Author(
        platform="twitter", native_id=native, handle=handle,
        name=user.get("name") if isinstance(user.get("name"), str) else None,
        followers=followers, verified=verified if isinstance(verified, bool) else None,
        url=f"https://twitter.com/{handle}" if handle else None,
    )


def map_tweet(tweet: Any, users: dict[str, Any] | None = None, *, raw: Any = None) -> Post:
    """One v2 tweet to a :class:`Post`. Its author is ``tweet["author"]`` (flattened output) or
    ``users[author_id]`` (a page's ``includes.users``); raises :class:`RecordError` for bad input."""
    if not isinstance(tweet, dict):
        raise RecordError(f"a tweet should be a JSON object, not {type(tweet).__name__}")
    native = _id(tweet.get("id"))
    if native is None:
        raise RecordError("tweet has no 'id'")
    if "text" not in tweet and "username" in tweet:
        raise RecordError(f"item {native} is a user (@{tweet.get('username')}), not a tweet")
    note = tweet.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) and isinstance(note.get("text"), str) else tweet.get("text")
    if not isinstance(text, str):
        raise RecordError(f"tweet {native} has no 'text'")
    if tweet.get("created_at") is not None:
        created = parse_time(tweet["created_at"], what="created_at")
    else:  # created_at was not among the tweet.fields asked for
        from_id = snowflake_time(native)
        if from_id is None:
            raise RecordError(f"tweet {native} has no 'created_at', and its id is too old to tell the time")
        created = parse_time(from_id, what="the time in the tweet id")
    author_id = _id(tweet.get("author_id"))
    user = tweet.get("author")
    if not isinstance(user, dict) and users is not None and author_id is not None:
        user = users.get(author_id)
    author = _author(user, author_id)
    reply_to = quote_of = repost_of = None
    refs = tweet.get("referenced_tweets")
    for ref in refs if isinstance(refs, list) else ():
        if not isinstance(ref, dict):
            continue
        kind, ref_id = ref.get("type"), _id(ref.get("id"))
        if kind == "replied_to":
            reply_to = ref_id
        elif kind == "quoted":
            quote_of = ref_id
        elif kind == "retweeted":
            repost_of = ref_id
    metrics = tweet.get("public_metrics")
    if not isinstance(metrics, dict):
        metrics = {}
    handle = author.handle if author else None
    return Post(
        platform="twitter", native_id=native, created_at=created, text=tweet_text(text), author=author,
        kind="repost" if repost_of else "reply" if reply_to else "quote" if quote_of else "post",
        url=f"https://twitter.com/{handle or 'i'}/status/{native}", lang=declared_lang(tweet.get("lang")),
        site="twitter.com", reply_to=reply_to, conversation_id=_id(tweet.get("conversation_id")),
        country=_country(tweet.get("geo")),
        quote_of=quote_of, repost_of=repost_of,
        likes=to_int(metrics.get("like_count"), what="like_count"),
        reposts=to_int(metrics.get("retweet_count"), what="retweet_count"),
        replies=to_int(metrics.get("reply_count"), what="reply_count"),
        quotes=to_int(metrics.get("quote_count"), what="quote_count"),
        views=to_int(metrics.get("impression_count"), what="impression_count"),
        raw=tweet if raw is None else raw,
    )


def _error_reason(entry: Any) -> str:
    if not isinstance(entry, dict):
        return f"API error: {entry!r:.300}"
    title = entry.get("title") or entry.get("type") or "error"
    detail = entry.get("detail") or entry.get("message") or entry.get("reason")
    if not detail:
        detail = json.dumps({k: v for k, v in entry.items() if k != "title"}, ensure_ascii=False)[:300]
    return f"API error: {title}: {detail}"


def _mapped(item: Any, where: str, users: dict[str, Any] | None, raw: Any = None) -> Post | Problem:
    try:
        return map_tweet(item, users, raw=raw)
    except RecordError as e:
        return Problem(where, str(e), item)


def map_page(page: Any) -> list[Post | Problem]:
    """A twarc2 page: posts for ``data`` and ``includes.tweets``, problems for bad items and ``errors``."""
    if not isinstance(page, dict):
        raise RecordError(f"a twarc2 page should be a JSON object, not {type(page).__name__}")
    includes = page.get("includes")
    if not isinstance(includes, dict):
        includes = {}
    users_list = includes.get("users")
    users = {u["id"]: u for u in users_list if isinstance(u, dict) and isinstance(u.get("id"), str)} \
        if isinstance(users_list, list) else {}
    out: list[Post | Problem] = []
    data = page.get("data")
    if isinstance(data, list):
        out.extend(_mapped(t, f"data[{i}]", users) for i, t in enumerate(data))
    elif isinstance(data, dict):
        out.append(_mapped(data, "data", users))
    elif data is not None:
        out.append(Problem("data", f"'data' is a JSON {type(data).__name__}, not tweets", data))
    seen = {p.native_id for p in out if isinstance(p, Post)}
    included = includes.get("tweets")
    for i, t in enumerate(included if isinstance(included, list) else ()):
        if isinstance(t, dict) and _id(t.get("id")) in seen:
            continue  # the page's own tweet, expanded again (e.g. by edit_history_tweet_ids)
        item = _mapped(t, f"includes.tweets[{i}]", users)
        if isinstance(item, Post):
            seen.add(item.native_id)
        out.append(item)
    errors = page.get("errors")
    if isinstance(errors, list):
        out.extend(Problem(f"errors[{i}]", _error_reason(e), e) for i, e in enumerate(errors))
    elif errors is not None:
        out.append(Problem("errors", _error_reason(errors), errors))
    return out


def map_flat(tweet: Any, raw: Any = None) -> list[Post | Problem]:
    """A line of ``twarc2 flatten`` output: the tweet, then the referenced tweets expanded inside it."""
    out: list[Post | Problem] = [map_tweet(tweet, raw=raw)]
    refs = tweet.get("referenced_tweets") if isinstance(tweet, dict) else None
    for i, ref in enumerate(refs if isinstance(refs, list) else ()):
        if isinstance(ref, dict) and "text" in ref:  # expanded; a bare {type, id} is only a reference
            inner = {k: v for k, v in ref.items() if k != "type"}
            out.append(_mapped(inner, f"referenced_tweets[{i}]", None))
    return out


# -- sniffing ----------------------------------------------------------------------------------------


def _score(value: Any) -> int | None:
    """How sure a value from the head of a file is twarc2 output; None when it cannot tell (keep looking)."""
    if not isinstance(value, dict):
        return 0
    wrapped = any(k in value for k in _PAGE_KEYS)
    if "data" in value:
        data = value["data"]
        first = data[0] if isinstance(data, list) and data else data if isinstance(data, dict) else None
        if first is None:
            return None if isinstance(data, list) and wrapped else 0  # an empty page
        return (90 if wrapped else 70) if is_v2_tweet(first) else 0
    if is_v2_tweet(value) and any(k in value for k in _V2_KEYS):
        return 85 if "__twarc" in value or isinstance(value.get("author"), dict) else 60
    if wrapped and set(value) <= set(_PAGE_KEYS):
        return None  # a page with no data (no results, or only errors)
    return 0


def _head_values(sample: Sample, limit: int = 20) -> Iterator[Any]:
    """The JSON values on the first lines of the sample; for a line longer than the sample (a page of
    100 tweets is easily 400 kB) the start of its ``data``: the first tweet, parsed on its own."""
    lines = sample.head.split(b"\n")
    for n, line in enumerate(lines[:limit]):
        line = line.strip().lstrip(b"\xef\xbb\xbf") if n == 0 else line.strip()
        if not line:
            continue
        try:
            yield orjson.loads(line)
            continue
        except orjson.JSONDecodeError:
            pass
        m = _PAGE_START.match(line)
        if n == len(lines) - 1 and len(sample.head) < sample.size and m:
            try:
                first, _ = json.JSONDecoder().raw_decode(line[m.end():].decode("utf-8", errors="replace"))
            except ValueError:
                return
            yield {"data": [first] if m.group(1) else first, "__twarc": None}
            return
        # A complete line that is not JSON (a damaged line): judge the file by the lines after it.


class TwitterV2:
    name = "twitter-v2"
    platform = "twitter"
    summary = "X/Twitter API v2 pages as written by twarc2 (one response per line), or twarc2 flatten output"
    line_based = True
    splittable = True  # JSON lines, one record per line: big files can be mapped by worker processes

    def sniff(self, sample: Sample) -> int:
        pending = 0
        for value in _head_values(sample):
            score = _score(value)
            if score is None:  # a page without data: twarc2's (if it says so), but is it one of tweets?
                if "__twarc" in value:
                    # errors alone (every tweet asked for was deleted) are still worth reporting
                    pending = max(pending, 50 if value.get("errors") else 35)
                continue
            return score
        return pending

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        return iter_json_lines(path, cursor)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        payload = record.payload
        if is_v2_tweet(payload):
            # A flattened line is kept as it was written (no need to serialise the parsed object again).
            line = record.text if isinstance(record.text, (bytes, bytearray)) else None
            return map_flat(payload, raw=line)
        if isinstance(payload, dict) and ("data" in payload or any(k in payload for k in _PAGE_KEYS)):
            return map_page(payload)
        what = f"an object with keys {', '.join(sorted(payload))[:200]}" if isinstance(payload, dict) \
            else f"a JSON {type(payload).__name__}"
        raise RecordError(f"not a twarc2 page or v2 tweet: {what}")


FORMATS = (TwitterV2,)


def _country(geo: Any) -> str | None:
    """The country of a tweet's place: in ``geo`` itself or its embedded ``place`` (twarc2 flattened)."""
    if not isinstance(geo, dict):
        return None
    code = geo.get("country_code")
    if code is None and isinstance(geo.get("place"), dict):
        code = geo["place"].get("country_code")
    return code.upper() if isinstance(code, str) and 1 < len(code) <= 3 and code.isalpha() else None
