"""``lyssna init``, ``lyssna import``, ``lyssna formats``, ``lyssna quarantine``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import parallel
from ..pipeline import FileReport, ImportReport
from ..plugins import registry
from ..project import init as init_project
from .context import emit_json, err, out, project_from


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
def init(folder: str) -> None:
    """Make a project: lyssna.toml and the embedded store, in FOLDER (default: here).

    Running it again on an existing project changes nothing (and upgrades the store's schema).

    \b
    Example:
      lyssna init my-listening && cd my-listening
    """
    with init_project(folder) as project:
        err.print(f"Lyssna project in {escape(str(project.folder.resolve()))} "
                  f"(store: {escape(str(project.store.path))})")


class _Bars:
    """Progress bars on stderr, one per file being read (bytes), with a running count of records."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[Path, int] = {}

    def start_file(self, path: Path, size: int, fmt: str) -> None:
        self.tasks[path] = self.progress.add_task(escape(f"{path.name} [{fmt}]"), total=size or None)

    def advance(self, path: Path, done_bytes: int | None, report: FileReport) -> None:
        if done_bytes is not None:
            self.progress.update(self.tasks[path], completed=done_bytes)

    def end_file(self, path: Path, report: FileReport) -> None:
        task = self.tasks.pop(path)
        self.progress.remove_task(task)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "format_name", metavar="NAME", help="Read every file as this format (see `lyssna formats`).")
@click.option("--map", "mapping", metavar="FIELD=COLUMN,...",
              help="CSV/JSON: which column holds each field, e.g. text=body,created_at=date,author=user. "
                   "Columns may be numbers (files without a header: id=2,text=6), joined with + "
                   "(created_at=date+time) or dotted JSON paths (author=user.screen_name).")
@click.option("--delimiter", help="CSV: the field delimiter, when it is not sniffed right (e.g. ';').")
@click.option("--platform", help="Platform of posts from CSV/JSON lines (default: a platform column, or 'other').")
@click.option("--force", is_flag=True, help="Read files again even if they were imported before unchanged.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that map a big JSON-lines file (default: one per core, or LYSSNA_WORKERS).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--files", "show_files", is_flag=True, help="List every file, not only the totals by format.")
@click.pass_context
def import_(ctx: click.Context, paths: tuple[str, ...], format_name: str | None, mapping: str | None,
            platform: str | None, delimiter: str | None, force: bool, workers: int | None, as_json: bool,
            show_files: bool) -> None:
    """Import files or folders of posts; the format is detected from each file's content.

    Every record read ends as imported, duplicate or quarantined (with its file, position and reason:
    see `lyssna quarantine`). Importing the same files again changes nothing; an interrupted import
    resumes where it stopped.

    \b
    Examples:
      lyssna import twarc-search.jsonl tweets.js feeds/
      lyssna import forum.csv --map text=body,created_at=date,author=user --platform forum
      lyssna import t2977018p3.csv --map id=2,author=3,created_at=4+5,text=6 --platform forum
    """
    from ..formats.tabular import parse_mapping

    parsed = parse_mapping(mapping) if mapping else None  # a bad --map fails before the store is opened
    with project_from(ctx) as project:
        progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                            TimeRemainingColumn(), console=err, transient=True,
                            disable=not err.is_terminal)
        with progress:
            report = project.import_paths(list(paths), format_name=format_name,
                                          mapping=parsed,
                                          platform=platform, delimiter=delimiter, force=force,
                                          progress=_Bars(progress), workers=workers or parallel.workers())
    if as_json:
        emit_json(report.as_dict())
    else:
        _print_report(report, show_files)
    _print_notes(report)


def _print_report(report: ImportReport, show_files: bool) -> None:
    """The counts as a table on stdout."""
    table = Table(title="Import", title_justify="left")
    for name in ("", "files", "read", "imported", "duplicate", "quarantined"):
        table.add_column(name, justify="left" if not name or name == "files" else "right")
    read = [f for f in report.files if f.status not in ("skipped", "failed")]
    if show_files:
        for f in read:
            table.add_row(escape(f.path), f"{f.format} ({f.status})", *_counts(f))
    else:
        by_format: dict[str, list[FileReport]] = {}
        for f in read:
            by_format.setdefault(f.format or "?", []).append(f)
        for name, files in by_format.items():
            statuses = Counter(f.status for f in files)
            table.add_row(name, ", ".join(f"{n} {s}" for s, n in statuses.items()),
                          *[str(sum(getattr(f, c) for f in files)) for c in ("read", "imported", "duplicate",
                                                                            "quarantined")])
    table.add_row("total", str(len(read)), str(report.read), str(report.imported), str(report.duplicate),
                  str(report.quarantined), style="bold")
    out.print(table)


def _print_notes(report: ImportReport) -> None:
    """What a person should know besides the counts, on stderr."""
    skipped = [f for f in report.files if f.status == "skipped"]
    if skipped:
        reasons = Counter(f.note.split(" Supported:")[0] for f in skipped)
        err.print(f"Skipped {len(skipped)} file(s) that are not a supported format:")
        for reason, n in reasons.most_common():
            example = next(f.path for f in skipped if f.note.startswith(reason))
            err.print(f"  {n} × {escape(reason)} (e.g. {escape(example)})")
    notes = [f for f in report.files if f.note and f.status not in ("skipped", "unchanged")]
    for f in notes:
        err.print(f"{escape(f.path)}: {'could not be read: ' if f.status == 'failed' else ''}{escape(f.note)}")
    unchanged = sum(f.status == "unchanged" for f in report.files)
    if unchanged:
        err.print(f"{unchanged} file(s) imported before and unchanged were not read again (--force reads them).")
    if report.quarantined:
        err.print(f"{report.quarantined} record(s) quarantined: `lyssna quarantine` shows where and why.")


def _counts(f: FileReport) -> list[str]:
    return [str(f.read), str(f.imported), str(f.duplicate), str(f.quarantined)]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def formats(as_json: bool) -> None:
    """List the formats Lyssna can import (each detected from a file's content).

    \b
    Example:
      lyssna formats
    """
    rows = [{"name": f.name, "platform": f.platform, "summary": f.summary} for f in registry.formats()]
    if as_json:
        emit_json(rows)
        return
    table = Table("format", "platform", "what", title="Formats", title_justify="left")
    for r in rows:
        table.add_row(r["name"], r["platform"], r["summary"])
    out.print(table)


@click.command()
@click.option("--limit", default=50, show_default=True, help="How many records to show.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON, with each record's raw text.")
@click.pass_context
def quarantine(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Show records that could not be imported: file, position and reason.

    \b
    Example:
      lyssna quarantine --limit 20
    """
    with project_from(ctx) as project:
        rows = project.quarantine(limit)
    if as_json:
        emit_json([{"file": s, "at": loc, "reason": why, "raw": raw} for s, loc, why, raw in rows])
        return
    table = Table("file", "at", "reason", title=f"Quarantine (first {limit})", title_justify="left")
    for source, locator, reason, _raw in rows:
        table.add_row(escape(source), escape(locator), escape(reason))
    out.print(table)
