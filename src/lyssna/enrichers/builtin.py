"""The built-in enrichers, registered through the same registry a third party uses (``ENRICHERS``)."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from ..query.analysis import MatchInput
from .base import Column

__all__ = ["LanguageEnricher", "EntitiesEnricher", "SentimentEnricher", "ENRICHERS"]


class LanguageEnricher:
    """The language of a post, detected (the platform's own tag is kept on the post, not trusted):
    ISO 639-1 (``nb``/``nn`` for Norwegian) or ``unknown``, with a score. See
    :mod:`lyssna.enrichers.language` for the detector and its measured accuracy."""

    name = "language"
    version = 1
    requires: tuple[str, ...] = ()
    provides = (Column("lang", "VARCHAR"), Column("lang_score", "DOUBLE"))

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        from .language import detect_many

        guesses = detect_many([_text(p) for p in posts])
        return {"lang": [g.lang for g in guesses], "lang_score": [float(g.score) for g in guesses]}


class EntitiesEnricher:
    """Hashtags, mentions, URLs (and their domains), cashtags and emoji, as Twitter's conformance suite
    defines them (:mod:`lyssna.enrichers.entities`)."""

    name = "entities"
    version = 1
    requires: tuple[str, ...] = ()
    provides = (Column("hashtags", "VARCHAR[]"), Column("mentions", "VARCHAR[]"), Column("urls", "VARCHAR[]"),
                Column("domains", "VARCHAR[]"), Column("cashtags", "VARCHAR[]"), Column("emoji", "VARCHAR[]"))

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        from .entities import extract_emoji, extract_entities, url_domain

        out: dict[str, list[Any]] = {c.name: [] for c in self.provides}
        for post in posts:
            found = extract_entities(_bounded(post.text or ""))
            tags = [e.text for e in found if e.kind == "hashtag"]
            urls = [e.text for e in found if e.kind == "url"]
            out["hashtags"].append(tags)
            out["mentions"].append([e.text for e in found if e.kind in ("mention", "list")])
            out["urls"].append(urls)
            out["domains"].append(sorted({d for d in map(url_domain, urls) if d}))
            out["cashtags"].append([e.text for e in found if e.kind == "cashtag"])
            out["emoji"].append(extract_emoji(post.text or ""))
        return out


class SentimentEnricher:
    """Negative / neutral / positive and a score in [-1, 1], Swedish and English, with emoji, negation,
    intensifiers and social spelling (:mod:`lyssna.enrichers.sentiment`, accuracy in bench/README.md)."""

    name = "sentiment"
    version = 1
    requires: tuple[str, ...] = ("lang", "emoji")
    provides = (Column("sentiment", "VARCHAR"), Column("sentiment_score", "DOUBLE"))

    def __init__(self) -> None:
        self._model = None  # a TransformerSentiment when the settings name one

    def configure(self, settings: Any) -> None:
        """Use the transformer model ``settings.sentiment_model`` names, if any (its version then follows the
        model, so switching models re-runs sentiment over the history)."""
        folder = getattr(settings, "sentiment_model", "") or ""
        if folder:
            from .transformer import TransformerSentiment

            self._model = TransformerSentiment(folder)
            self.version = self._model.version

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        if self._model is not None:
            found = self._model.many([_text(p) for p in posts])
        else:
            from .sentiment import analyzer

            found = analyzer().many([_text(p) for p in posts], given["lang"], given["emoji"])
        return {"sentiment": [s.label for s in found], "sentiment_score": [s.score for s in found]}


_LONG_RUN = re.compile(r"\S{%d,}" % 500)


def _bounded(text: str) -> str:
    """Runs of over 500 characters without a space blanked (indices kept): Twitter's URL pattern takes
    time growing with the square of such a run (8,000 characters: 6.5 s), and posts are written by
    strangers. No real hashtag, mention or URL is that long."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text) if len(text) > 500 else text


def _text(post: MatchInput) -> str:
    return f"{post.title}\n{post.text}" if post.title else (post.text or "")


def _enrichers() -> tuple[type, ...]:
    from .labels import LabelsEnricher
    from .neardup import NearDuplicatesEnricher
    from .phrases import PhrasesEnricher

    return (LanguageEnricher, EntitiesEnricher, SentimentEnricher, PhrasesEnricher, NearDuplicatesEnricher,
            LabelsEnricher)


ENRICHERS = _enrichers()
