"""Campaign impact (lyssna.analytics.impact): verdicts on planted effects, controls, errors, KPIs, coverage."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from bench.impact_sim import SCENARIOS, measure, render, simulate
from lyssna.analytics.impact import ImpactError, analyse_impact
from lyssna.errors import LyssnaError

DAYS = 322
START = 280
END = 293
FIRST = date(2025, 1, 6)
DATES = [FIRST + timedelta(days=i) for i in range(DAYS)]


def mentions(seed: int, effect: np.ndarray | None = None, market: np.ndarray | None = None,
             level: float = 120.0, dispersion: float = 20.0) -> np.ndarray:
    """Negative-binomial daily counts with weekly seasonality and a planted multiplicative effect."""
    rng = np.random.default_rng(seed)
    weekday = np.array([d.weekday() for d in DATES])
    mu = level * np.where(weekday >= 5, 0.7, 1.0) * np.exp(0.1 * np.arange(DAYS) / 365)
    if market is not None:
        mu = mu * market
    if effect is not None:
        mu = mu * (1 + effect)
    return rng.poisson(mu * rng.gamma(dispersion, 1 / dispersion, DAYS)).astype(float)


def shape(kind: str, size: float, half_life: float = 5.0) -> np.ndarray:
    t = np.arange(DAYS)
    if kind == "spike":
        return np.where(t < START, 0.0, np.where(t <= END, size, size * 2.0 ** (-(t - END) / half_life)))
    return np.where(t >= START, size, 0.0)


def test_planted_spike_is_a_spike_only_and_the_interval_covers_the_truth():
    effect = shape("spike", 1.5, half_life=5.0)
    report = analyse_impact(DATES, mentions(1, effect), DATES[START], DATES[END], seed=0)
    assert report.verdict == "spike only"
    lift = report.campaign.relative_pct
    assert lift is not None and lift.lower <= 150.0 <= lift.upper
    assert report.campaign.p_value < 0.01
    half_life = report.half_life_days
    assert half_life is not None and half_life.lower <= 5.0 <= half_life.upper
    assert "spike only" in report.explanation and "%" in report.explanation
    assert report.peak_day <= DATES[END + 3]


def test_planted_step_is_a_lasting_change():
    report = analyse_impact(DATES, mentions(2, shape("step", 0.8)), DATES[START], DATES[END], seed=0)
    assert report.verdict == "lasting change"
    assert report.lasting is not None and report.lasting.relative_pct is not None
    assert report.lasting.relative_pct.lower <= 80.0 <= report.lasting.relative_pct.upper
    assert report.explanation.endswith("a lasting change.")


def test_no_effect_is_no_detectable_effect():
    report = analyse_impact(DATES, mentions(3), DATES[START], DATES[END], seed=0)
    assert report.verdict == "no detectable effect"
    assert report.campaign.absolute.lower <= 0 <= report.campaign.absolute.upper
    assert report.half_life_days is None


def test_controls_absorb_a_market_wide_surge():
    # A market-wide surge (x2.5 during the campaign) in the topic and in the market. The control helps
    # as far as its day-to-day movement is shared with the topic (noisy controls are attenuated).
    surge = 1 + np.where((np.arange(DAYS) >= START) & (np.arange(DAYS) <= END), 1.5, 0.0)
    market = surge * np.exp(np.sin(np.arange(DAYS) / 9.0) * 0.3)
    treated = mentions(4, market=market, dispersion=100.0)
    control = mentions(5, market=market, level=20000.0, dispersion=2000.0)  # a broad market: little noise
    alone = analyse_impact(DATES, treated, DATES[START], DATES[END], seed=0)
    assert alone.verdict != "no detectable effect"  # without the control the surge looks like an effect
    report = analyse_impact(DATES, treated, DATES[START], DATES[END], controls={"market": control}, seed=0)
    assert report.verdict == "no detectable effect"
    assert report.campaign.relative_pct is not None and abs(report.campaign.relative_pct.value) < 20


def test_too_short_a_pre_period_is_a_clear_error():
    with pytest.raises(ImpactError, match="at least 28") as info:
        analyse_impact(DATES, mentions(6), DATES[20], DATES[30])
    assert isinstance(info.value, LyssnaError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", ["gap", "length", "outside", "control"])
def test_malformed_input_is_refused(bad: str):
    dates, y, controls, end = list(DATES), mentions(7), None, DATES[END]
    if bad == "gap":
        dates[100] = dates[100] + timedelta(days=1)
    elif bad == "length":
        y = y[:-1]
    elif bad == "outside":
        end = DATES[-1] + timedelta(days=3)
    else:
        controls = {"short": y[:10]}
    with pytest.raises(ImpactError):
        analyse_impact(dates, y, DATES[START], end, controls=controls)


def test_a_rate_kpi_is_modelled_in_its_own_units():
    rng = np.random.default_rng(12)
    base = 0.1 + 0.03 * rng.standard_normal(DAYS)
    lifted = base + np.where(np.arange(DAYS) >= START, 0.08, 0.0)
    lifted[50] = np.nan  # a day without posts has no net sentiment
    report = analyse_impact(DATES, lifted, DATES[START], DATES[END], kpi="net_sentiment", seed=0)
    assert report.transform == "none"
    assert report.campaign.absolute.lower <= 0.08 <= report.campaign.absolute.upper
    assert report.verdict == "lasting change"
    assert report.explanation.startswith("Net sentiment rose")
    flat = analyse_impact(DATES, base, DATES[START], DATES[END], kpi="net_sentiment", seed=0)
    assert flat.verdict == "no detectable effect"


def test_deterministic_for_a_seed_and_json_ready():
    y = mentions(9, shape("spike", 0.5))
    a = analyse_impact(DATES, y, DATES[START], DATES[END], seed=3)
    b = analyse_impact(DATES, y, DATES[START], DATES[END], seed=3)
    assert a == b
    data = json.loads(json.dumps(a.to_dict()))
    assert data["verdict"] == a.verdict and data["campaign"]["start"] == DATES[START].isoformat()
    periods = [d.period for d in a.days]
    assert periods.count("campaign") == END - START + 1 and periods.count("after") == 28
    last = a.days[-1]
    assert last.cumulative == pytest.approx(a.cumulative.value, rel=1e-6)


def test_a_campaign_still_running_is_too_early_to_tell():
    y = mentions(10, shape("step", 1.0))[: END + 3]
    report = analyse_impact(DATES[: END + 3], y, DATES[START], DATES[END], seed=0)
    assert report.lasting is None and report.verdict == "too early to tell"


def test_lift_interval_coverage_on_a_small_simulation():
    # 40 series per scenario, seed 5 (fixed, so deterministic). Observed when written: lift coverage
    # 0.825 / 0.925 / 0.875 (none, spike +100 %, step +100 %), false verdicts 0.275 — an unlucky seed
    # for 40 series; with 200 series (bench, seed 1) coverage is 0.92–0.95 and false verdicts 0.12.
    result = measure(n_series=40, seed=5, scenarios=(SCENARIOS[0], SCENARIOS[2], SCENARIOS[4]))
    assert 0.0 <= result["false_verdict_rate"] <= 0.35
    for row in result["scenarios"]:
        assert 0.75 <= row["lift_coverage"] <= 1.0, row
        assert row["scenario"] == "none" or row["correct_verdict"] >= 0.8, row
    text = render(result)
    assert "false verdicts" in text


def test_simulated_series_have_the_planted_truth():
    s = simulate(np.random.default_rng(0), "step", 1.0)
    assert s.true_lift_pct == pytest.approx(100.0) and s.true_lasting_pct == pytest.approx(100.0)


# -- review fixes: flat series, wording, windows without data, unfinished analyses ------------------


def _strict(**kw):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return analyse_impact(DATES, kw.pop("y"), DATES[START], DATES[END], seed=0, **kw)


@pytest.mark.parametrize("value", [0.0, 5.0, 120.0])
def test_a_constant_count_series_gets_a_noise_floor_not_a_confident_verdict(value):
    report = _strict(y=np.full(DAYS, value))
    assert report.verdict == "no detectable effect", report.explanation
    assert report.campaign.absolute.upper - report.campaign.absolute.lower > 0.1 * max(1.0, value ** 0.5)
    assert "e-1" not in report.explanation


def test_a_new_topic_that_appears_with_the_campaign_is_a_spike():
    y = np.zeros(DAYS)
    y[START:END + 1] = 30.0
    y[END + 1:END + 4] = [10.0, 3.0, 1.0]
    report = _strict(y=y)
    assert report.verdict == "spike only", report.explanation


def test_a_rate_without_any_variation_before_the_campaign_is_an_error():
    with pytest.raises(ImpactError, match="nothing to build a counterfactual on"):
        analyse_impact(DATES, np.zeros(DAYS), DATES[START], DATES[END], kpi="net_sentiment")


def test_a_fall_is_worded_with_its_interval_in_magnitudes():
    rng = np.random.default_rng(4)
    y = rng.normal(0.3, 0.05, DAYS) - np.where(np.arange(DAYS) >= START, 0.2, 0.0)
    report = _strict(y=y, kpi="net_sentiment")
    assert report.verdict == "lasting change"
    assert "below" in report.explanation and "−" not in report.explanation, report.explanation


def test_a_spike_followed_by_a_fall_the_other_way_says_so():
    t = np.arange(DAYS)
    effect = np.where((t >= START) & (t <= END), 1.5, np.where(t > END, -0.55, 0.0))
    report = analyse_impact(DATES, mentions(1, effect), DATES[START], DATES[END], seed=0)
    assert report.verdict == "spike only"
    assert "and then fell below the expected level" in report.explanation, report.explanation
    assert "fell back" not in report.explanation


def test_a_window_without_data_is_no_data_not_zero():
    rng = np.random.default_rng(2)
    y = rng.normal(0.1, 0.05, DAYS)
    y[START:END + 1] += 0.3
    y[DAYS - 14:] = np.nan  # no posts in the lasting window
    report = _strict(y=y, kpi="net_sentiment")
    assert report.lasting is not None and report.lasting.absolute is None and report.lasting.observed is None
    assert report.verdict != "lasting change"
    assert "no data" in report.explanation
    data = json.dumps(report.to_dict(), allow_nan=False)
    assert json.loads(data)["lasting"]["absolute"] is None
    y[START:END + 1] = np.nan
    quiet = _strict(y=y, kpi="net_sentiment")
    assert quiet.campaign.absolute is None and quiet.verdict == "no detectable effect"
    assert "no value during the campaign" in quiet.explanation


def test_a_campaign_still_running_is_too_early_to_tell_and_after_weeks_0_says_why():
    y = mentions(7)
    running = analyse_impact(DATES[:START + 10], y[:START + 10], DATES[START], DATES[START + 9], seed=0,
                             planned_end=DATES[END])
    assert running.verdict == "too early to tell"
    assert f"runs until {DATES[END]}" in running.explanation
    spike = analyse_impact(DATES, mentions(1, shape("spike", 1.5)), DATES[START], DATES[END], seed=0,
                           after_weeks=0)
    assert spike.verdict == "too early to tell"
    assert "data ends too soon" not in spike.explanation
    assert "no after-period was asked for" in spike.explanation


def test_the_fitted_band_follows_the_level():
    y = mentions(3)
    wide = analyse_impact(DATES, y, DATES[START], DATES[END], seed=0, level=0.95)
    narrow = analyse_impact(DATES, y, DATES[START], DATES[END], seed=0, level=0.6)
    w = np.mean([d.upper - d.lower for d in wide.days if d.period == "pre"])
    n = np.mean([d.upper - d.lower for d in narrow.days if d.period == "pre"])
    assert n < 0.7 * w
