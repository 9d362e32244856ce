"""Themes over a project's posts: the Python API and `lyssna themes`, copies counted once, week by week."""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta, timezone

import lyssna

from .test_cli import run

THEMES = {
    "elpris": ["elpriset", "elräkningen", "fast elavtal", "rörligt pris", "spotpriset"],
    "tåg": ["pendeltåget", "signalfel", "inställda avgångar", "tågförseningar", "spårfel"],
    "solceller": ["solcellerna", "växelriktaren", "solpaneler", "egen elproduktion", "batterilager"],
}
FILLER = ["idag", "igen", "hemma", "i veckan", "nu", "ikväll", "på jobbet", "i morse"]
CAMPAIGN = "Jag stöder kampanjen Laddstolpar Till Alla, skriv under du också på laddstolpar.se idag"


def _write(path, weeks: int = 3, per_theme: int = 12) -> None:
    rng = random.Random(3)
    start = datetime(2025, 3, 3, 9, tzinfo=timezone.utc)  # a Monday
    rows, n = [], 0
    for week in range(weeks):
        for name, words in THEMES.items():
            for i in range(per_theme):
                a, b = rng.sample(words, 2)
                n += 1
                text = f"{a.capitalize()} {rng.choice(FILLER)} och {b} {n} gånger {rng.choice(FILLER)} #{name}{n}"
                rows.append((f"p{n}", f"user{n % 17}", (start + timedelta(days=7 * week, hours=i)).isoformat(), text))
    for i in range(6):  # a campaign's copies
        rows.append((f"c{i}", f"fan{i}", (start + timedelta(days=1, minutes=i)).isoformat(), CAMPAIGN))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "created_at", "text"])
        w.writerows(rows)


def _label_words(themes) -> set[str]:
    return {word for t in themes for term, _ in t.terms[:5] for word in term.split()}


def test_themes_find_what_was_planted_and_count_copies_once(tmp_path):
    _write(tmp_path / "posts.csv")
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        found = project.themes(k=4)
        words = _label_words(found)
        for planted in ("elpriset", "pendeltåget", "solcellerna"):
            assert any(planted in w or w in planted for w in words), (planted, [t.label for t in found])
        first = project.post("c0").key
        assert all(project.store.enrichments_of(project.post(f"c{i}").key)["dup_of"] == first for i in range(1, 6))
        rows = project.store.phrases_of()
        copies = project.store.con.execute("SELECT count(*) FROM enrichments WHERE dup_of IS NOT NULL").fetchone()[0]
        assert len(rows) - len({group for _, _, group in rows}) == copies >= 5
        assert sum(t.size for t in project.themes(k=4, once_per_copy_group=False)) > sum(t.size for t in found)


def test_a_copy_counts_once_even_when_its_original_is_outside_the_window(tmp_path):
    _write(tmp_path / "posts.csv")
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        # the campaign's first post is at 09:00 on 4 March, its five copies a minute apart after it
        since = datetime(2025, 3, 4, 9, 0, 30, tzinfo=timezone.utc)
        until = datetime(2025, 3, 4, 9, 10, tzinfo=timezone.utc)
        rows = project.store.phrases_of(since=since, until=until)
        assert len(rows) == 5 and len({group for _, _, group in rows}) == 1  # one group: counted once, not 0


def test_themes_week_by_week_keep_their_ids(tmp_path):
    _write(tmp_path / "posts.csv")
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        periods = project.theme_trends(by="week", k=3)
        assert [p.period for p in periods] == ["2025-W10", "2025-W11", "2025-W12"]
        first = {t.id for t in periods[0].themes}
        assert len(first) == 3
        for p in periods[1:]:
            assert {t.id for t in p.themes} == first and not p.new and not p.ended


def test_themes_command(tmp_path):
    _write(tmp_path / "posts.csv")
    assert run(["init"], tmp_path).returncode == 0
    assert run(["import", str(tmp_path / "posts.csv")], tmp_path).returncode == 0
    done = run(["themes", "--k", "3", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    themes = json.loads(done.stdout)
    assert len(themes) == 3 and all(t["label"] and t["posts"] > 0 for t in themes)
    weekly = json.loads(run(["themes", "--by", "week", "--k", "3", "--json"], tmp_path).stdout)
    assert [w["period"] for w in weekly] == ["2025-W10", "2025-W11", "2025-W12"]
    table = run(["themes", "--k", "3"], tmp_path)
    assert table.returncode == 0 and "theme" in table.stdout
