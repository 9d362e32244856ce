"""The X/Twitter account archive: ``data/tweets.js`` (``window.YTD.tweets.part0 = [{"tweet": {...}}, ...]``).

An archive's tweets are v1.1-shaped statuses with every number written as a string (``"favorite_count":
"3"``), ``full_text`` and ``edit_info``, so each is mapped by :func:`~lyssna.formats.twitter_v1.map_status`,
then corrected for what an archive leaves out:

* **Author.** An archive's tweets carry no user: they are all the archive owner's. The owner is read from
  ``account.js`` beside the file (``window.YTD.account.part0``: ``accountId``, ``username``,
  ``accountDisplayName``), as in an unpacked archive's ``data/`` folder. Without it the author is None
  (never guessed from replies or mentions) and post URLs use ``twitter.com/i/status/ID``. An
  ``account.js`` that cannot be read is quarantined once (locator ``account.js``), so the reason for the
  missing author is visible.
* **Retweets** have no ``retweeted_status``, only ``full_text`` "RT @user: …" with that user as the first
  mention: they get kind "repost" (the original's id is not in the archive, so ``repost_of`` stays None).
* **Quotes** have no ``quoted_status_id_str``: a tweet whose text ends with the t.co link of a tweet's
  permalink (``twitter.com/USER/status/ID``, the way Twitter attached a quoted tweet) gets ``quote_of``.
* Text is unescaped (Twitter stores ``&amp;``, ``&lt;``, ``&gt;``) and non-language ``lang`` codes
  (``und``, ``qme`` …) become None, as for the v2 format.
* **Edits.** Each version of an edited tweet is its own entry with its own id (``edit_info.edit`` names the
  first one): each is imported as its own post, as for the v2 format; ``raw["edit_info"]`` ties them.

Claimed files are ``window.YTD.tweets.partN`` (``window.YTD.tweet.partN`` in archives before 2020) and
``community_tweet`` parts, which hold the same objects. The archive's other files (likes, direct
messages, ``deleted_tweets.js`` — tweets the owner deleted —, ``account.js`` itself …) are not claimed, so
importing a whole archive folder reports them as skipped. Long tweets are cut at 280 characters in
``tweets.js``; their full text is in ``note-tweet.js``, which is not read yet.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

from ..errors import RecordError, UnreadableFile
from ..models import Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_document, read_document_bytes
from .twitter_v1 import map_status

__all__ = ["TwitterArchive", "map_archive_tweet", "read_owner", "ArchiveOwner"]

_YTD = re.compile(r"^window\.YTD\.(\w+)\.part(\d+)\s*=\s*")
_YTD_BYTES = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(window\.YTD\.(\w+)\.part\d+\s*=)")
#: The archive files that hold the owner's tweets as ``{"tweet": {...}}`` items.
TWEET_PARTS = frozenset({"tweets", "tweet", "community_tweet"})
_PERMALINK = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/(\d+)(?:[/?#].*)?$")


@dataclass(frozen=True, slots=True)
class ArchiveOwner:
    """The account an archive belongs to, from ``account.js``."""

    account_id: str
    username: str | None = None
    display_name: str | None = None

    def as_v1_user(self) -> dict[str, Any]:
        return {"id_str": self.account_id, "screen_name": self.username, "name": self.display_name}


class _Item(dict):
    """One archive item, carrying the owner known from beside the file (read does the I/O, map stays
    pure). A dict, so that a quarantined item is shown as it was written."""

    __slots__ = ("owner",)

    def __init__(self, item: dict, owner: ArchiveOwner | None):
        super().__init__(item)
        self.owner = owner


def parse_owner(data: bytes) -> ArchiveOwner:
    """The owner from the bytes of an ``account.js``; :class:`RecordError` when they do not say."""
    m = _YTD_BYTES.match(data)
    if not m or m.group(2) != b"account":
        raise RecordError("account.js does not start with window.YTD.account.part0 =")
    try:
        doc = orjson.loads(data[m.end():])
    except orjson.JSONDecodeError as e:
        raise RecordError(f"account.js is not valid JSON: {e}") from None
    first = doc[0] if isinstance(doc, list) and doc else doc
    account = first.get("account") if isinstance(first, dict) else None
    if not isinstance(account, dict) or not account.get("accountId"):
        raise RecordError("account.js has no account with an 'accountId'")
    text = lambda k: account[k] if isinstance(account.get(k), str) and account[k] else None  # noqa: E731
    return ArchiveOwner(str(account["accountId"]), text("username"), text("accountDisplayName"))


def read_owner(folder: Path) -> ArchiveOwner | None:
    """The owner from ``account.js`` in ``folder``; None when there is none, RecordError when it is bad."""
    path = folder / "account.js"
    if not path.is_file():
        return None
    try:
        return parse_owner(read_document_bytes(path))
    except UnreadableFile as e:
        raise RecordError(str(e)) from None


def _quoted_id(status: dict) -> str | None:
    """The id of the tweet whose permalink is the last link, at the very end of the text (a quote)."""
    entities = status.get("entities")
    urls = entities.get("urls") if isinstance(entities, dict) else None
    if not isinstance(urls, list) or not urls or not isinstance(urls[-1], dict):
        return None
    last = urls[-1]
    m = _PERMALINK.match(str(last.get("expanded_url") or ""))
    text = status.get("full_text") or status.get("text") or ""
    if m and isinstance(last.get("url"), str) and isinstance(text, str) and text.rstrip().endswith(last["url"]):
        return m.group(1)
    return None


def _is_retweet(status: dict, text: str) -> bool:
    if not text.startswith("RT @"):
        return False
    entities = status.get("entities")
    mentions = entities.get("user_mentions") if isinstance(entities, dict) else None
    if not isinstance(mentions, list) or not mentions or not isinstance(mentions[0], dict):
        return False
    indices = mentions[0].get("indices")
    return isinstance(indices, list) and bool(indices) and str(indices[0]) == "3"


def map_archive_tweet(item: Any, owner: ArchiveOwner | None = None) -> Post:
    """One archive item (``{"tweet": {...}}`` or the status itself) to a :class:`Post`."""
    status = item.get("tweet", item) if isinstance(item, dict) else item
    if not isinstance(status, dict):
        raise RecordError(f"an archive item should hold a tweet object, not a JSON {type(status).__name__}")
    post = map_status(status, user=owner.as_v1_user() if owner else None)
    text = post.text  # unescaped once, by map_status
    kind = post.kind
    quote_of = post.quote_of or _quoted_id(status)
    if kind == "post" and _is_retweet(status, text):
        kind = "repost"
    elif kind == "post" and quote_of:
        kind = "quote"
    return dataclasses.replace(post, kind=kind, quote_of=quote_of)


class TwitterArchive:
    name = "twitter-archive"
    platform = "twitter"
    summary = "X/Twitter account archive: data/tweets.js (window.YTD.tweets.part0), owner from account.js beside it"
    line_based = False

    def sniff(self, sample: Sample) -> int:
        m = _YTD.match(sample.text)
        return 95 if m and m.group(1) in TWEET_PARTS else 0

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        m = _YTD_BYTES.match(Sample.of(path).head)
        prefix = m.group(1) if m else None
        try:
            owner = read_owner(path.parent)
        except RecordError as e:
            owner = None
            if cursor.position == 0:
                # Position -1: the cursor after it is 0, so an interrupted import still reads every item.
                yield RawRecord(-1, "account.js", error=f"the archive owner is unknown: {e}")
        for record in iter_json_document(path, cursor, prefix=prefix, locator="item"):
            if record.error is None and isinstance(record.payload, dict):
                record.payload = _Item(record.payload, owner)
            yield record

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        payload = record.payload
        return [map_archive_tweet(payload, payload.owner if isinstance(payload, _Item) else None)]


FORMATS = (TwitterArchive,)
