"""Keyphrases of a post: the few runs of content words that say what it is about, Swedish and English
first-class.

How (RAKE-like, no model, no downloads):

1. The text is lower-cased and cut into tokens by one regular expression. URLs, e-mail addresses,
   @mentions, numbers,
   punctuation, emoji and line breaks are *breaks*; so is every stop word of the post's language
   (``data/stopwords_sv.tsv``, ``data/stopwords_en.tsv``: function words, the commonest verbs and
   adverbs, generic evaluative words such as "bra"/"good" and social filler such as "rt"/"lol"), and
   every one-letter word.
2. A candidate is a maximal run of the remaining words between breaks, at most :data:`MAX_WORDS` words
   (longer runs are cut into pieces of 3 from the left). A stop word is therefore never at the edge of,
   or inside, a phrase. Words are never split, so Swedish compounds ("klimatpolitik",
   "kollektivtrafiken", "eu-kommissionen") stay whole.
3. A #hashtag is a one-word candidate of its own, the word without "#" (so "#elbil" and "elbil" in the
   text count as one candidate); it breaks the run around it, since tags at the end of a tweet are a
   list, not a phrase. Tags with no letter ("#1") are dropped.
4. Score: the sum over the phrase's words of ``sqrt(min(len(word), 16))`` (longer words, Swedish
   compounds in particular, carry more content; a multi-word phrase scores more than any of its words),
   times ``1 + ln(count)`` for a candidate seen more than once. Ties go to the earlier phrase, so the
   output is deterministic. The top :data:`LIMIT` (5) are returned.

Language: ``sv`` uses the Swedish list; ``da``, ``nb``, ``nn``, ``no`` the Swedish list too (it holds a
section of Danish and Norwegian function words); ``en`` the English list; anything else (``unknown``,
``None``, other languages) both lists united.

Text is read up to :data:`MAX_CHARS` characters (long blog posts: the start says what they are about).

Measured (``python -m bench.phrases``, one core, Python 3.11, synthetic Swedish and English tweets with
tags, mentions, links and emoji): 19–21 µs per post through ``PhrasesEnricher`` (≈ 48,000 posts/s),
up to 30 µs on a busy machine; the budget is 60 µs.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..query.analysis import MatchInput
from .base import Column

__all__ = ["LIMIT", "MAX_WORDS", "MAX_CHARS", "extract_phrases", "candidates", "stopwords", "PhrasesEnricher"]

LIMIT = 5  # phrases per post
MAX_WORDS = 4  # words per phrase; longer runs are cut into pieces of _CHUNK
MAX_CHARS = 20_000  # characters of a post read
_CHUNK = 3
_DATA = Path(__file__).parent / "data"

# One group: words (and #tags) come back as themselves; everything else the pattern matches (URLs,
# @mentions, punctuation and emoji runs, line breaks) comes back as "" and is a break.
_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+"  # URL
    r"|[\w-]+(?:\.[\w-]+)+/\S*"  # bare host with a path (t.co/abc, dn.se/x)
    r"|@\w+"  # mention
    r"|(#?\w+(?:['-]\w+)*)"  # word (hyphenated, with apostrophes) or #tag
    r"|[^\w\s]+"  # punctuation, emoji
    r"|\n"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "＃": "#"})
_HAS_LETTER = re.compile(r"[^\W\d_]").search
_DIGITS = frozenset("0123456789_")
_NORDIC = frozenset({"sv", "da", "nb", "nn", "no"})


def _read_words(name: str) -> frozenset[str]:
    words = set()
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].split("\t", 1)[0].strip().lower()
        if word:
            words.add(word.translate(_APOSTROPHES))
    return frozenset(words)


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """The words that break phrases for a post in ``lang`` (see the module docstring), plus ``""``
    (what the tokeniser gives for every other break). Read once per language, cached."""
    if lang in _NORDIC:
        words = _read_words("stopwords_sv.tsv")
    elif lang == "en":
        words = _read_words("stopwords_en.tsv")
    else:
        return stopwords("sv") | stopwords("en")
    return words | {""}


def _runs(text: str, stop: frozenset[str]) -> list[list[str]]:
    """Candidate phrases as word lists, in text order (hashtags as one-word lists)."""
    out: list[list[str]] = []
    run: list[str] = []
    for t in _TOKEN.findall(text):
        if t in stop or len(t) == 1:
            if run:
                out.append(run)
                run = []
        elif t[0] == "#":
            if run:
                out.append(run)
                run = []
            tag = t[1:]
            if len(tag) > 1 and tag not in stop and _HAS_LETTER(tag):
                out.append([tag])
        elif t[0] in _DIGITS and not _HAS_LETTER(t):
            if run:
                out.append(run)
                run = []
        else:
            run.append(t)
    if run:
        out.append(run)
    return out


#: A customer-service agent's sign-off at the end of a reply (``… /Linnea``, ``^AB``): a name, not a topic.
_SIGN_OFF = re.compile(r"(?:\s[/^][A-ZÅÄÖ][\w-]{0,20}|\s-\s?[A-ZÅÄÖ][a-zåäö]{1,20})\s*$")


def candidates(text: str, lang: str | None = None) -> list[str]:
    """Every candidate phrase of ``text`` in text order (repeats kept), lower case, before scoring."""
    text = _SIGN_OFF.sub("\n", text[:MAX_CHARS]).lower().translate(_APOSTROPHES)
    if "@" in text:
        text = _EMAIL.sub("\n", text)
    out: list[str] = []
    for run in _runs(text, stopwords(lang)):
        if len(run) <= MAX_WORDS:
            out.append(" ".join(run))
        else:
            out.extend(" ".join(run[i:i + _CHUNK]) for i in range(0, len(run), _CHUNK))
    return out


@lru_cache(maxsize=65536)
def _word_weight(word: str) -> float:
    return math.sqrt(min(len(word), 16))


def _score(phrase: str) -> float:
    return sum(_word_weight(w) for w in phrase.split(" "))


def extract_phrases(text: str, lang: str | None = None, limit: int = LIMIT) -> list[str]:
    """The post's top ``limit`` keyphrases, lower case, best first (see the module docstring)."""
    found = candidates(text, lang)
    if not found:
        return []
    counts: dict[str, int] = {}
    for phrase in found:
        counts[phrase] = counts.get(phrase, 0) + 1
    if len(counts) == 1:
        return list(counts)[:limit]
    scored = []
    for order, (phrase, count) in enumerate(counts.items()):  # dicts keep first-seen order
        score = _score(phrase)
        if count > 1:
            score *= 1.0 + math.log(count)
        scored.append((-score, order, phrase))
    scored.sort()
    return [phrase for _, _, phrase in scored[:limit]]


def _text(post: MatchInput) -> str:
    return f"{post.title}\n{post.text}" if post.title else (post.text or "")


class PhrasesEnricher:
    """Up to five keyphrases per post (:func:`extract_phrases`), using the stop words of the language
    the ``language`` enricher detected."""

    name = "phrases"
    version = 2  # 2: sign-offs dropped, interjections and quote headers added to the stop words
    requires: tuple[str, ...] = ("lang",)
    provides = (Column("phrases", "VARCHAR[]"),)

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        langs = given.get("lang") or [None] * len(posts)
        return {"phrases": [extract_phrases(_text(p), lang) for p, lang in zip(posts, langs)]}
