"""Topics, matches and search kept in step with the store: at ingest, on add and edit, after a crash."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

import lyssna
from lyssna.errors import LyssnaError, NotFound, QueryError
from lyssna.query.analysis import analyse
from lyssna.query.evaluate import compile_test
from lyssna.query.parser import parse
from lyssna.testing import EPOCH, make_post

TEXTS = [
    "Norrsken Energi höjer elpriset igen #elpris",
    "Bytte till norrsken, billig elbil-laddning hemma",
    "Norrsken söker säljare, sök jobbet här",
    "Jag gillar Volvo men laddningen är dyr",
    "@norrsken när kommer fakturan? Kundtjänsten svarar inte",
    "Café i Umeå har elbil laddare",
    "Norrsken energi kundtjänst är snabb",
    "Vattenfall och Norrsken jämför elpriser",
]


def _posts(start: int, texts: list[str], minutes: int = 0):
    return [make_post(str(start + i), text=t, minutes=minutes + 60 * i, lang="sv",
                      author="anna" if i % 2 else "bertil") for i, t in enumerate(texts)]


@pytest.fixture
def project(tmp_path):
    with lyssna.init(tmp_path / "p") as p:
        p.store.write_batch(_posts(1, TEXTS))
        yield p


def _expected(project, query: str) -> set[int]:
    test = compile_test(parse(query).tree)
    items = project.store.match_inputs(0, 10_000)
    return {i.key for i in items if test(analyse(i))}


def _matched(project, name: str) -> set[int]:
    topic = project.listening.topic(name)
    rows = project.store.con.execute("SELECT post_key FROM matches WHERE topic_id = ?", [topic.id]).fetchall()
    return {r[0] for r in rows}


def test_add_backfills_and_new_posts_are_matched_at_ingest(project):
    query = "norrsken NOT (jobb* OR säljare)"
    topic = project.add_topic("norrsken", query)
    assert topic.version == 1 and topic.matches == len(_expected(project, query)) == 5
    before = _matched(project, "norrsken")
    project.store.write_batch(_posts(100, ["Norrsken har bra elpris", "Norrsken jobb finns", "inget här"],
                                     minutes=10_000))
    result = project.listening.catch_up()
    assert result.matched == 3 and result.matches == 1
    after = _matched(project, "norrsken")
    assert len(after - before) == 1 and after == _expected(project, query)
    assert project.search(query).total == len(after)


def test_search_is_newest_first_with_a_period_and_a_limit(project):
    result = project.search("norrsken", limit=3)
    assert result.total == 6 and len(result.posts) == 3
    times = [p.created_at for p in result.posts]
    assert times == sorted(times, reverse=True)
    since = EPOCH + timedelta(hours=2)
    until = EPOCH + timedelta(hours=6)
    window = project.search("norrsken", since=since, until=until, limit=100)
    assert window.posts and all(since <= p.created_at < until for p in window.posts)
    assert {p.native_id for p in window.posts} == {"3", "5"}


def test_preview_counts_and_samples_before_saving(project):
    preview = project.test_topic('"norrsken energi" OR elpris*', sample=2)
    assert preview.total == 3 and len(preview.sample) == 2
    assert preview.first < preview.last
    assert project.topics() == []


def test_edit_keeps_versions_and_recomputes_matches(project):
    project.add_topic("ladd", "laddning")
    assert _matched(project, "ladd") == _expected(project, "laddning")
    edited = project.edit_topic("ladd", "laddning OR laddare OR laddningen", note="fler former")
    assert edited.version == 2
    assert _matched(project, "ladd") == _expected(project, "laddning OR laddare OR laddningen")
    history = project.topic_history("ladd")
    assert [v.version for v in history] == [1, 2]
    assert [v.query for v in history] == ["laddning", "laddning OR laddare OR laddningen"]
    assert history[0].valid_from <= history[1].valid_from and history[1].note == "fler former"


def test_remove_deletes_topic_and_matches(project):
    project.add_topic("volvo", "volvo")
    project.remove_topic("volvo")
    assert project.topics() == []
    assert project.store.con.execute("SELECT count(*) FROM matches").fetchone()[0] == 0
    with pytest.raises(NotFound, match="no topic named 'volvo'"):
        project.remove_topic("volvo")


def test_a_bad_query_is_refused_before_anything_is_saved(project):
    with pytest.raises(QueryError) as e:
        project.add_topic("trasig", 'norrsken AND "elpris')
    assert "^" in str(e.value)
    assert project.topics() == []
    with pytest.raises(LyssnaError, match="exists already"):
        project.add_topic("a", "norrsken")
        project.add_topic("a", "volvo")


def test_the_index_is_rebuilt_from_the_store_and_matches_are_not_repeated(tmp_path):
    folder = tmp_path / "p"
    with lyssna.init(folder) as p:
        p.store.write_batch(_posts(1, TEXTS))
        p.add_topic("norrsken", "norrsken")
        total = p.search("norrsken").total
        index_folder = p.listening.index.folder
    shutil.rmtree(index_folder)  # lost (or from an older layout): derived data
    with lyssna.open_project(folder) as p:
        assert p.search("norrsken").total == total
        assert p.topics()[0].matches == total  # not matched a second time


def test_an_interrupted_catch_up_leaves_nothing_half_done(project, monkeypatch):
    project.add_topic("norrsken", "norrsken")
    project.store.write_batch(_posts(200, ["norrsken igen", "och norrsken"], minutes=20_000))
    calls = []

    def boom(rows, upto):
        calls.append(upto)
        raise KeyboardInterrupt

    monkeypatch.setattr(project.store, "add_matches", boom)
    with pytest.raises(KeyboardInterrupt):
        project.listening.catch_up()
    monkeypatch.undo()
    assert calls
    project.listening.catch_up()
    assert _matched(project, "norrsken") == _expected(project, "norrsken")
    assert project.search("norrsken").total == len(_expected(project, "norrsken"))


def test_checked_candidates_give_the_same_answer(project):
    query = "(norrsken OR volvo OR vattenfall) NEAR/4 (elpris* OR laddning* OR kundtjänst) NOT jobb"
    exact = project.search(query, limit=100)
    project.listening.index.max_patterns = 0  # every NEAR as a superset, its candidates checked
    checked = project.search(query, limit=100)
    assert checked.total == exact.total == len(_expected(project, query)) > 0
    assert [p.key for p in checked.posts] == [p.key for p in exact.posts]


def test_topics_follow_an_import(tmp_path, fixtures):
    with lyssna.init(tmp_path / "p") as p:
        p.import_paths([fixtures / "twitter_v1"])
        p.add_topic("fedi", "platform:(twitter OR mastodon)")
        with pytest.raises(QueryError, match="a wildcard cannot start"):
            p.add_topic("links", "url:*")
        # The import matches the new posts as they are stored, without any backfill.
        p.import_paths([fixtures / "mastodon"])
        by_platform = dict(p.stats().by_platform)
        assert by_platform.get("mastodon", 0) > 0
        assert p.listening.topic("fedi").matches == by_platform["twitter"] + by_platform["mastodon"]


def test_a_saved_query_that_no_longer_parses_does_not_block_imports(project):
    project.add_topic("norrsken", "norrsken")
    project.store.con.execute("UPDATE topics SET query = 'norrsken AND (', version = 2 WHERE name = 'norrsken'")
    project.store.write_batch(_posts(300, ["norrsken en gång till"], minutes=30_000))
    assert project.listening.catch_up().matched == 1
    assert "norrsken" in project.listening.unreadable


def test_backlog_counts_what_is_not_yet_indexed_or_matched(project):
    assert project.listening.backlog() == len(TEXTS)
    seen = []
    project.listening.catch_up(progress=lambda done, last: seen.append((done, last)))
    assert project.listening.backlog() == 0 and seen[-1][0] == seen[-1][1]
