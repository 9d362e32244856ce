"""The stream and the history give the same answer: for generated queries and posts, the percolator's
matches equal the reference semantics (every topic tested on every post) and the text index's hits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from lyssna.query import compile_tantivy
from lyssna.query.analysis import EXACT, MatchInput, analyse, fold
from lyssna.query.ast import And, AnyOf, Keyword, Near, Not, Or, Phrase, Range, Word
from lyssna.query.evaluate import compile_test
from lyssna.query.percolator import Percolator
from lyssna.store.textindex import TextIndex

from .trees import positive

T0 = datetime(2025, 3, 1, tzinfo=timezone.utc)
WORDS = ["volvo", "Volvo", "elbil", "år", "ar", "café", "cafe", "för", "for", "Norrsken", "BT", "bt", "klimat",
         "klimatet", "laddning", "jobb", "e-post", "Ärlig", "energi", "#klimat", "#Volvo", "@volvo",
         "@anna@mastodon.social", "🙂", "och", "en", "pris", "elpris"]
LINKS = ["https://www.svt.se/nyheter/1", "https://norrsken.se/kampanj", "http://example.com/a"]


@st.composite
def posts(draw, key: int) -> MatchInput:
    words = draw(st.lists(st.sampled_from(WORDS + LINKS[:1]), min_size=0, max_size=12))
    title = draw(st.one_of(st.none(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)))
    return MatchInput(
        key=key, created_at=T0 + timedelta(hours=key), platform=draw(st.sampled_from(["twitter", "mastodon", "web"])),
        text=" ".join(words), title=title,
        url=draw(st.one_of(st.none(), st.sampled_from(LINKS))),
        lang=draw(st.one_of(st.none(), st.sampled_from(["sv", "en", "sv-SE", "da"]))),
        site=draw(st.one_of(st.none(), st.sampled_from(["twitter.com", "nyheter.svt.se"]))),
        author=draw(st.one_of(st.none(), st.sampled_from(["anna", "@Bertil", "cecilia@mastodon.social"]))),
        country=draw(st.one_of(st.none(), st.sampled_from(["SE", "NO"]))),
        followers=draw(st.one_of(st.none(), st.integers(0, 5000))),
        engagement=draw(st.one_of(st.none(), st.integers(0, 50))))


def _plain(word: str) -> str:
    return analyse(MatchInput(0, None, "x", word)).text[0][0]


plain_words = st.sampled_from(sorted({_plain(w) for w in WORDS if _plain(w)} | {"saknas"}))
exact_words = st.sampled_from([EXACT + "Volvo", EXACT + "BT", EXACT + "café", EXACT + "Norrsken"])
wild_words = st.sampled_from(["klimat*", "klim?t", "el*", "v?lvo", "för*", "#kl*", "caf?", "e*l"])


def words(field: str = "text"):
    return st.one_of(
        plain_words.map(lambda v: Word(v, field=field)),
        exact_words.map(lambda v: Word(v, field=field)),
        wild_words.map(lambda v: Word(v, field=field, wildcard=True)))


def spans(field: str = "text"):
    phrase = st.builds(lambda ws, slop: Phrase(tuple(ws), field=field, slop=slop),
                       st.lists(words(field), min_size=2, max_size=3), st.one_of(st.none(), st.integers(1, 3)))
    base = st.one_of(words(field), phrase)
    return st.recursive(base, lambda inner: st.one_of(
        st.builds(lambda l, r, n, o: Near(l, r, n, o), inner, inner, st.integers(1, 4), st.booleans()),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: AnyOf(tuple(xs)))), max_leaves=4)


fields = st.one_of(
    st.builds(Keyword, st.just("lang"), st.sampled_from(["sv", "en", "sv-se"])),
    st.builds(Keyword, st.just("platform"), st.sampled_from(["twitter", "web"])),
    st.builds(Keyword, st.just("author"), st.sampled_from(["anna", "bertil", "cecilia"])),
    st.builds(Keyword, st.just("site"), st.sampled_from(["svt.se", "twitter.com"])),
    st.builds(Keyword, st.just("country"), st.just("se")),
    st.builds(lambda v: Keyword("url", v, wildcard=True), st.sampled_from(["svt.se/*", "norrsken.se/k*"])),
    st.builds(Range, st.sampled_from(["followers", "engagement"]), st.one_of(st.none(), st.integers(0, 3000)),
              st.one_of(st.none(), st.integers(1000, 6000))),
)
leaves = st.one_of(spans("text"), spans("title"), fields)


def _combine(inner):
    return st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.builds(lambda a, b: And((a, Not(b))), inner, inner),
        inner.map(Not))


queries = st.recursive(leaves, _combine, max_leaves=6).filter(positive)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_percolator_search_and_reference_agree(data):
    items = [data.draw(posts(key)) for key in range(1, data.draw(st.integers(1, 12)) + 1)]
    topics = {i: data.draw(queries) for i in range(1, data.draw(st.integers(1, 6)) + 1)}
    _agree(items, topics, {i: tree for i, tree in topics.items()})


def _agree(items: list[MatchInput], topics: dict, labels: dict) -> dict[int, tuple[set[int], bool]]:
    """The percolator's matches equal the reference semantics, and the index's hits do too (exactly, or
    as a superset flagged inexact — also when every proximity node is forced to be a superset). Returns
    each topic's matches and whether the index answered it exactly."""
    results = {}
    docs = [analyse(item) for item in items]
    percolator = Percolator(topics)
    index = TextIndex()
    index.add(docs)
    index.commit()
    for qid, tree in topics.items():
        test = compile_test(tree)
        expected = {d.key for d in docs if test(d)}
        assert {d.key for d in docs if qid in percolator.match(d)} == expected, labels[qid]
        hits = index.search(tree, limit=None)
        if hits.exact:
            assert set(hits.keys) == expected and hits.total == len(expected), labels[qid]
        else:
            assert expected <= set(hits.keys), labels[qid]
        index.max_patterns = 0  # every proximity node as a superset: still never misses a match
        assert expected <= set(index.search(tree, limit=None).keys), labels[qid]
        index.max_patterns = compile_tantivy.MAX_PATTERNS
        results[qid] = (expected, hits.exact)
    return results


def _doc(text: str, **kw):
    return analyse(MatchInput(1, T0, kw.pop("platform", "twitter"), text, **kw))


def test_near_counts_words_between_and_order():
    near = lambda n, ordered=False: compile_test(Near(Word("volvo"), Word("elbil"), n, ordered))  # noqa: E731
    assert near(1)(_doc("Volvo elbil")) and near(1)(_doc("elbil volvo"))
    assert not near(1)(_doc("volvo ny elbil")) and near(2)(_doc("volvo ny elbil"))
    assert near(3, True)(_doc("volvo a b elbil")) and not near(3, True)(_doc("elbil a volvo"))
    assert not near(5)(_doc("volvo")), "a word is not near itself"


def test_title_and_body_do_not_form_a_phrase():
    doc = _doc("elbil för alla", title="Ny Volvo")
    assert compile_test(Word("volvo", field="title"))(doc)
    assert not compile_test(Word("elbil", field="title"))(doc)
    assert compile_test(Word("volvo"))(doc), "the text stream holds the title too"
    assert not compile_test(Phrase((Word("volvo"), Word("elbil"))))(doc)
    assert not compile_test(Near(Word("volvo"), Word("elbil"), 100))(doc)


def test_folding_keeps_swedish_letters():
    assert fold("Café") == "cafe" and fold("ÅR") == "år" and fold("Föräldrar") == "föräldrar"
    doc = _doc("Café för år")
    assert compile_test(Word("cafe"))(doc)
    assert not compile_test(Word("for"))(doc) and not compile_test(Word("ar"))(doc)
    assert compile_test(Word("för"))(doc) and compile_test(Word("år"))(doc)


def test_index_and_percolator_agree_on_a_larger_batch():
    # Many posts, many topics: the candidates the percolator skips really do not match.
    import random

    rng = random.Random(5)
    items = [MatchInput(k, T0 + timedelta(minutes=k), "twitter",
                        " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20))),
                        lang=rng.choice(["sv", "en", None]), followers=rng.randint(0, 9000))
             for k in range(1, 801)]
    topics = {
        1: Word("volvo"), 2: And((Word("elbil"), Not(Word("jobb")))), 3: Near(Word("volvo"), Word("elbil"), 3),
        4: Phrase((Word("klimat"), Word("och"))), 5: Word("klim*", wildcard=True), 6: Word(EXACT + "BT"),
        7: And((Keyword("lang", "sv"), Word("#klimat"))), 8: Range("followers", 8000, None),
        9: Or((Word("år"), Word("for"))), 10: Near(AnyOf((Word("volvo"), Word("norrsken"))),
                                                   AnyOf((Word("elbil"), Word("laddning"))), 5, True),
    }
    for qid, (expected, exact) in _agree(items, topics, topics).items():
        assert expected, f"topic {qid} should match something in this sample"
        assert exact, f"topic {qid} is answered exactly by the index"


def test_a_wildcard_phrase_too_wide_for_the_index_is_checked_instead():
    # tantivy refuses to expand a wildcard in a phrase to more than 16,384 terms; the index then answers
    # with a superset, flagged inexact, which the caller checks with the reference semantics.
    docs = [analyse(MatchInput(k, T0, "twitter", f"a{k} b" if k % 3 else f"b a{k}")) for k in range(1, 20_001)]
    index = TextIndex()
    index.add(docs)
    index.commit()
    tree = Near(Word("a*", wildcard=True), Word("b"), 1, ordered=True)
    hits = index.search(tree, limit=None)
    assert not hits.exact and hits.total == 20_000
    test = compile_test(tree)
    assert sum(1 for d in docs if test(d)) == len([k for k in range(1, 20_001) if k % 3])
    assert index.search(Word("a1*", wildcard=True), limit=0).total == 11_111


# -- the same, from query text: what a user writes goes through the parser into both engines -------------

_TEXT_WORDS = ["Volvo", "elbil", "år", "ar", "Café", "för", "klimat*", "#klimat", "@volvo", "{BT}", "e-post",
               "Norrsken", "laddning", "el*", "v?lvo", "#kl*", "jobb", "energi", "🙂"]


def _text_span():
    word = st.sampled_from(_TEXT_WORDS)
    phrase = st.builds(lambda ws, slop: '"' + " ".join(ws) + '"' + (f"~{slop}" if slop else ""),
                       st.lists(st.sampled_from([w for w in _TEXT_WORDS if not w.startswith("{")]), min_size=2,
                                max_size=3), st.one_of(st.none(), st.integers(1, 3)))
    group = st.lists(word, min_size=2, max_size=3).map(lambda ws: "(" + " OR ".join(ws) + ")")
    simple = st.one_of(word, phrase, group)
    return st.one_of(simple, st.builds(lambda a, b, n, f: f"{a} NEAR/{n}{'f' if f else ''} {b}",
                                       simple, simple, st.integers(1, 4), st.booleans()))


_TEXT_FIELDS = st.sampled_from(["lang:sv", "lang:sv-SE", "platform:twitter", "author:anna", "author:@Bertil",
                                "site:svt.se", "url:svt.se/*", "country:SE", "title:volvo", 'title:"volvo elbil"',
                                "followers:[1000 TO *]", "engagement:[* TO 10]"])


def _text_query():
    leaf = st.one_of(_text_span(), _TEXT_FIELDS)
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b: f"({a} NOT {b})", inner, inner),
        st.builds(lambda a, b: f"{a} {b}", inner, inner)), max_leaves=5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_queries_as_written_agree_in_stream_and_history(data):
    from lyssna.query.parser import parse

    items = [data.draw(posts(key)) for key in range(1, data.draw(st.integers(1, 12)) + 1)]
    texts = {i: data.draw(_text_query()) for i in range(1, data.draw(st.integers(1, 5)) + 1)}
    _agree(items, {i: parse(text).tree for i, text in texts.items()}, texts)
