"""Percolator and search: Lyssna's matching of posts against saved topics, and search over the history.

    python bench/topics.py                          # 100k posts; 1,000 and 10,000 topics; search over 1M posts
    python bench/topics.py --workdir /tmp/bench     # keep the 1M-post text index and reuse it next time
    python bench/topics.py --skip-search --runs 5   # the percolator only
    python bench/topics.py --posts 20000 --topics 1000,10000 --search-posts 200000 --json
    python bench/topics.py --profile                # cProfile of analyse and Percolator.match, top functions

What is measured (see bench/README.md for the details and how to read it):

1. ``analyse`` of every generated post (posts/s; shared by the percolator and the text index).
2. For each topic count: the topics parsed (every one must parse), ``Percolator`` built, then
   ``Percolator.match`` on every post against the naive evaluation (``Percolator.naive``: every topic's
   compiled test on every post) on a sample, in the same run; the matches must be identical. Pure
   Python, one thread: the rates are for one core.
3. Search: a ``TextIndex`` of ``--search-posts`` posts (built once, kept in ``--workdir``), and realistic
   boolean queries each run many times: median and p90 latency of ``TextIndex.search(tree, limit=20)``
   (which also counts every hit), against a scan of the analysed posts with the reference test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(_REPO))

from bench.topic_gen import brands, posts, search_queries, topics  # noqa: E402
from lyssna.listening import gc_paused  # noqa: E402

__all__ = ["GOAL_RATE", "GOAL_RATIO", "GOAL_SEARCH_MS", "GEN_VERSION", "make_posts", "analyse_all", "parse_topics",
           "features", "frequency_of", "measure_analysis", "measure_percolator", "build_index",
           "measure_search", "measure", "render", "profile", "main"]

GOAL_RATE = 10_000  # posts/s of the percolator with 1,000 topics, one core
GOAL_RATE_TOPICS = 1_000
GOAL_RATIO = 50  # percolator / naive with 10,000 topics
GOAL_RATIO_TOPICS = 10_000
GOAL_SEARCH_MS = 50.0  # median latency of a boolean query over 1M posts
GOAL_SEARCH_POSTS = 1_000_000
GEN_VERSION = 1  # bumped when bench/topic_gen.py makes other posts: a kept index is rebuilt
NAIVE_TESTS = 20_000_000  # topic tests per naive run: its sample is NAIVE_TESTS / topics posts (≥ 1,000)
INDEX_BATCH = 5_000  # posts analysed and added at a time (Lyssna's catch-up batch)
INDEX_COMMIT_EVERY = 200_000  # posts between commits while building the index


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p90(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def _reset(docs: Iterable) -> None:
    """Forget the token → positions tables the engines build lazily on a post (so every timed run pays
    for them, as a fresh post would)."""
    for d in docs:
        if getattr(d, "_positions", None):  # (a post without the lazy table has nothing to forget)
            d._positions = {}


def _timed_batches(fn: Callable, docs: list, keep: Callable | None = None, batch: int = INDEX_BATCH) -> float:
    """Seconds of ``fn`` on every post, timed a batch at a time like Lyssna's catch-up. After each batch,
    untimed, ``keep(start, results)`` sees its results and the positions tables built on its posts are
    let go, as Lyssna lets a matched batch go. (Results and tables of 100k posts kept alive would make
    the garbage collector's full collections walk millions of objects — a cost of the benchmark holding
    them, not of matching.) Each batch runs with the cyclic garbage collector paused, exactly as
    :meth:`lyssna.listening.Listening.catch_up` runs it."""
    spent = 0.0
    for start in range(0, len(docs), batch):
        chunk = docs[start:start + batch]
        t = time.perf_counter()
        with gc_paused():  # as Lyssna's catch-up runs a batch (lyssna.listening.gc_paused)
            got = [fn(d) for d in chunk]
        spent += time.perf_counter() - t
        if keep is not None:
            keep(start, got)
        del got
        _reset(chunk)
    return spent


class _Tally:
    """What the benchmark keeps of a run's matches: counts, and the matches of the sampled posts."""

    def __init__(self, sample_idx: list[int]):
        self.wanted = set(sample_idx)
        self.of_sample: dict[int, tuple[int, ...]] = {}
        self.matches = self.posts_matched = 0
        self.topics: set[int] = set()

    def __call__(self, start: int, results: list) -> None:
        for i, found in enumerate(results, start):
            if found:
                self.matches += len(found)
                self.posts_matched += 1
                self.topics.update(found)
            if i in self.wanted:
                self.of_sample[i] = tuple(found)


# -- data ------------------------------------------------------------------------------------------


def make_posts(n: int, vocabulary, seed: int = 2024) -> list:
    return list(posts(n, vocabulary, seed))


def analyse_all(items: list) -> list:
    from lyssna.query.analysis import analyse

    return [analyse(p) for p in items]


def parse_topics(queries: list[str], warnings: Counter | None = None) -> dict[int, object]:
    """Every query parsed (topic id = its index + 1); a query that does not parse is a bug of the
    generator or the parser, and stops the benchmark. The parser's warnings are counted in ``warnings``."""
    from lyssna.query.parser import parse

    trees = {}
    for i, q in enumerate(queries):
        try:
            parsed = parse(q)
        except Exception as e:  # noqa: BLE001 - say which query
            raise AssertionError(f"generated topic {i + 1} does not parse: {q!r}: {e}") from e
        trees[i + 1] = parsed.tree
        if warnings is not None:
            warnings.update(w.message for w in parsed.warnings)
    return trees


def features(trees: Iterable) -> Counter:
    """How many trees use each feature of the language (phrase, NEAR, NOT, wildcard, fields …)."""
    from lyssna.query.analysis import EXACT
    from lyssna.query.ast import And, AnyOf, Keyword, Near, Not, Or, Phrase, Range, Word

    out: Counter = Counter()
    for tree in trees:
        seen: set[str] = set()
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, Word):
                if node.wildcard:
                    seen.add("wildcard")
                if node.value.startswith(EXACT):
                    seen.add("{exact}")
                if node.value.startswith("#"):
                    seen.add("#hashtag")
                if node.value.startswith("@"):
                    seen.add("@mention")
                if node.field == "title":
                    seen.add("title:")
            elif isinstance(node, Phrase):
                seen.add("phrase" if node.slop is None else "phrase~n")
                stack.extend(node.words)
            elif isinstance(node, Near):
                seen.add("NEAR")
                stack.extend((node.left, node.right))
            elif isinstance(node, AnyOf):
                stack.extend(node.options)
            elif isinstance(node, Keyword):
                seen.add(f"{node.field}:")
            elif isinstance(node, Range):
                seen.add(f"{node.field}:[…]")
            elif isinstance(node, Not):
                seen.add("NOT")
                stack.append(node.child)
            elif isinstance(node, (And, Or)):
                seen.add("AND" if isinstance(node, And) else "OR")
                stack.extend(node.children)
        out.update(seen)
    return out


def frequency_of(docs: list) -> Callable:
    """Document frequencies of the posts' tokens and field values, for the percolator's choice of anchors
    (what Lyssna's listening gives it from the text index's ``doc_freq`` once the index holds posts)."""
    text: Counter = Counter()
    keywords: Counter = Counter()
    for d in docs:
        text.update({t for t, _ in d.text})
        keywords.update(f"{f}={v}" for f, values in d.keywords.items() for v in values)

    def frequency(anchor):
        kind, value = anchor
        if kind == "t":
            return text.get(value, 0)
        if kind == "k":
            return keywords.get(value, 0)
        return None  # prefixes: the percolator guesses, as Lyssna's listening does
    return frequency


# -- 1. analysis -----------------------------------------------------------------------------------


def measure_analysis(items: list, runs: int, batch: int = INDEX_BATCH) -> tuple[dict, list]:
    """``analyse`` of every post, ``runs`` times; the medians, and the analysed posts of the last run.
    Timed in batches of ``batch`` posts, the posts analysed so far frozen out of the garbage collector's
    sight between batches: Lyssna analyses a batch at a time and lets it go, so its collections never
    walk 100k analysed posts."""
    from lyssna.query.analysis import analyse

    seconds = []
    docs: list = []
    for _ in range(runs):
        docs = []
        gc.unfreeze()
        gc.collect()
        spent = 0.0
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            t = time.perf_counter()
            with gc_paused():  # as in Lyssna's catch-up
                done = [analyse(p) for p in chunk]
            spent += time.perf_counter() - t
            docs.extend(done)
            gc.freeze()
        seconds.append(spent)
    gc.unfreeze()
    n = len(items)
    tokens = sum(len(d.text) for d in docs)
    return ({"posts": n, "runs": runs, "seconds": _median(seconds), "posts_per_s": n / _median(seconds),
             "runs_posts_per_s": [round(n / s) for s in seconds], "tokens_per_post": tokens / n if n else 0.0},
            docs)


# -- 2. the percolator -----------------------------------------------------------------------------


def measure_percolator(docs: list, queries: list[str], runs: int, *, naive_posts: int | None = None,
                       frequency: Callable | None = None, log=lambda msg: None) -> dict:
    """For one set of topics: parse, build, match every post (``runs`` times), the naive evaluation of
    every topic on a sample of the posts (``runs`` times, in the same runs), and the check that both find
    the same matches on the sample."""
    from lyssna.query.percolator import Percolator

    n_topics = len(queries)
    warnings: Counter = Counter()
    t = time.perf_counter()
    trees = parse_topics(queries, warnings)
    parse_s = time.perf_counter() - t
    feats = features(trees.values())
    sample_n = min(len(docs), naive_posts or max(1_000, NAIVE_TESTS // max(n_topics, 1)))
    step = max(1, len(docs) // sample_n)
    sample_idx = list(range(0, len(docs), step))[:sample_n]  # spread over the whole set
    sample = [docs[i] for i in sample_idx]

    build_s, perc_s, naive_s = [], [], []
    tally = _Tally(sample_idx)
    naive_tally = _Tally(list(range(len(sample))))
    percolator = None
    for r in range(runs):
        t = time.perf_counter()
        percolator = Percolator(trees, frequency)
        build_s.append(time.perf_counter() - t)
        order = ("percolator", "naive") if r % 2 == 0 else ("naive", "percolator")
        for kind in order:
            if kind == "percolator":
                _reset(docs)
                gc.collect()
                tally = _Tally(sample_idx)
                perc_s.append(_timed_batches(percolator.match, docs, tally))
                log(f"  run {r + 1}/{runs}: percolator {len(docs) / perc_s[-1]:,.0f} posts/s")
            else:
                _reset(sample)
                gc.collect()
                naive_tally = _Tally(list(range(len(sample))))
                naive_s.append(_timed_batches(percolator.naive, sample, naive_tally))
                log(f"  run {r + 1}/{runs}: naive {len(sample) / naive_s[-1]:,.0f} posts/s on {len(sample):,} posts")
    assert percolator is not None
    # diagnostic, one run: the same with Python's cyclic garbage collector off (what it costs)
    _reset(docs)
    gc.collect()
    gc.disable()
    try:
        gc_off_s = _timed_batches(percolator.match, docs)
    finally:
        gc.enable()
    mismatches = [docs[i].key for j, i in enumerate(sample_idx)
                  if tally.of_sample[i] != naive_tally.of_sample[j]]
    if mismatches:
        raise AssertionError(f"the percolator and the naive evaluation disagree on {len(mismatches)} of "
                             f"{len(sample)} posts (keys {mismatches[:10]} …)")
    candidates = sum(len(percolator.candidates(d)) for d in docs)
    _reset(docs)
    n = len(docs)
    rate = n / _median(perc_s)
    naive_rate = len(sample) / _median(naive_s)
    return {
        "topics": n_topics, "posts": n, "runs": runs,
        "parse_s": parse_s, "parse_per_s": n_topics / parse_s if parse_s else float("nan"),
        "build_s": _median(build_s), "always_tested": len(percolator.always),
        "features": dict(sorted(feats.items(), key=lambda kv: -kv[1])),
        "parse_warnings": sum(warnings.values()),
        "percolator": {"posts": n, "seconds": _median(perc_s), "posts_per_s": rate,
                       "runs_posts_per_s": [round(n / s) for s in perc_s]},
        "percolator_gc_off": {"posts": n, "seconds": gc_off_s, "posts_per_s": n / gc_off_s},
        "naive": {"posts": len(sample), "seconds": _median(naive_s), "posts_per_s": naive_rate,
                  "runs_posts_per_s": [round(len(sample) / s) for s in naive_s]},
        "ratio": rate / naive_rate,
        "mismatches": len(mismatches),
        "candidates_per_post": candidates / n if n else 0.0,
        "matches_per_post": tally.matches / n if n else 0.0,
        "posts_matched": tally.posts_matched / n if n else 0.0,
        "topics_matching": len(tally.topics),
    }


# -- 3. search -------------------------------------------------------------------------------------


def _index_folder(workdir: Path, n: int, seed: int, brand_count: int) -> Path:
    return workdir / f"textindex-{n}-s{seed}-b{brand_count}-g{GEN_VERSION}"


def build_index(folder: Path, n: int, vocabulary, seed: int, *, log=lambda msg: None) -> dict:
    """A ``TextIndex`` of ``n`` generated posts in ``folder``, kept (with ``build.json``) and reused when
    complete. Returns how long generating, analysing, adding and committing took."""
    from lyssna.query.analysis import analyse
    from lyssna.store.textindex import TextIndex

    meta = folder / "build.json"
    if meta.exists():
        built = json.loads(meta.read_text())
        if built.get("posts") == n and TextIndex(folder).num_docs() == n:
            built["reused"] = True
            return built
    shutil.rmtree(folder, ignore_errors=True)
    index = TextIndex(folder)
    spent = {"generate": 0.0, "analyse": 0.0, "add": 0.0, "commit": 0.0}
    stream = posts(n, vocabulary, seed)
    done = since_commit = 0
    t_all = time.perf_counter()
    while done < n:
        t0 = time.perf_counter()
        batch = [next(stream) for _ in range(min(INDEX_BATCH, n - done))]
        t1 = time.perf_counter()
        with gc_paused():  # as in Lyssna's catch-up
            docs = [analyse(p) for p in batch]
            t2 = time.perf_counter()
            index.add(docs)
        t3 = time.perf_counter()
        spent["generate"] += t1 - t0
        spent["analyse"] += t2 - t1
        spent["add"] += t3 - t2
        done += len(batch)
        since_commit += len(batch)
        if since_commit >= INDEX_COMMIT_EVERY:
            t = time.perf_counter()
            index.commit()
            spent["commit"] += time.perf_counter() - t
            since_commit = 0
            log(f"  indexed {done:,} of {n:,} posts ({done / (time.perf_counter() - t_all):,.0f} posts/s "
                "with generation)")
    t = time.perf_counter()
    index.commit()
    index.close()  # waits for tantivy's merges
    spent["commit"] += time.perf_counter() - t
    wall = time.perf_counter() - t_all
    lyssna_s = spent["analyse"] + spent["add"] + spent["commit"]
    built = {"posts": n, "wall_s": wall, "phases_s": spent, "lyssna_s": lyssna_s,
             "posts_per_s": n / lyssna_s if lyssna_s else float("nan"),
             "add_posts_per_s": n / spent["add"] if spent["add"] else float("nan"),
             "analyse_posts_per_s": n / spent["analyse"] if spent["analyse"] else float("nan"),
             "mib": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20,
             "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "reused": False}
    meta.write_text(json.dumps(built, indent=2))
    return built


def measure_search(folder: Path, n: int, vocabulary, seed: int, *, repeats: int = 20, sample: int = 20_000,
                   log=lambda msg: None) -> dict:
    """Each search query ``repeats`` times over the index in ``folder`` (after one untimed first run, whose
    time is reported as ``first_ms``), and the naive scan of the first ``sample`` posts with the reference
    test, extrapolated to ``n``; the index's count over those same posts must equal the scan's."""
    from lyssna.store.textindex import TextIndex

    index = TextIndex(folder)
    sample = min(sample, n)
    sample_docs = analyse_all(make_posts(sample, vocabulary, seed))  # the first posts: keys 1 … sample
    gc.collect()
    gc.freeze()  # as in measure()
    try:
        return _search(index, n, vocabulary, sample, sample_docs, repeats, log)
    finally:
        gc.unfreeze()


def _search(index, n: int, vocabulary, sample: int, sample_docs: list, repeats: int, log) -> dict:
    from lyssna.query.evaluate import compile_test
    from lyssna.query.parser import parse

    searcher = index.index.searcher()
    num_docs, segments = searcher.num_docs, searcher.num_segments
    out = []
    for label, query in search_queries(vocabulary):
        tree = parse(query).tree
        t = time.perf_counter()
        first = index.search(tree, limit=20)
        first_ms = 1000 * (time.perf_counter() - t)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            hits = index.search(tree, limit=20)
            times.append(1000 * (time.perf_counter() - t))
        assert hits.total == first.total and hits.keys == first.keys
        # the baseline: the reference test on every analysed post of the sample, extrapolated to n
        test = compile_test(tree)
        _reset(sample_docs)
        counted = _Tally([])
        naive_s = _timed_batches(lambda d: (1,) if test(d) else (), sample_docs, counted)
        naive_count = counted.posts_matched
        index_count = index.search(tree, limit=0, up_to_key=sample).total
        if hits.exact and index_count != naive_count:
            raise AssertionError(f"{label}: the index counts {index_count} of the first {sample:,} posts, the "
                                 f"reference test {naive_count}: {query}")
        naive_ms = 1000 * naive_s * n / sample
        median = _median(times)
        out.append({"label": label, "query": query, "hits": hits.total, "exact": hits.exact,
                    "first_ms": first_ms, "median_ms": median, "p90_ms": _p90(times),
                    "naive_sample_posts": sample, "naive_sample_hits": naive_count,
                    "index_sample_hits": index_count, "naive_ms": naive_ms, "ratio": naive_ms / median})
        log(f"  {label}: {hits.total:,} hits, median {median:.1f} ms")
    return {"posts": num_docs, "segments": segments, "repeats": repeats, "queries": out,
            "max_median_ms": max(q["median_ms"] for q in out)}


# -- the whole measurement -------------------------------------------------------------------------


def measure(posts_n: int = 100_000, topic_counts: Iterable[int] = (1_000, 10_000), *,
            search_posts: int = 1_000_000, runs: int = 3, workdir: str | Path | None = None, seed: int = 2024,
            topic_seed: int = 11, naive_posts: int | None = None, search_repeats: int = 20,
            search_sample: int = 20_000, skip_search: bool = False, anchors: str = "frequency",
            log=lambda msg: None) -> dict:
    """Every figure of the benchmark as a dict (see :func:`render`)."""
    topic_counts = sorted(topic_counts)
    brand_count = max(10_000, *topic_counts)
    vocabulary = brands(brand_count, topic_seed)
    result: dict = {"posts": posts_n, "runs": runs, "seed": seed, "topic_seed": topic_seed, "cpus": os.cpu_count(),
                    "brands": brand_count, "anchors": anchors,
                    "goals": {"rate": GOAL_RATE, "rate_topics": GOAL_RATE_TOPICS, "ratio": GOAL_RATIO,
                              "ratio_topics": GOAL_RATIO_TOPICS, "search_ms": GOAL_SEARCH_MS,
                              "search_posts": GOAL_SEARCH_POSTS}}
    log(f"generating {posts_n:,} posts")
    t = time.perf_counter()
    items = make_posts(posts_n, vocabulary, seed)
    result["generate_s"] = time.perf_counter() - t
    result["with_title"] = sum(1 for p in items if p.title) / max(posts_n, 1)
    log(f"analysing them ({runs} runs)")
    result["analysis"], docs = measure_analysis(items, runs)
    del items
    frequency = frequency_of(docs) if anchors == "frequency" else None
    _reset(docs)
    gc.collect()
    gc.freeze()  # the 100k analysed posts held here are not the code's garbage to scan over and over
    try:
        result["percolator"] = []
        for n_topics in topic_counts:
            log(f"{n_topics:,} topics")
            queries = topics(n_topics, vocabulary, topic_seed)
            result["percolator"].append(measure_percolator(docs, queries, runs, naive_posts=naive_posts,
                                                           frequency=frequency, log=log))
    finally:
        gc.unfreeze()
    del docs
    gc.collect()
    if not skip_search:
        temp = workdir is None
        folder_root = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="lyssna-bench-topics-"))
        folder_root.mkdir(parents=True, exist_ok=True)
        try:
            folder = _index_folder(folder_root, search_posts, seed, brand_count)
            log(f"text index of {search_posts:,} posts in {folder}")
            built = build_index(folder, search_posts, vocabulary, seed, log=log)
            log("searching")
            result["index"] = built
            result["search"] = measure_search(folder, search_posts, vocabulary, seed, repeats=search_repeats,
                                              sample=search_sample, log=log)
        finally:
            if temp:
                shutil.rmtree(folder_root, ignore_errors=True)
    return result


def render(r: dict) -> str:
    """The figures as plain-text tables."""
    g = r["goals"]
    rows: list[tuple[str, str, str]] = []
    a = r["analysis"]
    rows.append((f"analyse, {a['posts']:,} posts (median of {a['runs']})", f"{a['posts_per_s']:,.0f} posts/s",
                 f"{a['tokens_per_post']:.1f} tokens a post, runs {a['runs_posts_per_s']}"))
    for p in r["percolator"]:
        t = p["topics"]
        rows.append((f"{t:,} topics", "", f"parsed at {p['parse_per_s']:,.0f} topics/s ({p['parse_warnings']} "
                     f"warnings), percolator built in {p['build_s']:.2f} s, {p['always_tested']} tested on every post"))
        pc, nv = p["percolator"], p["naive"]
        rows.append((f"  percolator, {pc['posts']:,} posts", f"{pc['posts_per_s']:,.0f} posts/s",
                     f"{1e6 / pc['posts_per_s']:,.0f} µs a post, runs {pc['runs_posts_per_s']}"))
        off = p["percolator_gc_off"]["posts_per_s"]
        rows.append(("  percolator, garbage collector off (1 run)", f"{off:,.0f} posts/s",
                     f"diagnostic: the cyclic GC costs {1 - pc['posts_per_s'] / off:.0%} of the time above"))
        rows.append((f"  naive (every topic tested), {nv['posts']:,} posts", f"{nv['posts_per_s']:,.1f} posts/s",
                     f"{1e6 / nv['posts_per_s']:,.0f} µs a post, runs {nv['runs_posts_per_s']}"))
        ratio_goal = ""
        if t == g["ratio_topics"]:
            ratio_goal = f"; goal ≥ {g['ratio']}×: {'met' if p['ratio'] >= g['ratio'] else 'NOT met'}"
        rows.append(("  ratio percolator / naive", f"{p['ratio']:,.0f}×",
                     f"same matches on the sample: {p['mismatches']} mismatches{ratio_goal}"))
        rows.append(("  candidates tested / matches, a post", f"{p['candidates_per_post']:.2f} / "
                     f"{p['matches_per_post']:.3f}", f"{p['posts_matched']:.1%} of posts match a topic; "
                     f"{p['topics_matching']:,} topics match something"))
        if t == g["rate_topics"]:
            ok = pc["posts_per_s"] >= g["rate"]
            rows.append(("  goal: percolator ≥ 10,000 posts/s, one core", f"{pc['posts_per_s']:,.0f}",
                         "met" if ok else "NOT met"))
    if "index" in r:
        b = r["index"]
        how = (f"reused (built {b.get('built_at', '?')})" if b.get("reused") else "built now")
        ph = b["phases_s"]
        rows.append((f"text index, {b['posts']:,} posts", f"{b['posts_per_s']:,.0f} posts/s",
                     f"analyse + add + commit = {b['lyssna_s']:.1f} s ({how}; generation {ph['generate']:.1f} s "
                     f"more), {b['mib']:,.0f} MiB"))
        rows.append(("  analyse / TextIndex.add / commit", f"{ph['analyse']:.1f} / {ph['add']:.1f} / {ph['commit']:.1f} s",
                     f"add alone {b['add_posts_per_s']:,.0f} posts/s"))
    if "search" in r:
        s = r["search"]
        rows.append((f"search over {s['posts']:,} posts ({s['segments']} segments), {s['repeats']} runs each",
                     "median / p90", "hits; naive scan (extrapolated); ratio"))
        for q in s["queries"]:
            rows.append((f"  {q['label']}", f"{q['median_ms']:.1f} / {q['p90_ms']:.1f} ms",
                         f"{q['hits']:,} hits{'' if q['exact'] else ' (inexact: to check)'}; "
                         f"{q['naive_ms']:,.0f} ms; {q['ratio']:,.0f}×; first {q['first_ms']:.1f} ms"))
        within = sum(1 for q in s["queries"] if q["median_ms"] < g["search_ms"])
        size_note = "" if s["posts"] >= g["search_posts"] else f" (at {s['posts']:,} posts, not 1M)"
        rows.append((f"  goal: median < {g['search_ms']:.0f} ms{size_note}", f"{s['max_median_ms']:.1f} ms",
                     f"{'met' if within == len(s['queries']) else 'NOT met'} for every query: "
                     f"{within} of {len(s['queries'])} under (the largest median shown)"))
    w0 = max(len(x) for x, _, _ in rows)
    w1 = max(len(x) for _, x, _ in rows)
    head = (f"Percolator and search: {r['posts']:,} posts ({r['with_title']:.0%} with a title), "
            f"anchors by {r['anchors']}, {r['cpus']} CPUs; the percolator is pure Python on one core")
    lines = [head, "-" * max(len(head), w0 + w1 + 40)]
    lines += [f"{x:<{w0}}  {y:>{w1}}  {z}".rstrip() for x, y, z in rows]
    for p in r["percolator"]:
        feats = ", ".join(f"{k} {v:,}" for k, v in p["features"].items())
        lines.append(f"{p['topics']:,} topics use: {feats}")
    if "search" in r:
        lines.append("queries:")
        lines += [f"  {q['label']}: {q['query']}" for q in r["search"]["queries"]]
    return "\n".join(lines)


# -- profiling -------------------------------------------------------------------------------------


def profile(posts_n: int = 20_000, topic_counts: Iterable[int] = (1_000, 10_000), seed: int = 2024,
            topic_seed: int = 11, top: int = 25, out: Path | None = None) -> str:
    """cProfile of ``analyse`` over ``posts_n`` posts and of ``Percolator.match`` over them for each topic
    count: the top functions by own time."""
    import cProfile
    import io
    import pstats

    from lyssna.query.percolator import Percolator

    topic_counts = sorted(topic_counts)
    vocabulary = brands(max(10_000, *topic_counts), topic_seed)
    items = make_posts(posts_n, vocabulary, seed)
    docs = analyse_all(items)  # warm the caches as a long import would
    frequency = frequency_of(docs)
    sections = []
    gc.collect()
    prof = cProfile.Profile()
    prof.enable()
    docs = analyse_all(items)
    prof.disable()
    gc.collect()
    gc.freeze()  # as in measure(): the posts held here are not the code's garbage
    sections.append((f"analyse, {posts_n:,} posts", prof))
    for n_topics in topic_counts:
        percolator = Percolator(parse_topics(topics(n_topics, vocabulary, topic_seed)), frequency)
        _reset(docs)
        prof = cProfile.Profile()
        prof.enable()
        _timed_batches(percolator.match, docs)
        prof.disable()
        sections.append((f"Percolator.match, {n_topics:,} topics, {posts_n:,} posts", prof))
    gc.unfreeze()
    buf = io.StringIO()
    for i, (title, prof) in enumerate(sections):
        buf.write(f"\n=== {title} ===\n")
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(top)
        if out:
            prof.dump_stats(f"{out}.{i}")
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--posts", type=int, default=100_000, help="posts run through the percolator (default 100,000)")
    ap.add_argument("--topics", default="1000,10000", help="topic counts, comma-separated (default 1000,10000)")
    ap.add_argument("--search-posts", type=int, default=1_000_000,
                    help="posts in the text index searched (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of analysis, percolator and naive (default 3)")
    ap.add_argument("--naive-posts", type=int, default=None,
                    help=f"the naive evaluation's sample (default {NAIVE_TESTS:,} / topics, at least 1,000)")
    ap.add_argument("--search-repeats", type=int, default=20, help="timed runs of each search query (default 20)")
    ap.add_argument("--search-sample", type=int, default=20_000,
                    help="posts scanned by the search baseline, extrapolated (default 20,000)")
    ap.add_argument("--anchors", choices=("frequency", "guess"), default="frequency",
                    help="percolator anchors weighed by the posts' document frequencies (as Lyssna does once "
                         "its index holds posts) or guessed from the terms' shape")
    ap.add_argument("--skip-search", action="store_true", help="the percolator only")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the text index goes; kept and reused (default: a temp folder, removed after)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--profile", action="store_true",
                    help="instead: cProfile analyse and Percolator.match over --profile-posts posts")
    ap.add_argument("--profile-posts", type=int, default=20_000)
    ap.add_argument("--profile-out", type=Path, default=None, help="also write the raw cProfile stats (PATH.0, …)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    counts = [int(x) for x in args.topics.replace("_", "").split(",") if x.strip()]

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    if args.profile:
        print(profile(args.profile_posts, counts, seed=args.seed, out=args.profile_out))
        return 0
    result = measure(args.posts, counts, search_posts=args.search_posts, runs=args.runs, workdir=args.workdir,
                     seed=args.seed, naive_posts=args.naive_posts, search_repeats=args.search_repeats,
                     search_sample=args.search_sample, skip_search=args.skip_search, anchors=args.anchors, log=log)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
