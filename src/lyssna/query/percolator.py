"""The percolator: every saved topic against each incoming post, testing a post only against the topics
that can match it (as Elasticsearch's percolate query and Lucene's Monitor do).

Each topic is indexed under its *anchors*: a set of terms such that every post it matches holds at least
one of them. For ``volvo AND (elbil OR laddning)`` that is the cheaper side — {elbil, laddning} rather
than {volvo} when words are weighed by how often they occur; for an OR the union of its sides; a NOT
adds nothing; a wildcard word is anchored on its literal prefix. A topic with no anchor (one that
matches on a number range alone) is tested on every post. A post's tokens and field values look up the
candidates; the candidates are tested with :mod:`lyssna.query.evaluate`, the reference semantics.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from .analysis import EXACT, Analysed
from .ast import And, AnyOf, Keyword, Near, Node, Not, Or, Phrase, Range, Word
from .evaluate import Test, compile_test

__all__ = ["Percolator", "anchors", "Anchor"]

#: ("t", token) a token of the text stream; ("p", prefix) a text token starting so;
#: ("k", "field=value") a field value; ("q", "field=prefix") a field value starting so.
Anchor = tuple[str, str]
#: How often a term occurs (documents), when known; lower is a better anchor.
Frequency = Callable[[Anchor], float | None]

_BROAD_FIELDS = {"platform", "lang", "country"}
_BUCKET = 3


def _literal_prefix(pattern: str) -> str:
    cut = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
    return pattern[:cut]


def _guess(anchor: Anchor) -> float:
    kind, value = anchor
    if kind == "t":
        if value.startswith((EXACT, "#", "@")):
            return 3
        return 100 if len(value) <= 2 else 20 if len(value) == 3 else 5
    if kind == "p":
        return 60 if len(value) <= 2 else 25 if len(value) == 3 else 10
    field = value.split("=", 1)[0]
    if field in _BROAD_FIELDS:
        return 10_000
    return 2 if kind == "k" else 10


def anchors(node: Node, weigh: Callable[[Anchor], float] = _guess) -> frozenset[Anchor] | None:
    """Terms one of which every matching post holds, or None when there are none (test every post)."""
    if isinstance(node, Word):
        return frozenset({("p", _literal_prefix(node.value)) if node.wildcard else ("t", node.value)})
    if isinstance(node, Keyword):
        if node.wildcard:
            return frozenset({("q", f"{node.field}={_literal_prefix(node.value)}")})
        return frozenset({("k", f"{node.field}={node.value}")})
    if isinstance(node, Phrase):
        return _cheapest([anchors(w, weigh) for w in node.words], weigh)
    if isinstance(node, Near):
        return _cheapest([anchors(node.left, weigh), anchors(node.right, weigh)], weigh)
    if isinstance(node, And):
        return _cheapest([anchors(c, weigh) for c in node.children if not isinstance(c, Not)], weigh)
    if isinstance(node, (Or, AnyOf)):
        parts = [anchors(c, weigh) for c in (node.children if isinstance(node, Or) else node.options)]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*parts)
    if isinstance(node, (Not, Range)):
        return None
    raise TypeError(f"not a query node: {node!r}")


def _cheapest(options: list[frozenset[Anchor] | None], weigh: Callable[[Anchor], float]) -> frozenset[Anchor] | None:
    best, best_cost = None, float("inf")
    for option in options:
        if option is None:
            continue
        cost = sum(weigh(a) for a in option)
        if cost < best_cost:
            best, best_cost = option, cost
    return best


class Percolator:
    """Saved queries, indexed by their anchors. ``frequency`` (e.g. document counts from the text index)
    picks the rarest anchors; without it a guess from the terms' shape is used."""

    def __init__(self, queries: Mapping[int, Node], frequency: Frequency | None = None):
        def weigh(anchor: Anchor) -> float:
            if frequency is not None:
                known = frequency(anchor)
                if known is not None:
                    return known + 1
            return _guess(anchor)

        self.tests: dict[int, Test] = {}
        self.always: list[int] = []
        self._tokens: dict[str, list[int]] = {}
        # Prefix anchors bucketed by their first (up to) _BUCKET characters: a token looks up its first
        # 1, 2 … _BUCKET characters and checks the few prefixes found there.
        self._prefixes: dict[str, list[tuple[str, list[int]]]] = {}
        prefix_topics: dict[str, list[int]] = {}
        self._keywords: dict[str, list[int]] = {}
        self._keyword_prefixes: dict[str, dict[int, dict[str, list[int]]]] = {}
        for qid, node in queries.items():
            self.tests[qid] = compile_test(node)
            found = anchors(node, weigh)
            if found is None:
                self.always.append(qid)
                continue
            for kind, value in found:
                if kind == "t":
                    self._tokens.setdefault(value, []).append(qid)
                elif kind == "p":
                    prefix_topics.setdefault(value, []).append(qid)
                elif kind == "k":
                    self._keywords.setdefault(value, []).append(qid)
                else:
                    field, _, prefix = value.partition("=")
                    (self._keyword_prefixes.setdefault(field, {}).setdefault(len(prefix), {})
                     .setdefault(prefix, []).append(qid))
        for prefix, qids in prefix_topics.items():
            self._prefixes.setdefault(prefix[:_BUCKET], []).append((prefix, qids))
        self._bucket_lengths = sorted({len(key) for key in self._prefixes})

    def __len__(self) -> int:
        return len(self.tests)

    def candidates(self, doc: Analysed) -> set[int]:
        """The topics that can match a post (a superset of those that do)."""
        found: set[int] = set(self.always)
        tokens = doc.positions("text")
        table = self._tokens
        for token in tokens.keys() & table.keys():
            found.update(table[token])
        if self._prefixes:
            buckets = self._prefixes
            lengths = self._bucket_lengths
            for token in tokens:
                for length in lengths:
                    bucket = buckets.get(token[:length])
                    if bucket:
                        for prefix, qids in bucket:
                            if token.startswith(prefix):
                                found.update(qids)
        for field, values in doc.keywords.items():
            for value in values:
                got = self._keywords.get(f"{field}={value}")
                if got:
                    found.update(got)
                by_length = self._keyword_prefixes.get(field)
                if by_length:
                    for length, prefixes in by_length.items():
                        got = prefixes.get(value[:length]) if len(value) >= length else None
                        if got:
                            found.update(got)
        return found

    def match(self, doc: Analysed) -> list[int]:
        """The topics a post matches, in id order."""
        tests = self.tests
        return sorted(qid for qid in self.candidates(doc) if tests[qid](doc))

    def match_all(self, docs: Iterable[Analysed]) -> list[tuple[int, int]]:
        """``(topic, post key)`` for every match in a batch."""
        out: list[tuple[int, int]] = []
        for doc in docs:
            out.extend((qid, doc.key) for qid in self.match(doc))
        return out

    def naive(self, doc: Analysed) -> list[int]:
        """Every topic tested on the post (the baseline the benchmark compares with)."""
        return sorted(qid for qid, test in self.tests.items() if test(doc))
