"""Entity extraction: Twitter's own conformance suite (every case of extract.yml), Swedish cases, emoji,
and properties that hold for any text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lyssna.enrichers.entities import (
    Entity,
    cashtag_entities,
    extract_cashtags,
    extract_emoji,
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_reply,
    extract_urls,
    hashtag_entities,
    mention_entities,
    url_domain,
    url_entities,
)

from bench.entities_eval import KINDS

from ..helpers import need, shared_data_dir

SUITE = shared_data_dir() / "twitter_text_conformance" / "extract.yml"

def _load_suite() -> dict | None:
    if not SUITE.exists():
        return None
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(SUITE.read_text(encoding="utf-8"))["tests"]


def _suite_cases():
    try:
        suite = _load_suite()
    except pytest.skip.Exception:
        suite = None
    if suite is None:  # the test itself skips, saying why
        return [pytest.param("", {}, id="suite-absent")]
    return [pytest.param(kind, case, id=f"{kind}-{i}")
            for kind, cases in suite.items() for i, case in enumerate(cases)]


@pytest.mark.parametrize(("kind", "case"), _suite_cases())
def test_conformance(kind, case):
    need(SUITE)
    pytest.importorskip("yaml")
    assert kind in KINDS, f"extract.yml has a kind this test does not know: {kind}"
    got = KINDS[kind](case["text"])
    assert got == case["expected"], case["description"]


def test_suite_is_whole():
    """Every kind is run, and the suite is the one we know (238 cases)."""
    need(SUITE)
    suite = _load_suite()
    assert set(suite) == set(KINDS)
    assert sum(len(cases) for cases in suite.values()) == 238


def test_entities_agree_with_each_kind_on_the_suite():
    """extract_entities gives what the per-kind functions give, less only what overlaps a URL."""
    need(SUITE)
    suite = _load_suite()
    for cases in suite.values():
        for case in cases:
            text = case["text"]
            together = extract_entities(text)
            apart = (url_entities(text) + hashtag_entities(text) + mention_entities(text)
                     + cashtag_entities(text))
            assert set(together) <= set(apart) | set(h for h in _all_hashtags(text)), text
            assert [e for e in together if e.kind == "url"] == url_entities(text), text


def _all_hashtags(text):
    from lyssna.enrichers.entities import _hashtags

    return _hashtags(text, False)


# --- Swedish and other cases of our own -----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("#ÅÄÖ", ["ÅÄÖ"]),
    ("Vårens #fåglar är här", ["fåglar"]),
    ("Köpte en #elbil2025!", ["elbil2025"]),
    ("#Melodifestivalen, #sverige. #Göteborg?", ["Melodifestivalen", "sverige", "Göteborg"]),
    ("#smörgåsbord_och_kött", ["smörgåsbord_och_kött"]),
    ("Plats #1 igen", []),
    ("År #2025", []),
    ("Söndag#fika", []),  # glued to the word before
    ("(#fika)", ["fika"]),
    ("https://www.svt.se/nyheter#fika", []),  # a fragment, not a hashtag
])
def test_swedish_hashtags(text, expected):
    assert extract_hashtags(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tack @anna_s!", ["anna_s"]),
    ("@anna_s: hej", ["anna_s"]),
    ("RT @Sveriges_Radio: nyheter", ["Sveriges_Radio"]),
    ("Hör av dig till @annaö", []),  # a Latin letter follows: not a mention
    ("mejla anna@exempel.se", []),
    ("@lyssna/svenska-listan", []),  # a list, not a mention
])
def test_swedish_mentions(text, expected):
    assert extract_mentions(text) == expected


def test_list_entity():
    assert mention_entities("Se @lyssna/svenska-listan nu") == [
        Entity("list", "lyssna", 3, 25, "/svenska-listan")]


def test_reply():
    assert extract_reply("@anna_s tack för senast") == "anna_s"
    assert extract_reply("Tack @anna_s") is None
    assert extract_reply("\u3000@anna_s hej") == "anna_s"
    assert extract_reply("") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Köp $VOLV.B och $ERIC.B", ["VOLV.B", "ERIC.B"]),
    ("$SAAB! $ABB, $HM", ["SAAB", "ABB", "HM"]),
    ("$VOLV", ["VOLV"]),
    ("Kostar 100$ eller $100", []),
    ("$ÅÄÖ", []),  # symbols are ASCII
    ("pris$VOLV", []),
])
def test_swedish_cashtags(text, expected):
    assert extract_cashtags(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Läs mer på svt.se/nyheter!", ["svt.se/nyheter"]),
    ("Läs svt.seär bra", ["svt.se"]),  # a Swedish word glued after the domain
    ("Se https://www.dn.se/sverige/ärende-1", ["https://www.dn.se/sverige/ärende-1"]),
    ("Länk:https://svt.se/a.", ["https://svt.se/a"]),
    ("Läs påhttps://svt.se/a", ["https://svt.se/a"]),  # after a non-ASCII letter, a URL may start
    ("Läs merhttps://svt.se/a", []),  # after an ASCII letter it may not (Twitter's rule)
    ("Besök smörgås.se i dag", ["smörgås.se"]),
    ("(https://aftonbladet.se)", ["https://aftonbladet.se"]),
    ("filen rapport.pdf och bild.jpeg", []),
    ("https://räksmörgås.se/ och http://xn--rksmrgs-5wao1o.se/", ["https://räksmörgås.se/",
                                                                  "http://xn--rksmrgs-5wao1o.se/"]),
])
def test_swedish_urls(text, expected):
    assert extract_urls(text) == expected


def test_entities_in_order_and_overlaps_resolved():
    text = "RT @anna_s: #fåglar på https://svt.se/a#fåglar och $VOLV.B @lyssna/lista"
    got = extract_entities(text)
    assert [(e.kind, e.text) for e in got] == [
        ("mention", "anna_s"), ("hashtag", "fåglar"), ("url", "https://svt.se/a#fåglar"),
        ("cashtag", "VOLV.B"), ("list", "lyssna")]
    for e in got:
        assert text[e.start] in "@#h$"
    assert got[-1].list_slug == "/lista"


def test_astral_indices_are_code_points():
    text = "😀 #\U00020021 @anna 😀 http://t.co/abc"
    got = extract_entities(text)
    assert [(e.start, e.end) for e in got] == [(2, 4), (5, 10), (13, 28)]
    for e in got:
        assert text[e.start:e.end].lstrip("#@") == e.text


@pytest.mark.parametrize(("url", "domain"), [
    ("https://www.SVT.se/nyheter", "svt.se"),
    ("svt.se/a", "svt.se"),
    ("http://foo.com:8080/x?y#z", "foo.com"),
    ("HTTP://WWW.DN.SE", "dn.se"),
    ("http://www.foo.co.uk/", "foo.co.uk"),
    ("https://räksmörgås.se/", "räksmörgås.se"),
    ("t.co/abc", "t.co"),
    ("http://foobar.みんな/", "foobar.みんな"),
    ("http://xn--rksmrgs-5wao1o.se/a", "räksmörgås.se"),
    ("http://RÄKSMÖRGÅS.se", "räksmörgås.se"),
    ("http://[::1]:8080/", "::1"),
    ("http://192.168.0.1/x", "192.168.0.1"),
    ("", None),
    ("https://", None),
])
def test_url_domain(url, domain):
    assert url_domain(url) == domain


def test_url_domain_of_every_extracted_url():
    text = "ELPAÍS.com http://xn--ls8h.la/ t.co/abc https://www.svt.se:443/a www.dn.se"
    assert [url_domain(u) for u in extract_urls(text)] == [
        "elpaís.com", "\U0001f4a9.la", "t.co", "svt.se", "dn.se"]


# --- Emoji ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Bra 👍🏽!", ["👍🏽"]),
    ("👨‍👩‍👧 på semester", ["👨‍👩‍👧"]),
    ("Heja 🇸🇪🇳🇴", ["🇸🇪", "🇳🇴"]),
    ("1️⃣ och #️⃣", ["1️⃣", "#️⃣"]),
    ("Jag ❤️ Sverige", ["❤️"]),
    ("Jag ❤ Sverige", ["❤"]),  # a heart typed without U+FE0F
    ("✌︎ i textstil", []),  # U+FE0E asks for text
    ("✌🏿️", ["✌🏿️"]),
    ("© 2025 Lyssna™, 1 2 3 # *", []),
    ("©️", ["©️"]),
    ("🏴󠁧󠁢󠁳󠁣󠁴󠁿 och 🏳️‍🌈 och 🏳️‍⚧️", ["🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🏳️‍🌈", "🏳️‍⚧️"]),
    ("👩🏽‍💻🧑‍🤝‍🧑", ["👩🏽‍💻", "🧑‍🤝‍🧑"]),
    ("😀😀😀", ["😀", "😀", "😀"]),
    ("❤️‍🔥 🐻‍❄️ 👁️‍🗨️", ["❤️‍🔥", "🐻‍❄️", "👁️‍🗨️"]),
    ("🫩 ny", ["🫩"]),
    ("Hej på dig, åäö", []),
    ("", []),
])
def test_emoji(text, expected):
    assert extract_emoji(text) == expected


# --- Properties -------------------------------------------------------------------------------------

#: Fragments that steer random text towards entities and their edges.
FRAGMENTS = st.sampled_from([
    "#", "＃", "@", "＠", "$", ".", "/", ":", "://", "http://", "https://", "t.co/", "www.", ".com", ".se",
    ".みんな", "xn--", "-", "_", "?", "&", "=", "(", ")", "RT", " ", "\n", "\u3000", "\u200d", "\ufe0f",
    "\ufe0e", "\u20e3", "\u202a", "\u2066", "å", "Ö", "é", "a", "Z", "1", "日本", "ا", "😀", "🏽", "🇸",
    "\U00020021", "\ud800",
])
TEXTS = st.lists(FRAGMENTS | st.text(max_size=6), max_size=40).map("".join) | st.text()

KINDS_OK = {"hashtag", "mention", "list", "url", "cashtag"}


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_entities_are_well_formed(text):
    got = extract_entities(text)
    end = 0
    for e in got:
        assert isinstance(e, Entity) and e.kind in KINDS_OK
        assert 0 <= e.start < e.end <= len(text)
        assert e.start >= end, "entities overlap or are out of order"
        end = e.end
        span = text[e.start:e.end]
        if e.kind == "url":
            assert span == e.text
        elif e.kind == "list":
            assert span[0] in "@＠" and span[1:] == e.text + e.list_slug
        else:
            assert span[0] in {"hashtag": "#＃", "mention": "@＠", "cashtag": "$"}[e.kind]
            assert span[1:] == e.text and e.text
            assert e.list_slug is None
    for kind_fn in (extract_hashtags, extract_mentions, extract_urls, extract_cashtags):
        assert all(isinstance(s, str) and s for s in kind_fn(text))
    reply = extract_reply(text)
    assert reply is None or reply in text


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_emoji_are_substrings_in_order(text):
    pos = 0
    for e in extract_emoji(text):
        i = text.find(e, pos)
        assert i >= 0
        pos = i + len(e)
    for u in extract_urls(text):
        url_domain(u)  # never raises


@pytest.mark.parametrize("text", [
    "a-" * 1000 + "b.zzz",
    "é" * 4000,
    "http://" + "a." * 1000,
    "#" + "1" * 4000,
    "@" * 4000,
    "x.com/" + "(" * 2000,
    "http://example.com/path" + "." * 4000,
])
def test_long_hostile_texts_stay_fast(text):
    started = time.perf_counter()
    extract_entities(text)
    extract_emoji(text)
    assert time.perf_counter() - started < 5
