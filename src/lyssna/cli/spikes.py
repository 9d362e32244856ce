"""``lyssna spikes``: the spike detector over any exported volume series (CSV or JSON lines of time and
count, or stdin) — no project needed, so users can bring series from other tools and anyone can check
the detector. Bad rows are reported on stderr with file and line and skipped; the run goes on. With
``--topic``, the spikes the project's topics' own detectors found as posts arrived."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import orjson
from rich.markup import escape
from rich.table import Table

from ..analytics.spikes import MONTH, Anomaly, SpikeParams, bucket_span, detect, parse_bucket, regularise
from ..analyze import AnalyzeError, Problem, bounded_lines, open_input, sniff
from .context import Problems, err, out



@click.command("spikes")
@click.argument("file", required=False, default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--time-col", default="time", show_default=True,
              help="The field or column holding the time (ISO 8601, or epoch seconds).")
@click.option("--value-col", default="count", show_default=True, help="The field or column holding the count.")
@click.option("--tz", default="UTC", show_default=True,
              help="Time zone of the daily and weekly rhythm, and of times given without an offset.")
@click.option("--bucket", default="auto", show_default=True,
              help="Bucket size: auto (the usual step between times), 5min, 15min, hour, day, week, month, or "
                   "<n>min/<n>h/<n>d. Days, weeks and months are calendar ones in --tz.")
@click.option("--threshold", type=float, default=SpikeParams().threshold, show_default=True,
              help="The score that raises an anomaly (higher: fewer, surer alarms).")
@click.option("--direction", type=click.Choice(["both", "up", "down"]), default="both", show_default=True,
              help="Report spikes (up), drops (down) or both.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON lines, one anomaly a line.")
@click.option("--topic", "topics", multiple=True, metavar="NAME",
              help="Instead of FILE: the spikes found in this topic of the project as its posts arrived "
                   "(repeatable; --all-topics for every topic).")
@click.option("--all-topics", is_flag=True, help="Instead of FILE: the spikes of every topic of the project.")
@click.option("--kind", type=click.Choice(["volume", "negative", "both"]), default="both", show_default=True,
              help="With --topic: spikes and drops in volume, surges of negative posts, or both.")
@click.option("--since", metavar="DATE|TIME", help="With --topic: from this day or time (project time zone).")
@click.option("--until", metavar="DATE|TIME", help="With --topic: up to this day (included) or time.")
@click.pass_context
def spikes(ctx: click.Context, file: str, time_col: str, value_col: str, tz: str, bucket: str, threshold: float,
           direction: str, as_json: bool, topics: tuple[str, ...], all_topics: bool, kind: str, since: str | None,
           until: str | None) -> None:
    """Find unusual spikes and drops in a volume series: FILE is CSV (with a header) or JSON lines of a
    time and a count per row (- or nothing reads stdin). The detector is the one Lyssna runs on every
    topic: it learns the series' daily and weekly rhythm (in --tz), so the usual busy hour is not a
    spike and a few posts in a quiet hour are not either.

    Each anomaly is printed with its start, peak and end (bucket times), the count at the peak, what
    was expected there, its score and its direction; one still going on at the end has no end. Rows
    with a bad time or count are reported on stderr (file and line) and skipped; rows out of order are
    sorted, repeated times added up, and missing buckets count as zero. Daily, weekly and monthly series
    (such as ``lyssna report --section volume --csv``) are bucketed by calendar date in --tz, so
    daylight-saving changes neither merge nor invent days.

    \b
    Example:
      lyssna spikes mentions.csv --time-col time --value-col count --tz Europe/Stockholm
      lyssna spikes Twitter_volume_AAPL.csv --time-col timestamp --value-col value --json
      cat volume.jsonl | lyssna spikes - --bucket hour
      lyssna spikes daily.csv --time-col start --value-col posts --tz Europe/Stockholm
      lyssna spikes --topic norrsken --since 2025-06-01 --kind negative

    With --topic (or --all-topics) nothing is read from FILE: each topic of the project has two
    detectors, on its hourly volume and on its hourly negative posts, fed as posts are imported (in the
    project's time zone); this lists what they found, the topic and the kind in front.
    """
    if topics or all_topics:
        if file != "-":
            raise click.UsageError("give either FILE or --topic, not both")
        _topic_spikes(ctx, list(topics), kind, direction, since, until, as_json)
        return
    for name, value in (("--kind", kind != "both"), ("--since", since), ("--until", until)):
        if value:
            raise click.UsageError(f"{name} goes with --topic (the project's topics); a FILE is read whole")
    zone = _zone(tz)
    try:
        size = parse_bucket(bucket) if bucket != "auto" else "auto"
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--bucket") from None
    params = replace(SpikeParams(), threshold=threshold,
                     directions=("up", "down") if direction == "both" else (direction,))
    source = "stdin" if file == "-" else file
    report = Problems()

    rows = _read(file, source, time_col, value_col, zone, report)
    report.print_rest()
    skipped = report.skipped
    if not rows:
        raise AnalyzeError(f"nothing to analyse: no good rows in {source}" + (" (see above)" if skipped else ""))
    times = [t for t, _ in rows]
    values = [v for _, v in rows]
    _note_order(times)
    epochs, counts, step = regularise(times, values, size, tz=zone)
    found = detect(epochs, counts, bucket=step, tz=zone, params=params)
    if as_json:
        for a in found:
            click.echo(orjson.dumps(a.as_dict()).decode())
    else:
        out.print(_table(found))
    _summary(found, epochs, step, zone, skipped)


def _topic_spikes(ctx: click.Context, topics: list[str], kind: str, direction: str, since: str | None,
                  until: str | None, as_json: bool) -> None:
    from .context import project_from
    from .listen import _window

    with project_from(ctx) as project:
        start, end = _window(since, until, project)
        kinds = ["volume", "negative"] if kind == "both" else [kind]
        found = [s for s in project.spikes(topics or None, since=start, until=end, kinds=kinds)
                 if direction == "both" or s.direction == direction]
        zone = project.settings.zone
    if as_json:
        for s in found:
            click.echo(orjson.dumps(s.as_dict()).decode())
    else:
        table = Table(box=None, header_style="bold")
        for name in ("topic", "kind", "start", "peak", "end", "peak value", "expected", "score", "direction"):
            table.add_column(name, justify="right" if name in ("peak value", "expected", "score") else "left")
        for s in found:
            table.add_row(escape(s.topic), s.kind, _when(s.start), _when(s.peak), _when(s.end) if s.end else "ongoing",
                          f"{s.peak_value:g}", f"{s.expected:.1f}", f"{s.score:+.1f}", s.direction)
        out.print(table)
    up = sum(1 for s in found if s.direction == "up")
    err.print(f"{len(found):,} anomalies ({up:,} up, {len(found) - up:,} down) in "
              f"{', '.join(topics) if topics else 'every topic'}, hourly, {zone}")


def _zone(tz: str) -> tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {tz!r} (e.g. UTC, Europe/Stockholm)", param_hint="--tz") from None


def _read(file: str, source: str, time_col: str, value_col: str, zone: tzinfo,
          report: Callable[[Problem], None]) -> list[tuple[float, float]]:
    with open_input(file) as stream:
        lines = enumerate(bounded_lines(stream, source, report), start=1)
        first = next(((n, line) for n, line in lines if line.strip()), None)
        if first is None:
            return []
        kind = sniff(first[1])
        numbered = itertools.chain([first], lines)
        reader = _jsonl if kind == "jsonl" else _csv
        return list(reader(numbered, source, time_col, value_col, zone, report))


def _jsonl(lines, source, time_col, value_col, zone, report) -> Iterator[tuple[float, float]]:
    checked = False
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            report(Problem(source, number, "not JSON"))
            continue
        if not isinstance(record, dict):
            report(Problem(source, number, "not a JSON object"))
            continue
        if not checked:
            missing = [c for c in (time_col, value_col) if c not in record]
            if missing:
                raise AnalyzeError(f"{source}, line {number}: no field {', '.join(map(repr, missing))}; the fields "
                                   f"are {', '.join(record)} (use --time-col and --value-col)")
            checked = True
        row = _row(record.get(time_col), record.get(value_col), zone)
        if isinstance(row, str):
            report(Problem(source, number, row))
        else:
            yield row


def _csv(lines, source, time_col, value_col, zone, report) -> Iterator[tuple[float, float]]:
    numbered = iter(lines)
    number, header_line = next(numbered)
    dialect: Any = csv.excel
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;\t")
    except csv.Error:
        pass
    header = next(csv.reader([header_line], dialect))
    header = [h.strip() for h in header]
    missing = [c for c in (time_col, value_col) if c not in header]
    if missing:
        raise AnalyzeError(f"{source}: no column {', '.join(map(repr, missing))}; the columns are "
                           f"{', '.join(header)} (use --time-col and --value-col)")
    ti, vi = header.index(time_col), header.index(value_col)
    for number, line in numbered:
        if not line.strip():
            continue
        try:
            fields = next(csv.reader([line], dialect))
        except (csv.Error, StopIteration):
            report(Problem(source, number, "unreadable CSV"))
            continue
        if len(fields) <= max(ti, vi):
            report(Problem(source, number, f"{len(fields)} fields where the header has {len(header)}"))
            continue
        row = _row(fields[ti], fields[vi], zone)
        if isinstance(row, str):
            report(Problem(source, number, row))
        else:
            yield row


def _row(time_value: Any, count: Any, zone: tzinfo) -> tuple[float, float] | str:
    """(epoch, count), or what is wrong."""
    epoch = _time(time_value, zone)
    if epoch is None:
        return f"time {str(time_value)[:40]!r} is neither ISO 8601 nor epoch seconds"
    if isinstance(count, bool):
        return f"count {count!r} is not a number"
    try:
        value = float(count.strip() if isinstance(count, str) else count)
    except (TypeError, ValueError):
        return f"count {str(count)[:40]!r} is not a number"
    if not math.isfinite(value) or value < 0:
        return f"count {value:g} is not a non-negative number"
    return epoch, value


def _time(value: Any, zone: tzinfo) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                t = datetime.fromisoformat(text)
            except ValueError:
                return None
            return (t if t.tzinfo else t.replace(tzinfo=zone)).timestamp()
    if not math.isfinite(number):
        return None
    return number / 1000 if abs(number) > 1e11 else number  # epoch milliseconds, as many tools export


def _note_order(times: list[float]) -> None:
    if any(b < a for a, b in zip(times, times[1:])):
        err.print("Note: the rows were not in time order; sorted")
    repeated = len(times) - len(set(times))
    if repeated:
        err.print(f"Note: {repeated:,} rows repeat an earlier time; their counts were added up")


def _table(found: list[Anomaly]) -> Table:
    table = Table(box=None, header_style="bold")
    for name in ("start", "peak", "end", "peak value", "expected", "score", "direction"):
        table.add_column(name, justify="right" if name in ("peak value", "expected", "score") else "left")
    for a in found:
        table.add_row(_when(a.start), _when(a.peak), _when(a.end) if a.end else "ongoing", f"{a.peak_value:g}",
                      f"{a.expected:.1f}", f"{a.score:+.1f}", a.direction)
    return table


def _when(t: datetime) -> str:
    return t.isoformat(sep=" ", timespec="minutes" if t.second == 0 else "seconds")


def _summary(found: list[Anomaly], epochs: list[float], step: timedelta, zone: tzinfo, skipped: int) -> None:
    first = datetime.fromtimestamp(epochs[0], zone)
    last = datetime.fromtimestamp(epochs[-1], zone)
    buckets = bucket_span(epochs[0], epochs[-1], step, tz=zone)
    up = sum(1 for a in found if a.direction == "up")
    err.print(f"{len(found):,} anomalies ({up:,} up, {len(found) - up:,} down) in {buckets:,} buckets of "
              f"{_duration(step)} from {_when(first)} to {_when(last)} ({zone})"
              + (f"; {skipped:,} rows skipped" if skipped else ""))


def _duration(step: timedelta) -> str:
    if isinstance(step, type(MONTH)):
        return "1 month"
    seconds = step.total_seconds()
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}" + ("s" if unit == "day" and n > 1 else "")
    return f"{seconds:g} s"
