"""The whole default enrichment chain on one core: posts/s of each enricher alone and of the chain, with
and without the store, and memory.

    python -m bench.enrich_speed [--posts 20000] [--runs 5] [--json]

Posts: generated X v1.1 statuses (``bench/generate.py``: 60–280 characters, about 60 % Swedish, with
hashtags, mentions and links), the same every run. Each enricher is timed alone on the whole set, given
the columns of the enrichers before it (computed once beforehand), ``--runs`` times, median; the chain is
the enrichers one after the other in :func:`~lyssna.enrichers.base.chain` order, as ``lyssna analyze``
runs them (batches of 2,000, near-duplicates kept in memory); "chain + store" is
:class:`~lyssna.enrichment.Enrichment` catching up a store holding the posts (reading them back, the
near-duplicate index in the store, writing every column), timed once per run on a fresh copy of the store.
The goal stated in issue 4 is at least 3,000 posts/s for the chain on one core. Last, what enrichment
costs an import: the same file imported into the store alone, into a project without enrichers (the
store, the text index and the percolator) and into a project with them, medians.

Memory: RSS of a fresh process after importing the enrichers and enriching one post (every lexicon and
model loaded) minus RSS after importing only ``lyssna``; and the peak RSS of the chain run over all the
posts minus the RSS before it (``VmHWM``, in its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(_REPO))

import orjson  # noqa: E402

from bench.generate import generate  # noqa: E402

__all__ = ["posts", "measure", "render", "main"]

GOAL = 3_000


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def posts(n: int, folder: Path) -> tuple[Path, list]:
    path = folder / "statuses.jsonl"
    generate(path, n, seed=7)
    return path, read_posts(path)


def read_posts(path: Path) -> list:
    from lyssna.query.analysis import MatchInput

    out = []
    with open(path, "rb") as f:
        for i, line in enumerate(f, start=1):
            s = orjson.loads(line)
            out.append(MatchInput(i, None, "twitter", s["text"]))
    return out


def _median_rate(n: int, runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times)


def measure(n: int = 20_000, runs: int = 5, log=lambda m: None, with_import: bool = True) -> dict:
    from lyssna.analyze import BATCH
    from lyssna.enrichers.base import chain
    from lyssna.plugins import registry

    _one_core()
    folder = Path(tempfile.mkdtemp(prefix="lyssna-enrich-speed-"))
    try:
        path, items = posts(n, folder)
        log(f"{len(items):,} posts generated")
        enrichers = chain(registry.enrichers())
        given: dict[str, list] = {}
        for e in enrichers:  # warm: lexicons and models loaded, the columns each needs computed
            out = e.enrich(items[:10], {k: v[:10] for k, v in given.items()})
            out = type(e)().enrich(items, given) if e.name == "near_duplicates" else e.enrich(items, given)
            given.update(out)
        alone = {}
        for e in enrichers:
            def run(e=e):
                fresh = type(e)() if e.name == "near_duplicates" else e  # its index starts empty each run
                for start in range(0, len(items), BATCH):
                    fresh.enrich(items[start:start + BATCH], {k: v[start:start + BATCH] for k, v in given.items()})
            alone[e.name] = round(_median_rate(len(items), runs, run))
            log(f"{e.name}: {alone[e.name]:,} posts/s")

        def whole() -> None:
            fresh = [type(e)() for e in enrichers]
            for start in range(0, len(items), BATCH):
                batch = items[start:start + BATCH]
                cols: dict[str, list] = {}
                for e in fresh:
                    cols.update(e.enrich(batch, cols))
        chain_rate = round(_median_rate(len(items), runs, whole))
        log(f"chain: {chain_rate:,} posts/s")
        store_rate = _store_rate(path, folder, max(1, min(runs, 3)), log)
        return {"posts": len(items), "alone": alone, "chain": chain_rate, "chain_store": store_rate,
                "goal": GOAL, "memory": _memory(path),
                "import": import_cost(path, folder, max(1, min(runs, 3)), log) if with_import else None}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _store_rate(path: Path, folder: Path, runs: int, log) -> int:
    import lyssna
    from lyssna.enrichment import Enrichment
    from lyssna.plugins import Registry, registry

    base = folder / "base"
    project = lyssna.init(base)
    project.registry = Registry(enricher_modules=(), enricher_group=None)  # import without enriching
    project.import_paths([path])
    n = project.store.max_post_key()
    project.close()
    times = []
    for i in range(runs):
        copy = folder / f"run{i}"
        shutil.copytree(base, copy)
        p = lyssna.open_project(copy)
        enrichment = Enrichment(p.store, registry.enrichers())
        t0 = time.perf_counter()
        enrichment.catch_up()
        times.append(time.perf_counter() - t0)
        p.close()
        shutil.rmtree(copy, ignore_errors=True)
    rate = round(n / statistics.median(times))
    log(f"chain + store: {rate:,} posts/s")
    return rate


def import_cost(path: Path, folder: Path, runs: int, log=lambda m: None) -> dict:
    """posts/s of importing ``path``: into the store alone (``pipeline.import_paths``), into a project
    without enrichers (store + text index + percolator, no topics), and into a project with every
    enricher — medians of ``runs``, in rotation so that drift on the machine hits each alike."""
    import lyssna
    from lyssna.pipeline import import_paths
    from lyssna.plugins import Registry
    from lyssna.store.duckdb import DuckStore

    def store_alone(where: Path) -> None:
        store = DuckStore(where / "s.duckdb")
        store.migrate()
        import_paths(store, [path])
        store.close()

    def project(where: Path, enrich: bool) -> None:
        p = lyssna.init(where)
        if not enrich:
            p.registry = Registry(enricher_modules=(), enricher_group=None)
        p.import_paths([path])
        p.close()

    kinds = {"store": store_alone, "project_without_enrichers": lambda w: project(w, False),
             "project_with_enrichers": lambda w: project(w, True)}
    times: dict[str, list[float]] = {k: [] for k in kinds}
    n = sum(1 for _ in open(path, "rb"))
    for i in range(runs):
        for name, run in kinds.items():
            where = folder / f"import-{name}-{i}"
            where.mkdir()
            t0 = time.perf_counter()
            run(where)
            times[name].append(time.perf_counter() - t0)
            shutil.rmtree(where, ignore_errors=True)
    out = {k: round(n / statistics.median(v)) for k, v in times.items()}
    log(f"import: {out}")
    return out


def _memory(path: Path) -> dict:
    code = ("import resource, sys, lyssna; from bench.enrich_speed import _rss_mib; before = _rss_mib(); "
            "from lyssna.plugins import registry; from lyssna.enrichers.base import chain; "
            "from lyssna.query.analysis import MatchInput; es = chain(registry.enrichers()); cols = {}; "
            "p = [MatchInput(1, None, 'x', 'Jättebra service idag, tack @SJ! 😍 #tåg https://sj.se')]\n"
            "for e in es: cols.update(e.enrich(p, cols))\n"
            "print(round(_rss_mib() - before, 1))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=_REPO, capture_output=True, text=True, timeout=600)
    peak = subprocess.run([sys.executable, "-m", "bench.enrich_speed", "--peak-child", str(path)], cwd=_REPO,
                          capture_output=True, text=True, timeout=1200)
    return {"loaded_mib": float(loaded.stdout.strip() or "nan"), "chain_peak_mib": float(peak.stdout.strip() or "nan")}


def _rss_mib(field: str = "VmRSS") -> float:
    """This process's resident set (``VmHWM``: its peak), in MiB. Not ``ru_maxrss``: Linux carries that
    over ``execve`` from the parent, so a child started by a big parent reports the parent's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_child(path: Path) -> None:
    from lyssna.analyze import BATCH
    from lyssna.enrichers.base import chain
    from lyssna.plugins import registry

    items = read_posts(path)
    enrichers = chain(registry.enrichers())
    warm: dict[str, list] = {}
    for e in enrichers:  # loaded before the baseline: the chain's working memory is what is measured
        warm.update(e.enrich(items[:10], warm))
    now = _rss_mib()
    for start in range(0, len(items), BATCH):
        cols: dict[str, list] = {}
        for e in enrichers:
            cols.update(e.enrich(items[start:start + BATCH], cols))
    print(round(max(0.0, _rss_mib("VmHWM") - now), 1))  # peak RSS of the run above the RSS before it


def render(r: dict) -> str:
    lines = [f"## Enrichment speed, one core ({r['posts']:,} generated posts, medians)", "",
             "| enricher | posts/s | µs/post |", "|---|---|---|"]
    for name, rate in r["alone"].items():
        lines.append(f"| {name} alone | {rate:,} | {1e6 / rate:.0f} |")
    lines.append(f"| **the chain** (as `lyssna analyze`) | **{r['chain']:,}** | {1e6 / r['chain']:.0f} |")
    lines.append(f"| the chain + the store (reading, near-duplicate index, writing) | {r['chain_store']:,} | "
                 f"{1e6 / r['chain_store']:.0f} |")
    lines += ["", f"Goal {r['goal']:,} posts/s: the chain runs at {r['chain'] / r['goal']:.2f}× the goal, "
                  f"with the store {r['chain_store'] / r['goal']:.2f}×.",
              f"Memory: {r['memory']['loaded_mib']} MiB once every lexicon and model is loaded; the chain's "
              f"peak over all the posts adds {r['memory']['chain_peak_mib']} MiB."]
    if r.get("import"):
        i = r["import"]
        lines += ["", "Importing the same posts (the whole pipeline, posts/s, medians):", "",
                  "| into | posts/s | ratio to the store alone |", "|---|---|---|"]
        for name, rate in i.items():
            lines.append(f"| {name.replace('_', ' ')} | {rate:,} | {rate / i['store']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--peak-child"]:
        _peak_child(Path(argv[1]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-import", action="store_true", help="leave out the import comparison")
    args = ap.parse_args(argv)
    r = measure(args.posts, args.runs, log=lambda m: print(m, file=sys.stderr, flush=True),
                with_import=not args.no_import)
    print(json.dumps(r, indent=2) if args.json else render(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
