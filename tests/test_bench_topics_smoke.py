"""The percolator and search benchmark (bench/topics.py) runs at a tiny size and gives sane figures.

No timing is asserted: speed is measured by the benchmark, not by tests.
"""

from __future__ import annotations

import json

import pytest

from bench.topic_gen import BROAD_TOPICS, brands, posts, search_queries, topics
from bench.topics import build_index, features, main, measure, parse_topics, render
from lyssna.query.analysis import analyse

POSTS = 2000
TOPICS = 100
SEARCH_POSTS = 5000


@pytest.fixture(scope="module")
def vocabulary():
    return brands(10_000)


def test_every_generated_topic_parses_and_uses_the_language(vocabulary):
    queries = topics(1000, vocabulary)
    assert len(set(queries)) == len(queries)  # distinct topics
    assert queries[:TOPICS] == topics(TOPICS, vocabulary)  # the first k are the same whatever n is
    assert set(BROAD_TOPICS) <= set(queries)
    trees = parse_topics(queries)  # raises on a query that does not parse
    assert len(trees) == 1000
    used = features(trees.values())
    for feature in ("phrase", "phrase~n", "NEAR", "NOT", "wildcard", "#hashtag", "@mention", "{exact}", "AND",
                    "OR", "lang:", "platform:", "title:", "author:", "followers:[…]"):
        assert used[feature] > 0, feature
    assert used["phrase"] > 100 and used["NOT"] > 200 and used["NEAR"] > 100 and used["wildcard"] > 200
    parse_topics([q for _, q in search_queries(vocabulary)])


def test_posts_are_deterministic_and_mention_brands(vocabulary):
    first = list(posts(POSTS, vocabulary, seed=7))
    assert first == list(posts(POSTS, vocabulary, seed=7))
    assert first[:100] == list(posts(100, vocabulary, seed=7))
    assert [p.key for p in first] == list(range(1, POSTS + 1))
    assert {p.lang for p in first} == {"sv", "en"}
    assert {p.platform for p in first} == {"twitter", "mastodon", "web", "reddit"}
    assert 0.05 < sum(1 for p in first if p.title) / POSTS < 0.5
    names = {b.word for b in vocabulary.brands}
    with_brand = sum(1 for p in first if names & {t.lstrip("#@") for t, _ in analyse(p).text})
    assert 0.02 < with_brand / POSTS < 0.15  # most posts mention no brand, a few percent do


def test_measure_gives_sane_figures(tmp_path):
    result = measure(POSTS, (TOPICS,), search_posts=SEARCH_POSTS, runs=1, workdir=tmp_path, search_repeats=3,
                     search_sample=1000)
    assert result["analysis"]["posts_per_s"] > 0 and result["analysis"]["tokens_per_post"] > 10
    (p,) = result["percolator"]
    assert p["topics"] == TOPICS and p["posts"] == POSTS
    assert p["mismatches"] == 0
    assert p["percolator"]["posts_per_s"] > 0 and p["naive"]["posts_per_s"] > 0 and p["ratio"] > 0
    assert p["naive"]["posts"] == POSTS  # small enough for the naive run to see every post
    assert p["candidates_per_post"] >= p["matches_per_post"] > 0
    assert p["topics_matching"] > 3 and 0 < p["posts_matched"] < 1
    assert p["features"]["NOT"] > 0 and p["features"]["NEAR"] > 0
    s = result["search"]
    assert s["posts"] == SEARCH_POSTS == result["index"]["posts"] and result["index"]["posts_per_s"] > 0
    assert sum(q["hits"] for q in s["queries"]) > 0
    for q in s["queries"]:
        assert q["median_ms"] > 0 and q["p90_ms"] >= q["median_ms"] and q["naive_ms"] > 0
        if q["exact"]:
            assert q["index_sample_hits"] == q["naive_sample_hits"]
    table = render(result)
    assert "percolator" in table and "naive" in table and "search over" in table
    json.dumps(result)  # --json can print it
    # the index is kept in the workdir and reused
    folder = next(tmp_path.glob("textindex-*"))
    again = build_index(folder, SEARCH_POSTS, brands(10_000), 2024)
    assert again["reused"] and again["posts"] == SEARCH_POSTS


def test_command_line_json(capsys):
    assert main(["--posts", "500", "--topics", "40,80", "--runs", "1", "--skip-search", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [p["topics"] for p in result["percolator"]] == [40, 80]
    assert all(p["mismatches"] == 0 and p["percolator"]["posts_per_s"] > 0 for p in result["percolator"])
    assert "search" not in result
