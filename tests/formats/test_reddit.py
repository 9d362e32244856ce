"""Reddit API JSON: our fixtures (a comments page, a single comment, Pushshift-style lines) and the
RumourEval 2019 Reddit threads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lyssna.errors import RecordError
from lyssna.formats.base import Problem, Sample
from lyssna.formats.reddit import Reddit, map_document
from lyssna.models import Post
from lyssna.pipeline import import_paths

from ..helpers import FIXTURES, INT_FIELDS, TEXT_FIELDS, balanced, json_paths, json_values, need, only, replaced

REG = only("lyssna.formats.reddit")
HERE = FIXTURES / "reddit"


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))



def _things(node):
    """Every (kind, data) in a Reddit document, replies included, found independently of the format."""
    if isinstance(node, list):
        for item in node:
            yield from _things(item)
    elif isinstance(node, dict) and node.get("kind") == "Listing":
        yield from _things(node["data"]["children"])
    elif isinstance(node, dict) and "kind" in node:
        yield node["kind"], node["data"]
        if isinstance(node["data"].get("replies"), dict):
            yield from _things(node["data"]["replies"])


def _tree_depths(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n.native_id, n.depth
        stack.extend(n.children)


# -- our fixtures -----------------------------------------------------------------------------------


def test_comments_page(store):
    page = _load(HERE / "comments_page.json")
    things = list(_things(page))
    posts = [(k, d) for k, d in things if k in ("t1", "t3")]
    stubs = [d for k, d in things if k == "more"]
    assert stubs  # the fixture has "load more" and "continue this thread" stubs
    report = import_paths(store, [HERE / "comments_page.json"], reg=REG)
    balanced(report)
    # every comment but the one without created_utc; the stubs are not posts and not problems
    assert (report.imported, report.quarantined) == (len(posts) - 1, 1)
    (row,) = store.quarantine()
    assert row[1] == "item 2, children[2].t1_c6" and "created_utc" in row[2]

    sub = next(d for k, d in posts if k == "t3")
    post = store.get_post(f"reddit:{sub['name']}")
    assert post.kind == "post" and post.site == f"r/{sub['subreddit']}"
    assert post.title == "Strömavbrott i Kiruna igen & ingen info från Norrsken"
    assert post.text.startswith(post.title + "\n\n") and "\n\n> Vi felsöker nätet" in post.text
    assert post.url == f"https://www.reddit.com{sub['permalink']}"
    assert (post.likes, post.replies, post.reposts) == (sub["score"], sub["num_comments"], sub["num_crossposts"])
    assert post.author_handle == sub["author"] and post.author_id == sub["author"]
    assert post.created_at.timestamp() == sub["created_utc"]

    comment = store.get_post("reddit:t1_c1")
    assert comment.kind == "comment" and comment.reply_to == sub["name"] and comment.conversation_id == sub["name"]
    assert comment.text == "Samma i Luleå. <3 till alla som fryser."
    assert "replies" not in comment.raw  # each reply is a post of its own


def test_deleted_and_removed_comments_stay_in_the_tree(store):
    import_paths(store, [HERE / "comments_page.json"], reg=REG)
    deleted = store.get_post("reddit:t1_c4")
    assert deleted.text == "" and deleted.author_id is None and deleted.raw["body"] == "[deleted]"
    removed = store.get_post("reddit:t1_c2")
    assert removed.text == "" and removed.author_handle == "someone_else"
    # the deleted comment still carries its replies: root → c1 → c3 → c4 → c5
    tree = store.thread("reddit:t1_c5")
    depths = dict(_tree_depths(tree))
    assert tree.native_id == "t3_1abcde"
    assert (depths["t1_c1"], depths["t1_c3"], depths["t1_c4"], depths["t1_c5"]) == (1, 2, 3, 4)
    assert store.get_post("reddit:t1_c5").depth == 4


def test_a_reply_arriving_before_its_thread(store):
    late = _load(HERE / "late_reply.json")["data"]
    import_paths(store, [HERE / "late_reply.json"], reg=REG)
    post = store.get_post(f"reddit:{late['name']}")
    assert post.depth is None and post.root_id == late["link_id"]  # anchored at the submission
    import_paths(store, [HERE / "comments_page.json"], reg=REG)
    post = store.get_post(f"reddit:{late['name']}")
    parent = store.get_post(f"reddit:{late['parent_id']}")
    assert post.depth == parent.depth + 1 == 5 and post.root_id == late["link_id"]
    assert store.stats().orphans == 0


def test_bare_objects_one_per_line(store):
    lines = (HERE / "pushshift.jsonl").read_text(encoding="utf-8").splitlines()
    report = import_paths(store, [HERE / "pushshift.jsonl"], reg=REG)
    balanced(report)
    assert (report.imported, report.quarantined) == (3, 2)
    reasons = {loc: reason for _s, loc, reason, _r in store.quarantine()}
    assert reasons["line 4"].startswith("invalid JSON")
    assert "parent_id" in reasons["line 5, t1_kq0002"]
    link = json.loads(lines[0])
    post = store.get_post(f"reddit:t3_{link['id']}")
    assert post.text == post.title == link["title"]  # a link post's text is its title
    gone = store.get_post(f"reddit:t3_{json.loads(lines[1])['id']}")
    assert gone.text == gone.title and gone.author_id is None  # removed self text, deleted author
    comment = store.get_post(f"reddit:t1_{json.loads(lines[2])['id']}")
    assert comment.reply_to == link.get("name", f"t3_{link['id']}") and comment.depth == 1


def test_more_stub_alone_imports_nothing(tmp_path, store):
    page = _load(HERE / "comments_page.json")
    stub = next({"kind": k, "data": d} for k, d in _things(page) if k == "more")
    path = tmp_path / "more.json"
    path.write_text(json.dumps(stub))
    report = import_paths(store, [path], reg=REG)
    assert report.files[0].format == "reddit" and report.read == 0 and store.count_posts() == 0


def test_importing_twice_imports_nothing_new(store):
    first = import_paths(store, [HERE], reg=REG)
    assert first.imported > 0
    again = import_paths(store, [HERE], reg=REG, force=True)
    balanced(again)
    assert again.imported == 0 and again.quarantined == first.quarantined


@pytest.mark.parametrize("path", [FIXTURES / "twitter_v1" / "statuses.jsonl", FIXTURES / "mastodon" / "context.json",
                                  FIXTURES / "bluesky" / "thread.json"])
def test_other_platforms_are_not_claimed(path):
    assert Reddit().sniff(Sample.of(path)) == 0


# -- RumourEval 2019 Reddit threads ---------------------------------------------------------------------


def _rumoureval(shared_data: Path) -> Path:
    return need(shared_data / "rumoureval2019_reddit_twitter" / "rumoureval-2019-training-data")


def test_rumoureval_counts(shared_data, store):
    root = _rumoureval(shared_data)
    names: set[str] = set()
    stubs = 0
    for raw in root.glob("*/*/raw.json"):
        for kind, data in _things(_load(raw)):
            if kind in ("t1", "t3"):
                names.add(data["name"])
            else:
                stubs += 1
    report = import_paths(store, [root], reg=REG)
    balanced(report)
    assert report.quarantined == 0
    assert report.imported == len(names) == store.count_posts()
    assert stubs > 0  # "more" stubs exist in the data and were passed over
    # structure.json and the stance keys are not Reddit posts
    skipped = {Path(f.path).name for f in report.files if f.status == "skipped"}
    assert skipped == {"structure.json", "train-key.json", "dev-key.json"}
    assert import_paths(store, [root], reg=REG, force=True).imported == 0


def test_rumoureval_thread_depth(shared_data, store):
    thread = need(_rumoureval(shared_data) / "reddit-dev-data" / "8j9s33")
    things = [(k, d) for k, d in _things(_load(thread / "raw.json")) if k in ("t1", "t3")]
    comments = [d for k, d in things if k == "t1"]
    import_paths(store, [thread / "raw.json"], reg=REG)
    stats = store.stats()
    assert stats.orphans == 0 and stats.max_depth == max(c["depth"] for c in comments) + 1
    tree = store.thread("reddit:t3_8j9s33")
    assert sorted(c.native_id for c in tree.children) == sorted(c["name"] for c in comments
                                                                if c["parent_id"] == "t3_8j9s33")
    depths = dict(_tree_depths(tree))
    assert len(depths) == len(things)
    assert all(depths[c["name"]] == c["depth"] + 1 for c in comments)
    deleted = [c for c in comments if c["body"] in ("[deleted]", "[removed]")]
    assert deleted and all(store.get_post(f"reddit:{c['name']}").text == "" for c in deleted)


def test_rumoureval_replies_before_raw(shared_data, store):
    thread = need(_rumoureval(shared_data) / "reddit-training-data" / "49l01s")
    link = "t3_49l01s"
    report = import_paths(store, [thread / "replies"], reg=REG)
    balanced(report)
    top = store.con.execute("SELECT native_id FROM posts WHERE reply_to = ?", [link]).fetchall()
    assert top and all(store.get_post(f"reddit:{n}").depth is None for (n,) in top)  # the submission is missing
    assert store.stats().orphans > 0
    import_paths(store, [thread / "source-tweet"], reg=REG)
    assert store.stats().orphans == 0
    assert all(store.get_post(f"reddit:{n}").depth == 1 for (n,) in top)
    before = store.count_posts()
    again = import_paths(store, [thread / "raw.json"], reg=REG)
    balanced(again)
    names = {d["name"] for k, d in _things(_load(thread / "raw.json")) if k in ("t1", "t3")}
    assert again.imported == len(names) - before  # raw.json holds nothing the per-post files lacked
    tree = store.thread(f"reddit:{link}")
    assert {n for n, _ in _tree_depths(tree)} == names


# -- properties -------------------------------------------------------------------------------------





PAGE = _load(HERE / "comments_page.json")
PAGE_PATHS = list(json_paths(PAGE))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PAGE_PATHS), json_values)
def test_any_damage_is_a_record_error_or_a_problem(path, value):
    try:
        items = map_document(replaced(PAGE, path, value))
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


def _tree(parent_of: list[int]) -> tuple[list, dict[str, str | None]]:
    """A submission and a comment tree: comment i replies to comment ``parent_of[i]`` when that is earlier,
    else to the submission."""
    sub = {"kind": "t3", "data": {"name": "t3_root", "title": "t", "selftext": "", "subreddit": "s",
                                  "created_utc": 1700000000, "num_comments": len(parent_of)}}
    nodes: list[dict] = []
    parents: dict[str, str | None] = {"t3_root": None}
    top: list[dict] = []
    for i, parent in enumerate(parent_of):
        name = f"t1_c{i}"
        parent_name = "t3_root" if parent >= i else f"t1_c{parent}"
        node = {"kind": "t1", "data": {"name": name, "body": f"c{i}", "parent_id": parent_name, "link_id": "t3_root",
                                       "subreddit": "s", "created_utc": 1700000000 + i, "replies": ""}}
        parents[name] = parent_name
        if parent >= i:
            top.append(node)
        else:
            holder = nodes[parent]["data"]
            if not holder["replies"]:
                holder["replies"] = {"kind": "Listing", "data": {"children": []}}
            holder["replies"]["data"]["children"].append(node)
        nodes.append(node)
    return [{"kind": "Listing", "data": {"children": [sub]}},
            {"kind": "Listing", "data": {"children": top}}], parents


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), max_size=40))
def test_comment_trees_are_flattened_with_their_links(parent_of):
    doc, parents = _tree(parent_of)
    posts = map_document(doc)
    assert all(isinstance(p, Post) for p in posts)
    assert {p.native_id: p.reply_to for p in posts} == parents
