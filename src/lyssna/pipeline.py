"""Importing: files → format detection → records → posts → the store, in batches, with cursors.

Every record read ends as exactly one of *imported* (new), *duplicate* (already in the store, or twice in
the input) or *quarantined* (with file, position and reason), so ``read = imported + duplicate +
quarantined`` for every file and every run. A batch's posts, quarantined records and cursors are
committed together: an interrupted import resumes after its last committed batch, and re-importing an
unchanged file changes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

from .errors import ImportError_, MappingSpecError, RecordError, UnknownFormat, UnreadableFile
from .formats.base import SAMPLE_BYTES, Cursor, Format, MapContext, Problem, RawRecord, ReadOptions, Sample, bounded
from .models import Post, Quarantined
from . import parallel
from .plugins import Registry, registry as default_registry
from .store.base import BatchPart, BatchResult, FileCursor, PreparedPosts

__all__ = ["FileReport", "ImportReport", "ImportProgress", "discover", "detect", "import_paths"]

DEFAULT_BATCH_SIZE = 5000
#: Below this confidence a format's claim is not enough to import a file.
MIN_CONFIDENCE = 30


@dataclass(slots=True)
class FileReport:
    """What one run did with one file. ``read == imported + duplicate + quarantined``."""

    path: str
    format: str | None = None
    read: int = 0
    imported: int = 0
    duplicate: int = 0
    quarantined: int = 0
    status: str = "imported"  # imported | unchanged | resumed | appended | skipped (not a format) | failed
    note: str = ""

    def add(self, result: BatchResult) -> None:
        self.imported += result.inserted
        self.duplicate += result.duplicate
        self.quarantined += result.quarantined
        self.read += result.inserted + result.duplicate + result.quarantined


@dataclass(slots=True)
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def read(self) -> int:
        return self.total("read")

    @property
    def imported(self) -> int:
        return self.total("imported")

    @property
    def duplicate(self) -> int:
        return self.total("duplicate")

    @property
    def quarantined(self) -> int:
        return self.total("quarantined")

    def as_dict(self) -> dict:
        return {
            "read": self.read, "imported": self.imported, "duplicate": self.duplicate,
            "quarantined": self.quarantined,
            "files": [{"path": f.path, "format": f.format, "status": f.status, "read": f.read,
                       "imported": f.imported, "duplicate": f.duplicate, "quarantined": f.quarantined,
                       "note": f.note} for f in self.files],
        }


class ImportProgress(Protocol):
    """Told what the import is doing; the CLI draws progress bars with it. It may raise to stop."""

    def start_file(self, path: Path, size: int, fmt: str) -> None: ...

    def advance(self, path: Path, done_bytes: int | None, report: FileReport) -> None: ...

    def end_file(self, path: Path, report: FileReport) -> None: ...


class _Silent:
    def start_file(self, path, size, fmt):  # noqa: ANN001
        pass

    def advance(self, path, done_bytes, report):  # noqa: ANN001
        pass

    def end_file(self, path, report):  # noqa: ANN001
        pass


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Path]]:
    """Files named, and files inside folders named (recursively, sorted, hidden ones left out).

    Returns (explicit files, files found in folders). A path that does not exist is an error.
    """
    explicit: list[Path] = []
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        found.append(Path(root) / name)
        elif path.exists():
            explicit.append(path)
        else:
            raise UnreadableFile(f"{path}: no such file or folder")
    return explicit, found


def detect(sample: Sample, reg: Registry = default_registry) -> tuple[Format | None, str]:
    """The format a file is in, judged from its content. Returns (format, explanation when none)."""
    best: tuple[int, Format] | None = None
    for fmt in reg.formats():
        try:
            score = int(fmt.sniff(sample))
        except Exception:  # a sniffer must not stop detection; it just does not claim the file
            score = 0
        if score >= MIN_CONFIDENCE and (best is None or score > best[0]):
            best = (score, fmt)
    if best:
        return best[1], ""
    return None, _describe_unknown(sample, reg)


def _describe_unknown(sample: Sample, reg: Registry) -> str:
    if sample.size == 0:
        what = "it is empty"
    elif b"\x00" in sample.head[:4096]:
        what = "it looks like a binary file"
    elif sample.text[:1] in "{[":
        what = "it is JSON, but no importer recognises its fields"
    elif sample.text[:1] == "<":
        what = "it is XML/HTML, but neither RSS nor Atom"
    else:
        what = "its content matches no supported format"
    names = ", ".join(f.name for f in reg.formats())
    return (f"{sample.path}: not a format Lyssna can import ({what}). Supported: {names}. "
            "See `lyssna formats`; force one with --format NAME, or map a CSV/JSON-lines file with --map.")


def _head_hash(sample: Sample, limit: int = SAMPLE_BYTES) -> str:
    """A fingerprint of the file's start: the first ``limit`` bytes (at most the sample)."""
    return hashlib.sha256(sample.head[:limit]).hexdigest()


@dataclass(slots=True)
class _Job:
    path: Path
    fmt: Format
    sample: Sample
    start: Cursor
    previous: FileCursor | None  # the last cursor committed
    report: FileReport
    source: str = ""
    head_hash: str = ""
    first_locator: str | None = None  # of the first record this run reads, when it resumes mid-file


def import_paths(
    store,
    paths: Sequence[str | os.PathLike],
    *,
    reg: Registry = default_registry,
    format_name: str | None = None,
    options: ReadOptions | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    progress: ImportProgress | None = None,
    workers: int = 1,
    parallel_min_bytes: int = parallel.MIN_BYTES,
    after_batch: Callable[[], object] | None = None,
) -> ImportReport:
    """Import files and folders into ``store``. See the module docstring for the promises kept.

    Explicit files in an unknown format stop the import before anything is written (the error names the
    file and the supported formats); unknown files inside a folder are reported as skipped. A JSON-lines
    file of at least ``parallel_min_bytes`` is mapped by ``workers`` processes when ``workers`` > 1 (the
    CLI uses one per core; a script doing so needs the usual ``if __name__ == "__main__":`` guard, as
    any program that starts processes with multiprocessing's spawn does). ``after_batch`` runs after
    each committed batch (the project uses it to index and match the new posts).
    """
    options = options or ReadOptions()
    progress = progress or _Silent()
    forced = reg.get(format_name) if format_name else None
    explicit, found = discover(paths)
    report = ImportReport()
    jobs: list[_Job] = []
    known = store.get_cursors([str(p.resolve()) for p in explicit + found])
    for path, named in [(p, True) for p in explicit] + [(p, False) for p in found]:
        try:
            sample = Sample.of(path, options)
        except UnreadableFile as e:
            if named:
                raise
            report.files.append(FileReport(str(path), status="failed", note=str(e).split(": ", 1)[-1]))
            continue
        fmt, why = (forced, "") if forced else detect(sample, reg)
        if fmt is None:
            if named:
                raise UnknownFormat(why)
            report.files.append(FileReport(str(path), status="skipped", note=why.split(": ", 1)[1]))
            continue
        check = getattr(fmt, "check", None)
        if check is not None:  # e.g. a --map naming columns the file lacks: say so before reading
            try:
                check(sample, options)
            except MappingSpecError as e:
                if named:
                    raise
                report.files.append(FileReport(str(path), fmt.name, status="skipped", note=str(e)))
                continue
        key = str(path.resolve())
        previous = known.get(key)
        start, status, note = _plan(previous, sample, fmt, force)
        file_report = FileReport(str(path), fmt.name, status=status, note=note)
        report.files.append(file_report)
        if status == "unchanged":
            continue
        jobs.append(_Job(path, fmt, sample, start, previous if status in ("resumed", "appended") else None,
                         file_report))

    batcher = _Batcher(store, batch_size, after_batch)
    n_workers = max(1, workers)
    with store.bulk():
        for job in jobs:
            if n_workers > 1 and parallel.splittable(job.fmt, job.sample.first_line_json is not None,
                                                     job.sample.size - (job.start.byte_offset or 0),
                                                     parallel_min_bytes):
                batcher.flush()
                _import_file_parallel(job, options, batcher, progress, n_workers)
            else:
                _import_file(job, options, batcher, progress)
        batcher.flush()
        if any(job.report.imported for job in jobs):
            store.resolve_threads()
    return report


def _plan(previous: FileCursor | None, sample: Sample, fmt: Format, force: bool) -> tuple[Cursor, str, str]:
    """Where to start reading a file, given what the store remembers of it."""
    # Compare as much of the start as the file had last time, so a file that grew still matches.
    if (previous is None or force or previous.format != fmt.name
            or previous.head_hash != _head_hash(sample, min(previous.size, SAMPLE_BYTES))):
        return Cursor(), "imported", ""
    if previous.state == "done":
        if previous.size == sample.size:
            return Cursor(), "unchanged", "imported before and unchanged; --force reads it again"
        if sample.size > previous.size and fmt.line_based and previous.byte_offset is not None:
            return (Cursor(previous.position, previous.byte_offset), "appended",
                    f"read the {sample.size - previous.size} bytes added since the last import")
        return Cursor(), "imported", "changed since the last import; read again"
    # An interrupted import of the same file: go on after the last committed batch.
    if previous.size == sample.size or (fmt.line_based and sample.size > previous.size):
        offset = previous.byte_offset if fmt.line_based else None
        return Cursor(previous.position, offset), "resumed", f"resumed at record {previous.position + 1}"
    return Cursor(), "imported", ""


class _Batcher:
    """Collects posts and quarantined records of one or more files and writes them as one transaction.

    (A writer thread overlapping DuckDB's work with mapping was tried and measured: no faster on two
    cores, since both halves hold the GIL most of the time.)"""

    def __init__(self, store, size: int, after: Callable[[], object] | None = None):
        self.store = store
        self.after = after
        self.size = max(1, size)
        self.parts: list[BatchPart] = []
        self.jobs: list[_Job] = []  # whose each part is
        self.count = 0

    def parts_of(self, job: _Job) -> bool:
        return any(j is job for j in self.jobs)

    def add(self, job: _Job, posts: list[Post] | PreparedPosts, quarantined: list[Quarantined], position: int,
            offset: int | None, state: str) -> None:
        def cursor(result: BatchResult) -> FileCursor:  # runs inside the batch's transaction
            base = job.previous
            job.report.add(result)
            job.previous = FileCursor(
                path=job.source, format=job.fmt.name, size=job.sample.size, head_hash=job.head_hash,
                position=position, byte_offset=offset, state=state,
                read=(base.read if base else 0) + result.inserted + result.duplicate + result.quarantined,
                imported=(base.imported if base else 0) + result.inserted,
                duplicate=(base.duplicate if base else 0) + result.duplicate,
                quarantined=(base.quarantined if base else 0) + result.quarantined)
            return job.previous

        forget = None
        if not job.report.read and not self.parts_of(job):  # the first part of this run
            if job.previous is None and job.start.position == 0:
                forget = (job.source, None)
            elif job.first_locator is not None:
                forget = (job.source, job.first_locator)
        if isinstance(posts, PreparedPosts):  # already a batch of its own (from a worker)
            self.flush()
            self.parts.append(BatchPart(posts, quarantined, cursor, forget=forget))
            self.jobs.append(job)
            self.flush()
            return
        self.parts.append(BatchPart(posts, quarantined, cursor, forget=forget))
        self.jobs.append(job)
        self.count += len(posts) + len(quarantined)
        if self.count >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            parts, self.parts, self.jobs, self.count = self.parts, [], [], 0
            self.store.write_parts(parts)
            if self.after is not None:
                self.after()


def _import_file(job: _Job, options: ReadOptions, batcher: _Batcher, progress: ImportProgress) -> None:
    path, fmt = job.path, job.fmt
    job.source = str(path.resolve())
    job.head_hash = _head_hash(job.sample)
    ctx = MapContext(source=job.source, options=options)
    progress.start_file(path, job.sample.size, fmt.name)
    posts: list[Post] = []
    quarantined: list[Quarantined] = []
    position, offset = job.start.position, job.start.byte_offset

    def flush(final: bool) -> None:
        nonlocal posts, quarantined
        batcher.add(job, posts, quarantined, position, offset, "done" if final else "running")
        posts, quarantined = [], []
        progress.advance(path, offset, job.report)

    records = None
    try:
        records = fmt.read(path, job.start, options)
        for record in records:
            if job.start.position and job.first_locator is None:
                job.first_locator = record.locator  # it may be quarantined from a cut-off read before
            _map_record(fmt, record, ctx, job.source, posts, quarantined)
            if record.incomplete:  # read it again next time: the cursor stays before it
                break
            position = record.position + 1
            offset = record.end_offset
            if len(posts) + len(quarantined) >= batcher.size:
                flush(False)
    except ImportError_ as e:
        quarantined.append(Quarantined(job.source, f"record {position + 1}", str(e)))
        job.report.note = str(e)
    flush(True)
    notes = getattr(records, "notes", None)
    if notes:
        job.report.note = "; ".join([n for n in (job.report.note, *notes) if n])
    progress.end_file(path, job.report)


def _import_file_parallel(job: _Job, options: ReadOptions, batcher: _Batcher, progress: ImportProgress,
                          n_workers: int) -> None:
    """Like :func:`_import_file`, with the reading and mapping done by worker processes, chunk by chunk."""
    path = job.path
    job.source = str(path.resolve())
    job.head_hash = _head_hash(job.sample)
    progress.start_file(path, job.sample.size, job.fmt.name)
    position, offset = job.start.position, job.start.byte_offset
    for result in parallel.map_chunks(job.fmt, path, job.start, options, job.source, n_workers):
        if job.start.position and job.first_locator is None:
            job.first_locator = result.first_locator
        position, offset = result.position, result.offset
        batcher.add(job, result.posts, result.quarantined, position, offset, "running")
        progress.advance(path, offset, job.report)
    batcher.add(job, [], [], position, offset, "done")
    batcher.flush()
    progress.end_file(path, job.report)


def _map_record(fmt: Format, record: RawRecord, ctx: MapContext, source: str, posts: list[Post],
                quarantined: list[Quarantined]) -> None:
    if record.error is not None:
        reason = record.error
        if record.incomplete:
            reason += " (the file ends inside this record: it is read again when the file grows)"
        quarantined.append(Quarantined(source, record.locator, reason, bounded(record.text)))
        return
    try:
        for item in fmt.map(record, ctx):
            if isinstance(item, Problem):
                quarantined.append(Quarantined(source, f"{record.locator}, {item.locator}", item.reason,
                                               bounded(_as_text(item.raw))))
            else:
                posts.append(item)
    except RecordError as e:
        quarantined.append(Quarantined(source, record.locator, str(e), bounded(_record_text(record))))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
        quarantined.append(Quarantined(source, record.locator,
                                       f"{fmt.name} could not map this record ({type(e).__name__}: {e})",
                                       bounded(_record_text(record))))


def _record_text(record: RawRecord) -> str:
    if record.text is not None:
        return bounded(record.text)
    return bounded(_as_text(record.payload))


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, bytes)):
        return bounded(value)
    import orjson

    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        return repr(value)
