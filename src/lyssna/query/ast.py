"""The query tree: what the parser makes of a topic's text and what every engine evaluates.

One tree, several engines: :mod:`lyssna.query.evaluate` (the reference semantics, used by the percolator
at ingest) and :mod:`lyssna.query.compile_tantivy` (the text index, for search and backfill). Values in
the tree are already *analysed* the way post text is (:mod:`lyssna.query.analysis`), so an engine never
tokenises or folds anything itself.

Positional nodes (:class:`Word`, :class:`Phrase`, :class:`Near`, :class:`AnyOf`) live in a text stream:
``text`` (the title, then the body) or ``title``. Field nodes (:class:`Keyword`, :class:`Range`) test one
value of the post. ``pos`` is the character offset in the query text, for messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

__all__ = [
    "Word", "Phrase", "AnyOf", "Near", "Keyword", "Range", "And", "Or", "Not",
    "Span", "Node", "TEXT_FIELDS", "KEYWORD_FIELDS", "RANGE_FIELDS", "MAX_DISTANCE", "render",
]

#: Positional streams.
TEXT_FIELDS = ("text", "title")
#: One-value fields, matched whole (lower-cased; wildcards allowed).
KEYWORD_FIELDS = ("author", "platform", "site", "url", "lang", "country")
#: Numeric fields for ``field:[low TO high]``.
RANGE_FIELDS = ("followers", "engagement")
#: The largest NEAR distance (or phrase slop) the language accepts.
MAX_DISTANCE = 100


@dataclass(frozen=True, slots=True)
class Word:
    """One token of a text stream. ``value`` is the analysed token: folded (lower case, accents off
    except å ä ö æ ø), ``#tag`` / ``@handle`` for hashtags and mentions, or for an exact (case-sensitive,
    ``{BT}``) word the marker :data:`lyssna.query.analysis.EXACT` followed by the word as written.
    ``wildcard``: ``value`` contains ``*`` (any run of characters) or ``?`` (one character)."""

    value: str
    pos: int = 0
    field: str = "text"
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in this order, side by side (``slop`` None), or ``"a b c"~n``: each word within ``n``
    words of the words before it, in any order (for two words exactly ``a NEAR/n b``)."""

    words: tuple[Word, ...]
    pos: int = 0
    field: str = "text"
    slop: int | None = None


@dataclass(frozen=True, slots=True)
class AnyOf:
    """An OR group inside a NEAR: any of its spans."""

    options: tuple["Span", ...]
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Near:
    """``left NEAR/distance right``: the two spans at most ``distance`` words apart (1 = side by side),
    not overlapping; ``ordered`` (``NEAR/nf``): ``left`` first. Matches as the span covering both."""

    left: "Span"
    right: "Span"
    distance: int
    ordered: bool = False
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Keyword:
    """A one-value field (:data:`KEYWORD_FIELDS`): ``value`` analysed for that field."""

    field: str
    value: str
    pos: int = 0
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Range:
    """``field:[low TO high]``, inclusive; None is open (``*``). A post without the value never matches."""

    field: str
    low: int | None
    high: int | None
    pos: int = 0


@dataclass(frozen=True, slots=True)
class And:
    children: tuple["Node", ...]
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple["Node", ...]
    pos: int = 0


@dataclass(frozen=True, slots=True)
class Not:
    child: "Node"
    pos: int = 0


Span = Union[Word, Phrase, AnyOf, Near]
Node = Union[Word, Phrase, AnyOf, Near, Keyword, Range, And, Or, Not]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(node: Node) -> str:
    """A compact, unambiguous text of a tree (for messages and test failures; not the query language)."""
    from .analysis import EXACT

    if isinstance(node, Word):
        value = "{" + node.value[1:] + "}" if node.value.startswith(EXACT) else node.value
        return (f"{node.field}:" if node.field != "text" else "") + value
    if isinstance(node, Phrase):
        words = " ".join(render(Word(w.value, field="text", wildcard=w.wildcard)) for w in node.words)
        return ((f"{node.field}:" if node.field != "text" else "") + _quote(words)
                + (f"~{node.slop}" if node.slop is not None else ""))
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(render(o) for o in node.options) + ")"
    if isinstance(node, Near):
        return f"({render(node.left)} NEAR/{node.distance}{'f' if node.ordered else ''} {render(node.right)})"
    if isinstance(node, Keyword):
        return f"{node.field}:{_quote(node.value)}"
    if isinstance(node, Range):
        low = "*" if node.low is None else node.low
        high = "*" if node.high is None else node.high
        return f"{node.field}:[{low} TO {high}]"
    if isinstance(node, And):
        return "(" + " AND ".join(render(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(render(c) for c in node.children) + ")"
    if isinstance(node, Not):
        return f"NOT {render(node.child)}"
    raise TypeError(f"not a query node: {node!r}")
