"""The text index: tantivy, given the tokens of :mod:`lyssna.query.analysis` pre-tokenised, so that a
query means exactly what it means to the percolator. It answers search and the backfill of a new or
edited topic; the everyday views never touch it (DESIGN.md).

The index is a copy derived from the store, never the other way round: documents are keyed by the
store's integer post key, posts are only ever added, and the index's largest key is its watermark —
after a crash (or with the folder deleted) it is brought up to date from the store. A folder written by
an older layout of the index is rebuilt rather than misread.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import tantivy

from ..errors import StoreBusy, StoreError
from ..query.analysis import Analysed
from ..query.ast import KEYWORD_FIELDS, Node
from ..query.compile_tantivy import MAX_PATTERNS, compile_query

__all__ = ["TextIndex", "IndexHits", "LAYOUT"]

#: Bumped whenever the schema or the analysis changes: an index of another layout is rebuilt.
LAYOUT = 3  # 2: lang holds the detected language (the platform's tag where unknown); 3: nb/nn also as no
_LAYOUT_FILE = "lyssna-layout.json"
#: Commit at most this often during an import (a tantivy commit costs 80–190 ms: research/STORAGE.md).
COMMIT_EVERY_S = 2.0
_HEAP = 128_000_000


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("key", stored=False, indexed=True, fast=True)
    sb.add_integer_field("time", stored=False, indexed=True, fast=True)
    sb.add_text_field("text", stored=False, tokenizer_name="raw", index_option="position")
    sb.add_text_field("title", stored=False, tokenizer_name="raw", index_option="position")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("followers", stored=False, indexed=True, fast=True)
    sb.add_integer_field("engagement", stored=False, indexed=True, fast=True)
    return sb.build()


def _micros(value: Any) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp() * 1_000_000)
    return int(value or 0)


def _tokens(stream: list[tuple[str, int]]) -> tantivy.PreTokenizedString:
    Token = tantivy.Token
    return tantivy.PreTokenizedString("", [Token(t, p, 0, 0) for t, p in stream])


def _guarded(call):
    """Run a tantivy call; its Rust panics (a BaseException, not an Exception) become a StoreError."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # pyo3's PanicException derives from BaseException
        if type(e).__name__ != "PanicException" and not isinstance(e, ValueError):
            raise
        raise StoreError(f"the text index failed on this query: {e}") from None


@dataclass(frozen=True, slots=True)
class IndexHits:
    """What the index found: post keys (newest first), how many in all, and whether the keys are the
    answer (``exact``) or candidates still to be checked with the reference semantics."""

    keys: list[int]
    total: int
    exact: bool


class TextIndex:
    """A tantivy index in ``folder`` (None: in memory, for tests and throwaway stores)."""

    def __init__(self, folder: str | Path | None = None, *, max_patterns: int = MAX_PATTERNS):
        self.schema = _schema()
        #: The most phrase queries one NEAR may become before it is searched as a superset and checked.
        self.max_patterns = max_patterns
        self.folder = Path(folder) if folder is not None else None
        if self.folder is None:
            self.index = tantivy.Index(self.schema)
        else:
            self.index = self._open_folder(self.folder)
        self._writer: tantivy.IndexWriter | None = None
        self._dirty = False
        self._last_commit = time.monotonic()

    def _open_folder(self, folder: Path) -> tantivy.Index:
        layout = folder / _LAYOUT_FILE
        try:
            if folder.exists():
                current = json.loads(layout.read_text()) if layout.exists() else {}
                if current.get("layout") != LAYOUT:
                    shutil.rmtree(folder)  # derived data: rebuilt from the store
            folder.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(folder), reuse=True)
            layout.write_text(json.dumps({"layout": LAYOUT}))
            return index
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot open the text index {folder}: {e}") from None

    # -- writing -----------------------------------------------------------------------------------

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self.index.writer(_HEAP, 1)
            except ValueError as e:
                if "lock" in str(e).lower():
                    raise StoreBusy(f"the text index {self.folder} is being written by another Lyssna process"
                                    ) from None
                raise StoreError(f"cannot write the text index {self.folder}: {e}") from None
        return self._writer

    def add(self, docs: Iterable[Analysed]) -> int:
        """Add analysed posts (not yet visible to searches until :meth:`commit`)."""
        writer = self._get_writer()
        n = 0
        for doc in docs:
            d = tantivy.Document()
            d.add_integer("key", doc.key)
            d.add_integer("time", _micros(doc.created_at))
            d.add_pre_tokenized_text("text", _tokens(doc.text))
            if doc.title:
                d.add_pre_tokenized_text("title", _tokens(doc.title))
            for name, values in doc.keywords.items():
                for value in values:
                    d.add_text(name, value)
            if doc.followers is not None:
                d.add_integer("followers", doc.followers)
            if doc.engagement is not None:
                d.add_integer("engagement", doc.engagement)
            writer.add_document(d)
            n += 1
        self._dirty = self._dirty or n > 0
        return n

    def commit(self, *, force: bool = True) -> bool:
        """Make added documents searchable. With ``force`` False, only if the last commit is a while ago."""
        if not self._dirty or (not force and time.monotonic() - self._last_commit < COMMIT_EVERY_S):
            return False
        self._get_writer().commit()
        self.index.reload()
        self._dirty = False
        self._last_commit = time.monotonic()
        return True

    def rollback(self) -> None:
        """Drop documents added since the last commit (after a failed batch)."""
        if self._writer is not None:
            self._writer.rollback()
        self._dirty = False

    def close(self) -> None:
        if self._writer is not None:
            if self._dirty:
                self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    # -- reading -----------------------------------------------------------------------------------

    def max_key(self) -> int:
        """The largest post key indexed (0 when empty): where to continue from."""
        searcher = self.index.searcher()
        if searcher.num_docs == 0:
            return 0
        result = searcher.search(tantivy.Query.all_query(), 1, count=False, order_by_field="key",
                                 order=tantivy.Order.Desc)
        return int(result.hits[0][0]) if result.hits else 0

    def num_docs(self) -> int:
        return self.index.searcher().num_docs

    def frequencies(self):
        """A function giving how many posts hold a term of a field (one searcher for many questions)."""
        return self.index.searcher().doc_freq

    def _query(self, node: Node, since: datetime | None, until: datetime | None,
               up_to_key: int | None, wildcard_phrases: bool = True) -> tuple[Any, bool]:
        query, exact = compile_query(self.schema, node, wildcard_phrases=wildcard_phrases,
                                     max_patterns=self.max_patterns)
        clauses = [(tantivy.Occur.Must, query)]
        if since is not None or until is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.range_query(
                self.schema, "time", tantivy.FieldType.Integer,
                _micros(since) if since is not None else None,
                _micros(until) - 1 if until is not None else None)))
        if up_to_key is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.range_query(
                self.schema, "key", tantivy.FieldType.Integer, None, up_to_key)))
        if len(clauses) > 1:
            query = tantivy.Query.boolean_query(clauses)
        return query, exact

    def search(self, node: Node, *, limit: int | None = 20, offset: int = 0, since: datetime | None = None,
               until: datetime | None = None, up_to_key: int | None = None) -> IndexHits:
        """Keys of the posts hit, newest first (``limit`` None: all of them). ``until`` is exclusive."""
        try:
            return self._search(node, limit, offset, since, until, up_to_key, True)
        except StoreError as e:
            if "max expansions" not in str(e):
                raise
            # A wildcard inside a phrase or NEAR matches too many terms for tantivy to expand: ask for
            # the superset (all the words present) and let the caller check the candidates.
            return self._search(node, limit, offset, since, until, up_to_key, False)

    def _search(self, node: Node, limit: int | None, offset: int, since: datetime | None, until: datetime | None,
                up_to_key: int | None, wildcard_phrases: bool) -> IndexHits:
        query, exact = self._query(node, since, until, up_to_key, wildcard_phrases)
        searcher = self.index.searcher()
        if limit is None:
            limit = max(searcher.num_docs - offset, 0)
        if limit <= 0:  # tantivy panics on a limit of 0: count only
            return IndexHits([], _guarded(lambda: searcher.search(query, 1, count=True).count), exact)
        result = _guarded(lambda: searcher.search(query, limit, count=True, order_by_field="time", offset=offset,
                                                  order=tantivy.Order.Desc))
        addresses = [address for _, address in result.hits]
        keys = [int(k) for k in searcher.fast_field_values("key", addresses)] if addresses else []
        return IndexHits(keys, result.count, exact)
