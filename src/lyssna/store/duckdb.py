"""The embedded store: one DuckDB file holding posts, authors, quarantine and import cursors.

Writes go in batches as Arrow tables (DuckDB's fast path; ``executemany`` is a trap, see
research/STORAGE.md), each batch with its quarantined records and its import cursor in one transaction,
so a crash resumes exactly after the last committed batch. DuckDB allows one writing process: a second
one gets :class:`StoreBusy` with the holder's PID, not a lock error.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo
from typing import Any, Iterator, Sequence

import duckdb
import orjson
import pyarrow as pa

from ..errors import CampaignError, NotFound, SchemaTooNew, StoreBusy, StoreError
from ..models import Author, Campaign, Post, Quarantined, Topic, TopicVersion
from ..query.analysis import MatchInput, engagement_of
from .base import BatchPart, BatchResult, FileCursor, PreparedPosts, Stats, StoredPost, ThreadNode
from . import localtime
from .migrations import MIGRATIONS

__all__ = ["DuckStore", "AUTHOR_KEY_SQL", "ENGAGEMENT_SQL", "SENTIMENT_CODES", "sentiment_code_sql"]

_POST_COLUMNS = (
    "platform", "native_id", "kind", "created_at", "author_id", "author_handle", "text", "title", "url",
    "lang", "site", "country", "reply_to", "conversation_id", "quote_of", "repost_of", "likes", "reposts", "replies",
    "quotes", "views", "media_start_ms", "media_end_ms", "source", "raw", "imported_at",
)
_INT_COLUMNS = {"likes", "reposts", "replies", "quotes", "views", "media_start_ms", "media_end_ms"}
_TS = pa.timestamp("us", tz="UTC")
_POST_SCHEMA = pa.schema([
    (c, _TS if c in ("created_at", "imported_at") else pa.int64() if c in _INT_COLUMNS else pa.string())
    for c in _POST_COLUMNS
])
_AUTHOR_SCHEMA = pa.schema([
    ("platform", pa.string()), ("native_id", pa.string()), ("handle", pa.string()), ("name", pa.string()),
    ("followers", pa.int64()), ("verified", pa.bool_()), ("url", pa.string()),
])
_QUARANTINE_SCHEMA = pa.schema([
    ("source", pa.string()), ("locator", pa.string()), ("reason", pa.string()), ("raw", pa.string()),
    ("quarantined_at", _TS),
])
_CURSOR_SCHEMA = pa.schema([
    ("path", pa.string()), ("format", pa.string()), ("size", pa.int64()), ("head_hash", pa.string()),
    ("position", pa.int64()), ("byte_offset", pa.int64()), ("state", pa.string()), ("read", pa.int64()),
    ("imported", pa.int64()), ("duplicate", pa.int64()), ("quarantined", pa.int64()),
    ("started_at", _TS), ("finished_at", _TS),
])
_SELECT_POST = """
    SELECT p.key, p.platform, p.native_id, p.kind, p.created_at, p.author_id, p.author_handle, a.name,
           a.followers, p.text, p.title, p.url, p.lang, p.site, p.country, p.reply_to, p.conversation_id, p.quote_of,
           p.repost_of, p.root_id,
           p.depth, p.likes, p.reposts, p.replies, p.quotes, p.views, p.media_start_ms, p.media_end_ms,
           p.source, p.raw
    FROM posts p LEFT JOIN authors a ON a.platform = p.platform AND a.native_id = p.author_id
"""
_SELECT_MATCH_INPUT = """
    SELECT p.key, p.created_at, p.platform, p.text, p.title, p.url, p.lang, p.site, p.author_handle, p.country,
           a.followers, p.likes, p.reposts, p.replies, p.quotes
    FROM posts p LEFT JOIN authors a ON a.platform = p.platform AND a.native_id = p.author_id
"""
#: Once the language enricher has run, matching sees the detected language, the platform's own tag only
#: where detection said ``unknown`` (or has not run): ``lang:sv`` in a query means "is Swedish".
_SELECT_MATCH_INPUT_DETECTED = _SELECT_MATCH_INPUT.replace(
    "p.lang,", "COALESCE(NULLIF(e.lang, 'unknown'), p.lang),").replace(
    "FROM posts p", "FROM posts p LEFT JOIN enrichments e ON e.post_key = p.key")
_ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_(),
                "VARCHAR[]": pa.list_(pa.string())}
_CAMPAIGN_COLUMNS = ("id, name, kind, start_date, end_date, topics, controls, kpi, hypothesis, decision_date, "
                     "created_at, note")
#: What each match carries of its post (migration 6), as SQL over ``posts p`` and a sentiment label: the
#: author as a stable 64-bit hash (``authors.key`` holds the same), sentiment as -1/0/1, and engagement.
AUTHOR_KEY_SQL = "CASE WHEN p.author_id IS NOT NULL THEN md5_number_lower(p.platform || ':' || p.author_id) END"
ENGAGEMENT_SQL = "(coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0))"
SENTIMENT_CODES = {"negative": -1, "neutral": 0, "positive": 1}


def sentiment_code_sql(label: str) -> str:
    """SQL turning a sentiment label column into -1, 0 or 1 (NULL for none or another label)."""
    return f"CASE {label} " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in SENTIMENT_CODES.items()) + " END"


_MAX_THREAD_PASSES = 10_000
_AUTHOR_CACHE = 500_000  # authors remembered as written, to skip unchanged upserts
#: How large DuckDB's write-ahead log may grow during an import before it checkpoints. Its default (16 MB)
#: means a checkpoint — rewriting changed row groups and the unique index — about every batch of real
#: posts (2 KB each with their raw payload): measured, that halves the import rate.
BULK_CHECKPOINT_THRESHOLD = "1GB"
#: DuckDB's own memory (buffer cache, write-ahead data, index): bounded, so a store's process stays flat
#: however many posts it holds (measured on 1M posts: 1.2 GB peak, against 2.3 GB unbounded, 5 % slower).
DEFAULT_MEMORY_LIMIT = "1GB"


def _raw_json(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (bytes, bytearray)):
        return raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return orjson.dumps(raw).decode()
    try:
        return orjson.dumps(raw, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # e.g. an integer beyond 64 bits: the standard library can write it
        return json.dumps(raw, default=str, ensure_ascii=False)


def _size(value: str) -> str:
    """A memory size such as ``1GB`` or ``512 MB`` (checked: it is put into a SET statement)."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", value, re.IGNORECASE):
        raise StoreError(f"{value!r} is not a memory size (e.g. 1GB, 512MB)")
    return value.strip()


def _match_input(row: tuple) -> MatchInput:
    *head, likes, reposts, replies, quotes = row
    return MatchInput(*head, engagement=engagement_of(likes, reposts, replies, quotes))


def _campaign(row: tuple) -> Campaign:
    id_, name, kind, start, end, topics, controls, kpi, hypothesis, decision, created, note = row
    return Campaign(id=id_, name=name, kind=kind, start=start, end=end, topics=tuple(topics),
                    controls=tuple(controls), kpi=kpi, hypothesis=hypothesis, decision_date=decision, note=note,
                    created_at=created)


def _count(posts: Sequence[Post] | PreparedPosts) -> int:
    return posts.count if isinstance(posts, PreparedPosts) else len(posts)


class DuckStore:
    """The default store. ``path`` is a file, or ``":memory:"`` for tests."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False,
                 memory_limit: str | None = DEFAULT_MEMORY_LIMIT):
        self.path = str(path)
        self._detected_lang: bool | None = None  # whether matching reads the detected language (cached)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as e:
            message = str(e)
            if "lock" in message.lower():
                pid = re.search(r"PID (\d+)", message)
                holder = f" (process {pid.group(1)})" if pid else ""
                raise StoreBusy(
                    f"the store {self.path} is in use by another Lyssna process{holder}; DuckDB allows one "
                    "writer at a time. Stop that process (or wait for it) and try again.") from None
            raise StoreError(f"cannot open the store {self.path}: {message}") from None
        except duckdb.Error as e:
            raise StoreError(f"cannot open the store {self.path}: {e}") from None
        self.con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            try:
                self.con.execute(f"SET memory_limit = '{_size(memory_limit)}'")
            except duckdb.Error as e:
                self.con.close()
                raise StoreError(f"memory limit {memory_limit!r}: {e}") from None
        self._authors_seen: dict[tuple[str, str], Author] = {}

    # -- schema ------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'").fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def migrate(self) -> int:
        """Bring the schema up to date; returns the version. Refuses a store newer than this code."""
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise SchemaTooNew(f"the store {self.path} has schema version {version}, newer than this Lyssna "
                               f"understands ({len(MIGRATIONS)}); upgrade Lyssna")
        if version == 0:
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMPTZ)")
        for number in range(version + 1, len(MIGRATIONS) + 1):
            self.con.execute("BEGIN")
            try:
                for statement in MIGRATIONS[number - 1]:
                    if callable(statement):
                        statement(self.con)
                    else:
                        self.con.execute(statement)
                self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [number, datetime.now(timezone.utc)])
                self.con.execute("COMMIT")
            except Exception:
                self._rollback()
                raise
        return len(MIGRATIONS)

    # -- writing -----------------------------------------------------------------------------------

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a large write: checkpoint once at the end rather than every few megabytes. A crash in
        between loses nothing (the write-ahead log is replayed when the store is next opened)."""
        self.con.execute(f"SET checkpoint_threshold = '{BULK_CHECKPOINT_THRESHOLD}'")
        try:
            yield
        except BaseException:
            self.con.execute("RESET checkpoint_threshold")
            raise
        self.con.execute("RESET checkpoint_threshold")
        self.con.execute("CHECKPOINT")

    def get_cursor(self, path: str) -> FileCursor | None:
        row = self.con.execute(
            "SELECT path, format, size, head_hash, position, byte_offset, state, read, imported, duplicate, "
            "quarantined FROM import_files WHERE path = ?", [path]).fetchone()
        return FileCursor(*row) if row else None

    def write_batch(self, posts: Sequence[Post], quarantined: Sequence[Quarantined] = ()) -> BatchResult:
        """Posts (first wins on ``(platform, native_id)``), authors (latest wins) and quarantine, atomically."""
        return self.write_parts([BatchPart(posts, quarantined)])[0]

    @classmethod
    def prepare(cls, posts: Sequence[Post], seen: dict[tuple[str, str], Author] | None = None,
                now: datetime | None = None) -> PreparedPosts:
        """Posts as Arrow tables, repeats dropped (first wins). Needs no connection: a worker process can
        do it. ``seen`` holds authors written before with the same values, to leave out of the upsert."""
        first: dict[tuple[str, str], Post] = {}
        for p in posts:
            first.setdefault((p.platform, p.native_id), p)
        unique = list(first.values())
        now = now or datetime.now(timezone.utc)
        return PreparedPosts(cls._posts_table(unique, now), cls._authors_table(unique, seen if seen is not None
                                                                                else {}),
                             count=len(posts), repeats=len(posts) - len(unique))

    def write_parts(self, parts: Sequence[BatchPart]) -> list[BatchResult]:
        """Several files' shares of one batch in one transaction (one statement per table, not per file);
        each part's cursor is made from that part's result. A part may come prepared (see :meth:`prepare`),
        then alone."""
        now = datetime.now(timezone.utc)
        con = self.con
        prepared: PreparedPosts | None = None
        owner: dict[tuple[str, str], int] = {}
        if len(parts) == 1 and isinstance(parts[0].posts, PreparedPosts):
            prepared = parts[0].posts
        else:
            # First wins on (platform, native_id): across parts too, so a post is new for one part only.
            unique: list[Post] = []
            for i, part in enumerate(parts):
                if isinstance(part.posts, PreparedPosts):
                    raise ValueError("a prepared part must be written alone")
                for post in part.posts:
                    key = (post.platform, post.native_id)
                    if key not in owner:
                        owner[key] = i
                        unique.append(post)
            if unique:
                prepared = PreparedPosts(self._posts_table(unique, now),
                                         self._authors_table(unique, self._authors_seen), len(unique), 0)
        quarantined = {(q.source, q.locator): q for part in parts for q in part.quarantined}
        con.execute("BEGIN")
        try:
            for part in parts:
                if part.forget is not None:
                    source, locator = part.forget
                    if locator is None:
                        con.execute("DELETE FROM quarantine WHERE source = ?", [source])
                    else:
                        con.execute("DELETE FROM quarantine WHERE source = ? AND locator = ?", [source, locator])
            new_per_part = [0] * len(parts)
            if prepared is not None and prepared.posts.num_rows:
                batch_posts = prepared.posts  # noqa: F841 (DuckDB reads it by name)
                insert = (f"INSERT INTO posts ({', '.join(_POST_COLUMNS)}) SELECT * FROM batch_posts "
                          "ON CONFLICT DO NOTHING")
                if len(set(owner.values())) <= 1:
                    new_per_part[next(iter(owner.values()), 0)] = con.execute(insert).fetchone()[0]
                else:  # several files in one batch: which of their posts were new?
                    for key in con.execute(insert + " RETURNING platform, native_id").fetchall():
                        new_per_part[owner[key]] += 1
                batch_authors = prepared.authors
                if batch_authors.num_rows:
                    con.execute(
                        f"INSERT INTO authors ({', '.join(_AUTHOR_SCHEMA.names)}, key) SELECT *, "
                        "md5_number_lower(platform || ':' || native_id) FROM batch_authors ON CONFLICT DO UPDATE SET "
                        "handle = coalesce(excluded.handle, authors.handle), "
                        "name = coalesce(excluded.name, authors.name), "
                        "followers = coalesce(excluded.followers, authors.followers), "
                        "verified = coalesce(excluded.verified, authors.verified), "
                        "url = coalesce(excluded.url, authors.url)")
            if quarantined:
                batch_quarantine = pa.Table.from_pylist(  # noqa: F841
                    [{"source": q.source, "locator": q.locator, "reason": q.reason, "raw": q.raw,
                      "quarantined_at": now} for q in quarantined.values()], schema=_QUARANTINE_SCHEMA)
                con.execute(
                    "INSERT INTO quarantine (source, locator, reason, raw, quarantined_at) "
                    "SELECT * FROM batch_quarantine ON CONFLICT DO UPDATE SET reason = excluded.reason, "
                    "raw = excluded.raw, quarantined_at = excluded.quarantined_at")
            results = [BatchResult(inserted=new_per_part[i], duplicate=_count(part.posts) - new_per_part[i],
                                   quarantined=len(part.quarantined)) for i, part in enumerate(parts)]
            cursors = [part.cursor(result) for part, result in zip(parts, results) if part.cursor is not None]
            if cursors:
                self._put_cursors(cursors, now)
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            self._authors_seen.clear()  # it may name authors whose upsert was just rolled back
            raise
        return results

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except duckdb.TransactionException:  # a failed COMMIT has rolled back already
            pass

    def get_cursors(self, paths: Sequence[str]) -> dict[str, FileCursor]:
        """The cursors of many files at once."""
        rows = self.con.execute(
            "SELECT path, format, size, head_hash, position, byte_offset, state, read, imported, duplicate, "
            "quarantined FROM import_files WHERE list_contains(?, path)", [list(paths)]).fetchall()
        return {row[0]: FileCursor(*row) for row in rows}

    def _put_cursors(self, cursors: Sequence[FileCursor], now: datetime) -> None:
        batch_cursors = pa.Table.from_pylist(  # noqa: F841
            [{"path": c.path, "format": c.format, "size": c.size, "head_hash": c.head_hash,
              "position": c.position, "byte_offset": c.byte_offset, "state": c.state, "read": c.read,
              "imported": c.imported, "duplicate": c.duplicate, "quarantined": c.quarantined,
              "started_at": now, "finished_at": now if c.state == "done" else None} for c in cursors],
            schema=_CURSOR_SCHEMA)
        self.con.execute(
            "INSERT INTO import_files SELECT * FROM batch_cursors ON CONFLICT DO UPDATE SET "
            "format = excluded.format, size = excluded.size, head_hash = excluded.head_hash, "
            "position = excluded.position, byte_offset = excluded.byte_offset, state = excluded.state, "
            "read = excluded.read, imported = excluded.imported, duplicate = excluded.duplicate, "
            "quarantined = excluded.quarantined, finished_at = excluded.finished_at")

    @staticmethod
    def _posts_table(posts: Sequence[Post], now: datetime) -> pa.Table:
        # Column by column with comprehensions: several times faster than appending row by row.
        authors = [p.author for p in posts]
        cols: dict[str, list] = {
            name: [getattr(p, name) for p in posts]
            for name in _POST_COLUMNS if name not in ("author_id", "author_handle", "raw", "imported_at")
        }
        cols["author_id"] = [a.native_id if a is not None else None for a in authors]
        cols["author_handle"] = [a.handle if a is not None else None for a in authors]
        cols["raw"] = [_raw_json(p.raw) for p in posts]
        cols["imported_at"] = [now] * len(posts)
        return pa.Table.from_pydict(cols, schema=_POST_SCHEMA)

    @staticmethod
    def _authors_table(posts: Sequence[Post], seen: dict[tuple[str, str], Author]) -> pa.Table:
        """Authors to upsert: the latest of each in the batch, leaving out those this store object has
        already written with exactly these values (most posts are by authors seen before)."""
        latest: dict[tuple[str, str], Author] = {}
        for p in posts:
            a = p.author
            if a is not None:
                latest[(a.platform, a.native_id)] = a
        authors = [a for key, a in latest.items() if seen.get(key) != a]
        if len(seen) > _AUTHOR_CACHE:
            seen.clear()
        seen.update(((a.platform, a.native_id), a) for a in authors)
        return pa.Table.from_pydict({name: [getattr(a, name) for a in authors] for name in _AUTHOR_SCHEMA.names},
                                    schema=_AUTHOR_SCHEMA)

    # -- reply trees -------------------------------------------------------------------------------

    def resolve_threads(self) -> int:
        """Rebuild ``root_id`` and ``depth`` from the reply links, whatever order posts arrived in.

        Roots (no parent) get themselves as root and depth 0. A reply whose parent is not in the store is
        anchored to the platform's conversation id (or its missing parent) with an unknown depth. Then, pass
        by pass, each reply takes its parent's root and depth + 1 until nothing changes — a parent that
        arrives late fixes its whole subtree. Cycles (malformed input) stay unresolved. Returns the passes.
        """
        con = self.con
        con.execute("BEGIN")
        try:
            con.execute("UPDATE posts SET root_id = native_id, depth = 0 "
                        "WHERE reply_to IS NULL AND (root_id IS DISTINCT FROM native_id OR depth IS DISTINCT FROM 0)")
            con.execute("""
                UPDATE posts SET root_id = coalesce(posts.conversation_id, posts.reply_to), depth = NULL
                WHERE posts.reply_to IS NOT NULL AND (posts.root_id IS NULL OR posts.depth IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.platform = posts.platform
                                  AND p.native_id = posts.reply_to)""")
            passes = 0
            while passes < _MAX_THREAD_PASSES:
                passes += 1
                changed = con.execute("""
                    UPDATE posts SET root_id = parent.root_id, depth = parent.depth + 1
                    FROM (SELECT platform, native_id, root_id, depth FROM posts WHERE root_id IS NOT NULL) parent
                    WHERE posts.reply_to = parent.native_id AND posts.platform = parent.platform
                      AND (posts.root_id IS DISTINCT FROM parent.root_id
                           OR posts.depth IS DISTINCT FROM parent.depth + 1)""").fetchone()[0]
                if not changed:
                    break
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return passes

    # -- reading -----------------------------------------------------------------------------------

    def _row_to_post(self, row: tuple) -> StoredPost:
        *head, raw = row
        return StoredPost(*head, raw=json.loads(raw) if raw is not None else None)  # exact big integers

    def get_post(self, ref: str) -> StoredPost:
        """A post by ``platform:native_id``, by its native id alone (when unambiguous) or by its store key."""
        rows: list[tuple] = []
        if ":" in ref:
            platform, _, native = ref.partition(":")
            rows = self.con.execute(_SELECT_POST + " WHERE p.platform = ? AND p.native_id = ?",
                                    [platform, native]).fetchall()
        if not rows:
            rows = self.con.execute(_SELECT_POST + " WHERE p.native_id = ? ORDER BY p.platform LIMIT 10",
                                    [ref]).fetchall()
        if not rows and ref.isdigit():
            rows = self.con.execute(_SELECT_POST + " WHERE p.key = ?", [int(ref)]).fetchall()
        if not rows:
            raise NotFound(f"no post {ref!r} in the store (name a post as PLATFORM:ID, e.g. twitter:123, "
                           "or by the key `lyssna show` prints)")
        if len(rows) > 1:
            refs = ", ".join(f"{r[1]}:{r[2]}" for r in rows)
            raise NotFound(f"{ref!r} names several posts ({refs}); say which with PLATFORM:ID")
        return self._row_to_post(rows[0])

    def thread(self, ref: str, limit: int = 2000) -> ThreadNode:
        """The whole reply tree around a post: root first, children by time. Missing parents are placeholders."""
        post = self.get_post(ref)
        root = post.root_id or post.native_id
        rows = self.con.execute(_SELECT_POST + " WHERE p.platform = ? AND (p.root_id = ? OR p.native_id = ?) "
                                "ORDER BY p.created_at, p.native_id LIMIT ?",
                                [post.platform, root, root, limit]).fetchall()
        posts = [self._row_to_post(r) for r in rows]
        if post.native_id not in {p.native_id for p in posts}:
            posts.append(post)
        by_id = {p.native_id: p for p in posts}
        children: dict[str, list[StoredPost]] = {}
        for p in posts:
            if p.native_id == root:
                continue
            if p.reply_to:
                children.setdefault(p.reply_to, []).append(p)
        # Parents that are referred to but missing hang under the root as placeholders.
        missing = [pid for pid in children if pid not in by_id and pid != root]

        seen: set[str] = set()

        def build(top: str, top_depth: int) -> ThreadNode:
            # Iterative, so a very deep chain cannot exhaust the recursion limit; `seen` breaks cycles.
            node = ThreadNode(top, top_depth, by_id.get(top))
            seen.add(top)
            stack = [node]
            while stack:
                current = stack.pop()
                for child in children.get(current.native_id, []):
                    if child.native_id not in seen:
                        seen.add(child.native_id)
                        sub = ThreadNode(child.native_id, current.depth + 1, child)
                        current.children.append(sub)
                        stack.append(sub)
            return node

        tree = build(root, 0)
        for pid in missing:
            if pid not in seen:
                tree.children.append(build(pid, 1))
        return tree

    def stats(self) -> Stats:
        con = self.con
        one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
        posts, first, last = one("SELECT count(*), min(created_at), max(created_at) FROM posts")
        authors = one("SELECT count(DISTINCT (platform, author_id)) FROM posts WHERE author_id IS NOT NULL")[0]
        pairs = lambda sql: [(str(k), int(v)) for k, v in con.execute(sql).fetchall()]  # noqa: E731
        replies, threads, max_depth = one(
            "SELECT count(*) FILTER (reply_to IS NOT NULL), "
            "count(DISTINCT (platform, root_id)) FILTER (reply_to IS NOT NULL), coalesce(max(depth), 0) FROM posts")
        orphans = one("SELECT count(*) FROM posts WHERE reply_to IS NOT NULL AND depth IS NULL")[0]
        return Stats(
            posts=posts, authors=authors,
            by_platform=pairs("SELECT platform, count(*) n FROM posts GROUP BY 1 ORDER BY n DESC, 1"),
            by_language=pairs("SELECT coalesce(lang, 'unknown'), count(*) n FROM posts GROUP BY 1 ORDER BY n DESC, 1"),
            by_month=pairs("SELECT strftime(created_at, '%Y-%m'), count(*) FROM posts GROUP BY 1 ORDER BY 1"),
            by_kind=pairs("SELECT kind, count(*) n FROM posts GROUP BY 1 ORDER BY n DESC, 1"),
            threads=threads, replies=replies, max_depth=max_depth, orphans=orphans, first=first, last=last,
            quarantined=one("SELECT count(*) FROM quarantine")[0],
            files=one("SELECT count(*) FROM import_files")[0],
        )

    def deepest_reply(self) -> str | None:
        """``platform:native_id`` of a reply at the greatest depth (a good thread to look at), or None."""
        row = self.con.execute("SELECT platform, native_id FROM posts WHERE depth IS NOT NULL AND depth > 0 "
                               "ORDER BY depth DESC, created_at, native_id LIMIT 1").fetchone()
        return f"{row[0]}:{row[1]}" if row else None

    def quarantine(self, limit: int = 100) -> list[tuple[str, str, str, str]]:
        return self.con.execute("SELECT source, locator, reason, raw FROM quarantine ORDER BY id LIMIT ?",
                                [limit]).fetchall()

    def count_posts(self) -> int:
        return self.con.execute("SELECT count(*) FROM posts").fetchone()[0]

    # -- what matching reads -------------------------------------------------------------------------

    def max_post_key(self) -> int:
        return self.con.execute("SELECT coalesce(max(key), 0) FROM posts").fetchone()[0]

    def _match_select(self) -> str:
        if self._detected_lang is None:
            self._detected_lang = "lang" in self.enrichment_columns()
        return _SELECT_MATCH_INPUT_DETECTED if self._detected_lang else _SELECT_MATCH_INPUT

    def match_inputs(self, after: int, limit: int) -> list[MatchInput]:
        """Posts with a key above ``after``, in key order, as matching needs them."""
        rows = self.con.execute(self._match_select() + " WHERE p.key > ? ORDER BY p.key LIMIT ?",
                                [after, limit]).fetchall()
        return [_match_input(r) for r in rows]

    def match_inputs_for(self, keys: Sequence[int]) -> list[MatchInput]:
        """The posts with these keys (in key order)."""
        if not keys:
            return []
        wanted = pa.table({"key": pa.array(keys, pa.int64())})  # noqa: F841
        # The range lets DuckDB skip row groups by their min/max key before the semi-join.
        rows = self.con.execute(self._match_select() + " WHERE p.key BETWEEN ? AND ? AND p.key IN (SELECT key FROM wanted) "
                                "ORDER BY p.key", [min(keys), max(keys)]).fetchall()
        return [_match_input(r) for r in rows]

    def posts_by_keys(self, keys: Sequence[int]) -> list[StoredPost]:
        """Posts by store key, in the order of ``keys`` (missing keys left out)."""
        if not keys:
            return []
        wanted = pa.table({"key": pa.array(keys, pa.int64())})  # noqa: F841
        rows = self.con.execute(_SELECT_POST + " WHERE p.key BETWEEN ? AND ? AND p.key IN (SELECT key FROM wanted)",
                                [min(keys), max(keys)]).fetchall()
        by_key = {r[0]: self._row_to_post(r) for r in rows}
        return [by_key[k] for k in keys if k in by_key]

    # -- topics and matches --------------------------------------------------------------------------

    def topics(self) -> list[Topic]:
        rows = self.con.execute(
            "SELECT t.id, t.name, t.query, t.version, t.created_at, t.updated_at, "
            "(SELECT count(*) FROM matches m WHERE m.topic_id = t.id) FROM topics t ORDER BY t.name").fetchall()
        return [Topic(*r) for r in rows]

    def topic(self, name: str) -> Topic:
        for t in self.topics():
            if t.name == name:
                return t
        known = ", ".join(t.name for t in self.topics()) or "none yet"
        raise NotFound(f"no topic named {name!r} (topics: {known}); add one with `lyssna topic add NAME QUERY`")

    def topic_versions(self, topic_id: int) -> list[TopicVersion]:
        rows = self.con.execute("SELECT version, query, valid_from, note FROM topic_versions WHERE topic_id = ? "
                                "ORDER BY version", [topic_id]).fetchall()
        return [TopicVersion(*r) for r in rows]

    def watermark(self, name: str) -> int:
        row = self.con.execute("SELECT upto FROM watermarks WHERE name = ?", [name]).fetchone()
        return row[0] if row else 0

    def replace_matches(self, topic_id: int, matches: Sequence[tuple[int, int, datetime]], *,
                        watermark: tuple[str, int] | None = None) -> None:
        """All of a topic's matches replaced (its query unchanged: what a query means was refined), with a
        watermark saying so, in one transaction."""
        def work() -> None:
            self.con.execute("DELETE FROM matches WHERE topic_id = ?", [topic_id])
            self._insert_matches([(topic_id, key, at) for _, key, at in matches])
            self._forget_spikes([topic_id])
            if watermark is not None:
                self._set_watermark(*watermark)

        self._transaction(work)

    def set_watermark(self, name: str, upto: int) -> None:
        self._transaction(lambda: self._set_watermark(name, upto))

    def _set_watermark(self, name: str, upto: int) -> None:
        self.con.execute("INSERT INTO watermarks VALUES (?, ?) ON CONFLICT DO UPDATE SET upto = excluded.upto",
                         [name, upto])

    def _insert_matches(self, rows: Sequence[tuple[int, int, datetime]]) -> None:
        if not rows:
            return
        topic_ids, keys, times = zip(*rows)
        batch_matches = pa.table({"topic_id": pa.array(topic_ids, pa.int32()),  # noqa: F841
                                  "post_key": pa.array(keys, pa.int64()),
                                  "created_at": pa.array(times, _TS)})
        # Each match carries its post's author, sentiment and engagement (see migration 6); the key range
        # lets DuckDB skip the posts' row groups outside it before the join.
        low, high = min(keys), max(keys)
        if "sentiment" in self.enrichment_columns():
            sentiment = sentiment_code_sql("e.sentiment")
            join = "LEFT JOIN enrichments e ON e.post_key = b.post_key AND e.post_key BETWEEN $low AND $high"
        else:
            sentiment, join = "NULL", ""
        self.con.execute(
            f"INSERT INTO matches SELECT b.topic_id, b.post_key, b.created_at, {AUTHOR_KEY_SQL}, {sentiment}, "
            f"{ENGAGEMENT_SQL} FROM batch_matches b JOIN posts p ON p.key = b.post_key AND p.key BETWEEN $low AND $high "
            f"{join} ORDER BY b.topic_id, b.created_at, b.post_key", {"low": low, "high": high})

    def add_matches(self, rows: Sequence[tuple[int, int, datetime]], upto: int) -> None:
        """Matches of newly ingested posts, and the key up to which every post has been matched: together,
        so that a crash neither loses nor repeats a match."""
        self._transaction(lambda: (self._insert_matches(rows), self._set_watermark("matches", upto)))

    def save_topic(self, name: str, query: str, matches: Sequence[tuple[int, int, datetime]], *,
                   note: str | None = None, new: bool) -> Topic:
        """Add a topic (``new``) or a new version of one, with all its matches, in one transaction."""
        now = datetime.now(timezone.utc)

        def work() -> None:
            con = self.con
            if new:
                if con.execute("SELECT 1 FROM topics WHERE name = ?", [name]).fetchone():
                    raise StoreError(f"a topic named {name!r} exists already; change it with `lyssna topic edit`")
                topic_id, version = con.execute(
                    "INSERT INTO topics (name, query, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?) "
                    "RETURNING id, version", [name, query, now, now]).fetchone()
            else:
                row = con.execute("UPDATE topics SET query = ?, version = version + 1, updated_at = ? "
                                  "WHERE name = ? RETURNING id, version", [query, now, name]).fetchone()
                if row is None:
                    raise NotFound(f"no topic named {name!r}")
                topic_id, version = row
                con.execute("DELETE FROM matches WHERE topic_id = ?", [topic_id])
                self._forget_spikes([topic_id])
            con.execute("INSERT INTO topic_versions VALUES (?, ?, ?, ?, ?)", [topic_id, version, query, note, now])
            self._insert_matches([(topic_id, key, at) for _, key, at in matches])

        self._transaction(work)
        return self.topic(name)

    def delete_topic(self, name: str) -> Topic:
        topic = self.topic(name)
        using = [r[0] for r in self.con.execute(
            "SELECT name FROM campaigns WHERE list_contains(topics, ?) OR list_contains(controls, ?) ORDER BY name",
            [name, name]).fetchall()]
        if using:  # a campaign names its topics: removing one would leave it measuring nothing (or a namesake)
            raise StoreError(f"topic {name!r} is measured by campaign {', '.join(using)}; remove the campaign first "
                             "(`lyssna campaign remove NAME`)")

        def work() -> None:
            for table, column in (("matches", "topic_id"), ("topic_versions", "topic_id"), ("topics", "id"),
                                  ("topic_spike_state", "topic_id"), ("topic_spikes", "topic_id")):
                self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [topic.id])

        self._transaction(work)
        return topic

    def topic_matches(self, topic_id: int, limit: int = 20) -> list[StoredPost]:
        """A topic's latest matches, newest first."""
        keys = [r[0] for r in self.con.execute(
            "SELECT post_key FROM matches WHERE topic_id = ? ORDER BY created_at DESC, post_key DESC LIMIT ?",
            [topic_id, limit]).fetchall()]
        return self.posts_by_keys(keys)

    def phrases_of(self, *, topic_id: int | None = None, since: datetime | None = None,
                   until: datetime | None = None, limit: int = 5_000_000) -> list[tuple[datetime, list[str], int]]:
        """(created_at, keyphrases, near-duplicate group) of the enriched posts — of one topic's matches, in
        a time window (``until`` exclusive) — in time order; the group is the key of the group's first post
        (the post's own key when it has no near-duplicate, or the near-duplicate enricher is absent). At
        most ``limit`` posts (the latest)."""
        columns = self.enrichment_columns()
        if "phrases" not in columns:
            return []
        group = "coalesce(e.dup_group, p.key)" if "dup_group" in columns else "p.key"
        where, params = ["e.phrases IS NOT NULL"], []
        if topic_id is not None:
            where.append("p.key IN (SELECT post_key FROM matches WHERE topic_id = ?)")
            params.append(topic_id)
        if since is not None:
            where.append("p.created_at >= ?")
            params.append(since)
        if until is not None:
            where.append("p.created_at < ?")
            params.append(until)
        rows = self.con.execute(
            f"SELECT created_at, phrases, grp FROM (SELECT p.created_at, e.phrases, {group} AS grp, p.key "
            "FROM posts p JOIN enrichments e ON e.post_key = p.key WHERE " + " AND ".join(where) +
            " ORDER BY p.created_at DESC, p.key DESC LIMIT ?) ORDER BY created_at, key",
            [*params, limit]).fetchall()
        return [(created, list(phrases), grp) for created, phrases, grp in rows]

    # -- campaigns and pilots --------------------------------------------------------------------------

    def add_campaign(self, campaign: Campaign) -> Campaign:
        """Save a campaign (its ``id`` and ``created_at`` are given by the store); names are unique."""
        now = datetime.now(timezone.utc)

        def work() -> None:
            if self.con.execute("SELECT 1 FROM campaigns WHERE name = ?", [campaign.name]).fetchone():
                raise CampaignError(f"a campaign named {campaign.name!r} exists already; choose another name "
                                    "or remove it first with `lyssna campaign remove`")
            self.con.execute(
                f"INSERT INTO campaigns ({_CAMPAIGN_COLUMNS.replace('id, ', '', 1)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [campaign.name, campaign.kind, campaign.start, campaign.end, list(campaign.topics),
                 list(campaign.controls), campaign.kpi, campaign.hypothesis, campaign.decision_date, now,
                 campaign.note])

        self._transaction(work)
        return self.campaign(campaign.name)

    def campaigns(self) -> list[Campaign]:
        """Every campaign and pilot, by start date (then name)."""
        rows = self.con.execute(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns ORDER BY start_date, name").fetchall()
        return [_campaign(r) for r in rows]

    def campaign(self, name: str) -> Campaign:
        row = self.con.execute(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE name = ?", [name]).fetchone()
        if row is None:
            known = ", ".join(c.name for c in self.campaigns()) or "none yet"
            raise NotFound(f"no campaign named {name!r} (campaigns: {known}); add one with `lyssna campaign add`")
        return _campaign(row)

    def delete_campaign(self, name: str) -> Campaign:
        campaign = self.campaign(name)
        self._transaction(lambda: self.con.execute("DELETE FROM campaigns WHERE id = ?", [campaign.id]))
        return campaign

    def post_span(self) -> tuple[datetime | None, datetime | None]:
        """The times of the first and the last post in the store (None, None when it is empty)."""
        first, last = self.con.execute("SELECT min(created_at), max(created_at) FROM posts").fetchone()
        return first, last

    def daily_matches(self, topic_ids: Sequence[int], zone: str, since: datetime,
                      until: datetime) -> list[tuple[date, int, int | None, int | None]]:
        """Per local day (in the time zone ``zone``) with at least one post: the posts any of the topics
        match (a post matched by several counts once), and how many of them the sentiment enricher
        labelled positive and negative (None when it has not run). ``until`` is exclusive."""
        if not topic_ids:
            return []
        sentiment = "sentiment" in self.enrichment_columns()
        counts = ("count(*) FILTER (sentiment = 1), count(*) FILTER (sentiment = -1)" if sentiment else "NULL, NULL")
        marks = ", ".join("?" for _ in topic_ids)
        day = localtime.bucket_sql("day", "created_at", ZoneInfo(zone), since, until)
        rows = self.con.execute(
            f"SELECT {day} AS day, count(*), {counts} "
            f"FROM (SELECT DISTINCT post_key, created_at, sentiment FROM matches WHERE topic_id IN ({marks}) "
            "AND created_at >= ? AND created_at < ?) GROUP BY day ORDER BY day",
            [*topic_ids, since, until]).fetchall()
        return [(d, int(n), None if p is None else int(p), None if q is None else int(q)) for d, n, p, q in rows]

    # -- every topic's spikes ---------------------------------------------------------------------------

    def _forget_spikes(self, topic_ids: Sequence[int], kind: str | None = None) -> None:
        """Drop topics' spike detectors (of one kind, or both) and what they found (their matches or the
        matches' sentiment changed: the next run replays them)."""
        if topic_ids:
            marks = ", ".join("?" for _ in topic_ids)
            only = " AND kind = ?" if kind is not None else ""
            for table in ("topic_spike_state", "topic_spikes"):
                self.con.execute(f"DELETE FROM {table} WHERE topic_id IN ({marks}){only}",
                                 [*topic_ids, *([kind] if kind is not None else [])])

    def forget_spikes(self, topic_ids: Sequence[int]) -> None:
        self._transaction(lambda: self._forget_spikes(topic_ids))

    def spike_states(self) -> dict[tuple[int, str], tuple[str, int]]:
        """(topic id, kind) → (detector state JSON, next hour to read in epoch seconds)."""
        return {(t, k): (s, u) for t, k, s, u in
                self.con.execute("SELECT topic_id, kind, state, upto FROM topic_spike_state").fetchall()}

    def first_match_hours(self) -> dict[int, int]:
        """Topic id → the epoch second of the UTC hour of its first match (topics with matches)."""
        return {t: int(h) for t, h in self.con.execute(
            "SELECT topic_id, epoch_us(min(created_at)) // 3600000000 * 3600 FROM matches GROUP BY topic_id").fetchall()}

    def hourly_topic_counts(self, since: int, until: int,
                            topic_ids: Sequence[int]) -> dict[int, dict[int, tuple[int, int]]]:
        """Topic id → UTC hour (epoch seconds, ``since`` .. ``until`` exclusive) → (matches, negative
        matches), for hours with any; one query for all the topics."""
        if not topic_ids or until <= since:
            return {}
        marks = ", ".join("?" for _ in topic_ids)
        rows = self.con.execute(
            "SELECT topic_id, epoch_us(created_at) // 3600000000 * 3600 AS h, count(*), "
            "count(*) FILTER (WHERE sentiment = -1) FROM matches WHERE created_at >= to_timestamp(?) "
            f"AND created_at < to_timestamp(?) AND topic_id IN ({marks}) GROUP BY ALL",
            [since, until, *topic_ids]).fetchall()
        out: dict[int, dict[int, tuple[int, int]]] = {}
        for topic_id, hour, n, negative in rows:
            out.setdefault(topic_id, {})[int(hour)] = (int(n), int(negative))
        return out

    def late_matched_topics(self, after_key: int, before: dict[int, int]) -> list[int]:
        """Topics with a match of a post keyed above ``after_key`` that is older than the topic's hour in
        ``before`` (topic id → epoch seconds): posts that arrived after their hours were judged."""
        if not before:
            return []
        wanted = pa.table({"topic_id": pa.array(list(before), pa.int32()),  # noqa: F841
                           "upto": pa.array(list(before.values()), pa.int64())})
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT m.topic_id FROM matches m JOIN wanted w ON w.topic_id = m.topic_id "
            "WHERE m.post_key > ? AND epoch_us(m.created_at) < w.upto * 1000000", [after_key]).fetchall()]

    def save_spike_run(self, states: Sequence[tuple[int, str, str, int]], spikes: Sequence[tuple],
                       watermark: int) -> None:
        """Detectors' new states ((topic id, kind, JSON, next hour)), the anomalies they found or closed
        ((topic id, kind, start, peak, end, peak value, expected, score, direction, found at)) and the post
        key up to which posts have been seen, in one transaction."""
        def work() -> None:
            for row in states:
                self.con.execute("INSERT INTO topic_spike_state VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                                 "state = excluded.state, upto = excluded.upto", list(row))
            for row in spikes:
                self.con.execute(
                    "INSERT INTO topic_spikes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    'peak = excluded.peak, "end" = excluded."end", peak_value = excluded.peak_value, '
                    "expected = excluded.expected, score = excluded.score", list(row))
            self._set_watermark("spikes", watermark)

        self._transaction(work)

    def topic_spikes(self, topic_ids: Sequence[int], since: datetime | None = None,
                     until: datetime | None = None) -> list[tuple]:
        """Anomalies found in topics, by start: (topic id, kind, start, peak, end, peak value, expected,
        score, direction, found at); those going on at ``since`` or starting before ``until``."""
        if not topic_ids:
            return []
        sql = ("SELECT topic_id, kind, start, peak, \"end\", peak_value, expected, score, direction, found_at "
               f"FROM topic_spikes WHERE topic_id IN ({', '.join('?' for _ in topic_ids)})")
        params: list[Any] = list(topic_ids)
        if since is not None:  # going on, or its last hour (from "end") ends after since
            sql += ' AND ("end" IS NULL OR "end" > ?)'
            params.append(since - timedelta(hours=1))
        if until is not None:
            sql += " AND start < ?"
            params.append(until)
        return self.con.execute(sql + " ORDER BY start, topic_id, kind", params).fetchall()

    # -- alerts ---------------------------------------------------------------------------------------

    _ALERT_RULE_COLUMNS = "id, name, topic, kind, query, channels, quiet_minutes, created_at"

    def add_alert_rule(self, name: str, topic: str, kind: str, query: str | None, channels: Sequence[str],
                       quiet_minutes: int, created_at: datetime, state: str, upto: int | None) -> tuple:
        """Save an alert rule with its first evaluation state, in one transaction; names are unique."""
        def work() -> None:
            if self.con.execute("SELECT 1 FROM alert_rules WHERE name = ?", [name]).fetchone():
                raise StoreError(f"an alert rule named {name!r} exists already; choose another name or remove "
                                 "it first with `lyssna alert remove`")
            rule_id = self.con.execute(
                "INSERT INTO alert_rules (name, topic, kind, query, channels, quiet_minutes, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [name, topic, kind, query, list(channels), quiet_minutes, created_at]).fetchone()[0]
            self.con.execute("INSERT INTO alert_state VALUES (?, ?, ?)", [rule_id, state, upto])

        self._transaction(work)
        return self.alert_rule(name)

    def alert_rules(self) -> list[tuple]:
        """Every alert rule as a row (id, name, topic, kind, query, channels, quiet_minutes, created_at)."""
        return self.con.execute(f"SELECT {self._ALERT_RULE_COLUMNS} FROM alert_rules ORDER BY name").fetchall()

    def alert_rule(self, name: str) -> tuple:
        row = self.con.execute(f"SELECT {self._ALERT_RULE_COLUMNS} FROM alert_rules WHERE name = ?", [name]).fetchone()
        if row is None:
            known = ", ".join(r[1] for r in self.alert_rules()) or "none yet"
            raise NotFound(f"no alert rule named {name!r} (rules: {known}); add one with `lyssna alert add`")
        return row

    def delete_alert_rule(self, name: str) -> tuple:
        """Delete a rule, its state and its undelivered alerts (delivered ones stay as history)."""
        row = self.alert_rule(name)

        def work() -> None:
            self.con.execute("DELETE FROM alert_outbox WHERE rule_id = ? AND delivered_at IS NULL", [row[0]])
            self.con.execute("DELETE FROM alert_state WHERE rule_id = ?", [row[0]])
            self.con.execute("DELETE FROM alert_rules WHERE id = ?", [row[0]])

        self._transaction(work)
        return row

    def alert_state(self, rule_id: int) -> tuple[str, int | None]:
        """(state JSON, upto) of a rule."""
        row = self.con.execute("SELECT state, upto FROM alert_state WHERE rule_id = ?", [rule_id]).fetchone()
        return (row[0], row[1]) if row else ("{}", None)

    def save_alert_run(self, rule_id: int, state: str, upto: int | None,
                       outbox: Sequence[tuple[str, str]], now: datetime) -> list[int]:
        """A rule's new state and the alerts it produced ((channel, payload JSON) each), in one transaction:
        a crash loses neither nor records one without the other. Returns the outbox ids."""
        ids: list[int] = []

        def work() -> None:
            self.con.execute("INSERT INTO alert_state VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET "
                             "state = excluded.state, upto = excluded.upto", [rule_id, state, upto])
            for channel, payload in outbox:
                ids.append(self.con.execute(
                    "INSERT INTO alert_outbox (rule_id, channel, payload, created_at, next_attempt_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id", [rule_id, channel, payload, now, now]).fetchone()[0])

        self._transaction(work)
        return ids

    def due_alerts(self, now: datetime, limit: int = 1000) -> list[tuple[int, int, str, str, int]]:
        """Undelivered alerts whose next attempt is due: (id, rule_id, channel, payload, attempts)."""
        return self.con.execute(
            "SELECT id, rule_id, channel, payload, attempts FROM alert_outbox WHERE delivered_at IS NULL "
            "AND next_attempt_at <= ? ORDER BY id LIMIT ?", [now, limit]).fetchall()

    def mark_alert(self, outbox_id: int, *, delivered_at: datetime | None, attempts: int,
                   next_attempt_at: datetime | None = None, last_error: str | None = None) -> None:
        """Record one delivery attempt of an outbox row."""
        self._transaction(lambda: self.con.execute(
            "UPDATE alert_outbox SET delivered_at = ?, attempts = ?, next_attempt_at = coalesce(?, next_attempt_at), "
            "last_error = ? WHERE id = ?", [delivered_at, attempts, next_attempt_at, last_error, outbox_id]))

    def alert_outbox(self, rule_id: int | None = None) -> list[tuple]:
        """Outbox rows, oldest first: (id, rule_id, channel, payload, created_at, attempts, next_attempt_at,
        delivered_at, last_error)."""
        where, params = ("WHERE rule_id = ?", [rule_id]) if rule_id is not None else ("", [])
        return self.con.execute(
            "SELECT id, rule_id, channel, payload, created_at, attempts, next_attempt_at, delivered_at, last_error "
            f"FROM alert_outbox {where} ORDER BY id", params).fetchall()

    def newest_post_time(self) -> datetime | None:
        return self.con.execute("SELECT max(created_at) FROM posts").fetchone()[0]

    def first_match_time(self, topic_id: int) -> datetime | None:
        return self.con.execute("SELECT min(created_at) FROM matches WHERE topic_id = ?", [topic_id]).fetchone()[0]

    def hourly_matches(self, topic_id: int, since: datetime, until: datetime, *,
                       negative: bool = False) -> dict[int, int]:
        """Epoch second of each UTC hour (``since`` .. ``until`` exclusive) with matches of a topic → how
        many (only those the sentiment enricher labelled negative, with ``negative``; none when it has not run)."""
        if negative and "sentiment" not in self.enrichment_columns():
            return {}
        only = "AND m.sentiment = -1" if negative else ""
        rows = self.con.execute(
            "SELECT epoch_us(m.created_at) // 3600000000 * 3600 AS h, count(*) FROM matches m "
            f"WHERE m.topic_id = ? AND m.created_at >= ? AND m.created_at < ? {only} GROUP BY h",
            [topic_id, since, until]).fetchall()
        return {int(h): int(n) for h, n in rows}

    def match_keys_after(self, topic_id: int, after: int, limit: int = 100_000) -> list[int]:
        """Keys of a topic's matched posts above ``after``, in key order."""
        return [r[0] for r in self.con.execute(
            "SELECT post_key FROM matches WHERE topic_id = ? AND post_key > ? ORDER BY post_key LIMIT ?",
            [topic_id, after, limit]).fetchall()]

    def top_matches(self, topic_id: int, since: datetime, until: datetime, *, negative: bool = False,
                    limit: int = 5) -> list[StoredPost]:
        """A topic's most engaged matches in a window (``until`` exclusive), then the earliest."""
        if negative and "sentiment" not in self.enrichment_columns():
            return []
        only = "AND m.sentiment = -1" if negative else ""
        keys = [r[0] for r in self.con.execute(
            f"SELECT m.post_key FROM matches m JOIN posts p ON p.key = m.post_key WHERE m.topic_id = ? "
            f"AND m.created_at >= ? AND m.created_at < ? {only} ORDER BY coalesce(p.likes, 0) + coalesce(p.reposts, 0) "
            "DESC, m.created_at, m.post_key LIMIT ?", [topic_id, since, until, limit]).fetchall()]
        return self.posts_by_keys(keys)

    def term_matches(self, topic_id: int, term: str, since: datetime, until: datetime, *,
                     limit: int = 5) -> list[StoredPost]:
        """A topic's most engaged matches in a window (``until`` exclusive) carrying a keyphrase, or a
        hashtag when ``term`` starts with ``#`` (without regard to case), then the earliest."""
        columns = self.enrichment_columns()
        if term.startswith("#"):
            if "hashtags" not in columns:
                return []
            has = "list_contains(list_transform(e.hashtags, lambda h: lower(h)), ?)"
            value = term[1:].lower()
        else:
            if "phrases" not in columns:
                return []
            has, value = "list_contains(e.phrases, ?)", term
        keys = [r[0] for r in self.con.execute(
            f"SELECT m.post_key FROM matches m JOIN enrichments e ON e.post_key = m.post_key WHERE m.topic_id = ? "
            f"AND m.created_at >= ? AND m.created_at < ? AND {has} ORDER BY m.engagement DESC, m.created_at, "
            "m.post_key LIMIT ?", [topic_id, since, until, value, limit]).fetchall()]
        return self.posts_by_keys(keys)

    # -- enrichments ----------------------------------------------------------------------------------

    def enrichment_columns(self) -> dict[str, str]:
        """The columns enrichers have added so far: name → DuckDB type."""
        rows = self.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'enrichments' AND column_name <> 'post_key'").fetchall()
        return dict(rows)

    def ensure_enrichment_columns(self, columns: Sequence[tuple[str, str]]) -> None:
        """Add the columns an enricher declares (names and types were checked by :class:`Column`)."""
        self._detected_lang = None
        have = self.enrichment_columns()
        for name, type_ in columns:
            if name not in have:
                self.con.execute(f'ALTER TABLE enrichments ADD COLUMN "{name}" {type_}')

    def enricher_state(self) -> dict[str, tuple[int, int]]:
        """name → (version, key up to which every post has been enriched by that version)."""
        return {n: (v, u) for n, v, u in self.con.execute("SELECT name, version, upto FROM enricher_state").fetchall()}

    def write_enrichments(self, keys: Sequence[int], columns: dict[str, tuple[str, list]],
                          state: Sequence[tuple[str, int, int]]) -> None:
        """Values of some columns for some posts (an upsert: other columns keep theirs), with the enrichers'
        progress, in one transaction."""
        def work() -> None:
            if keys and columns:
                arrays = {"post_key": pa.array(keys, pa.int64())}
                for name, (type_, values) in columns.items():
                    arrays[name] = pa.array(values, _ARROW_TYPES[type_])
                batch_enrichments = pa.table(arrays)  # noqa: F841
                names = ", ".join(f'"{n}"' for n in columns)
                updates = ", ".join(f'"{n}" = excluded."{n}"' for n in columns)
                self.con.execute(f"INSERT INTO enrichments (post_key, {names}) SELECT post_key, {names} "
                                 f"FROM batch_enrichments ON CONFLICT (post_key) DO UPDATE SET {updates}")
                if "sentiment" in columns:  # the matches carry it (a history re-scored, or matched before)
                    code = sentiment_code_sql("b.sentiment")
                    changed = self.con.execute(
                        f"UPDATE matches SET sentiment = {code} FROM batch_enrichments b "
                        "WHERE matches.post_key = b.post_key AND matches.post_key BETWEEN ? AND ? "
                        f"AND matches.sentiment IS DISTINCT FROM {code} "
                        "RETURNING matches.topic_id, epoch(matches.created_at)", [min(keys), max(keys)]).fetchall()
                    if changed:  # negative-post detectors that judged those hours learn them again
                        earliest: dict[int, float] = {}
                        for topic_id, at in changed:
                            earliest[topic_id] = min(at, earliest.get(topic_id, at))
                        stale = [t for t, upto in self.con.execute(
                            "SELECT topic_id, upto FROM topic_spike_state WHERE kind = 'negative'").fetchall()
                            if t in earliest and earliest[t] < upto]
                        self._forget_spikes(stale, kind="negative")
            for name, version, upto in state:
                self.con.execute("INSERT INTO enricher_state VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET "
                                 "version = excluded.version, upto = excluded.upto", [name, version, upto])

        self._transaction(work)

    def enrichments_of(self, key: int) -> dict[str, Any]:
        """One post's enrichment columns (empty when it has none yet)."""
        cur = self.con.execute("SELECT * FROM enrichments WHERE post_key = ?", [key])
        row = cur.fetchone()
        if row is None:
            return {}
        return {d[0]: v for d, v in zip(cur.description, row) if d[0] != "post_key"}

    def _transaction(self, work) -> None:
        self.con.execute("BEGIN")
        try:
            work()
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "DuckStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
