"""Spike detection on real labelled data: Lyssna's detector (:mod:`lyssna.analytics.spikes`) against the
plain baseline (a fixed z-score of 3 on the mean and standard deviation of the previous 24 hours), in the
same run, on two data sets from ``../shared/data``:

* **NAB realTweets** (``nab_twitter_volume``): mention counts of companies every 5 minutes, with
  labelled anomaly windows (``combined_windows_realTweets.json``) around labelled anomaly times
  (``combined_labels_realTweets.json``); 7 of NAB's 10 series are in the folder (22 windows). Conventions, as in NAB's scorer: detections in the
  probationary period (the first 15 % of a series, at most 750 rows) are ignored; a detection is a
  true positive when its *start* (the moment the streaming detector raises the alert) falls inside a
  window, else a false positive (precision = true / all detections); a window is found when at least
  one detection starts inside it (recall = windows found / windows); the delay is from the labelled
  anomaly time to the first detection in its window (negative: before the label — NAB's windows reach
  before the label on purpose), and from the window's start. The NAB score itself is not computed.
* **CrisisLexT26** (``crisislex_t26_event_timelines``): for each event with a
  ``*-tweetids_entire_period.csv``, the hourly (and daily) count of the keyword-filtered collection,
  and the onset ``time.start_day`` of ``*-event_description.json`` (ISO or dd/mm/yyyy, read as 00:00
  UTC — the day, not the hour, is known). An event is *found* when an upward anomaly starts within 72
  hours (3 days for the daily series) from the onset; the delay is from the onset to that start.
  *Early alarms* are anomalies (either direction) starting before the onset; *later alarms* start after
  the 72-hour window (these include real later events, such as the second Italian earthquake of 29 May
  2012, so they are not all false). Events are skipped, and counted by reason, when the file is
  missing (Boston), or when the onset is not inside the collection (Brazil nightclub fire: start_day
  2013-10-14, after the collection ends in February — a copy of Bohol's date; Alberta floods and
  Typhoon Yolanda: the collection starts more than a day after the onset). ``start_day`` is often the
  day the collection began rather than the hour of the event (Costa Rica: collection from 4 September
  06:03 UTC, the earthquake on 5 September 14:42 UTC, detected in the 14:00 bucket — reported as a
  38-hour delay), so the delays here are upper bounds. Most collections begin on the onset day, so there is
  hardly any time before it: early alarms are a weak measure of false alarms here.

**Nothing reported was tuned on.** The detector's defaults (:class:`~lyssna.analytics.spikes.SpikeParams`)
were chosen with ``--tune`` on the NAB series AAPL, AMZN, CRM and CVS only (the grid and its F1 are
printed); FB, IBM, PFE and all of CrisisLexT26 are held out, and the tables mark the tuning series. The
baseline is not tuned (z = 3, as the issue specifies).

``measure(data_dir)`` gives the figures as a dict and ``render(figures)`` the table;
``python -m bench.spikes_eval [--json] [--data DIR] [--tune]``. Without the data it prints one line and
exits 0.
"""

from __future__ import annotations

import argparse
import csv
import glob
import itertools
import json
import math
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from lyssna.analytics.spikes import Anomaly, RollingZScore, SpikeDetector, SpikeParams, detect, detect_baseline

TUNE = ("AAPL", "AMZN", "CRM", "CVS")  # the NAB series the defaults were chosen on
CRISIS_WINDOWS = (3, 7)  # days after the onset within which an upward anomaly counts as found
_UTC = timezone.utc

Detector = Callable[[list[float], list[float], str], list[Anomaly]]


def _lyssna(params: SpikeParams | None = None) -> Detector:
    return lambda epochs, values, bucket: detect(epochs, values, bucket=bucket, params=params)


def _baseline(epochs: list[float], values: list[float], bucket: str) -> list[Anomaly]:
    return detect_baseline(epochs, values, bucket=bucket)


DETECTORS: dict[str, Detector] = {"lyssna": _lyssna(), "zscore": _baseline}


# NAB -------------------------------------------------------------------------------------------------
def _nab_time(text: str) -> float:
    return datetime.fromisoformat(text.split(".")[0]).replace(tzinfo=_UTC).timestamp()


def load_nab(folder: Path) -> list[dict[str, Any]]:
    """Each series present: name, epochs, values, windows [(start, end)], labels [epoch]."""
    windows = json.loads((folder / "combined_windows_realTweets.json").read_text())
    labels = json.loads((folder / "combined_labels_realTweets.json").read_text())
    series = []
    for key in sorted(windows):
        path = folder / Path(key).name
        if not path.exists():
            continue
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        series.append({"name": path.stem.removeprefix("Twitter_volume_"),
                       "epochs": [_nab_time(r["timestamp"]) for r in rows],
                       "values": [float(r["value"]) for r in rows],
                       "windows": [(_nab_time(a), _nab_time(b)) for a, b in windows[key]],
                       "labels": sorted(_nab_time(t) for t in labels.get(key, []))})
    return series


def score_nab(series: dict[str, Any], found: list[Anomaly]) -> dict[str, Any]:
    """True and false detections, windows found, delays (minutes) for one series."""
    epochs = series["epochs"]
    probation = epochs[min(750, int(0.15 * len(epochs)))]
    starts = [a.start.timestamp() for a in found if a.start.timestamp() >= probation]
    windows = series["windows"]
    true = sum(1 for s in starts if any(a <= s <= b for a, b in windows))
    delays, delays_window = [], []
    hit = 0
    for a, b in windows:
        inside = [s for s in starts if a <= s <= b]
        if not inside:
            continue
        hit += 1
        label = next((t for t in series["labels"] if a <= t <= b), a)
        delays.append((min(inside) - label) / 60)
        delays_window.append((min(inside) - a) / 60)
    return {"detections": len(starts), "true": true, "windows": len(windows), "found": hit,
            "delays": delays, "delays_from_window": delays_window}


def _summary(parts: list[dict[str, Any]]) -> dict[str, Any]:
    detections = sum(p["detections"] for p in parts)
    true = sum(p["true"] for p in parts)
    windows = sum(p["windows"] for p in parts)
    found = sum(p["found"] for p in parts)
    delays = [d for p in parts for d in p["delays"]]
    window_delays = [d for p in parts for d in p["delays_from_window"]]
    precision = true / detections if detections else None
    recall = found / windows if windows else None
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else 0.0
    return {"detections": detections, "true": true, "windows": windows, "found": found,
            "precision": precision, "recall": recall, "f1": f1,
            "median_delay_min": statistics.median(delays) if delays else None,
            "median_delay_from_window_min": statistics.median(window_delays) if window_delays else None}


def measure_nab(series: list[dict[str, Any]], detectors: dict[str, Detector]) -> dict[str, Any]:
    out: dict[str, Any] = {"series": {}, "tune": {}, "held_out": {}, "all": {}}
    for name, run in detectors.items():
        parts = {}
        for s in series:
            parts[s["name"]] = score_nab(s, run(s["epochs"], s["values"], "5min"))
            out["series"].setdefault(s["name"], {})[name] = _summary([parts[s["name"]]])
        out["tune"][name] = _summary([p for k, p in parts.items() if k in TUNE])
        out["held_out"][name] = _summary([p for k, p in parts.items() if k not in TUNE])
        out["all"][name] = _summary(list(parts.values()))
    return out


# CrisisLexT26 ----------------------------------------------------------------------------------------
def _onset(text: str) -> float:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=_UTC).timestamp()
        except ValueError:
            continue
    raise ValueError(f"unknown start_day {text!r}")


def load_crisis(folder: Path) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Events with a timeline and an onset inside it; the skipped ones by reason."""
    events, skipped = [], {}
    for event in sorted(p for p in folder.iterdir() if p.is_dir()):
        ids = glob.glob(str(event / "*-tweetids_entire_period.csv"))
        if not ids:
            skipped.setdefault("no tweetids_entire_period file", []).append(event.name)
            continue
        description = json.loads(next(event.glob("*-event_description.json")).read_text())
        onset = _onset(str(description["time"]["start_day"]))
        with open(ids[0], newline="") as f:
            reader = csv.reader(f)
            next(reader, None)
            stamps = sorted(datetime.strptime(r[0], "%a %b %d %H:%M:%S %z %Y").timestamp() for r in reader if r)
        if not stamps[0] - 86400 <= onset <= stamps[-1]:
            reason = "onset after the collection" if onset > stamps[-1] else "collection starts after the onset day"
            skipped.setdefault(reason, []).append(event.name)
            continue
        events.append({"name": event.name, "onset": onset, "stamps": stamps})
    return events, skipped


def _counts(stamps: list[float], bucket: str) -> tuple[list[float], list[float]]:
    """Counts per bucket (hours from the first hour, or UTC days), zeros included."""
    step = 3600.0 if bucket == "hour" else 86400.0
    first = math.floor(stamps[0] / step) * step
    n = int((stamps[-1] - first) // step) + 1
    counts = [0.0] * n
    for s in stamps:
        counts[int((s - first) // step)] += 1
    return [first + i * step for i in range(n)], counts


def score_crisis(event: dict[str, Any], found: list[Anomaly]) -> dict[str, Any]:
    onset = event["onset"]
    starts = [(a.start.timestamp(), a.direction) for a in found]
    row: dict[str, Any] = {}
    for days in CRISIS_WINDOWS:
        hits = [s for s, d in starts if d == "up" and onset <= s < onset + days * 86400]
        row[f"found_{days}d"] = bool(hits)
        row[f"delay_h_{days}d"] = (min(hits) - onset) / 3600 if hits else None
    row["early_alarms"] = sum(1 for s, _ in starts if s < onset)
    row["later_alarms"] = sum(1 for s, _ in starts if s >= onset + CRISIS_WINDOWS[0] * 86400)
    return row


def measure_crisis(events: list[dict[str, Any]], detectors: dict[str, Detector]) -> dict[str, Any]:
    out: dict[str, Any] = {"events": {}, "summary": {}}
    for bucket in ("hour", "day"):
        for name, run in detectors.items():
            rows = []
            for e in events:
                epochs, counts = _counts(e["stamps"], bucket)
                row = score_crisis(e, run(epochs, counts, bucket))
                out["events"].setdefault(e["name"], {})[f"{name}/{bucket}"] = row
                rows.append(row)
            summary: dict[str, Any] = {"events": len(rows)}
            for days in CRISIS_WINDOWS:
                found = sum(r[f"found_{days}d"] for r in rows)
                delays = [r[f"delay_h_{days}d"] for r in rows if r[f"delay_h_{days}d"] is not None]
                summary[f"found_{days}d"] = found
                summary[f"recall_{days}d"] = found / len(rows) if rows else None
                summary[f"median_delay_h_{days}d"] = statistics.median(delays) if delays else None
            summary["early_alarms"] = sum(r["early_alarms"] for r in rows)
            summary["later_alarms"] = sum(r["later_alarms"] for r in rows)
            out["summary"][f"{name}/{bucket}"] = summary
    return out


# speed -----------------------------------------------------------------------------------------------
def measure_speed(series: list[dict[str, Any]]) -> dict[str, float]:
    """Microseconds per streaming update over the NAB series, and the state each detector keeps."""
    out = {}
    for name, make in (("lyssna", lambda: SpikeDetector("5min")), ("zscore", lambda: RollingZScore("5min"))):
        n, began = 0, time.perf_counter()
        for s in series:
            detector = make()
            for e, v in zip(s["epochs"], s["values"]):
                detector.update(e, v)
            n += len(s["values"])
        out[f"{name}_us_per_update"] = (time.perf_counter() - began) / max(n, 1) * 1e6
    out["lyssna_state_numbers"] = SpikeDetector("5min").state_size()
    out["zscore_state_numbers"] = 288 + 3
    return out


def measure(data_dir: Path) -> dict[str, Any]:
    """Every figure, as a dict (``render`` makes the table)."""
    data_dir = Path(data_dir)
    result: dict[str, Any] = {"tuned_on": list(TUNE)}
    nab = data_dir / "nab_twitter_volume"
    series = load_nab(nab) if nab.exists() else []
    if series:
        result["nab"] = measure_nab(series, DETECTORS)
        result["speed"] = measure_speed(series)
    crisis = data_dir / "crisislex_t26_event_timelines"
    if crisis.exists():
        events, skipped = load_crisis(crisis)
        result["crisislex"] = measure_crisis(events, DETECTORS)
        result["crisislex"]["skipped"] = skipped
    return result


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f} %"


def _num(x: float | None, unit: str = "") -> str:
    return "—" if x is None else f"{x:,.0f}{unit}"


def render(figures: dict[str, Any]) -> str:
    lines = [f"Spike detection: Lyssna vs a rolling z-score (3, previous 24 h). Defaults tuned on NAB "
             f"{', '.join(figures['tuned_on'])} only; everything else is held out."]
    nab = figures.get("nab")
    if nab:
        lines += ["", "NAB realTweets (5-min counts): detections starting in a labelled window; delay from the "
                  "labelled anomaly time (and from the window start)",
                  f"{'series':<22}{'detector':<9}{'det':>5}{'true':>6}{'prec':>7}{'recall':>10}{'F1':>6}"
                  f"{'delay':>10}{'from win':>10}"]
        rows = [(f"{k}{' (tune)' if k in TUNE else ''}", v) for k, v in nab["series"].items()]
        rows += [("ALL tune series", nab["tune"]), ("ALL held-out series", nab["held_out"]), ("ALL", nab["all"])]
        for label, by in rows:
            for det, s in by.items():
                lines.append(f"{label:<22}{det:<9}{s['detections']:>5}{s['true']:>6}{_pct(s['precision']):>7}"
                             f"{s['found']:>4}/{s['windows']:<2}{_pct(s['recall']):>4}{s['f1']:>6.2f}"
                             f"{_num(s['median_delay_min'], ' m'):>10}"
                             f"{_num(s['median_delay_from_window_min'], ' m'):>10}")
    crisis = figures.get("crisislex")
    if crisis:
        lines += ["", "CrisisLexT26 (held out): found = an upward anomaly within 3 (7) days of start_day; "
                  "median delay from start_day 00:00 UTC; early = alarms before it, later = after 3 days",
                  f"{'detector/bucket':<16}{'found 3 d':>10}{'delay':>8}{'found 7 d':>11}{'delay':>8}"
                  f"{'early':>7}{'later':>7}"]
        for key, s in crisis["summary"].items():
            lines.append(f"{key:<16}{s['found_3d']:>3}/{s['events']:<2}{_pct(s['recall_3d']):>5}"
                         f"{_num(s['median_delay_h_3d'], ' h'):>8}{s['found_7d']:>4}/{s['events']:<2}"
                         f"{_pct(s['recall_7d']):>5}{_num(s['median_delay_h_7d'], ' h'):>8}"
                         f"{s['early_alarms']:>7}{s['later_alarms']:>7}")
        for reason, names in crisis["skipped"].items():
            lines.append(f"skipped ({reason}): {', '.join(names)}")
    speed = figures.get("speed")
    if speed:
        lines += ["", f"Speed: Lyssna {speed['lyssna_us_per_update']:.1f} µs per update "
                  f"({speed['lyssna_state_numbers']} numbers of state per series); "
                  f"z-score {speed['zscore_us_per_update']:.1f} µs ({speed['zscore_state_numbers']} numbers)"]
    return "\n".join(lines)


# tuning (on the TUNE series only) --------------------------------------------------------------------
GRID = {"threshold": (3.0, 4.0, 4.5, 5.0, 6.0), "exit_ratio": (0.5, 0.75),
        "level_halflife": (6 * 3600.0, 12 * 3600.0, 24 * 3600.0), "merge_gap": (3600.0, 2 * 3600.0, 4 * 3600.0)}


def tune(data_dir: Path) -> list[tuple[float, dict[str, Any]]]:
    """F1 on the tuning series for each setting of :data:`GRID`, best first."""
    series = [s for s in load_nab(Path(data_dir) / "nab_twitter_volume") if s["name"] in TUNE]
    results = []
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values))
        run = _lyssna(replace(SpikeParams(), **setting))
        s = _summary([score_nab(x, run(x["epochs"], x["values"], "5min")) for x in series])
        results.append((s["f1"], {**setting, **s}))
    return sorted(results, key=lambda r: -r[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tune", action="store_true", help="grid over the tuning series only")
    args = parser.parse_args(argv)
    if not (args.data / "nab_twitter_volume").exists() and not (args.data / "crisislex_t26_event_timelines").exists():
        print(f"skipped: no NAB or CrisisLexT26 data under {args.data}")
        return 0
    if args.tune:
        for f1, row in tune(args.data):
            print(f"F1 {f1:.3f}  " + "  ".join(f"{k}={v}" for k, v in row.items() if k != "f1"))
        return 0
    figures = measure(args.data)
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
