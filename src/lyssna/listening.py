"""Listening: topics, the matches they find, and search — the store, the text index and the percolator
kept in step.

The store is the truth; two things are derived from it and brought up to date by :meth:`Listening.catch_up`
(after each import batch, and before any search): the text index (every post, for search and backfill)
and the match table (every saved topic against every post, by the percolator). Each has a watermark —
the largest post key it has taken in — so an interrupted run resumes and nothing is taken in twice.

Adding or editing a topic first catches up, then asks the text index for the topic's whole history and
stores those matches with the topic's new version in one transaction. From then on the percolator finds
its matches at ingest. Where the index can only narrow a query down (see
:mod:`lyssna.query.compile_tantivy`), its candidates are checked with the reference semantics, so the
stream and the history agree.
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .errors import LyssnaError, QueryError
from .models import Topic, TopicVersion
from .query.analysis import analyse
from .query.ast import And, Keyword, Node, Not, Or
from .query.evaluate import compile_test
from .query.parser import ParsedQuery, QueryWarning, parse
from .query.percolator import Anchor, Percolator
from .store.base import StoredPost
from .store.textindex import TextIndex

__all__ = ["Listening", "SearchResult", "TopicPreview", "CatchUp", "gc_paused"]

log = logging.getLogger(__name__)

#: Posts read from the store at a time while catching up.
CATCH_UP_BATCH = 5000
#: The watermark recording that saved topics' matches use the detected language for ``lang:``.
LANG_MEANING = "lang_detected"
LANG_MEANING_VERSION = 2  # 1: the detected language; 2: lang:no also finds nb and nn
#: Candidates checked at a time when the index can only narrow a query down.
CHECK_BATCH = 5000


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one batch of analysis and matching. Those make many
    small objects without reference cycles (reference counting frees them), and every collection the
    allocations trigger walks every live object — the compiled tests of thousands of topics included:
    measured, that was half the percolator's time with 1,000 topics (bench/topics.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Posts found (newest first, at most ``limit``), how many in all, and the query's warnings."""

    query: str
    total: int
    posts: list[StoredPost]
    warnings: tuple[QueryWarning, ...]


@dataclass(frozen=True, slots=True)
class TopicPreview:
    """What a query would match over the history, before it is saved."""

    query: str
    total: int
    sample: list[StoredPost]
    warnings: tuple[QueryWarning, ...]
    first: datetime | None = None
    last: datetime | None = None


@dataclass(frozen=True, slots=True)
class CatchUp:
    indexed: int
    matched: int  # posts run through the percolator
    matches: int  # matches found


Progress = Callable[[int, int], None]  # (done, total)


class Listening:
    """Topics, matches and search over one store. ``index_folder`` None keeps the text index in memory."""

    def __init__(self, store, index_folder: str | Path | None = None, *, before: Callable[[], object] | None = None):
        """``before`` runs at the start of each catch-up: the project passes its enrichment, so that no post
        is indexed or matched before the enrichers (the language, for ``lang:``) have seen it."""
        self.store = store
        self._before = before
        self.index = TextIndex(index_folder)
        self._indexed = self.index.max_key()  # including added but not yet committed documents
        self._percolator: Percolator | None = None
        self._percolator_key: tuple | None = None
        #: Saved topics whose query this version cannot parse (name → why): not matched at ingest.
        self.unreadable: dict[str, str] = {}

    # -- keeping derived data up to date ---------------------------------------------------------------

    def _current_percolator(self, topics: Sequence[Topic]) -> Percolator | None:
        key = tuple((t.id, t.version) for t in topics)
        if key != self._percolator_key:
            trees = {}
            self.unreadable = {}
            for t in topics:
                try:
                    trees[t.id] = parse(t.query).tree
                except QueryError as e:  # saved by another version of Lyssna: never block an import on it
                    self.unreadable[t.name] = e.message
            if self.unreadable:
                log.warning("topics not matched (their queries do not parse in this version): %s",
                            ", ".join(f"{name}: {why}" for name, why in self.unreadable.items()))
            self._percolator = Percolator(trees, self._frequency()) if trees else None
            self._percolator_key = key
        return self._percolator

    def _frequency(self) -> Callable[[Anchor], float | None] | None:
        if self.index.num_docs() < 1000:
            return None  # too little seen to weigh terms by
        doc_freq = self.index.frequencies()

        def frequency(anchor: Anchor) -> float | None:
            kind, value = anchor
            if kind == "t":
                return doc_freq("text", value)
            if kind == "k":
                field, _, term = value.partition("=")
                return doc_freq(field, term)
            return None
        return frequency

    def catch_up(self, *, commit: bool = True, progress: Progress | None = None) -> CatchUp:
        """Index and match every post not yet taken in. ``commit`` False (during an import) makes new
        posts searchable only every few seconds; matches are committed with every batch regardless."""
        store = self.store
        if self._before is not None:
            self._before()
        matched_upto = store.watermark("matches")
        start = min(self._indexed, matched_upto)
        last = store.max_post_key()
        if start >= last:
            if commit:
                self.index.commit()
                self._refresh_lang_topics()
            return CatchUp(0, 0, 0)
        topics = store.topics()
        percolator = self._current_percolator(topics)
        indexed = matched = found = 0
        try:
            while True:
                rows = store.match_inputs(start, CATCH_UP_BATCH)
                if not rows:
                    break
                with gc_paused():
                    docs = [analyse(r) for r in rows]
                    fresh = [d for d in docs if d.key > self._indexed]
                    if fresh:
                        indexed += self.index.add(fresh)
                        self._indexed = fresh[-1].key
                    unmatched = [d for d in docs if d.key > matched_upto]
                    pairs = percolator.match_all(unmatched) if percolator is not None and unmatched else []
                if unmatched:
                    times = {d.key: d.created_at for d in unmatched}
                    store.add_matches([(t, k, times[k]) for t, k in pairs], upto=unmatched[-1].key)
                    matched_upto = unmatched[-1].key
                    matched += len(unmatched)
                    found += len(pairs)
                start = docs[-1].key
                if progress is not None:
                    progress(start, last)
            self.index.commit(force=commit)
        except BaseException:
            self._rollback_index()
            raise
        if commit:
            self._refresh_lang_topics()
        return CatchUp(indexed, matched, found)

    def backlog(self) -> int:
        """How many post keys the text index or the matches have still to take in."""
        return max(0, self.store.max_post_key() - min(self._indexed, self.store.watermark("matches")))

    def _rollback_index(self) -> None:
        self.index.rollback()
        self._indexed = self.index.max_key()

    def close(self) -> None:
        self.index.close()

    # -- finding ---------------------------------------------------------------------------------------

    def _hits(self, tree: Node, *, since: datetime | None = None, until: datetime | None = None,
              limit: int | None = None, up_to_key: int | None = None) -> tuple[list[int], int]:
        """Keys of matching posts, newest first (at most ``limit``), and how many match in all."""
        hits = self.index.search(tree, limit=limit, since=since, until=until, up_to_key=up_to_key)
        if hits.exact:
            return hits.keys, hits.total
        if limit is not None:  # candidates only: all of them are needed to know which match
            hits = self.index.search(tree, limit=None, since=since, until=until, up_to_key=up_to_key)
        keys = self._check(tree, hits.keys)
        return (keys if limit is None else keys[:limit]), len(keys)

    def _check(self, tree: Node, keys: list[int]) -> list[int]:
        """The candidates that really match (order kept)."""
        test = compile_test(tree)
        good: set[int] = set()
        for i in range(0, len(keys), CHECK_BATCH):
            for item in self.store.match_inputs_for(keys[i:i + CHECK_BATCH]):
                if test(analyse(item)):
                    good.add(item.key)
        return [k for k in keys if k in good]

    def search(self, query: str, *, since: datetime | None = None, until: datetime | None = None,
               limit: int = 20) -> SearchResult:
        """Posts matching a query over the whole history, newest first. ``until`` is exclusive."""
        parsed = parse(query)
        self.catch_up()
        keys, total = self._hits(parsed.tree, since=since, until=until, limit=limit)
        return SearchResult(query, total, self.store.posts_by_keys(keys), parsed.warnings)

    def preview(self, query: str, *, sample: int = 10) -> TopicPreview:
        """``topic test``: how many posts a query would match and a sample, before saving it."""
        parsed = parse(query)
        self.catch_up()
        keys, total = self._hits(parsed.tree, limit=None)
        posts = self.store.posts_by_keys(_spread(keys, sample))
        newest = self.store.posts_by_keys(keys[:1])
        oldest = self.store.posts_by_keys(keys[-1:])
        return TopicPreview(query, total, posts, parsed.warnings,
                            first=oldest[0].created_at if oldest else None,
                            last=newest[0].created_at if newest else None)

    # -- topics ----------------------------------------------------------------------------------------

    def topics(self) -> list[Topic]:
        return self.store.topics()

    def topic(self, name: str) -> Topic:
        return self.store.topic(name)

    def history(self, name: str) -> list[TopicVersion]:
        return self.store.topic_versions(self.store.topic(name).id)

    def _refresh_lang_topics(self) -> None:
        """Once per store: ``lang:`` came to mean the detected language (before, the platform's tag), so
        the matches of saved topics that use it are recomputed, without a new version of their query."""
        if self.store.watermark(LANG_MEANING) >= LANG_MEANING_VERSION:
            return
        using = []
        for t in self.store.topics():
            try:
                if _uses_lang(parse(t.query).tree):
                    using.append(t)
            except QueryError:
                continue
        if not using:
            self.store.set_watermark(LANG_MEANING, LANG_MEANING_VERSION)
            return
        upto = self.store.watermark("matches")
        for i, t in enumerate(using):
            keys, _ = self._hits(parse(t.query).tree, limit=None, up_to_key=upto)
            times = self._times(keys)
            last = i == len(using) - 1
            self.store.replace_matches(t.id, [(0, k, times[k]) for k in keys],
                                       watermark=(LANG_MEANING, LANG_MEANING_VERSION) if last else None)
        log.info("matches of %d topics using lang: recomputed with the detected language", len(using))

    def _backfill(self, parsed: ParsedQuery) -> list[tuple[int, int, datetime]]:
        self.catch_up()
        upto = self.store.watermark("matches")
        keys, _ = self._hits(parsed.tree, limit=None, up_to_key=upto)
        times = self._times(keys)
        return [(0, k, times[k]) for k in keys]

    def _times(self, keys: Sequence[int]) -> dict[int, datetime]:
        out: dict[int, datetime] = {}
        for i in range(0, len(keys), CHECK_BATCH):
            out.update((item.key, item.created_at) for item in self.store.match_inputs_for(keys[i:i + CHECK_BATCH]))
        return out

    def add(self, name: str, query: str) -> tuple[Topic, tuple[QueryWarning, ...]]:
        """Save a new topic and match it against the whole history."""
        _check_name(name)
        parsed = parse(query)
        topic = self.store.save_topic(name, query, self._backfill(parsed), new=True)
        return topic, parsed.warnings

    def edit(self, name: str, query: str, note: str | None = None) -> tuple[Topic, tuple[QueryWarning, ...]]:
        """Change a topic's query: a new version (the old ones are kept, with when they took effect) and
        its matches recomputed over the whole history."""
        current = self.store.topic(name)
        parsed = parse(query)
        if query == current.query:
            return current, parsed.warnings
        topic = self.store.save_topic(name, query, self._backfill(parsed), note=note, new=False)
        return topic, parsed.warnings

    def remove(self, name: str) -> Topic:
        """Delete a topic, its versions and its matches."""
        return self.store.delete_topic(name)

    def matches(self, name: str, limit: int = 20) -> list[StoredPost]:
        return self.store.topic_matches(self.store.topic(name).id, limit)


def _spread(keys: Sequence[int], n: int) -> list[int]:
    """``n`` keys spread over the list (a sample across the whole period, not only the newest)."""
    if len(keys) <= n:
        return list(keys)
    step = len(keys) / n
    return [keys[int(i * step)] for i in range(n)]


def _check_name(name: str) -> None:
    if not name or not name.strip() or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise LyssnaError(f"{name!r} is not a topic name: use 1–200 printable characters, "
                          "e.g. lyssna topic add norrsken '\"norrsken energi\" OR #norrsken'")



def _uses_lang(node: Node) -> bool:
    if isinstance(node, Keyword):
        return node.field == "lang"
    if isinstance(node, (And, Or)):
        return any(_uses_lang(c) for c in node.children)
    if isinstance(node, Not):
        return _uses_lang(node.child)
    return False  # words, phrases and NEAR hold no fields
