"""The X/Twitter account archive (tweets.js): our fixtures (an archive's data/ folder with account.js,
one without, one with a broken account.js) and two real archives published by their owners."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lyssna.errors import RecordError, UnknownFormat
from lyssna.formats.base import Sample
from lyssna.formats.twitter_archive import TwitterArchive, map_archive_tweet, parse_owner
from lyssna.formats.twitter_v1 import map_status
from lyssna.pipeline import import_paths

from ..helpers import FIXTURES, need, only

REG = only("lyssna.formats.twitter_archive")
HERE = FIXTURES / "twitter_archive"


def _items(path: Path) -> list:
    """The items of a window.YTD file, parsed here independently of the format."""
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text[text.index("=") + 1:])


def _balanced(report) -> None:
    assert report.read == report.imported + report.duplicate + report.quarantined
    for f in report.files:
        assert f.read == f.imported + f.duplicate + f.quarantined


def _column(store, name: str, native_id: str):
    return store.con.execute(f"SELECT {name} FROM posts WHERE platform = 'twitter' AND native_id = ?",
                             [native_id]).fetchone()[0]


def _by_text(items: list, start: str) -> dict:
    return next(i["tweet"] for i in items if isinstance(i, dict) and i["tweet"]["full_text"].startswith(start))


# -- our fixtures -----------------------------------------------------------------------------------


def test_archive_folder_with_its_owner(store):
    report = import_paths(store, [HERE / "data"], reg=REG)
    _balanced(report)
    by_name = {Path(f.path).name: f for f in report.files}
    # account.js and like.js are parts of the archive, but not tweets
    assert by_name["account.js"].status == by_name["like.js"].status == "skipped"
    items = _items(HERE / "data" / "tweets.js")
    good = [i for i in items if isinstance(i, dict) and "created_at" in i["tweet"]]
    assert by_name["tweets.js"].imported == len(good) == store.count_posts()
    assert by_name["tweets.js"].quarantined == len(items) - len(good) == 2
    reasons = {loc: reason for _s, loc, reason, _r in store.quarantine()}
    assert reasons == {f"item {len(items) - 1}": "created_at is missing",
                       f"item {len(items)}": "an archive item should hold a tweet object, not a JSON str"}
    raw = {loc: r for _s, loc, _reason, r in store.quarantine()}
    assert json.loads(raw[f"item {len(items) - 1}"]) == items[-2]  # kept as written
    assert raw[f"item {len(items)}"] == items[-1] == "inte en tweet"
    (account,) = _items(HERE / "data" / "account.js")
    owner = account["account"]
    authors = store.con.execute("SELECT DISTINCT author_id, author_handle FROM posts").fetchall()
    assert authors == [(owner["accountId"], owner["username"])]
    post = store.get_post(f"twitter:{good[0]['tweet']['id_str']}")
    assert post.author_name == owner["accountDisplayName"]
    assert post.url == f"https://twitter.com/{owner['username']}/status/{post.native_id}"


def test_fields_string_numbers_and_escaped_text(store):
    import_paths(store, [HERE / "data"], reg=REG)
    items = _items(HERE / "data" / "tweets.js")
    first = _by_text(items, "Strömavbrott")
    post = store.get_post(f"twitter:{first['id_str']}")
    assert isinstance(first["favorite_count"], str)
    assert (post.likes, post.reposts) == (int(first["favorite_count"]), int(first["retweet_count"]))
    assert "&amp;" in first["full_text"] and post.text == first["full_text"].replace("&amp;", "&")
    assert post.created_at == datetime(2024, 2, 1, 7, 0, tzinfo=timezone.utc)
    assert post.kind == "post" and post.lang == "sv" and post.site == "twitter.com"
    assert post.raw == first


def test_self_thread_and_a_reply_to_someone_else(store):
    import_paths(store, [HERE / "data"], reg=REG)
    items = _items(HERE / "data" / "tweets.js")
    root, update, done = (_by_text(items, s) for s in ("Strömavbrott", "Uppdatering", "Nu är alla"))
    tree = store.thread(f"twitter:{done['id_str']}")
    assert tree.native_id == root["id_str"] and tree.post is not None
    (middle,) = tree.children
    assert middle.native_id == update["id_str"] and [c.native_id for c in middle.children] == [done["id_str"]]
    assert store.get_post(f"twitter:{done['id_str']}").depth == 2
    # a reply to a customer's tweet, which the archive does not hold: the parent is a placeholder
    reply = _by_text(items, "@kiruna_karin")
    tree = store.thread(f"twitter:{reply['id_str']}")
    assert tree.native_id == reply["in_reply_to_status_id_str"] and tree.post is None
    assert store.get_post(f"twitter:{reply['id_str']}").kind == "reply"


def test_retweets_quotes_and_links(store):
    import_paths(store, [HERE / "data"], reg=REG)
    items = _items(HERE / "data" / "tweets.js")
    retweet = _by_text(items, "RT @energinytt")
    post = store.get_post(f"twitter:{retweet['id_str']}")
    assert post.kind == "repost" and _column(store, "repost_of", post.native_id) is None
    assert "<https://energinytt.example/a>" in post.text  # &lt; &gt; unescaped
    quote = _by_text(items, "Bra sammanfattning")
    quoted_id = quote["entities"]["urls"][-1]["expanded_url"].rsplit("/", 1)[-1]
    assert store.get_post(f"twitter:{quote['id_str']}").kind == "quote"
    assert _column(store, "quote_of", quote["id_str"]) == quoted_id
    link = _by_text(items, "Läs mer om elpriset")  # a link, but not to a tweet
    assert store.get_post(f"twitter:{link['id_str']}").kind == "post"
    assert _column(store, "quote_of", link["id_str"]) is None


def test_each_version_of_an_edited_tweet_is_a_post(store):
    import_paths(store, [HERE / "data"], reg=REG)
    items = _items(HERE / "data" / "tweets.js")
    edited = next(i["tweet"] for i in items if isinstance(i, dict) and "edit" in i["tweet"]["edit_info"])
    first = edited["edit_info"]["edit"]["initialTweetId"]
    old, new = store.get_post(f"twitter:{first}"), store.get_post(f"twitter:{edited['id_str']}")
    assert old.text != new.text and old.created_at < new.created_at
    assert new.raw["edit_info"]["edit"]["editControlInitial"]["editTweetIds"] == [first, edited["id_str"]]


def test_without_account_js_and_a_cut_off_part(store):
    report = import_paths(store, [HERE / "no_account"], reg=REG)
    _balanced(report)
    by_name = {Path(f.path).name: f for f in report.files}
    old = _items(HERE / "no_account" / "tweet.js")  # window.YTD.tweet.part0: archives before 2020
    assert (HERE / "no_account" / "tweet.js").read_text(encoding="utf-8").startswith("window.YTD.tweet.part0")
    assert by_name["tweet.js"].imported == len(old) and by_name["tweet.js"].quarantined == 0
    for item in old:
        post = store.get_post(f"twitter:{item['tweet']['id_str']}")
        assert post.author_id is None and post.url == f"https://twitter.com/i/status/{post.native_id}"
    assert store.get_post(f"twitter:{old[1]['tweet']['id_str']}").lang is None  # "und"
    cut = by_name["tweets-part1.js"]
    assert (cut.imported, cut.quarantined) == (0, 1)
    ((_s, locator, reason, raw),) = store.quarantine()
    assert locator == "document" and reason.startswith("invalid JSON") and '"tweet"' in raw


def test_a_broken_account_js_is_reported(store):
    report = import_paths(store, [HERE / "bad_account" / "tweets.js"], reg=REG)
    _balanced(report)
    assert (report.imported, report.quarantined) == (1, 1)
    ((_s, locator, reason, _raw),) = store.quarantine()
    assert locator == "account.js" and reason.startswith("the archive owner is unknown: account.js is not valid JSON")
    (item,) = _items(HERE / "bad_account" / "tweets.js")
    assert store.get_post(f"twitter:{item['tweet']['id_str']}").author_id is None


def test_importing_again_changes_nothing(store):
    first = import_paths(store, [HERE], reg=REG)
    _balanced(first)
    posts, quarantined = store.count_posts(), len(store.quarantine(1000))
    assert first.imported == posts > 0
    again = import_paths(store, [HERE], reg=REG)
    assert (again.read, again.imported) == (0, 0)
    forced = import_paths(store, [HERE], reg=REG, force=True)
    _balanced(forced)
    assert (forced.imported, forced.duplicate, forced.quarantined) == (0, first.imported, first.quarantined)
    assert (store.count_posts(), len(store.quarantine(1000))) == (posts, quarantined)


def test_sniffing(store, tmp_path):
    fmt = TwitterArchive()
    assert fmt.sniff(Sample.of(HERE / "data" / "tweets.js")) == 95
    assert fmt.sniff(Sample.of(HERE / "no_account" / "tweet.js")) == 95
    for name in ("account.js", "like.js"):
        assert fmt.sniff(Sample.of(HERE / "data" / name)) == 0
    bom = tmp_path / "tweets.js"
    bom.write_bytes(b"\xef\xbb\xbf" + (HERE / "data" / "tweets.js").read_bytes())
    assert fmt.sniff(Sample.of(bom)) == 95
    json_doc = tmp_path / "statuses.json"
    json_doc.write_text(json.dumps([{"tweet": {"id_str": "1", "full_text": "x"}}]))
    assert fmt.sniff(Sample.of(json_doc)) == 0
    with pytest.raises(UnknownFormat, match="like.js"):
        import_paths(store, [HERE / "data" / "like.js"], reg=REG)


def test_with_a_bom_the_prefix_is_still_found(store, tmp_path):
    path = tmp_path / "tweets.js"
    path.write_bytes(b"\xef\xbb\xbf" + (HERE / "bad_account" / "tweets.js").read_bytes())
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.quarantined) == (1, 0)


def test_map_reuses_the_v1_mapping():
    (item,) = [i for i in _items(HERE / "data" / "tweets.js") if isinstance(i, dict)][:1]
    archived, v1 = map_archive_tweet(item), map_status(item["tweet"])
    assert (archived.native_id, archived.created_at, archived.likes, archived.reposts, archived.reply_to) == (
        v1.native_id, v1.created_at, v1.likes, v1.reposts, v1.reply_to)
    assert map_archive_tweet(item["tweet"]) == archived  # the status alone, without its {"tweet": …}
    typed = {"tweet": {**item["tweet"], "full_text": "x &amp;lt; y"}}  # someone typed "&lt;"
    assert map_archive_tweet(typed).text == "x &lt; y"
    with pytest.raises(RecordError, match="favorite_count"):
        map_archive_tweet({"tweet": {**item["tweet"], "favorite_count": "many"}})


def test_parse_owner():
    owner = parse_owner((HERE / "data" / "account.js").read_bytes())
    assert (owner.account_id, owner.username, owner.display_name) == ("1001", "elbolaget", "Elbolaget Norr")
    with pytest.raises(RecordError, match="window.YTD.account"):
        parse_owner((HERE / "data" / "like.js").read_bytes())
    with pytest.raises(RecordError, match="accountId"):
        parse_owner(b'window.YTD.account.part0 = [ { "account" : { "username" : "x" } } ]')


# -- real archives ----------------------------------------------------------------------------------


@pytest.fixture
def archives(shared_data) -> Path:
    return need(shared_data / "formats" / "twitter_archive_tweets_js")


def test_reedcodes_archive(store, archives):
    path = archives / "reedcodes_tweets.js"
    items = _items(path)
    tweets = [i["tweet"] for i in items]
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    assert report.imported == len(items) == 154 and report.quarantined == 0  # as the README says
    replies = [t for t in tweets if t.get("in_reply_to_status_id_str")]
    assert len(replies) == 39
    kinds = dict(store.stats().by_kind)
    assert kinds["reply"] == len(replies)
    assert kinds["repost"] == sum(t["full_text"].startswith("RT @") for t in tweets)
    post = store.get_post("twitter:1591504961627914240")
    assert post.likes == 6 and post.reposts == 0 and post.text.startswith("That's it! Visited my brother")
    assert post.created_at == datetime(2022, 11, 12, 18, 55, 26, tzinfo=timezone.utc) and post.author_id is None
    retweet = store.get_post("twitter:1591505811536490496")
    assert retweet.kind == "repost" and retweet.text.startswith("RT @Roadtrippers:")


def test_an_archive_with_its_account_js(store, archives, tmp_path):
    # The owner is whoever the archive's self-replies answer: a reply whose parent is in the archive.
    items = _items(archives / "reedcodes_tweets.js")
    ids = {i["tweet"]["id_str"] for i in items}
    self_reply = next(i["tweet"] for i in items if i["tweet"].get("in_reply_to_status_id_str") in ids)
    owner_id, owner = self_reply["in_reply_to_user_id_str"], self_reply["in_reply_to_screen_name"]
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(archives / "reedcodes_tweets.js", folder / "tweets.js")
    (folder / "account.js").write_text(
        "window.YTD.account.part0 = [ {\n  \"account\" : {\n    \"username\" : \"%s\",\n    \"accountId\" : \"%s\",\n"
        "    \"accountDisplayName\" : \"Lincoln Highway\"\n  }\n} ]" % (owner, owner_id), encoding="utf-8")
    report = import_paths(store, [folder], reg=REG)
    _balanced(report)
    assert report.imported == len(items)
    assert store.con.execute("SELECT DISTINCT author_handle FROM posts").fetchall() == [(owner,)]
    post = store.get_post(f"twitter:{self_reply['id_str']}")
    assert post.author_name == "Lincoln Highway" and post.url.startswith(f"https://twitter.com/{owner}/status/")
    assert store.stats().authors == 1


def test_robb_j_archive_threads(store, archives):
    path = archives / "robb-j_tweets.js"
    items = _items(path)
    report = import_paths(store, [path], reg=REG)
    _balanced(report)
    assert report.imported == len(items) == 2160 and report.quarantined == 0
    # The deepest chain of replies inside the archive, followed here from the raw file.
    parent = {i["tweet"]["id_str"]: i["tweet"].get("in_reply_to_status_id_str") for i in items}

    def chain(tid: str) -> list[str]:
        out = [tid]
        while parent.get(out[-1]) in parent:
            out.append(parent[out[-1]])
        return out

    deepest = max(parent, key=lambda t: (len(chain(t)), t))
    path_up = chain(deepest)
    assert len(path_up) >= 3
    post = store.get_post(f"twitter:{deepest}")
    top = path_up[-1]
    if parent[top] is None:  # the chain starts at one of the owner's own tweets
        assert post.depth == len(path_up) - 1 and post.root_id == top
    else:  # it starts with a reply to a tweet the archive does not hold
        assert post.depth is None and post.root_id == parent[top]
    tree = store.thread(f"twitter:{deepest}")
    node, seen = tree, [tree.native_id]
    while node.children and seen[-1] != deepest:
        node = next(c for c in node.children if c.native_id in path_up or c.native_id == parent[top])
        seen.append(node.native_id)
    assert seen[-len(path_up):] == list(reversed(path_up))
    # string numbers became numbers
    total = store.con.execute("SELECT sum(likes) FROM posts").fetchone()[0]
    assert total == sum(int(i["tweet"]["favorite_count"]) for i in items)
    # Twitter's codes for "no language" (media links only, hashtags only …) are not languages
    langs = [i["tweet"]["lang"] for i in items]
    assert "qme" in langs
    unknown = store.con.execute("SELECT count(*) FROM posts WHERE lang IS NULL").fetchone()[0]
    assert unknown == sum(lang in ("und", "qme", "qht", "qam", "qct", "qst", "zxx", "art") for lang in langs)
    again = import_paths(store, [path], reg=REG)
    assert (again.read, again.imported) == (0, 0)


def test_quote_detection_on_real_tweets(store, archives):
    path = archives / "reedcodes_tweets.js"
    import_paths(store, [path], reg=REG)
    permalink = re.compile(r"^https://twitter\.com/\w+/status/(\d+)$")
    for item in _items(path):
        t = item["tweet"]
        urls = t["entities"]["urls"]
        m = permalink.match(urls[-1]["expanded_url"]) if urls else None
        expected = m.group(1) if m and t["full_text"].endswith(urls[-1]["url"]) else None
        assert _column(store, "quote_of", t["id_str"]) == expected
