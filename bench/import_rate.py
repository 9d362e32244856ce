"""Import rate and memory: Lyssna's real import of X/Twitter v1.1 JSON lines against the bare minimum.

    python bench/import_rate.py                       # N = 1,000,000: rate at N/4 (3 runs), N once, memory
    python bench/import_rate.py --rate-posts 1000000  # the rate at the full N, 3 runs (about 15 minutes)
    python bench/import_rate.py --posts 200000 --runs 5 --json
    python bench/import_rate.py --workers 2           # also Lyssna's import with 2 mapping processes
    python bench/import_rate.py --profile 200000      # cProfile of Lyssna's import, top functions

Every import runs in a fresh Python process into a fresh DuckDB file, so each run's peak RSS is its
own; baseline and Lyssna runs alternate and medians are reported. See bench/README.md for what exactly is
measured and how to read it.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(_REPO))

from bench.generate import GenStats, copy_prefix, generate  # noqa: E402

__all__ = ["GOAL", "BATCH_SIZE", "baseline_table_sql", "baseline_settings", "baseline_import", "lyssna_import", "run_child",
           "measure", "render", "profile", "main"]

GOAL = 0.40  # the goal: Lyssna's import at least 40 % of the bare minimum's rate
BATCH_SIZE = 5000  # lyssna.pipeline.DEFAULT_BATCH_SIZE; the baseline uses the same


# -- the bare minimum -------------------------------------------------------------------------------


def baseline_table_sql() -> str:
    """The bare minimum's table: Lyssna's own ``posts`` table (from its first migration, so that column
    types and per-column compression stay the same) without the key sequence and the unique constraint."""
    from lyssna.store.migrations import MIGRATIONS

    ddl = next(s for s in MIGRATIONS[0] if "CREATE TABLE posts" in s)
    keep = [line for line in ddl.strip().splitlines() if not line.strip().startswith(("key ", "UNIQUE"))]
    body = "\n".join(keep).rstrip()
    return body[: body.rindex(")")].rstrip().rstrip(",") + "\n)"


def baseline_settings() -> list[str]:
    """The DuckDB settings Lyssna's store uses while importing, so that the floor is measured with the same
    engine configuration (today: the checkpoint threshold of ``DuckStore.bulk``)."""
    from lyssna.store import duckdb as store

    threshold = getattr(store, "BULK_CHECKPOINT_THRESHOLD", None)
    return [f"SET checkpoint_threshold = '{threshold}'"] if threshold else []


# What a hand-written loader would do in SQL, vectorised: the time parsed by strptime, kind and url.
_BASELINE_INSERT = """
    INSERT INTO posts (platform, native_id, kind, created_at, author_id, author_handle, text, url, lang,
                       site, reply_to, likes, reposts, replies, quotes, source, raw, imported_at)
    SELECT 'twitter', native_id, CASE WHEN reply_to IS NULL THEN 'post' ELSE 'reply' END,
           strptime(created_at, '%a %b %d %H:%M:%S %z %Y'), author_id, author_handle, text,
           'https://twitter.com/' || coalesce(author_handle, 'i') || '/status/' || native_id, lang,
           'twitter.com', reply_to, likes, reposts, replies, quotes, ?, raw, ?
    FROM batch
"""
_BASELINE_FIELDS = ("native_id", "created_at", "author_id", "author_handle", "text", "lang", "reply_to",
                    "likes", "reposts", "replies", "quotes", "raw")


def baseline_import(path: str, db: str, batch_size: int = BATCH_SIZE) -> dict:
    """The bare minimum: read lines, orjson each, pick the fields into columns, append Arrow batches of
    ``batch_size`` to a DuckDB table in a fresh file (no constraint, no mapping, no other table)."""
    import duckdb
    import orjson
    import pyarrow as pa

    con = duckdb.connect(db)
    con.execute("SET TimeZone = 'UTC'")
    for setting in baseline_settings():
        con.execute(setting)
    con.execute(baseline_table_sql())
    source = str(Path(path).resolve())
    schema = pa.schema([(n, pa.int64() if n in ("likes", "reposts", "replies", "quotes") else pa.string())
                        for n in _BASELINE_FIELDS])
    loads = orjson.loads
    rows = 0
    spent = {"arrow": 0.0, "insert": 0.0}
    t0 = time.perf_counter()

    def flush(cols: list[list]) -> None:
        t_start = time.perf_counter()
        batch = pa.Table.from_arrays([pa.array(c, type=typ) for c, typ in zip(cols, schema.types)],  # noqa: F841
                                     schema=schema)
        t_arrow = time.perf_counter()
        con.execute(_BASELINE_INSERT, [source, datetime.now(timezone.utc)])
        spent["arrow"] += t_arrow - t_start
        spent["insert"] += time.perf_counter() - t_arrow

    cols: list[list] = [[] for _ in _BASELINE_FIELDS]
    (c_id, c_time, c_aid, c_handle, c_text, c_lang, c_reply, c_likes, c_rt, c_replies, c_quotes,
     c_raw) = cols
    with open(path, "rb") as f:
        for line in f:
            d = loads(line)
            user = d.get("user") or {}
            c_id.append(d["id_str"])
            c_time.append(d["created_at"])
            c_aid.append(user.get("id_str"))
            c_handle.append(user.get("screen_name"))
            c_text.append(d["text"])
            c_lang.append(d.get("lang"))
            c_reply.append(d.get("in_reply_to_status_id_str"))
            c_likes.append(d.get("favorite_count"))
            c_rt.append(d.get("retweet_count"))
            c_replies.append(d.get("reply_count"))
            c_quotes.append(d.get("quote_count"))
            c_raw.append(line.rstrip(b"\n"))
            if len(c_id) >= batch_size:
                flush(cols)
                rows += len(c_id)
                for c in cols:
                    c.clear()
    if c_id:
        flush(cols)
        rows += len(c_id)
    t_loaded = time.perf_counter()
    con.close()
    t1 = time.perf_counter()
    phases = {"read, parse, pick columns": t_loaded - t0 - spent["arrow"] - spent["insert"],
              "Arrow batches": spent["arrow"], "DuckDB insert (autocommit)": spent["insert"],
              "close (its checkpoint)": t1 - t_loaded}
    return {"kind": "baseline", "posts": rows, "seconds": t1 - t0, "phases": phases}


# -- Lyssna's import, with cheap per-batch phase timers ----------------------------------------------


class _Timer:
    """Adds up the time spent in a callable; installed on one store object only (cheap: per batch)."""

    def __init__(self, fn, totals: dict, name: str):
        self.fn, self.totals, self.name = fn, totals, name
        totals.setdefault(name, 0.0)

    def __call__(self, *args, **kwargs):
        t = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.totals[self.name] += time.perf_counter() - t


_SQL_PHASES = (  # the first words of a statement → the phase its DuckDB time is added to
    ("INSERT INTO posts", "  DuckDB: insert posts (unique check)"),
    ("INSERT INTO authors", "  DuckDB: upsert authors"),
    ("INSERT INTO import_files", "  DuckDB: cursors"),
    ("INSERT INTO quarantine", "  DuckDB: quarantine"),
    ("COMMIT", "  DuckDB: commit (WAL, checkpoints)"),
    ("CHECKPOINT", "DuckDB: CHECKPOINT after the import"),  # not inside write_parts
)
_CHECKPOINT = _SQL_PHASES[-1][1]


class _TimedConnection:
    """A DuckDB connection whose ``execute`` adds its time to a phase named after the statement."""

    def __init__(self, con, totals: dict):
        self._con, self._totals = con, totals
        self.commits: list[float] = []  # each batch's COMMIT, in order

    def execute(self, sql: str, *args, **kwargs):
        head = sql.lstrip()[:40]
        name = next((n for prefix, n in _SQL_PHASES if head.startswith(prefix)), None)
        if name is None:
            return self._con.execute(sql, *args, **kwargs)
        # DuckDB finds Arrow tables named in the SQL among its caller's locals; this frame is in between,
        # so those of the callers are registered for the statement (zero-copy, microseconds).
        tables: dict = {}
        frame = sys._getframe(1)
        for _ in range(4):
            if frame is None:
                break
            for n, v in frame.f_locals.items():
                if n not in tables and n in sql and type(v).__name__ == "Table":
                    tables[n] = v
            frame = frame.f_back
        for n, v in tables.items():
            self._con.register(n, v)
        t = time.perf_counter()
        try:
            return self._con.execute(sql, *args, **kwargs)
        finally:
            spent = time.perf_counter() - t
            self._totals[name] = self._totals.get(name, 0.0) + spent
            if head.startswith("COMMIT"):
                self.commits.append(spent)
            for n in tables:
                self._con.unregister(n)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def _instrument(store, totals: dict) -> None:
    """Per-batch timers on this one store object; the code under test is not changed."""
    for attr, name in (("write_parts", "store.write_parts"), ("_posts_table", "  Arrow posts table"),
                       ("_authors_table", "  Arrow authors table")):
        if hasattr(store, attr):
            setattr(store, attr, _Timer(getattr(store, attr), totals, name))
    resolve = _Timer(store.resolve_threads, totals, "store.resolve_threads")
    timed = store.con = _TimedConnection(store.con, totals)
    totals["_commits"] = timed.commits  # type: ignore[assignment]

    def resolve_threads(*args, **kwargs):  # its statements count as reply-tree time only
        store.con = timed._con
        try:
            return resolve(*args, **kwargs)
        finally:
            store.con = timed

    store.resolve_threads = resolve_threads


def lyssna_import(path: str, db: str, batch_size: int | None = None, *, workers: int | None = None,
                  phases: bool = True) -> dict:
    """Lyssna's real import: ``import_paths(store, [path])`` into a fresh migrated ``DuckStore`` file,
    timed from the call to the store's close (mapping, dedup, quarantine, cursors, authors, threads).
    ``workers`` is passed on when given (and when import_paths takes it)."""
    from lyssna.pipeline import DEFAULT_BATCH_SIZE, import_paths
    from lyssna.store.duckdb import DuckStore

    kwargs: dict = {"batch_size": batch_size or DEFAULT_BATCH_SIZE}
    if workers is not None:
        if "workers" not in inspect.signature(import_paths).parameters:
            raise SystemExit("this Lyssna's import_paths has no `workers` parameter")
        kwargs["workers"] = workers
    store = DuckStore(db)
    store.migrate()
    raw_con = store.con
    totals: dict[str, float] = {}
    if phases:
        _instrument(store, totals)
    t0 = time.perf_counter()
    report = import_paths(store, [path], **kwargs)
    t_imported = time.perf_counter()
    # Checked outside the timing: everything arrived, and the reply trees were resolved.
    posts, replies, unresolved, max_depth, orphans = raw_con.execute(
        "SELECT count(*), count(reply_to), count(*) FILTER (reply_to IS NOT NULL AND root_id IS NULL), "
        "coalesce(max(depth), 0), count(*) FILTER (reply_to IS NOT NULL AND depth IS NULL) FROM posts").fetchone()
    authors = raw_con.execute("SELECT count(*) FROM authors").fetchone()[0]
    t_close = time.perf_counter()
    store.close()
    t1 = time.perf_counter()
    seconds = (t_imported - t0) + (t1 - t_close)
    commits: list[float] = totals.pop("_commits", [])  # type: ignore[assignment]
    if phases:
        written = totals.get("store.write_parts", 0.0)
        subs = ["  Arrow posts table", "  Arrow authors table"] + [n for _, n in _SQL_PHASES if n != _CHECKPOINT]
        parts = {n: totals.get(n, 0.0) for n in subs}
        parts["  rest of write_parts (Python)"] = written - sum(parts.values())
        checkpoint = totals.get(_CHECKPOINT, 0.0)
        totals = {"read, parse, map (rest of import_paths)": t_imported - t0 - written
                  - totals["store.resolve_threads"] - checkpoint,
                  "store.write_parts": written, **parts,
                  "store.resolve_threads": totals["store.resolve_threads"], _CHECKPOINT: checkpoint,
                  "close": t1 - t_close}
    q = max(1, len(commits) // 4)
    return {"kind": "lyssna", "posts": report.imported, "seconds": seconds, "phases": totals,
            # mean COMMIT per batch in the first and last quarter of the batches: growth means the
            # commit's work grows with the store, not with the batch
            "commit_ms_first_last_quarter": [1000 * sum(commits[:q]) / q, 1000 * sum(commits[-q:]) / q]
            if commits else [],
            "report": {"read": report.read, "imported": report.imported, "duplicate": report.duplicate,
                       "quarantined": report.quarantined},
            "store": {"posts": posts, "replies": replies, "unresolved": unresolved, "orphans": orphans,
                      "max_depth": max_depth, "authors": authors}}


# -- one import per fresh process --------------------------------------------------------------------


def _peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _child(kind: str, path: str, db: str, batch_size: int, workers: int | None) -> dict:
    """Runs in a fresh process: one import, plus that process's peak RSS (and its workers')."""
    start = _peak_rss_mib()
    if kind == "baseline":
        result = baseline_import(path, db, batch_size)
    else:
        result = lyssna_import(path, db, batch_size, workers=workers)
    result["peak_rss_mib"] = _peak_rss_mib()
    result["workers_peak_rss_mib"] = _peak_rss_mib(resource.RUSAGE_CHILDREN)  # the largest worker, if any
    result["start_rss_mib"] = start
    result["db_mib"] = sum(f.stat().st_size for f in Path(db).parent.glob(Path(db).name + "*")) / 2**20
    return result


def run_child(kind: str, path: str | Path, workdir: str | Path, batch_size: int = BATCH_SIZE,
              workers: int | None = None) -> dict:
    """One import (``kind`` "baseline" or "lyssna") in a fresh Python process into a fresh DuckDB file
    under ``workdir`` (removed after). Returns the child's figures."""
    tmp = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=workdir))
    db, out = tmp / "store.duckdb", tmp / "result.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(_REPO), os.environ.get("PYTHONPATH")])))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.import_rate", "--child", kind, str(path), str(db), str(batch_size),
             str(out), str(workers if workers is not None else "")],
            cwd=_REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"the {kind} import failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- the whole measurement ---------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _summary(runs: list[dict]) -> dict:
    """Medians over runs of one kind at one size."""
    if not runs:
        return {}
    out = {
        "runs": len(runs), "posts": runs[0]["posts"],
        "posts_per_s": _median([x["posts"] / x["seconds"] for x in runs]),
        "seconds": _median([x["seconds"] for x in runs]),
        "runs_posts_per_s": [round(x["posts"] / x["seconds"]) for x in runs],
        "peak_rss_mib": _median([x["peak_rss_mib"] for x in runs]),
        "workers_peak_rss_mib": _median([x["workers_peak_rss_mib"] for x in runs]),
        "db_mib": _median([x["db_mib"] for x in runs]),
        "phases_s": {p: _median([x["phases"].get(p, 0.0) for x in runs]) for p in runs[0]["phases"]},
    }
    if "report" in runs[-1]:
        out["report"], out["store"] = runs[-1]["report"], runs[-1]["store"]
    if all(x.get("commit_ms_first_last_quarter") for x in runs):
        out["commit_ms_first_last_quarter"] = [_median([x["commit_ms_first_last_quarter"][i] for x in runs])
                                               for i in (0, 1)]
    return out


def measure(posts: int = 1_000_000, runs: int = 3, workdir: str | Path | None = None, *,
            rate_posts: int | None = None, batch_size: int = BATCH_SIZE, seed: int = 2024,
            workers: int | None = None, full: bool = True, authors: int = 50_000,
            log=lambda msg: None) -> dict:
    """Generate N = ``posts`` posts (or reuse the file in ``workdir``) and measure:

    * the rate: ``runs`` alternating baseline/Lyssna imports of the first ``rate_posts`` posts (default
      N/4), plus Lyssna with ``workers`` mapping processes when given;
    * at N, once each (``full``; the rate runs when ``rate_posts`` is N): baseline and Lyssna;
    * memory: peak RSS of Lyssna's (and the baseline's) import at N/4 and at N.
    Returns every figure as a dict (see :func:`render`)."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="lyssna-bench-"))
    quarter = max(1, posts // 4)
    rate_posts = min(rate_posts or quarter, posts)
    big = workdir / f"statuses-{posts}-{seed}-{authors}.jsonl"
    gen: GenStats | None = None
    t = time.perf_counter()
    if not big.exists():
        log(f"generating {posts:,} posts → {big}")
        gen = generate(big, posts, seed=seed, authors=authors)
    gen_s = time.perf_counter() - t
    files = {posts: big}
    for n in {quarter, rate_posts} - {posts}:  # the first n lines of the big file
        files[n] = workdir / f"statuses-{n}-of-{big.stem}.jsonl"
        if not files[n].exists():
            copy_prefix(big, files[n], n)

    kinds: list[tuple[str, str, int | None]] = [("baseline", "baseline", None), ("lyssna", "lyssna", None)]
    if workers is not None:
        kinds.append((f"lyssna-{workers}w", "lyssna", workers))
    done: dict[tuple[str, int], list[dict]] = {}

    def run(label: str, kind: str, w: int | None, n: int, note: str) -> None:
        log(f"{note}: {label} import of {n:,} posts")
        done.setdefault((label, n), []).append(run_child(kind, files[n], workdir, batch_size, w))

    for r in range(runs):
        order = kinds if r % 2 == 0 else kinds[::-1]  # alternate who goes first
        for label, kind, w in order:
            run(label, kind, w, rate_posts, f"rate run {r + 1}/{runs}")
    sizes = sorted({quarter, posts} if full else {quarter})
    for n in sizes:  # memory (and the rate at N), once each where the rate runs did not already
        for label, kind, w in kinds[:2]:
            if (label, n) not in done:
                run(label, kind, w, n, "memory" if n == quarter else "full size")

    by = {key: _summary(v) for key, v in done.items()}
    base, lys = by[("baseline", rate_posts)], by[("lyssna", rate_posts)]
    result: dict = {
        "posts": posts, "rate_posts": rate_posts, "runs": runs, "batch_size": batch_size, "seed": seed,
        "cpus": os.cpu_count(), "goal": GOAL, "baseline_settings": baseline_settings(),
        "generated": ({"seconds": round(gen_s, 1), "bytes": gen.bytes, "replies": gen.replies,
                       "orphans": gen.orphans, "authors": gen.authors} if gen else {"reused": str(big)}),
        "file_mib": {str(n): f.stat().st_size / 2**20 for n, f in files.items()},
        "rate": {"baseline": base, "lyssna": lys, "ratio": lys["posts_per_s"] / base["posts_per_s"]},
    }
    if workers is not None:
        lw = by[(kinds[2][0], rate_posts)]
        result["rate"]["lyssna_workers"] = dict(lw, workers=workers)
        result["rate"]["ratio_workers"] = lw["posts_per_s"] / base["posts_per_s"]
    if full:
        fb, fl = by[("baseline", posts)], by[("lyssna", posts)]
        result["full"] = {"baseline": fb, "lyssna": fl, "ratio": fl["posts_per_s"] / fb["posts_per_s"]}
    mem: dict = {"quarter_posts": quarter}
    for label in ("lyssna", "baseline"):
        q = by[(label, quarter)]["peak_rss_mib"]
        n_ = by[(label, posts)]["peak_rss_mib"] if full else float("nan")
        mem[label] = {"peak_rss_quarter_mib": q, "peak_rss_full_mib": n_, "ratio": n_ / q if q else float("nan")}
    result["memory"] = mem
    return result


def render(r: dict) -> str:
    """The figures as a plain-text table."""
    rows: list[tuple[str, str, str]] = []

    def imp(name: str, s: dict) -> None:
        extra = f", workers peak {s['workers_peak_rss_mib']:,.0f} MiB" if s.get("workers_peak_rss_mib") else ""
        rows.append((f"{name}, {s['posts']:,} posts ({'median of ' + str(s['runs']) if s['runs'] > 1 else '1 run'})",
                     f"{s['posts_per_s']:,.0f} posts/s",
                     f"{s['seconds']:.1f} s, peak RSS {s['peak_rss_mib']:,.0f} MiB{extra}, store {s['db_mib']:,.0f} MiB"))

    def ratio(name: str, x: float) -> None:
        rows.append((name, f"{x:.0%}", f"goal ≥ {r['goal']:.0%}: {'met' if x >= r['goal'] else 'NOT met'}"))

    rate = r["rate"]
    imp("baseline (orjson → Arrow → DuckDB)", rate["baseline"])
    imp("lyssna import (import_paths → DuckStore)", rate["lyssna"])
    ratio("ratio lyssna / baseline", rate["ratio"])
    if "lyssna_workers" in rate:
        imp(f"lyssna import, workers={rate['lyssna_workers']['workers']}", rate["lyssna_workers"])
        ratio(f"ratio lyssna (workers={rate['lyssna_workers']['workers']}) / baseline", rate["ratio_workers"])
    if "full" in r and r["full"]["lyssna"]["posts"] != rate["lyssna"]["posts"]:
        imp("baseline", r["full"]["baseline"])
        imp("lyssna import", r["full"]["lyssna"])
        ratio(f"ratio lyssna / baseline at {r['posts']:,}", r["full"]["ratio"])
    m = r["memory"]
    for label in ("lyssna", "baseline") if "full" in r else ():
        mm = m[label]
        rows.append((f"{label} peak RSS at {m['quarter_posts']:,} / {r['posts']:,} posts",
                     f"{mm['peak_rss_quarter_mib']:,.0f} / {mm['peak_rss_full_mib']:,.0f} MiB",
                     f"ratio {mm['ratio']:.2f} (flat ≈ 1, linear ≈ 4)"))
    lys = rate["lyssna"]
    if lys.get("commit_ms_first_last_quarter"):
        first, last = lys["commit_ms_first_last_quarter"]
        rows.append(("lyssna COMMIT per batch, first / last quarter of the batches", f"{first:,.0f} / {last:,.0f} ms",
                     "grows with the store when the last is larger"))
    rows.append((f"lyssna phases at {lys['posts']:,} posts (medians)", "", ""))
    for name, secs in lys["phases_s"].items():
        rows.append((f"  {name}", f"{secs:.2f} s", f"{secs / lys['seconds']:.0%}" if lys["seconds"] else ""))
    base = rate["baseline"]
    rows.append((f"baseline phases at {base['posts']:,} posts (medians)", "", ""))
    for name, secs in base["phases_s"].items():
        rows.append((f"  {name}", f"{secs:.2f} s", f"{secs / base['seconds']:.0%}" if base["seconds"] else ""))
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(x) for _, x, _ in rows)
    head = (f"Import benchmark: X/Twitter v1.1 JSON lines, N = {r['posts']:,} posts "
            f"({r['file_mib'][str(r['posts'])]:,.0f} MiB), batches of {r['batch_size']:,}, {r['cpus']} CPUs")
    lines = [head, "-" * max(len(head), w0 + w1 + 40)]
    lines += [f"{a:<{w0}}  {x:>{w1}}  {c}".rstrip() for a, x, c in rows]
    s, rep = lys.get("store", {}), lys.get("report", {})
    lines.append(f"checked: {rep.get('imported', 0):,} of {lys['posts']:,} imported, {rep.get('quarantined')} "
                 f"quarantined; {s.get('replies', 0):,} replies, {s.get('orphans', 0):,} with a missing parent, "
                 f"max depth {s.get('max_depth')}, {s.get('unresolved')} unresolved; {s.get('authors', 0):,} authors")
    return "\n".join(lines)


# -- profiling ---------------------------------------------------------------------------------------


def profile(posts: int, workdir: Path, top: int = 30, seed: int = 2024, out: Path | None = None) -> str:
    """cProfile of Lyssna's import of ``posts`` posts (in this process); the top functions by own time
    and by cumulative time. DuckDB's own work shows as time inside the store's methods."""
    import cProfile
    import io
    import pstats

    data = workdir / f"statuses-{posts}-{seed}.jsonl"
    if not data.exists():
        generate(data, posts, seed=seed)
    db = workdir / "profile" / "store.duckdb"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    prof = cProfile.Profile()
    prof.enable()
    result = lyssna_import(str(data), str(db), phases=True)
    prof.disable()
    shutil.rmtree(db.parent, ignore_errors=True)
    if out:
        prof.dump_stats(out)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    rate = result["posts"] / result["seconds"]
    phases = "\n".join(f"  {k:<50} {v:7.2f} s" for k, v in result["phases"].items())
    return (f"profiled import: {result['posts']:,} posts, {rate:,.0f} posts/s under cProfile\n"
            f"phases (under the profiler):\n{phases}\n" + buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # internal: one import in this fresh process (see run_child)
        kind, path, db, batch, out, workers = argv[1:7]
        Path(out).write_text(json.dumps(_child(kind, path, db, int(batch), int(workers) if workers else None)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--posts", type=int, default=1_000_000, help="posts generated, N (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=3, help="alternating baseline/lyssna rate runs (default 3)")
    ap.add_argument("--rate-posts", type=int, default=None,
                    help="posts for the rate runs: the first lines of the N-post file (default N/4)")
    ap.add_argument("--workers", type=int, default=None,
                    help="also measure Lyssna's import with this many mapping processes (import_paths workers=)")
    ap.add_argument("--no-full", action="store_true", help="skip the single runs at N (and memory at N)")
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--authors", type=int, default=50_000, help="size of the author pool (default 50,000)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where data and stores go; kept, and its generated data reused (default: a temp "
                         "folder, removed after)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--profile", type=int, metavar="POSTS", default=None,
                    help="instead: cProfile Lyssna's import of POSTS posts and print the top functions")
    ap.add_argument("--profile-out", type=Path, default=None, help="also write the raw cProfile stats here")
    args = ap.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lyssna-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    try:
        if args.profile:
            print(profile(args.profile, workdir, seed=args.seed, out=args.profile_out))
            return 0
        result = measure(args.posts, args.runs, workdir, rate_posts=args.rate_posts, batch_size=args.batch_size,
                         seed=args.seed, workers=args.workers, full=not args.no_full, authors=args.authors,
                         log=log)
        print(json.dumps(result, indent=2) if args.json else render(result))
        return 0
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
