"""The near-duplicates enricher: speed on one core and grouping quality on synthetic posts.

    python -m bench.neardup                       # 100k posts, batches of 5,000 and 20,000, 3 runs
    python -m bench.neardup --posts 20000 --runs 1
    python -m bench.neardup --json

Data (deterministic, seeded): N posts, about 60 % Swedish and 40 % English, words drawn from the
vocabulary of ``bench/generate.py`` (8–40 words, hashtags, mentions, t.co links, emoji), 8 % of them
short replies ("ja", "haha", "så sant" …). About 20 % are copies of 150 campaign templates
(petition texts of 9–30 words, a template's popularity heavy-tailed): a copy is exact, a retweet
("RT @someone: …"), or edited — another @mention, another emoji, another t.co link, and 0–2 words
replaced, inserted or dropped. Some organic posts share a template's hashtag and a few of its words
(same topic, different post). The truth: a campaign's copies belong together; every other post is
alone.

Measured: posts/s of ``NearDuplicatesEnricher.enrich`` over all N posts (signatures, lookup, writes),
the process pinned to one core, the median of ``--runs`` runs, in two modes — in memory (no store) and
store-backed (a fresh DuckDB store file, the index in its ``dup_*`` tables) — and the time per post of the
first and the last batch (the lookup scans the band table, which grows). Quality: pairwise precision and
recall of "same group" against the truth, and the share of copies grouped with their campaign.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.generate import _EMOJI, _EN, _SV, _TAGS_EN, _TAGS_SV
from lyssna.enrichers.neardup import NearDuplicatesEnricher
from lyssna.query.analysis import MatchInput
from lyssna.store.duckdb import DuckStore

__all__ = ["synthetic", "run", "quality", "main"]

_SHORT = ("ja", "haha", "så sant", "exakt!", "nej", "lol", "same", "this 👆", "instämmer", "+1", "😂😂",
          "tack!", "precis så", "word", "yes!!")
_HANDLES = [f"user{i}" for i in range(2000)]
_POLITICIANS = [f"politiker{i}" for i in range(40)]


@dataclass(frozen=True)
class Synthetic:
    posts: list[MatchInput]
    truth: list[int]  # campaign number, or -1 - index for a post that is alone


def _words(rng: random.Random, sv: bool, n: int) -> list[str]:
    return rng.choices(_SV if sv else _EN, k=n)


def _organic(rng: random.Random, sv: bool, topic_words: list[str] | None = None) -> str:
    words = _words(rng, sv, rng.randrange(8, 41))
    if topic_words:  # same topic as a campaign: its hashtag and a few of its words
        for w in topic_words:
            words.insert(rng.randrange(len(words) + 1), w)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), "@" + rng.choice(_HANDLES))
    if rng.random() < 0.4:
        words.append("#" + rng.choice(_TAGS_SV if sv else _TAGS_EN))
    if rng.random() < 0.2:
        words.append(f"https://t.co/{rng.getrandbits(40):x}")
    if rng.random() < 0.2:
        words.append(rng.choice(_EMOJI))
    return " ".join(words)


def _template(rng: random.Random, number: int) -> tuple[str, bool, list[str]]:
    sv = rng.random() < 0.6
    opening = "Skriv under uppropet!" if sv else "Sign the petition!"
    words = [opening] + _words(rng, sv, rng.randrange(6, 28)) + [f"#kampanj{number}"]
    return " ".join(words), sv, [f"#kampanj{number}"] + rng.sample(words[1:-1], 3)


def _copy(rng: random.Random, template: str, sv: bool) -> str:
    kind = rng.random()
    if kind < 0.2:
        return template
    if kind < 0.4:
        return f"RT @{rng.choice(_HANDLES)}: {template}"
    words = template.split()
    for _ in range(rng.randrange(0, 3)):  # 0–2 words replaced, inserted or dropped
        edit, at = rng.random(), rng.randrange(1, len(words))
        if edit < 0.4:
            words[at] = rng.choice(_SV if sv else _EN)
        elif edit < 0.7:
            words.insert(at, rng.choice(_SV if sv else _EN))
        elif len(words) > 8:
            del words[at]
    words.append("@" + rng.choice(_POLITICIANS))
    if rng.random() < 0.5:
        words.append(rng.choice(_EMOJI))
    if rng.random() < 0.5:
        words.append(f"https://t.co/{rng.getrandbits(40):x}")
    return " ".join(words)


def synthetic(n: int, *, seed: int = 11, copy_share: float = 0.20, templates: int = 150) -> Synthetic:
    """N posts with about ``copy_share`` campaign copies, and the truth."""
    rng = random.Random(seed)
    made = [_template(rng, t) for t in range(templates)]
    popularity = [rng.paretovariate(1.0) for _ in range(templates)]
    posts, truth = [], []
    for i in range(n):
        r = rng.random()
        if r < copy_share:
            t = rng.choices(range(templates), weights=popularity)[0]
            text, label = _copy(rng, made[t][0], made[t][1]), t
        elif r < copy_share + 0.08:
            text, label = rng.choice(_SHORT), -1 - i
        elif r < copy_share + 0.12:
            t = rng.randrange(templates)
            text, label = _organic(rng, made[t][1], made[t][2]), -1 - i
        else:
            text, label = _organic(rng, rng.random() < 0.6), -1 - i
        posts.append(MatchInput(i + 1, None, "twitter", text))
        truth.append(label)
    return Synthetic(posts, truth)


def _pairs(counts: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def quality(groups: list[int], truth: list[int]) -> dict[str, float]:
    """Pairwise precision and recall of "same group", and the share of copies grouped with an earlier
    copy of their campaign."""
    both = _pairs(Counter(zip(groups, truth)))
    predicted, actual = _pairs(Counter(groups)), _pairs(Counter(truth))
    return {"precision": both / predicted if predicted else 1.0, "recall": both / actual if actual else 1.0}


def run(data: Synthetic, *, batch: int, store_dir: Path | None) -> tuple[float, float, float, list[int]]:
    """Seconds for all posts, seconds a post in the first and the last batch, and the groups."""
    enricher = NearDuplicatesEnricher()
    store = None
    if store_dir is not None:
        store = DuckStore(store_dir / f"neardup-{time.monotonic_ns()}.duckdb")
        store.migrate()
        enricher.attach(store)
    groups: list[int] = []
    times = []
    try:
        for start in range(0, len(data.posts), batch):
            chunk = data.posts[start:start + batch]
            t0 = time.perf_counter()
            out = enricher.enrich(chunk, {})
            times.append((time.perf_counter() - t0) / len(chunk))
            groups.extend(out["dup_group"])
    finally:
        if store is not None:
            store.close()
    total = sum(t * len(data.posts[s:s + batch]) for t, s in zip(times, range(0, len(data.posts), batch)))
    return total, times[0], times[-1], groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = synthetic(args.posts)
    copies = sum(1 for t in data.truth if t >= 0)
    rows = []
    quality_of = None
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("memory", "store"):
            for batch in args.batches:
                measured = [run(data, batch=batch, store_dir=Path(tmp) if mode == "store" else None)
                            for _ in range(args.runs)]
                total = statistics.median(m[0] for m in measured)
                rows.append({"mode": mode, "batch": batch, "posts_per_s": len(data.posts) / total,
                             "us_per_post": total / len(data.posts) * 1e6,
                             "first_batch_us": statistics.median(m[1] for m in measured) * 1e6,
                             "last_batch_us": statistics.median(m[2] for m in measured) * 1e6})
                groups = measured[0][3]
                if quality_of is None:
                    quality_of = groups
                elif groups != quality_of:
                    print(f"warning: {mode} batch {batch} grouped differently", file=sys.stderr)
    q = quality(quality_of, data.truth)
    summary = {"posts": len(data.posts), "copies": copies, "runs": args.runs, "speed": rows, **q}
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"near-duplicates: {len(data.posts):,} synthetic posts, {copies:,} campaign copies "
          f"({copies / len(data.posts):.0%}), one core, median of {args.runs} runs")
    print(f"{'mode':<8}{'batch':>8}{'posts/s':>10}{'µs/post':>9}{'first batch µs':>16}{'last batch µs':>15}")
    for r in rows:
        print(f"{r['mode']:<8}{r['batch']:>8,}{r['posts_per_s']:>10,.0f}{r['us_per_post']:>9.1f}"
              f"{r['first_batch_us']:>16.1f}{r['last_batch_us']:>15.1f}")
    print(f"grouping: pairwise precision {q['precision']:.4f}, recall {q['recall']:.4f} "
          "(same result in every mode and batch size unless warned above)")
    return 0


if __name__ == "__main__":
    if hasattr(os, "sched_setaffinity"):  # one core (the threads DuckDB starts included)
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    raise SystemExit(main())
