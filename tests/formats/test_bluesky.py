"""Bluesky / AT Protocol JSON: our fixtures (thread, feed, Jetstream, records) and the atproto SDK's test
data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lyssna.errors import RecordError, UnknownFormat
from lyssna.formats.base import Problem, Sample
from lyssna.formats.bluesky import Bluesky, map_document
from lyssna.models import Post
from lyssna.pipeline import import_paths

from ..helpers import FIXTURES, INT_FIELDS, TEXT_FIELDS, balanced, json_paths, json_values, need, only, replaced

REG = only("lyssna.formats.bluesky")
HERE = FIXTURES / "bluesky"


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))



def _walk(node):
    """(depth, native id) of every node of a stored thread."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n.depth, n.native_id, n.post
        stack.extend(n.children)


# -- our fixtures -----------------------------------------------------------------------------------


def test_thread_view(store):
    doc = _load(HERE / "thread.json")
    focal = doc["thread"]["post"]
    root = doc["thread"]["parent"]["post"]
    first_reply = doc["thread"]["replies"][0]
    nested = first_reply["replies"][0]["post"]
    report = import_paths(store, [HERE / "thread.json"], reg=REG)
    balanced(report)
    # focal, its parent, one reply with a nested reply, the quoted post; a reply without its URI is
    # quarantined and a notFoundPost is no post at all
    assert (report.imported, report.quarantined) == (5, 1)
    (row,) = store.quarantine()
    assert row[1] == "document, thread.replies[2].post" and "URI" in row[2]
    post = store.get_post(f"bluesky:{focal['uri']}")
    assert post.kind == "reply" and post.reply_to == root["uri"] and post.conversation_id == root["uri"]
    assert post.author_id == focal["author"]["did"] and post.author_handle == focal["author"]["handle"]
    assert post.author_name == focal["author"]["displayName"]
    rkey = focal["uri"].rsplit("/", 1)[1]
    assert post.url == f"https://bsky.app/profile/{focal['author']['handle']}/post/{rkey}"
    assert post.site == "bsky.app" and post.lang == focal["record"]["langs"][0]
    assert (post.likes, post.replies, post.reposts, post.quotes) == (
        focal["likeCount"], focal["replyCount"], focal["repostCount"], focal["quoteCount"])
    quoted = focal["record"]["embed"]["record"]["uri"]
    assert store.con.execute("SELECT quote_of FROM posts WHERE native_id = ?", [focal["uri"]]).fetchone()[0] == quoted
    assert store.get_post(f"bluesky:{quoted}").text == focal["embed"]["record"]["value"]["text"]
    # the tree: root → focal → reply → nested reply
    tree = store.thread(f"bluesky:{nested['uri']}")
    assert tree.native_id == root["uri"]
    depths = {nid: depth for depth, nid, _ in _walk(tree)}
    assert depths[focal["uri"]] == 1 and depths[first_reply["post"]["uri"]] == 2 and depths[nested["uri"]] == 3
    assert store.get_post(f"bluesky:{nested['uri']}").depth == 3


def test_feed_items_their_reply_context_and_reposts(store):
    doc = _load(HERE / "author_feed.json")
    report = import_paths(store, [HERE / "author_feed.json"], reg=REG)
    balanced(report)
    uris = {item["post"]["uri"] for item in doc["feed"]}
    uris |= {item["reply"][k]["uri"] for item in doc["feed"] if "reply" in item for k in ("root", "parent")}
    reposts = [item["reason"] for item in doc["feed"] if "reason" in item]
    assert report.imported == len(uris) + len(reposts) and report.quarantined == 0
    (reason,) = reposts
    repost = store.get_post(f"bluesky:{reason['uri']}")
    reposted = next(item["post"] for item in doc["feed"] if "reason" in item)
    assert repost.kind == "repost" and repost.author_id == reason["by"]["did"]
    assert repost.text == reposted["record"]["text"]
    assert store.con.execute("SELECT repost_of FROM posts WHERE native_id = ?",
                             [reason["uri"]]).fetchone()[0] == reposted["uri"]
    reply = doc["feed"][0]["post"]
    assert store.thread(f"bluesky:{reply['uri']}").native_id == doc["feed"][0]["reply"]["root"]["uri"]


def test_a_bare_post_record_is_quarantined_with_a_reason(store):
    report = import_paths(store, [HERE / "bare_record.json"], reg=REG)
    balanced(report)
    assert (report.imported, report.quarantined) == (0, 1)
    (row,) = store.quarantine()
    assert "without its at:// URI cannot be keyed" in row[2]
    assert "Bara en post utan adress" in row[3]


def test_jetstream_posts_are_posts_and_the_rest_is_passed_over(store):
    lines = [json.loads(line) for line in (HERE / "jetstream.jsonl").read_text().splitlines()]
    creates = [e for e in lines if e["kind"] == "commit" and e["commit"]["operation"] == "create"
               and e["commit"]["collection"] == "app.bsky.feed.post"]
    report = import_paths(store, [HERE / "jetstream.jsonl"], reg=REG)
    balanced(report)
    assert report.imported == len(creates) - 1 and report.quarantined == 1
    (row,) = store.quarantine()
    assert "createdAt" in row[2]
    reply = next(e for e in creates if "reply" in e["commit"]["record"])
    uri = f"at://{reply['did']}/app.bsky.feed.post/{reply['commit']['rkey']}"
    post = store.get_post(f"bluesky:{uri}")
    assert post.reply_to == reply["commit"]["record"]["reply"]["parent"]["uri"]
    assert post.depth == 1 and post.author_id == reply["did"]


def test_like_records_are_not_claimed(store):
    assert Bluesky().sniff(Sample.of(HERE / "like_record.json")) == 0
    with pytest.raises(UnknownFormat):
        import_paths(store, [HERE / "like_record.json"], reg=REG)
    report = import_paths(store, [HERE], reg=REG)
    (like,) = [f for f in report.files if f.path.endswith("like_record.json")]
    assert like.status == "skipped" and like.format is None


def test_importing_twice_imports_nothing_new(store):
    first = import_paths(store, [HERE], reg=REG)
    assert first.imported > 0
    again = import_paths(store, [HERE], reg=REG, force=True)
    balanced(again)
    assert again.imported == 0 and again.quarantined == first.quarantined


@pytest.mark.parametrize("path", [FIXTURES / "twitter_v1" / "statuses.jsonl", FIXTURES / "mastodon" / "context.json",
                                  FIXTURES / "reddit" / "comments_page.json"])
def test_other_platforms_are_not_claimed(path):
    assert Bluesky().sniff(Sample.of(path)) == 0


# -- the atproto SDK's test data -------------------------------------------------------------------------


def test_atproto_folder(shared_data, store):
    folder = need(shared_data / "formats" / "bluesky_atproto")
    thread = _load(folder / "thread_view_post_with_embed_media.json")["thread"]
    records = [_load(folder / name) for name in ("post_record.json", "extended_post_record.json")]
    report = import_paths(store, [folder], reg=REG)
    balanced(report)
    assert report.quarantined == 0
    expected = {thread["post"]["uri"], thread["post"]["embed"]["record"]["record"]["uri"]} | {r["uri"] for r in records}
    assert {r[0] for r in store.con.execute("SELECT native_id FROM posts").fetchall()} == expected
    claimed = {Path(f.path).name for f in report.files if f.format == "bluesky"}
    assert claimed == {"thread_view_post_with_embed_media.json", "post_record.json", "extended_post_record.json"}
    for name in ("like_record.json", "extended_like_record.json", "get_follows.json", "did_doc.json",
                 "feed_record.json", "resolve_handle.json", "custom_record.json"):
        assert Bluesky().sniff(Sample.of(folder / name)) == 0, name
    post = store.get_post(f"bluesky:{thread['post']['uri']}")
    assert post.kind == "quote" and post.text == thread["post"]["record"]["text"]
    assert post.author_handle == thread["post"]["author"]["handle"]
    record = store.get_post(f"bluesky:{records[0]['uri']}")
    assert record.text == records[0]["value"]["text"] and record.author_id == records[0]["uri"].split("/")[2]
    assert import_paths(store, [folder], reg=REG, force=True).imported == 0


# -- properties -------------------------------------------------------------------------------------





DOCS = [_load(HERE / "thread.json"), _load(HERE / "author_feed.json"), json.loads((HERE / "jetstream.jsonl").read_text().splitlines()[2])]
DAMAGE = [(doc, path) for doc in DOCS for path in json_paths(doc)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DAMAGE), json_values)
def test_any_damage_is_a_record_error_or_a_problem(where, value):
    doc, path = where
    try:
        items = map_document(replaced(doc, path, value))
    except RecordError:
        return
    assert all(isinstance(i, (Post, Problem)) for i in items)
    for post in items:
        if isinstance(post, Post):  # what the store's columns take
            assert all(isinstance(getattr(post, f), (str, type(None))) for f in TEXT_FIELDS), post
            assert all(isinstance(getattr(post, f), (int, type(None))) for f in INT_FIELDS), post
            a = post.author
            assert a is None or (isinstance(a.native_id, str) and all(
                isinstance(v, (str, type(None))) for v in (a.handle, a.name, a.url))
                and isinstance(a.followers, (int, type(None)))), a
