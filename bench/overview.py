"""The overview of one topic over a year: volume, share of voice, top authors, and the rest of the sections.

    python bench/overview.py                         # 1M posts, a topic of 10 % of them, medians of 3 runs
    python bench/overview.py --posts 10000000        # the goal's size (10M posts in the embedded store)
    python bench/overview.py --posts 200000 --runs 5 --json

The store is made directly in SQL (the import is measured by ``bench/import_rate.py``, not here): a migrated
``DuckStore`` file with its default memory limit, N posts spread over 2025 from 50,000 authors of
heavy-tailed activity, their enrichments (sentiment, hashtags, mentions, domains, phrases, near-duplicate
groups) and three topics matching 10 %, 5 % and 2.5 % of the posts ("brand" and two competitors). Each
section of :mod:`lyssna.analytics.overview` is timed over the brand for the whole year (share of voice
between the three), median of ``--runs`` after one warm-up run, with the time zone Europe/Stockholm. The
baseline is the bare query (a daily ``count(*)`` of the brand's matches in UTC), run alongside: the ratio
says what the time zone, the join to posts and enrichments and the filled buckets cost.

Goal (issue 5): the overview of one topic over a year on 10M posts — volume, sentiment, share of voice, top
authors — under 300 ms median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(_REPO))

from lyssna import topic_spikes  # noqa: E402
from lyssna.analytics import dialogue, overview  # noqa: E402
from lyssna.campaigns import campaign_report, new_campaign  # noqa: E402
from lyssna.store.duckdb import AUTHOR_KEY_SQL, ENGAGEMENT_SQL, DuckStore, sentiment_code_sql  # noqa: E402

__all__ = ["GOAL_MS", "build", "measure", "main"]

GOAL_MS = 300.0  # volume + sentiment + share of voice + top authors, one topic, one year, 10M posts
IMPACT_GOAL_MS = 2000.0  # the impact analysis of one campaign, 10M posts
AUTHORS = 50_000
TZ = ZoneInfo("Europe/Stockholm")
SINCE = datetime(2025, 1, 1, tzinfo=TZ)
UNTIL = datetime(2026, 1, 1, tzinfo=TZ)
_TAGS = ["elpriset", "elbil", "laddkaos", "solceller", "norrsken", "vinter", "kundtjänst", "avbrott"]


CHUNK = 1_000_000


def build(path: Path, posts: int) -> DuckStore:
    """A store of ``posts`` synthetic posts, their enrichments and three topics' matches."""
    store = DuckStore(path)
    store.migrate()
    store.ensure_enrichment_columns([("lang", "VARCHAR"), ("sentiment", "VARCHAR"), ("sentiment_score", "DOUBLE"),
                                     ("hashtags", "VARCHAR[]"), ("mentions", "VARCHAR[]"), ("urls", "VARCHAR[]"),
                                     ("domains", "VARCHAR[]"), ("phrases", "VARCHAR[]"), ("dup_group", "BIGINT")])
    con = store.con
    con.execute("SELECT setseed(0.42)")
    for lo in range(1, posts + 1, CHUNK):  # in chunks: one 10M-row insert does not fit the store's memory limit
        hi = min(posts + 1, lo + CHUNK)
        con.execute("""
            INSERT INTO posts (key, platform, native_id, kind, created_at, author_id, author_handle, text, site,
                               likes, reposts, replies, quotes, views, imported_at)
            SELECT i, 'twitter', CAST(i AS VARCHAR), 'post',
                   TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_microseconds(CAST(i * (365 * 86400e6 / ?) AS BIGINT)),
                   'u' || a, 'u' || a, 'text', 'twitter.com',
                   CAST(floor(pow(random(), 4) * 200) AS BIGINT), CAST(floor(pow(random(), 5) * 50) AS BIGINT),
                   CAST(floor(pow(random(), 5) * 20) AS BIGINT), 0, NULL, now()
            FROM (SELECT i, CAST(floor(? * pow(random(), 3)) AS BIGINT) AS a FROM range(?, ?) t(i))""",
                    [posts, AUTHORS, lo, hi])
        con.execute("""
            INSERT INTO enrichments (post_key, lang, sentiment, sentiment_score, hashtags, mentions, urls, domains,
                                     phrases, dup_group)
            SELECT i, 'sv', ['negative', 'neutral', 'neutral', 'positive'][1 + i % 4], 0.0,
                   [?[1 + (i * 7) % 8]], [], [], ['example.se'], ['ord ' || (i % 500), 'fras ' || (i % 97)],
                   CASE WHEN i % 50 = 0 THEN i - 10 ELSE i END
            FROM range(?, ?) t(i)""", [_TAGS, lo, hi])
    con.execute("""INSERT INTO authors SELECT 'twitter', 'u' || i, 'u' || i, NULL,
                   CAST(floor(pow(random(), 6) * 1000000) AS BIGINT), false, NULL,
                   md5_number_lower('twitter:u' || i) FROM range(?) t(i)""", [AUTHORS])
    now = datetime.now(timezone.utc)
    for topic_id, name, every in ((1, "brand", 10), (2, "rival", 20), (3, "other", 40)):
        con.execute("INSERT INTO topics VALUES (?, ?, ?, 1, ?, ?)", [topic_id, name, name, now, now])
        con.execute("INSERT INTO topic_versions VALUES (?, 1, ?, NULL, ?)", [topic_id, name, now])
        # as the store writes them: each match carries its post's author, sentiment and engagement
        con.execute(f"INSERT INTO matches SELECT ?, p.key, p.created_at, {AUTHOR_KEY_SQL}, "
                    f"{sentiment_code_sql('e.sentiment')}, {ENGAGEMENT_SQL} FROM posts p "
                    "JOIN enrichments e ON e.post_key = p.key WHERE p.key % ? = ? ORDER BY p.created_at",
                    [topic_id, every, topic_id])
    con.execute("CHECKPOINT")
    return store


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, p90-ish max) in ms after one warm-up run."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _campaigns(store: DuckStore) -> dict[str, object]:
    """Two campaigns of the brand in September 2025, against the rival as control: one on volume, one on
    net sentiment (made once per store)."""
    found = {c.name: c for c in store.campaigns()}
    for name, kpi in (("september", "volume"), ("september sentiment", "net_sentiment")):
        if name not in found:
            found[name] = new_campaign(store, name, start=date(2025, 9, 1), end=date(2025, 9, 30),
                                       topics=["brand"], controls=["rival"], kpi=kpi)
    return found


def _spikes_from_scratch(store: DuckStore) -> int:
    """Every topic's detectors fed the whole year, as after the first import."""
    store.forget_spikes([t.id for t in store.topics()])
    store.set_watermark("spikes", 0)
    return topic_spikes.track(store, UNTIL, TZ)


def measure(store: DuckStore, runs: int = 3) -> dict[str, tuple[float, float]]:
    """Median and worst ms of each section over the brand for the year, and of the impact analysis of a
    campaign (series from the store, the fit and the bootstrap intervals)."""
    window = dict(since=SINCE, until=UNTIL)
    campaigns = _campaigns(store)
    today = date(2026, 1, 1)
    sections: dict[str, Callable[[], object]] = {
        "baseline: bare daily count (UTC)": lambda: store.con.execute(
            "SELECT date_trunc('day', created_at), count(*) FROM matches WHERE topic_id = 1 AND created_at >= ? "
            "AND created_at < ? GROUP BY 1", [SINCE, UNTIL]).fetchall(),
        "volume + sentiment (day)": lambda: overview.volume(store, ["brand"], tz=TZ, bucket="day", **window),
        "volume + sentiment (hour)": lambda: overview.volume(store, ["brand"], tz=TZ, bucket="hour", **window),
        "share of voice (3 topics)": lambda: overview.share_of_voice(store, ["brand", "rival", "other"], **window),
        "top authors (posts)": lambda: overview.top_authors(store, ["brand"], **window),
        "top authors (reach)": lambda: overview.top_authors(store, ["brand"], by="reach", **window),
        "where": lambda: overview.where(store, ["brand"], **window),
        "top hashtags": lambda: overview.top_entities(store, ["brand"], kind="hashtags", **window),
        "engagement": lambda: overview.engagement(store, ["brand"], **window),
        "rising terms": lambda: overview.rising_terms(store, ["brand"], until=UNTIL),
        "every topic's spikes, first pass (3 topics)": lambda: _spikes_from_scratch(store),
        "responses (an own account)": lambda: dialogue.response_summary(store, ["brand"], own_accounts=["twitter:u1"],
                                                                        **window),
        "impact: campaign on volume": lambda: campaign_report(store, campaigns["september"], TZ, today=today),
        "impact: campaign on net sentiment": lambda: campaign_report(store, campaigns["september sentiment"], TZ,
                                                                     today=today),
    }
    return {name: _timed(fn, runs) for name, fn in sections.items()}


_GOAL_SECTIONS = ("volume + sentiment (day)", "share of voice (3 topics)", "top authors (posts)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=None, help="Where the store is made (default: a temp folder).")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        start = time.perf_counter()
        store = build(Path(tmp) / "bench.duckdb", args.posts)
        built = time.perf_counter() - start
        try:
            results = measure(store, args.runs)
            (matches,) = store.con.execute("SELECT count(*) FROM matches WHERE topic_id = 1").fetchone()
        finally:
            store.close()
    baseline = results["baseline: bare daily count (UTC)"][0]
    overview_ms = sum(results[name][0] for name in _GOAL_SECTIONS)
    if args.json:
        print(json.dumps({"posts": args.posts, "topic_posts": matches, "build_s": round(built, 1),
                          "sections": {k: {"median_ms": round(m, 1), "max_ms": round(x, 1)}
                                       for k, (m, x) in results.items()},
                          "overview_ms": round(overview_ms, 1), "goal_ms": GOAL_MS,
                          "impact_goal_ms": IMPACT_GOAL_MS}, indent=2))
        return 0
    print(f"{args.posts:,} posts (store made in {built:.1f} s); topic 'brand': {matches:,} posts over 2025; "
          f"median of {args.runs} runs, Europe/Stockholm")
    print(f"{'section':<38}{'median ms':>12}{'max ms':>10}{'× baseline':>12}")
    for name, (med, worst) in results.items():
        print(f"{name:<38}{med:>12.1f}{worst:>10.1f}{med / baseline if baseline else float('nan'):>12.1f}")
    print(f"overview (volume + sentiment, share of voice, top authors): {overview_ms:.0f} ms "
          f"(goal at 10M posts: under {GOAL_MS:.0f} ms)")
    impact_ms = max(m for name, (m, _) in results.items() if name.startswith("impact"))
    print(f"impact analysis of one campaign: {impact_ms:.0f} ms at most (goal at 10M posts: under "
          f"{IMPACT_GOAL_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
