"""Keyphrases: Swedish compounds whole, stop words never at a phrase's edge, entities left out, at most
five lower-case phrases, deterministic; and the enricher's declaration."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lyssna.enrichers.base import chain
from lyssna.enrichers.builtin import LanguageEnricher
from lyssna.enrichers.phrases import LIMIT, MAX_WORDS, PhrasesEnricher, candidates, extract_phrases, stopwords
from lyssna.query.analysis import MatchInput

SWEDISH = [
    "Kollektivtrafiken i Stockholm är försenad igen",
    "Regeringen presenterar nya satsningar på klimatpolitik och laddstolpar för elbilar. Bra men för lite! #svpol",
    "RT @sl_info: Tunnelbanan står still vid T-Centralen, ingen vet när det går igen 😡 https://t.co/abc #sl",
    "Jag tycker att bostadsbristen i Göteborg är ett problem som politikerna aldrig tar på allvar",
    "Elpriset har aldrig varit så högt som i vinter, och vindkraften står still när det är kallt",
]
ENGLISH = [
    "Volvo Cars reports record sales of electric cars in Europe, shares up 5% https://reuters.com/x",
    "I love my new Tesla but the charging network in rural Sweden is a joke lol",
    "Just had the worst customer service experience at @Telia. 2 hours on hold!!",
    "The government should invest in public transport instead of building more highways",
]


def test_the_swedish_example():
    assert extract_phrases("Kollektivtrafiken i Stockholm är försenad igen", "sv") == [
        "kollektivtrafiken", "stockholm", "försenad"]


def test_swedish_compounds_are_never_split():
    text = "Klimatpolitiken, kollektivtrafiken och laddinfrastrukturen: EU-kommissionen har en plan"
    phrases = extract_phrases(text, "sv")
    words = {w for p in phrases for w in p.split()}
    assert {"klimatpolitiken", "kollektivtrafiken", "laddinfrastrukturen", "eu-kommissionen"} <= words
    assert not {"klimat", "politiken", "trafiken", "kommissionen"} & words


def test_stop_words_are_never_in_a_phrase():
    for lang, texts in (("sv", SWEDISH), ("en", ENGLISH)):
        stop = stopwords(lang)
        for text in texts:
            for phrase in extract_phrases(text, lang) + candidates(text, lang):
                words = phrase.split(" ")
                assert words[0] not in stop and words[-1] not in stop, (text, phrase)
                assert not set(words) & stop, (text, phrase)


def test_swedish_examples():
    phrases = extract_phrases(SWEDISH[1], "sv")
    assert {"klimatpolitik", "laddstolpar", "elbilar"} <= set(phrases)
    assert "bra" not in {w for p in phrases for w in p.split()}
    assert "bostadsbristen" in extract_phrases(SWEDISH[3], "sv")
    assert "göteborg" in extract_phrases(SWEDISH[3], "sv")
    assert {"elpriset", "vindkraften"} <= set(extract_phrases(SWEDISH[4], "sv"))


def test_english_examples():
    assert {"electric cars", "record sales", "europe"} <= set(extract_phrases(ENGLISH[0], "en"))
    phrases = extract_phrases(ENGLISH[1], "en")
    assert {"charging network", "rural sweden"} <= set(phrases)
    assert not {"love", "lol"} & {w for p in phrases for w in p.split()}
    assert extract_phrases(ENGLISH[2], "en")[0] == "customer service experience"
    assert {"public transport", "highways"} <= set(extract_phrases(ENGLISH[3], "en"))


def test_mentions_and_urls_are_left_out_and_hashtags_become_words():
    phrases = extract_phrases(SWEDISH[2], "sv")
    joined = " ".join(phrases)
    assert "tunnelbanan" in phrases and "t-centralen" in phrases
    assert "sl" in phrases  # the hashtag #sl, as its word
    for gone in ("sl_info", "@", "http", "t.co", "abc", "#"):
        assert gone not in joined
    assert extract_phrases("Mejla anna@example.se eller läs www.example.se/elbil nu", "sv") == ["mejla", "läs"]


def test_a_hashtag_and_the_same_word_count_as_one_phrase():
    assert extract_phrases("#elbil är framtiden, köp en elbil", "sv")[0] == "elbil"


def test_trailing_hashtags_are_separate_phrases():
    assert sorted(extract_phrases("Ett inlägg #klimat #energi #svpol #1", "sv")) == [
        "energi", "inlägg", "klimat", "svpol"]


def test_numbers_and_emoji_are_breaks_not_phrases():
    phrases = extract_phrases("2024 🙂 elpriset 😡 1 000 kr 12-3 vattenfall👍🏽kundtjänst", "sv")
    assert "elpriset" in phrases and "vattenfall" in phrases and "kundtjänst" in phrases
    assert all(any(c.isalpha() for c in p) for p in phrases)
    assert all(c.isalnum() or c in " -'" for p in phrases for c in p)
    assert "kr" not in phrases  # no one-letter or stop word left


def test_long_runs_are_cut():
    text = "svenska elbilsägare kräver snabbare laddstolpar längs europavägarna nästa sommar"
    for phrase in candidates(text, "sv"):
        assert 1 <= len(phrase.split()) <= MAX_WORDS


def test_output_is_at_most_five_lower_case_and_deterministic():
    text = " ".join(SWEDISH + ENGLISH)
    first = extract_phrases(text, None)
    assert len(first) == LIMIT and all(p == p.lower() for p in first)
    assert len(set(first)) == len(first)
    for _ in range(3):
        extract_phrases(ENGLISH[0], "en")
        assert extract_phrases(text, None) == first


def test_languages_choose_their_stop_words():
    assert stopwords("unknown") == stopwords("sv") | stopwords("en")
    assert stopwords(None) == stopwords("unknown") == stopwords("de")
    assert stopwords("nb") == stopwords("sv") and "ikke" in stopwords("da")
    assert "the" in stopwords("en") and "the" not in stopwords("sv")
    assert extract_phrases("Jeg synes ikke at elbiler er for dyre", "da") == ["elbiler", "dyre"]
    # in an unknown language both lists apply
    assert extract_phrases("the kollektivtrafiken is och the bussarna", "unknown") == ["kollektivtrafiken",
                                                                                       "bussarna"]


def test_stop_word_files_are_clean():
    for lang in ("sv", "en"):
        words = stopwords(lang) - {""}
        assert len(words) > 300
        assert all(w == w.lower() and " " not in w and "\t" not in w for w in words)
    # content words that matter for listening are not stop words
    assert not {"val", "skatt", "sex", "tåg", "elbil", "klimat"} & stopwords("sv")
    assert not {"new", "york", "election", "price"} & stopwords("en")


def test_the_enricher_declares_itself_and_enriches_a_batch():
    enricher = PhrasesEnricher()
    assert (enricher.name, enricher.version, enricher.requires) == ("phrases", 2, ("lang",))
    assert [(c.name, c.type) for c in enricher.provides] == [("phrases", "VARCHAR[]")]
    assert [e.name for e in chain([enricher, LanguageEnricher()])] == ["language", "phrases"]
    posts = [MatchInput(1, None, "twitter", SWEDISH[0]), MatchInput(2, None, "rss", ENGLISH[3], title="Highways"),
             MatchInput(3, None, "twitter", "")]
    out = enricher.enrich(posts, {"lang": ["sv", "en", "unknown"]})
    assert out["phrases"][0] == ["kollektivtrafiken", "stockholm", "försenad"]
    assert "highways" in out["phrases"][1]
    assert out["phrases"][2] == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["sv", "en", "da", "nb", "nn", "unknown", None, "fi"]))
def test_any_text_gives_at_most_five_lower_case_phrases(text, lang):
    phrases = extract_phrases(text, lang)
    assert isinstance(phrases, list) and len(phrases) <= LIMIT
    assert len(set(phrases)) == len(phrases)
    for phrase in phrases:
        assert isinstance(phrase, str) and phrase and phrase == phrase.strip()
        assert phrase == phrase.lower() or phrase.lower() == phrase.lower().lower()
        assert 1 <= len(phrase.split(" ")) <= MAX_WORDS
