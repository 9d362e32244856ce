"""The data model: what every importer produces and the store keeps.

A :class:`Post` is one normalised item — a tweet, toot, skeet, Reddit submission or comment, blog or news
entry, forum post or transcript segment — keyed by ``(platform, native_id)``. It keeps the raw payload
it was mapped from. Reply trees are described by ``reply_to`` (the parent's native id on the same
platform) and, where the platform says so, ``conversation_id`` (the native id of the thread's root).
The store rebuilds root and depth from these links, whatever order posts arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from .errors import RecordError

__all__ = ["Author", "Campaign", "Post", "Quarantined", "Topic", "TopicVersion", "PLATFORMS", "KINDS"]

#: Platforms the built-in importers produce. Plugins may add others.
PLATFORMS = (
    "twitter",
    "mastodon",
    "bluesky",
    "reddit",
    "web",  # RSS/Atom blogs and news
    "forum",
    "transcript",
    "other",  # CSV/JSON lines without a declared platform
)

#: What kind of item a post is.
KINDS = ("post", "reply", "repost", "quote", "comment", "article", "segment")


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_OPTIONAL_STR = ("title", "url", "lang", "site", "country", "reply_to", "conversation_id", "quote_of", "repost_of", "source")
_OPTIONAL_INT = ("likes", "reposts", "replies", "quotes", "views", "media_start_ms", "media_end_ms")


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote a post. ``native_id`` is the platform's stable id (falls back to the handle)."""

    platform: str
    native_id: str
    handle: str | None = None
    name: str | None = None
    followers: int | None = None
    verified: bool | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.native_id or self.native_id.__class__ is not str:
            raise RecordError(f"author id {self.native_id!r} is not a non-empty string")
        for name in ("handle", "name", "url"):
            value = getattr(self, name)
            if value is not None and value.__class__ is not str:
                raise RecordError(f"author {self.native_id}: {name} is {type(value).__name__}, not a string")
        f = self.followers
        if f is not None and (f.__class__ is not int or not _INT64_MIN <= f <= _INT64_MAX):
            raise RecordError(f"author {self.native_id}: followers {f!r} is not a 64-bit integer")
        if self.verified is not None and self.verified.__class__ is not bool:
            raise RecordError(f"author {self.native_id}: verified {self.verified!r} is not true or false")


@dataclass(frozen=True, slots=True)
class Post:
    """One normalised item. ``created_at`` is timezone-aware (UTC after normalisation)."""

    platform: str
    native_id: str
    created_at: datetime
    text: str
    author: Author | None = None
    kind: str = "post"
    title: str | None = None
    url: str | None = None
    lang: str | None = None  # as declared by the platform; kept but not trusted
    site: str | None = None  # domain, subreddit, instance, feed or forum where it was said
    country: str | None = None  # ISO 3166 code, where the platform says (a tweet's place)
    reply_to: str | None = None  # native id of the parent, same platform
    conversation_id: str | None = None  # native id of the thread's root, when the platform says
    quote_of: str | None = None
    repost_of: str | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None
    media_start_ms: int | None = None  # transcript segment: offset into the recording
    media_end_ms: int | None = None
    source: str | None = None  # the recording, feed or file this came from (set by the importer)
    raw: Any = field(default=None, compare=False)  # the payload it was mapped from (JSON-able)

    def __post_init__(self) -> None:
        # Checked here, per post, so that a record with a wrongly typed field is quarantined with its
        # reason (RecordError) instead of failing a whole batch in the store.
        if not self.platform or self.platform.__class__ is not str:
            raise RecordError("post has no platform")
        if not self.native_id or self.native_id.__class__ is not str:
            raise RecordError(f"post native id {self.native_id!r} is not a non-empty string")
        if not isinstance(self.created_at, datetime) or self.created_at.tzinfo is None:
            raise RecordError(f"post {self.native_id}: created_at {self.created_at!r} is not a time with a zone")
        if self.text.__class__ is not str:
            raise RecordError(f"post {self.native_id}: text is {type(self.text).__name__}, not a string")
        if self.kind not in KINDS:
            raise RecordError(f"post {self.native_id}: unknown kind {self.kind!r}")
        for name in _OPTIONAL_STR:
            value = getattr(self, name)
            if value is not None and value.__class__ is not str:
                raise RecordError(f"post {self.native_id}: {name} is {type(value).__name__}, not a string")
        for name in _OPTIONAL_INT:
            value = getattr(self, name)
            if value is not None and (value.__class__ is not int or not _INT64_MIN <= value <= _INT64_MAX):
                raise RecordError(f"post {self.native_id}: {name} {value!r} is not a 64-bit integer")
        if self.author is not None and self.author.__class__ is not Author:
            raise RecordError(f"post {self.native_id}: author is {type(self.author).__name__}, not an Author")

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.native_id)

    def utc(self) -> datetime:
        return self.created_at.astimezone(timezone.utc)


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record that could not be imported, with where it was and why."""

    source: str  # the file
    locator: str  # "line 12", "item 3", "byte 1024", "cue 7" …
    reason: str
    raw: str = ""  # the record's text, bounded


@dataclass(frozen=True, slots=True)
class Topic:
    """A named listening query in the boolean language. ``version`` counts its edits (1 = as added)."""

    id: int
    name: str
    query: str
    version: int
    created_at: datetime
    updated_at: datetime
    matches: int = 0  # posts it matches in the store


@dataclass(frozen=True, slots=True)
class TopicVersion:
    """One version of a topic's query and when it took effect — an edit is a break in its series."""

    version: int
    query: str
    valid_from: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Campaign:
    """A named intervention with a period (``start``..``end``, both inclusive, in the project's time zone)
    and the topics it should move; ``controls`` are topics it should not move (competitors, the market).

    A pilot (``kind == "pilot"``) is a small test project with a ``hypothesis`` and a ``decision_date``
    for scaling it up. ``kpi`` is what the campaign is measured on: ``volume``, ``net_sentiment``,
    ``share_of_voice`` or ``negative_share``.
    """

    id: int
    name: str
    kind: str  # "campaign" | "pilot"
    start: date
    end: date
    topics: tuple[str, ...]
    controls: tuple[str, ...] = ()
    kpi: str = "volume"
    hypothesis: str | None = None
    decision_date: date | None = None
    note: str | None = None
    created_at: datetime | None = None

    @property
    def is_pilot(self) -> bool:
        return self.kind == "pilot"
