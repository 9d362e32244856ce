"""The overview (and campaigns' impact) as one self-contained HTML document a board can read.

:func:`render_report` takes the sections ``lyssna report`` computes (section name → the typed rows of
:mod:`lyssna.analytics.overview`: ``volume``, ``edits``, ``sov``, ``where``, ``authors``, ``reach``,
``hashtags``, ``mentions``, ``urls``, ``domains``, ``engagement``, ``rising``; ``spikes``, the
:class:`~lyssna.topic_spikes.TopicSpike` rows, marked on the volume chart too; ``responses``, the
:class:`~lyssna.analytics.dialogue.ResponseRow` rows) and any
:class:`~lyssna.campaigns.CampaignReport`, and returns one HTML page: a summary at the top (posts, net
sentiment, the largest share of voice, the biggest rise, each campaign's verdict), then a section each,
with charts drawn here as inline SVG (no script, no library, no font or image fetched: nothing outside
the file is referenced) and the numbers of every chart in a table under it (``<details>``).

Safety: the text in the rows is written by strangers (topic names come from users, handles, hashtags,
URLs and phrases from posts). Every piece of it goes through :func:`html.escape` (quotes too) before it
is put in text or in an attribute, and no URL from the data becomes a link: URLs are shown as text.
Only numbers computed here go into ``style`` or geometry attributes.

Print: A4, white background, charts kept whole on a page.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from .dialogue import format_minutes

__all__ = ["render_report"]

#: Okabe–Ito: tell-apart colours for colour-blind readers too.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D31")
_W, _H = 900, 310  # a chart's viewBox
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 20, 34, 44
_ENTITY_TITLES = {"hashtags": "Top hashtags", "mentions": "Top mentions", "urls": "Top links",
                  "domains": "Top domains"}


def _e(value: Any) -> str:
    """Text from anywhere, safe in HTML text and in quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# -- numbers and dates ---------------------------------------------------------------------------------


def _int(n: float) -> str:
    return f"{int(round(n)):,}"


def _num(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    ax = abs(x)
    return f"{x:,.0f}" if ax >= 100 else f"{x:,.1f}" if ax >= 1 else f"{x:.3f}"


def _signed(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:+.2f}"


def _pct(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.1%}"


def _when(value: datetime | date, zone: ZoneInfo, with_time: bool = False) -> str:
    if isinstance(value, datetime):
        local = value.astimezone(zone) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.isoformat()


def _tick_format(ticks: Sequence[float]) -> Any:
    """A formatter for tick values with as many decimals as their step needs, thousands separated."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step else 0
    if step * 10 ** decimals % 1 > 1e-6:  # 2.5, 0.25 …
        decimals += 1
    return lambda v: f"{v:,.{decimals}f}"


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi (about ``count`` steps of 1, 2, 2.5 or 5 × 10^k)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi - lo < 1e-12:
        lo, hi = (lo - 1, hi + 1) if lo != 0 else (0.0, 1.0)
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    tick = math.floor(lo / step + 1e-9) * step
    ticks = [tick]
    while ticks[-1] < hi - 1e-9 * step:
        ticks.append(round(ticks[-1] + step, 12))
    return ticks


# -- chart parts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Series:
    name: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False


@dataclass
class _Frame:
    """The plot area of a chart and its scales: x by position 0..n-1, y by value."""

    n: int
    y_ticks: list[float]
    width: int = _W
    height: int = _H
    parts: list[str] = field(default_factory=list)

    def x(self, i: float) -> float:
        span = self.width - _LEFT - _RIGHT
        return _LEFT + (i / max(self.n - 1, 1)) * span

    def y(self, v: float) -> float:
        lo, hi = self.y_ticks[0], self.y_ticks[-1]
        return self.height - _BOTTOM - (v - lo) / (hi - lo) * (self.height - _TOP - _BOTTOM)


def _svg(label: str, frame: _Frame, body: Iterable[str], kind: str) -> str:
    """The SVG element: titled and labelled for screen readers, scaled to the page's width."""
    return (f'<svg class="chart {kind}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
            f'aria-label="{_e(label)}" preserveAspectRatio="xMidYMid meet"><title>{_e(label)}</title>'
            + "".join(body) + "</svg>")


def _x_indexes(n: int, most: int = 8) -> list[int]:
    if n <= most:
        return list(range(n))
    step = math.ceil((n - 1) / (most - 1))
    return list(range(0, n, step))


def _axes(frame: _Frame, x_labels: Sequence[str], y_format: Any, zero_line: bool = False,
          y_title: str = "") -> list[str]:
    """Grid lines with y tick labels (and the y axis' title), x tick labels, the axis lines, and a bold zero
    line if asked."""
    y_format = y_format or _tick_format(frame.y_ticks)
    out = [f'<text class="axis-title" x="{_LEFT - 6}" y="{_TOP - 10}" text-anchor="start">{_e(y_title)}</text>']
    for t in frame.y_ticks:
        y = frame.y(t)
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{frame.width - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_e(y_format(t))}</text>')
    base = frame.height - _BOTTOM
    for i in _x_indexes(len(x_labels)):
        x = frame.x(i)
        anchor = "start" if i == 0 and len(x_labels) > 1 else "middle"
        out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}"/>'
                   f'<text class="tick" x="{x:.1f}" y="{base + 18}" text-anchor="{anchor}">{_e(x_labels[i])}</text>')
    out.append(f'<line class="axis" x1="{_LEFT}" x2="{frame.width - _RIGHT}" y1="{base}" y2="{base}"/>')
    if zero_line and frame.y_ticks[0] < 0 < frame.y_ticks[-1]:
        y0 = frame.y(0)
        out.append(f'<line class="zero" x1="{_LEFT}" x2="{frame.width - _RIGHT}" y1="{y0:.1f}" y2="{y0:.1f}"/>')
    return out


def _path(frame: _Frame, values: Sequence[float | None]) -> str:
    """An SVG path through the values, broken where a value is missing."""
    d, pen = [], "M"
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            pen = "M"
            continue
        d.append(f"{pen}{frame.x(i):.1f},{frame.y(v):.1f}")
        pen = "L"
    return " ".join(d)


def _lines(frame: _Frame, series: Sequence[_Series]) -> list[str]:
    out = []
    for k, s in enumerate(series):
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        single = sum(v is not None and math.isfinite(v) for v in s.values) == 1
        out.append(f'<path class="series" data-series="{k}" d="{_path(frame, s.values)}" fill="none" '
                   f'stroke="{s.color}" stroke-width="2"{dash}><title>{_e(s.name)}</title></path>')
        if single or frame.n == 1:  # a lone point draws no line: mark it
            for i, v in enumerate(s.values):
                if v is not None and math.isfinite(v):
                    out.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(v):.1f}" r="3" fill="{s.color}"/>')
    return out


def _band(frame: _Frame, lower: Sequence[float], upper: Sequence[float], start: int) -> str:
    """A shaded interval from position ``start`` on (the counterfactual's band)."""
    pts = [(start + i, lo, hi) for i, (lo, hi) in enumerate(zip(lower, upper))
           if math.isfinite(lo) and math.isfinite(hi)]
    if not pts:
        return ""
    top = [f"{frame.x(i):.1f},{frame.y(hi):.1f}" for i, _, hi in pts]
    bottom = [f"{frame.x(i):.1f},{frame.y(lo):.1f}" for i, lo, _ in reversed(pts)]
    return f'<polygon class="band" points="{" ".join(top + bottom)}"/>'


def _shade(frame: _Frame, first: float, last: float, label: str, css: str) -> str:
    """A shaded window from position ``first`` to ``last`` (half a step either side), labelled at the top."""
    step = (frame.x(1) - frame.x(0)) / 2 if frame.n > 1 else 4
    x0, x1 = frame.x(first) - step, frame.x(last) + step
    return (f'<rect class="{css}" x="{x0:.1f}" y="{_TOP}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{frame.height - _TOP - _BOTTOM}"/>'
            f'<text class="shade-label" x="{x0 + 4:.1f}" y="{_TOP + 12}">{_e(label)}</text>')


def _marker(frame: _Frame, pos: float, label: str, row: int) -> str:
    """A vertical dashed line with a label: where a topic's query changed."""
    x = frame.x(pos)
    y = _TOP + 12 + 13 * (row % 3)
    anchor = "end" if x > frame.width * 0.75 else "start"
    dx = -4 if anchor == "end" else 4
    return (f'<g class="edit-marker"><line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{frame.height - _BOTTOM}"/>'
            f'<text x="{x + dx:.1f}" y="{y}" text-anchor="{anchor}">{_e(label)}</text>'
            f'<title>{_e(label)}</title></g>')


def _legend(series: Sequence[_Series], extra: Sequence[tuple[str, str]] = ()) -> str:
    """An HTML legend: a line swatch per series, then ``extra`` (css class, label) swatches."""
    items = []
    for s in series:
        dash = ' stroke-dasharray="4 3"' if s.dashed else ""
        items.append(f'<li><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" '
                     f'stroke="{s.color}" stroke-width="3"{dash}/></svg>{_e(s.name)}</li>')
    for css, label in extra:
        items.append(f'<li><svg width="22" height="10" aria-hidden="true"><rect class="{css}" width="22" '
                     f'height="10"/></svg>{_e(label)}</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _line_chart(label: str, x_labels: Sequence[str], series: Sequence[_Series], *, y_format: Any = None,
                y_title: str = "", markers: Sequence[tuple[float, str]] = (), zero_line: bool = False,
                band: tuple[Sequence[float], Sequence[float], int] | None = None,
                shades: Sequence[tuple[float, float, str, str]] = (), symmetric: bool = False) -> str:
    """Lines over positions 0..n-1 with x labels, optional shaded windows, a band and edit markers."""
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    if band:
        values += [v for v in (*band[0], *band[1]) if math.isfinite(v)]
    lo, hi = min(values, default=0.0), max(values, default=1.0)
    if symmetric:
        m = max(abs(lo), abs(hi), 0.1)
        lo, hi = -m, m
    elif lo >= 0:
        lo = 0.0
    frame = _Frame(len(x_labels), _nice_ticks(lo, hi))
    body = [_shade(frame, a, b, text, css) for a, b, text, css in shades]
    body += _axes(frame, x_labels, y_format, zero_line, y_title)
    if band:
        body.append(_band(frame, *band))
    body += _lines(frame, series)
    body += [_marker(frame, pos, text, k) for k, (pos, text) in enumerate(markers)]
    return _svg(label, frame, body, "line-chart")


def _bar_chart(label: str, items: Sequence[tuple[str, float, str]]) -> str:
    """Horizontal bars: (label, value, value as text), largest on top as given."""
    row, label_w, top_gap = 26, 230, 6
    frame = _Frame(1, [0.0, 1.0], height=top_gap + row * max(len(items), 1) + 8)
    top = max((v for _, v, _ in items), default=0) or 1
    span = _W - label_w - 110
    body = []
    for k, (name, value, text) in enumerate(items):
        y = top_gap + k * row
        w = max(value / top * span, 1 if value else 0)
        body.append(f'<g class="bar"><text class="bar-label" x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                    f'{_e(_short(name, 34))}</text><rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="16" '
                    f'fill="{PALETTE[0]}"/><text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + 16}">'
                    f'{_e(text)}</text><title>{_e(name)}: {_e(text)}</title></g>')
    return _svg(label, frame, body, "bar-chart")


# -- tables --------------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool] | None = None,
           caption: str | None = None) -> str:
    """An HTML table; cells are HTML already (escape before), ``numeric`` columns align right."""
    numeric = numeric or [False] * len(headers)
    head = "".join(f'<th scope="col"{" class=num" if n else ""}>{_e(h)}</th>' for h, n in zip(headers, numeric))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if n else ""}>{c}</td>' for c, n in zip(r, numeric))
                   + "</tr>" for r in rows)
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _details(summary: str, table: str) -> str:
    return f'<details><summary>{_e(summary)}</summary>{table}</details>'


def _minibar(value: float, top: float) -> str:
    w = 0 if not top else max(value / top * 100, 1 if value else 0)
    return (f'<svg class="minibar" width="100" height="10" aria-hidden="true"><rect width="{w:.1f}" height="10" '
            f'fill="{PALETTE[0]}"/></svg>')


def _section(key: str, title: str, *content: str) -> str:
    return f'<section id="{key}" class="section-{key}"><h2>{_e(title)}</h2>{"".join(content)}</section>'


def _empty(key: str, title: str) -> str:
    return _section(key, title, '<p class="empty">Nothing in this selection.</p>')


# -- the sections -----------------------------------------------------------------------------------


def _starts(rows: Sequence[Any]) -> list[datetime]:
    return sorted({r.start for r in rows})


def _series_names(rows: Sequence[Any]) -> list[str | None]:
    return list(dict.fromkeys(r.topic for r in rows))


def _edit_position(at: datetime, starts: Sequence[datetime]) -> float | None:
    """Where an edit falls on a chart whose positions are bucket starts (None: outside it)."""
    if not starts or at < starts[0]:
        return None
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else start + (start - starts[i - 1]) if i else None
        if end is None:
            return 0.0 if at == start else None
        if start <= at < end:
            return min(i + (at - start) / (end - start), len(starts) - 1.0)
    return None


def _bucket_name(starts: Sequence[datetime]) -> str:
    """hour, day, week or month, from the gap between the first two bucket starts."""
    if len(starts) < 2:
        return "bucket"
    hours = (starts[1] - starts[0]).total_seconds() / 3600
    return "hour" if hours <= 1.5 else "day" if hours <= 25 else "week" if hours <= 7 * 24 + 1 else "month"


def _volume_section(rows: Sequence[Any], edits: Sequence[Any], zone: ZoneInfo,
                    spikes: Sequence[Any] = ()) -> str:
    if not rows:
        return _empty("volume", "Volume and sentiment")
    starts, names = _starts(rows), _series_names(rows)
    hourly = any(s.astimezone(zone).time() != datetime.min.time() for s in starts)
    labels = [_when(s, zone, hourly) for s in starts]
    by = {(r.start, r.topic): r for r in rows}
    color = {n: PALETTE[k % len(PALETTE)] for k, n in enumerate(names)}
    shown = [n if n is not None else "All posts" for n in names]
    volume = [_Series(s, [by[(t, n)].posts if (t, n) in by else 0 for t in starts], color[n])
              for n, s in zip(names, shown)]
    edit_marks = [(pos, f"{e.topic} edited (v{e.version})") for e in edits
                  if (pos := _edit_position(e.at, starts)) is not None]
    shown_spikes = sorted((s for s in spikes if s.kind == "volume" and s.direction == "up"),
                          key=lambda s: -s.score)[:_MAX_SPIKE_MARKS]
    spike_marks = [(pos, f"{s.topic} spike") for s in sorted(shown_spikes, key=lambda s: s.peak)
                   if (pos := _edit_position(s.peak, starts)) is not None]
    markers = edit_marks + spike_marks
    unit = _bucket_name(starts)
    notes = []
    if edit_marks:
        notes.append("a line marked “edited”: a topic's query was edited there; the series before and after "
                     "are not counted the same way")
    if spike_marks:
        notes.append("a line marked “spike”: the peak of an unusual hour the topic's detector found (the "
                     f"{_MAX_SPIKE_MARKS} strongest at most; all are in the Spikes section)")
    marked = " and ".join(what for what, found in (("topic edits", edit_marks), ("spikes", spike_marks)) if found)
    parts = [_line_chart("Posts per bucket" + (f", with {marked} marked" if marked else ""), labels,
                         volume, y_title=f"posts per {unit}", markers=markers),
             _legend(volume) + (f'<p class="note">Dashed vertical lines: {_e("; ".join(notes))}.</p>'
                                if notes else "")]
    if any(r.negative + r.neutral + r.positive for r in rows):
        net = [_Series(s, [by[(t, n)].net_sentiment if (t, n) in by else None for t in starts], color[n])
               for n, s in zip(names, shown)]
        parts += ['<h3>Net sentiment (positive − negative) / posts</h3>',
                  _line_chart("Net sentiment per bucket", labels, net, y_format=lambda v: f"{v:+.2f}",
                              y_title=f"net sentiment per {unit}", zero_line=True, symmetric=True, markers=markers), _legend(net)]
    table = _table(["start", "topic", "posts", "authors", "negative", "neutral", "positive", "net sentiment",
                    "engagement"],
                   ([_e(_when(r.start, zone, hourly)), _e(r.topic if r.topic is not None else "All posts"),
                     _int(r.posts), _int(r.authors), _int(r.negative), _int(r.neutral), _int(r.positive),
                     _signed(r.net_sentiment), _int(r.engagement)] for r in rows),
                   [False, False] + [True] * 7)
    parts.append(_details("The numbers (table)", table))
    return _section("volume", "Volume and sentiment", *parts)


_MAX_SPIKE_MARKS = 8


def _responses_section(rows: Sequence[Any], zone: ZoneInfo) -> str:
    if not rows or not any(r.addressed for r in rows):
        return _empty("responses", "Answers by the organisation")
    starts = [r.start for r in rows]
    hourly = any(s.astimezone(zone).time() != datetime.min.time() for s in starts)
    labels = [_when(s, zone, hourly) for s in starts]
    unit = _bucket_name(starts)
    rate = _Series("answered", [r.response_rate for r in rows], PALETTE[0])
    median = _Series("median", [r.median_minutes / 60 if r.median_minutes is not None else None for r in rows],
                     PALETTE[1])
    p90 = _Series("90 % within", [r.p90_minutes / 60 if r.p90_minutes is not None else None for r in rows],
                  PALETTE[2], dashed=True)
    table = _table(["start", "addressed", "answered", "rate", "median time", "90 % within"],
                   ([_e(_when(r.start, zone, hourly)), _int(r.addressed), _int(r.answered), _pct(r.response_rate),
                     _e(format_minutes(r.median_minutes)), _e(format_minutes(r.p90_minutes))] for r in rows),
                   [False, True, True, True, True, True])
    return _section(
        "responses", "Answers by the organisation",
        '<p class="note">Posts addressed to the organisation (replies to its posts, mentions of its accounts, '
        "and posts it answered) and how many its own accounts answered, and how fast (to the first answer).</p>",
        _line_chart("Share answered per bucket", labels, [rate], y_format=lambda v: f"{v:.0%}",
                    y_title=f"answered per {unit}"), _legend([rate]),
        _line_chart("Time to the first answer, hours", labels, [median, p90], y_title="hours"),
        _legend([median, p90]), _details("The numbers (table)", table))


def _spikes_section(rows: Sequence[Any], zone: ZoneInfo) -> str:
    if not rows:
        return _empty("spikes", "Spikes, drops and negative surges")
    what = {("volume", "up"): "spike", ("volume", "down"): "drop", ("negative", "up"): "negative surge",
            ("negative", "down"): "fewer negative posts"}
    table = _table(["topic", "what", "start", "peak", "end", "posts at peak", "expected", "score"],
                   ([_e(r.topic), _e(what.get((r.kind, r.direction), r.kind)), _e(_when(r.start, zone, True)),
                     _e(_when(r.peak, zone, True)), _e(_when(r.end, zone, True) if r.end else "going on"),
                     _int(r.peak_value), _num(r.expected), _signed(r.score)] for r in rows),
                   [False, False, False, False, False, True, True, True])
    return _section("spikes", "Spikes, drops and negative surges",
                    '<p class="note">Hours each topic\'s streaming detectors found unusual as posts arrived: the '
                    "detector learns the topic's daily and weekly rhythm, so the usual busy hour is not a spike. "
                    "Score: spreads away from the expected count.</p>", table)


def _edits_section(edits: Sequence[Any], zone: ZoneInfo) -> str:
    if not edits:
        return _empty("edits", "Topic edits")
    table = _table(["when", "topic", "version", "query", "note"],
                   ([_e(_when(e.at, zone, True)), _e(e.topic), str(e.version), f"<code>{_e(e.query)}</code>",
                     _e(e.note or "")] for e in edits), [False, False, True, False, False])
    return _section("edits", "Topic edits (where a series breaks)",
                    '<p class="note">From these times on, the topic counts posts with the new query.</p>', table)


def _sov_section(rows: Sequence[Any]) -> str:
    rows = [r for r in rows if r.start is None] or list(rows)
    if not rows or not any(r.posts for r in rows):
        return _empty("sov", "Share of voice")
    chart = _bar_chart("Share of voice between the topics",
                       [(r.topic, r.share, f"{r.share:.1%} ({_int(r.posts)})") for r in rows])
    table = _table(["topic", "posts", "share"], ([_e(r.topic), _int(r.posts), _pct(r.share)] for r in rows),
                   [False, True, True])
    return _section("sov", "Share of voice", chart, _details("The numbers (table)", table))


def _where_section(rows: Sequence[Any]) -> str:
    if not rows:
        return _empty("where", "Where")
    label = lambda r: r.platform + (f" · {r.site}" if r.site else "")  # noqa: E731
    chart = _bar_chart("Where the posts were said", [(label(r), r.posts, f"{_int(r.posts)} ({r.share:.0%})")
                                                     for r in rows])
    table = _table(["platform", "site", "posts", "share"],
                   ([_e(r.platform), _e(r.site or ""), _int(r.posts), _pct(r.share)] for r in rows),
                   [False, False, True, True])
    return _section("where", "Where the conversation happens", chart, _details("The numbers (table)", table))


def _authors_section(key: str, rows: Sequence[Any], by_reach: bool) -> str:
    title = "Top authors by reach (followers)" if by_reach else "Top authors by posts"
    if not rows:
        return _empty(key, title)
    top = max(((r.followers or 0) if by_reach else r.posts) for r in rows)
    table = _table(["author", "platform", "posts", "followers", "engagement", ""],
                   ([_e(r.handle or r.name or r.author_id), _e(r.platform), _int(r.posts),
                     "" if r.followers is None else _int(r.followers), _int(r.engagement),
                     _minibar((r.followers or 0) if by_reach else r.posts, top)] for r in rows),
                   [False, False, True, True, True, False])
    return _section(key, title, table)


def _entities_section(key: str, rows: Sequence[Any]) -> str:
    title = _ENTITY_TITLES.get(key, f"Top {key}")
    if not rows:
        return _empty(key, title)
    top = max(r.posts for r in rows)
    shown = (lambda v: f"#{v}") if key == "hashtags" else (lambda v: f"@{v}") if key == "mentions" else str
    table = _table([key.rstrip("s") if key != "urls" else "link", "posts", "authors", "share", ""],
                   ([f"<span class=value>{_e(shown(r.value))}</span>", _int(r.posts), _int(r.authors),
                     _pct(r.share), _minibar(r.posts, top)] for r in rows),
                   [False, True, True, True, False])
    note = '<p class="note">Links are shown as text, not as links: they come from the posts.</p>' \
        if key == "urls" else ""
    return _section(key, title, note, table)


def _engagement_section(rows: Sequence[Any]) -> str:
    if not rows:
        return _empty("engagement", "Reach and engagement")
    table = _table(["topic", "posts", "likes", "reposts", "replies", "quotes", "views", "engagement",
                    "per post", "reach"],
                   ([_e(r.topic if r.topic is not None else "All posts"), _int(r.posts), _int(r.likes),
                     _int(r.reposts), _int(r.replies), _int(r.quotes), _int(r.views), _int(r.engagement),
                     _num(r.engagement_per_post), _int(r.reach)] for r in rows), [False] + [True] * 9)
    return _section("engagement", "Reach and engagement", table,
                    '<p class="note">Engagement: likes + reposts + replies + quotes. Reach: the posting '
                    "authors' followers, summed over the posts (the potential audience).</p>")


def _rising_section(rows: Sequence[Any]) -> str:
    if not rows:
        return _empty("rising", "Rising terms")
    table = _table(["term", "kind", "recent", "expected", "baseline", "ratio", "score"],
                   ([_e(r.term), _e(r.kind), _int(r.recent), _num(r.expected), _int(r.baseline),
                     f"×{r.ratio:,.1f}", f"{r.score:+.1f}"] for r in rows),
                   [False, False, True, True, True, True, True])
    return _section("rising", "Rising terms", '<p class="note">Seen in more posts in the recent window than '
                    "their own baseline predicts.</p>", table)


# -- campaigns ------------------------------------------------------------------------------------------


def _slug(verdict: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in verdict.lower())


def _campaign_markers(c: Any, days: Sequence[Any], edits: Sequence[Any], zone: ZoneInfo) -> list[tuple[float, str]]:
    """Edits of the campaign's topics and controls inside its series, by local day."""
    index = {d.day: i for i, d in enumerate(days)}
    out = []
    for e in edits:
        day = e.at.astimezone(zone).date()
        if e.topic in (*c.topics, *c.controls) and day in index:
            out.append((float(index[day]), f"{e.topic} edited (v{e.version})"))
    return out


def _campaign_chart(report: Any, edits: Sequence[Any], zone: ZoneInfo) -> str:
    impact, c = report.impact, report.campaign
    days = list(impact.days)
    labels = [d.day.isoformat() for d in days]
    index = {d.day: i for i, d in enumerate(days)}
    forecast = next((i for i, d in enumerate(days) if d.period != "pre"), len(days))
    observed = _Series("Observed", [d.observed for d in days], "#222222")
    expected = _Series("Expected without the campaign", [d.expected for d in days], PALETTE[0], dashed=True)
    shades = []
    first = index.get(max(c.start, days[0].day))
    last = index.get(min(impact.campaign.end, days[-1].day))
    if first is not None and last is not None:
        shades.append((first, last, "campaign", "shade-campaign"))
    if impact.after is not None and impact.after.start in index and impact.after.end in index:
        shades.append((index[impact.after.start], index[impact.after.end], "after", "shade-after"))
    band = ([d.lower for d in days[forecast:]], [d.upper for d in days[forecast:]], forecast)
    level = f"{impact.level:.0%}"
    chart = _line_chart(f"{c.name}: observed {c.kpi} against the counterfactual with its {level} band", labels,
                        [expected, observed], band=band, shades=shades,
                        markers=_campaign_markers(c, days, edits, zone),
                        y_title=c.kpi.replace("_", " ") + (" (posts per day)" if c.kpi == "volume" else " per day"))
    return chart + _legend([observed, expected], [("band", f"{level} interval of the expected"),
                                                  ("shade-campaign", "campaign window"),
                                                  ("shade-after", "after the campaign")])


def _effects(impact: Any) -> str:
    level = f"{impact.level:.0%} interval"
    rows = []
    for label, w in (("Lift during the campaign", impact.campaign), ("After the campaign", impact.after),
                     ("Lasting change", impact.lasting)):
        if w is None:
            continue
        if w.absolute is None:  # no day of the window has a value (no posts to measure a rate on)
            rows.append([_e(label), _e(f"{w.start} – {w.end}"), "no data", _num(w.expected), "–", "–", "", "–"])
            continue
        rel = w.relative_pct
        rows.append([_e(label), _e(f"{w.start} – {w.end}"), _num(w.observed), _num(w.expected),
                     _num(w.absolute.value), f"{_num(w.absolute.lower)} to {_num(w.absolute.upper)}",
                     "" if rel is None else f"{rel.value:+.0f} % ({rel.lower:+.0f} to {rel.upper:+.0f} %)",
                     "–" if w.p_value is None else f"{w.p_value:.3f}"])
    return _table(["", "days", "observed / day", "expected / day", "effect / day", level, "relative", "p-value"],
                  rows, [False, False, True, True, True, True, True, True])


def _campaign_section(k: int, report: Any, edits: Sequence[Any], zone: ZoneInfo) -> str:
    impact, c = report.impact, report.campaign
    facts = [("Period", f"{c.start} – {c.end}"), ("Topics", ", ".join(c.topics)),
             ("Controls", ", ".join(c.controls) or "none"), ("Measured on", c.kpi.replace("_", " "))]
    if c.hypothesis:
        facts.append(("Hypothesis", c.hypothesis))
    if report.decision_text():
        facts.append(("Decision", report.decision_text()))
    if c.note:
        facts.append(("Note", c.note))
    dl = "".join(f"<dt>{_e(a)}</dt><dd>{_e(b)}</dd>" for a, b in facts)
    warnings = "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
    days = _table(["day", "period", "observed", "expected", "lower", "upper", "effect"],
                  ([d.day.isoformat(), d.period, _num(d.observed), _num(d.expected), _num(d.lower), _num(d.upper),
                    _num(d.effect)] for d in impact.days), [False, False] + [True] * 5)
    body = (f'<p class="verdict verdict-{_slug(impact.verdict)}"><span class="badge">{_e(impact.verdict)}</span> '
            f'{_e(impact.explanation)}</p><dl class="facts">{dl}</dl>' + _campaign_chart(report, edits, zone)
            + "<h3>What changed (mean per day)</h3>" + _effects(impact)
            + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
            + f'<p class="note">Method: {_e(impact.method)}.</p>' + _details("Every day (table)", days))
    return (f'<section id="campaign-{k}" class="campaign"><h2>{_e(c.kind.capitalize())}: {_e(c.name)}</h2>'
            f"{body}</section>")


# -- the summary ----------------------------------------------------------------------------------------


def _card(key: str, label: str, value: str, detail: str = "", text: bool = False) -> str:
    size = " card-text" if text else ""
    return (f'<div class="card" data-summary="{key}"><div class="card-label">{_e(label)}</div>'
            f'<div class="card-value{size}">{_e(value)}</div><div class="card-detail">{_e(detail)}</div></div>')


def _summary(sections: dict[str, Sequence[Any]], campaigns: Sequence[Any]) -> str:
    cards = []
    volume = sections.get("volume") or []
    if "volume" in sections:
        total = sum(r.posts for r in volume)
        several = len({r.topic for r in volume}) > 1
        cards.append(_card("posts", "Mentions" if several else "Posts", _int(total),
                            "counted per topic" if several else "in the period"))
        labelled = [r for r in volume if r.negative + r.neutral + r.positive]
        if labelled:
            pos, neg = sum(r.positive for r in labelled), sum(r.negative for r in labelled)
            n = sum(r.posts for r in labelled)
            net = (pos - neg) / n if n else 0.0
            cards.append(_card("net-sentiment", "Net sentiment", f"{net:+.2f}",
                                f"{_int(pos)} positive, {_int(neg)} negative"))
    sov = [r for r in sections.get("sov") or [] if r.start is None and r.posts]
    if sov:
        top = max(sov, key=lambda r: r.share)
        cards.append(_card("share-of-voice", "Largest share of voice", f"{top.share:.0%}", top.topic))
    rising = sections.get("rising") or []
    if rising:
        r = rising[0]
        cards.append(_card("rising", "Biggest rise", _short(r.term, 48),
                            f"{_int(r.recent)} posts vs {_num(r.expected)} expected (×{r.ratio:,.1f})", text=True))
    answers = sections.get("responses") or []
    addressed = sum(r.addressed for r in answers)
    if addressed:
        answered = sum(r.answered for r in answers)
        cards.append(_card("responses", "Answered", f"{answered / addressed:.0%}",
                            f"{_int(answered)} of {_int(addressed)} posts addressed to the organisation"))
    spikes = [s for s in sections.get("spikes") or [] if s.direction == "up"]
    if spikes:
        going = sum(1 for s in spikes if s.end is None)
        cards.append(_card("spikes", "Spikes and surges", _int(len(spikes)),
                            f"{going} going on now" if going else "unusual hours in the period"))
    for report in campaigns:
        c = report.campaign
        cards.append(_card("campaign", f"{c.kind}: {_short(c.name, 48)}", report.impact.verdict,
                            f"{c.start} – {c.end}", text=True))
    return f'<section class="summary" aria-label="Summary">{"".join(cards)}</section>' if cards else ""


# -- the page -------------------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.4;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 28px; margin: 0 0 4px; } h2 { font-size: 21px; margin: 0 0 10px; border-bottom: 2px solid #ddd;
  padding-bottom: 4px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.period { color: #555; margin: 0 0 18px; }
section { margin: 0 0 30px; break-inside: avoid; page-break-inside: avoid; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { border: 1px solid #ccc; border-radius: 8px; padding: 12px 14px; }
.card-label { font-size: 13px; color: #555; text-transform: uppercase; letter-spacing: .04em;
  overflow-wrap: anywhere; }
.card-value { font-size: 30px; font-weight: 700; overflow-wrap: anywhere; }
.card-value.card-text { font-size: 20px; line-height: 1.25; }
.axis-title { font-size: 12px; fill: #555; }
.card-detail { font-size: 13px; color: #444; overflow-wrap: anywhere; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; font-size: 12px; fill: #333; }
.grid { stroke: #e4e4e4; } .axis { stroke: #888; } .zero { stroke: #333; stroke-width: 1.5; }
.edit-marker line { stroke: #b00020; stroke-dasharray: 5 4; stroke-width: 1.5; }
.edit-marker text { fill: #b00020; font-size: 11px; font-weight: 600; }
.band { fill: #0072B2; fill-opacity: .18; stroke: none; }
rect.band { fill: #0072B2; fill-opacity: .18; }
.shade-campaign { fill: #E69F00; fill-opacity: .16; } .shade-after { fill: #999; fill-opacity: .10; }
.shade-label { font-size: 11px; fill: #7a5200; }
.legend { list-style: none; padding: 0; margin: 4px 0 8px; display: flex; flex-wrap: wrap; gap: 6px 18px;
  font-size: 13px; } .legend li { display: flex; align-items: center; gap: 6px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 8px; text-align: left; vertical-align: middle;
  overflow-wrap: anywhere; } th { background: #f3f3f3; } .num { text-align: right;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
details { margin: 6px 0; } summary { cursor: pointer; color: #0057a0; font-size: 13px; }
.note { font-size: 13px; color: #555; } .empty { color: #777; font-style: italic; }
.verdict { font-size: 22px; font-weight: 600; line-height: 1.35; margin: 4px 0 12px; }
.badge { display: inline-block; font-size: 15px; text-transform: uppercase; letter-spacing: .04em;
  border: 2px solid currentColor; border-radius: 6px; padding: 1px 8px; margin-right: 6px; vertical-align: 3px; }
.verdict-lasting-change .badge { color: #007a55; } .verdict-spike-only .badge { color: #b35900; }
.verdict-no-detectable-effect .badge { color: #555; } .verdict-too-early-to-tell .badge { color: #6b4c9a; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 14px; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; overflow-wrap: anywhere; }
.warnings { color: #8a4b00; font-size: 13px; }
code { font-size: 12px; overflow-wrap: anywhere; }
@media print { body { padding: 0; max-width: none; } summary { display: none; }
  details { display: none; } .card { break-inside: avoid; } }
"""

_ORDER = ("volume", "spikes", "responses", "edits", "sov", "where", "authors", "reach", "hashtags", "mentions", "urls", "domains",
          "engagement", "rising")


def _render_section(key: str, rows: Sequence[Any], sections: dict[str, Sequence[Any]], zone: ZoneInfo) -> str:
    if key == "volume":
        return _volume_section(rows, sections.get("edits") or [], zone, sections.get("spikes") or [])
    if key == "spikes":
        return _spikes_section(rows, zone)
    if key == "responses":
        return _responses_section(rows, zone)
    if key == "edits":
        return _edits_section(rows, zone)
    if key == "sov":
        return _sov_section(rows)
    if key == "where":
        return _where_section(rows)
    if key in ("authors", "reach"):
        return _authors_section(key, rows, key == "reach")
    if key == "engagement":
        return _engagement_section(rows)
    if key == "rising":
        return _rising_section(rows)
    return _entities_section(key, rows)


def render_report(sections: dict[str, Sequence[Any]], *, title: str, period: str, zone: str,
                  campaigns: Sequence[Any] = ()) -> str:
    """One self-contained HTML document: a summary, then each section given (in the usual order) and
    each campaign's impact (its chart marks the ``edits`` rows of its topics). ``sections`` maps section
    names to overview rows; ``zone`` is the IANA name
    of the zone times are shown in; ``campaigns`` are :class:`~lyssna.campaigns.CampaignReport`."""
    tz = ZoneInfo(zone)
    keys = [k for k in _ORDER if k in sections] + [k for k in sections if k not in _ORDER]
    body = [_render_section(k, sections[k], sections, tz) for k in keys]
    edits = sections.get("edits") or []
    body += [_campaign_section(k, r, edits, tz) for k, r in enumerate(campaigns)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p class=\"period\">{_e(period)} · times in {_e(zone)}</p></header>"
            f"<main>{_summary(sections, campaigns)}{''.join(body)}</main>"
            "<footer class=\"note\">Made with Lyssna. Every chart's numbers are in the table under it.</footer>"
            "</body></html>\n")
