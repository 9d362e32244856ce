from lyssna.pipeline import import_paths

from ..helpers import need, only

REG = only("lyssna.formats.twitter_v1")


def test_rumoureval_threads(shared_data, store):
    folder = need(shared_data / "rumoureval2017_twitter_threads" / "dev" / "germanwings-crash")
    report = import_paths(store, [folder], reg=REG)
    assert report.read == report.imported + report.duplicate + report.quarantined
    assert report.quarantined == 0
    assert report.imported > 0
    # structure.json, urls.dat and the like are not posts: reported as skipped, not imported
    assert all(f.format is None for f in report.files if f.status == "skipped")
    post = store.get_post("twitter:580320684305416192")
    assert post.author_handle == "NYCAviation"
    assert post.author_followers == 44760
    assert post.kind == "post" and post.depth == 0
    tree = store.thread("twitter:580321651780399105")
    assert tree.native_id == "580320684305416192"
    assert "580321651780399105" in [c.native_id for c in tree.children]


def test_text_is_unescaped_once_and_pseudo_languages_dropped():
    from lyssna.formats.twitter_v1 import map_status

    post = map_status({"id_str": "1", "created_at": "Tue Mar 24 10:50:07 +0000 2015", "lang": "und",
                       "text": "142 passengers &amp; 6 crew &lt;3 &amp;lt;", "user": {"id_str": "9"}})
    assert post.text == "142 passengers & 6 crew <3 &lt;"
    assert post.lang is None


def test_a_tweets_place_gives_its_country():
    from lyssna.formats.twitter_v1 import map_status

    status = {"id_str": "1", "created_at": "Mon Jan 13 07:12:00 +0000 2025", "text": "hej",
              "user": {"id_str": "9", "screen_name": "anna"}, "place": {"country_code": "se", "full_name": "Umeå"}}
    assert map_status(status).country == "SE"
    assert map_status({**status, "place": None}).country is None
    assert map_status({**status, "place": {"country_code": "<b>"}}).country is None
