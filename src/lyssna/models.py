"""The data model: what every importer produces and the store keeps.

A :class:`Post` is one normalised item — a tweet, toot, skeet, Reddit submission or comment, blog or news
entry, forum post or transcript segment — keyed by ``(platform, native_id)``. It keeps the raw payload
it was mapped from. Reply trees are described by ``reply_to`` (the parent's native id on the same
platform) and, where the platform says so, ``conversation_id`` (the native id of the thread's root).
The store rebuilds root and depth from these links, whatever order posts arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

__all__ = ["Author", "Post", "Quarantined", "PLATFORMS", "KINDS"]

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
        if not self.platform:
            raise ValueError("post has no platform")
        if not self.native_id:
            raise ValueError("post has no native id")
        if self.created_at.tzinfo is None:
            raise ValueError(f"post {self.native_id}: created_at has no time zone")
        if self.kind not in KINDS:
            raise ValueError(f"post {self.native_id}: unknown kind {self.kind!r}")

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
