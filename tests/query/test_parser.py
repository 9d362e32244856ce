"""The query parser: the exact tree of every construct, and for every malformed query the message, the
position (with its caret) and the hint."""

from __future__ import annotations


import pytest

from lyssna.errors import QueryError
from lyssna.query.analysis import EXACT
from lyssna.query.ast import And, AnyOf, Keyword, Near, Node, Not, Or, Phrase, Range, Word, render
from lyssna.query.parser import FIELDS, MAX_DEPTH, MAX_NESTING, MAX_QUERY_CHARS, ParsedQuery, QueryWarning, parse

from .trees import nopos


def shape(query: str) -> Node:
    return nopos(parse(query).tree)


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse(query)
    return info.value


def W(value: str, pos: int = 0, field: str = "text", wildcard: bool = False) -> Word:
    return Word(value, pos, field, wildcard)


def P(*words: str, slop: int | None = None, field: str = "text") -> Phrase:
    return Phrase(tuple(W(w, field=field, wildcard="*" in w or "?" in w) for w in words), field=field, slop=slop)


def X(word: str, field: str = "text") -> Word:
    return Word(EXACT + word, field=field)


# --- words, phrases, booleans -------------------------------------------------------------------------------

def test_result_type_and_positions_of_a_simple_query():
    parsed = parse("volvo elbil")
    assert isinstance(parsed, ParsedQuery)
    assert parsed.text == "volvo elbil" and parsed.warnings == ()
    assert parsed.tree == And((Word("volvo", 0), Word("elbil", 6)), 0)


def test_words_are_folded_like_post_text():
    assert parse("Café").tree == Word("cafe", 0)
    assert parse("Norrsken").tree == Word("norrsken", 0)
    assert shape("ÅR för") == And((W("år"), W("för")))  # å ä ö are kept, not folded to a / o


def test_hashtags_and_mentions():
    assert parse("#Klimat").tree == Word("#klimat", 0)
    assert parse("@Volvo").tree == Word("@volvo", 0)
    assert shape("@anna@mastodon.social") == W("@anna@mastodon.social")
    assert parse("🙂").tree == Word("🙂", 0)


def test_a_word_analysis_splits_is_a_phrase_at_the_words_position():
    assert parse("x e-post").tree == And((Word("x", 0), Phrase((Word("e", 2), Word("post", 2)), 2)), 0)
    assert shape("3.5") == P("3", "5")
    assert shape("don't") == W("don't")
    assert shape("Don’t") == W("don't")
    assert shape("#klimat-2030") == P("#klimat", "2030")


def test_and_or_not_precedence_and_positions():
    assert parse("a AND b").tree == And((Word("a", 0), Word("b", 6)), 0)
    assert parse("a OR b").tree == Or((Word("a", 0), Word("b", 5)), 0)
    assert parse("elbil NOT jobb").tree == And((Word("elbil", 0), Not(Word("jobb", 10), 6)), 0)
    assert parse("elbil AND NOT jobb").tree == And((Word("elbil", 0), Not(Word("jobb", 14), 10)), 0)
    assert shape("(a OR b) c") == And((Or((W("a"), W("b"))), W("c")))
    assert shape("a OR (b c) OR d") == Or((W("a"), And((W("b"), W("c"))), W("d")))
    assert shape("volvo NOT (jobb OR tjänst)") == And((W("volvo"), Not(Or((W("jobb"), W("tjänst"))))))


def test_nested_groups_of_one_kind_are_flattened():
    assert parse("(a b) c").tree == And((Word("a", 1), Word("b", 3), Word("c", 6)), 1)
    assert shape("a OR (b OR (c OR d))") == Or((W("a"), W("b"), W("c"), W("d")))
    assert shape("a AND (b AND NOT c)") == And((W("a"), W("b"), Not(W("c"))))
    assert parse("((((volvo))))").tree == Word("volvo", 4)
    assert shape("(a OR b) (c OR d)") == And((Or((W("a"), W("b"))), Or((W("c"), W("d")))))


def test_phrases():
    assert parse('"volvo cars"').tree == Phrase((Word("volvo", 1), Word("cars", 7)), 0)
    tree = parse('x "Volvo elbil"~5').tree
    assert tree == And((Word("x", 0), Phrase((Word("volvo", 3), Word("elbil", 9)), 2, slop=5)), 0)
    assert shape('"elbil för år"~100') == P("elbil", "för", "år", slop=100)
    assert shape('"e-post adress"') == P("e", "post", "adress")


def test_phrase_escapes_and_punctuation():
    tree = parse(r'"säg \"hej\" nu"').tree
    assert tree == Phrase((Word("säg", 1), Word("hej", 5), Word("nu", 13)), 0)
    assert shape(r'"a \\ b"') == P("a", "b")
    assert shape('"Procter & Gamble"') == P("procter", "gamble")
    assert shape('"AND OR NOT"') == P("and", "or", "not")  # operators are words inside quotes


def test_a_phrase_of_one_word_is_a_word():
    assert parse('"Volvo"').tree == Word("volvo", 0)
    assert parse('"  elbil! "~3').tree == Word("elbil", 0)
    assert parse('"klimat*"').tree == Word("klimat*", 0, wildcard=True)


def test_wildcards():
    assert parse("klimat*").tree == Word("klimat*", 0, wildcard=True)
    assert parse("organi?ation").tree == Word("organi?ation", 0, wildcard=True)
    assert shape("Föräld*") == W("föräld*", wildcard=True)
    assert shape("Caf?") == W("caf?", wildcard=True)
    assert shape("#Klimat*") == W("#klimat*", wildcard=True)
    assert shape("@volvo*") == W("@volvo*", wildcard=True)
    assert shape("k*t?r") == W("k*t?r", wildcard=True)
    assert shape("don't*") == W("don't*", wildcard=True)
    assert shape('"klimat* förändring"') == P("klimat*", "förändring")


def test_case_sensitive_words():
    assert parse("{BT}").tree == Word(EXACT + "BT", 0)
    assert parse("x {Volvo Cars}").tree == And((Word("x", 0), Phrase((Word(EXACT + "Volvo", 3),
                                                                        Word(EXACT + "Cars", 9)), 2)), 0)
    assert shape("{café}") == X("café")  # an accent is enough
    assert shape("{Don’t}") == X("Don't")
    assert shape("{Ärlig}") == X("Ärlig")
    assert shape("{Cafe\u0301}") == X("Café")  # NFC


def test_comments_are_whitespace():
    assert parse("volvo <<<not jobs, see ticket 12>>> NOT jobb").tree == \
        And((Word("volvo", 0), Not(Word("jobb", 40), 36)), 0)
    assert shape("a<<<x>>>b") == And((W("a"), W("b")))
    assert shape('"a <<<b>>> c"') == P("a", "b", "c")  # inside quotes it is text


# --- NEAR ---------------------------------------------------------------------------------------------------

def test_near():
    assert parse("volvo NEAR/3 elbil").tree == Near(Word("volvo", 0), Word("elbil", 13), 3, False, 0)
    assert parse("volvo NEAR/3f elbil").tree == Near(Word("volvo", 0), Word("elbil", 14), 3, True, 0)
    assert shape("a NEAR/100 b") == Near(W("a"), W("b"), 100)


def test_near_chains_are_left_associative():
    tree = parse("a NEAR/2 b NEAR/3 c").tree
    assert tree == Near(Near(Word("a", 0), Word("b", 9), 2, False, 0), Word("c", 18), 3, False, 0)


def test_near_binds_tighter_than_not_and_and():
    assert shape("x a NEAR/2 b") == And((W("x"), Near(W("a"), W("b"), 2)))
    assert parse("x NOT a NEAR/2 b").tree == \
        And((Word("x", 0), Not(Near(Word("a", 6), Word("b", 15), 2, False, 6), 2)), 0)
    assert shape("a NEAR/2 b OR c") == Or((Near(W("a"), W("b"), 2), W("c")))


def test_near_operands():
    assert shape('"volvo cars" NEAR/5 klimat*') == Near(P("volvo", "cars"), W("klimat*", wildcard=True), 5)
    assert shape("#klimat NEAR/2 {BT}") == Near(W("#klimat"), X("BT"), 2)
    assert shape("e-post NEAR/2 x") == Near(P("e", "post"), W("x"), 2)
    assert shape("text:a NEAR/2 b") == Near(W("a"), W("b"), 2)  # the default stream may be named
    tree = parse('(volvo OR "volvo cars") NEAR/5f elbil').tree
    assert tree == Near(AnyOf((Word("volvo", 1), Phrase((Word("volvo", 11), Word("cars", 17)), 10)), 1),
                        Word("elbil", 32), 5, True, 1)
    assert shape("(a OR b NEAR/2 c) NEAR/3 (d OR (e OR f))") == Near(
        AnyOf((W("a"), Near(W("b"), W("c"), 2))), AnyOf((W("d"), W("e"), W("f"))), 3)


def test_a_title_group_may_hold_anything():
    assert shape("title:(volvo NEAR/3 elbil)") == Near(W("volvo", field="title"), W("elbil", field="title"), 3)
    assert shape("title:((a OR b) NEAR/2 c NOT d)") == And((
        Near(AnyOf((W("a", field="title"), W("b", field="title"))), W("c", field="title"), 2),
        Not(W("d", field="title"))))


# --- fields and ranges --------------------------------------------------------------------------------------

def test_keyword_fields_use_the_full_analysed_value():
    assert parse("author:@Anna").tree == Keyword("author", "anna", 0)
    assert shape("author:cecilia@Mastodon.social") == Keyword("author", "cecilia@mastodon.social")
    assert shape("author:Åsa") == Keyword("author", "åsa")
    assert shape("lang:sv_SE") == Keyword("lang", "sv-se")
    assert shape("url:https://www.SVT.se/nyheter/") == Keyword("url", "svt.se/nyheter")
    assert shape("site:SVT.se") == Keyword("site", "svt.se")
    assert shape("platform:Twitter") == Keyword("platform", "twitter")
    assert shape("country:SE") == Keyword("country", "se")


def test_keyword_values_may_be_quoted_or_wildcards():
    assert parse('x author:"Anna Svensson"').tree == And((Word("x", 0), Keyword("author", "anna svensson", 2)), 0)
    assert shape('url:"https://x.se/a b"') == Keyword("url", "x.se/a b")
    assert shape("url:svt.se/*") == Keyword("url", "svt.se/*", wildcard=True)
    assert shape("author:ann?") == Keyword("author", "ann?", wildcard=True)
    assert shape("url:https://www.svt.se/nyheter/*") == Keyword("url", "svt.se/nyheter/*", wildcard=True)


def test_keyword_or_groups():
    assert parse("lang:(sv OR en)").tree == Or((Keyword("lang", "sv", 6), Keyword("lang", "en", 12)), 6)
    assert shape('author:(anna OR "Bertil B" OR c*)') == Or((
        Keyword("author", "anna"), Keyword("author", "bertil b"), Keyword("author", "c*", wildcard=True)))
    assert shape("elbil lang:(sv)") == And((W("elbil"), Keyword("lang", "sv")))


def test_title_field():
    assert parse("title:Volvo").tree == Word("volvo", 0, "title")
    assert shape("title:klimat*") == W("klimat*", field="title", wildcard=True)
    assert shape('title:"volvo cars"~2') == P("volvo", "cars", slop=2, field="title")
    assert shape("title:{BT}") == X("BT", field="title")
    assert shape("title:e-post") == P("e", "post", field="title")
    assert shape("title:(volvo OR saab) elbil") == And((Or((W("volvo", field="title"), W("saab", field="title"))),
                                                       W("elbil")))
    assert shape("title:(volvo lang:sv)") == And((W("volvo", field="title"), Keyword("lang", "sv")))
    assert shape("text:volvo") == W("volvo")


def test_ranges():
    assert parse("followers:[1000 TO *]").tree == Range("followers", 1000, None, 0)
    assert parse("x engagement:[10 TO 100]").tree == And((Word("x", 0), Range("engagement", 10, 100, 2)), 0)
    assert shape("followers:[* TO 50]") == Range("followers", None, 50)
    assert shape("followers:[-5 TO -5]") == Range("followers", -5, -5)
    assert shape("followers:[ 1 TO 2 ]") == Range("followers", 1, 2)


def test_fields_constant_lists_every_field():
    assert set(FIELDS) == {"text", "title", "author", "platform", "site", "url", "lang", "country", "followers",
                           "engagement"}


# --- warnings -----------------------------------------------------------------------------------------------

def test_and_or_mixed_without_parentheses_warns_at_the_second_operator():
    parsed = parse("a OR b AND c")
    assert parsed.tree == Or((Word("a", 0), And((Word("b", 5), Word("c", 11)), 5)), 0)
    (warning,) = parsed.warnings
    assert warning.message == "AND and OR mixed without parentheses: read as a OR (b AND c)"
    assert warning.position == 7 and "parentheses" in warning.hint
    parsed = parse("volvo OR saab elbil")
    assert shape("volvo OR saab elbil") == Or((W("volvo"), And((W("saab"), W("elbil")))))
    assert parsed.warnings == (QueryWarning("AND and OR mixed without parentheses: read as volvo OR (saab elbil)",
                                            14, parsed.warnings[0].hint),)
    (warning,) = parse("a AND b OR c").warnings
    assert warning.position == 8 and warning.message.endswith("read as (a AND b) OR c")


def test_no_mixing_warning_with_parentheses_or_one_kind():
    for query in ("a OR (b AND c)", "(a b) OR c", "a b c", "a OR b OR c", "a NOT b", "title:(a b) OR c"):
        assert parse(query).warnings == (), query
    (warning,) = parse("x (a OR b c)").warnings  # inside a group
    assert warning.position == 10


def test_lower_case_operators_are_words_with_a_warning():
    parsed = parse("volvo or saab")
    assert parsed.tree == And((Word("volvo", 0), Word("or", 6), Word("saab", 9)), 0)
    assert parsed.warnings == (QueryWarning("lower-case 'or' is searched as a word; write OR for the operator", 6,
                                            parsed.warnings[0].hint),)
    assert "OR" in parsed.warnings[0].hint
    (w1, w2) = parse("(a and b) not c").warnings
    assert (w1.position, w2.position) == (3, 10)
    assert w1.message == "lower-case 'and' is searched as a word; write AND for the operator"
    assert parse("or volvo").warnings == () and parse("volvo and").warnings == ()  # not between terms


def test_other_warnings():
    (warning,) = parse("volvo -jobb").warnings
    assert warning.position == 6 and "NOT jobb" in warning.hint
    (warning,) = parse("\u201cvolvo cars\u201d").warnings
    assert warning.message == "curly quotes do not make a phrase" and warning.position == 0


# --- errors -------------------------------------------------------------------------------------------------

ERRORS = [
    # (query, message (start of it), position, a part of the hint)
    ("", "the query is empty", 0, "volvo"),
    ("   <<<only a note>>> ", "the query is empty", 0, "volvo"),
    ("#", "# needs a word after it", 0, "#klimat"),
    ("a @", "@ needs a word after it", 2, "@volvo"),
    ("---", "nothing to search for", 0, "letter or a digit"),
    ("a && b", "nothing to search for", 2, "AND"),
    ("()", "empty parentheses", 0, "leave them out"),
    ("a ( )", "empty parentheses", 2, "leave them out"),
    ("a AND", "AND needs something after it", 2, "volvo AND elbil"),
    ("(a OR) b", "OR needs something after it", 3, "volvo OR elbil"),
    ("OR b", "OR needs something before it", 0, "volvo OR elbil"),
    ("(AND b)", "AND needs something before it", 1, "volvo AND elbil"),
    ("a AND AND b", "AND cannot follow AND", 6, "remove one"),
    ("a OR AND b", "AND cannot follow OR", 5, "remove one"),
    ("a NOT", "NOT needs something after it", 2, "volvo NOT jobb"),
    ("a NOT OR b", "OR cannot follow NOT", 6, "volvo NOT jobb"),
    ("a NOT NOT b", "NOT cannot follow NOT", 6, "leave both out"),
    ("(a OR (b c)", "this ( is never closed", 0, "add a )"),
    ("a (b", "this ( is never closed", 2, "add a )"),
    ("a (b))", "this ) has no matching (", 5, "remove it"),
    (")", "this ) has no matching (", 0, "remove it"),
    ('a "volvo cars', "this quote is never closed", 2, '"'),
    (r'"a \"', "this quote is never closed", 0, '\\"'),
    ("a}", "this } has no matching {", 1, "{BT}"),
    ("{BT", "this { is never closed", 0, "}"),
    ("{}", "nothing to search for in these braces", 0, "{BT}"),
    ("x {bt}", "a case-sensitive term needs a capital or an accent: {bt} would match only the lower-case form, "
               "which is not told apart", 3, "write bt to find it in any case"),
    ("{år}", "a case-sensitive term needs a capital or an accent: {år}", 1, "write år"),
    ("{Volvo 2025}", "a case-sensitive term needs a capital or an accent: {2025}", 7, "write 2025"),
    ("{BT*}", "a case-sensitive word cannot hold a wildcard", 3, "volvo*"),
    ("{#Klimat}", "braces hold words as written", 1, "#klimat"),
    ("a <<<note", "this comment is never closed", 2, ">>>"),
    ('"---"', "nothing to search for in this phrase", 0, "volvo cars"),
    ('x "a b"~', "~ needs a distance after it", 7, '"volvo elbil"~5'),
    ('"a b"~0', "a phrase's distance must be 1 to 100", 6, "~5"),
    ('"a b"~101', "a phrase's distance must be 1 to 100", 6, "~5"),
    ('"a b"~99999999999999', "a phrase's distance must be 1 to 100", 6, "~5"),
    ("volvo~2", "~ goes after a phrase in quotes", 5, '"volvo elbil"~5'),
    ("*klimat", "a wildcard cannot start a word", 0, "klimat*"),
    ("x ?x", "a wildcard cannot start a word", 2, "klimat*"),
    ("#*", "a wildcard cannot start a word", 1, "klimat*"),
    ('"a *b"', "a wildcard cannot start a word", 3, "klimat*"),
    ("e-po*", "a wildcard word can hold only letters, digits, _ and ', not '-'", 1, '"e po*"'),
    ("klimat*!", "a wildcard word can hold only letters, digits", 7, "leave out the wildcard"),
    ("https://svt.se/nyheter", "a link cannot be searched as words", 0, "use url:svt.se/nyheter"),
    ("volvo www.SVT.se", "a link cannot be searched as words", 6, "use url:svt.se"),
    ('"se https://svt.se"', "a link cannot be searched as words", 4, "use url:svt.se"),
    # NEAR
    ("a NEAR b", "NEAR needs a distance, e.g. NEAR/5", 2, "NEAR/5f"),
    ("a NEAR/x b", "NEAR needs a distance, e.g. NEAR/5", 2, "NEAR/5"),
    ("a NEAR/0 b", "a NEAR distance must be 1 to 100", 7, "side by side"),
    ("a NEAR/101 b", "a NEAR distance must be 1 to 100", 7, "side by side"),
    ("a near/3 b", "near is an operator only in capitals", 2, "write NEAR/3"),
    ("a Near/3f b", "Near is an operator only in capitals", 2, "write NEAR/3f"),
    ("a NEAR/3", "NEAR/3 needs a word on each side", 2, "volvo NEAR/5 elbil"),
    ("NEAR/3 b", "NEAR/3 needs a word on each side", 0, "volvo NEAR/5 elbil"),
    ("a AND NEAR/3 b", "NEAR/3 needs a word on each side", 6, "volvo NEAR/5 elbil"),
    ("a NEAR/3 OR b", "NEAR/3 needs a word on each side", 2, "volvo NEAR/5 elbil"),
    ("(a NEAR/3) b", "NEAR/3 needs a word on each side", 3, "volvo NEAR/5 elbil"),
    ("a NEAR/3 NOT b", "NOT cannot be used inside a NEAR", 9, "NEAR joins words, phrases and OR groups"),
    ("a NEAR/3 (b c)", "AND cannot be used inside a NEAR", 10, "NEAR joins words, phrases and OR groups"),
    ("(a AND b) NEAR/3 c", "AND cannot be used inside a NEAR", 1, "NEAR joins words, phrases and OR groups"),
    ("(a OR NOT b) NEAR/3 c", "NOT cannot be used inside a NEAR", 6, "NEAR joins words, phrases and OR groups"),
    ("a NEAR/3 title:b", "title: cannot be used inside a NEAR", 9, "NEAR joins words, phrases and OR groups"),
    ("title:(a OR b) NEAR/3 c", "title: cannot be used inside a NEAR", 0, "NEAR joins words, phrases and OR"),
    ("(title:a OR b) NEAR/3 c", "title: cannot be used inside a NEAR", 1, "NEAR joins words, phrases and OR"),
    ("lang:sv NEAR/3 c", "lang: cannot be used inside a NEAR", 0, "NEAR joins words, phrases and OR groups"),
    ("c NEAR/3 (x OR followers:[1 TO *])", "followers: cannot be used inside a NEAR", 15, "NEAR joins words"),
    # fields
    ("autor:anna", "unknown field 'autor'", 0, "did you mean author:?"),
    ("volvo tittle:(a OR b)", "unknown field 'tittle'", 6, "did you mean title:?"),
    ("re:publica", "unknown field 're'", 0, '"re:publica"'),
    ("kl:15", "unknown field 'kl'", 0, "quote it"),
    ("x:[1 TO 2]", "unknown field 'x'", 0, "the fields are text, title"),
    ("foo:", "field foo has no value", 3, "leave out the colon"),
    ("author: anna", "field author has no value", 6, "author:anna"),
    ('author:"  "', "field author has no value", 8, "author:anna"),
    ("followers:", "field followers has no value", 9, "followers:[1000 TO *]"),
    (":foo", "a field name is missing before ':'", 0, "quote it"),
    ("author:*na", "a wildcard cannot start a value", 7, "author:anna*"),
    ("url:https://*.svt.se", "a wildcard cannot start a value", 12, "url:svt.se/nyheter*"),
    ("lang:(sv en)", "lang:(…) takes values joined by OR", 9, "lang:(sv OR en)"),
    ("lang:(sv AND en)", "lang:(…) takes values joined by OR", 9, "lang:(sv OR en)"),
    ("lang:(sv OR)", "OR needs something after it", 9, "lang:(sv OR en)"),
    ("lang:()", "empty parentheses", 5, "leave them out"),
    ("lang:(sv OR en", "this ( is never closed", 5, "add a )"),
    ("author:{Anna}", "author: takes a value, not braces", 7, "not case-sensitive"),
    ('author:"a b"~2', "author: takes a value, not a phrase with a distance", 7, "leave out the ~"),
    ("title:(a text:b)", "text: cannot be used inside title:(…)", 9, "applies to all of it"),
    ("title:a:b", "a field value cannot hold another ':'", 7, 'title:"a:b"'),
    # ranges
    ("followers:1000", "followers: takes a range", 10, "write followers:[1000 TO *]"),
    ('engagement:"5"', "engagement: takes a range", 11, "write engagement:[1000 TO *]"),
    ("followers:(1 OR 2)", "followers: takes a range", 10, "write followers:[1000 TO *]"),
    ("author:[1 TO 2]", "author: does not take a range", 7, "followers:[1000 TO *]"),
    ("title:[1 TO 2]", "title: does not take a range", 6, "followers:[1000 TO *]"),
    ("followers:[100 TO 10]", "the range is empty: 100 is above 10", 11, "followers:[10 TO 100]"),
    ("followers:[1 000 TO *]", "expected TO, found '000'", 13, "write followers:[1000 TO *]"),
    ("followers:[1000 to *]", "expected TO, found 'to'", 16, "write followers:[1000 TO *]"),
    ("followers:[1k TO *]", "'1k' is not a whole number", 11, "write followers:[1000 TO *]"),
    ("followers:[1 TO 2.5]", "'2.5' is not a whole number", 16, "write followers:[1000 TO *]"),
    ("followers:[1 TO 99999999999999999999]", "'99999999999999999999' is not a whole number", 16, "followers"),
    ("followers:[]", "this range is empty", 10, "write followers:[1000 TO *]"),
    ("followers:[10]", "expected TO after the low end", 13, "write followers:[1000 TO *]"),
    ("followers:[10 TO]", "the range needs a high end after TO", 16, "write followers:[1000 TO *]"),
    ("followers:[1 TO 2 3]", "unexpected '3' in the range", 18, "write followers:[1000 TO *]"),
    ("followers:[1 TO 2", "this [ is never closed", 10, "followers:[1000 TO *]"),
    # something to look for
    ("NOT a", "a query needs something to look for: NOT only excludes", 0, "e.g. volvo NOT jobb"),
    ("a OR NOT b", "a query needs something to look for: NOT only excludes", 5, "e.g. volvo NOT jobb"),
    ("NOT (a OR b)", "a query needs something to look for: NOT only excludes", 0, "e.g. volvo NOT jobb"),
    ("NOT a NOT b", "a query needs something to look for: NOT only excludes", 0, "e.g. volvo NOT jobb"),
    ("x OR (NOT a AND NOT b)", "a query needs something to look for: NOT only excludes", 6, "volvo NOT jobb"),
    ("(NOT a) OR (b NOT c)", "a query needs something to look for: NOT only excludes", 1, "volvo NOT jobb"),
    ("NOT lang:sv", "a query needs something to look for: NOT only excludes", 0, "volvo NOT jobb"),
]


@pytest.mark.parametrize("query,message,position,hint", ERRORS, ids=[e[0] or "empty" for e in ERRORS])
def test_errors(query, message, position, hint):
    err = error(query)
    assert err.message.startswith(message)
    assert err.position == position
    assert hint in err.hint
    assert err.query == query
    text = str(err)
    lines = text.splitlines()
    assert lines[0] == f"{err.message} (at position {position + 1})"
    caret = lines[2]
    assert caret.strip() == "^" and caret.index("^") == position + 2  # under the position (no tabs here)
    assert text.endswith(f"Hint: {err.hint}")


def test_every_error_has_a_hint():
    assert all(hint for _, _, _, hint in ERRORS)
    for query, *_ in ERRORS:
        assert error(query).hint, query


def test_positive_queries_with_not_are_fine():
    for query in ("volvo NOT jobb", "a (b OR NOT c)", "(a NOT b) OR c", "NOT a b", "x OR (y NOT z)",
                  "lang:sv NOT elbil", "followers:[1 TO *] NOT x"):
        parse(query)


def test_bounds():
    parse("a" * MAX_QUERY_CHARS)
    err = error("a" * (MAX_QUERY_CHARS + 1))
    assert err.message.startswith("the query is too long") and err.position == MAX_QUERY_CHARS
    deep = "(" * MAX_NESTING + "volvo" + ")" * MAX_NESTING
    assert parse(deep).tree == Word("volvo", MAX_NESTING)
    err = error("(" * (MAX_NESTING + 1) + "volvo" + ")" * (MAX_NESTING + 1))
    assert err.message == "parentheses are nested too deeply" and err.position == MAX_NESTING
    err = error("(" * MAX_NESTING + "lang:(sv)" + ")" * MAX_NESTING)
    assert err.message == "parentheses are nested too deeply" and err.position == MAX_NESTING + 5
    huge = "9" * 5000  # more digits than int() takes
    for query in (f'"a b"~{huge}', f"a NEAR/{huge} b", f"followers:[{huge} TO *]"):
        assert "must be 1 to 100" in error(query).message or "not a whole number" in error(query).message
    for opener in ("(", "a (", "title:(", "NOT (", '"x" NEAR/2 ('):
        with pytest.raises(QueryError):
            parse(opener * 3000)  # never a RecursionError


def test_deep_but_allowed_trees_render():
    # AND, NOT and OR alternating through 100 levels of parentheses: deep, still accepted.
    query = "x"
    for k in range(MAX_NESTING):
        query = f"a{k} NOT (b{k} OR {query})"
    tree = parse(query).tree
    assert render(tree).count("NOT") == MAX_NESTING


def test_very_long_near_chains_are_refused_not_crashed():
    query = " NEAR/1 ".join(["a"] * 450)
    err = error(query)
    assert err.message == "the query is nested too deeply"
    assert isinstance(parse(" NEAR/1 ".join(["a"] * (MAX_DEPTH - 5))).tree, Near)


def test_many_operands_are_not_deep():
    query = " OR ".join(["elbil"] * 1000)
    assert len(parse(query).tree.children) == 1000
