"""`lang:` in a query means the detected language (the platform's tag only where detection cannot tell)."""

from __future__ import annotations

import csv

import lyssna
from lyssna.listening import LANG_MEANING, LANG_MEANING_VERSION

SWEDISH = "Strömavbrottet i hela kvarteret varade i fyra timmar och ingen från elbolaget hörde av sig"
ENGLISH = "The power cut in the whole block lasted four hours and nobody from the utility called us back"


def _write(path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "created_at", "text", "lang"])
        w.writerows(rows)


def test_lang_matches_the_detected_language_not_the_platform_tag(tmp_path):
    _write(tmp_path / "posts.csv", [
        ("1", "a", "2025-06-01T10:00:00+02:00", SWEDISH, "en"),   # tagged wrongly by the platform
        ("2", "b", "2025-06-01T11:00:00+02:00", ENGLISH, ""),     # no tag at all
        ("3", "c", "2025-06-01T12:00:00+02:00", "ok", "sv"),      # too short to tell: the tag counts
    ])
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        assert project.store.enrichments_of(project.post("1").key)["lang"] == "sv"
        assert {p.native_id for p in project.search("lang:sv").posts} == {"1", "3"}
        assert {p.native_id for p in project.search("lang:en").posts} == {"2"}
        topic = project.add_topic("svenska", "lang:sv")
        assert topic.matches == 2
        assert {p.native_id for p in project.topic_matches("svenska")} == {"1", "3"}


def test_saved_topics_using_lang_are_rematched_once(tmp_path):
    _write(tmp_path / "posts.csv", [("1", "a", "2025-06-01T10:00:00+02:00", SWEDISH, "en")])
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        project.add_topic("svenska", "lang:sv")
        project.add_topic("ord", "kvarteret")
        store = project.store
        # as a store from before lang: meant the detected language: matches by the platform's tag
        topic = store.topic("svenska")
        store.replace_matches(topic.id, [])
        store.con.execute("DELETE FROM watermarks WHERE name = ?", [LANG_MEANING])
        versions = len(project.topic_history("svenska"))
        project.listening.catch_up()
        assert [p.native_id for p in project.topic_matches("svenska")] == ["1"]
        assert len(project.topic_history("svenska")) == versions  # no new version of the query
        assert store.watermark(LANG_MEANING) == LANG_MEANING_VERSION
        assert [p.native_id for p in project.topic_matches("ord")] == ["1"]


def test_lang_no_finds_bokmal_and_nynorsk(tmp_path):
    bokmal = "Strømbruddet i hele nabolaget varte i fire timer og ingen fra strømselskapet tok kontakt med oss"
    _write(tmp_path / "posts.csv", [("1", "a", "2025-06-01T10:00:00+02:00", bokmal, ""),
                                    ("2", "b", "2025-06-01T11:00:00+02:00", SWEDISH, "")])
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        assert project.store.enrichments_of(project.post("1").key)["lang"] in ("nb", "nn")
        assert [p.native_id for p in project.search("lang:no").posts] == ["1"]


def test_posts_are_enriched_before_a_search_indexes_them(tmp_path):
    _write(tmp_path / "posts.csv", [("1", "a", "2025-06-01T10:00:00+02:00", SWEDISH, "en")])
    with lyssna.init(tmp_path / "p") as project:
        # imported without the enrichers (as after an interrupted run): the search enriches first
        from lyssna.pipeline import import_paths

        import_paths(project.store, [tmp_path / "posts.csv"])
        assert project.store.enrichments_of(project.post("1").key) == {}
        assert [p.native_id for p in project.search("lang:sv").posts] == ["1"]

