"""Importing one big JSON-lines file with several processes.

The file is cut into chunks at line boundaries. Worker processes read and map their chunks (the
Python-heavy part) and turn the posts into Arrow tables; this process writes the chunks to the store
strictly in file order, each with its cursor in the same transaction, so every promise of
:mod:`lyssna.pipeline` holds: the same posts, the same counts, the same quarantine and the same
resumption as a single-process import. A small file is not worth the workers' start (about a second).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .formats.base import MAX_RECORD_BYTES, Cursor, Format, MapContext, ReadOptions
from .models import Author, Post, Quarantined
from .store.base import PreparedPosts

__all__ = ["MIN_BYTES", "CHUNK_BYTES", "Chunk", "ChunkResult", "chunks", "splittable", "workers", "map_chunks"]

#: Files smaller than this are imported in one process.
MIN_BYTES = 64 * 1024 * 1024
#: About this much of the file per chunk (a chunk ends at a line end).
CHUNK_BYTES = 4 * 1024 * 1024


def workers() -> int:
    """Worker processes to use: one per core (LYSSNA_WORKERS overrides; 1 turns the workers off)."""
    try:
        return max(1, int(os.environ.get("LYSSNA_WORKERS", "") or os.cpu_count() or 1))
    except ValueError:
        return os.cpu_count() or 1


def splittable(fmt: Format, sample_first_line_json: bool, size: int, min_bytes: int) -> bool:
    """Whether a file can be cut into chunks: a JSON-lines file of a format whose records are lines."""
    return bool(getattr(fmt, "splittable", False)) and sample_first_line_json and size >= min_bytes


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int  # byte offset of its first line
    end: int  # byte offset just after its last line
    line: int  # 0-based number of its first line


def chunks(path: Path, cursor: Cursor, chunk_bytes: int) -> Iterator[Chunk]:
    """Chunks from the cursor to the end of the file, counting lines as it goes (lazily, in order)."""
    with path.open("rb") as f:
        start = cursor.byte_offset or 0
        line = cursor.position
        if not cursor.byte_offset and cursor.position:  # resume by line number: find its offset
            f.seek(0)
            for _ in range(cursor.position):
                _skip_line(f)
            start = f.tell()
        f.seek(start)
        while True:
            data = f.read(chunk_bytes)
            if not data:
                return
            lines = data.count(b"\n")
            end = start + len(data)
            if not data.endswith(b"\n"):
                extra, newline = _skip_line(f)
                end += extra
                lines += newline
            yield Chunk(start, end, line)
            start, line = end, line + lines


def _skip_line(f) -> tuple[int, int]:  # noqa: ANN001
    """Read to the end of the current line without keeping it: (bytes, 1 if it ended with a newline)."""
    n = 0
    while True:
        piece = f.readline(MAX_RECORD_BYTES)
        n += len(piece)
        if not piece or piece.endswith(b"\n"):
            return n, int(piece.endswith(b"\n"))


@dataclass(frozen=True, slots=True)
class ChunkResult:
    posts: PreparedPosts
    quarantined: list[Quarantined]
    position: int  # the cursor after the chunk
    offset: int
    incomplete: bool  # the chunk ended inside a line still being written
    first_locator: str | None


# Authors this worker process has prepared before, to leave unchanged ones out of the upsert.
_SEEN: dict[tuple[str, str], Author] = {}


def _map_chunk(fmt: Format, path: str, chunk: Chunk, options: ReadOptions, source: str) -> ChunkResult:
    from .pipeline import _map_record  # the very same per-record handling as a single-process import
    from .store.duckdb import DuckStore

    posts: list[Post] = []
    quarantined: list[Quarantined] = []
    position, offset, incomplete, first_locator = chunk.line, chunk.start, False, None
    ctx = MapContext(source=source, options=options)
    for record in fmt.read(Path(path), Cursor(chunk.line, chunk.start), options):
        if record.end_offset is None or record.end_offset > chunk.end:
            break
        first_locator = first_locator or record.locator
        _map_record(fmt, record, ctx, source, posts, quarantined)
        if record.incomplete:
            incomplete = True
            break
        position, offset = record.position + 1, record.end_offset
        if offset == chunk.end:
            break
    if len(_SEEN) > 500_000:
        _SEEN.clear()
    return ChunkResult(DuckStore.prepare(posts, _SEEN), quarantined, position, offset, incomplete, first_locator)


def map_chunks(fmt: Format, path: Path, cursor: Cursor, options: ReadOptions, source: str, n_workers: int,
               chunk_bytes: int | None = None) -> Iterator[ChunkResult]:
    """The file's chunks mapped by ``n_workers`` processes, yielded in file order. At most two chunks per
    worker are in flight, so memory stays flat however big the file is."""
    context = multiprocessing.get_context("spawn")  # never fork a process holding a DuckDB connection
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=context) as pool:
        pending: deque[Any] = deque()
        try:
            for chunk in chunks(path, cursor, chunk_bytes or CHUNK_BYTES):
                pending.append(pool.submit(_map_chunk, fmt, str(path), chunk, options, source))
                if len(pending) >= 2 * n_workers:
                    result = pending.popleft().result()
                    yield result
                    if result.incomplete:
                        return
            while pending:
                result = pending.popleft().result()
                yield result
                if result.incomplete:
                    return
        finally:
            for future in pending:
                future.cancel()
