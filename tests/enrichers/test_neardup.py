"""Near-duplicates: copies, retweets and templated posts grouped under the earliest post; different
posts and short ones never; the same groups in memory and in the store, however the posts are batched,
re-run or re-processed."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lyssna.enrichers.neardup import THRESHOLD, NearDuplicatesEnricher, band_hashes, normalise, signatures
from lyssna.enrichment import Enrichment
from lyssna.query.analysis import MatchInput
from lyssna.testing import make_post, memory_store

PETITION = ("Skriv under uppropet nu! Jag stödjer Förbifart Stockholm och vill att bygget startar i år "
            "@politikerA #upprop https://t.co/abc123")
ORGANIC = "Elpriset är helt galet den här vintern, vi betalar dubbelt så mycket som förra året #elpriset"


def _inputs(texts: list[str], first_key: int = 1) -> list[MatchInput]:
    return [MatchInput(first_key + i, None, "twitter", t) for i, t in enumerate(texts)]


def _enrich(texts: list[str], enricher: NearDuplicatesEnricher | None = None) -> dict[str, list]:
    return (enricher or NearDuplicatesEnricher()).enrich(_inputs(texts), {})


def _similarity(a: str, b: str) -> float:
    sig, ok = signatures([a, b])
    assert ok.all()
    return float((sig[0] == sig[1]).mean())


def test_normalising_drops_retweet_markers_urls_and_punctuation():
    assert normalise("RT @anna_b: Hej,  VÄRLDEN!! https://t.co/x1 @Volvo #Elbil 2024 🙏") == \
        ["hej", "världen", "\x00url", "@volvo", "#elbil", "2024"]
    assert normalise("ﬁne ＦＵＬＬ") == ["fine", "full"]  # NFKC


def test_exact_copies_and_retweets_are_grouped_with_the_original():
    out = _enrich([PETITION, ORGANIC, PETITION, f"RT @anna: {PETITION}", f"RT @b: RT @anna: {PETITION}"])
    assert out["dup_group"] == [1, 2, 1, 1, 1]
    assert out["dup_of"] == [None, None, 1, 1, 1]
    assert out["dup_similarity"][:2] == [None, None] and out["dup_similarity"][2:] == [1.0, 1.0, 1.0]


def test_templated_copies_with_small_edits_are_grouped():
    copies = [
        PETITION.replace("@politikerA", "@politikerB"),  # another mention
        PETITION + " 🙏🙏",  # emoji
        PETITION.replace("abc123", "zz9"),  # another t.co link
        PETITION.replace("i år", "i höst"),  # a word changed
        PETITION.replace("Jag stödjer", "Vi stödjer verkligen").replace("@politikerA", "@politikerC"),
        "skriv under uppropet nu jag stödjer förbifart stockholm och vill att bygget startar i år "
        "@politikera #upprop",  # case and punctuation
    ]
    out = _enrich([PETITION, *copies])
    assert out["dup_group"] == [1] * 7
    assert out["dup_of"] == [None] + [1] * 6
    assert all(THRESHOLD <= s <= 1 for s in out["dup_similarity"][1:])


def test_different_posts_on_the_same_topic_are_not_grouped():
    same_topic = [
        "Förbifart Stockholm är ett slöseri, bygg kollektivtrafik istället för fler bilvägar #upprop",
        "Jag skrev under uppropet igår, men tror inte att Förbifart Stockholm blir klar i år #upprop",
        "Uppropet om Förbifart Stockholm har fått många underskrifter nu @politikerA #upprop",
    ]
    out = _enrich([PETITION, *same_topic])
    assert out["dup_group"] == [1, 2, 3, 4] and out["dup_of"] == [None] * 4
    assert max(_similarity(PETITION, t) for t in same_topic) < THRESHOLD


def test_short_posts_are_never_grouped():
    texts = ["ja", "haha", "ja", "haha", "så sant!", "så sant!", "RT @a: haha", "tack för svaret",
             "tack för svaret"]
    out = _enrich(texts)
    assert out["dup_group"] == list(range(1, len(texts) + 1))
    assert out["dup_of"] == [None] * len(texts) and out["dup_similarity"] == [None] * len(texts)


def test_groups_are_transitive_through_the_earliest_post():
    a = ("Vi kräver att kommunen bygger fler och säkrare cykelbanor längs Ringvägen och Götgatan innan sommaren "
         "kommer, barnen måste kunna cykla till skolan utan fara, skriv under du också @kommunen #cykla")
    b = a.replace("fler och säkrare", "breda och trygga").replace("innan sommaren kommer", "redan nu i vår")
    c = b.replace("Vi kräver att", "Jag vill att").replace("skriv under du också", "dela gärna vidare till alla")
    assert _similarity(a, b) >= THRESHOLD and _similarity(b, c) >= THRESHOLD > _similarity(a, c)
    out = _enrich([a, ORGANIC, b, c])
    assert out["dup_of"] == [None, None, 1, 3]
    assert out["dup_group"] == [1, 2, 1, 1]


def test_many_copies_in_one_batch_all_point_at_the_first():
    texts = [ORGANIC] + [f"{PETITION} {'🙏' * (i % 3)}" for i in range(40)]
    out = _enrich(texts)
    assert out["dup_group"] == [1] + [2] * 40
    assert out["dup_of"] == [None, None] + [2] * 39


def _corpus() -> list[str]:
    a = PETITION
    b = a.replace("@politikerA", "@politikerB")
    edited = "Vi kräver att kommunen bygger fler cykelbanor längs Ringvägen innan sommaren, skriv under @kommunen"
    return [ORGANIC, "haha", a, "ja", b, f"RT @x: {ORGANIC}", edited, "haha", a + " 🙏",
            edited.replace("fler", "säkra"), f"RT @y: {b}", "Något helt annat om vädret i Göteborg idag, regn igen",
            ORGANIC.replace("dubbelt", "tre gånger"), a]


def _through_store(texts: list[str], batch: int) -> tuple[list[tuple], object]:
    store = memory_store()
    store.write_batch([make_post(str(i), text=t, minutes=i) for i, t in enumerate(texts, 1)])
    Enrichment(store, [NearDuplicatesEnricher()], batch=batch).catch_up()
    rows = store.con.execute("SELECT post_key, dup_group, dup_of, dup_similarity FROM enrichments "
                             "ORDER BY post_key").fetchall()
    return rows, store


def test_the_same_groups_in_memory_and_in_the_store_however_batched():
    texts = _corpus()
    out = _enrich(texts)
    expected = [(k, g, o, s) for k, g, o, s in zip(range(1, len(texts) + 1), out["dup_group"], out["dup_of"],
                                                   out["dup_similarity"])]
    assert [g for _, g, _, _ in expected] == [1, 2, 3, 4, 3, 1, 7, 8, 3, 7, 3, 12, 1, 3]
    for batch in (1, 3, 5, 100):
        rows, store = _through_store(texts, batch)
        assert rows == expected, f"batch {batch}"
        store.close()
    in_memory = NearDuplicatesEnricher()  # several batches to one enricher object, no store
    got = {k: [] for k in out}
    for start in range(0, len(texts), 4):
        part = in_memory.enrich(_inputs(texts[start:start + 4], start + 1), {})
        for k in got:
            got[k].extend(part[k])
    assert got == out


def _table_counts(store) -> tuple[int, int]:
    return (store.con.execute("SELECT count(*) FROM dup_bands").fetchall()[0][0],
            store.con.execute("SELECT count(*) FROM dup_posts").fetchall()[0][0])


def test_a_rerun_batch_finds_no_post_a_copy_of_itself_and_writes_nothing_new():
    texts = _corpus()
    store = memory_store()
    enricher = NearDuplicatesEnricher()
    enricher.attach(store)
    first = enricher.enrich(_inputs(texts), {})
    counts = _table_counts(store)
    assert counts[0] > 0 and counts[1] > 0
    again = enricher.enrich(_inputs(texts), {})  # as after an interrupted run
    assert again == first and _table_counts(store) == counts
    assert all(o is None or o < k for k, o in zip(range(1, len(texts) + 1), again["dup_of"]))
    tail = enricher.enrich(_inputs(texts[6:], 7), {})  # a later batch re-run alone
    assert tail == {k: v[6:] for k, v in first.items()} and _table_counts(store) == counts
    store.con.execute("DELETE FROM dup_bands WHERE post_key >= 7")  # interrupted between its two writes
    tail = enricher.enrich(_inputs(texts[6:], 7), {})
    assert tail == {k: v[6:] for k, v in first.items()} and _table_counts(store) == counts
    store.close()


def test_enrichment_rerun_from_the_start_gives_the_same_columns():
    texts = _corpus()
    rows, store = _through_store(texts, 4)
    counts = _table_counts(store)
    store.con.execute("DELETE FROM enricher_state")  # the progress lost: every batch runs again
    Enrichment(store, [NearDuplicatesEnricher()], batch=3).catch_up()
    again = store.con.execute("SELECT post_key, dup_group, dup_of, dup_similarity FROM enrichments "
                              "ORDER BY post_key").fetchall()
    assert again == rows and _table_counts(store) == counts
    store.close()


def test_a_version_bump_clears_the_index():
    store = memory_store()
    old = NearDuplicatesEnricher()
    old.attach(store)
    old.enrich(_inputs(_corpus()), {})
    assert _table_counts(store)[0] > 0
    NearDuplicatesEnricher().attach(store)  # the same version keeps it
    assert _table_counts(store)[0] > 0
    newer = type("NearDuplicates2", (NearDuplicatesEnricher,), {"version": 2})()
    newer.attach(store)
    assert _table_counts(store) == (0, 0)
    assert store.con.execute("SELECT version FROM dup_state").fetchall() == [(2,)]
    out = newer.enrich(_inputs([PETITION, PETITION]), {})
    assert out["dup_of"] == [None, 1]
    store.close()


_STABLE_TEXT = "Skriv under uppropet nu! Jag stödjer Förbifart Stockholm @politikerA #upprop"
# computed once; a change here means every store's index was made by another hash (bump the version)
_STABLE_MINIMA = [325896683, 559524150, 146466686, 81869817]
_STABLE_BANDS = [-8204752506753694960, -2419921599383854162, -4412394162947315478]


def test_signatures_are_the_same_in_every_process():
    sig, ok = signatures([_STABLE_TEXT])
    assert ok[0] and sig[0, :4].tolist() == _STABLE_MINIMA
    assert band_hashes(sig)[0, :3].tolist() == _STABLE_BANDS
    code = ("from lyssna.enrichers.neardup import signatures, band_hashes\n"
            f"s, _ = signatures([{_STABLE_TEXT!r}])\n"
            "print(s[0].tolist(), band_hashes(s)[0].tolist())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345"})
    assert other.stdout.strip() == f"{sig[0].tolist()} {band_hashes(sig)[0].tolist()}"


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=4, max_size=10)  # 5 give ≥ 20 characters


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, min_size=5, max_size=40), others=st.lists(st.text(max_size=40), max_size=6),
       copy_at=st.integers(0, 6))
def test_a_post_and_its_copy_are_always_grouped(words, others, copy_at):
    text = " ".join(words)
    texts = [text] + others
    texts.insert(1 + min(copy_at, len(others)), f"RT @someone: {text}")
    out = _enrich(texts)
    assert all(len(v) == len(texts) for v in out.values())
    copy = 1 + min(copy_at, len(others))
    assert out["dup_group"][copy] == 1 and out["dup_similarity"][copy] == 1.0
    assert out["dup_of"][copy] == 1 or out["dup_group"][out["dup_of"][copy] - 1] == 1
    assert all(o is None or o < k for k, o in enumerate(out["dup_of"], 1))
    assert np.all(np.array(out["dup_group"]) <= np.arange(1, len(texts) + 1))


def test_inside_the_callers_transaction_its_rows_go_with_it():
    store = memory_store()
    enricher = NearDuplicatesEnricher()
    enricher.attach(store)
    store.con.execute("BEGIN")
    assert enricher.enrich(_inputs([PETITION, PETITION]), {})["dup_of"] == [None, 1]
    store.con.execute("ROLLBACK")
    assert _table_counts(store) == (0, 0)
    store.close()


def test_it_runs_in_a_chain_with_the_builtin_enrichers():
    from lyssna.enrichers.builtin import EntitiesEnricher, LanguageEnricher

    store = memory_store()
    store.write_batch([make_post(str(i), text=t, minutes=i) for i, t in enumerate([PETITION, ORGANIC, PETITION], 1)])
    Enrichment(store, [LanguageEnricher(), EntitiesEnricher(), NearDuplicatesEnricher()]).catch_up()
    third = store.enrichments_of(3)
    assert third["dup_group"] == 1 and third["dup_of"] == 1 and third["lang"] == "sv"
    assert store.enrichments_of(2)["dup_of"] is None
    store.close()


def test_the_benchmark_runs_and_its_figures_are_sane(capsys):
    from bench.neardup import main

    assert main(["--posts", "3000", "--runs", "1", "--batches", "1000", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["precision"] > 0.95 and figures["recall"] > 0.95
    assert {r["mode"] for r in figures["speed"]} == {"memory", "store"}
    assert all(r["posts_per_s"] > 0 for r in figures["speed"])
