"""Themes: planted themes come back with readable labels, ids persist week by week, edge cases, and the
sizes add up."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from lyssna.themes import Theme, choose_k, find_themes, fit_themes, term_key, track_themes

PLANTED = {
    "elbil": ["elbilar", "laddstolpar", "räckvidd", "batteriet", "snabbladdare", "elbilspremien", "tesla"],
    "tåg": ["pendeltåg", "förseningar", "signalfel", "kollektivtrafiken", "tunnelbanan", "ersättningsbussar"],
    "housing": ["housing prices", "mortgage rates", "rent control", "first home", "landlords", "interest rates"],
    "support": ["customer service", "refund request", "delivery delay", "order status", "account access"],
    "klimat": ["klimatpolitik", "utsläppen", "koldioxidskatt", "klimatmålen", "fossila bränslen", "vindkraft"],
}
NOISE = ["idag", "helgen", "kaffe", "jobbet", "sverige", "news", "video", "weekend"]


def corpus(n: int, seed: int, themes: list[str]) -> tuple[list[list[str]], list[str]]:
    rnd = random.Random(seed)
    docs, truth = [], []
    for i in range(n):
        name = themes[i % len(themes)]
        phrases = rnd.sample(PLANTED[name], 3)
        if rnd.random() < 0.5:
            phrases.append(rnd.choice(NOISE))
        docs.append(phrases)
        truth.append(name)
    return docs, truth


def majority(theme: Theme, truth: list[str]) -> tuple[str, float]:
    name, count = Counter(truth[m] for m in theme.members).most_common(1)[0]
    return name, count / theme.size


def label_words(theme: Theme) -> set[str]:
    return set(theme.label.replace(" · ", " ").split())


def test_planted_themes_are_recovered_with_readable_labels():
    names = ["elbil", "tåg", "housing", "support"]
    docs, truth = corpus(400, 1, names)
    themes = find_themes(docs, k=4)
    assert len(themes) == 4
    assert [t.id for t in themes] == ["t1", "t2", "t3", "t4"]
    found = {}
    for theme in themes:
        name, purity = majority(theme, truth)
        assert purity >= 0.95
        found[name] = theme
        planted_words = {w for p in PLANTED[name] for w in p.split()}
        assert label_words(theme) <= planted_words, theme.label  # noise never labels a theme
        assert 2 <= len(theme.label.split(" · ")) <= 3
        assert len(theme.terms) == 10 and all(w > 0 for _, w in theme.terms)
    assert set(found) == set(names)
    assert sum(t.size for t in themes) == 400 and abs(sum(t.share for t in themes) - 1) < 1e-9


def test_texts_are_run_through_the_phrase_extractor():
    rnd = random.Random(3)
    sv = ["Förseningar på pendeltåget igen, signalfel vid Odenplan", "Tunnelbanan står still, signalfel igen",
          "Pendeltåget inställt, ersättningsbussar från Odenplan"]
    en = ["Mortgage rates are up again, housing prices will fall", "Housing prices in Toronto and mortgage rates",
          "Rent control will not fix housing prices"]
    docs = [rnd.choice(sv) for _ in range(60)] + [rnd.choice(en) for _ in range(60)]
    themes = find_themes(docs, k=2)
    assert len(themes) == 2
    members = [set(t.members) for t in themes]
    assert set(range(60)) in members and set(range(60, 120)) in members
    labels = " ".join(t.label for t in themes)
    assert "housing prices" in labels and ("signalfel" in labels or "pendeltåget" in labels)


def test_the_same_themes_keep_their_ids_week_by_week():
    names = ["elbil", "tåg", "housing", "support"]
    weeks = [(f"2026-W{w:02d}", corpus(300, w, names)) for w in range(1, 5)]
    tracked = track_themes([(label, docs) for label, (docs, _) in weeks], k=4)
    assert [p.period for p in tracked] == [label for label, _ in weeks]
    assert tracked[0].new == ("t1", "t2", "t3", "t4")
    id_of: dict[str, str] = {}
    for period, (label, (docs, truth)) in zip(tracked, weeks):
        assert period.posts == 300
        assert {t.id for t in period.themes} == {"t1", "t2", "t3", "t4"}
        for theme in period.themes:
            name, purity = majority(theme, truth)
            assert purity >= 0.95
            assert id_of.setdefault(name, theme.id) == theme.id  # the same theme, the same id
    for period in tracked[1:]:
        assert period.new == () and period.ended == ()


def test_a_new_theme_gets_a_new_id_and_the_old_one_ends():
    weeks = [("w1", corpus(300, 1, ["elbil", "tåg", "housing", "support"])[0]),
             ("w2", corpus(300, 2, ["elbil", "tåg", "housing", "support"])[0]),
             ("w3", corpus(300, 3, ["elbil", "tåg", "housing", "klimat"])[0])]
    tracked = track_themes(weeks, k=4)
    before = {t.label.split(" · ")[0]: t.id for t in tracked[1].themes}
    support_id = next(t.id for t in tracked[1].themes if label_words(t) & {"customer", "refund", "delivery",
                                                                            "order", "account", "service"})
    assert tracked[2].new == ("t5",) and tracked[2].ended == (support_id,)
    klimat = next(t for t in tracked[2].themes if t.id == "t5")
    assert label_words(klimat) <= {w for p in PLANTED["klimat"] for w in p.split()}
    assert {t.id for t in tracked[2].themes} == (set(before.values()) - {support_id}) | {"t5"}


def test_k_is_chosen_sanely():
    assert [choose_k(n) for n in (2, 100, 1_000, 10_000, 100_000, 10_000_000)] == [3, 4, 7, 10, 14, 15]
    docs, _ = corpus(400, 5, ["elbil", "tåg", "housing", "support", "klimat"])
    themes = find_themes(docs)
    assert 3 <= len(themes) <= 15
    assert sum(t.size for t in themes) == 400


def test_edge_cases():
    assert find_themes([]) == []
    assert find_themes([[], [], ""]) == []
    assert find_themes([["unik"], ["ensam"], ["egen"]]) == []  # nothing is shared
    few = find_themes([["elbilar", "laddstolpar"], ["elbilar", "räckvidd"], ["laddstolpar", "räckvidd"]], k=10)
    assert 1 <= len(few) <= 3 and sum(t.size for t in few) == 3
    same = find_themes([["elbilar", "laddstolpar i norrland"]] * 50)
    assert len(same) == 1 and same[0].size == 50 and same[0].members == tuple(range(50))
    assert "elbilar" in same[0].label


def test_deterministic_for_a_seed():
    docs, _ = corpus(300, 7, ["elbil", "tåg", "housing"])
    assert find_themes(docs, seed=3) == find_themes(docs, seed=3)


def test_a_sample_is_fitted_and_the_rest_assigned():
    names = ["elbil", "tåg", "housing", "support"]
    docs, truth = corpus(2_000, 11, names)
    fit = fit_themes(docs, k=4, max_fit_docs=400)
    assert sum(t.size for t in fit.themes) == 2_000 and fit.unassigned == 0
    for theme in fit.themes:
        assert majority(theme, truth)[1] >= 0.95
    assert sorted(m for t in fit.themes for m in t.members) == list(range(2_000))


def test_term_keys_group_inflections_without_mangling():
    assert term_key("elbilar") == term_key("elbilarna") == term_key("elbilarnas") == "elbil"
    assert term_key("regeringen") == term_key("regeringens") == "regering"
    assert term_key("stockholm") == term_key("stockholms")
    assert term_key("laddstolpar i norrland") == "laddstolp i norrland"
    assert term_key("bilar") != term_key("bil") and term_key("vatten") == "vatten"
    assert term_key("housing prices") == "housing price" and term_key("business") == "business"


def test_labels_show_the_commonest_surface_form():
    docs = [["elbilarna", "laddstolpar"]] * 6 + [["elbilar", "laddstolpar"]] * 2 + [["tåget", "signalfel"]] * 8
    themes = find_themes(docs, k=2)
    words = {w for t in themes for w in label_words(t)}
    assert "elbilarna" in words and "elbilar" not in words


phrase = st.lists(st.sampled_from(["elbil", "laddstolpe", "tåg", "signalfel", "rent", "housing", "klimat", "x y"]),
                  min_size=1, max_size=3).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(phrase, max_size=4), max_size=40), st.one_of(st.none(), st.integers(1, 6)),
       st.integers(0, 3))
def test_sizes_add_up(docs, k, seed):
    fit = fit_themes(docs, k=k, seed=seed)
    nonempty = sum(1 for d in docs if any(p.strip() for p in d))
    assert sum(t.size for t in fit.themes) + fit.unassigned == nonempty
    members = [m for t in fit.themes for m in t.members]
    assert len(members) == len(set(members)) and all(docs[m] for m in members)
    assert all(t.size == len(t.members) > 0 and 0 < t.share <= 1 for t in fit.themes)
    assert [t.size for t in fit.themes] == sorted((t.size for t in fit.themes), reverse=True)
    if k is not None:
        assert len(fit.themes) <= k
