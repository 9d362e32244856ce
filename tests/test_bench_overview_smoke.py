"""The overview benchmark (bench/overview.py) runs at a tiny size, and what it times computes the right
numbers on its synthetic store. No timing is asserted: speed is measured by the benchmark, not by tests."""

from __future__ import annotations

import json

from bench.overview import SINCE, TZ, UNTIL, build, main, measure
from lyssna.analytics import overview


def test_the_benchmark_store_gives_the_overview_the_plain_sql_counts(tmp_path):
    store = build(tmp_path / "b.duckdb", 20_000)
    try:
        rows = overview.volume(store, ["brand"], since=SINCE, until=UNTIL, tz=TZ, bucket="month")
        assert len(rows) == 12 and sum(r.posts for r in rows) == 2_000  # every tenth post
        (negative,) = store.con.execute(
            "SELECT count(*) FROM posts p JOIN enrichments e ON e.post_key = p.key "
            "WHERE p.key % 10 = 1 AND e.sentiment = 'negative'").fetchone()
        assert sum(r.negative for r in rows) == negative
        top = overview.top_authors(store, ["brand"], since=SINCE, until=UNTIL, limit=1)[0]
        (most,) = store.con.execute("SELECT count(*) AS n FROM posts WHERE key % 10 = 1 GROUP BY author_id "
                                    "ORDER BY n DESC LIMIT 1").fetchone()
        assert top.posts == most
        results = measure(store, runs=1)
        assert {"volume + sentiment (day)", "share of voice (3 topics)", "top authors (posts)",
                "impact: campaign on volume", "impact: campaign on net sentiment"} <= set(results)
        assert all(median > 0 for median, _ in results.values())
    finally:
        store.close()


def test_the_benchmark_command_prints_json(capsys):
    assert main(["--posts", "20000", "--runs", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["topic_posts"] == 2_000 and out["goal_ms"] == 300.0 and out["impact_goal_ms"] == 2000.0
