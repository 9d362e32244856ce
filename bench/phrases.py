"""Keyphrases and themes: how fast.

    python -m bench.phrases                       # 4,000 tweets; themes over 10,000 and 100,000 posts
    python -m bench.phrases --runs 5 --json
    python -m bench.phrases --theme-sizes 10000   # skip the 100k themes run

What is measured (one core, pure Python + numpy; medians of ``--runs`` runs, at least 3):

1. ``PhrasesEnricher.enrich`` over synthetic tweets made from templates (Swedish and English, with
   hashtags, @mentions, t.co links, emoji and numbers), in batches of 5,000 as Lyssna enriches, with
   the ``lang`` column given: posts/s and µs/post, for Swedish, English and all posts. The budget is
   60 µs/post (the whole enrichment chain must do ≥ 3,000 posts/s).
2. ``find_themes`` over the phrases of 10,000 and 100,000 such posts (phrases extracted beforehand,
   not timed), k chosen by the default rule: seconds, and the number of themes found.

Measured on the development machine (Python 3.11, one core), medians of 3 runs: the enricher
19–21 µs/post (≈ 48,000 posts/s; up to 30 µs while other jobs shared the two cores); themes over
10,000 posts 0.17 s, over 100,000 posts 1.6 s (2.7 s on the busy machine).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `lyssna` importable from a checkout
    sys.path.insert(0, str(_REPO / "src"))

from lyssna.enrichers.phrases import PhrasesEnricher, extract_phrases  # noqa: E402
from lyssna.query.analysis import MatchInput  # noqa: E402
from lyssna.themes import find_themes  # noqa: E402

__all__ = ["BUDGET_US", "tweets", "measure_enricher", "measure_themes", "main"]

BUDGET_US = 60.0
BATCH = 5_000

_SV_TOPICS = {
    "elbil": (["elbilar", "laddstolpar", "räckvidden", "batteriet", "snabbladdare", "elbilspremien",
               "laddinfrastrukturen", "vinterräckvidd"], ["Tesla", "Volvo", "Polestar"]),
    "trafik": (["pendeltåget", "förseningar", "signalfel", "tunnelbanan", "kollektivtrafiken", "ersättningsbussar",
                "spårfel"], ["SL", "Stockholm", "Göteborg", "Malmö"]),
    "klimat": (["klimatpolitiken", "utsläppen", "koldioxidskatt", "klimatmålen", "fossila bränslen",
                "kärnkraft", "vindkraft"], ["regeringen", "EU", "Naturvårdsverket"]),
    "bostad": (["hyrorna", "bostadsbristen", "bolåneräntan", "amorteringskravet", "bostadspriserna",
                "hyresrätter"], ["Riksbanken", "Stockholm", "Uppsala"]),
    "vård": (["vårdköerna", "akutmottagningen", "sjuksköterskor", "vårdcentralen", "väntetiderna"],
             ["regionen", "Karolinska", "Sahlgrenska"]),
}
_SV_TEMPLATES = [
    "{n1} i {p} är ett skämt igen {e} {tag}",
    "Varför är {n1} alltid så dåliga? {m} svara! {url}",
    "Ny rapport: {n1} och {n2} har blivit {num} procent sämre sedan i fjol {url} {tag}",
    "RT {m}: {p} satsar på {n1} – {n2} ska bli bättre till {num} {tag} {tag2}",
    "Hörde på radion att {n1} i {p} kostar {num} miljoner. Vad tycker ni om {n2}? {e}",
    "Tack {m} för snabb hjälp med {n1}! {e}{e}",
    "{p}: {n1}, {n2} och {n3} – allt på en gång idag {e} {url}",
    "Jag har väntat i {num} minuter på {n1} och ingen säger något. {tag}",
]
_EN_TOPICS = {
    "ev": (["electric cars", "charging stations", "battery range", "fast chargers", "ev tax credit",
            "charging network"], ["Tesla", "Volvo", "Europe"]),
    "rail": (["train delays", "signal failure", "rail strike", "replacement buses", "ticket prices"],
             ["London", "Network Rail", "Amtrak"]),
    "climate": (["climate policy", "carbon emissions", "net zero", "fossil fuels", "heat pumps",
                 "wind power"], ["the government", "COP30", "the EU"]),
    "housing": (["housing prices", "mortgage rates", "rent control", "first home", "interest rates"],
                ["the Fed", "Sweden", "Toronto"]),
    "support": (["customer service", "refund request", "delivery delay", "order status", "account access"],
                ["Amazon", "Telia", "Spotify"]),
}
_EN_TEMPLATES = [
    "{n1} in {p} are a joke again {e} {tag}",
    "Why is {n1} always this bad? {m} please respond {url}",
    "New report: {n1} and {n2} got {num}% worse since last year {url} {tag}",
    "RT {m}: {p} invests in {n1} – {n2} to improve by {num} {tag} {tag2}",
    "Heard on the radio that {n1} in {p} cost {num} million. What do you think about {n2}? {e}",
    "Thanks {m} for the quick help with my {n1}! {e}{e}",
    "{p}: {n1}, {n2} and {n3} all at once today {e} {url}",
    "I've been waiting {num} minutes for {n1} and nobody says anything. {tag}",
]
_EMOJI = ["😡", "😂", "🙄", "👍", "❤️", "🚆", "⚡", "🇸🇪", "👍🏽"]
_MENTIONS = ["@SLstockholm", "@trafikverket", "@Telia", "@AmazonHelp", "@svtnyheter", "@dagensnyheter"]


def _tweet(rnd: random.Random, topics: dict, templates: list[str]) -> str:
    nouns, places = topics[rnd.choice(sorted(topics))]
    n1, n2, n3 = rnd.sample(nouns, 3)
    tags = rnd.sample(nouns + ["svpol", "klimat", "news", "fail"], 2)
    text = rnd.choice(templates).format(
        n1=n1, n2=n2, n3=n3, p=rnd.choice(places), e=rnd.choice(_EMOJI), m=rnd.choice(_MENTIONS),
        url="https://t.co/" + "".join(rnd.choices("abcdefghijkLMNOP0123456789", k=10)),
        num=rnd.randint(2, 900), tag="#" + tags[0].replace(" ", ""), tag2="#" + tags[1].replace(" ", ""))
    return text[0].upper() + text[1:]


def tweets(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` synthetic tweets as ``(text, lang)``: 60 % Swedish, 40 % English, deterministic."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        if rnd.random() < 0.6:
            out.append((_tweet(rnd, _SV_TOPICS, _SV_TEMPLATES), "sv"))
        else:
            out.append((_tweet(rnd, _EN_TOPICS, _EN_TEMPLATES), "en"))
    return out


def _posts(items: list[tuple[str, str]]) -> tuple[list[MatchInput], list[str]]:
    return [MatchInput(i, None, "twitter", text) for i, (text, _) in enumerate(items)], [lang for _, lang in items]


def _enrich_seconds(posts: list[MatchInput], langs: list[str]) -> float:
    enricher = PhrasesEnricher()
    start = time.perf_counter()
    for i in range(0, len(posts), BATCH):
        enricher.enrich(posts[i:i + BATCH], {"lang": langs[i:i + BATCH]})
    return time.perf_counter() - start


def measure_enricher(n: int = 4_000, runs: int = 3, seed: int = 0) -> dict[str, dict[str, float]]:
    """posts/s and µs/post of the enricher, per language and overall (medians of ``runs``)."""
    items = tweets(n, seed)
    out = {}
    for name, subset in (("sv", [t for t in items if t[1] == "sv"]), ("en", [t for t in items if t[1] == "en"]),
                         ("all", items)):
        posts, langs = _posts(subset)
        _enrich_seconds(posts[:200], langs[:200])  # warm the caches
        seconds = statistics.median(_enrich_seconds(posts, langs) for _ in range(max(1, runs)))
        out[name] = {"posts": len(posts), "posts_per_s": len(posts) / seconds,
                     "us_per_post": seconds / len(posts) * 1e6}
    return out


def measure_themes(sizes: list[int], runs: int = 3, seed: int = 0) -> dict[int, dict[str, float]]:
    """Seconds of ``find_themes`` over the phrases of ``size`` posts (medians of ``runs``)."""
    out = {}
    items = tweets(max(sizes), seed + 1)
    phrases = [extract_phrases(text, lang) for text, lang in items]
    for size in sizes:
        times, found = [], 0
        for _ in range(max(1, runs)):
            start = time.perf_counter()
            found = len(find_themes(phrases[:size], seed=seed))
            times.append(time.perf_counter() - start)
        out[size] = {"seconds": statistics.median(times), "themes": found}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=4_000, help="tweets for the enricher")
    parser.add_argument("--theme-sizes", default="10000,100000", help="comma-separated post counts for themes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.theme_sizes.split(",") if s.strip()]
    enricher = measure_enricher(args.posts, args.runs)
    themes = measure_themes(sizes, args.runs) if sizes else {}
    if args.json:
        print(json.dumps({"enricher": enricher, "themes": themes, "budget_us": BUDGET_US}, indent=2))
        return 0
    print(f"PhrasesEnricher (budget {BUDGET_US:.0f} µs/post), medians of {args.runs} runs")
    for name, r in enricher.items():
        print(f"  {name:>3}: {r['posts']:>6,} posts  {r['posts_per_s']:>9,.0f} posts/s"
              f"  {r['us_per_post']:6.1f} µs/post")
    for size, r in themes.items():
        print(f"find_themes over {size:>7,} posts: {r['seconds']:6.2f} s  ({r['themes']} themes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
