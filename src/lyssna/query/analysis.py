"""How text becomes tokens — the one analysis shared by the percolator, the text index and the parser.

Both engines see exactly the tokens made here (the text index is given them pre-tokenised), so a query
means the same thing in the stream and over the history.

- Case-insensitive; accents are folded (``café`` → ``cafe``) **except** the Nordic letters å ä ö æ ø,
  which are letters of their own: ``ar`` is not ``år``, ``for`` is not ``för``.
- Words are not split or stemmed: ``elbil`` stays one token, never ``el bil``. Hyphens and other
  punctuation separate words (``e-post`` is the phrase ``e post``, in a query too).
- A hashtag ``#Klimat`` gives the tokens ``#klimat`` and ``klimat`` at one position, so ``klimat`` finds
  it and ``#klimat`` finds only the hashtag; mentions likewise (``@volvo`` and ``volvo``; a fediverse
  handle ``@anna@example.social`` also as ``@anna``).
- A word written with capitals or accents also gives its exact form, marked with :data:`EXACT`, at the
  same position: that is what a case-sensitive ``{BT}`` matches.
- URLs are not words of the text: they are kept, normalised, for ``url:``. Emoji are tokens.
- Bounded: at most :data:`MAX_TOKENS` positions per post and :data:`MAX_TOKEN_CHARS` characters a token.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

__all__ = [
    "EXACT", "TITLE_GAP", "MAX_TOKENS", "MAX_TOKEN_CHARS", "MatchInput", "Analysed", "fold", "tokenize",
    "query_tokens", "fold_pattern", "analyse", "keyword_values", "normalise_url", "engagement_of",
]

#: Marks the exact (case- and accent-preserving) form of a word in the token stream.
EXACT = "\x01"
#: Positions between the title and the body in the ``text`` stream, so no phrase or NEAR spans both.
TITLE_GAP = 1000
MAX_TOKENS = 20_000
MAX_TOKEN_CHARS = 100

# Combining marks kept after these base letters (NFD): å = a + ring, ä = a + diaeresis, ö = o + diaeresis.
_KEEP = {("a", "\u030a"), ("a", "\u0308"), ("o", "\u0308")}
_fold_cache: dict[str, str] = {}


def fold(value: str) -> str:
    """Lower case, accents off, å ä ö æ ø kept (NFC)."""
    cached = _fold_cache.get(value)
    if cached is not None:
        return cached
    if value.isascii():
        folded = value.lower()
    else:
        lowered = unicodedata.normalize("NFD", value.lower().replace("\u2019", "'"))
        out: list[str] = []
        previous = ""
        for ch in lowered:
            if unicodedata.combining(ch):
                if (previous, ch) in _KEEP:
                    out.append(ch)
                continue
            out.append(ch)
            previous = ch
        folded = unicodedata.normalize("NFC", "".join(out))
    if len(_fold_cache) > 200_000:
        _fold_cache.clear()
    _fold_cache[value] = folded
    return folded


_EMOJI = "\U0001F000-\U0001F3FA\U0001F400-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF"  # not the skin tones 1F3FB-1F3FF
_TOKEN = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"'`]+)"
    r"|(?<![\w@#&])@(?P<mention>\w+(?:\.\w+)*(?:@[\w-]+(?:\.[\w-]+)+)?)"
    r"|(?<![\w#&])#(?P<tag>\w+)"
    r"|(?P<word>\w+(?:['\u2019]\w+)*)"
    rf"|(?P<emoji>[{_EMOJI}])"
)
_URL_TRAIL = ".,;:!?)]}'\""


class Token(NamedTuple):
    kind: str  # url | mention | tag | word | emoji
    value: str  # as written (NFC), without # or @


def tokenize(text: str) -> Iterable[Token]:
    """The raw tokens of a text, in order (nothing folded yet)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "url":
            value = value.rstrip(_URL_TRAIL)
        yield Token(kind, value)


def _cut(token: str) -> str:
    return token[:MAX_TOKEN_CHARS]


def _forms(tok: Token) -> tuple[str, ...]:
    """The tokens one raw token puts at its position (the first is its main form)."""
    kind, value = tok
    if kind == "word":
        folded = _cut(fold(value))
        exact = _cut(value.replace("\u2019", "'"))
        return (folded, EXACT + exact) if exact != folded else (folded,)
    if kind == "tag":
        folded = _cut(fold(value))
        return ("#" + folded, folded, EXACT + _cut(value)) if value != folded else ("#" + folded, folded)
    if kind == "mention":
        folded = _cut(fold(value))
        local = folded.split("@", 1)[0]
        return ("@" + folded, "@" + local, local) if local != folded else ("@" + folded, local)
    return (value,)  # emoji


def query_tokens(text: str) -> list[tuple[str, str]]:
    """How a word of a query is searched: ``(kind, main form)`` per token, e.g. ``e-post`` → two words,
    ``#Klimat`` → ``[("tag", "#klimat")]``. URLs come back as ``("url", normalised)``."""
    out = []
    for tok in tokenize(text):
        if tok.kind == "url":
            out.append(("url", normalise_url(tok.value)))
        else:
            out.append((tok.kind, _forms(tok)[0]))
    return out


def fold_pattern(pattern: str) -> str:
    """A wildcard word folded like a token, keeping ``*`` and ``?``."""
    return "".join(ch if ch in "*?" else fold(ch) for ch in re.split(r"([*?])", pattern) if ch)


def normalise_url(url: str) -> str:
    """``https://www.SVT.se/a/`` → ``svt.se/a``: no scheme, no www., lower case, no trailing slash."""
    value = url.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    if value.startswith("www."):
        value = value[4:]
    return _cut(value.rstrip("/")) if len(value) <= 2000 else value[:2000]


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?(?:[^/?#@]*@)?([^/?#:\[\]]+)")
_suffix_cache: dict[str, tuple[str, ...]] = {}


def _host(value: str) -> str | None:
    """The host of a URL or bare domain (lower-cased input), without a port or user."""
    m = _HOST.match(value)
    return m.group(1) if m else None


def _suffixes(host: str) -> tuple[str, ...]:
    """``nyheter.svt.se`` → (``nyheter.svt.se``, ``svt.se``): the host and its parent domains, no bare TLD."""
    got = _suffix_cache.get(host)
    if got is None:
        labels = host.removeprefix("www.").split(".")
        got = tuple(".".join(labels[i:]) for i in range(len(labels) - 1))
        if len(_suffix_cache) > 100_000:
            _suffix_cache.clear()
        _suffix_cache[host] = got
    return got


def _site_values(site: str | None, url: str | None) -> set[str]:
    out: set[str] = set()
    for value in (site, url):
        if not value:
            continue
        v = value.strip().lower()
        if value is site:
            out.add(v.removeprefix("www."))
        host = _host(v)
        if host and "." in host:
            out.update(_suffixes(host))
    return out


class MatchInput(NamedTuple):
    """What matching needs of a post (the store reads it back in this shape)."""

    key: int
    created_at: object  # datetime
    platform: str
    text: str
    title: str | None = None
    url: str | None = None
    lang: str | None = None
    site: str | None = None
    author: str | None = None  # the author's handle
    country: str | None = None
    followers: int | None = None
    engagement: int | None = None


def engagement_of(likes: int | None, reposts: int | None, replies: int | None, quotes: int | None) -> int | None:
    """Likes + reposts + replies + quotes; None when the platform gave none of them."""
    values = [v for v in (likes, reposts, replies, quotes) if v is not None]
    return sum(values) if values else None


def keyword_values(field_name: str, value: str) -> set[str]:
    """The values a field of a post is indexed under (for ``author:`` also the local part of a
    fediverse handle, for ``lang:`` also the primary subtag, and ``no`` for Bokmål and Nynorsk)."""
    v = value.strip()
    if field_name == "author":
        v = fold(v.lstrip("@"))
        local = v.split("@", 1)[0]
        return {v, local} if local else {v}
    if field_name == "lang":
        v = v.lower().replace("_", "-")
        primary = v.split("-", 1)[0]
        # Norwegian: the detector says nb or nn, platforms often "no"; lang:no finds all three
        return {v, primary, "no"} if primary in ("nb", "nn") else {v, primary}
    if field_name == "url":
        return {normalise_url(v)}
    return {v.lower()}


@dataclass(slots=True)
class Analysed:
    """A post as the engines see it."""

    key: int
    text: list[tuple[str, int]]  # (token, position): the title, TITLE_GAP, then the body
    title: list[tuple[str, int]]
    keywords: dict[str, set[str]]
    followers: int | None = None
    engagement: int | None = None
    created_at: object = None
    _positions: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def positions(self, stream: str) -> dict[str, list[int]]:
        """token → its positions (sorted), for ``text`` or ``title``."""
        cached = self._positions.get(stream)
        if cached is None:
            cached = {}
            for token, position in (self.text if stream == "text" else self.title):
                got = cached.get(token)
                if got is None:
                    cached[token] = [position]
                else:
                    got.append(position)
            self._positions[stream] = cached
        return cached


_forms_cache: dict[tuple[str, ...], tuple[str, ...]] = {}


_KINDS = ("url", "mention", "tag", "word", "emoji")  # the groups of _TOKEN, in order


def _stream(text: str, start: int, links: list[str]) -> tuple[list[tuple[str, int]], int]:
    out: list[tuple[str, int]] = []
    append = out.append
    position = start
    limit = start + MAX_TOKENS
    cache = _forms_cache
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # findall gives one tuple of the five groups per token (faster than match objects); the tuple is
    # also the cache key of the token's forms.
    for groups in _TOKEN.findall(text):
        forms = cache.get(groups)
        if forms is None:
            if groups[0]:  # a URL
                if len(links) < 100:
                    links.append(groups[0].rstrip(_URL_TRAIL))
                continue
            kind = next(k for k, v in zip(_KINDS, groups) if v)
            forms = _forms(Token(kind, groups[_KINDS.index(kind)]))
            if len(cache) > 200_000:
                cache.clear()
            cache[groups] = forms
        if position >= limit:
            break
        for form in forms:
            append((form, position))
        position += 1
    return out, position


def analyse(item: MatchInput) -> Analysed:
    """The tokens and field values of one post."""
    links: list[str] = []
    title: list[tuple[str, int]] = []
    body_start = 0
    if item.title:
        title, end = _stream(item.title, 0, links)
        body_start = end + TITLE_GAP
    body, _ = _stream(item.text or "", body_start, links)
    keywords: dict[str, set[str]] = {"platform": {item.platform.lower()}}
    if item.author:
        keywords["author"] = keyword_values("author", item.author)
    if item.lang:
        keywords["lang"] = keyword_values("lang", item.lang)
    if item.country:
        keywords["country"] = keyword_values("country", item.country)
    sites = _site_values(item.site, item.url)
    if sites:
        keywords["site"] = sites
    urls = {normalise_url(u) for u in ([item.url] if item.url else []) + links}
    urls.discard("")
    if urls:
        keywords["url"] = urls
    return Analysed(item.key, title + body, title, keywords, item.followers, item.engagement, item.created_at)
