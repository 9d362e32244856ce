"""The reference semantics of the query language: a tree compiled into a Python test of one post.

The percolator runs these tests at ingest; the text index must give the same answers (a property test
checks it), and where it cannot express a node exactly its hits are checked with these tests.

Positional rules:

- A word matches at each position holding its token; a wildcard word at each token it fully matches
  (``*`` any run of characters, ``?`` one character).
- A phrase matches where its words stand side by side, in order, and covers them.
- ``a NEAR/n b`` matches where a span of ``a`` and a span of ``b`` do not overlap and the gap between
  them is at most ``n`` positions (side by side = 1); ``NEAR/nf`` also needs ``a`` first. It covers both.
- ``"w1 w2 … wk"~n`` is ``w1 NEAR/n w2 NEAR/n … NEAR/n wk``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .analysis import Analysed
from .ast import And, AnyOf, Keyword, Near, Node, Not, Or, Phrase, Range, Span, Word

__all__ = ["Test", "compile_test", "spans", "pattern_regex", "phrase_chain", "matches"]

Test = Callable[[Analysed], bool]
SpanSet = set[tuple[int, int]]


@lru_cache(maxsize=4096)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A wildcard pattern as a regular expression matched against a whole token."""
    parts = []
    for ch in pattern:
        parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("".join(parts), re.DOTALL)


def phrase_chain(phrase: Phrase) -> Span:
    """A sloppy phrase as the NEAR chain it means."""
    assert phrase.slop is not None
    node: Span = phrase.words[0]
    for word in phrase.words[1:]:
        node = Near(node, word, phrase.slop, False, phrase.pos)
    return node


def _word_positions(word: Word, doc: Analysed) -> list[int]:
    table = doc.positions(word.field)
    if not word.wildcard:
        return table.get(word.value, [])
    rx = pattern_regex(word.value)
    out: list[int] = []
    for token, positions in table.items():
        if rx.fullmatch(token):
            out.extend(positions)
    return out


def spans(node: Span, doc: Analysed) -> SpanSet:
    """Where a positional node matches: (first, last) positions."""
    if isinstance(node, Word):
        return {(p, p) for p in _word_positions(node, doc)}
    if isinstance(node, Phrase):
        if node.slop is not None:
            return spans(phrase_chain(node), doc)
        first = _word_positions(node.words[0], doc)
        if not first:
            return set()
        rest = [set(_word_positions(w, doc)) for w in node.words[1:]]
        k = len(node.words)
        return {(p, p + k - 1) for p in first if all(p + i + 1 in s for i, s in enumerate(rest))}
    if isinstance(node, AnyOf):
        out: SpanSet = set()
        for option in node.options:
            out |= spans(option, doc)
        return out
    if isinstance(node, Near):
        left = spans(node.left, doc)
        if not left:
            return set()
        right = spans(node.right, doc)
        n = node.distance
        out = set()
        for s1, e1 in left:
            for s2, e2 in right:
                if 0 < s2 - e1 <= n:
                    out.add((s1, e2))
                elif not node.ordered and 0 < s1 - e2 <= n:
                    out.add((s2, e1))
        return out
    raise TypeError(f"not a positional node: {node!r}")


def compile_test(node: Node) -> Test:
    """A function telling whether a post matches ``node``."""
    if isinstance(node, Word):
        if node.wildcard:
            rx = pattern_regex(node.value)
            fld = node.field
            return lambda doc: any(rx.fullmatch(t) for t in doc.positions(fld))
        value, fld = node.value, node.field
        return lambda doc: value in doc.positions(fld)
    if isinstance(node, (Phrase, AnyOf, Near)):
        return lambda doc: bool(spans(node, doc))
    if isinstance(node, Keyword):
        fld = node.field
        if node.wildcard:
            rx = pattern_regex(node.value)
            return lambda doc: any(rx.fullmatch(v) for v in doc.keywords.get(fld, ()))
        value = node.value
        return lambda doc: value in doc.keywords.get(fld, ())
    if isinstance(node, Range):
        low = node.low if node.low is not None else -(2**63)
        high = node.high if node.high is not None else 2**63 - 1
        attr = node.field

        def in_range(doc: Analysed) -> bool:
            value = getattr(doc, attr)
            return value is not None and low <= value <= high
        return in_range
    if isinstance(node, And):
        # Cheap tests first: plain words before positional work.
        tests = [compile_test(c) for c in sorted(node.children, key=_cost)]
        if len(tests) == 2:
            a, b = tests
            return lambda doc: a(doc) and b(doc)
        return lambda doc: all(t(doc) for t in tests)
    if isinstance(node, Or):
        tests = [compile_test(c) for c in sorted(node.children, key=_cost)]
        if len(tests) == 2:
            a, b = tests
            return lambda doc: a(doc) or b(doc)
        return lambda doc: any(t(doc) for t in tests)
    if isinstance(node, Not):
        inner = compile_test(node.child)
        return lambda doc: not inner(doc)
    raise TypeError(f"not a query node: {node!r}")


def _cost(node: Node) -> int:
    if isinstance(node, (Keyword, Range)) or (isinstance(node, Word) and not node.wildcard):
        return 0
    if isinstance(node, Word):
        return 1
    if isinstance(node, Not):
        return _cost(node.child) + 1
    if isinstance(node, (And, Or)):
        return 2 + max(_cost(c) for c in node.children)
    return 3


def matches(node: Node, doc: Analysed) -> bool:
    """Whether one post matches (compiles each time: for tests and one-offs)."""
    return compile_test(node)(doc)
