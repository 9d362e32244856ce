"""Each match carries its post's author, sentiment and engagement (store migration 6), and they stay true:
when the sentiment enricher re-scores the history, when a topic is saved after its posts were enriched,
and when an older store is migrated."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import duckdb

from lyssna.analytics import overview
from lyssna.models import Author, Post
from lyssna.store.duckdb import DuckStore
from lyssna.store.migrations import MIGRATIONS

UTC = ZoneInfo("UTC")
START = datetime(2025, 6, 1, 8, tzinfo=timezone.utc)


def _posts(n: int = 6) -> list[Post]:
    return [Post("twitter", str(i), START + timedelta(hours=i), f"post {i}",
                 Author("twitter", f"u{i % 2}", handle=f"user{i % 2}", followers=100 * (i % 2 + 1)),
                 likes=i, reposts=1) for i in range(n)]


def _facts(store: DuckStore) -> list[tuple]:
    return store.con.execute("SELECT post_key, author, sentiment, engagement FROM matches ORDER BY post_key").fetchall()


def _expected(store: DuckStore) -> list[tuple]:
    """The same facts computed from posts and enrichments, the slow way."""
    sentiment = ("CASE e.sentiment WHEN 'negative' THEN -1 WHEN 'neutral' THEN 0 WHEN 'positive' THEN 1 END"
                 if "sentiment" in store.enrichment_columns() else "NULL")
    join = "LEFT JOIN enrichments e ON e.post_key = m.post_key" if sentiment != "NULL" else ""
    return store.con.execute(
        f"SELECT m.post_key, md5_number_lower(p.platform || ':' || p.author_id), {sentiment}, "
        "coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0) "
        f"FROM matches m JOIN posts p ON p.key = m.post_key {join} ORDER BY m.post_key").fetchall()


def _label(store: DuckStore, labels: dict[int, str]) -> None:
    store.ensure_enrichment_columns([("sentiment", "VARCHAR")])
    keys = sorted(labels)
    store.write_enrichments(keys, {"sentiment": ("VARCHAR", [labels[k] for k in keys])}, [("sentiment", 1, max(keys))])


def test_matches_carry_author_sentiment_and_engagement_and_follow_a_rescore():
    with DuckStore(":memory:") as store:
        store.migrate()
        store.write_batch(_posts())
        keys = [k for (k,) in store.con.execute("SELECT key FROM posts ORDER BY key").fetchall()]
        _label(store, {k: "positive" for k in keys})
        store.con.execute("INSERT INTO topics VALUES (1, 't', 'x', 1, now(), now())")
        store.add_matches([(1, k, START + timedelta(hours=i)) for i, k in enumerate(keys)], upto=max(keys))
        assert _facts(store) == _expected(store)
        assert {s for _, _, s, _ in _facts(store)} == {1}
        # the history re-scored (a new enricher version): the matches follow
        _label(store, {k: ("negative" if k % 2 else "neutral") for k in keys})
        assert _facts(store) == _expected(store)
        rows = overview.volume(store, ["t"], tz=UTC, bucket="day")
        assert (rows[0].negative, rows[0].neutral, rows[0].positive) == (3, 3, 0)
        assert rows[0].authors == 2 and rows[0].engagement == sum(range(6)) + 6


def test_top_authors_come_from_the_authors_table_with_their_reach():
    with DuckStore(":memory:") as store:
        store.migrate()
        store.write_batch(_posts(5))
        keys = [k for (k,) in store.con.execute("SELECT key FROM posts ORDER BY key").fetchall()]
        store.con.execute("INSERT INTO topics VALUES (1, 't', 'x', 1, now(), now())")
        store.add_matches([(1, k, START + timedelta(hours=i)) for i, k in enumerate(keys)], upto=max(keys))
        by_posts = overview.top_authors(store, ["t"])
        assert [(a.author_id, a.handle, a.posts, a.followers) for a in by_posts] == [
            ("u0", "user0", 3, 100), ("u1", "user1", 2, 200)]
        assert [a.author_id for a in overview.top_authors(store, ["t"], by="reach")] == ["u1", "u0"]
        # an author's new follower count shows at once: it is read from the authors table, not the matches
        store.write_batch([Post("twitter", "late", START, "late", Author("twitter", "u0", followers=999))])
        assert overview.top_authors(store, ["t"], by="reach")[0].followers == 999


def _v5_store(path) -> None:
    """A store as Lyssna wrote it before migration 6: matches of (topic, post, time) only."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMPTZ)")
    for number, step in enumerate(MIGRATIONS[:5], start=1):
        for statement in step:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [number])
    con.execute("INSERT INTO posts (key, platform, native_id, kind, created_at, author_id, text, likes, reposts, "
                "imported_at) SELECT i, 'twitter', CAST(i AS VARCHAR), 'post', TIMESTAMPTZ '2025-06-01 08:00:00+00' "
                "+ INTERVAL (i) HOUR, 'u' || (i % 3), 'text', i, NULL, now() FROM range(1, 11) t(i)")
    con.execute("INSERT INTO authors SELECT 'twitter', 'u' || i, 'handle' || i, NULL, i, false, NULL FROM range(3) t(i)")
    con.execute("ALTER TABLE enrichments ADD COLUMN sentiment VARCHAR")
    con.execute("INSERT INTO enrichments SELECT i, ['negative', 'neutral', 'positive'][1 + i % 3] FROM range(1, 8) t(i)")
    con.execute("INSERT INTO topics VALUES (1, 't', 'x', 1, now(), now())")
    con.execute("INSERT INTO matches SELECT 1, key, created_at FROM posts WHERE key % 2 = 0")
    con.close()


def test_an_older_store_is_migrated_with_the_facts_filled_in(tmp_path):
    _v5_store(tmp_path / "old.duckdb")
    with DuckStore(tmp_path / "old.duckdb") as store:
        assert store.schema_version() == 5
        store.migrate()
        assert store.schema_version() == len(MIGRATIONS) == 6
        facts = _facts(store)
        assert [k for k, *_ in facts] == [2, 4, 6, 8, 10]
        assert facts == _expected(store)
        assert [s for _, _, s, _ in facts] == [1, 0, -1, None, None]  # posts 8 and 10 have no label
        assert [a.handle for a in overview.top_authors(store, ["t"])] == ["handle2", "handle1", "handle0"]
        # the authors' keys agree with the ones new authors get
        store.write_batch([Post("twitter", "n", START, "new", Author("twitter", "u9", handle="nine"))])
        assert store.con.execute("SELECT count(*) FROM authors WHERE key = md5_number_lower(platform || ':' || "
                                 "native_id)").fetchone()[0] == 4
