"""Taking part: how often and how fast the organisation's own accounts answer the people who address it.

The organisation's accounts are the project's ``own_accounts`` setting: ``platform:handle`` (or a bare
``handle``, any platform), compared without regard to case; a fediverse handle matches with or without
its instance.

What is counted, over the posts of a selection (topics, or every post) in a period:

* **addressed** — a post by someone else that replies to one of the organisation's posts, mentions one
  of its accounts, or was answered by it (an answer shows the organisation took the post as addressed to
  it, as staff answering a forum thread or a subreddit post do);
* **answered** — an addressed post that got a direct reply from one of the accounts (on the same
  platform); its **response time** is the time to the first such reply, however late;
* per bucket of the posts' times (in the caller's zone, as :mod:`lyssna.analytics.overview`): addressed,
  answered, the **response rate** (answered / addressed), and the median and 90th percentile response
  time in minutes; and the same over the whole period.

A post written just before the data ends may not be answered *yet*: the last day's rate reads low until
the answers arrive (the campaign series read complete days only, but an answer can take longer).
Posts by the organisation's own accounts are never counted as addressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence
from zoneinfo import ZoneInfo

import pyarrow as pa

from ..store import localtime
from .overview import _bucket_key, _check_bucket, _enrichment_columns, _next_start, _posts_scope, _span, \
    _starts_with

__all__ = ["ResponseRow", "parse_accounts", "responses", "response_summary", "answered_posts_sql", "format_minutes"]


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """The organisation's answers to the posts of a bucket (``start``; None: the whole period)."""

    start: datetime | None
    addressed: int
    answered: int
    response_rate: float | None  # answered / addressed; None when nothing was addressed
    median_minutes: float | None  # to the first answer, of the answered posts
    p90_minutes: float | None
    complete: bool = True  # False: the period starts or ends inside this bucket


def parse_accounts(entries: Sequence[str]) -> list[tuple[str | None, str]]:
    """``platform:handle`` or ``handle`` entries as (platform or None, lower-case handle without @)."""
    out = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        platform, sep, handle = text.partition(":")
        if not sep:
            platform, handle = None, text
        handle = handle.strip().lstrip("@").lower()
        if handle:
            out.append(((platform or "").strip().lower() or None, handle))
    return out


#: Minutes to the first answer (an answer stamped before its post, a clock's skew, counts as at once).
_WAIT = "(CASE WHEN answered_at IS NOT NULL THEN greatest(epoch(answered_at - created_at), 0) / 60.0 END)"


def _accounts_table(accounts: Sequence[tuple[str | None, str]]) -> pa.Table:
    platforms = [p for p, _ in accounts]
    handles = [h for _, h in accounts]
    local = [h.split("@", 1)[0] for h in handles]  # user@instance → user (mentions carry the local part)
    return pa.table({"platform": pa.array(platforms, pa.string()), "handle": pa.array(handles, pa.string()),
                     "local": pa.array(local, pa.string())})


def answered_posts_sql(store: Any, selection: str) -> str:
    """SQL over a selection ``s`` (key, created_at) giving (key, created_at, answered_at) of the posts by
    others that are addressed to the organisation; needs a ``lyssna_own`` table (:func:`_accounts_table`)
    in scope. The accounts are first found in ``authors`` (a small table), so the large ones are only
    probed by (platform, author id) against that handful."""
    mentions = ("OR EXISTS (SELECT 1 FROM lyssna_own o WHERE (o.platform IS NULL OR o.platform = x.platform) "
                "AND list_contains(list_transform(coalesce(e.mentions, []), lambda m: lower(m)), o.local))"
                if "mentions" in _enrichment_columns(store) else "")
    join = "LEFT JOIN enrichments e ON e.post_key = x.key" if mentions else ""
    return f"""
        WITH s AS ({selection}),
        own AS (
            SELECT DISTINCT a.platform, a.native_id FROM authors a JOIN lyssna_own o
              ON (o.platform IS NULL OR o.platform = a.platform)
             AND (lower(a.handle) = o.handle OR lower(a.handle) = o.local OR lower(a.native_id) = o.handle)
        ),
        own_posts AS (SELECT p.platform, p.native_id FROM posts p SEMI JOIN own
                        ON own.platform = p.platform AND own.native_id = p.author_id),
        answers AS (SELECT r.platform, r.reply_to, min(r.created_at) AS first FROM posts r SEMI JOIN own
                      ON own.platform = r.platform AND own.native_id = r.author_id
                    WHERE r.reply_to IS NOT NULL GROUP BY r.platform, r.reply_to),
        x AS (SELECT s.key, s.created_at, p.platform, p.native_id, p.reply_to
              FROM s JOIN posts p ON p.key = s.key ANTI JOIN own
                ON own.platform = p.platform AND own.native_id = p.author_id),
        y AS (
            SELECT x.key, x.created_at, a.first AS answered_at,
                   (a.first IS NOT NULL OR op.native_id IS NOT NULL {mentions}) AS addressed
            FROM x {join}
            LEFT JOIN answers a ON a.platform = x.platform AND a.reply_to = x.native_id
            LEFT JOIN own_posts op ON op.platform = x.platform AND op.native_id = x.reply_to
        )
        SELECT key, created_at, answered_at FROM y WHERE addressed"""


def _selection(store: Any, topics: Sequence[str] | None, since: datetime | None,
               until: datetime | None) -> tuple[str, list[Any]]:
    """The selection's posts, each once (key, created_at, …), as the overview selects them."""
    return _posts_scope(store, topics, since, until)


def format_minutes(minutes: float | None) -> str:
    """A response time for people: 21 min, 5.4 h, 2.3 days (– for none)."""
    if minutes is None:
        return "–"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def responses(store: Any, topics: Sequence[str] | None = None, *, own_accounts: Sequence[str],
              since: datetime | None = None, until: datetime | None = None, tz: ZoneInfo = ZoneInfo("UTC"),
              bucket: str = "day") -> list[ResponseRow]:
    """Addressed and answered posts, response rate and response time per bucket of the posts' times,
    empty buckets included (from ``since`` or the first addressed post to ``until`` or the last)."""
    _check_bucket(bucket)
    accounts = parse_accounts(own_accounts)
    if not accounts:
        return []
    selection, params = _selection(store, topics, since, until)
    lyssna_own = _accounts_table(accounts)  # noqa: F841 (DuckDB reads it by name)
    span_sql = f"SELECT min(created_at), max(created_at) FROM ({answered_posts_sql(store, selection)})"
    low, high = store.con.execute(span_sql, params).fetchone()
    if low is None:
        return []
    bucket_sql = localtime.bucket_sql(bucket, "created_at", tz, since or low, until or high)
    rows = store.con.execute(f"""
        SELECT {bucket_sql} AS b, count(*), count(answered_at),
               median({_WAIT}),
               quantile_cont({_WAIT}, 0.9)
        FROM ({answered_posts_sql(store, selection)}) GROUP BY b""", params).fetchall()
    found = {_bucket_key(b, tz): rest for b, *rest in rows}
    span = _span(list(found), since, until)
    out = []
    for start in _starts_with(span, bucket, tz, list(found)) if span else []:
        addressed, answered, median, p90 = found.get(start.astimezone(timezone.utc), (0, 0, None, None))
        complete = (since is None or start >= since) and (until is None or _next_start(start, bucket, tz) <= until)
        out.append(ResponseRow(start, addressed, answered, answered / addressed if addressed else None,
                               median, p90, complete))
    return out


def response_summary(store: Any, topics: Sequence[str] | None = None, *, own_accounts: Sequence[str],
                     since: datetime | None = None, until: datetime | None = None) -> ResponseRow:
    """The same over the whole period (``start`` None)."""
    accounts = parse_accounts(own_accounts)
    if not accounts:
        return ResponseRow(None, 0, 0, None, None, None)
    selection, params = _selection(store, topics, since, until)
    lyssna_own = _accounts_table(accounts)  # noqa: F841 (DuckDB reads it by name)
    addressed, answered, median, p90 = store.con.execute(f"""
        SELECT count(*), count(answered_at), median({_WAIT}),
               quantile_cont({_WAIT}, 0.9)
        FROM ({answered_posts_sql(store, selection)})""", params).fetchone()
    return ResponseRow(None, addressed, answered, answered / addressed if addressed else None, median, p90)
