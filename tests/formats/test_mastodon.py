"""Mastodon API JSON: our fixtures (recorded responses, JSON lines, notifications) and Mastodon.py's
recorded responses from mastodon.social."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings, strategies as st

from lyssna.errors import RecordError, UnknownFormat
from lyssna.formats.base import Problem, Sample
from lyssna.formats.mastodon import Mastodon, map_document
from lyssna.models import Post
from lyssna.pipeline import import_paths

from ..helpers import FIXTURES, INT_FIELDS, TEXT_FIELDS, balanced, json_paths, json_values, need, only, replaced

REG = only("lyssna.formats.mastodon")
HERE = FIXTURES / "mastodon"


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))



# -- our fixtures -----------------------------------------------------------------------------------


def test_context_keys_replies_in_the_serving_instances_id_space(store):
    report = import_paths(store, [HERE / "context.json"], reg=REG)
    balanced(report)
    body = _load(HERE / "context.json")["body"]
    statuses = body["ancestors"] + body["descendants"]
    assert report.imported == len(statuses) - 1 and report.quarantined == 1
    (row,) = store.quarantine()
    assert row[1] == "document, body.descendants[2]" and "created_at" in row[2]
    # A remote author's reply is keyed by the instance that served it, and links to its parent there.
    remote = body["descendants"][1]
    assert "@" in remote["account"]["acct"]
    post = store.get_post(f"mastodon:social.example:{remote['id']}")
    assert post.reply_to == f"social.example:{remote['in_reply_to_id']}"
    assert post.site == urlsplit(remote["uri"]).hostname != "social.example"
    assert post.author_handle == remote["account"]["acct"]
    assert post.raw["uri"] == remote["uri"] and post.raw["visibility"] == remote["visibility"]


def test_focal_status_arriving_after_its_context_completes_the_tree(store):
    import_paths(store, [HERE / "context.json"], reg=REG)
    body = _load(HERE / "context.json")["body"]
    root_id = f"social.example:{body['ancestors'][0]['id']}"
    last = f"social.example:{body['descendants'][1]['id']}"
    # The focal status (named in request_uri) is not in its own context: a placeholder, anchored at the root.
    tree = store.thread(f"mastodon:{last}")
    assert tree.native_id == root_id and tree.post is not None
    (placeholder,) = tree.children
    assert placeholder.post is None and placeholder.native_id == "social.example:109000000000000102"
    assert store.get_post(f"mastodon:{last}").depth is None

    import_paths(store, [HERE / "status.json"], reg=REG)
    tree = store.thread(f"mastodon:{last}")
    chain = []
    node = tree
    while node.children:
        (node,) = node.children
        chain.append(node)
    assert [n.post is not None for n in chain] == [True] * len(chain)
    assert [n.native_id for n in chain][-1] == last and len(chain) == 3
    assert store.get_post(f"mastodon:{last}").depth == 3
    assert store.stats().orphans == 0


def test_fields_of_a_status(store):
    import_paths(store, [HERE / "context.json"], reg=REG)
    root = _load(HERE / "context.json")["body"]["ancestors"][0]
    post = store.get_post(f"mastodon:social.example:{root['id']}")
    assert post.kind == "post" and post.lang == root["language"]
    assert "<" not in post.text and "&amp;" not in post.text
    assert post.text.startswith("Strömavbrott igen i Kiruna") and "#strömavbrott & ingen info!" in post.text
    assert post.url == root["url"] and post.site == "social.example"
    assert post.author_handle == f"{root['account']['acct']}@social.example"
    assert post.author_followers == root["account"]["followers_count"]
    assert post.author_name == root["account"]["display_name"]
    assert (post.likes, post.replies, post.reposts) == (
        root["favourites_count"], root["replies_count"], root["reblogs_count"])
    assert post.created_at.isoformat().startswith(root["created_at"][:19])


def test_json_lines_boost_content_warning_and_bad_lines(store):
    report = import_paths(store, [HERE / "timeline.jsonl"], reg=REG)
    balanced(report)
    lines = (HERE / "timeline.jsonl").read_text(encoding="utf-8").splitlines()
    boost, warned = json.loads(lines[0]), json.loads(lines[1])
    # three statuses plus the boosted one; a cut-off line and one without an account are quarantined
    assert report.imported == 4 and report.quarantined == 2
    reasons = {loc: reason for _s, loc, reason, _r in store.quarantine()}
    assert reasons["line 4"].startswith("invalid JSON")
    assert "'account'" in reasons["line 5, status"]
    repost = store.get_post(f"mastodon:social.example:{boost['id']}")
    assert repost.kind == "repost"
    original = store.get_post(f"mastodon:social.example:{boost['reblog']['id']}")
    assert original.kind == "post" and original.text == "Elpriset stiger i norr <3 ingen"
    assert repost.text == original.text
    assert store.con.execute("SELECT repost_of FROM posts WHERE native_id = ?",
                             [repost.native_id]).fetchone()[0] == original.native_id
    cw = store.get_post(f"mastodon:social.example:{warned['id']}")
    assert cw.title == warned["spoiler_text"] and cw.raw["visibility"] == "private"


def test_notifications_without_a_status_are_not_posts(store):
    report = import_paths(store, [HERE / "notifications.json"], reg=REG)
    balanced(report)
    notes = _load(HERE / "notifications.json")
    with_status = [n for n in notes if n.get("status")]
    assert len(with_status) < len(notes)
    assert (report.imported, report.quarantined) == (len(with_status), 0)
    mention = store.get_post(f"mastodon:social.example:{with_status[0]['status']['id']}")
    assert mention.text.startswith("@norrsken")


def test_importing_twice_imports_nothing_new(store):
    first = import_paths(store, [HERE], reg=REG)
    assert first.imported > 0
    again = import_paths(store, [HERE], reg=REG, force=True)
    balanced(again)
    assert again.imported == 0 and again.duplicate == first.imported + first.duplicate


@pytest.mark.parametrize("path", [FIXTURES / "twitter_v1" / "statuses.jsonl", FIXTURES / "bluesky" / "thread.json",
                                  FIXTURES / "reddit" / "comments_page.json"])
def test_other_platforms_are_not_claimed(path):
    assert Mastodon().sniff(Sample.of(path)) == 0


def test_an_account_entity_is_not_claimed(tmp_path, store):
    account = _load(HERE / "status.json")["body"]["account"]
    path = tmp_path / "account.json"
    path.write_text(json.dumps({"request_method": "GET", "request_uri": "https://social.example/api/v1/accounts/12",
                                "status": 200, "body": account}))
    with pytest.raises(UnknownFormat):
        import_paths(store, [path], reg=REG)


# -- Mastodon.py's recorded responses (mastodon.social) --------------------------------------------------


def _statuses(node):
    """Statuses in a response body, found independently of the format's own walk."""
    if isinstance(node, list):
        for item in node:
            yield from _statuses(item)
    elif isinstance(node, dict):
        if "content" in node and "account" in node and "uri" in node:
            yield node
            if node.get("reblog"):
                yield from _statuses(node["reblog"])
            return
        for key in ("ancestors", "descendants", "statuses", "status", "last_status"):
            if node.get(key):
                yield from _statuses(node[key])


def test_recorded_responses(shared_data, store):
    folder = need(shared_data / "formats" / "mastodon_api" / "responses")
    expected = set()
    for path in folder.glob("*.json"):
        doc = _load(path)
        host = urlsplit(doc["request_uri"]).hostname
        expected |= {f"{host}:{s['id']}" for s in _statuses(doc["body"])}
    report = import_paths(store, [folder], reg=REG)
    balanced(report)
    assert report.quarantined == 0
    assert report.imported == len(expected) > 0
    assert {r[0] for r in store.con.execute("SELECT native_id FROM posts").fetchall()} == expected
    # accounts, instances and trends are Mastodon too, but hold no posts: skipped, not imported
    skipped = [Path(f.path).name for f in report.files if f.status == "skipped"]
    assert "test_entity_account_00.json" in skipped and "test_entity_tag_02.json" in skipped
    assert import_paths(store, [folder], reg=REG, force=True).imported == 0


def test_recorded_status_fields(shared_data, store):
    path = need(shared_data / "formats" / "mastodon_api" / "responses" / "test_entity_status_00.json")
    status = _load(path)["body"]
    import_paths(store, [path], reg=REG)
    post = store.get_post(f"mastodon:mastodon.social:{status['id']}")
    assert post.title == status["spoiler_text"] != ""
    assert post.author_handle == status["account"]["acct"]  # a remote account: already user@domain
    assert post.author_followers == status["account"]["followers_count"]
    assert post.site == urlsplit(status["uri"]).hostname
    assert "<" not in post.text
    for tag in status["tags"]:
        assert f"#{tag['name']}".lower() in post.text.lower()
    assert post.likes == status["favourites_count"] and post.lang == status["language"]
    assert post.raw["uri"] == status["uri"]


def test_recorded_context_tree(shared_data, store):
    path = need(shared_data / "formats" / "mastodon_api" / "responses" / "test_entity_context_00.json")
    doc = _load(path)
    focal = urlsplit(doc["request_uri"]).path.split("/")[-2]
    ancestors, descendants = doc["body"]["ancestors"], doc["body"]["descendants"]
    import_paths(store, [path], reg=REG)
    child = descendants[-1]
    tree = store.thread(f"mastodon:mastodon.social:{child['id']}")
    assert tree.native_id == f"mastodon.social:{ancestors[0]['id']}" and tree.post is not None
    ids = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        ids.add(node.native_id)
        stack.extend(node.children)
    assert f"mastodon.social:{focal}" in ids and f"mastodon.social:{child['id']}" in ids


# -- properties -------------------------------------------------------------------------------------





DOCS = [_load(HERE / "context.json"), _load(HERE / "notifications.json"), json.loads((HERE / "timeline.jsonl").read_text(encoding="utf-8").splitlines()[0])]
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
