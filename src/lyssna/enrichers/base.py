"""What an enricher is: a component that adds columns to posts, a batch at a time.

An enricher declares itself (STYLE.md habit 4): its ``name``, a ``version`` (bump it when its output
changes: the store then runs it again over the whole history), the columns it ``requires`` (provided
by enrichers before it) and the columns it ``provides``, each with its DuckDB type. ``enrich`` gets a
batch of posts (:class:`~lyssna.query.analysis.MatchInput`: text, title, platform, declared language …)
and the columns given by the enrichers before it, and returns one list per provided column, a value per
post. Built-in enrichers are registered like a third party's (:mod:`lyssna.plugins`, entry point group
``lyssna.enrichers``, a module defining ``ENRICHERS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence

from ..errors import LyssnaError
from ..query.analysis import MatchInput

__all__ = ["Column", "Enricher", "EnricherError", "chain", "COLUMN_TYPES"]

#: The column types an enricher may declare (kept to what the store and analytics know how to read).
COLUMN_TYPES = frozenset({"VARCHAR", "DOUBLE", "BIGINT", "BOOLEAN", "VARCHAR[]"})
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


class EnricherError(LyssnaError):
    """An enricher is declared wrongly (bad column, a requirement nobody provides, a cycle)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name) or self.name == "post_key":
            raise EnricherError(f"column name {self.name!r}: use lower-case letters, digits and _ (not post_key)")
        if self.type not in COLUMN_TYPES:
            raise EnricherError(f"column {self.name}: type {self.type!r} is not one of {sorted(COLUMN_TYPES)}")


class Enricher(Protocol):
    name: str
    version: int
    requires: tuple[str, ...]
    provides: tuple[Column, ...]

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]: ...


def chain(enrichers: Sequence[Enricher]) -> list[Enricher]:
    """The enrichers in an order where each comes after those providing what it requires. Refuses two
    enrichers of one name or providing one column, a requirement nobody provides, and cycles."""
    by_column: dict[str, Enricher] = {}
    names: set[str] = set()
    for e in enrichers:
        if e.name in names:
            raise EnricherError(f"two enrichers are named {e.name!r}")
        names.add(e.name)
        for column in e.provides:
            if column.name in by_column:
                raise EnricherError(f"{e.name} and {by_column[column.name].name} both provide {column.name!r}")
            by_column[column.name] = e
    for e in enrichers:
        for need in e.requires:
            if need not in by_column:
                raise EnricherError(f"{e.name} requires {need!r}, which no enricher provides")
    ordered: list[Enricher] = []
    placed: set[str] = set()
    pending = list(enrichers)
    while pending:
        ready = [e for e in pending if all(by_column[n].name in placed for n in e.requires)]
        if not ready:
            raise EnricherError("enrichers require each other in a cycle: " + ", ".join(e.name for e in pending))
        for e in ready:
            ordered.append(e)
            placed.add(e.name)
            pending.remove(e)
    return ordered
