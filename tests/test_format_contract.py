"""One contract suite for every import format (STYLE.md habit 8), on fixtures we wrote in the real formats."""

from __future__ import annotations

import pytest

from lyssna.plugins import registry
from lyssna.testing import check_format_contract, make_post, memory_store

from .helpers import FIXTURES

FOLDERS = {
    "twitter-v1": "twitter_v1", "twitter-v2": "twitter_v2", "twitter-archive": "twitter_archive/data",
    "mastodon": "mastodon", "bluesky": "bluesky", "reddit": "reddit", "feed": "feeds", "webvtt": "transcripts",
    "srt": "transcripts", "csv": "tabular", "json": "tabular",
}


def test_every_format_has_fixtures():
    assert {f.name for f in registry.formats()} == set(FOLDERS)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_format_contract(name):
    folder = FIXTURES / FOLDERS[name]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    result = check_format_contract(registry.get(name), files, registry)
    assert result.first.read > 0


def test_testing_builders():
    store = memory_store()
    assert store.write_batch([make_post("1"), make_post("2", reply_to="1", minutes=3)]).inserted == 2
    store.resolve_threads()
    assert store.get_post("twitter:2").depth == 1
