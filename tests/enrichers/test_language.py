"""Language identification: Swedish and its neighbours told apart, social-text noise ignored, ``unknown``
for text too short to tell, the same answers one at a time or in batches; accuracy floors on real data.

No timing is asserted: speed is measured by bench/enrich_eval.py.
"""

from __future__ import annotations

import pickle
import threading

import pytest

from lyssna.enrichers.language import LANGUAGES, MAIN, MIN_SCORE, LanguageGuess, clean, detect, detect_many

from ..helpers import need, shared_data_dir

# Written for these tests: the same five things said in each language.
EXAMPLES = {
    "sv": ["Jag har väntat på bussen i över en halvtimme nu och ingen vet när den kommer.",
           "Vad tycker ni om det nya elpriset? Vår räkning blev dubbelt så hög den här månaden.",
           "Tack för en fantastisk kväll, maten var god och personalen var väldigt trevlig!",
           "Kundtjänsten svarar inte och jag har ringt tre gånger idag.",
           "Hur kan det vara så svårt att få tag på någon som kan hjälpa mig med fakturan?"],
    "da": ["Jeg har ventet på bussen i over en halv time nu, og ingen ved hvornår den kommer.",
           "Hvad synes I om de nye elpriser? Vores regning blev dobbelt så høj i denne måned.",
           "Tak for en fantastisk aften, maden var god og personalet var meget søde!",
           "Kundeservice svarer ikke, og jeg har ringet tre gange i dag.",
           "Hvorfor er det så svært at få fat i nogen, der kan hjælpe mig med regningen?"],
    "nb": ["Jeg har ventet på bussen i over en halvtime nå, og ingen vet når den kommer.",
           "Hva synes dere om de nye strømprisene? Regningen vår ble dobbelt så høy denne måneden.",
           "Takk for en fantastisk kveld, maten var god og de ansatte var veldig hyggelige!",
           "Kundeservice svarer ikke, og jeg har ringt dem tre ganger i dag uten å få svar.",
           "Hvorfor er det så vanskelig å få tak i noen som kan hjelpe meg med fakturaen?"],
    "nn": ["Eg har venta på bussen i over ein halvtime no, og ingen veit når han kjem.",
           "Kva synest de om dei nye straumprisane? Rekninga vår vart dobbelt så høg denne månaden.",
           "Takk for ein fantastisk kveld, maten var god og dei tilsette var veldig hyggelege!",
           "Kundeservice svarar ikkje, og eg har ringt tre gonger i dag.",
           "Kvifor er det så vanskeleg å få tak i nokon som kan hjelpe meg med fakturaen?"],
    "en": ["I have been waiting for the bus for over half an hour and nobody knows when it comes.",
           "What do you think about the new electricity prices? Our bill doubled this month.",
           "Thanks for a fantastic evening, the food was great and the staff were really friendly!",
           "Customer service is not answering and I have called three times today.",
           "Why is it so hard to reach someone who can help me with the invoice?"],
    "de": ["Ich warte seit über einer halben Stunde auf den Bus und niemand weiß, wann er kommt."],
    "fi": ["Olen odottanut bussia yli puoli tuntia, eikä kukaan tiedä milloin se tulee."],
    "fr": ["J'attends le bus depuis plus d'une demi-heure et personne ne sait quand il arrive."],
    "es": ["Llevo más de media hora esperando el autobús y nadie sabe cuándo llega."],
    "ru": ["Я жду автобус уже больше получаса, и никто не знает, когда он придёт."],
}
ALL_EXAMPLES = [(text, lang) for lang, texts in EXAMPLES.items() for text in texts]


@pytest.mark.parametrize("text,lang", ALL_EXAMPLES, ids=[f"{lang}-{i}" for i, (_, lang) in enumerate(ALL_EXAMPLES)])
def test_sentences_get_their_language(text, lang):
    guess = detect(text)
    assert guess.lang == lang
    assert MIN_SCORE <= guess.score <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "ok", "Hi.", "😂😂😂", "👍", "🇸🇪❤️", "https://t.co/abc123",
                                  "@anna @bo_berg", "#", "123 456", "!!!", "lol", "haha"])
def test_text_too_short_to_tell_is_unknown(text):
    guess = detect(text)
    assert guess.lang == "unknown"
    assert 0.0 <= guess.score < MIN_SCORE


def test_nothing_to_go_on_scores_zero():
    assert detect("😂 @anna https://t.co/x 2024") == LanguageGuess("unknown", 0.0)


def test_urls_mentions_and_emoji_are_ignored():
    swedish = "Kundtjänsten svarar inte och jag har ringt tre gånger idag"
    noisy = (f"RT @nytimes @CNN: {swedish} 😡😡 #fail https://www.example.com/this-is-an-english-page-about-it "
             "bit.ly/english-words &amp; 100%")
    assert detect(noisy).lang == "sv"
    assert clean(noisy) == f": {swedish} fail"
    assert clean("Hej @user@mastodon.social, <b>läs</b> detta") == "Hej , läs detta"


def test_hashtags_keep_their_word():
    assert clean("Dags att prata om #elpriset igen") == "Dags att prata om elpriset igen"
    assert detect("#Elpriset är helt orimligt just nu, vi får inte ens ihop vardagen #svpol").lang == "sv"


def test_languages_are_iso_639_1_with_nb_and_nn():
    assert MAIN == ("sv", "en", "da", "nb", "nn")
    assert len(set(LANGUAGES)) == len(LANGUAGES) and all(len(code) == 2 for code in LANGUAGES)
    assert "no" not in LANGUAGES


def test_one_at_a_time_equals_batches_in_any_order():
    texts = [t for t, _ in ALL_EXAMPLES] + ["ok", "😂", "Tack!", "Grattis på födelsedagen!", "", "lol"] * 3
    one = [detect(t) for t in texts]
    assert detect_many(texts) == one
    assert detect_many(list(reversed(texts))) == list(reversed(one))
    assert detect_many(texts * 60) == one * 60  # more than one batch
    assert detect_many([]) == []
    assert detect_many(iter(texts[:3])) == one[:3]


def test_deterministic_thread_safe_and_picklable():
    texts = [t for t, _ in ALL_EXAMPLES] * 20
    expected = detect_many(texts)
    results: list = [None] * 4

    def run(i: int) -> None:
        results[i] = detect_many(texts)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)
    assert pickle.loads(pickle.dumps(expected)) == expected


def test_not_a_string_is_unknown():
    texts: list = [None, "Jag har väntat på bussen i en halvtimme nu."]
    assert [g.lang for g in detect_many(texts)] == ["unknown", "sv"]


def test_scores_are_py3langids_own():
    """The batched scorer is py3langid's model: among the five main languages, its label and probability
    are those of ``py3langid.LanguageIdentifier`` (norm_probs) restricted to them, on the cleaned text."""
    import py3langid.langid as langid

    ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    ident.set_languages(["sv", "en", "da", "no", "nn"])
    texts = [t for lang, ts in EXAMPLES.items() if lang in MAIN for t in ts]
    texts += ["Tack!", "Jeg har ventet", "Eg veit ikkje", "What a day", "Vi ses imorgon då"]
    for text, guess in zip(texts, detect_many(texts)):
        if guess.lang == "unknown":
            continue
        lang, prob = ident.classify(clean(text))
        assert {"no": "nb"}.get(lang, lang) == guess.lang, text
        assert guess.score == pytest.approx(prob, abs=1e-4), text


# -- real data (../shared/data; skipped when absent) -------------------------------------------------

FLOORS = {  # measured with bench/enrich_eval.py, a few points below (see bench/README.md)
    "UD test, cut ≤30": 0.80,
    "TweetEval val (en)": 0.97,
    "VADER tweets (en)": 0.95,
    "US airline tweets (en)": 0.97,
    "English tweets, cut ≤30": 0.88,
    "ABSAbank Flashback (sv)": 0.96,
    "ABSAbank news (sv)": 0.98,
    "ABSAbank Flashback, cut ≤30": 0.89,
}
UD_FLOORS = {"sv": 0.96, "en": 0.82, "da": 0.92, "nb": 0.88, "nn": 0.80}


@pytest.fixture(scope="module")
def sets():
    from bench.enrich_eval import language_sets

    data = shared_data_dir()
    need(data / "ud_language_test")
    return language_sets(data)


def _accuracy(items) -> float:
    guesses = detect_many([t for t, _ in items])
    return sum(g.lang == gold for g, (_, gold) in zip(guesses, items)) / len(items)


def test_accuracy_floor_per_language_on_ud(sets):
    items = sets["UD test (sv/en/da/nb/nn)"]["items"]
    for lang, floor in UD_FLOORS.items():
        assert _accuracy([x for x in items if x[1] == lang]) >= floor, lang


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floor_per_data_set(sets, name):
    if name not in sets:
        pytest.skip(f"{name}: its data is absent")
    assert _accuracy(sets[name]["items"]) >= FLOORS[name]


def test_foreign_tweets_are_rarely_called_nordic(sets):
    name = "CrisisLexT26 it/es/pt/fr events"
    if name not in sets:
        pytest.skip(f"{name}: its data is absent")
    guesses = detect_many([t for t, _ in sets[name]["items"]])
    nordic = sum(g.lang in ("sv", "da", "nb", "nn") for g in guesses) / len(guesses)
    assert nordic <= 0.02
    assert sum(g.lang in ("it", "es", "pt", "fr") for g in guesses) / len(guesses) >= 0.55


def test_benchmark_runs_and_renders(sets, shared_data):
    from bench.enrich_eval import measure_language, render_language

    r = measure_language(shared_data, runs=1, detectors=["lyssna"], memory=False, speed=False)
    ud = r["sets"]["UD test (sv/en/da/nb/nn)"]
    assert ud["n"] == sum(b["lyssna"]["n"] for b in ud["buckets"].values())
    assert 0.8 < ud["all"]["lyssna"]["accuracy"] <= 1.0
    assert "confusion, lyssna" in render_language(r)
