"""The query parser: a topic's or a search's text → a :mod:`lyssna.query.ast` tree, or a
:class:`~lyssna.errors.QueryError` that points at the problem (position, caret, hint).

The language is Brandwatch-style: ``AND`` ``OR`` ``NOT`` (capitals only), parentheses, words side by
side meaning AND, ``"phrases"`` (``"a b"~5`` for proximity), ``a NEAR/3 b`` (``NEAR/3f``: in this
order), wildcards ``klimat*`` ``organi?ation``, ``#hashtags`` and ``@mentions``, case-sensitive
``{BT}``, comments ``<<<…>>>``, fields (``author:anna``, ``title:(…)``, ``lang:(sv OR en)``) and ranges
(``followers:[1000 TO *]``). Precedence, tightest first: NEAR, NOT, AND, OR.

Choices:

- Every word is analysed by :mod:`lyssna.query.analysis` (``query_tokens``, ``tokenize``,
  ``fold_pattern``, ``keyword_values``), never by rules of its own, so a query term is exactly the token
  the post text gives: ``e-post`` is the phrase ``e post`` and ``Café`` is ``cafe``.
- A lazy scanner: tokens are made as the parser asks for them, so the problem reported is the first
  one in the text.
- Recursive descent with one loop per parenthesised group (OR and AND) and one function for NOT and
  NEAR, so one level of parentheses costs three Python frames; nesting is capped at :data:`MAX_NESTING` and the
  tree's depth at :data:`MAX_DEPTH` (a long NEAR chain), and the checks over the finished tree are
  iterative: no input can raise RecursionError, here or in an engine that walks the tree.
- Only :class:`QueryError` is raised on purpose. Things that parse but are probably not what was
  meant (AND and OR mixed without parentheses, lower-case ``or``, ``-word``, curly quotes) give a
  :class:`QueryWarning` instead.
- A query must have something to look for: a tree that only excludes (``NOT a``, ``a OR NOT b``) is
  an error at the NOT responsible.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import NamedTuple

from ..errors import QueryError
from .analysis import EXACT, MAX_TOKEN_CHARS, fold, fold_pattern, keyword_values, query_tokens, tokenize
from .ast import (
    KEYWORD_FIELDS, MAX_DISTANCE, RANGE_FIELDS, TEXT_FIELDS, And, AnyOf, Keyword, Near, Node, Not, Or, Phrase,
    Range, Span, Word,
)

__all__ = ["parse", "ParsedQuery", "QueryWarning", "FIELDS", "MAX_QUERY_CHARS", "MAX_NESTING", "MAX_DEPTH"]

#: Every field name the language knows.
FIELDS = TEXT_FIELDS + KEYWORD_FIELDS + RANGE_FIELDS
#: The longest query accepted, in characters.
MAX_QUERY_CHARS = 10_000
#: The deepest nesting of parentheses accepted.
MAX_NESTING = 100
#: The deepest tree accepted (bounds the recursion of every engine that walks it).
MAX_DEPTH = 400


@dataclass(frozen=True, slots=True)
class QueryWarning:
    """Something that parses but is probably not what was meant."""

    message: str
    position: int
    hint: str = ""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str
    tree: Node
    warnings: tuple[QueryWarning, ...]


def parse(text: str) -> ParsedQuery:
    """The tree of a query, with its warnings. Raises :class:`QueryError` (and nothing else) when the
    query is malformed."""
    return _Parser(text).parse()


# --- scanning -------------------------------------------------------------------------------------------

class _Tok(NamedTuple):
    kind: str  # ( ) AND OR NOT NEAR WORD PHRASE BRACES RANGE EOF
    pos: int
    end: int
    text: str  # as written; for PHRASE, BRACES and RANGE the content (a phrase's unescaped)
    offsets: tuple[int, ...] = ()  # PHRASE: where each character of ``text`` stands in the query
    number: int | None = None  # PHRASE: slop; NEAR: distance
    ordered: bool = False  # NEAR/nf


_TERM_START = frozenset({"WORD", "PHRASE", "BRACES", "(", "NOT"})
_DIGITS = re.compile(r"[0-9]+")
_NEAR = re.compile(r"NEAR/([0-9]+)(f?)")
_LOWER_NEAR = re.compile(r"near/\S*", re.IGNORECASE)
_NEAR_HINT = "NEAR joins words, phrases and OR groups, e.g. (volvo OR saab) NEAR/5 elbil"
_NEAR_FORM = "NEAR/5: at most 5 words apart; NEAR/5f: also in this order"


def _distance(digits: str) -> int:
    return int(digits) if len(digits) <= 6 else MAX_DISTANCE + 1


class _Scanner:
    """Cuts the query into tokens, one at a time."""

    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.last: _Tok | None = None

    def _error(self, message: str, position: int, hint: str = "") -> QueryError:
        return QueryError(message, self.text, position, hint)

    def _skip(self, i: int) -> int:
        """Past whitespace and comments."""
        text, n = self.text, len(self.text)
        while i < n:
            if text[i].isspace():
                i += 1
            elif text.startswith("<<<", i):
                close = text.find(">>>", i + 3)
                if close < 0:
                    raise self._error("this comment is never closed", i, "end a comment with >>>: <<<a note>>>")
                i = close + 3
            else:
                break
        return i

    def scan(self) -> _Tok:
        text = self.text
        i = self._skip(self.i)
        if i >= len(text):
            tok = _Tok("EOF", len(text), len(text), "")
        else:
            ch = text[i]
            last = self.last
            if ch in "()":
                tok = _Tok(ch, i, i + 1, ch)
            elif ch == '"':
                tok = self._phrase(i)
            elif ch == "{":
                tok = self._braces(i)
            elif ch == "}":
                raise self._error("this } has no matching {", i, "a case-sensitive word goes in braces: {BT}")
            elif ch == "[" and last is not None and last.kind == "WORD" and last.end == i and last.text.endswith(":"):
                tok = self._range(i)
            else:
                tok = self._word(i)
        self.i = tok.end
        self.last = tok
        return tok

    def _word(self, i: int) -> _Tok:
        text, n = self.text, len(self.text)
        j = i
        while j < n:
            ch = text[j]
            if ch.isspace() or ch in '(){}"' or text.startswith("<<<", j):
                break
            j += 1
            if ch == ":" and j < n and text[j] == "[":
                break
        raw = text[i:j]
        if raw in ("AND", "OR", "NOT"):
            return _Tok(raw, i, j, raw)
        if raw == "NEAR" or raw.startswith("NEAR/"):
            m = _NEAR.fullmatch(raw)
            if m is None:
                raise self._error("NEAR needs a distance, e.g. NEAR/5", i, _NEAR_FORM)
            distance = _distance(m.group(1))
            if not 1 <= distance <= MAX_DISTANCE:
                raise self._error(f"a NEAR distance must be 1 to {MAX_DISTANCE}", i + 5,
                                  "NEAR/1 means side by side; " + _NEAR_FORM)
            return _Tok("NEAR", i, j, raw, number=distance, ordered=m.group(2) == "f")
        return _Tok("WORD", i, j, raw)

    def _phrase(self, i: int) -> _Tok:
        text, n = self.text, len(self.text)
        chars: list[str] = []
        offsets: list[int] = []
        j = i + 1
        while True:
            if j >= n:
                raise self._error("this quote is never closed", i,
                                  'end the phrase with " (write \\" for a quote inside it)')
            ch = text[j]
            if ch == '"':
                break
            if ch == "\\" and j + 1 < n and text[j + 1] in '"\\':
                chars.append(text[j + 1])
                offsets.append(j)
                j += 2
                continue
            chars.append(ch)
            offsets.append(j)
            j += 1
        end = j + 1
        slop = None
        if end < n and text[end] == "~":
            m = _DIGITS.match(text, end + 1)
            if m is None:
                raise self._error("~ needs a distance after it", end,
                                  'e.g. "volvo elbil"~5: the words at most 5 apart')
            slop = _distance(m.group())
            if not 1 <= slop <= MAX_DISTANCE:
                raise self._error(f"a phrase's distance must be 1 to {MAX_DISTANCE}", end + 1,
                                  'e.g. "volvo elbil"~5: the words at most 5 apart')
            end = m.end()
        return _Tok("PHRASE", i, end, "".join(chars), tuple(offsets), slop)

    def _braces(self, i: int) -> _Tok:
        close = self.text.find("}", i + 1)
        if close < 0:
            raise self._error("this { is never closed", i, "close it with }, e.g. {BT}")
        return _Tok("BRACES", i, close + 1, self.text[i + 1:close])

    def _range(self, i: int) -> _Tok:
        close = self.text.find("]", i + 1)
        if close < 0:
            raise self._error("this [ is never closed", i, "close the range with ], e.g. followers:[1000 TO *]")
        return _Tok("RANGE", i, close + 1, self.text[i + 1:close])


# --- parsing --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Context:
    """Where the words of a group go: the text stream, and whether a field said so (``title:(…)``)."""

    field: str = "text"
    explicit: bool = False


_EXAMPLES = {"author": "anna", "platform": "twitter", "site": "svt.se", "url": "svt.se/nyheter", "lang": "sv",
             "country": "se", "text": "volvo", "title": "volvo"}
_LOOKALIKES = {"&&": "AND", "&": "AND", "||": "OR", "|": "OR", "!": "NOT", "-": "NOT"}
_LOWER_OPERATORS = {"and", "or", "not", "And", "Or", "Not"}
_CURLY = "\u201c\u201d\u201e\u00ab\u00bb"
_WILD_CHAR = re.compile(r"[\w'\u2019*?]")
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def _join(cls: type[And] | type[Or], nodes: list[Node]) -> Node:
    """``cls`` of the nodes, nested ones of the same kind flattened; one node is itself."""
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, cls):
            flat.extend(node.children)
        else:
            flat.append(node)
    return flat[0] if len(flat) == 1 else cls(tuple(flat), flat[0].pos)


def _children(node: Node) -> tuple:
    if isinstance(node, (And, Or)):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    if isinstance(node, Near):
        return (node.left, node.right)
    if isinstance(node, AnyOf):
        return node.options
    if isinstance(node, Phrase):
        return node.words
    return ()


def _stream(span: Span) -> str:
    """The text stream a span lives in (every word of a NEAR is in one)."""
    node: Node = span
    while True:
        if isinstance(node, Near):
            node = node.left
        elif isinstance(node, AnyOf):
            node = node.options[0]
        else:
            return node.field  # type: ignore[union-attr]


def _pure_not(root: Node) -> Not | None:
    """The NOT that leaves the query without anything to look for, or None when it has something.
    Positive: a leaf; an And with a positive child; an Or whose children are all positive."""
    positive: dict[int, bool] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        kids = node.children if isinstance(node, (And, Or)) else ()
        if not done and kids:
            stack.append((node, True))
            stack.extend((kid, False) for kid in kids)
            continue
        if isinstance(node, Not):
            positive[id(node)] = False
        elif isinstance(node, And):
            positive[id(node)] = any(positive[id(k)] for k in kids)
        elif isinstance(node, Or):
            positive[id(node)] = all(positive[id(k)] for k in kids)
        else:
            positive[id(node)] = True
    node = root
    while not positive[id(node)]:
        if isinstance(node, Not):
            return node
        node = next(k for k in node.children if not positive[id(k)])  # type: ignore[union-attr]
    return None


def _short(source: str) -> str:
    source = " ".join(source.split())
    return source if len(source) <= 40 else source[:18] + "…" + source[-18:]


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.scanner = _Scanner(text)
        self.ahead: _Tok | None = None
        self.cur: _Tok | None = None  # the last token taken
        self.prev: _Tok | None = None  # the one before it
        self.nesting = 0
        self.warnings: list[QueryWarning] = []

    # tokens and messages

    def error(self, message: str, position: int, hint: str = "") -> QueryError:
        return QueryError(message, self.text, position, hint)

    def warn(self, message: str, position: int, hint: str = "") -> None:
        self.warnings.append(QueryWarning(message, position, hint))

    def peek(self) -> _Tok:
        if self.ahead is None:
            self.ahead = self.scanner.scan()
        return self.ahead

    def take(self) -> _Tok:
        tok = self.peek()
        self.ahead = None
        self.prev, self.cur = self.cur, tok
        return tok

    # the query

    def parse(self) -> ParsedQuery:
        text = self.text
        if len(text) > MAX_QUERY_CHARS:
            raise self.error(f"the query is too long: {len(text):,} characters, at most {MAX_QUERY_CHARS:,}",
                             MAX_QUERY_CHARS, "split it into several topics")
        if self.peek().kind == "EOF":
            raise self.error("the query is empty", 0, "write what to look for, e.g. volvo elbil")
        tree = self.group(_Context())
        tok = self.peek()
        if tree is None or tok.kind != "EOF":
            raise self.error("this ) has no matching (", tok.pos, "remove it, or add ( where the group starts")
        self.check_depth(tree)
        offender = _pure_not(tree)
        if offender is not None:
            raise self.error("a query needs something to look for: NOT only excludes", offender.pos,
                             "e.g. volvo NOT jobb")
        warnings = tuple(sorted(self.warnings, key=lambda w: w.position))
        return ParsedQuery(text, tree, warnings)

    def check_depth(self, tree: Node) -> None:
        stack: list[tuple[Node, int]] = [(tree, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.error("the query is nested too deeply", node.pos,
                                 "split it into simpler parts, or into several topics")
            stack.extend((kid, depth + 1) for kid in _children(node))

    def group(self, ctx: _Context) -> Node | None:
        """Terms joined by AND, OR, NOT and NEAR, up to a ``)`` or the end (left for the caller)."""
        terms: list[list[tuple[Node, int, int]]] = [[]]  # OR of ANDs: (node, first, end) of each term
        ops: list[tuple[str, int]] = []  # the AND and OR operators at this level, implicit ANDs too
        pending: _Tok | None = None  # an AND or OR waiting for its right side
        while True:
            tok = self.peek()
            kind = tok.kind
            if kind in (")", "EOF"):
                if pending is not None:
                    raise self.error(f"{pending.kind} needs something after it", pending.pos,
                                     f"e.g. volvo {pending.kind} elbil")
                break
            if kind in ("AND", "OR"):
                if pending is not None:
                    raise self.error(f"{kind} cannot follow {pending.kind}", tok.pos,
                                     "remove one of the two operators, or put a word between them")
                if not terms[-1]:
                    raise self.error(f"{kind} needs something before it", tok.pos, f"e.g. volvo {kind} elbil")
                self.take()
                ops.append((kind, tok.pos))
                pending = tok
                if kind == "OR":
                    terms.append([])
                continue
            if kind == "NEAR":
                raise self.error(f"{tok.text} needs a word on each side", tok.pos, "e.g. volvo NEAR/5 elbil")
            if pending is None and terms[-1]:
                ops.append(("AND", tok.pos))
            node = self.unary(ctx)
            assert self.cur is not None
            terms[-1].append((node, tok.pos, self.cur.end))
            pending = None
        if not terms[0]:
            return None
        self.check_mixed(ops, terms)
        return _join(Or, [_join(And, [node for node, _, _ in ands]) for ands in terms])

    def check_mixed(self, ops: list[tuple[str, int]], terms: list[list[tuple[Node, int, int]]]) -> None:
        second = next((pos for kind, pos in ops if kind != ops[0][0]), None)
        if second is None:
            return
        parts = []
        for ands in terms:
            source = _short(self.text[ands[0][1]:ands[-1][2]])
            parts.append(f"({source})" if len(ands) > 1 else source)
        self.warn("AND and OR mixed without parentheses: read as " + " OR ".join(parts), second,
                  "add parentheses to say which you mean; AND binds tighter than OR")

    def unary(self, ctx: _Context) -> Node:
        """An optional NOT, then operands joined by NEAR (NEAR binds tighter than NOT)."""
        not_tok = None
        if self.peek().kind == "NOT":
            not_tok = self.take()
            tok = self.peek()
            if tok.kind == "NOT":
                raise self.error("NOT cannot follow NOT", tok.pos, "NOT NOT x is just x: leave both out")
            if tok.kind in (")", "EOF"):
                raise self.error("NOT needs something after it", not_tok.pos, "e.g. volvo NOT jobb")
            if tok.kind in ("AND", "OR"):
                raise self.error(f"{tok.kind} cannot follow NOT", tok.pos, "e.g. volvo NOT jobb")
            if tok.kind == "NEAR":
                raise self.error(f"{tok.text} needs a word on each side", tok.pos, "e.g. volvo NEAR/5 elbil")
        first = self.peek()
        node = self.primary(ctx)
        if self.peek().kind == "NEAR":
            left = self.span(node, ctx, first)
            while self.peek().kind == "NEAR":
                op = self.take()
                tok = self.peek()
                if tok.kind == "NOT":
                    raise self.error("NOT cannot be used inside a NEAR", tok.pos, _NEAR_HINT)
                if tok.kind not in _TERM_START:
                    raise self.error(f"{op.text} needs a word on each side", op.pos, "e.g. volvo NEAR/5 elbil")
                right = self.span(self.primary(ctx), ctx, tok)
                assert op.number is not None
                left = Near(left, right, op.number, op.ordered, left.pos)
            node = left
        return Not(node, not_tok.pos) if not_tok is not None else node

    def span(self, node: Node, ctx: _Context, first: _Tok) -> Span:
        """An operand of NEAR: a word, phrase, NEAR, or a group of ORs of those (an :class:`AnyOf`)."""
        if first.kind == "WORD" and ":" in first.text:
            name = first.text.split(":", 1)[0]
            if name != "text":
                raise self.error(f"{name}: cannot be used inside a NEAR", first.pos, _NEAR_HINT)
        if isinstance(node, Or):
            return AnyOf(tuple(self.option(kid, ctx) for kid in node.children), node.pos)
        return self.option(node, ctx)

    def option(self, node: Node, ctx: _Context) -> Span:
        if isinstance(node, (Word, Phrase, Near, AnyOf)):
            field = _stream(node)
            if field != ctx.field:
                raise self.error(f"{field}: cannot be used inside a NEAR", node.pos, _NEAR_HINT)
            return node
        if isinstance(node, (Keyword, Range)):
            raise self.error(f"{node.field}: cannot be used inside a NEAR", node.pos, _NEAR_HINT)
        if isinstance(node, Not):
            raise self.error("NOT cannot be used inside a NEAR", node.pos, _NEAR_HINT)
        if isinstance(node, And):
            raise self.error("AND cannot be used inside a NEAR", node.pos,
                             _NEAR_HINT + '; for words side by side write a phrase: "volvo cars"')
        raise self.error("OR groups cannot be nested inside a NEAR", node.pos, _NEAR_HINT)

    def primary(self, ctx: _Context) -> Node:
        tok = self.take()
        if tok.kind == "(":
            self.open(tok)
            node = self.group(ctx)
            self.close(tok)
            assert node is not None  # empty only before ) (checked in open) or at the end (in close)
            return node
        if tok.kind == "WORD":
            return self.word(tok, ctx)
        if tok.kind == "PHRASE":
            return self.phrase(tok, ctx.field)
        if tok.kind == "BRACES":
            return self.exact(tok, ctx.field)
        raise self.error(f"unexpected {tok.text or tok.kind}", tok.pos, "e.g. volvo AND (elbil OR laddning)")

    def open(self, tok: _Tok) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error("parentheses are nested too deeply", tok.pos, f"at most {MAX_NESTING} levels")
        if self.peek().kind == ")":
            raise self.error("empty parentheses", tok.pos, "put something to look for in them, or leave them out")

    def close(self, tok: _Tok) -> None:
        if self.peek().kind != ")":
            raise self.error("this ( is never closed", tok.pos, "add a ) where the group ends")
        self.take()
        self.nesting -= 1

    # words

    def word(self, tok: _Tok, ctx: _Context) -> Node:
        raw = tok.text
        if _LOWER_NEAR.fullmatch(raw):
            raise self.error(f"{raw.split('/')[0]} is an operator only in capitals", tok.pos,
                             f"write NEAR{raw[4:]}")
        if ":" in raw:
            return self.field(tok, ctx)
        self.check_word(tok)
        return self.term(raw, tok.pos, ctx.field)

    def check_word(self, tok: _Tok) -> None:
        """Warnings about a bare word that is probably meant as something else."""
        raw = tok.text
        if raw in _LOWER_OPERATORS:
            before = self.prev is not None and self.prev.kind in ("WORD", "PHRASE", "BRACES", ")")
            if before and self.peek().kind in _TERM_START:
                self.warn(f"lower-case '{raw}' is searched as a word; write {raw.upper()} for the operator",
                          tok.pos, f"write {raw.upper()} to join the terms, or quote it to search for the word")
        elif len(raw) > 1 and raw[0] in "-+" and raw[1].isalnum():
            self.warn(f"'{raw}' searches for {raw[1:]}: {raw[0]} is not an operator", tok.pos,
                      f"write NOT {raw[1:]} to leave it out" if raw[0] == "-" else f"write {raw[1:]}")
        curly = next((k for k, ch in enumerate(raw) if ch in _CURLY), None)
        if curly is not None and not any(w.message.startswith("curly quotes") for w in self.warnings):
            self.warn("curly quotes do not make a phrase", tok.pos + curly, 'type straight quotes: "volvo cars"')

    def term(self, raw: str, pos: int, field: str) -> Node:
        """A bare word: a word, a wildcard word, or (when analysis splits it) a phrase."""
        if "~" in raw:
            raise self.error("~ goes after a phrase in quotes", pos + raw.index("~"),
                             'e.g. "volvo elbil"~5: the words at most 5 apart')
        tokens = self.no_link(raw, pos)
        if "*" in raw or "?" in raw:
            return self.wildcard(raw, pos, field)
        if raw in ("#", "@"):
            raise self.error(f"{raw} needs a word after it", pos,
                             "e.g. #klimat" if raw == "#" else "e.g. @volvo")
        if not tokens:
            op = _LOOKALIKES.get(raw)
            raise self.error(f"nothing to search for: '{raw}' has no letters or digits", pos,
                             f"write {op} for the operator" if op else "a search word needs a letter or a digit")
        words = [Word(value, pos, field) for _, value in tokens]
        return words[0] if len(words) == 1 else Phrase(tuple(words), pos, field)

    def no_link(self, raw: str, pos: int) -> list[tuple[str, str]]:
        """The tokens of a word, or an error when it holds a link (links are searched with url:)."""
        tokens = query_tokens(raw)
        links = [value for kind, value in tokens if kind == "url"]
        if links:
            raise self.error("a link cannot be searched as words", pos,
                             f"use url:{links[0]} to find posts that link to it")
        return tokens

    def wildcard(self, raw: str, pos: int, field: str) -> Word:
        word = unicodedata.normalize("NFC", raw)
        start = 1 if word[0] in "#@" else 0
        if word[start] in "*?":
            raise self.error("a wildcard cannot start a word", pos + start,
                             "put at least one letter before * or ?, e.g. klimat*")
        for k in range(start, len(word)):
            ch = word[k]
            if not _WILD_CHAR.fullmatch(ch) or (k == start and ch in "'\u2019"):
                split = "".join(c if _WILD_CHAR.fullmatch(c) else " " for c in word).split()
                raise self.error(f"a wildcard word can hold only letters, digits, _ and ', not '{ch}'", pos + k,
                                 f'{ch} splits words: write "{" ".join(split)}" as a phrase, '
                                 "or leave out the wildcard")
        return Word(fold_pattern(word), pos, field, wildcard=True)

    def phrase(self, tok: _Tok, field: str) -> Node:
        """``"…"``: each whitespace-separated part analysed like a bare word, the words in a row."""
        words: list[Word] = []
        for m in re.finditer(r"\S+", tok.text):
            part, at = m.group(), tok.offsets[m.start()]
            if "*" in part or "?" in part:
                words.append(self.wildcard(part, at, field))
            else:  # punctuation alone ("Procter & Gamble") is no word, as in the post text
                words.extend(Word(value, at, field) for _, value in self.no_link(part, at))
        if not words:
            raise self.error("nothing to search for in this phrase", tok.pos,
                             'a phrase needs a word with a letter or a digit, e.g. "volvo cars"')
        if len(words) == 1:
            return replace(words[0], pos=tok.pos)
        return Phrase(tuple(words), tok.pos, field, tok.number)

    def exact(self, tok: _Tok, field: str) -> Node:
        """``{BT}`` / ``{Volvo Cars}``: the words as written (case and accents kept)."""
        content, base = tok.text, tok.pos + 1
        for k, ch in enumerate(content):
            if ch in "*?":
                raise self.error("a case-sensitive word cannot hold a wildcard", base + k,
                                 "write the whole word, e.g. {Volvo}; or leave out the braces: volvo* in any case")
        tokens = list(tokenize(content))
        at = _locate(content, [{"tag": "#", "mention": "@"}.get(t.kind, "") + t.value for t in tokens])
        words: list[Word] = []
        for t, offset in zip(tokens, at):
            p = base + offset if offset >= 0 else tok.pos
            if t.kind != "word":
                raise self.error("braces hold words as written, not links, hashtags, mentions or emoji", p,
                                 "write #klimat or @volvo without braces: they are found in any case")
            exact = t.value.replace("\u2019", "'")[:MAX_TOKEN_CHARS]
            folded = fold(t.value)[:MAX_TOKEN_CHARS]
            if exact == folded:
                raise self.error(f"a case-sensitive term needs a capital or an accent: {{{t.value}}} would match "
                                 "only the lower-case form, which is not told apart", p,
                                 f"write {folded} to find it in any case")
            words.append(Word(EXACT + exact, p, field))
        if not words:
            raise self.error("nothing to search for in these braces", tok.pos,
                             "write the word as it must be written, e.g. {BT}")
        if len(words) == 1:
            return replace(words[0], pos=tok.pos)
        return Phrase(tuple(words), tok.pos, field)

    # fields

    def field(self, tok: _Tok, ctx: _Context) -> Node:
        raw = tok.text
        cut = raw.index(":")
        name, rest = raw[:cut], raw[cut + 1:]
        vpos = tok.pos + cut + 1
        if name not in FIELDS and rest:
            self.no_link(raw, tok.pos)
        if not name:
            raise self.error("a field name is missing before ':'", tok.pos,
                             f"fields: {', '.join(FIELDS)}; to search for a colon in a word, quote it: \"{raw}\"")
        value: _Tok | None = None
        if not rest:
            after = self.peek()
            if after.pos == vpos and after.kind in ("PHRASE", "BRACES", "(", "RANGE"):
                value = after
            else:
                raise self.error(f"field {name} has no value", tok.pos + cut, _value_hint(name))
        if name not in FIELDS:
            close = difflib.get_close_matches(name.lower(), FIELDS, n=1)
            known = f"did you mean {close[0]}:?" if close else f"the fields are {', '.join(FIELDS)}."
            raise self.error(f"unknown field '{name}'", tok.pos,
                             f"{known} To search for a word with a colon in it, quote it: \"re:publica\"")
        if value is not None:
            self.take()
        if name in RANGE_FIELDS:
            if value is None or value.kind != "RANGE":
                raise self.error(f"{name}: takes a range", vpos, f"write {name}:[1000 TO *]")
            return self.range(name, value, tok.pos)
        if value is not None and value.kind == "RANGE":
            raise self.error(f"{name}: does not take a range", value.pos,
                             f"ranges are for {' and '.join(RANGE_FIELDS)}, e.g. followers:[1000 TO *]")
        if name in KEYWORD_FIELDS:
            if value is None:
                return self.keyword(name, rest, vpos, tok.pos)
            if value.kind == "PHRASE":
                return self.keyword_phrase(name, value, tok.pos)
            if value.kind == "(":
                return self.keyword_group(name, value)
            raise self.error(f"{name}: takes a value, not braces", value.pos,
                             f"{name}: is not case-sensitive: write {name}:{_EXAMPLES[name]}")
        # text or title: a text stream
        if ctx.explicit and name != ctx.field:
            raise self.error(f"{name}: cannot be used inside {ctx.field}:(…)", tok.pos,
                             "a field before a group applies to all of it: take this part out of the group")
        if value is None:
            if ":" in rest:
                raise self.error("a field value cannot hold another ':'", vpos + rest.index(":"),
                                 f'quote it: {name}:"{rest}"')
            return replace(self.term(rest, vpos, name), pos=tok.pos)  # type: ignore[type-var]
        if value.kind == "PHRASE":
            return replace(self.phrase(value, name), pos=tok.pos)  # type: ignore[type-var]
        if value.kind == "BRACES":
            return replace(self.exact(value, name), pos=tok.pos)  # type: ignore[type-var]
        self.open(value)
        node = self.group(_Context(name, explicit=True))
        self.close(value)
        assert node is not None
        return node

    def keyword(self, name: str, raw: str, vpos: int, pos: int) -> Keyword:
        """One value of a one-value field, analysed as the post's value is (the full value: for
        ``author:`` the whole handle, for ``lang:`` the whole tag)."""
        value = max(keyword_values(name, raw), key=len) if raw.strip() else ""
        if not value:
            raise self.error(f"field {name} has no value", vpos, _value_hint(name))
        wild = "*" in value or "?" in value
        if wild and value[0] in "*?":
            first = min(k for k in (raw.find("*"), raw.find("?")) if k >= 0)
            raise self.error("a wildcard cannot start a value", vpos + first,
                             f"write the start out, e.g. {name}:{_EXAMPLES[name]}*")
        return Keyword(name, value, pos, wild)

    def keyword_phrase(self, name: str, tok: _Tok, pos: int) -> Keyword:
        if tok.number is not None:
            raise self.error(f"{name}: takes a value, not a phrase with a distance", tok.pos,
                             f'leave out the ~: {name}:"{tok.text}"')
        return self.keyword(name, tok.text, tok.pos + 1, pos)

    def keyword_group(self, name: str, open_tok: _Tok) -> Node:
        """``lang:(sv OR en)``: values joined by OR."""
        self.open(open_tok)
        hint = f"e.g. {name}:({_EXAMPLES[name]} OR {'en' if name == 'lang' else _EXAMPLES[name] + '2'})"
        options: list[Node] = []
        while True:
            tok = self.take()
            if tok.kind == "WORD":
                options.append(self.keyword(name, tok.text, tok.pos, tok.pos))
            elif tok.kind == "PHRASE":
                options.append(self.keyword_phrase(name, tok, tok.pos))
            elif tok.kind == "EOF":
                raise self.error("this ( is never closed", open_tok.pos, "add a ) where the group ends")
            else:
                raise self.error(f"{name}:(…) takes values joined by OR", tok.pos, hint)
            after = self.peek()
            if after.kind == ")":
                break
            if after.kind == "OR":
                self.take()
                if self.peek().kind in (")", "EOF"):
                    raise self.error("OR needs something after it", after.pos, hint)
                continue
            if after.kind == "EOF":
                raise self.error("this ( is never closed", open_tok.pos, "add a ) where the group ends")
            raise self.error(f"{name}:(…) takes values joined by OR", after.pos, hint)
        self.close(open_tok)
        return _join(Or, options)

    def range(self, name: str, tok: _Tok, pos: int) -> Range:
        """``[low TO high]``: whole numbers or ``*`` (open)."""
        hint = f"write {name}:[1000 TO *]"
        parts = [(m.group(), tok.pos + 1 + m.start()) for m in re.finditer(r"\S+", tok.text)]
        closing = tok.end - 1
        if not parts:
            raise self.error("this range is empty", tok.pos, hint)
        low = self.bound(parts[0], hint)
        if len(parts) < 2:
            raise self.error("expected TO after the low end", closing, hint)
        if parts[1][0] != "TO":
            raise self.error(f"expected TO, found '{parts[1][0]}'", parts[1][1], hint + " (TO in capitals)")
        if len(parts) < 3:
            raise self.error("the range needs a high end after TO", closing, hint)
        high = self.bound(parts[2], hint)
        if len(parts) > 3:
            raise self.error(f"unexpected '{parts[3][0]}' in the range", parts[3][1], hint)
        if low is not None and high is not None and low > high:
            raise self.error(f"the range is empty: {low} is above {high}", parts[0][1],
                             f"write the smaller number first: {name}:[{high} TO {low}]")
        return Range(name, low, high, pos)

    def bound(self, part: tuple[str, int], hint: str) -> int | None:
        value, at = part
        if value == "*":
            return None
        if not _INTEGER.fullmatch(value):
            raise self.error(f"'{value}' is not a whole number", at, hint + "; * leaves an end open")
        return int(value)


def _value_hint(name: str) -> str:
    if name in RANGE_FIELDS:
        return f"write {name}:[1000 TO *]"
    if name in FIELDS:
        return f'write {name}:{_EXAMPLES[name]}, or {name}:"…" for a value with spaces'
    return "to search for the word, leave out the colon"


def _locate(content: str, values: list[str]) -> list[int]:
    """Where each token value stands in ``content`` (in order); -1 where that cannot be told."""
    if not content.isascii() and unicodedata.normalize("NFC", content) != content:
        return [-1] * len(values)
    out: list[int] = []
    cursor = 0
    for value in values:
        at = content.find(value, cursor)
        out.append(at)
        if at >= 0:
            cursor = at + len(value)
    return out
