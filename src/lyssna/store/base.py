"""The storage interface and the typed rows it returns.

The interface is narrow on purpose (DESIGN.md, scale-out): a backend migrates its schema, writes a batch
of posts together with its quarantined records and the import cursor in one transaction, keeps cursors,
rebuilds reply trees, and answers a few typed queries. One contract test suite runs against every backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, ContextManager, Protocol, Sequence

from ..models import Campaign, Post, Quarantined, Topic, TopicVersion
from ..query.analysis import MatchInput

__all__ = ["FileCursor", "BatchPart", "BatchResult", "PreparedPosts", "StoredPost", "ThreadNode", "Stats", "Store"]


@dataclass(frozen=True, slots=True)
class FileCursor:
    """How far the import of one file has come. Counts are cumulative over resumed runs."""

    path: str
    format: str
    size: int
    head_hash: str
    position: int  # next record ordinal to read
    byte_offset: int | None  # where that record starts, for line formats
    state: str  # "running" or "done"
    read: int = 0
    imported: int = 0
    duplicate: int = 0
    quarantined: int = 0


@dataclass(frozen=True, slots=True)
class BatchResult:
    inserted: int  # new posts
    duplicate: int  # posts already in the store (or twice in the batch)
    quarantined: int


@dataclass(frozen=True, slots=True)
class PreparedPosts:
    """Posts already turned into the backend's batch form (for DuckDB: Arrow tables), e.g. by a worker
    process. ``repeats`` posts were dropped as repeats inside the batch (first wins)."""

    posts: Any
    authors: Any
    count: int  # posts before dropping repeats
    repeats: int


@dataclass(frozen=True, slots=True)
class BatchPart:
    """One file's share of a batch: its posts, its quarantined records, and how to make its cursor once
    the store knows how many posts were new."""

    posts: Sequence[Post] | PreparedPosts
    quarantined: Sequence[Quarantined] = ()
    cursor: Callable[[BatchResult], FileCursor] | None = None
    #: Quarantined records to drop before writing: ``(file, None)`` for a file read again from its start
    #: (its records may be fixed now), ``(file, locator)`` for one record read again (a line that was cut
    #: off when the file was last read).
    forget: tuple[str, str | None] | None = None


@dataclass(frozen=True, slots=True)
class StoredPost:
    key: int
    platform: str
    native_id: str
    kind: str
    created_at: datetime
    author_id: str | None
    author_handle: str | None
    author_name: str | None
    author_followers: int | None
    text: str
    title: str | None
    url: str | None
    lang: str | None
    site: str | None
    country: str | None
    reply_to: str | None
    conversation_id: str | None
    quote_of: str | None
    repost_of: str | None
    root_id: str | None
    depth: int | None
    likes: int | None
    reposts: int | None
    replies: int | None
    quotes: int | None
    views: int | None
    media_start_ms: int | None
    media_end_ms: int | None
    source: str | None
    raw: Any

    @property
    def ref(self) -> str:
        """How people name a post: ``platform:native_id``."""
        return f"{self.platform}:{self.native_id}"


@dataclass(frozen=True, slots=True)
class ThreadNode:
    """One post in a reply tree, or a placeholder for a parent that is not in the store."""

    native_id: str
    depth: int  # depth in the displayed tree (0 = root)
    post: StoredPost | None  # None: the post is referred to but missing
    children: list["ThreadNode"] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Stats:
    posts: int
    authors: int
    by_platform: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    threads: int  # conversations with at least one reply
    replies: int
    max_depth: int
    orphans: int  # replies whose parent is not in the store
    first: datetime | None
    last: datetime | None
    quarantined: int
    files: int


class Store(Protocol):
    """What every storage backend provides."""

    def migrate(self) -> int: ...

    def get_cursors(self, paths: Sequence[str]) -> dict[str, FileCursor]: ...

    def bulk(self) -> ContextManager[None]: ...

    def write_parts(self, parts: Sequence[BatchPart]) -> list[BatchResult]: ...

    def resolve_threads(self) -> int: ...

    def get_post(self, ref: str) -> StoredPost: ...

    def thread(self, ref: str, limit: int = 2000) -> ThreadNode: ...

    def stats(self) -> Stats: ...

    def quarantine(self, limit: int = 100) -> list[tuple[str, str, str, str]]: ...

    def count_posts(self) -> int: ...

    def deepest_reply(self) -> str | None: ...

    # -- what matching and search read, and the topics and matches they write ----------------------

    def max_post_key(self) -> int: ...

    def match_inputs(self, after: int, limit: int) -> list[MatchInput]: ...

    def match_inputs_for(self, keys: Sequence[int]) -> list[MatchInput]: ...

    def posts_by_keys(self, keys: Sequence[int]) -> list[StoredPost]: ...

    def topics(self) -> list[Topic]: ...

    def topic(self, name: str) -> Topic: ...

    def topic_versions(self, topic_id: int) -> list[TopicVersion]: ...

    def watermark(self, name: str) -> int: ...

    def add_matches(self, rows: Sequence[tuple[int, int, datetime]], upto: int) -> None: ...

    def save_topic(self, name: str, query: str, matches: Sequence[tuple[int, int, datetime]], *,
                   note: str | None = None, new: bool) -> Topic: ...

    def delete_topic(self, name: str) -> Topic: ...

    def topic_matches(self, topic_id: int, limit: int = 20) -> list[StoredPost]: ...

    def replace_matches(self, topic_id: int, matches: Sequence[tuple[int, int, datetime]], *,
                        watermark: tuple[str, int] | None = None) -> None: ...

    def set_watermark(self, name: str, upto: int) -> None: ...

    def phrases_of(self, *, topic_id: int | None = None, since: datetime | None = None,
                   until: datetime | None = None, limit: int = 5_000_000) -> list[tuple[datetime, list[str], int]]: ...

    # -- campaigns and pilots, and the daily series their reports read ----------------------------------

    def add_campaign(self, campaign: Campaign) -> Campaign: ...

    def campaigns(self) -> list[Campaign]: ...

    def campaign(self, name: str) -> Campaign: ...

    def delete_campaign(self, name: str) -> Campaign: ...

    def post_span(self) -> tuple[datetime | None, datetime | None]: ...

    def enrichment_columns(self) -> dict[str, str]: ...

    def daily_matches(self, topic_ids: Sequence[int], zone: str, since: datetime,
                      until: datetime) -> list[tuple[date, int, int | None, int | None]]: ...

    # -- enrichments ----------------------------------------------------------------------------------

    def ensure_enrichment_columns(self, columns: Sequence[tuple[str, str]]) -> None: ...

    def enricher_state(self) -> dict[str, tuple[int, int]]: ...

    def write_enrichments(self, keys: Sequence[int], columns: dict[str, tuple[str, list]],
                          state: Sequence[tuple[str, int, int]]) -> None: ...

    def enrichments_of(self, key: int) -> dict[str, Any]: ...

    # -- alert rules, their state and outbox, and what they read -------------------------------------

    def add_alert_rule(self, name: str, topic: str, kind: str, query: str | None, channels: Sequence[str],
                       quiet_minutes: int, created_at: datetime, state: str, upto: int | None) -> tuple: ...

    def alert_rules(self) -> list[tuple]: ...

    def alert_rule(self, name: str) -> tuple: ...

    def delete_alert_rule(self, name: str) -> tuple: ...

    def alert_state(self, rule_id: int) -> tuple[str, int | None]: ...

    def save_alert_run(self, rule_id: int, state: str, upto: int | None, outbox: Sequence[tuple[str, str]],
                       now: datetime) -> list[int]: ...

    def due_alerts(self, now: datetime, limit: int = 1000) -> list[tuple[int, int, str, str, int]]: ...

    def mark_alert(self, outbox_id: int, *, delivered_at: datetime | None, attempts: int,
                   next_attempt_at: datetime | None = None, last_error: str | None = None) -> None: ...

    def alert_outbox(self, rule_id: int | None = None) -> list[tuple]: ...

    def newest_post_time(self) -> datetime | None: ...

    def first_match_time(self, topic_id: int) -> datetime | None: ...

    def hourly_matches(self, topic_id: int, since: datetime, until: datetime, *,
                       negative: bool = False) -> dict[int, int]: ...

    def match_keys_after(self, topic_id: int, after: int, limit: int = 100_000) -> list[int]: ...

    def top_matches(self, topic_id: int, since: datetime, until: datetime, *, negative: bool = False,
                    limit: int = 5) -> list[StoredPost]: ...

    def term_matches(self, topic_id: int, term: str, since: datetime, until: datetime, *,
                     limit: int = 5) -> list[StoredPost]: ...

    # -- every topic's spike detectors (lyssna.topic_spikes) -------------------------------------------

    def spike_states(self) -> dict[tuple[int, str], tuple[str, int]]: ...

    def first_match_hours(self) -> dict[int, int]: ...

    def hourly_topic_counts(self, since: int, until: int,
                            topic_ids: Sequence[int]) -> dict[int, dict[int, tuple[int, int]]]: ...

    def late_matched_topics(self, after_key: int, before: dict[int, int]) -> list[int]: ...

    def forget_spikes(self, topic_ids: Sequence[int]) -> None: ...

    def save_spike_run(self, states: Sequence[tuple[int, str, str, int]], spikes: Sequence[tuple],
                       watermark: int) -> None: ...

    def topic_spikes(self, topic_ids: Sequence[int], since: datetime | None = None,
                     until: datetime | None = None) -> list[tuple]: ...

    def close(self) -> None: ...
