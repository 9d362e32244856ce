"""Dialogue labels (:mod:`lyssna.enrichers.labels`) measured on real labelled data, and their speed.

    python -m bench.labels_eval                 # the figures (a table)
    python -m bench.labels_eval --json          # the figures as JSON
    python -m bench.labels_eval --tune          # misses and false alarms on the TUNING half (even rows)
    python -m bench.labels_eval --data /path    # the third-party data elsewhere (default ../shared/data)

Data (third-party, in ``--data``; skipped with a line and exit 0 when absent):

* **US airline tweets** (``twitter_us_airline_sentiment/Tweets.csv``, 14,640 rows, CC BY-NC-SA). Rows
  whose columns are shifted (the known Kaggle ``;`` artefact: ``tweet_created`` is not a timestamp) are
  skipped and counted. The copy replaced ``late`` by ``Late Flight`` and ``cancel`` by ``Cancelled
  Flight`` inside the text (``Late Flightr``, ``Cancelled Flightled``); that is undone before labelling.
  Split by the row's index among the data rows: **even rows are the tuning half** (the cues were written
  and adjusted looking at them), **odd rows the report half** (figures quoted elsewhere come from it).
  Gold complaint: ``negative`` with a ``negativereason`` other than ``Can't Tell``; gold non-complaint:
  ``positive`` and ``neutral``; negative ``Can't Tell`` (and negative without a reason) is left out.
  Three sentiment inputs: ``oracle`` — the gold sentiment as the score (negative −0.6, neutral 0,
  positive 0.6), an upper bound for what a sentiment enricher gives; ``cue_only`` — score 0 (only the
  strong cues can fire); ``lyssna`` — the score of :mod:`lyssna.enrichers.sentiment` when it is
  importable (not a gold input: what the pipeline would really see).
* **AmazonHelp inbound** (300 tweets, 100 per gold sentiment class) and the **TWCS Kaggle sample**
  (93 tweets, customers' and brands'): the share labelled question/request/complaint per class
  (descriptive: there is no gold for question or request).
* **Questions**: the share of report-half airline tweets with a ``?`` (anywhere, URLs included) that are
  labelled question, the share of those without one labelled question, and 100 report-half tweets
  without ``?`` (a fixed sample), of which those labelled question are listed for a person to read.
* **Speed**: every parseable airline tweet labelled ``--runs`` times (oracle scores), median µs a tweet,
  one process, one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `lyssna` importable from the checkout
    sys.path.insert(0, str(_REPO / "src"))

from lyssna.enrichers.labels import labels_many  # noqa: E402

__all__ = ["DEFAULT_DATA", "ORACLE", "airline_rows", "evaluate", "render", "main"]

DEFAULT_DATA = _REPO.parent / "shared" / "data"
ORACLE = {"negative": -0.6, "neutral": 0.0, "positive": 0.6}
_CREATED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [-+]\d{4}")
_ARTEFACTS = (("Cancelled Flight", "cancel"), ("Late Flight", "late"))


def airline_rows(data: Path) -> tuple[list[dict[str, Any]], int, int]:
    """The parseable airline rows (``index``, ``text``, ``sentiment``, ``reason``) and how many rows of
    the even and of the odd half were skipped as unparseable."""
    rows: list[dict[str, Any]] = []
    skipped = [0, 0]
    with open(data / "twitter_us_airline_sentiment" / "Tweets.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        for index, row in enumerate(reader):
            if (len(row) != len(header) or not _CREATED.fullmatch(row[col["tweet_created"]])
                    or row[col["airline_sentiment"]] not in ORACLE):
                skipped[index % 2] += 1
                continue
            text = row[col["text"]]
            for wrong, right in _ARTEFACTS:
                text = text.replace(wrong, right)
            rows.append({"index": index, "text": text, "sentiment": row[col["airline_sentiment"]],
                         "reason": row[col["negativereason"]]})
    return rows, skipped[0], skipped[1]


def _gold_complaint(row: dict[str, Any]) -> bool | None:
    if row["sentiment"] != "negative":
        return False
    return None if row["reason"] in ("", "Can't Tell") else True


def _prf(gold: list[bool], predicted: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted))
    fp = sum(p and not g for g, p in zip(gold, predicted))
    fn = sum(g and not p for g, p in zip(gold, predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn, "n": len(gold)}


def _lyssna_scores(texts: list[str]) -> list[float] | None:
    try:
        from lyssna.enrichers.sentiment import analyzer
    except ImportError:
        return None
    try:
        a = analyzer()
        return [float(a.score(t, "en").score) for t in texts]
    except Exception:  # the sentiment enricher is being written: its absence is not this benchmark's failure
        return None


def _complaint_section(rows: list[dict[str, Any]]) -> dict[str, Any]:
    kept = [r for r in rows if _gold_complaint(r) is not None]
    texts = [r["text"] for r in kept]
    gold = [bool(_gold_complaint(r)) for r in kept]
    langs = ["en"] * len(kept)
    out: dict[str, Any] = {"rows": len(rows), "left_out_cant_tell": len(rows) - len(kept),
                           "gold_complaints": sum(gold)}
    variants: dict[str, list[float] | None] = {
        "oracle": [ORACLE[r["sentiment"]] for r in kept], "cue_only": [0.0] * len(kept),
        "lyssna": _lyssna_scores(texts)}
    for name, scores in variants.items():
        if scores is None:
            continue
        labels = labels_many(texts, langs, scores)
        out[name] = _prf(gold, ["complaint" in lab for lab in labels])
    return out


def _shares(texts: list[str], classes: list[str], scores: list[float]) -> dict[str, dict[str, float]]:
    labels = labels_many(texts, ["en"] * len(texts), scores)
    out: dict[str, dict[str, float]] = {}
    for cls in sorted(set(classes)):
        picked = [lab for lab, c in zip(labels, classes) if c == cls]
        out[cls] = {"n": len(picked), **{name: round(sum(name in lab for lab in picked) / len(picked), 3)
                                         for name in ("question", "request", "complaint")}}
    return out


def _customer_support(data: Path) -> dict[str, Any]:
    folder = data / "twcs_customer_support"
    with open(folder / "amazonhelp_inbound_sentiment_annotations.csv", encoding="utf-8", newline="") as f:
        amazon = [r for r in csv.DictReader(f) if r.get("label") in ORACLE]
    texts = [r["text"] for r in amazon]
    classes = [r["label"] for r in amazon]
    out: dict[str, Any] = {
        "amazonhelp_oracle": _shares(texts, classes, [ORACLE[c] for c in classes]),
        "amazonhelp_cue_only": _shares(texts, classes, [0.0] * len(texts)),
    }
    with open(folder / "twcs_kaggle_sample.csv", encoding="utf-8", newline="") as f:
        sample = list(csv.DictReader(f))
    who = ["customer" if r["inbound"] == "True" else "brand" for r in sample]
    out["twcs_sample_cue_only"] = _shares([r["text"] for r in sample], who, [0.0] * len(sample))
    return out


def _questions(report: list[dict[str, Any]]) -> dict[str, Any]:
    texts = [r["text"] for r in report]
    labels = labels_many(texts, ["en"] * len(texts), [0.0] * len(texts))
    with_q = [lab for t, lab in zip(texts, labels) if "?" in t]
    without = [(t, lab) for t, lab in zip(texts, labels) if "?" not in t]
    sample = random.Random(20240501).sample(without, 100)
    return {
        "with_qmark": len(with_q),
        "with_qmark_labelled_question": round(sum("question" in lab for lab in with_q) / len(with_q), 3),
        "without_qmark": len(without),
        "without_qmark_labelled_question": round(sum("question" in lab for _, lab in without) / len(without), 3),
        "sample_without_qmark_labelled_question": [t for t, lab in sample if "question" in lab],
    }


def _speed(texts: list[str], scores: list[float], runs: int) -> dict[str, float]:
    langs = ["en"] * len(texts)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        labels_many(texts, langs, scores)
        times.append(time.perf_counter() - start)
    per_post = [t / len(texts) * 1e6 for t in times]
    return {"posts": len(texts), "runs": runs, "median_us_per_post": round(statistics.median(per_post), 2),
            "min_us_per_post": round(min(per_post), 2)}


def evaluate(data_dir: Path, runs: int = 3) -> dict[str, Any]:
    """Every figure of this benchmark, as a dict (see the module's doc for what each one is)."""
    rows, skipped_even, skipped_odd = airline_rows(data_dir)
    tune = [r for r in rows if r["index"] % 2 == 0]
    report = [r for r in rows if r["index"] % 2 == 1]
    return {
        "airline_complaint": {
            "skipped_unparseable": {"even": skipped_even, "odd": skipped_odd},
            "tuning_half_even_rows": _complaint_section(tune),
            "report_half_odd_rows": _complaint_section(report),
        },
        "customer_support": _customer_support(data_dir),
        "questions_report_half": _questions(report),
        "speed": _speed([r["text"] for r in rows], [ORACLE[r["sentiment"]] for r in rows], runs),
    }


def render(result: dict[str, Any]) -> str:
    lines = ["Dialogue labels — complaint on US airline tweets (gold: negative with a reason vs positive/neutral)"]
    ac = result["airline_complaint"]
    lines.append(f"  unparseable rows skipped: even {ac['skipped_unparseable']['even']}, "
                 f"odd {ac['skipped_unparseable']['odd']}")
    for half in ("tuning_half_even_rows", "report_half_odd_rows"):
        sec = ac[half]
        lines.append(f"  {half}: {sec['rows']} rows, {sec['left_out_cant_tell']} negative Can't Tell/no reason left"
                     f" out, {sec['gold_complaints']} gold complaints")
        for variant in ("oracle", "cue_only", "lyssna"):
            if variant in sec:
                m = sec[variant]
                lines.append(f"    {variant:9s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                             f"   (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    lines.append("Shares labelled, per class (descriptive; no gold for question/request)")
    for name, table in result["customer_support"].items():
        lines.append(f"  {name}")
        for cls, m in table.items():
            lines.append(f"    {cls:9s} n {m['n']:4d}  question {m['question']:.2f}  request {m['request']:.2f}"
                         f"  complaint {m['complaint']:.2f}")
    q = result["questions_report_half"]
    lines.append(f"Questions (airline, report half): with '?' {q['with_qmark']} → labelled question "
                 f"{q['with_qmark_labelled_question']:.3f}; without '?' {q['without_qmark']} → "
                 f"{q['without_qmark_labelled_question']:.3f}")
    sample = q["sample_without_qmark_labelled_question"]
    lines.append(f"  of 100 sampled without '?', labelled question ({len(sample)}):")
    for text in q["sample_without_qmark_labelled_question"]:
        lines.append("    · " + " ".join(text.split())[:110])
    s = result["speed"]
    lines.append(f"Speed: {s['median_us_per_post']} µs a tweet (median of {s['runs']}; min {s['min_us_per_post']}),"
                 f" {s['posts']} tweets")
    return "\n".join(lines)


def _tune(data: Path, limit: int) -> str:
    """Misses and false alarms on the tuning half only (even rows), oracle scores."""
    rows, _, _ = airline_rows(data)
    tune = [r for r in rows if r["index"] % 2 == 0 and _gold_complaint(r) is not None]
    labels = labels_many([r["text"] for r in tune], ["en"] * len(tune), [ORACLE[r["sentiment"]] for r in tune])
    missed = [r for r, lab in zip(tune, labels) if _gold_complaint(r) and "complaint" not in lab]
    alarms = [r for r, lab in zip(tune, labels) if not _gold_complaint(r) and "complaint" in lab]
    rng = random.Random(1)
    out = [f"missed complaints ({len(missed)}):"]
    out += [f"  [{r['reason']}] " + " ".join(r["text"].split()) for r in rng.sample(missed, min(limit, len(missed)))]
    out.append(f"false alarms ({len(alarms)}):")
    out += [f"  [{r['sentiment']}] " + " ".join(r["text"].split())
            for r in rng.sample(alarms, min(limit, len(alarms)))]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tune", type=int, nargs="?", const=40, default=0,
                        help="print N misses and false alarms of the tuning half")
    args = parser.parse_args(argv)
    if not (args.data / "twitter_us_airline_sentiment" / "Tweets.csv").exists():
        print(f"labels_eval: skipped, no data in {args.data}", file=sys.stderr)
        return 0
    if args.tune:
        print(_tune(args.data, args.tune))
        return 0
    result = evaluate(args.data, runs=args.runs)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
