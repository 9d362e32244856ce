"""The one tokenisation both engines and the parser share."""

from __future__ import annotations

from lyssna.query.analysis import (
    EXACT, MAX_TOKEN_CHARS, MAX_TOKENS, TITLE_GAP, MatchInput, analyse, engagement_of, fold, fold_pattern,
    keyword_values, normalise_url, query_tokens,
)


def _tokens(text: str, **kw) -> list[tuple[str, int]]:
    return analyse(MatchInput(1, None, kw.pop("platform", "twitter"), text, **kw)).text


def test_swedish_letters_are_letters_other_accents_fold():
    assert fold("ÅÄÖ åäö Ææ Øø") == "åäö åäö ææ øø"
    assert fold("Café Crème naïve München São Ångström") == "cafe creme naive munchen sao ångström"
    assert fold("år") != fold("ar") and fold("för") != fold("for")
    assert fold("A\u030a") == "å"  # a decomposed å is still å


def test_compounds_stay_whole_and_punctuation_separates():
    assert [t for t, _ in _tokens("Elbil-laddning: laddboxar! e-post")] == [
        "elbil", EXACT + "Elbil", "laddning", "laddboxar", "e", "post"]
    assert query_tokens("e-post") == [("word", "e"), ("word", "post")]
    assert query_tokens("don't") == [("word", "don't")]


def test_hashtags_and_mentions_are_searchable_both_ways():
    tokens = _tokens("#Klimat @Volvo @anna@mastodon.social hej")
    by_position: dict[int, set[str]] = {}
    for token, position in tokens:
        by_position.setdefault(position, set()).add(token)
    assert by_position[0] == {"#klimat", "klimat", EXACT + "Klimat"}
    assert by_position[1] == {"@volvo", "volvo"}
    assert by_position[2] == {"@anna@mastodon.social", "@anna", "anna"}
    assert by_position[3] == {"hej"}
    assert query_tokens("#Klimat") == [("tag", "#klimat")] and query_tokens("@Volvo") == [("mention", "@volvo")]
    assert [t for t, _ in _tokens("anna@example.com")] == ["anna", "example", "com"], "an e-mail is no mention"


def test_urls_are_kept_for_url_and_site_not_as_words():
    doc = analyse(MatchInput(1, None, "web", "läs https://www.SVT.se/nyheter/a-1/. nu", url="https://nyheter.svt.se/x",
                             site="nyheter.svt.se"))
    assert [t for t, _ in doc.text] == ["läs", "nu"]
    assert doc.keywords["url"] == {"svt.se/nyheter/a-1", "nyheter.svt.se/x"}
    assert doc.keywords["site"] == {"nyheter.svt.se", "svt.se"}
    assert normalise_url("HTTP://www.Example.se/") == "example.se"


def test_emoji_are_tokens():
    assert [t for t, _ in _tokens("bra 👍🏽 😡")] == ["bra", "👍", "😡"]


def test_title_comes_first_with_a_gap():
    doc = analyse(MatchInput(1, None, "web", "brödtext här", title="Rubrik"))
    assert doc.title == [("rubrik", 0), (EXACT + "Rubrik", 0)]
    assert ("brödtext", 1 + TITLE_GAP) in doc.text


def test_reading_is_bounded():
    doc = analyse(MatchInput(1, None, "web", "ord " * (MAX_TOKENS + 50) + "x" * 500))
    assert max(p for _, p in doc.text) == MAX_TOKENS - 1
    long = analyse(MatchInput(1, None, "web", "y" * 500)).text
    assert len(long[0][0]) == MAX_TOKEN_CHARS


def test_field_values():
    assert keyword_values("author", "@Anna@Mastodon.social") == {"anna@mastodon.social", "anna"}
    assert keyword_values("lang", "sv_SE") == {"sv-se", "sv"}
    assert fold_pattern("Klimat*Ä?") == "klimat*ä?"
    assert engagement_of(None, None, None, None) is None and engagement_of(3, None, 2, 0) == 5
