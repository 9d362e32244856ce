"""The overview of a topic, a set of topics or all posts in a period: where and what.

Each function takes the store (anything with a DuckDB connection ``con``: :class:`~lyssna.store.duckdb.DuckStore`),
the topic names (``None`` or empty: every post — for :func:`share_of_voice`, every topic), ``since`` and
``until`` (``until`` exclusive; ``None``: unbounded) and, where time is bucketed, the time zone (a
:class:`~zoneinfo.ZoneInfo`) and the bucket (``hour``, ``day``, ``week`` — ISO weeks from Monday — or
``month``). Each returns typed rows (frozen dataclasses) that the CLI prints as tables, CSV or JSON and
that a chart can be drawn from directly: times are aware datetimes in the given zone, one row per bucket
and series, empty buckets included.

What is counted
---------------
* :func:`volume` and :func:`share_of_voice` count **per topic**: a post matched by two topics counts for
  each, so the shares of voice are shares of the topics' mentions (they sum to 1 in every bucket that has
  any). With no topics, :func:`volume` is one series (``topic=None``) of all posts.
* :func:`where`, :func:`top_authors`, :func:`top_entities` and :func:`rising_terms` count the **posts of
  the selection**: a post matched by several of the topics counts once. :func:`engagement` is per topic.
* Near-duplicates (reposts, a campaign's copies): :func:`volume` counts every copy unless
  ``once_per_copy_group`` (then each near-duplicate group counts once per topic, in the bucket of its first
  post in the selection, with that post's sentiment and engagement); :func:`rising_terms` counts each group
  once by default, so that one campaign's copies are not a rising term by themselves.
* Sentiment is the sentiment enricher's label; ``net_sentiment`` is (positive − negative) / posts.
  Engagement is likes + reposts + replies + quotes (views apart). Reach is the followers of the posting
  author, as the store knows them now (:func:`top_authors` ranks by it; :func:`engagement` sums it over the
  posts: the potential audience).
* :func:`topic_edits` lists when a topic's query changed (versions after the first), so a chart of its
  volume can mark the break in its series.

Speed: each section is one SQL statement; no Python loop runs over posts. A match carries its post's
time, author (a hash, ``authors.key``), sentiment and engagement (store migration 6), so volume, share of
voice and top authors read ``matches`` alone (the authors' names and followers are joined to the ranked
authors only); the other sections join ``posts`` and ``enrichments`` by key. Buckets are computed by
integer arithmetic over the zone's offsets (:mod:`lyssna.store.localtime`). Values are bound as
parameters; the only text put into SQL is chosen from fixed tables here (bucket units, column
expressions), placeholders, integers, or the time zone's IANA name once checked to be one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, Sequence
from zoneinfo import ZoneInfo

from ..errors import NotFound
from ..store import localtime
from ..store.duckdb import ENGAGEMENT_SQL, sentiment_code_sql

__all__ = [
    "BUCKETS", "ENTITY_KINDS", "VolumeRow", "ShareRow", "WhereRow", "AuthorRow", "EntityRow", "EngagementRow",
    "RisingTerm", "TopicEdit", "volume", "share_of_voice", "where", "top_authors", "top_entities", "engagement",
    "rising_terms", "topic_edits", "bucket_start", "bucket_starts", "resolve_topics",
]

Bucket = Literal["hour", "day", "week", "month"]
#: The bucket sizes volume and share of voice are counted in (in the caller's time zone).
BUCKETS: tuple[str, ...] = ("hour", "day", "week", "month")
#: The entity lists :func:`top_entities` counts: the enrichments column of each, and how its values are
#: compared (hashtags and mentions without regard to case; URLs as written; domains are lower-case already).
ENTITY_KINDS: dict[str, tuple[str, bool]] = {
    "hashtags": ("hashtags", True), "mentions": ("mentions", True), "urls": ("urls", False),
    "domains": ("domains", False),
}
_ENGAGEMENT = ENGAGEMENT_SQL


# -- rows --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VolumeRow:
    """Posts of one series (a topic, or all posts when ``topic`` is None) in one bucket from ``start``."""

    start: datetime
    topic: str | None
    posts: int
    authors: int
    negative: int
    neutral: int
    positive: int
    net_sentiment: float | None  # (positive - negative) / posts; None for an empty bucket
    engagement: int
    complete: bool = True  # False: the period given starts or ends inside this bucket (fewer days counted)


@dataclass(frozen=True, slots=True)
class ShareRow:
    """A topic's posts and share of all the topics' posts, over the period (``start`` None) or in a bucket."""

    topic: str
    start: datetime | None
    posts: int
    share: float


@dataclass(frozen=True, slots=True)
class WhereRow:
    """Where the conversation happens: a platform and site (domain, subreddit ``r/…``, instance, forum)."""

    platform: str
    site: str | None
    posts: int
    share: float


@dataclass(frozen=True, slots=True)
class AuthorRow:
    platform: str
    author_id: str
    handle: str | None
    name: str | None
    posts: int
    followers: int | None  # reach
    engagement: int


@dataclass(frozen=True, slots=True)
class EntityRow:
    """A hashtag, mention, URL or domain and how many posts of the selection carry it."""

    kind: str
    value: str
    posts: int
    authors: int
    share: float  # of the selection's posts


@dataclass(frozen=True, slots=True)
class EngagementRow:
    """Reactions to a topic's posts (all posts when ``topic`` is None), in sums and per post."""

    topic: str | None
    posts: int
    likes: int
    reposts: int
    replies: int
    quotes: int
    views: int
    engagement: int
    engagement_per_post: float | None
    reach: int  # followers of the posting author, summed over the posts: the potential audience


@dataclass(frozen=True, slots=True)
class RisingTerm:
    """A phrase or hashtag (``#…``) seen more in the recent window than its own baseline predicts."""

    term: str
    kind: str  # "phrase" or "hashtag"
    recent: int  # posts (near-duplicate groups) with it in the recent window
    baseline: int  # the same in the baseline window
    baseline_rate: float  # per day in the baseline window
    expected: float  # recent posts expected from the baseline, scaled by the overall volume
    ratio: float  # (recent + 1) / (expected + 1)
    score: float  # (recent - expected) / sqrt(expected + 1): a Poisson z, kept finite for new terms


@dataclass(frozen=True, slots=True)
class TopicEdit:
    """A change of a topic's query: from ``at`` on, version ``version`` applies."""

    topic: str
    version: int
    at: datetime
    query: str
    note: str | None


# -- the selection -----------------------------------------------------------------------------------


def resolve_topics(store: Any, names: Sequence[str]) -> dict[int, str]:
    """Topic id → name for the given names, in their order; an unknown name is :class:`NotFound` listing
    the topics there are."""
    known = dict(store.con.execute("SELECT name, id FROM topics").fetchall())
    missing = [n for n in names if n not in known]
    if missing:
        listed = ", ".join(sorted(known)) or "none yet"
        raise NotFound(f"no topic named {', '.join(map(repr, missing))} (topics: {listed}); "
                       "add one with `lyssna topic add NAME QUERY`")
    return {known[n]: n for n in dict.fromkeys(names)}


def _scope(store: Any, topics: Sequence[str] | None, since: datetime | None,
           until: datetime | None) -> tuple[str, list[Any], dict[int, str]]:
    """SQL selecting the selection — one row per topic and post — as (topic_id, key, created_at, author,
    sentiment, engagement): author a hash (a topic's: ``authors.key``; every post's: a hash of this query
    only, to be counted, not joined), sentiment -1/0/1 or NULL; with its parameters
    and the topics' names by id (empty: every post, topic_id NULL). A topic's rows come from ``matches``
    alone, which carries these facts."""
    names = resolve_topics(store, topics) if topics else {}
    if names:
        sql = ("SELECT m.topic_id, m.post_key AS key, m.created_at, m.author, m.sentiment, m.engagement "
               "FROM matches m WHERE m.topic_id IN (" + ", ".join("?" * len(names)) + ")")
        params: list[Any] = list(names)
    else:
        if "sentiment" in _enrichment_columns(store):
            sentiment = sentiment_code_sql("e.sentiment")
            join = "LEFT JOIN enrichments e ON e.post_key = p.key"
        else:
            sentiment, join = "CAST(NULL AS TINYINT)", ""
        # the author as a hash of this query only: counted distinct, never joined (the key costs an MD5 a post)
        sql = ("SELECT CAST(NULL AS INTEGER) AS topic_id, p.key, p.created_at, "
               "CASE WHEN p.author_id IS NOT NULL THEN hash(p.platform, p.author_id) END AS author, "
               f"{sentiment} AS sentiment, {_ENGAGEMENT} AS engagement FROM posts p {join} WHERE TRUE")
        params = []
    if since is not None:
        sql += " AND created_at >= ?"
        params.append(since)
    if until is not None:
        sql += " AND created_at < ?"
        params.append(until)
    return sql, params, names


def _posts_scope(store: Any, topics: Sequence[str] | None, since: datetime | None,
                 until: datetime | None) -> tuple[str, list[Any]]:
    """SQL selecting (key, created_at, author, sentiment, engagement) of the selection's posts, each once."""
    sql, params, names = _scope(store, topics, since, until)
    columns = "key, created_at, author, sentiment, engagement"
    if len(names) > 1:
        return f"SELECT DISTINCT {columns} FROM ({sql})", params
    return f"SELECT {columns} FROM ({sql})", params


def _enrichment_columns(store: Any) -> set[str]:
    return {r[0] for r in store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'enrichments'").fetchall()}


def _time_span(store: Any, sql: str, params: list[Any], since: datetime | None,
               until: datetime | None) -> tuple[datetime | None, datetime | None]:
    """The first and last time the selection's rows can have: the period where given, else the data's."""
    if since is None or until is None:
        low, high = store.con.execute(f"SELECT min(created_at), max(created_at) FROM ({sql})", params).fetchone()
        since = since if since is not None else low
        until = until if until is not None else (high + timedelta(microseconds=1) if high is not None else None)
    return since, until


# -- buckets -----------------------------------------------------------------------------------------


def _check_bucket(bucket: str) -> None:
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")


def _bucket_sql(bucket: str, column: str, tz: ZoneInfo, span: tuple[datetime | None, datetime | None]) -> str:
    """SQL for the bucket a time falls in (see :func:`lyssna.store.localtime.bucket_sql`), for rows whose
    times lie in ``span``."""
    _check_bucket(bucket)
    return localtime.bucket_sql(bucket, column, tz, *span)


def _bucket_key(value: Any, tz: ZoneInfo) -> datetime:
    """The UTC instant a bucket starts, from what :func:`_bucket_sql` gives: buckets are keyed by it (the
    two 02:00 hours of an autumn night compare equal as local times)."""
    return localtime.bucket_value(value, tz).astimezone(timezone.utc)


def bucket_start(t: datetime, bucket: str, tz: ZoneInfo) -> datetime:
    """The start of the bucket ``t`` falls in, in ``tz`` (the same rule as the SQL)."""
    _check_bucket(bucket)
    local = t.astimezone(tz)
    if bucket == "hour":  # the instant less the local minutes and seconds (the repeated hour stays two)
        return (t.astimezone(timezone.utc) - timedelta(minutes=local.minute, seconds=local.second,
                                                       microseconds=local.microsecond)).astimezone(tz)
    day = local.date()
    if bucket == "week":
        day -= timedelta(days=day.weekday())
    elif bucket == "month":
        day = day.replace(day=1)
    return datetime.combine(day, time(), tz)


def _next_start(start: datetime, bucket: str, tz: ZoneInfo) -> datetime:
    if bucket == "hour":
        return (start.astimezone(timezone.utc) + timedelta(hours=1)).astimezone(tz)
    day = start.astimezone(tz).date()
    if bucket == "day":
        day += timedelta(days=1)
    elif bucket == "week":
        day += timedelta(days=7)
    else:
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return datetime.combine(day, time(), tz)


def bucket_starts(first: datetime, last: datetime, bucket: str, tz: ZoneInfo) -> list[datetime]:
    """Every bucket start from the bucket of ``first`` to the bucket of ``last``, both included."""
    start, end = bucket_start(first, bucket, tz), bucket_start(last, bucket, tz)
    out = []
    while start <= end:
        out.append(start)
        start = _next_start(start, bucket, tz)
    return out


def _starts_with(span: tuple[datetime, datetime], bucket: str, tz: ZoneInfo, found: Sequence[datetime]) -> list[datetime]:
    """The calendar's bucket starts over ``span`` and any the data ``found`` (UTC keys) has besides (a zone
    whose clocks move by half an hour starts an hour bucket off the hour grid that night), in time order:
    no count is left out."""
    starts = {start.astimezone(timezone.utc): start for start in bucket_starts(*span, bucket, tz)}
    starts.update({at: at.astimezone(tz) for at in found if at not in starts})
    return [start for _, start in sorted(starts.items())]


def _span(found: Sequence[datetime], since: datetime | None,
          until: datetime | None) -> tuple[datetime, datetime] | None:
    """The first and last instant the buckets must cover: the period if given, else the data's."""
    first = since if since is not None else min(found, default=None)
    last = until - timedelta(microseconds=1) if until is not None else max(found, default=None)
    if first is None or last is None or last < first:
        return None
    return first, last


# -- sections ----------------------------------------------------------------------------------------


def volume(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
           until: datetime | None = None, tz: ZoneInfo = ZoneInfo("UTC"), bucket: str = "day",
           once_per_copy_group: bool = False) -> list[VolumeRow]:
    """Posts, unique authors, sentiment counts, net sentiment and engagement per bucket and topic (or of
    all posts), with empty buckets filled from ``since`` (or the first post) to ``until`` (or the last).
    Rows are ordered by bucket, then by topic in the order given."""
    _check_bucket(bucket)
    sql, params, names = _scope(store, topics, since, until)
    bucket_sql = _bucket_sql(bucket, "s.created_at", tz, _time_span(store, sql, params, since, until))
    if once_per_copy_group:  # each near-duplicate group once per topic: its first post in the selection
        group = "e.dup_group" if "dup_group" in _enrichment_columns(store) else "CAST(NULL AS BIGINT)"
        sql = (f"SELECT s.* FROM ({sql}) s LEFT JOIN enrichments e ON e.post_key = s.key QUALIFY row_number() "
               f"OVER (PARTITION BY s.topic_id, coalesce({group}, s.key) ORDER BY s.created_at, s.key) = 1")
    rows = store.con.execute(f"""
        WITH s AS ({sql})
        SELECT topic_id, {bucket_sql} AS bucket, count(*), count(DISTINCT author),
               count(*) FILTER (WHERE sentiment = -1), count(*) FILTER (WHERE sentiment = 0),
               count(*) FILTER (WHERE sentiment = 1), sum(engagement)
        FROM s GROUP BY topic_id, bucket""", params).fetchall()
    found = {(topic_id, _bucket_key(bucket_at, tz)): rest for topic_id, bucket_at, *rest in rows}
    span = _span([at for _, at in found], since, until)
    if span is None:
        return []
    series: list[int | None] = list(names) or [None]
    out = []
    for start in _starts_with(span, bucket, tz, [at for _, at in found]):
        complete = ((since is None or start >= since)
                    and (until is None or _next_start(start, bucket, tz) <= until))
        for topic_id in series:
            posts, authors, neg, neu, pos, eng = found.get((topic_id, start.astimezone(timezone.utc)),
                                                           (0, 0, 0, 0, 0, 0))
            out.append(VolumeRow(start, names.get(topic_id) if topic_id is not None else None, posts, authors,
                                 neg, neu, pos, (pos - neg) / posts if posts else None, int(eng or 0), complete))
    return out


def share_of_voice(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
                   until: datetime | None = None, tz: ZoneInfo = ZoneInfo("UTC"),
                   bucket: str | None = None) -> list[ShareRow]:
    """Each topic's posts and share of the topics' posts (``topics`` None: every topic), over the period or
    per bucket. A post matched by two topics counts for each. Shares sum to 1 over the period and in every
    bucket that has any posts; buckets where none of the topics has a post are left out. Rows are ordered
    by bucket, then by posts (descending) and name."""
    if not topics:
        topics = [r[0] for r in store.con.execute("SELECT name FROM topics ORDER BY name").fetchall()]
        if not topics:
            return []
    sql, params, names = _scope(store, topics, since, until)
    if bucket is None:
        bucket_sql = "NULL"
    else:
        bucket_sql = _bucket_sql(bucket, "s.created_at", tz, _time_span(store, sql, params, since, until))
    rows = store.con.execute(
        f"WITH s AS ({sql}) SELECT s.topic_id, {bucket_sql} AS bucket, count(*) FROM s GROUP BY ALL",
        params).fetchall()
    counts: dict[datetime | None, dict[int, int]] = {}
    for topic_id, at, n in rows:  # keyed by the UTC instant (see volume), shown in the zone
        counts.setdefault(_bucket_key(at, tz) if at is not None else None, {})[topic_id] = n
    if bucket is None and not counts:
        counts[None] = {}
    out = []
    for at in sorted(counts, key=lambda a: (a is not None, a)):
        per_topic = counts[at]
        total = sum(per_topic.values())
        ranked = sorted(names.items(), key=lambda item: (-per_topic.get(item[0], 0), item[1]))
        shown = at.astimezone(tz) if at is not None else None
        out.extend(ShareRow(name, shown, per_topic.get(topic_id, 0), per_topic.get(topic_id, 0) / total if total else 0.0)
                   for topic_id, name in ranked)
    return out


def where(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
          until: datetime | None = None, by: str = "site", limit: int | None = 20) -> list[WhereRow]:
    """Where the selection's posts were said: per platform and site (``by="site"``) or per platform only
    (``by="platform"``, site None), with the share of the selection's posts, largest first."""
    if by not in ("site", "platform"):
        raise ValueError(f"by must be 'site' or 'platform', not {by!r}")
    sql, params = _posts_scope(store, topics, since, until)
    site = "p.site" if by == "site" else "CAST(NULL AS VARCHAR)"
    rows = store.con.execute(f"""
        WITH s AS ({sql})
        SELECT p.platform, {site} AS site, count(*) AS n, sum(count(*)) OVER () AS total
        FROM s JOIN posts p ON p.key = s.key GROUP BY ALL
        ORDER BY n DESC, p.platform, site NULLS LAST LIMIT ?""", [*params, _limit(limit)]).fetchall()
    return [WhereRow(platform, site_, n, n / total) for platform, site_, n, total in rows]


def top_authors(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
                until: datetime | None = None, by: str = "posts", limit: int | None = 10) -> list[AuthorRow]:
    """The authors of the selection's posts, by their number of posts (``by="posts"``) or by reach, their
    followers (``by="reach"``; unknown last); ties by handle, then id."""
    if by not in ("posts", "reach"):
        raise ValueError(f"by must be 'posts' or 'reach', not {by!r}")
    sql, params = _posts_scope(store, topics, since, until)
    first = ("g.posts DESC, a.followers DESC NULLS LAST" if by == "posts"
             else "a.followers DESC NULLS LAST, g.posts DESC")
    if topics:  # counted on the matches (they carry the author's key); names and followers joined to the counts
        counts = ("SELECT author, count(*) AS posts, sum(engagement) AS engagement FROM s "
                  "WHERE author IS NOT NULL GROUP BY author")
        join = "a.key = g.author"
    else:  # every post: by the posts' own columns (an author key computed for each of millions costs more)
        window = "".join(f" AND p.created_at {op} ?" for op, t in ((">=", since), ("<", until)) if t is not None)
        counts = (f"SELECT p.platform, p.author_id, count(*) AS posts, sum({_ENGAGEMENT}) AS engagement FROM posts p "
                  f"WHERE p.author_id IS NOT NULL{window} GROUP BY p.platform, p.author_id")
        join = "a.platform = g.platform AND a.native_id = g.author_id"
        sql, params = "SELECT 1", [t for t in (since, until) if t is not None]
    rows = store.con.execute(f"""
        WITH s AS ({sql}), g AS ({counts})
        SELECT a.platform, a.native_id, a.handle, a.name, g.posts, a.followers, g.engagement
        FROM g JOIN authors a ON {join}
        ORDER BY {first}, lower(coalesce(a.handle, a.native_id)), a.platform, a.native_id
        LIMIT ?""", [*params, _limit(limit)]).fetchall()
    return [AuthorRow(platform, author_id, handle, name, posts, followers, int(eng or 0))
            for platform, author_id, handle, name, posts, followers, eng in rows]


def top_entities(store: Any, topics: Sequence[str] | None = None, *, kind: str = "hashtags",
                 since: datetime | None = None, until: datetime | None = None,
                 limit: int | None = 10) -> list[EntityRow]:
    """The hashtags, mentions, URLs or domains most posts of the selection carry (a post counts once per
    value), with the authors using it and its share of the selection's posts. Hashtags and mentions are
    compared without regard to case and shown in lower case. Ordered by posts (descending), then value."""
    if kind not in ENTITY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")
    column, fold = ENTITY_KINDS[kind]
    if column not in _enrichment_columns(store):
        return []
    sql, params = _posts_scope(store, topics, since, until)
    values = f"list_transform(e.{column}, lambda v: lower(v))" if fold else f"e.{column}"
    rows = store.con.execute(f"""
        WITH s AS ({sql}),
        x AS (
            SELECT s.key, s.author, list_distinct({values}) AS vs
            FROM s LEFT JOIN enrichments e ON e.post_key = s.key
        ),
        total AS (SELECT count(*) AS n FROM x),
        u AS (SELECT key, author, unnest(vs) AS value FROM x)
        SELECT value, count(*) AS posts, count(DISTINCT author), any_value(total.n)
        FROM u, total GROUP BY value ORDER BY posts DESC, value LIMIT ?""", [*params, _limit(limit)]).fetchall()
    return [EntityRow(kind, value, posts, authors, posts / total) for value, posts, authors, total in rows]


def engagement(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
               until: datetime | None = None) -> list[EngagementRow]:
    """Likes, reposts, replies, quotes and views summed per topic (one row of all posts when ``topics`` is
    None), engagement per post, and reach: the posting authors' followers summed over the posts."""
    sql, params, names = _scope(store, topics, since, until)
    rows = store.con.execute(f"""
        WITH s AS ({sql})
        SELECT s.topic_id, count(*), sum(coalesce(p.likes, 0)), sum(coalesce(p.reposts, 0)),
               sum(coalesce(p.replies, 0)), sum(coalesce(p.quotes, 0)), sum(coalesce(p.views, 0)),
               sum({_ENGAGEMENT}), sum(coalesce(a.followers, 0))
        FROM s JOIN posts p ON p.key = s.key
        LEFT JOIN authors a ON a.platform = p.platform AND a.native_id = p.author_id
        GROUP BY s.topic_id""", params).fetchall()
    found = {topic_id: [int(v or 0) for v in rest] for topic_id, *rest in rows}
    out = []
    for topic_id in list(names) or [None]:
        posts, likes, reposts, replies, quotes, views, eng, reach = found.get(topic_id, [0] * 8)
        out.append(EngagementRow(names.get(topic_id) if topic_id is not None else None, posts, likes, reposts,
                                 replies, quotes, views, eng, eng / posts if posts else None, reach))
    return out


def rising_terms(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
                 until: datetime | None = None, recent: timedelta = timedelta(days=7),
                 baseline: timedelta = timedelta(days=28), min_recent: int = 5, min_ratio: float = 2.0,
                 once_per_copy_group: bool = True, limit: int | None = 20) -> list[RisingTerm]:
    """Phrases and hashtags rising against their own baseline.

    The recent window is the last ``recent`` of the period (ending at ``until``, or just after the
    selection's latest post); the baseline the ``baseline`` before it (it may reach before ``since``: it
    is the term's own past). A term's expected recent count is its baseline count scaled by the selection's
    overall change in volume between the windows, so a topic that doubles does not make all its terms
    rise; with no posts in the baseline window there is nothing to rise against, and no terms. The score
    is the Poisson z ``(recent - expected) / sqrt(expected + 1)``; a term is kept with at least
    ``min_recent`` recent posts and ``ratio = (recent + 1) / (expected + 1)`` of at least ``min_ratio``.
    Counts are of near-duplicate groups (one campaign's copies count once) unless ``once_per_copy_group``
    is False. Ordered by score (descending), then term.
    """
    if recent <= timedelta(0) or baseline <= timedelta(0):
        raise ValueError("the recent and baseline windows must be positive")
    end = until if until is not None else _latest(store, topics, since)
    if end is None:
        return []
    split, start = end - recent, end - recent - baseline
    sql, params = _posts_scope(store, topics, start, end)
    columns = _enrichment_columns(store)
    if "phrases" not in columns and "hashtags" not in columns:
        return []
    phrases = "coalesce(e.phrases, [])" if "phrases" in columns else "CAST([] AS VARCHAR[])"
    tags = ("coalesce(list_transform(e.hashtags, lambda h: '#' || lower(h)), [])" if "hashtags" in columns
            else "CAST([] AS VARCHAR[])")
    group = "coalesce(e.dup_group, s.key)" if once_per_copy_group and "dup_group" in columns else "s.key"
    rows = store.con.execute(f"""
        WITH s AS ({sql}),
        x AS (
            SELECT s.created_at >= ? AS is_recent, {group} AS grp,
                   list_distinct(list_concat({phrases}, {tags})) AS terms
            FROM s LEFT JOIN enrichments e ON e.post_key = s.key
        ),
        totals AS (SELECT count(DISTINCT grp) FILTER (WHERE is_recent) AS r,
                          count(DISTINCT grp) FILTER (WHERE NOT is_recent) AS b FROM x),
        u AS (SELECT is_recent, grp, unnest(terms) AS term FROM x)
        SELECT term, count(DISTINCT grp) FILTER (WHERE is_recent) AS r,
               count(DISTINCT grp) FILTER (WHERE NOT is_recent) AS b, any_value(totals.r), any_value(totals.b)
        FROM u, totals GROUP BY term HAVING r >= ?""", [*params, split, max(1, min_recent)]).fetchall()
    days = baseline / timedelta(days=1)
    out = []
    for term, r, b, total_r, total_b in rows:
        if not total_b:  # no history to rise against
            return []
        scale = total_r / total_b
        expected = b * scale
        ratio = (r + 1) / (expected + 1)
        if ratio < min_ratio:
            continue
        out.append(RisingTerm(term, "hashtag" if term.startswith("#") else "phrase", r, b, b / days, expected,
                              ratio, (r - expected) / math.sqrt(expected + 1)))
    out.sort(key=lambda t: (-t.score, t.term))
    return out[:limit] if limit is not None else out


def topic_edits(store: Any, topics: Sequence[str] | None = None, *, since: datetime | None = None,
                until: datetime | None = None, tz: ZoneInfo = ZoneInfo("UTC")) -> list[TopicEdit]:
    """When the topics' queries changed (every topic when ``topics`` is None): the versions after the
    first, in the period, in time order — the marks a volume chart puts where a series breaks."""
    where_sql, params = "v.version > 1", []
    if topics:
        names = resolve_topics(store, topics)
        where_sql += " AND v.topic_id IN (" + ", ".join("?" * len(names)) + ")"
        params.extend(names)
    if since is not None:
        where_sql += " AND v.valid_from >= ?"
        params.append(since)
    if until is not None:
        where_sql += " AND v.valid_from < ?"
        params.append(until)
    rows = store.con.execute(
        "SELECT t.name, v.version, v.valid_from, v.query, v.note FROM topic_versions v "
        f"JOIN topics t ON t.id = v.topic_id WHERE {where_sql} ORDER BY v.valid_from, t.name, v.version",
        params).fetchall()
    return [TopicEdit(name, version, at.astimezone(tz), query, note) for name, version, at, query, note in rows]


def _latest(store: Any, topics: Sequence[str] | None, since: datetime | None) -> datetime | None:
    """Just after the selection's latest post (the end of the recent window when no ``until`` is given)."""
    sql, params, _ = _scope(store, topics, since, None)
    (latest,) = store.con.execute(f"SELECT max(created_at) FROM ({sql})", params).fetchone()
    return latest + timedelta(microseconds=1) if latest is not None else None


def _limit(limit: int | None) -> int:
    """A LIMIT parameter: None is no limit."""
    if limit is not None and limit < 0:
        raise ValueError("limit must be 0 or more")
    return limit if limit is not None else 2**62
