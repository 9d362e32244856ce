"""Sentiment measured on real labelled data: macro-F1, accuracy and the confusion matrix per set, with
baselines run in the same process, and the speed of each.

    python -m bench.sentiment_eval [--data DIR] [--runs N] [--json]
    python bench/enrich_eval.py --only sentiment      # the same, as a section of the enrichment benchmark

Sets (``bench/sentiment_data.py`` says how each set's labels become three classes): English — the VADER
tweet gold standard's held-out 30 % (the decision layer is trained on the other 70 %), the US airline
tweets (all), the AmazonHelp inbound tweets (all), and TweetEval validation (the development set the rules
were designed against: its figure is not a test figure). Swedish — ABSAbank-Imm paragraphs (stance toward
immigration, not general sentiment: reported on its own). There is no licensed set of Swedish tweets
labelled for sentiment in the data.

Baselines: VADER 3.3.2 (``vaderSentiment``, compound ±0.05) on every set; on the Swedish set also the two
Swedish lexicons in the data, read as plain word lists (sum of the words' scores, sign = label; a word
is looked up as written and lower-cased): AFINN-sv-165 and Språkbanken's sentiment lexicon (its
``written_form`` and ``word`` columns). The Swedish VADER port (``vadersentiment-swedish``) is not run:
it installs under VADER's own module name, so the two cannot be loaded together.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(_REPO))

from bench import sentiment_data  # noqa: E402

__all__ = ["measure", "render", "scores", "main"]

LABELS = ("negative", "neutral", "positive")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def scores(golds: list[str], guesses: list[str]) -> dict:
    """Macro-F1 and accuracy in %, per-class F1 and the confusion matrix (rows gold, columns guessed)."""
    f1 = {}
    for lab in LABELS:
        tp = sum(1 for g, p in zip(golds, guesses) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(golds, guesses) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(golds, guesses) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1[lab] = 100 * 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    confusion = [[sum(1 for g, p in zip(golds, guesses) if g == a and p == b) for b in LABELS] for a in LABELS]
    return {"macro_f1": round(sum(f1.values()) / 3, 1),
            "accuracy": round(100 * sum(1 for g, p in zip(golds, guesses) if g == p) / max(1, len(golds)), 1),
            "f1": {k: round(v, 1) for k, v in f1.items()}, "confusion": confusion}


# -- the classifiers -------------------------------------------------------------------------------------


def _lyssna() -> Callable[[list[str], str], list[str]]:
    from lyssna.enrichers.language import detect_many
    from lyssna.enrichers.sentiment import analyzer

    an = analyzer()

    def run(texts: list[str], lang: str) -> list[str]:
        # the language as the chain detects it (Swedish texts are not told they are Swedish)
        langs = [g.lang for g in detect_many(texts)]
        return [s.label for s in an.many(texts, langs)]

    return run


def _vader() -> Callable[[list[str], str], list[str]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    va = SentimentIntensityAnalyzer()

    def run(texts: list[str], lang: str) -> list[str]:
        out = []
        for t in texts:
            c = va.polarity_scores(t)["compound"]
            out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
        return out

    return run


def _word_list(lexicon: dict[str, float]) -> Callable[[list[str], str], list[str]]:
    def run(texts: list[str], lang: str) -> list[str]:
        out = []
        for t in texts:
            s = sum(lexicon.get(w.lower(), 0.0) for w in _WORD.findall(t))
            out.append("positive" if s > 0 else "negative" if s < 0 else "neutral")
        return out

    return run


def _afinn_sv(data: Path) -> dict[str, float]:
    out = {}
    with open(data / "swedish_sentiment_lexicons" / "AFINN-sv-165.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                out[parts[0].lower()] = float(parts[1])
    return out


def _sentimentlex(data: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    with open(data / "swedish_sentiment_lexicons" / "sentimentlex.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            value = float(row["strength"])
            forms = [row["word"]] + re.findall(r"'([^']+)'", row.get("written_form") or "")
            for form in forms:
                out.setdefault(form.lower(), value)
    return out


# -- measuring -------------------------------------------------------------------------------------------


def measure(data: Path = sentiment_data.DEFAULT_DATA, sets: Iterable[str] | None = None, speed_runs: int = 3,
            log: Callable[[str], None] = lambda m: None) -> dict:
    classifiers: dict[str, Callable] = {"lyssna": _lyssna(), "vader": _vader()}
    swedish: dict[str, Callable] = {}
    for name, load in (("afinn_sv", _afinn_sv), ("sentimentlex", _sentimentlex)):
        try:
            swedish[name] = _word_list(load(data))
        except FileNotFoundError:
            pass
    result: dict = {"sets": {}, "speed": {}}
    all_texts: list[str] = []
    for name in sets or sentiment_data.SETS:
        load, lang, what = sentiment_data.SETS[name]
        try:
            items = load(data)
        except FileNotFoundError:
            log(f"{name}: data absent, skipped")
            continue
        texts, golds = [t for t, _ in items], [g for _, g in items]
        all_texts.extend(texts if lang == "en" else texts[:2000])
        entry = {"what": what, "lang": lang, "n": len(items),
                 "gold": {lab: golds.count(lab) for lab in LABELS}}
        for cname, run in {**classifiers, **(swedish if lang == "sv" else {})}.items():
            log(f"{name}: {cname}")
            entry[cname] = scores(golds, run(texts, lang))
        result["sets"][name] = entry
    if speed_runs and all_texts:
        result["speed"] = _speed(all_texts, speed_runs, log)
    return result


def _speed(texts: list[str], runs: int, log) -> dict:
    from lyssna.enrichers.entities import extract_emoji
    from lyssna.enrichers.sentiment import analyzer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    an, va = analyzer(), SentimentIntensityAnalyzer()
    langs = ["en"] * len(texts)
    emoji = [extract_emoji(t) for t in texts]  # given by the entities enricher in the chain
    out = {}
    for name, run in (("lyssna", lambda: an.many(texts, langs, emoji)),
                      ("vader", lambda: [va.polarity_scores(t) for t in texts])):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        out[name] = round(len(texts) / statistics.median(times))
        log(f"speed {name}: {out[name]:,} texts/s")
    out["texts"] = len(texts)
    return out


def render(r: dict) -> str:
    lines = ["## Sentiment (macro-F1 / accuracy, %)", "",
             "| set | posts | Lyssna | VADER | AFINN-sv | sentimentlex | Lyssna − VADER |",
             "|---|---|---|---|---|---|---|"]
    for name, e in r["sets"].items():
        def cell(key: str) -> str:
            return f"{e[key]['macro_f1']:.1f} / {e[key]['accuracy']:.1f}" if key in e else "–"
        lines.append(f"| {name} ({e['what']}) | {e['n']:,} | {cell('lyssna')} | {cell('vader')} | {cell('afinn_sv')} "
                     f"| {cell('sentimentlex')} | {e['lyssna']['macro_f1'] - e['vader']['macro_f1']:+.1f} |")
    lines += ["", "Confusion of Lyssna (rows gold negative/neutral/positive, columns guessed):", ""]
    for name, e in r["sets"].items():
        lines.append(f"- {name}: {e['lyssna']['confusion']}  (per-class F1 {e['lyssna']['f1']})")
    if r.get("speed"):
        s = r["speed"]
        lines += ["", f"Speed on {s['texts']:,} texts, one core, median: Lyssna {s['lyssna']:,} texts/s, "
                      f"VADER {s['vader']:,} texts/s ({s['lyssna'] / s['vader']:.1f}× VADER)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=sentiment_data.DEFAULT_DATA)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data} is absent: nothing to measure")
        return 0
    r = measure(args.data, speed_runs=args.runs, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(r, indent=2, ensure_ascii=False) if args.json else render(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
