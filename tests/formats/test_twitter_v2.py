"""X/Twitter API v2 as written by twarc2: our fixtures (search pages, a filtered stream, flattened output,
a users page) and twarc-csv's test data."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lyssna.errors import RecordError, UnknownFormat
from lyssna.formats.base import MapContext, Problem, RawRecord, Sample
from lyssna.formats.twitter_v2 import TwitterV2, map_page, map_tweet, snowflake_time
from lyssna.models import Post
from lyssna.pipeline import import_paths

from ..helpers import FIXTURES, need, only

REG = only("lyssna.formats.twitter_v2")
HERE = FIXTURES / "twitter_v2"


def _lines(path: Path) -> list:
    """Every line of a JSON-lines file parsed, None for a line that is not JSON, blank lines left out."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append(None)
    return out


def _balanced(report) -> None:
    assert report.read == report.imported + report.duplicate + report.quarantined
    for f in report.files:
        assert f.read == f.imported + f.duplicate + f.quarantined


def _tweets(page: dict) -> list[dict]:
    data = page.get("data")
    return data if isinstance(data, list) else [data] if isinstance(data, dict) else []


def _column(store, name: str, native_id: str):
    """A column the stored post does not expose (quote_of, repost_of)."""
    return store.con.execute(f"SELECT {name} FROM posts WHERE platform = 'twitter' AND native_id = ?",
                             [native_id]).fetchone()[0]


def _sample(path: Path, head: bytes | None = None) -> Sample:
    data = path.read_bytes()
    return Sample(path, data if head is None else head, len(data))


# -- our fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def search() -> list:
    return _lines(HERE / "search.jsonl")


def test_search_pages_counts_and_quarantine(store, search):
    report = import_paths(store, [HERE / "search.jsonl"], reg=REG)
    _balanced(report)
    page1, cut, page2, empty, errors_only = search
    assert cut is None and "data" not in empty and "data" not in errors_only
    # Every tweet of data and includes is a post (a tweet in both is one post); the two data items
    # that are not tweets, each errors entry and the cut-off line are quarantined.
    ids = {t["id"] for p in (page1, page2) for t in _tweets(p) + p["includes"]["tweets"]}
    bad = 2
    assert report.imported == len(ids) - bad == store.count_posts()
    errors = page1["errors"] + errors_only["errors"]
    assert report.quarantined == bad + len(errors) + 1
    reasons = {loc: reason for _s, loc, reason, _r in store.quarantine()}
    assert reasons["line 2"].startswith("invalid JSON")
    assert "created_at" in reasons["line 1, data[6]"]
    assert reasons["line 1, data[7]"] == "item 4004 is a user (@nobody), not a tweet"
    assert reasons["line 1, errors[0]"] == f"API error: Not Found Error: {page1['errors'][0]['detail']}"
    assert reasons["line 1, errors[1]"] == "API error: Forbidden: User has been suspended: [stromtrollet]."
    assert reasons["line 6, errors[0]"].startswith("API error: Not Found Error: Could not find tweet with ids")
    raw = {loc: r for _s, loc, _reason, r in store.quarantine()}
    assert json.loads(raw["line 1, errors[0]"])["resource_id"] == page1["errors"][0]["resource_id"]


def test_fields_of_a_reply(store, search):
    import_paths(store, [HERE / "search.jsonl"], reg=REG)
    page1 = search[0]
    tweet = page1["data"][0]
    user = next(u for u in page1["includes"]["users"] if u["id"] == tweet["author_id"])
    post = store.get_post(f"twitter:{tweet['id']}")
    assert post.kind == "reply" and post.reply_to == tweet["referenced_tweets"][0]["id"]
    assert post.conversation_id == tweet["conversation_id"]
    assert post.author_id == user["id"] and post.author_handle == user["username"] == "kiruna_karin"
    assert post.author_name == user["name"] and post.author_followers == user["public_metrics"]["followers_count"]
    m = tweet["public_metrics"]
    assert (post.likes, post.reposts, post.replies, post.quotes, post.views) == (
        m["like_count"], m["retweet_count"], m["reply_count"], m["quote_count"], m["impression_count"])
    # Twitter's &amp; and &lt; are unescaped
    assert "&amp;" in tweet["text"] and post.text == tweet["text"].replace("&amp;", "&").replace("&lt;", "<")
    assert post.created_at == datetime(2024, 1, 15, 7, 40, 3, tzinfo=timezone.utc)
    assert post.url == f"https://twitter.com/kiruna_karin/status/{tweet['id']}" and post.site == "twitter.com"
    assert post.lang == "sv" and post.raw == tweet
    verified = store.con.execute("SELECT verified FROM authors WHERE native_id = '1001'").fetchone()[0]
    assert verified is True


def test_reply_tree_spans_pages_and_includes(store, search):
    import_paths(store, [HERE / "search.jsonl"], reg=REG)
    page1, _cut, page2, *_ = search
    root = page1["includes"]["tweets"][0]
    late = page2["data"][1]  # a reply, on the second page, to the company's reply on the first
    tree = store.thread(f"twitter:{late['id']}")
    assert tree.native_id == root["id"] and tree.post is not None and tree.post.author_handle == "elbolaget"
    chain = [tree.native_id]
    node = tree
    while node.children:
        (node,) = node.children
        chain.append(node.native_id)
    assert chain == [root["id"], page1["data"][0]["id"], page1["data"][1]["id"], late["id"]]
    assert store.get_post(f"twitter:{late['id']}").depth == 3
    # its author is not in includes.users: known by id only
    post = store.get_post(f"twitter:{late['id']}")
    assert post.author_id == late["author_id"] and post.author_handle is None
    assert post.url == f"https://twitter.com/i/status/{late['id']}"


def test_repost_quote_long_text_withheld_and_time_from_id(store, search):
    import_paths(store, [HERE / "search.jsonl"], reg=REG)
    data = search[0]["data"]
    repost = store.get_post(f"twitter:{data[2]['id']}")
    assert repost.kind == "repost"
    assert _column(store, "repost_of", data[2]["id"]) == data[2]["referenced_tweets"][0]["id"]
    quote = store.get_post(f"twitter:{data[3]['id']}")
    assert quote.kind == "quote" and quote.text == data[3]["note_tweet"]["text"] != data[3]["text"]
    assert len(quote.text) > 280
    assert _column(store, "quote_of", data[3]["id"]) == data[0]["id"]
    withheld = store.get_post(f"twitter:{data[4]['id']}")
    assert withheld.text == data[4]["text"] and withheld.raw["withheld"]["country_codes"] == ["DE"]
    no_time = store.get_post(f"twitter:{data[5]['id']}")
    assert "created_at" not in data[5]
    assert no_time.created_at == datetime(2024, 1, 15, 10, 0, tzinfo=timezone.utc)
    assert no_time.lang is None and data[5]["lang"] == "qme"


def test_each_version_of_an_edited_tweet_is_a_post(store, search):
    import_paths(store, [HERE / "search.jsonl"], reg=REG)
    page2 = search[2]
    first, latest = page2["data"][0]["edit_history_tweet_ids"]
    old, new = store.get_post(f"twitter:{first}"), store.get_post(f"twitter:{latest}")
    assert old.text != new.text and "mars" in new.text
    assert old.raw["edit_history_tweet_ids"] == new.raw["edit_history_tweet_ids"] == [first, latest]


def test_filtered_stream_with_a_cut_off_line(store):
    path = HERE / "stream.jsonl"
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    lines = _lines(path)
    good = [line for line in lines if line is not None]
    assert all(isinstance(line["data"], dict) for line in good) and lines[-1] is None
    # two tweets; the second line includes the first tweet again (a duplicate); the last line is cut off
    assert (report.imported, report.duplicate, report.quarantined) == (len(good), 1, 1)
    ((_s, locator, reason, raw),) = store.quarantine()
    assert locator == f"line {len(lines)}" and reason.startswith("invalid JSON")
    assert raw == path.read_text(encoding="utf-8").splitlines()[-1]
    reply = store.get_post(f"twitter:{good[1]['data']['id']}")
    assert reply.reply_to == good[0]["data"]["id"] and reply.depth == 1
    assert "matching_rules" not in reply.raw


def test_flattened_output_brings_inline_referenced_tweets(store):
    path = HERE / "flat.jsonl"
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    lines = _lines(path)
    inline = [r for line in lines for r in line.get("referenced_tweets", []) if "text" in r]
    assert report.imported == len(lines) + len(inline) and report.quarantined == 0
    retweet = store.get_post(f"twitter:{lines[0]['id']}")
    assert retweet.kind == "repost" and retweet.author_handle == lines[0]["author"]["username"]
    original = store.get_post(f"twitter:{inline[0]['id']}")
    assert original.author_handle == inline[0]["author"]["username"] == "elbolaget"
    assert original.likes == inline[0]["public_metrics"]["like_count"] and "type" not in original.raw
    assert store.get_post(f"twitter:{lines[1]['id']}").raw["__twarc"] == lines[1]["__twarc"]


def test_users_pages_are_not_claimed(store, tmp_path):
    # Named explicitly, a page of users stops the import with the list of formats; in a folder it is
    # reported as skipped and the rest imported.
    with pytest.raises(UnknownFormat, match="no importer recognises"):
        import_paths(store, [HERE / "users.jsonl"], reg=REG)
    assert store.count_posts() == 0
    report = import_paths(store, [HERE], reg=REG)
    _balanced(report)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["users.jsonl"].status == "skipped" and by_name["users.jsonl"].format is None
    assert {f.format for n, f in by_name.items() if n != "users.jsonl"} == {"twitter-v2"}


def test_importing_again_changes_nothing(store):
    first = import_paths(store, [HERE], reg=REG)
    posts, quarantined = store.count_posts(), len(store.quarantine(1000))
    again = import_paths(store, [HERE], reg=REG)
    assert first.imported == posts > 0
    assert (again.read, again.imported) == (0, 0)
    assert {f.status for f in again.files if f.format} == {"unchanged"}
    forced = import_paths(store, [HERE], reg=REG, force=True)
    _balanced(forced)
    assert forced.imported == 0 and forced.duplicate == first.imported + first.duplicate
    assert forced.quarantined == first.quarantined
    assert (store.count_posts(), len(store.quarantine(1000))) == (posts, quarantined)


def test_sniffing():
    fmt = TwitterV2()
    for name in ("search.jsonl", "stream.jsonl"):
        assert fmt.sniff(_sample(HERE / name)) == 90
    assert fmt.sniff(_sample(HERE / "flat.jsonl")) == 85
    assert fmt.sniff(_sample(HERE / "users.jsonl")) == 0
    # A page longer than the sample is judged by the first tweet of its data.
    data = (HERE / "search.jsonl").read_bytes()
    assert data.index(b"\n") > 2000
    assert fmt.sniff(_sample(HERE / "search.jsonl", data[:1500])) == 90
    users = (HERE / "users.jsonl").read_bytes()
    assert fmt.sniff(_sample(HERE / "users.jsonl", users[:700])) == 0


def test_sniffing_made_up_heads(tmp_path):
    fmt = TwitterV2()

    def score(*values) -> int:
        path = tmp_path / "x.jsonl"
        path.write_text("".join(v if isinstance(v, str) else json.dumps(v) + "\n" for v in values))
        return fmt.sniff(Sample.of(path))

    tweet = {"id": "1746789859718070272", "text": "hej", "edit_history_tweet_ids": ["1746789859718070272"]}
    empty = {"meta": {"result_count": 0}, "__twarc": {"version": "2.14.0"}}
    assert score(empty, {"data": [tweet], "meta": {}}) == 90  # an empty page first: look further
    assert score(empty) == 35
    assert score({"errors": [{"title": "Not Found Error"}], "__twarc": {}}) == 50
    assert score({"errors": [{"message": "some other API"}]}) == 0
    assert score("not json\n", {"data": [tweet], "__twarc": {}}) == 90
    assert score({"data": [tweet]}) == 70
    assert score({**tweet, "author_id": "1"}) == 60
    assert score({"data": [{"tweet_count": 3, "start": "2021-10-16T18:21:34.000Z"}], "meta": {}}) == 0
    # v1.1 statuses (id_str) and a Mastodon-like status are not v2
    assert score({"id_str": "1", "id": 1, "text": "x", "created_at": "Wed Oct 10 20:19:24 +0000 2018"}) == 0
    assert score({"id": "1", "content": "<p>x</p>", "account": {}}) == 0
    assert score("") == 0


def test_map_rejects_what_is_not_twarc2():
    fmt = TwitterV2()
    ctx = MapContext(source="x.jsonl")
    with pytest.raises(RecordError, match="not a twarc2 page"):
        list(fmt.map(RawRecord(0, "line 1", payload={"id_str": "1", "text": "v1"}), ctx))
    with pytest.raises(RecordError, match="JSON list"):
        list(fmt.map(RawRecord(0, "line 1", payload=[1, 2]), ctx))
    assert list(fmt.map(RawRecord(0, "line 1", payload={"meta": {"result_count": 0}}), ctx)) == []
    (problem,) = map_page({"data": "oops", "meta": {}})
    assert isinstance(problem, Problem) and problem.locator == "data"


def test_map_tweet_needs_id_text_and_a_time():
    with pytest.raises(RecordError, match="no 'id'"):
        map_tweet({"text": "x", "created_at": "2024-01-15T07:40:03.000Z"})
    with pytest.raises(RecordError, match="no 'text'"):
        map_tweet({"id": "1746799389176758272"})
    with pytest.raises(RecordError, match="too old"):
        map_tweet({"id": "25712847277", "text": "x"})
    assert snowflake_time("25712847277") is None
    post = map_tweet({"id": 1746799389176758272, "text": "x"})
    assert post.native_id == "1746799389176758272" and post.author is None
    assert post.created_at == datetime(2024, 1, 15, 7, 40, 3, tzinfo=timezone.utc)


def test_text_is_unescaped_once():
    # Twitter writes a typed "&lt;" as "&amp;lt;": one pass gives it back; two would make it "<".
    post = map_tweet({"id": "1746799389176758272", "text": "a &amp;lt; b &lt;3 &amp;amp; &gt; AT&T"})
    assert post.text == "a &lt; b <3 &amp; > AT&T"
    note = map_tweet({"id": "1746799389176758272", "text": "short", "note_tweet": {"text": "R&amp;D"}})
    assert note.text == "R&D"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(["id", "text", "created_at", "author_id", "referenced_tweets", "public_metrics",
                            "note_tweet", "lang", "conversation_id", "users", "includes", "data", "errors"]),
       value=_JSON)
def test_bad_values_are_record_errors_or_problems(key, value):
    page = copy.deepcopy(_lines(HERE / "search.jsonl")[0])
    tweet = page["data"][0]
    if key in ("includes", "data", "errors"):
        page[key] = value
    elif key == "users":
        page["includes"]["users"] = value
    else:
        tweet[key] = value
    fmt = TwitterV2()
    try:
        items = list(fmt.map(RawRecord(0, "line 1", payload=page), MapContext(source="x")))
    except RecordError:
        return
    assert all(isinstance(i, (Post, Problem)) for i in items)
    try:
        map_tweet(tweet, {})
    except RecordError:
        pass


# -- twarc-csv's test data --------------------------------------------------------------------------


@pytest.fixture
def twarc(shared_data) -> Path:
    return need(shared_data / "formats" / "twitter_api_v2_twarc2" / "test-data")


def test_brexit_search_page(store, twarc):
    path = twarc / "brexit.jsonl"
    (page,) = _lines(path)
    assert len(page["data"]) == 100  # as the README says
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    ids = {t["id"] for t in page["data"] + page["includes"]["tweets"]}
    assert report.imported == len(ids) == store.count_posts() and report.quarantined == 0
    tweet = next(t for t in page["data"] if t["id"] == "1440716895355764743")
    post = store.get_post("twitter:1440716895355764743")
    assert post.author_handle == "WarmongerHodges" and post.author_id == tweet["author_id"]
    assert post.author_followers == 34920
    assert post.conversation_id == "1440716895355764743" and post.kind == "post" and post.depth == 0
    assert post.text.startswith("The same Labour MPs") and post.text == tweet["text"]
    assert (post.likes, post.reposts, post.replies, post.quotes, post.views) == (0, 0, 0, 0, None)
    assert post.lang == "en" and post.created_at == datetime(2021, 9, 22, 16, 37, 29, tzinfo=timezone.utc)
    kinds = dict(store.stats().by_kind)
    refs = [{r["type"] for r in t.get("referenced_tweets", [])} for t in page["data"]]
    assert kinds["repost"] >= sum("retweeted" in r for r in refs)


def test_brexit_threads(store, twarc):
    import_paths(store, [twarc / "brexit.jsonl"], reg=REG)
    # a reply in data whose parent came in includes.tweets
    reply = store.get_post("twitter:1440716745577140229")
    assert reply.author_handle == "calin_a" and reply.reply_to == "1440621713281093641" and reply.depth == 1
    tree = store.thread("twitter:1440716745577140229")
    assert tree.native_id == "1440621713281093641" and tree.post.author_handle == "AndrewKnight226"
    assert "1440716745577140229" in [c.native_id for c in tree.children]
    # a reply to an included reply whose own parent is missing: the tree hangs from a placeholder root
    tree = store.thread("twitter:1440714901538803715")
    assert tree.native_id == "1440709708738748423" and tree.post is None
    (middle,) = tree.children
    assert middle.native_id == "1440714041480015878" and middle.post is not None
    assert [c.native_id for c in middle.children] == ["1440714901538803715"]


@pytest.mark.parametrize("name", ["kpop.jsonl", "2sets.jsonl", "entities_test.jsonl", "noflat.jsonl"])
def test_api_errors_are_quarantined_with_their_reason(store, twarc, name):
    path = twarc / name
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    pages = _lines(path)
    errors = [(n, i, e) for n, p in enumerate(pages, 1) for i, e in enumerate(p.get("errors", []))]
    assert errors and report.quarantined == len(errors)
    reasons = {loc: reason for _s, loc, reason, _r in store.quarantine(1000)}
    for n, i, e in errors:
        assert reasons[f"line {n}, errors[{i}]"] == f"API error: {e['title']}: {e['detail']}"


def test_withheld(store, twarc):
    path = twarc / "withheld.jsonl"
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    pages = _lines(path)
    withheld = [t for p in pages for t in _tweets(p) if "withheld" in t]
    assert withheld
    for t in withheld:
        post = store.get_post(f"twitter:{t['id']}")
        assert post.raw["withheld"] == t["withheld"] and post.text == t["text"].replace("&amp;", "&")
    assert report.quarantined == sum(len(p.get("errors", [])) for p in pages)
    # the tweet of 2010 predates snowflake ids but has its created_at
    assert store.get_post("twitter:25712847277").created_at.year == 2010


def test_streaming_output_with_error(store, twarc):
    path = twarc / "streaming_output_with_error.jsonl"
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    lines = _lines(path)
    good = [line for line in lines if line is not None]
    assert lines[-1] is None and len(good) == len(lines) - 1
    assert all(isinstance(line["data"], dict) for line in good)
    ids = {line["data"]["id"] for line in good} | {t["id"] for line in good for t in line["includes"].get("tweets", [])}
    assert report.imported == len(ids) and report.quarantined == 1
    ((_s, locator, reason, _raw),) = store.quarantine()
    assert locator == f"line {len(lines)}" and reason.startswith("invalid JSON")
    first = good[0]["data"]
    assert _column(store, "quote_of", first["id"]) == first["referenced_tweets"][0]["id"]


def test_edits(store, twarc):
    (page,) = _lines(twarc / "edited.jsonl")
    (tweet,) = page["data"]
    versions = tweet["edit_history_tweet_ids"]
    assert len(versions) == 2 and tweet["id"] == versions[-1]
    report = import_paths(store, [twarc / "edited.jsonl"], reg=REG)
    assert report.imported == 2 and report.duplicate == 0
    old, new = (store.get_post(f"twitter:{v}") for v in versions)
    assert old.created_at < new.created_at and old.text != new.text
    assert new.author_handle == "wongmjane" and new.lang is None  # "qst": too short to say
    # The same two versions fetched before and after: duplicates only (the first read is kept).
    again = import_paths(store, [twarc / "edited_before.jsonl", twarc / "edited_after.jsonl"], reg=REG)
    _balanced(again)
    assert again.imported == 0 and again.duplicate == 4
    # A reply to the new version that quotes the old one.
    import_paths(store, [twarc / "quoted_edit.jsonl"], reg=REG)
    quoting = store.get_post("twitter:1576995594388000768")
    assert quoting.kind == "reply" and quoting.reply_to == versions[-1] and quoting.depth == 1
    assert _column(store, "quote_of", "1576995594388000768") == versions[0]


def test_flat_and_paged_output_of_the_same_search_agree(tmp_path, twarc):
    from lyssna.store.duckdb import DuckStore

    flat_lines = _lines(twarc / "flat.jsonl")
    (paged,) = _lines(twarc / "noflat.jsonl")
    assert [t["id"] for t in flat_lines] == [t["id"] for t in paged["data"]]
    with DuckStore(":memory:") as a, DuckStore(":memory:") as b:
        a.migrate()
        b.migrate()
        ra = import_paths(a, [twarc / "flat.jsonl"], reg=REG)
        rb = import_paths(b, [twarc / "noflat.jsonl"], reg=REG)
        _balanced(ra)
        _balanced(rb)
        assert ra.quarantined == 0
        fields = ("kind", "created_at", "author_id", "author_handle", "author_name", "author_followers", "text",
                  "reply_to", "conversation_id", "likes", "reposts", "lang", "url")
        for t in flat_lines:
            pa, pb = a.get_post(f"twitter:{t['id']}"), b.get_post(f"twitter:{t['id']}")
            assert [getattr(pa, f) for f in fields] == [getattr(pb, f) for f in fields]


def test_the_whole_folder(store, twarc):
    report = import_paths(store, [twarc], reg=REG)
    _balanced(report)
    by_name = {Path(f.path).name: f for f in report.files}
    for name in ("users.jsonl", "counts.jsonl", "lists.jsonl", "tweets_compliance.jsonl",
                 "users_compliance.jsonl", "empty.json"):
        assert by_name[name].status == "skipped" and by_name[name].format is None, name
    assert "empty" in by_name["empty.json"].note
    assert {f.format for f in report.files if f.status != "skipped"} == {"twitter-v2"}
    assert all(f.read > 0 for f in report.files if f.format)
    assert store.stats().posts == report.imported
    again = import_paths(store, [twarc], reg=REG)
    assert (again.read, again.imported) == (0, 0)


def test_a_tweets_geo_gives_its_country():
    from lyssna.formats.twitter_v2 import map_tweet

    tweet = {"id": "1", "created_at": "2025-01-13T07:12:00.000Z", "text": "hej", "author_id": "9",
             "geo": {"place_id": "abc", "country_code": "NO"}}
    assert map_tweet(tweet).country == "NO"
    assert map_tweet({**tweet, "geo": {"place": {"country_code": "se"}}}).country == "SE"
    assert map_tweet({**tweet, "geo": "x"}).country is None
