"""The parser on generated input: any text gives a tree or a :class:`QueryError` (never another exception,
never a position outside the query, never an error without a hint), and queries generated from the
grammar give exactly the tree they were generated from."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lyssna.errors import QueryError
from lyssna.query import parser as parser_module
from lyssna.query.analysis import EXACT
from lyssna.query.ast import MAX_DISTANCE, And, AnyOf, Keyword, Near, Not, Or, Phrase, Range, Word, render
from lyssna.query.parser import ParsedQuery, parse

from .trees import nopos, positive

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class StrictQueryError(QueryError):
    """A QueryError that checks, before QueryError clamps it, that the parser's position is in the query,
    and that the error comes with a message and a hint."""

    def __init__(self, message: str, query: str, position: int, hint: str = ""):
        assert 0 <= position <= len(query), f"position {position} outside a query of {len(query)}: {message}"
        assert message and hint, f"an error needs a message and a hint: {message!r} {hint!r}"
        super().__init__(message, query, position, hint)


@contextmanager
def strict_errors():
    with mock.patch.object(parser_module, "QueryError", StrictQueryError):
        yield


def nodes(node):
    yield node
    if isinstance(node, (And, Or)):
        for kid in node.children:
            yield from nodes(kid)
    elif isinstance(node, Not):
        yield from nodes(node.child)
    elif isinstance(node, Near):
        yield from nodes(node.left)
        yield from nodes(node.right)
    elif isinstance(node, AnyOf):
        for option in node.options:
            yield from nodes(option)
    elif isinstance(node, Phrase):
        yield from node.words


def check_tree(parsed: ParsedQuery, text: str) -> None:
    """What every tree the parser gives must satisfy."""
    assert parsed.text == text
    for node in nodes(parsed.tree):
        assert isinstance(node, (Word, Phrase, AnyOf, Near, Keyword, Range, And, Or, Not)), node
        assert 0 <= node.pos < len(text), node
        if isinstance(node, Word):
            assert node.value and node.field in ("text", "title")
            assert node.wildcard == ("*" in node.value or "?" in node.value)
            if node.wildcard:
                assert node.value.lstrip("#@")[0] not in "*?"
        elif isinstance(node, Phrase):
            assert len(node.words) >= 2 and all(w.field == node.field for w in node.words)
            assert node.slop is None or 1 <= node.slop <= MAX_DISTANCE
        elif isinstance(node, Near):
            assert 1 <= node.distance <= MAX_DISTANCE
        elif isinstance(node, (And, Or)):
            assert len(node.children) >= 2
            assert not any(isinstance(kid, type(node)) for kid in node.children), "not flattened"
        elif isinstance(node, AnyOf):
            assert len(node.options) >= 2
        elif isinstance(node, Keyword):
            assert node.value and node.value[0] not in "*?"
        elif isinstance(node, Range):
            assert node.low is None or node.high is None or node.low <= node.high
    for warning in parsed.warnings:
        assert 0 <= warning.position <= len(text) and warning.message
    render(parsed.tree)


def parse_or_error(text: str) -> ParsedQuery | None:
    """The property: a ParsedQuery or a QueryError, nothing else."""
    with strict_errors():
        try:
            parsed = parse(text)
        except QueryError as err:
            assert isinstance(err, StrictQueryError)
            assert 0 <= err.position <= len(text)
            assert "^" in str(err)
            return None
    check_tree(parsed, text)
    return parsed


def test_the_strict_error_really_catches_bad_positions():
    with pytest.raises(AssertionError):
        StrictQueryError("m", "abc", 4, "h")
    with pytest.raises(AssertionError):
        StrictQueryError("m", "abc", 0)
    with strict_errors(), pytest.raises(StrictQueryError):
        parse("a AND")


# --- (1) any text -------------------------------------------------------------------------------------------

SYNTAX = list('()"{}[]<>:*?~#@\\/-_.,’“”\'!&| \t\n') + [
    "AND", "OR", "NOT", "NEAR", "TO", "<<<", ">>>", "NEAR/", "é", "e\u0301", "Å", "ö", "\x00", "\x1f", "🙂", "٣", "²"]

any_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=3)), max_size=30).map("".join),
)


@FAST
@given(any_text)
def test_any_text_parses_or_raises_a_query_error(text):
    parse_or_error(text)


# --- (2) text built from the language's pieces --------------------------------------------------------------

WORDS = ["volvo", "Volvo", "elbil", "för", "år", "ar", "Café", "klimat", "Norrsken", "laddning", "jobb", "och",
         "the", "car", "electric", "e-post", "3.5", "don't", "Don’t", "BT", "or", "and", "not", "near", "x"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(["AND", "OR", "NOT", "(", ")", '"', "{", "}", "[", "]", "*", "?", "~", "<<<", ">>>", ":",
                     "#", "@", "\\", "TO", "NEAR", "near/2", "-"]),
    st.builds(lambda n, f: f"NEAR/{n}{f}", st.integers(-1, 120), st.sampled_from(["", "f", "F", "x"])),
    st.builds(lambda w, n: f'"{w}"~{n}', st.sampled_from(["volvo elbil", "a", "", "klim* år", 'x \\" y']),
              st.integers(0, 120)),
    st.sampled_from([f + ":" for f in ("author", "title", "text", "lang", "url", "site", "platform", "country",
                                        "followers", "engagement", "autor", "kl", "")]),
    st.sampled_from(["followers:[1000 TO *]", "engagement:[10 TO 5]", "followers:[1 000 TO *]", "lang:(sv OR en)",
                     "author:@Anna", "url:https://www.svt.se/a/*", "title:(volvo OR saab)", "https://svt.se/x",
                     "klimat*", "*klimat", "organi?ation", "e-po*", "#klimat*", "{Volvo Cars}", "{bt}", "{B*}",
                     "#", "@", "()", "&&", "---", "“volvo”"]),
    st.builds(lambda f, a, b: f"{f}:[{a} TO {b}]", st.sampled_from(["followers", "engagement", "author"]),
              st.one_of(st.integers(-10**20, 10**20).map(str), st.sampled_from(["*", "", "1.5", "x", "²"])),
              st.one_of(st.integers(-10**20, 10**20).map(str), st.sampled_from(["*", "", "TO", "٣"]))),
    st.text(max_size=4),
)
built_text = st.lists(st.tuples(PIECES, st.sampled_from(["", " ", " ", "\n"])), max_size=25).map(
    lambda parts: "".join(p + sep for p, sep in parts))


@FAST
@given(built_text)
def test_text_built_from_the_language_parses_or_raises_a_query_error(text):
    parse_or_error(text)


# --- (3) valid queries: the parser gives exactly the tree they were built from ------------------------------

LEAVES = [  # (as written, the word / phrase it is)
    ("volvo", Word("volvo")), ("Elbil", Word("elbil")), ("för", Word("för")), ("år", Word("år")),
    ("Café", Word("cafe")), ("Norrsken", Word("norrsken")), ("klimat*", Word("klimat*", wildcard=True)),
    ("organi?ation", Word("organi?ation", wildcard=True)), ("#Klimat", Word("#klimat")),
    ("@volvo", Word("@volvo")), ("{BT}", Word(EXACT + "BT")), ("{Volvo}", Word(EXACT + "Volvo")),
    ("electric", Word("electric")), ("don't", Word("don't")), ("e-post", Phrase((Word("e"), Word("post")))),
    ('"volvo cars"', Phrase((Word("volvo"), Word("cars")))),
    ('"elbil för år"~3', Phrase((Word("elbil"), Word("för"), Word("år")), slop=3)),
    ('"klim* Förändring"', Phrase((Word("klim*", wildcard=True), Word("förändring")))),
    ("{Volvo Cars}", Phrase((Word(EXACT + "Volvo"), Word(EXACT + "Cars")))),
]
FIELD_LEAVES = [
    ("lang:sv", Keyword("lang", "sv")), ("author:@Anna", Keyword("author", "anna")),
    ("url:svt.se/*", Keyword("url", "svt.se/*", wildcard=True)), ("country:SE", Keyword("country", "se")),
    ("followers:[1000 TO *]", Range("followers", 1000, None)), ("engagement:[1 TO 10]", Range("engagement", 1, 10)),
    ("title:Volvo", Word("volvo", field="title")), ("lang:(sv OR en)", Or((Keyword("lang", "sv"),
                                                                          Keyword("lang", "en")))),
]


def flat(cls, items):
    out = []
    for item in items:
        out.extend(item.children if isinstance(item, cls) else (item,))
    return cls(tuple(out))


def any_of(items):
    out = []
    for item in items:
        out.extend(item.options if isinstance(item, AnyOf) else (item,))
    return AnyOf(tuple(out))


def leaf(pool):
    return st.sampled_from(pool)


spans = st.recursive(
    leaf(LEAVES),
    lambda inner: st.one_of(
        st.builds(lambda a, b, n, f: (f"({a[0]} NEAR/{n}{'f' if f else ''} {b[0]})", Near(a[1], b[1], n, f)),
                  inner, inner, st.integers(1, MAX_DISTANCE), st.booleans()),
        st.lists(inner, min_size=2, max_size=3).map(
            lambda xs: ("(" + " OR ".join(x[0] for x in xs) + ")", any_of([x[1] for x in xs]))),
    ),
    max_leaves=5,
)


def near_top(pair):
    """A span at the top of a boolean: an OR group that is not inside a NEAR is an Or, not an AnyOf."""
    text, node = pair
    if isinstance(node, AnyOf):
        return text, Or(tuple(node.options))
    return pair


def _and(xs, implicit):
    return ("(" + (" " if implicit else " AND ").join(x[0] for x in xs) + ")", flat(And, [x[1] for x in xs]))


def _or(xs):
    return "(" + " OR ".join(x[0] for x in xs) + ")", flat(Or, [x[1] for x in xs])


def _not(x):
    return (f"NOT ({x[0]})" if x[0].startswith("NOT") else f"NOT {x[0]}"), Not(x[1])


booleans = st.recursive(
    st.one_of(spans.map(near_top), leaf(FIELD_LEAVES)),
    lambda inner: st.one_of(
        st.builds(_and, st.lists(inner, min_size=2, max_size=3), st.booleans()),
        st.lists(inner, min_size=2, max_size=3).map(_or),
        inner.map(_not),
    ),
    max_leaves=8,
)


def leaf_words(node) -> list[str]:
    return sorted(n.value for n in nodes(node) if isinstance(n, Word))


@FAST
@given(booleans)
def test_valid_queries_give_the_tree_they_were_built_from(pair):
    text, expected = pair
    parsed = parse_or_error(text)
    if not positive(expected):
        assert parsed is None, "a query that only excludes must be an error"
        with pytest.raises(QueryError, match="NOT only excludes"):
            parse(text)
        return
    assert parsed is not None, text
    assert parsed.warnings == ()
    assert nopos(parsed.tree) == expected
    assert leaf_words(parsed.tree) == leaf_words(expected)


@FAST
@given(st.lists(st.tuples(st.sampled_from(LEAVES), st.sampled_from([" ", " AND ", "  \n "])), min_size=1,
                max_size=8))
def test_words_side_by_side_positions_point_at_the_words(items):
    text, starts = "", []
    for (written, _), sep in items:
        text += sep if text else ""
        starts.append(len(text))
        text += written
    tree = parse(text).tree
    children = tree.children if isinstance(tree, And) else (tree,)
    assert [child.pos for child in children] == starts
    assert [nopos(child) for child in children] == [node for (_, node), _ in items]
