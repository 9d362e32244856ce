"""Enrichers measured on real data: accuracy by data set and text length, speed on one core, memory.

    python bench/enrich_eval.py                      # every section: language, sentiment, entities, labels
    python bench/enrich_eval.py --only language      # one section
    python bench/enrich_eval.py --runs 7 --json      # more speed runs (medians), figures as JSON
    python bench/enrich_eval.py --data /path/to/data # the third-party data elsewhere (default ../shared/data)
    python bench/enrich_eval.py --tune               # how the language thresholds were chosen (tuning halves)

What is measured (see bench/README.md for the details and how to read it). Each section has the same
three parts, with one or more baselines measured in the same run and ratios to them. The sentiment,
entities and labels sections are ``bench/sentiment_eval.py``, ``bench/entities_eval.py`` and
``bench/labels_eval.py`` (each also runnable alone; their docstrings say what they measure); the speed of
the whole chain is ``bench/enrich_speed.py``.

``language`` (:mod:`lyssna.enrichers.language`):

1. **Accuracy** — the share of texts given their gold language (``unknown`` counts as wrong; its share
   is printed beside), per data set and per length bucket of the original text in characters (≤ 30,
   31–80, 81–160, > 160), for Lyssna's ``detect_many`` and the baselines. Data (all third-party, in
   ``--data``): the Universal Dependencies *test* sets sv/en/da/nb/nn (whole; never tuned on); English
   tweets (TweetEval sentiment *validation*, the VADER tweet gold standard, US airline tweets) and
   Swedish ABSAbank-Imm paragraphs (Flashback posts and newspaper editorials) — of these only the
   *report half* (a hash of the text picks the half; the other half was used to choose Lyssna's
   thresholds); the one Flashback thread (24 posts, all). There is no set of Swedish tweets in the data,
   so short Swedish posts are simulated: the ``… cut ≤30`` sets are the texts longer than 30 characters
   cut at a word boundary to at most 30. CrisisLexT26 tweets of Italian, Spanish, Portuguese and French
   events (report half) give the share said to be one of the Nordic languages (certainly wrong) and the
   share given the event's language (their gold is per event, not per tweet: many are English).
   The confusion among sv/da/nb/nn/en (+ other, unknown) is printed for the UD sets.
2. **Speed** — texts/s of ``detect_many`` over all the texts above (about 40,000, as they are), pinned to
   one core, ``--runs`` times, median; ``detect`` one text at a time on a sample; the baselines the same
   way (their own per-text calls).
3. **Memory** — RSS after loading the model (and detecting one text) minus RSS before, each detector in a
   fresh process that has imported ``lyssna.enrichers`` already (numpy and the library's import included).

Baselines: py3langid 0.4.0 restricted with ``set_languages`` to the five (en sv da no nn) on the raw text
(the measured fact Lyssna starts from), py3langid's defaults (all 142 languages, raw text), and
lingua-language-detector restricted to the five when it is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(_REPO))

__all__ = ["DEFAULT_DATA", "BUCKETS", "bucket", "cut", "report_half", "language_sets", "language_detectors",
           "measure_language", "render_language", "tune_language", "SECTIONS", "main"]

DEFAULT_DATA = _REPO.parent / "shared" / "data"
BUCKETS = ("≤30", "31–80", "81–160", ">160")
MAIN = ("sv", "en", "da", "nb", "nn")
NORDIC = ("sv", "da", "nb", "nn")
CUT = 30  # characters of the simulated short posts
SPEED_SAMPLE = 2_000  # texts for the one-at-a-time rates


def bucket(text: str) -> str:
    n = len(text)
    return BUCKETS[0] if n <= 30 else BUCKETS[1] if n <= 80 else BUCKETS[2] if n <= 160 else BUCKETS[3]


def cut(text: str, n: int = CUT) -> str:
    """``text`` cut at a word boundary to at most ``n`` characters (a short post)."""
    if len(text) <= n:
        return text
    head = text[: n + 1]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else text[:n]).strip()


def report_half(text: str) -> bool:
    """Whether a text is in the half the figures are reported on (the other half is for tuning)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=2).digest()[0] & 1 == 1


# -- data ------------------------------------------------------------------------------------------


def _ud(data: Path) -> list[tuple[str, str]]:
    out = []
    for name, lang in (("sv_talbanken", "sv"), ("en_ewt", "en"), ("da_ddt", "da"), ("no_bokmaal", "nb"),
                       ("no_nynorsk", "nn")):
        with open(data / "ud_language_test" / f"{name}-ud-test.conllu", encoding="utf-8") as f:
            out.extend((line[9:].strip(), lang) for line in f if line.startswith("# text = "))
    return out


def _tweeteval(data: Path) -> list[str]:
    with open(data / "tweeteval_sentiment_val" / "val_text.txt", encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def _vader(data: Path) -> list[str]:
    out = []
    with open(data / "vader_tweets_groundtruth" / "tweets_GroundTruth.txt", encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 3 and parts[2].strip():
                out.append(parts[2])
    return out


def _airline(data: Path) -> list[str]:
    with open(data / "twitter_us_airline_sentiment" / "Tweets.csv", encoding="utf-8", newline="") as f:
        return [r["text"] for r in csv.DictReader(f) if r.get("text")]


def _absabank(data: Path) -> tuple[list[str], list[str]]:
    csv.field_size_limit(1 << 24)
    flashback, news = [], []
    for name in ("absabank-imm_train.tsv", "absabank-imm_dev.tsv"):
        with open(data / "swedish_absabank_imm" / name, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        for row in rows[1:]:
            (flashback if "flashback" in row[0] else news).append(row[1])
    return flashback, news


def _flashback_thread(data: Path) -> list[str]:
    con = sqlite3.connect(f"file:{data / 'swedish_flashback_thread' / 't2977018.sqlite3'}?mode=ro", uri=True)
    try:
        return [body.strip() for (body,) in con.execute("SELECT body FROM fb ORDER BY id") if body and body.strip()]
    finally:
        con.close()


CRISIS_EVENTS = {"2013_Sardinia_floods": "it", "2012_Italy_earthquakes": "it", "2012_Guatemala_earthquake": "es",
                 "2012_Costa_Rica_earthquake": "es", "2012_Venezuela_refinery": "es",
                 "2013_Brazil_nightclub_fire": "pt", "2013_Lac_Megantic_train_crash": "fr"}


def _crisis(data: Path) -> list[tuple[str, str]]:
    out = []
    for event, lang in CRISIS_EVENTS.items():
        folder = data / "crisislex_t26_event_timelines" / event
        with open(folder / f"{event}-tweets_labeled.csv", encoding="utf-8", errors="replace", newline="") as f:
            rows = list(csv.reader(f))
        out.extend((row[1], lang) for row in rows[1:] if len(row) > 1 and row[1].strip())
    return out


def language_sets(data: Path = DEFAULT_DATA) -> dict[str, dict]:
    """The evaluation sets: name → {"items": [(text, gold)], "source": …, "split": …}. A set whose files
    are absent is left out."""
    sets: dict[str, dict] = {}

    def add(name: str, load: Callable[[], list[tuple[str, str]]], source: str, split: str) -> None:
        try:
            items = load()
        except FileNotFoundError:
            return
        sets[name] = {"items": items, "source": source, "split": split}

    add("UD test (sv/en/da/nb/nn)", lambda: _ud(data), "ud_language_test: UD Talbanken, EWT, DDT, Bokmaal, "
        "Nynorsk *-ud-test.conllu", "test sets, whole (never tuned on)")
    add("UD test, cut ≤30", lambda: [(cut(t), g) for t, g in _ud(data) if len(t) > CUT],
        "the same, sentences over 30 chars cut to ≤30", "test sets")
    english = [("TweetEval val (en)", _tweeteval, "tweeteval_sentiment_val/val_text.txt"),
               ("VADER tweets (en)", _vader, "vader_tweets_groundtruth/tweets_GroundTruth.txt"),
               ("US airline tweets (en)", _airline, "twitter_us_airline_sentiment/Tweets.csv")]
    for name, load, source in english:
        add(name, lambda load=load: [(t, "en") for t in load(data) if report_half(t)], source, "report half")
    add("English tweets, cut ≤30",
        lambda: [(cut(t), "en") for _, load, _ in english for t in load(data) if report_half(t) and len(t) > CUT],
        "the three English sets, tweets over 30 chars cut to ≤30", "report half")
    add("ABSAbank Flashback (sv)", lambda: [(t, "sv") for t in _absabank(data)[0] if report_half(t)],
        "swedish_absabank_imm train+dev, ids with 'flashback'", "report half")
    add("ABSAbank news (sv)", lambda: [(t, "sv") for t in _absabank(data)[1] if report_half(t)],
        "swedish_absabank_imm train+dev, Aftonbladet/SvD editorials", "report half")
    add("ABSAbank Flashback, cut ≤30",
        lambda: [(cut(t), "sv") for t in _absabank(data)[0] if report_half(t) and len(t) > CUT],
        "the Flashback paragraphs over 30 chars cut to ≤30", "report half")
    add("Flashback thread (sv)", lambda: [(t, "sv") for t in _flashback_thread(data)],
        "swedish_flashback_thread/t2977018.sqlite3 (posts with quotes)", "whole (24 posts)")
    add("CrisisLexT26 it/es/pt/fr events", lambda: [(t, g) for t, g in _crisis(data) if report_half(t)],
        "crisislex_t26_event_timelines *-tweets_labeled.csv; gold = the event's language (many are English)",
        "report half")
    return sets


# -- detectors -------------------------------------------------------------------------------------


def _lyssna() -> tuple[Callable, Callable]:
    from lyssna.enrichers.language import detect, detect_many

    return (lambda texts: [g.lang for g in detect_many(texts)]), (lambda text: detect(text).lang)


def _py3langid(restricted: bool) -> tuple[Callable, Callable]:
    import py3langid.langid as langid

    ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    if restricted:
        ident.set_languages(["en", "sv", "da", "no", "nn"])
    codes = {"no": "nb"}

    def one(text: str) -> str:
        lang = ident.classify(text)[0]
        return codes.get(lang, lang)

    return (lambda texts: [one(t) for t in texts]), one


def _lingua() -> tuple[Callable, Callable] | None:
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, c.upper()) for c in MAIN)).build()

    def one(text: str) -> str:
        lang = detector.detect_language_of(text)
        return lang.iso_code_639_1.name.lower() if lang else "unknown"

    return (lambda texts: [one(t) for t in texts]), one


#: name → (description, factory giving (many, one), or None when the library is absent)
LANGUAGE_DETECTORS: dict[str, tuple[str, Callable]] = {
    "lyssna": ("Lyssna: cleaning + py3langid model, two stages, unknown", _lyssna),
    "py3langid-5": ("py3langid 0.4.0, set_languages(en sv da no nn), raw text", lambda: _py3langid(True)),
    "py3langid-all": ("py3langid 0.4.0 defaults (142 languages), raw text", lambda: _py3langid(False)),
    "lingua-5": ("lingua-language-detector, 5 languages, raw text (when installed)", _lingua),
}


def language_detectors(names: Iterable[str] | None = None) -> dict[str, tuple[Callable, Callable]]:
    out = {}
    for name in names or LANGUAGE_DETECTORS:
        made = LANGUAGE_DETECTORS[name][1]()
        if made is not None:
            out[name] = made
    return out


# -- measuring -------------------------------------------------------------------------------------


def _one_core() -> str:
    """Pin this process to one CPU (numpy is kept to one thread by the environment set in main)."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def _rss_mib() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_child(name: str) -> dict:
    import lyssna.enrichers  # noqa: F401  (Lyssna's own package imports are not the detector's)

    before = _rss_mib()
    t = time.perf_counter()
    many, _ = LANGUAGE_DETECTORS[name][1]()
    many(["Vad tycker ni om det nya elpriset?"])  # a lazy loader loads on first use
    load_s = time.perf_counter() - t
    return {"rss_before_mib": before, "rss_after_mib": _rss_mib(), "delta_mib": _rss_mib() - before, "load_s": load_s}


def _memory(name: str) -> dict | None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(_REPO / "src"), str(_REPO),
                                                                  os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-m", "bench.enrich_eval", "--memory-child", name], cwd=_REPO, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout)


def _accuracy(golds: list[str], guesses: list[str]) -> dict:
    n = len(golds)
    right = sum(g == p for g, p in zip(golds, guesses))
    unknown = sum(p == "unknown" for p in guesses)
    decided = n - unknown
    return {"n": n, "accuracy": right / n if n else float("nan"), "unknown": unknown / n if n else float("nan"),
            "precision": right / decided if decided else float("nan")}


def _confusion(golds: list[str], guesses: list[str]) -> dict:
    table: dict[str, Counter] = {}
    for g, p in zip(golds, guesses):
        col = p if p in MAIN or p == "unknown" else "other"
        table.setdefault(g, Counter())[col] += 1
    return {g: dict(c) for g, c in table.items()}


def measure_language(data: Path = DEFAULT_DATA, runs: int = 5, detectors: Iterable[str] | None = None,
                     memory: bool = True, speed: bool = True, log=lambda msg: None) -> dict:
    """Accuracy per set and bucket, speed and memory of each detector (see the module docstring)."""
    sets = language_sets(data)
    if not sets:
        raise SystemExit(f"no language data found in {data}")
    dets = language_detectors(detectors)
    result: dict = {"data": str(data), "detectors": {n: LANGUAGE_DETECTORS[n][0] for n in dets}, "sets": {}}
    for set_name, s in sets.items():
        items = s["items"]
        texts = [t for t, _ in items]
        golds = [g for _, g in items]
        entry: dict = {"source": s["source"], "split": s["split"], "n": len(items), "all": {}, "buckets": {},
                       "confusion": {}}
        crisis = set_name.startswith("CrisisLex")
        for det_name, (many, _) in dets.items():
            log(f"language: {det_name} on {set_name} ({len(items):,} texts)")
            guesses = many(texts)
            entry["all"][det_name] = _accuracy(golds, guesses)
            if crisis:
                n = len(guesses)
                entry["all"][det_name].update({
                    "said_nordic": sum(p in NORDIC for p in guesses) / n,
                    "said_en": sum(p == "en" for p in guesses) / n})
            for b in BUCKETS:
                idx = [i for i, t in enumerate(texts) if bucket(t) == b]
                if idx:
                    entry["buckets"].setdefault(b, {})[det_name] = _accuracy([golds[i] for i in idx],
                                                                             [guesses[i] for i in idx])
            if set_name.startswith("UD"):
                entry["confusion"][det_name] = _confusion(golds, guesses)
        result["sets"][set_name] = entry
    if speed:
        result["speed"] = _speed(sets, dets, runs, log)
    if memory:
        result["memory"] = {}
        for det_name in dets:
            log(f"language: memory of {det_name} (fresh process)")
            result["memory"][det_name] = _memory(det_name)
    return result


def _speed(sets: dict, dets: dict, runs: int, log) -> dict:
    texts = [t for name, s in sets.items() if "cut" not in name for t, _ in s["items"]]
    sample = texts[:: max(1, len(texts) // SPEED_SAMPLE)][:SPEED_SAMPLE]
    out: dict = {"texts": len(texts), "mean_chars": sum(map(len, texts)) / len(texts), "runs": runs,
                 "one_at_a_time_sample": len(sample), "pinned": _one_core(), "detectors": {}}
    for det_name, (many, one) in dets.items():
        log(f"language: speed of {det_name}")
        many(texts[:100])  # loaded, warm
        rates, single = [], []
        for _ in range(runs):
            t = time.perf_counter()
            many(texts)
            rates.append(len(texts) / (time.perf_counter() - t))
            t = time.perf_counter()
            for text in sample:
                one(text)
            single.append(len(sample) / (time.perf_counter() - t))
        out["detectors"][det_name] = {"texts_per_s": statistics.median(rates),
                                      "runs_texts_per_s": [round(r) for r in rates],
                                      "one_at_a_time_texts_per_s": statistics.median(single)}
    base = out["detectors"].get("py3langid-5")
    if base and "lyssna" in out["detectors"]:
        out["ratio_lyssna_to_py3langid_5"] = out["detectors"]["lyssna"]["texts_per_s"] / base["texts_per_s"]
    return out


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f}"


def render_language(r: dict) -> str:
    dets = list(r["detectors"])
    lines = [f"## language — data: {r['data']}", ""]
    for name, desc in r["detectors"].items():
        lines.append(f"  {name}: {desc}")
    lines.append("")
    head = (f"{'set / bucket':40s} {'n':>6s} " + " ".join(f"{d:>13s}" for d in dets)
            + "   Δ lyssna−py3langid-5   lyssna unknown   wrong: lyssna / py3langid-5")
    lines.append("accuracy % (unknown counted wrong); wrong = a language said, not the gold one")
    lines.append(head)
    lines.append("-" * len(head))
    for set_name, e in r["sets"].items():
        rows = [(set_name, e["all"])] + [(f"  {b}", e["buckets"][b]) for b in BUCKETS if b in e["buckets"]]
        for label, accs in rows:
            any_acc = next(iter(accs.values()))
            cells = " ".join(f"{_pct(accs[d]['accuracy']) if d in accs else '':>13s}" for d in dets)
            delta = unk = wrong = ""
            if "lyssna" in accs and "py3langid-5" in accs:
                delta = f"{100 * (accs['lyssna']['accuracy'] - accs['py3langid-5']['accuracy']):+.1f} pts"
                wrong = " / ".join(_pct(max(0.0, 1 - accs[d]["accuracy"] - accs[d]["unknown"]))
                                  for d in ("lyssna", "py3langid-5"))
            if "lyssna" in accs:
                unk = _pct(accs["lyssna"]["unknown"])
            lines.append(f"{label:40s} {any_acc['n']:>6,d} {cells}   {delta:>20s}   {unk:>14s}   {wrong:>27s}")
        if set_name.startswith("CrisisLex"):
            for d in dets:
                a = e["all"][d]
                lines.append(f"  {d}: said sv/da/nb/nn {_pct(a['said_nordic'])} %, en {_pct(a['said_en'])} %, "
                             f"the event's language {_pct(a['accuracy'])} %, unknown {_pct(a['unknown'])} %")
    for set_name, e in r["sets"].items():
        for d, table in e["confusion"].items():
            if d != "lyssna":
                continue
            cols = list(MAIN) + ["other", "unknown"]
            lines += ["", f"confusion, {d}, {set_name} (rows: gold; columns: said)",
                      "      " + " ".join(f"{c:>7s}" for c in cols)]
            for g in MAIN:
                row = table.get(g, {})
                lines.append(f"{g:5s} " + " ".join(f"{row.get(c, 0):>7,d}" for c in cols))
    if "speed" in r:
        s = r["speed"]
        lines += ["", f"speed: {s['texts']:,} texts (mean {s['mean_chars']:.0f} chars), median of {s['runs']} runs, "
                      f"one core ({s['pinned']}); one at a time: {s['one_at_a_time_sample']:,} texts"]
        for d, v in s["detectors"].items():
            lines.append(f"  {d:15s} {v['texts_per_s']:>9,.0f} texts/s (runs {v['runs_texts_per_s']}),"
                         f" one at a time {v['one_at_a_time_texts_per_s']:,.0f}/s")
        if "ratio_lyssna_to_py3langid_5" in s:
            lines.append(f"  ratio lyssna / py3langid-5: {s['ratio_lyssna_to_py3langid_5']:.1f}×")
    if "memory" in r:
        lines += ["", "memory: RSS after loading − before, fresh process each (imports included)"]
        for d, m in r["memory"].items():
            if "error" in m:
                lines.append(f"  {d:15s} failed: {m['error']}")
            else:
                lines.append(f"  {d:15s} {m['delta_mib']:>6,.0f} MiB (load {m['load_s']:.2f} s)")
    return "\n".join(lines)


def tune_language(data: Path = DEFAULT_DATA) -> dict:
    """How Lyssna's thresholds were chosen, on the *tuning* halves only (never the UD test sets, never a
    report half): for each ``MIN_SCORE``, the cost *errors + ½ × unknowns* (per text) on the English
    tweets and the Swedish ABSAbank paragraphs, whole and cut to ≤ 30 characters (the mean of the four);
    for each ``OTHER_MIN_SCORE``, the same cost and the share of the CrisisLexT26 tweets (it/es/pt/fr
    events) said to be Swedish, Danish or Norwegian."""
    import lyssna.enrichers.language as language

    tune = lambda t: not report_half(t)  # noqa: E731
    english = [t for load in (_tweeteval, _vader, _airline) for t in load(data) if tune(t)]
    flashback, news = _absabank(data)
    swedish = [t for t in flashback + news if tune(t)]
    groups = {"en tweets": [(t, "en") for t in english], "sv ABSAbank": [(t, "sv") for t in swedish],
              "en tweets cut ≤30": [(cut(t), "en") for t in english if len(t) > CUT],
              "sv ABSAbank cut ≤30": [(cut(t), "sv") for t in swedish if len(t) > CUT]}
    crisis = [t for t, _ in _crisis(data) if tune(t)]

    def cost() -> dict:
        out = {}
        for name, items in groups.items():
            guesses = [g.lang for g in language.detect_many([t for t, _ in items])]
            wrong = sum(p != g and p != "unknown" for p, (_, g) in zip(guesses, items))
            out[name] = (wrong + 0.5 * guesses.count("unknown")) / len(items)
        out["mean"] = sum(out.values()) / len(groups)
        said = [g.lang for g in language.detect_many(crisis)]
        out["crisis said sv/da/nb/nn"] = sum(p in NORDIC for p in said) / len(said)
        return out

    saved = language.MIN_SCORE, language.OTHER_MIN_SCORE
    result: dict = {"groups": {k: len(v) for k, v in groups.items()}, "crisis": len(crisis),
                    "chosen": {"MIN_SCORE": saved[0], "OTHER_MIN_SCORE": saved[1]}, "min_score": {},
                    "other_min_score": {}}
    try:
        for x in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
            language.MIN_SCORE = x
            result["min_score"][x] = cost()
        language.MIN_SCORE = saved[0]
        for x in (0.3, 0.4, 0.5, 0.7, 0.9, 1.01):
            language.OTHER_MIN_SCORE = x
            result["other_min_score"][x] = cost()
    finally:
        language.MIN_SCORE, language.OTHER_MIN_SCORE = saved
    return result


def render_tuning(r: dict) -> str:
    groups = list(next(iter(r["min_score"].values())))
    lines = [f"## language thresholds on the tuning halves ({', '.join(f'{k} {v:,}' for k, v in r['groups'].items())}; "
             f"crisis {r['crisis']:,}); chosen: {r['chosen']}",
             "cost % = errors + ½ × unknowns",
             f"{'':22s}" + " ".join(f"{g:>22s}" for g in groups)]
    for key, label in (("min_score", "MIN_SCORE"), ("other_min_score", "OTHER_MIN_SCORE")):
        for x, c in r[key].items():
            lines.append(f"{label + ' ' + str(x):22s}" + " ".join(f"{100 * c[g]:>22.2f}" for g in groups))
    return "\n".join(lines)


def _sentiment(data: Path, runs: int, log) -> dict:
    from bench import sentiment_eval

    return sentiment_eval.measure(data, speed_runs=runs, log=log)


def _entities(data: Path, runs: int, log) -> dict:
    from bench import entities_eval

    return entities_eval.measure(data)


def _labels(data: Path, runs: int, log) -> dict:
    from bench import labels_eval

    return labels_eval.evaluate(data, runs=runs)


def _render(module: str) -> Callable[[dict], str]:
    return lambda r: importlib.import_module(f"bench.{module}").render(r)


#: section → (measure(data, runs, log) → dict, render(dict) → str).
SECTIONS: dict[str, tuple[Callable, Callable]] = {
    "language": (lambda data, runs, log: measure_language(data, runs, log=log), render_language),
    "sentiment": (_sentiment, _render("sentiment_eval")),
    "entities": (_entities, _render("entities_eval")),
    "labels": (_labels, _render("labels_eval")),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core (numpy loads later)
        os.environ.setdefault(var, "1")
    if argv[:1] == ["--memory-child"]:  # internal: load one detector in this fresh process
        print(json.dumps(_memory_child(argv[1])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only this section (repeatable)")
    ap.add_argument("--runs", type=int, default=5, help="speed runs per detector, median reported (default 5)")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("LYSSNA_SHARED_DATA", DEFAULT_DATA)),
                    help="the third-party data folder (default ../shared/data)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    ap.add_argument("--tune", action="store_true",
                    help="instead: the cost of Lyssna's language thresholds on the tuning halves "
                         "(how they were chosen)")
    args = ap.parse_args(argv)
    if args.tune:
        r = tune_language(args.data)
        print(json.dumps(r, indent=2, ensure_ascii=False) if args.json else render_tuning(r))
        return 0

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    results = {}
    for name in args.only or SECTIONS:
        measure, _ = SECTIONS[name]
        results[name] = measure(args.data, args.runs, log)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(SECTIONS[name][1](r) for name, r in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
