"""The enrichment benchmarks run at a tiny size and give sane figures (speed is measured by running them,
never asserted here)."""

from __future__ import annotations

import pytest

from bench import enrich_speed, entities_eval, phrases

from .helpers import shared_data_dir


def test_enrich_speed_measures_each_enricher_the_chain_memory_and_import():
    r = enrich_speed.measure(300, runs=1)
    assert set(r["alone"]) == {"language", "entities", "sentiment", "phrases", "near_duplicates", "labels"}
    assert all(rate > 0 for rate in r["alone"].values())
    assert 0 < r["chain"] < max(r["alone"].values())  # the chain does what each does alone, and more
    assert r["chain_store"] > 0 and r["memory"]["loaded_mib"] > 0 and r["memory"]["chain_peak_mib"] >= 0
    assert set(r["import"]) == {"store", "project_without_enrichers", "project_with_enrichers"}
    assert "the chain" in enrich_speed.render(r)


def test_phrases_bench_runs():
    r = phrases.measure_enricher(200, runs=1)
    assert r and all(v for v in r.values())
    themes = phrases.measure_themes([500], runs=1)
    assert 500 in themes


def test_entities_eval_counts_the_suite():
    data = shared_data_dir()
    if not (data / "twitter_text_conformance" / "extract.yml").exists():
        pytest.skip("the conformance suite is absent")
    pytest.importorskip("yaml")
    r = entities_eval.measure(data)
    assert sum(n for _, n in r["kinds"].values()) == 238
    assert "238 of 238" in entities_eval.render(r)  # and the figure printed is the one measured
