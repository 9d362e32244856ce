"""Validation of the campaign-impact statistics (``lyssna.analytics.impact``) by simulation.

    python -m bench.impact_sim                     # 200 series per scenario, seed 1
    python -m bench.impact_sim --series 50 --seed 11 --json
    python -m bench.impact_sim --causalimpact 30   # also pycausalimpact on the first 30 per scenario

Data (deterministic, seeded). Each series is 365 days of mention counts like a topic's daily volume:
a baseline of 20–500 mentions/day (log-uniform); weekly seasonality (weekend days 55–85 % of a
weekday, every weekday ±8 %); a linear trend of −30 % to +30 % a year; a latent market level, an
AR(1) process in logs (φ 0.8–0.95, stationary sd 0.06–0.15) that moves the topic and 0–2 control
series (other brands, the market; each with its own level, seasonality, idiosyncratic AR(1) and
noise); an idiosyncratic AR(1) of the topic (φ 0.5, sd 0.05); Poisson-gamma (negative-binomial)
noise with shape 8–40; outlier days (1 %: ×2–×5, a viral post). The campaign runs 14 days from day
280; the analysis uses ``after_weeks=4``, so the lasting window is days 15–28 after its end.

Effects multiply the expected count by ``1 + e(t)``, ``t`` from the campaign start, size ``s``:

* ``none``  — e = 0;
* ``spike`` — e = s during the campaign, then s·2^(−d/h) d days after its end, h = 3 days;
* ``step``  — e = s from the start on;
* ``build`` — e rises linearly from 0 at the start to s 14 days after the end, then stays at s.

The truth of a window is Σ μ·e / Σ μ over its days (μ: the expected count without the campaign,
latent factors and outliers included), the same relative effect the analysis estimates. Reported
per scenario: bias (mean of estimated − true, in percentage points of the counterfactual) of the
lift and the lasting change; coverage of their 95 % intervals; the share of each verdict and of the
correct one (none → "no detectable effect", spike → "spike only", step and build → "lasting change");
the median half-life for spikes; the median seconds per analysis. With ``--causalimpact N``, and when
``pycausalimpact`` imports, the same figures for its estimates on the first N series of each scenario
(its default model: local level with the controls, fitted on the log1p series; the effect relative
to the expected count in each window, from the sums of its 1,000 simulated post-period paths taken
back to counts, as its own cumulative intervals are; its verdict by Lyssna's rule on those two
intervals; campaign window and lasting window fitted separately, one post-period at a time).

The noise model (ARMA(p, 1) instead of AR(p)) and the AR bias correction were chosen on seed 11;
the figures are reported with seed 1. pycausalimpact 0.1.1 (the last release) does not run with
pandas 3 / statsmodels 0.15 (``Unknown keyword arguments: ['alpha']``): the comparison then reports
the error instead of figures. It runs with pandas 2.2 / statsmodels 0.14 (numpy 2.4.6 as pinned), in
a side environment::

    python3 -m venv /tmp/ci/venv
    /tmp/ci/venv/bin/pip install -e . numpy==2.4.6 pandas==2.2.3 statsmodels==0.14.6 pycausalimpact==0.1.1
    /tmp/ci/venv/bin/python -m bench.impact_sim --series 40 --causalimpact 20   # about 5 minutes
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from lyssna.analytics.impact import analyse_impact

__all__ = ["SCENARIOS", "Series", "simulate", "measure", "render", "main"]

DAYS = 365
START = 280
CAMPAIGN = 14
AFTER_WEEKS = 4
HALF_LIFE = 3.0
FIRST_DAY = date(2025, 1, 6)

SCENARIOS: tuple[tuple[str, str, float], ...] = (
    ("none", "none", 0.0),
    ("spike +30 %", "spike", 0.3),
    ("spike +100 %", "spike", 1.0),
    ("step +30 %", "step", 0.3),
    ("step +100 %", "step", 1.0),
    ("build +30 %", "build", 0.3),
    ("build +100 %", "build", 1.0),
)
EXPECTED = {"none": "no detectable effect", "spike": "spike only", "step": "lasting change",
            "build": "lasting change"}


@dataclass(frozen=True)
class Series:
    dates: list[date]
    treated: np.ndarray
    controls: dict[str, np.ndarray]
    start: date
    end: date
    true_lift_pct: float
    true_lasting_pct: float


def _effect(shape: str, size: float) -> np.ndarray:
    t = np.arange(DAYS) - START
    e = np.zeros(DAYS)
    if shape == "spike":
        after = t - (CAMPAIGN - 1)
        e = np.where(t < 0, 0.0, np.where(after <= 0, size, size * 2.0 ** (-after / HALF_LIFE)))
    elif shape == "step":
        e = np.where(t >= 0, size, 0.0)
    elif shape == "build":
        e = np.clip((t + 1) / (CAMPAIGN + 14), 0.0, 1.0) * size
    return e


def _ar1(rng: np.random.Generator, phi: float, sd: float, n: int) -> np.ndarray:
    x = np.empty(n)
    x[0] = rng.normal(0, sd)
    eps = rng.normal(0, sd * math.sqrt(1 - phi * phi), n)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + eps[i]
    return x


def _log_mean(rng: np.random.Generator, market: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """log of the expected count of one series without the campaign."""
    base = rng.uniform(math.log(20), math.log(500))
    season = rng.normal(0, 0.08, 7)
    season[5:] += np.log(rng.uniform(0.55, 0.85, 2))
    trend = rng.uniform(-0.3, 0.3) * np.arange(DAYS) / 365
    loading = rng.uniform(0.7, 1.3)
    return base + season[weekday] + trend + loading * market + _ar1(rng, 0.5, 0.05, DAYS)


def _counts(rng: np.random.Generator, log_mu: np.ndarray, effect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(counts, μ): negative-binomial counts around exp(log_mu)·(1+effect), outliers included in μ."""
    mu = np.exp(log_mu) * np.where(rng.random(DAYS) < 0.01, rng.uniform(2, 5, DAYS), 1.0)
    shape = rng.uniform(8, 40)
    lam = mu * (1 + effect) * rng.gamma(shape, 1 / shape, DAYS)
    return rng.poisson(lam).astype(float), mu


def simulate(rng: np.random.Generator, shape: str, size: float) -> Series:
    """One synthetic topic with 0–2 control series and a planted effect (see the module docstring)."""
    dates = [FIRST_DAY + timedelta(days=i) for i in range(DAYS)]
    weekday = np.array([d.weekday() for d in dates])
    market = _ar1(rng, rng.uniform(0.8, 0.95), rng.uniform(0.06, 0.15), DAYS)
    effect = _effect(shape, size)
    treated, mu = _counts(rng, _log_mean(rng, market, weekday), effect)
    controls = {f"control{k}": _counts(rng, _log_mean(rng, market, weekday), np.zeros(DAYS))[0]
                for k in range(int(rng.integers(0, 3)))}
    campaign = slice(START, START + CAMPAIGN)
    stop = START + CAMPAIGN + 7 * AFTER_WEEKS
    lasting = slice(stop - 14, stop)

    def truth(w: slice) -> float:
        return 100.0 * float((mu[w] * effect[w]).sum() / mu[w].sum())

    return Series(dates, treated, controls, dates[START], dates[START + CAMPAIGN - 1],
                  truth(campaign), truth(lasting))


def _causalimpact_available() -> bool:
    try:
        import causalimpact  # noqa: F401
    except Exception:  # noqa: BLE001 — any failure to import means: skip the comparison
        return False
    return True


def _verdict(lift: tuple[float, float, float], lasting: tuple[float, float, float]) -> str:
    """Lyssna's verdict rule (``impact._verdict``) applied to two (estimate, lower, upper) intervals."""
    def sign(e: tuple[float, float, float]) -> int:  # +1 / −1 when the interval excludes 0, else 0
        return 1 if e[1] > 0 else -1 if e[2] < 0 else 0

    if sign(lasting) and sign(lift) != -sign(lasting):
        return "lasting change"
    return "spike only" if sign(lift) else "no detectable effect"


def _causalimpact(s: Series) -> tuple[tuple[float, float, float], tuple[float, float, float]] | None:
    """pycausalimpact's relative effect (%, lower, upper) on the campaign and on the lasting window."""
    from functools import partialmethod
    from unittest import mock

    import pandas as pd
    from causalimpact import CausalImpact
    from statsmodels.tsa.statespace.mlemodel import MLEModel

    if not hasattr(pd.DataFrame, "applymap"):  # pycausalimpact 0.1.1 predates pandas 3
        pd.DataFrame.applymap = pd.DataFrame.map

    # Integer column labels, the response first: pycausalimpact 0.1.1 indexes Series by position.
    columns = [np.log1p(s.treated)] + [np.log1p(v) for v in s.controls.values()]
    if len(columns) == 1:  # its model wants at least one column besides the response
        columns.append(np.random.default_rng(0).normal(0, 1e-3, DAYS))
    frame = pd.DataFrame(dict(enumerate(columns)), index=pd.DatetimeIndex(s.dates))
    stop = START + CAMPAIGN + 7 * AFTER_WEEKS
    out = []
    for first, last in ((START, START + CAMPAIGN - 1), (stop - 14, stop - 1)):
        data = pd.concat([frame.iloc[:START], frame.iloc[first:last + 1]])
        pre = [data.index[0], data.index[START - 1]]
        post = [data.index[START], data.index[-1]]
        # Seeded: it draws the paths' initial states from numpy's global generator, and statsmodels
        # (≥ 0.14) their noise from a fresh unseeded one unless ``simulate`` is given a generator.
        np.random.seed(0)
        seeded = partialmethod(MLEModel.simulate, random_state=np.random.default_rng(0))
        with warnings.catch_warnings(), mock.patch.object(MLEModel, "simulate", seeded):
            warnings.simplefilter("ignore")
            ci = CausalImpact(data, pre, post)
        # Back to counts from its simulated log1p paths of the window (1,000, from the fitted model):
        # their sums give the expected count (the mean, not expm1 of the log-scale mean, which is
        # biased low) and the interval of the window's total. Summing the daily 95 % bands of
        # ``ci.inferences`` instead would treat the days' errors as perfectly correlated (intervals
        # about 3 times too wide here); its own cumulative intervals are built from these paths too.
        y = np.expm1(data.iloc[START:, 0].to_numpy()).sum()
        sims = np.expm1(ci.simulated_y).sum(axis=1)
        q_lo, q_hi = np.percentile(sims, [2.5, 97.5])
        out.append((100 * (y / sims.mean() - 1), 100 * (y / q_hi - 1), 100 * (y / q_lo - 1)))
    return out[0], out[1]


def _scenario(name: str, shape: str, size: float, n: int, rng: np.random.Generator, ci_n: int) -> dict:
    lift_err, last_err, lift_cov, last_cov, secs, halves = [], [], [], [], [], []
    verdicts: dict[str, int] = {}
    ci_rows: list[tuple] = []
    errors: list[str] = []
    for i in range(n):
        s = simulate(rng, shape, size)
        t0 = time.perf_counter()
        r = analyse_impact(s.dates, s.treated, s.start, s.end, controls=s.controls,
                           after_weeks=AFTER_WEEKS, seed=i)
        secs.append(time.perf_counter() - t0)
        lift, lasting = r.campaign.relative_pct, r.lasting.relative_pct if r.lasting else None
        assert lift is not None and lasting is not None
        lift_err.append(lift.value - s.true_lift_pct)
        last_err.append(lasting.value - s.true_lasting_pct)
        lift_cov.append(lift.lower <= s.true_lift_pct <= lift.upper)
        last_cov.append(lasting.lower <= s.true_lasting_pct <= lasting.upper)
        verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
        if r.half_life_days is not None:
            halves.append(r.half_life_days.value)
        if i < ci_n and not errors:
            t0 = time.perf_counter()
            try:
                got = _causalimpact(s)
            except Exception as exc:  # noqa: BLE001 — a failing comparison is reported, not fatal
                errors.append(f"{type(exc).__name__}: {exc}")
                got = None
            if got is not None:
                (lp, ll, lh), (tp, tl, th) = got
                ci_rows.append((lp - s.true_lift_pct, tp - s.true_lasting_pct,
                                ll <= s.true_lift_pct <= lh, tl <= s.true_lasting_pct <= th,
                                _verdict(*got), time.perf_counter() - t0))
    row = {
        "scenario": name, "shape": shape, "size_pct": 100 * size, "series": n,
        "lift_bias_pp": statistics.fmean(lift_err), "lift_mae_pp": statistics.fmean(map(abs, lift_err)),
        "lasting_bias_pp": statistics.fmean(last_err),
        "lasting_mae_pp": statistics.fmean(map(abs, last_err)),
        "lift_coverage": statistics.fmean(lift_cov), "lasting_coverage": statistics.fmean(last_cov),
        "verdicts": verdicts, "correct_verdict": verdicts.get(EXPECTED[shape], 0) / n,
        "half_life_median": statistics.median(halves) if halves else None,
        "half_life_share": len(halves) / n,
        "seconds_median": statistics.median(secs),
    }
    if errors:
        row["causalimpact_error"] = errors[0]
    if ci_rows:
        ci_verdicts: dict[str, int] = {}
        for r in ci_rows:
            ci_verdicts[r[4]] = ci_verdicts.get(r[4], 0) + 1
        row["causalimpact"] = {
            "series": len(ci_rows),
            "lift_bias_pp": statistics.fmean(r[0] for r in ci_rows),
            "lift_mae_pp": statistics.fmean(abs(r[0]) for r in ci_rows),
            "lasting_bias_pp": statistics.fmean(r[1] for r in ci_rows),
            "lasting_mae_pp": statistics.fmean(abs(r[1]) for r in ci_rows),
            "lift_coverage": statistics.fmean(r[2] for r in ci_rows),
            "lasting_coverage": statistics.fmean(r[3] for r in ci_rows),
            "verdicts": ci_verdicts, "correct_verdict": ci_verdicts.get(EXPECTED[shape], 0) / len(ci_rows),
            "seconds_median": statistics.median(r[5] for r in ci_rows),  # both windows' fits
        }
    return row


def measure(n_series: int = 200, seed: int = 1, causalimpact: int = 0,
            scenarios: tuple[tuple[str, str, float], ...] = SCENARIOS) -> dict:
    """Run each scenario on ``n_series`` simulated series; figures as described in the docstring.

    The first scenario should be the no-effect one: ``false_verdict_rate`` is read from it.
    """
    ci_n = causalimpact if causalimpact and _causalimpact_available() else 0
    rng = np.random.default_rng(seed)
    rows = [_scenario(name, shape, size, n_series, rng, ci_n) for name, shape, size in scenarios]
    none = rows[0]
    return {
        "seed": seed, "series_per_scenario": n_series, "days": DAYS, "campaign_days": CAMPAIGN,
        "after_weeks": AFTER_WEEKS, "spike_half_life": HALF_LIFE,
        "false_verdict_rate": 1 - none["correct_verdict"],
        "causalimpact": ("compared on %d series per scenario" % ci_n) if ci_n else
        ("not requested" if not causalimpact else "pycausalimpact not importable: skipped"),
        "scenarios": rows,
    }


def render(result: dict) -> str:
    """The table of :func:`measure`'s figures."""
    lines = [
        f"impact simulation: {result['series_per_scenario']} series per scenario, seed {result['seed']}, "
        f"{result['days']} days, campaign {result['campaign_days']} d, after {result['after_weeks']} w",
        f"{'scenario':<14}{'lift bias':>10}{'lift MAE':>9}{'lift cov':>9}{'last bias':>10}"
        f"{'last MAE':>9}{'last cov':>9}{'correct':>8}{'half-life':>10}{'s/run':>8}",
    ]
    for r in result["scenarios"]:
        hl = f"{r['half_life_median']:.1f}" if r["half_life_median"] is not None else "–"
        lines.append(
            f"{r['scenario']:<14}{r['lift_bias_pp']:>+9.1f}p{r['lift_mae_pp']:>8.1f}p"
            f"{100 * r['lift_coverage']:>8.0f}%{r['lasting_bias_pp']:>+9.1f}p{r['lasting_mae_pp']:>8.1f}p"
            f"{100 * r['lasting_coverage']:>8.0f}%{100 * r['correct_verdict']:>7.0f}%{hl:>10}"
            f"{r['seconds_median']:>8.3f}"
        )
    lines.append(f"false verdicts on no-effect series: {100 * result['false_verdict_rate']:.1f} %  "
                 f"(p = percentage points of the counterfactual; cov = 95 % interval coverage)")
    lines.append("verdicts: " + "; ".join(
        f"{r['scenario']}: " + ", ".join(f"{k} {v}" for k, v in sorted(r["verdicts"].items()))
        for r in result["scenarios"]))
    lines.append(f"causalimpact: {result['causalimpact']}")
    for r in result["scenarios"]:
        if "causalimpact_error" in r:
            lines.append(f"  {r['scenario']:<14} pycausalimpact failed: {r['causalimpact_error'][:100]}")
        c = r.get("causalimpact")
        if c:
            lines.append(
                f"  {r['scenario']:<14} pycausalimpact ({c['series']} series): lift bias "
                f"{c['lift_bias_pp']:+.1f}p MAE {c['lift_mae_pp']:.1f}p cov {100 * c['lift_coverage']:.0f}%, "
                f"lasting bias {c['lasting_bias_pp']:+.1f}p MAE {c['lasting_mae_pp']:.1f}p "
                f"cov {100 * c['lasting_coverage']:.0f}%, correct "
                f"{100 * c['correct_verdict']:.0f}%, {c['seconds_median']:.2f} s/run; verdicts: "
                + ", ".join(f"{k} {v}" for k, v in sorted(c["verdicts"].items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=200, help="series per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--causalimpact", type=int, default=0, metavar="N",
                        help="also run pycausalimpact on the first N series of each scenario")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.series, args.seed, args.causalimpact)
    sys.stdout.write((json.dumps(result, indent=2) if args.json else render(result)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
