"""The query tree as tantivy query objects (never a string for tantivy's own parser: research/STORAGE.md).

Most of the language maps exactly: words, wildcards (a regex over the analysed terms), fields, ranges,
booleans, phrases. Proximity maps exactly too. Tantivy's slop does not keep order and counts
differently (measured: a two-word phrase ``a b`` with the second word at offset k and slop s matches
where ``b`` stands k-s … k+s positions after ``a``, so ``"a b"~2`` matches ``b a``), so ``a NEAR/3 b``
between words (or OR groups of words) is the phrases ``a b`` at offset 2 slop 1 (1–3 after) and
``b a`` the same; a NEAR between longer spans is enumerated: one phrase per arrangement. When the enumeration would be
too large (wide NEARs between OR groups, long sloppy phrases) the node compiles to a *superset* (all its
words must occur) and the result is flagged inexact: the caller checks those hits with the reference
semantics (:mod:`lyssna.query.evaluate`). A NOT over an inexact node cannot be narrowed that way, so it
is left out of the index query (a superset again) and checked the same way.
"""

from __future__ import annotations

from typing import Any

import tantivy

from .ast import And, AnyOf, Keyword, Near, Node, Not, Or, Phrase, Range, Span, Word
from .evaluate import phrase_chain

__all__ = ["compile_query", "Compiled", "MAX_PATTERNS", "regex_of"]

#: The most phrase queries one proximity node may expand into before it is compiled as a superset.
MAX_PATTERNS = 256

Compiled = tuple[Any, bool]  # (tantivy.Query, exact)
Pattern = tuple[tuple[tuple[Word, int], ...], int]  # ((word, offset) …, last offset)

_REGEX_SPECIAL = set("\\.+*?()|[]{}^$#&-~\"<>@")


def regex_of(pattern: str) -> str:
    """A wildcard pattern (or a plain word) in tantivy's regex syntax, matched against a whole term."""
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch in _REGEX_SPECIAL:
            out.append("\\" + ch)
        elif ord(ch) < 32:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def _patterns(node: Span, budget: int) -> list[Pattern] | None:
    """Every arrangement of words a positional node can match as, or None when more than ``budget``."""
    if isinstance(node, Word):
        return [(((node, 0),), 0)]
    if isinstance(node, Phrase):
        if node.slop is not None:
            return _patterns(phrase_chain(node), budget)
        return [(tuple((w, i) for i, w in enumerate(node.words)), len(node.words) - 1)]
    if isinstance(node, AnyOf):
        out: list[Pattern] = []
        for option in node.options:
            got = _patterns(option, budget - len(out))
            if got is None or len(out) + len(got) > budget:
                return None
            out.extend(got)
        return out
    if isinstance(node, Near):
        left = _patterns(node.left, budget)
        right = _patterns(node.right, budget) if left is not None else None
        if left is None or right is None:
            return None
        ways = len(left) * len(right) * node.distance * (1 if node.ordered else 2)
        if ways > budget:
            return None
        out = []
        for lwords, lend in left:
            for rwords, rend in right:
                for k in range(1, node.distance + 1):
                    shift = lend + k
                    out.append((lwords + tuple((w, o + shift) for w, o in rwords), shift + rend))
                    if not node.ordered:
                        shift = rend + k
                        out.append((rwords + tuple((w, o + shift) for w, o in lwords), shift + lend))
        return out
    raise TypeError(f"not a positional node: {node!r}")


def _single_words(node: Span) -> list[Word] | None:
    """The words of a span that is one word or an OR group of single words; else None."""
    if isinstance(node, Word):
        return [node]
    if isinstance(node, Phrase) and node.slop is None and len(node.words) == 1:
        return [node.words[0]]
    if isinstance(node, AnyOf):
        out: list[Word] = []
        for option in node.options:
            got = _single_words(option)
            if got is None:
                return None
            out.extend(got)
        return out
    return None


def _windows(n: int) -> list[tuple[int, int]]:
    """``(offset, slop)`` pairs whose windows ``[offset - slop, offset + slop]`` cover exactly 1..n
    (tantivy matches a two-word phrase with slop where the second word stands that far after the first)."""
    if n % 2:
        return [((n + 1) // 2, (n - 1) // 2)]
    return [(n // 2, (n - 2) // 2), (n, 0)]


def _alternation(words: list[Word]) -> str:
    patterns = sorted({regex_of(w.value) for w in words})
    return patterns[0] if len(patterns) == 1 else "(" + "|".join(patterns) + ")"


def _near_pairs(schema: tantivy.Schema, node: Span, budget: int) -> list[Any] | None:
    """A NEAR between two single words (or OR groups of them) as two-word phrases with slop, one per
    order and window (an OR group as a regex alternation): far fewer queries than one per distance and
    pair of words. None when it does not apply."""
    if isinstance(node, Phrase) and node.slop is not None and len(node.words) == 2:
        node = Near(node.words[0], node.words[1], node.slop, False, node.pos)
    if not isinstance(node, Near):
        return None
    left, right = _single_words(node.left), _single_words(node.right)
    if left is None or right is None:
        return None
    windows = _windows(node.distance)
    orders = [(left, right)] if node.ordered else [(left, right), (right, left)]
    if len(windows) * len(orders) > budget:
        return None
    field = left[0].field
    out = []
    for firsts, seconds in orders:
        if len(firsts) == 1 and len(seconds) == 1 and not firsts[0].wildcard and not seconds[0].wildcard:
            for offset, slop in windows:
                out.append(tantivy.Query.phrase_query(
                    schema, field, [(0, firsts[0].value), (offset, seconds[0].value)], slop))
            continue
        # An OR group is one regex alternation: each side's postings are read once per window, not
        # once per pair of words.
        first, second = _alternation(firsts), _alternation(seconds)
        for offset, slop in windows:
            out.append(tantivy.Query.regex_phrase_query(schema, field, [(0, first), (offset, second)], slop))
    return out


def _word(schema: tantivy.Schema, word: Word) -> Any:
    if word.wildcard:
        return tantivy.Query.regex_query(schema, word.field, regex_of(word.value))
    return tantivy.Query.term_query(schema, word.field, word.value)


def _pattern_query(schema: tantivy.Schema, field: str, pattern: Pattern) -> Any:
    words, _ = pattern
    if len(words) == 1:
        return _word(schema, words[0][0])
    ordered = sorted(words, key=lambda wo: wo[1])
    if any(w.wildcard for w, _ in ordered):
        return tantivy.Query.regex_phrase_query(schema, field, [(o, regex_of(w.value)) for w, o in ordered])
    return tantivy.Query.phrase_query(schema, field, [(o, w.value) for w, o in ordered])


def _words_of(node: Span) -> list[Word]:
    if isinstance(node, Word):
        return [node]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, Near):
        return _words_of(node.left) + _words_of(node.right)
    return [w for o in node.options for w in _words_of(o)]


def _span_field(node: Span) -> str:
    return _words_of(node)[0].field


def _superset(schema: tantivy.Schema, node: Span) -> Any:
    """All words of the node present (for an OR group: any option's words)."""
    if isinstance(node, Word):
        return _word(schema, node)
    if isinstance(node, AnyOf):
        return _boolean([(tantivy.Occur.Should, _superset(schema, o)) for o in node.options])
    if isinstance(node, Near):
        return _boolean([(tantivy.Occur.Must, _superset(schema, node.left)),
                         (tantivy.Occur.Must, _superset(schema, node.right))])
    return _boolean([(tantivy.Occur.Must, _word(schema, w)) for w in node.words])


def _boolean(clauses: list[tuple[Any, Any]]) -> Any:
    if len(clauses) == 1 and clauses[0][0] != tantivy.Occur.MustNot:
        return clauses[0][1]
    if all(occur == tantivy.Occur.MustNot for occur, _ in clauses):
        # tantivy matches nothing with only negative clauses; NOT means "everything but".
        clauses = [(tantivy.Occur.Must, tantivy.Query.all_query()), *clauses]
    return tantivy.Query.boolean_query(clauses)


def compile_query(schema: tantivy.Schema, node: Node, *, wildcard_phrases: bool = True,
                  max_patterns: int = MAX_PATTERNS) -> Compiled:
    """``(query, exact)``: with ``exact`` False the query's hits are a superset to check.

    ``wildcard_phrases`` False compiles phrases and NEARs holding a wildcard as supersets too (tantivy
    refuses a phrase whose wildcards expand to more than 16,384 terms of the index). ``max_patterns``
    bounds the phrase queries one proximity node may become (0: every proximity node is a superset)."""
    return _compile(schema, node, wildcard_phrases, max_patterns)


def _has_wildcard(node: Span) -> bool:
    return any(w.wildcard for w in _words_of(node))


def _compile(schema: tantivy.Schema, node: Node, wildcard_phrases: bool, max_patterns: int) -> Compiled:
    compile_query = lambda s, n: _compile(s, n, wildcard_phrases, max_patterns)  # noqa: E731
    if isinstance(node, Word):
        return _word(schema, node), True
    if isinstance(node, (Phrase, Near, AnyOf)):
        allowed = wildcard_phrases or not _has_wildcard(node)
        pairs = _near_pairs(schema, node, max_patterns) if allowed else None
        if pairs is not None:
            return _boolean([(tantivy.Occur.Should, q) for q in pairs]), True
        patterns = _patterns(node, max_patterns) if allowed else None
        if patterns is None:
            return _superset(schema, node), False
        field = _span_field(node)
        return _boolean([(tantivy.Occur.Should, _pattern_query(schema, field, p)) for p in patterns]), True
    if isinstance(node, Keyword):
        if node.wildcard:
            return tantivy.Query.regex_query(schema, node.field, regex_of(node.value)), True
        return tantivy.Query.term_query(schema, node.field, node.value), True
    if isinstance(node, Range):
        low = node.low if node.low is not None or node.high is not None else -(2**63)  # [* TO *]: has a value
        return tantivy.Query.range_query(schema, node.field, tantivy.FieldType.Integer, low, node.high), True
    if isinstance(node, (And, Or)):
        occur = tantivy.Occur.Must if isinstance(node, And) else tantivy.Occur.Should
        clauses, exact = [], True
        for child in node.children:
            if isinstance(node, And) and isinstance(child, Not):
                inner, inner_exact = compile_query(schema, child.child)
                if inner_exact:
                    clauses.append((tantivy.Occur.MustNot, inner))
                else:
                    exact = False  # cannot narrow by an inexact negation: leave it to the check
                continue
            query, child_exact = compile_query(schema, child)
            exact = exact and child_exact
            clauses.append((occur, query))
        if not clauses:
            return tantivy.Query.all_query(), False
        return _boolean(clauses), exact
    if isinstance(node, Not):
        inner, inner_exact = compile_query(schema, node.child)
        if not inner_exact:
            return tantivy.Query.all_query(), False
        return _boolean([(tantivy.Occur.MustNot, inner)]), True
    raise TypeError(f"not a query node: {node!r}")
