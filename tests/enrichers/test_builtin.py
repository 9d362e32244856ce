"""The built-in enrichers run at import, registered like a third party's, and their columns are stored."""

from __future__ import annotations

import lyssna
from lyssna.enrichers.builtin import ENRICHERS, EntitiesEnricher
from lyssna.plugins import registry
from lyssna.query.analysis import MatchInput

from ..helpers import FIXTURES


def test_builtins_are_registered_like_plugins():
    assert {type(e) for e in registry.enrichers()} >= set(ENRICHERS)


def test_an_import_enriches_every_post(tmp_path):
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([FIXTURES / "twitter_v1"])
        first = project.post("twitter:9001")
        enriched = project.store.enrichments_of(first.key)
        assert enriched["hashtags"] == ["strömavbrott"] and enriched["mentions"] == ["NorrskenEnergi"]
        assert enriched["lang"] == "sv" and 0 < enriched["lang_score"] <= 1
        link = project.store.enrichments_of(project.post("twitter:9005").key)
        assert link["domains"] == ["example.se"]
        assert project.enrich().posts == 0  # nothing left


def test_a_pathological_run_without_spaces_is_bounded():
    text = "a." * 4000 + " #klimat"
    got = EntitiesEnricher().enrich([MatchInput(1, None, "web", text)], {})
    assert got["hashtags"] == [["klimat"]] and got["urls"] == [[]]
