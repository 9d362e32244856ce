"""The import benchmark (bench/import_rate.py) runs at a tiny size and gives sane figures.

No timing is asserted: speed is measured by the benchmark, not by tests.
"""

from __future__ import annotations

import json
import math

import orjson
import pytest

from bench.generate import copy_prefix, generate
from bench.import_rate import baseline_import, lyssna_import, main, measure, render
from lyssna.formats.twitter_v1 import is_v1_status

POSTS = 2000


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    path = folder / "statuses.jsonl"
    stats = generate(path, POSTS, seed=7, authors=500)
    return folder, path, stats


def test_generated_posts_are_v1_statuses(data):
    _, path, stats = data
    lines = path.read_bytes().splitlines()
    assert len(lines) == stats.posts == POSTS
    statuses = [orjson.loads(line) for line in lines]
    assert all(is_v1_status(s) for s in statuses)
    ids = [s["id"] for s in statuses]
    assert ids == sorted(ids) and len(set(ids)) == POSTS  # snowflake ids grow with time
    assert all(60 <= len(s["text"]) <= 280 for s in statuses)
    assert {s["lang"] for s in statuses} == {"sv", "en"}
    replies = [s for s in statuses if s["in_reply_to_status_id_str"]]
    assert 0.2 < len(replies) / POSTS < 0.4
    earlier = set()
    in_file = 0
    for s in statuses:
        if s["in_reply_to_status_id_str"] in earlier:
            in_file += 1
        earlier.add(s["id_str"])
    assert in_file == stats.replies - stats.orphans  # replies point at earlier posts (or at missing ones)


def test_generation_is_deterministic(data, tmp_path):
    _, path, _ = data
    again = tmp_path / "again.jsonl"
    generate(again, POSTS, seed=7, authors=500)
    assert again.read_bytes() == path.read_bytes()
    assert copy_prefix(path, tmp_path / "head.jsonl", 10) == 10
    assert (tmp_path / "head.jsonl").read_bytes() == b"".join(path.read_bytes().splitlines(keepends=True)[:10])


def test_baseline_and_lyssna_import_everything(data, tmp_path):
    _, path, stats = data
    base = baseline_import(str(path), str(tmp_path / "base.duckdb"))
    assert base["posts"] == POSTS and base["seconds"] > 0
    lys = lyssna_import(str(path), str(tmp_path / "lyssna.duckdb"))
    assert lys["posts"] == POSTS and lys["seconds"] > 0
    assert lys["report"] == {"read": POSTS, "imported": POSTS, "duplicate": 0, "quarantined": 0}
    assert lys["store"]["posts"] == POSTS
    assert lys["store"]["replies"] == stats.replies
    # replies to posts not in the file (and their own replies) have an unknown depth
    assert lys["store"]["orphans"] >= stats.orphans > 0
    assert lys["store"]["unresolved"] == 0 and lys["store"]["max_depth"] >= 1
    assert all(v >= 0 or name.strip().startswith("rest") for name, v in lys["phases"].items())


def test_measure_gives_sane_figures(data, capsys):
    folder, path, _ = data
    # measure() generates its own file in the folder; tiny size, one run
    result = measure(POSTS, 1, folder, authors=500)
    rate = result["rate"]
    assert rate["baseline"]["posts"] == POSTS // 4 == rate["lyssna"]["posts"]
    for kind in ("baseline", "lyssna"):
        assert rate[kind]["posts_per_s"] > 0 and rate[kind]["peak_rss_mib"] > 0
        assert result["full"][kind]["posts"] == POSTS
        assert result["memory"][kind]["peak_rss_full_mib"] > 0
    assert rate["lyssna"]["report"]["imported"] == POSTS // 4
    assert result["full"]["lyssna"]["report"]["imported"] == POSTS
    assert 0 < rate["ratio"] and math.isfinite(result["memory"]["lyssna"]["ratio"])
    table = render(result)
    assert "lyssna import" in table and "peak RSS" in table
    json.dumps(result)  # --json can print it


def test_command_line_json(tmp_path, capsys):
    assert main(["--posts", "400", "--runs", "1", "--no-full", "--authors", "100", "--workdir", str(tmp_path),
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rate"]["lyssna"]["report"]["imported"] == 100
    assert result["rate"]["baseline"]["posts_per_s"] > 0
