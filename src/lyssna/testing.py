"""Fakes, builders and the format contract, shipped for plugin authors (and used by Lyssna's own tests).

>>> from lyssna.testing import memory_store, make_post
>>> store = memory_store()
>>> store.write_batch([make_post("1", text="hej")]).inserted
1
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Sequence

from .formats.base import Format, ReadOptions, Sample
from .models import Author, Post
from .pipeline import ImportReport, detect, import_paths
from .plugins import Registry
from .store.duckdb import DuckStore

__all__ = ["memory_store", "make_post", "ContractResult", "check_format_contract"]

EPOCH = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def memory_store() -> DuckStore:
    """A migrated store in memory: the real engine, nothing on disk."""
    store = DuckStore(":memory:")
    store.migrate()
    return store


def make_post(native_id: str, *, platform: str = "twitter", minutes: int = 0, text: str = "hej",
              reply_to: str | None = None, author: str | None = "anna", **fields: Any) -> Post:
    """A valid post with sensible defaults; any :class:`~lyssna.models.Post` field can be given."""
    return Post(platform=platform, native_id=native_id, created_at=EPOCH + timedelta(minutes=minutes), text=text,
                reply_to=reply_to, kind=fields.pop("kind", "reply" if reply_to else "post"),
                author=Author(platform, author, handle=author) if author else None, **fields)


@dataclass(frozen=True)
class ContractResult:
    """What :func:`check_format_contract` saw: the first import's report, and the files the format claimed."""

    first: ImportReport
    claimed: list[str]


def check_format_contract(fmt: Format, files: Sequence[Path], registry: Registry,
                          options: ReadOptions | None = None) -> ContractResult:
    """The promises every import format keeps, checked on ``files`` (raises AssertionError):

    * it declares a name, a platform and a summary, and claims at least one of the files;
    * every record read is accounted for: read = imported + duplicate + quarantined, per file;
    * each quarantined record has a position and a reason;
    * importing again reads nothing (unchanged files), and forced, imports nothing new;
    * the posts it made are stored with its platform or a platform of their own, never empty.
    """
    assert fmt.name and fmt.platform and fmt.summary, "a format declares its name, platform and summary"
    claimed = [str(p) for p in files if (detect(Sample.of(p, options), registry)[0] or _Nothing).name == fmt.name]
    assert claimed, f"{fmt.name} claims none of {[str(p) for p in files]}"
    store = memory_store()
    try:
        first = import_paths(store, claimed, reg=registry, options=options)
        for f in first.files:
            assert f.read == f.imported + f.duplicate + f.quarantined, f"{f.path}: counts do not add up"
            assert f.format == fmt.name, f"{f.path} was read as {f.format}, not {fmt.name}"
        for source, locator, reason, _raw in store.quarantine(10_000):
            assert source and locator and reason, "a quarantined record names its file, position and reason"
        assert store.count_posts() == first.imported
        again = import_paths(store, claimed, reg=registry, options=options)
        assert again.read == 0 and all(f.status == "unchanged" for f in again.files)
        forced = import_paths(store, claimed, reg=registry, options=options, force=True)
        assert forced.imported == 0 and forced.quarantined == first.quarantined
        assert store.count_posts() == first.imported
        empty = store.con.execute("SELECT count(*) FROM posts WHERE platform = '' OR native_id = ''").fetchone()[0]
        assert empty == 0
    finally:
        store.close()
    return ContractResult(first, claimed)


class _Nothing:
    name = None
