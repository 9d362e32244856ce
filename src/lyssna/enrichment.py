"""Enrichment kept in step with the store: every post run through the enrichers, once per enricher
version.

Like the text index and the matches (:mod:`lyssna.listening`), enrichments are derived from the store
and brought up to date after each import batch: the new posts are read back by key, each enricher in
:func:`~lyssna.enrichers.base.chain` order gets the batch and what the enrichers before it gave, and the
columns are written with each enricher's progress in one transaction — an interrupted run resumes, and
nothing is enriched twice. An enricher whose ``version`` changed starts again from the first post, so an
improved enricher re-runs over the history by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .enrichers.base import Enricher, chain
from .listening import CATCH_UP_BATCH, gc_paused

__all__ = ["Enrichment", "EnrichmentRun"]


@dataclass(frozen=True, slots=True)
class EnrichmentRun:
    posts: int  # posts read
    runs: dict[str, int]  # enricher → posts it enriched


class Enrichment:
    """The enrichers of a store, in order."""

    def __init__(self, store, enrichers: Sequence[Enricher], *, batch: int = CATCH_UP_BATCH):
        self.store = store
        self.batch = batch
        self.enrichers = chain(enrichers)
        store.ensure_enrichment_columns([(c.name, c.type) for e in self.enrichers for c in e.provides])
        for e in self.enrichers:
            attach = getattr(e, "attach", None)
            if attach is not None:  # an enricher that keeps state of its own in the store (near-duplicates)
                attach(store)

    def _progress(self) -> dict[str, int]:
        state = self.store.enricher_state()
        out = {}
        for e in self.enrichers:
            version, upto = state.get(e.name, (None, 0))
            out[e.name] = upto if version == e.version else 0  # a new version runs over everything again
        return out

    def backlog(self) -> int:
        if not self.enrichers:
            return 0
        return max(0, self.store.max_post_key() - min(self._progress().values()))

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> EnrichmentRun:
        if not self.enrichers:
            return EnrichmentRun(0, {})
        store = self.store
        upto = self._progress()
        start = min(upto.values())
        last = store.max_post_key()
        read = 0
        runs = {e.name: 0 for e in self.enrichers}
        while start < last:
            rows = store.match_inputs(start, self.batch)
            if not rows:
                break
            end = rows[-1].key
            given: dict[str, list] = {}
            columns: dict[str, tuple[str, list]] = {}
            with gc_paused():
                # Every enricher runs on every batch read, also one already up to date for these posts
                # (after another's version changed): the enrichers after it need its columns, and it is
                # deterministic, so its values are the same.
                for e in self.enrichers:
                    out = e.enrich(rows, given)
                    for column in e.provides:
                        values = out[column.name]
                        if len(values) != len(rows):
                            raise ValueError(f"enricher {e.name} gave {len(values)} values of {column.name} "
                                             f"for {len(rows)} posts")
                        given[column.name] = values
                        columns[column.name] = (column.type, values)
                    runs[e.name] += sum(1 for r in rows if r.key > upto[e.name])
            store.write_enrichments([r.key for r in rows], columns,
                                    [(e.name, e.version, end) for e in self.enrichers])
            for e in self.enrichers:
                upto[e.name] = end
            read += len(rows)
            start = end
            if progress is not None:
                progress(end, last)
        return EnrichmentRun(read, runs)
