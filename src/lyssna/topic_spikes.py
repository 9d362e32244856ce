"""Spikes of every topic, found as posts arrive: each topic has two streaming detectors
(:class:`~lyssna.analytics.spikes.SpikeDetector`, hourly, in the project's time zone) — one on its volume
(spikes and drops), one on its negative posts (surges) — whose state is kept in the store, so each import
only feeds them the hours that have arrived since.

:func:`track` runs after every import (and before a report reads the spikes):

1. Topics whose matches changed (a query edited, a topic rematched) were forgotten by the store when it
   happened; topics that got a match of a post *older* than hours already judged (an export imported
   after the fact) are forgotten here. A forgotten topic is replayed from its first match.
2. One query counts every topic's matches and negative matches per UTC hour, from the earliest hour any
   detector still has to read to the last **complete** hour: one that ended before ``now`` and before
   the newest post in the store (an import brings the past in order; an hour is complete once posts
   after it have arrived). Missing hours are zeros.
3. Each anomaly is recorded when it opens (``end`` None: going on) and updated when it closes; the
   detectors' states, the anomalies and how far posts have been seen are written in one transaction.

Alert rules (:mod:`lyssna.alerts`) keep detectors of their own: a rule starts learning when it is added
and alerts on what comes after, while these see the whole history. The detector, its settings and its
evaluation (precision, recall, delay on NAB and CrisisLexT26) are in :mod:`lyssna.analytics.spikes`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from .alerts import detector_state, restore_detector
from .analytics.spikes import SpikeParams

__all__ = ["KINDS", "TopicSpike", "track", "topic_spikes"]

#: The two series of each topic, and the anomalies looked for in each.
KINDS: dict[str, SpikeParams] = {
    "volume": SpikeParams(directions=("up", "down")),
    "negative": SpikeParams(directions=("up",)),
}
_HOUR = 3600


@dataclass(frozen=True, slots=True)
class TopicSpike:
    """An unusual hour or run of hours in a topic: ``kind`` "volume" (a spike, or a drop) or "negative"
    (a surge of negative posts). Times are hour starts in the caller's zone; ``end`` (the last unusual
    hour) is None while it goes on."""

    topic: str
    kind: str
    start: datetime
    peak: datetime
    end: datetime | None
    peak_value: float  # posts in the peak hour
    expected: float  # what the detector expected there
    score: float  # its score (negative for a drop)
    direction: str  # "up" or "down"
    found_at: datetime  # when the import that found it ran

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def as_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "kind": self.kind, "start": self.start.isoformat(),
                "peak": self.peak.isoformat(), "end": self.end.isoformat() if self.end else None,
                "peak_value": self.peak_value, "expected": round(self.expected, 2), "score": round(self.score, 2),
                "direction": self.direction, "ongoing": self.ongoing}


def track(store: Any, now: datetime, zone: str | ZoneInfo = "UTC") -> int:
    """Feed every topic's detectors the complete hours that arrived since their last run; record what
    they find. Returns how many anomalies were opened or closed."""
    topics = {t.id: t.name for t in store.topics()}
    newest = store.newest_post_time()
    seen = store.watermark("spikes")
    last_key = store.max_post_key()
    if not topics or newest is None:
        if last_key != seen:
            store.save_spike_run([], [], last_key)
        return 0
    end = min(int(now.timestamp()) // _HOUR, int(newest.timestamp()) // _HOUR) * _HOUR  # exclusive
    states = store.spike_states()
    judged: dict[int, int] = {}
    for (topic_id, _), (_, upto) in states.items():
        judged[topic_id] = min(upto, judged.get(topic_id, upto))
    late = store.late_matched_topics(seen, judged) if seen < last_key else []
    if late:
        store.forget_spikes(late)
        states = {k: v for k, v in states.items() if k[0] not in late}
    firsts = store.first_match_hours()
    starts: dict[tuple[int, str], int] = {}
    for topic_id in topics:
        for kind in KINDS:
            if (topic_id, kind) in states:
                starts[(topic_id, kind)] = states[(topic_id, kind)][1]
            elif topic_id in firsts:
                starts[(topic_id, kind)] = firsts[topic_id]
    due = {k: v for k, v in starts.items() if v < end}
    if not due:
        if last_key != seen:
            store.save_spike_run([], [], last_key)
        return 0
    counts = store.hourly_topic_counts(min(due.values()), end, sorted({t for t, _ in due}))
    found_at = now.astimezone(timezone.utc)
    new_states, spikes = [], []
    for (topic_id, kind), start in sorted(due.items()):
        raw = states.get((topic_id, kind), (None, None))[0]
        detector = restore_detector(json.loads(raw) if raw else None, zone, KINDS[kind])
        series = counts.get(topic_id, {})
        column = 0 if kind == "volume" else 1
        hours = sorted(h for h in series if start <= h < end)
        if not hours or hours[-1] != end - _HOUR:
            hours.append(end - _HOUR)  # the hours up to the last complete one are zeros
        for hour in hours:
            detector.update(float(hour), series.get(hour, (0, 0))[column])
            for a in detector.emitted:
                spikes.append((topic_id, kind, a.start, a.peak, a.end, float(a.peak_value), float(a.expected),
                               float(a.score), a.direction, found_at))
        new_states.append((topic_id, kind, json.dumps(detector_state(detector)), end))
    store.save_spike_run(new_states, spikes, last_key)
    return len(spikes)


def topic_spikes(store: Any, topics: Sequence[str], *, since: datetime | None = None, until: datetime | None = None,
                 kinds: Sequence[str] = tuple(KINDS), tz: ZoneInfo = ZoneInfo("UTC")) -> list[TopicSpike]:
    """The anomalies found in the topics (by name) that overlap the period (``until`` exclusive), in time
    order; times in ``tz``."""
    ids = {t.id: t.name for t in store.topics() if t.name in topics}
    out = []
    for topic_id, kind, start, peak, end, value, expected, score, direction, found_at in store.topic_spikes(
            list(ids), since, until):
        if kind in kinds:
            out.append(TopicSpike(ids[topic_id], kind, start.astimezone(tz), peak.astimezone(tz),
                                  end.astimezone(tz) if end is not None else None, value, expected, score,
                                  direction, found_at))
    return out
