"""Sentiment: the rules in both languages, the decision layer, and the accuracy promised against VADER."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from lyssna.enrichers.builtin import SentimentEnricher
from lyssna.enrichers.sentiment import LABELS, SentimentAnalyzer, analyzer
from lyssna.query.analysis import MatchInput

from ..helpers import REPO, shared_data_dir


def score(text: str, lang: str) -> float:
    return analyzer().score(text, lang).score


def label(text: str, lang: str) -> str:
    return analyzer().score(text, lang).label


@pytest.mark.parametrize("text", ["Det här var riktigt bra, tack!", "Jättebra service 😍", "Grymt jobbat idag!!",
                                  "Inga problem alls, funkar perfekt", "Äntligen! Älskar den nya appen"])
def test_swedish_positive(text):
    assert label(text, "sv") == "positive", analyzer().score(text, "sv")


@pytest.mark.parametrize("text", ["Tåget är försenat igen, helt värdelöst", "Inte bra alls",
                                  "Jag gillar inte det här", "Funkar inte, skitdåligt", "Usch vilken hemsk kundtjänst 😡"])
def test_swedish_negative(text):
    assert label(text, "sv") == "negative", analyzer().score(text, "sv")


def test_swedish_negation_flips_before_and_after_the_verb():
    assert score("bra", "sv") > 0 > score("inte bra", "sv")
    assert score("jag gillar det", "sv") > 0 > score("jag gillar inte det", "sv")


def test_a_negator_in_an_idiom_or_another_clause_does_not_flip():
    # "inte" belongs to "funkar inte"; the comma ends its reach
    assert score("funkar inte, skitdåligt", "sv") < score("funkar inte", "sv") < 0


def test_swedish_intensifiers_and_compounds():
    assert score("jättebra", "sv") > score("bra", "sv") > 0
    assert score("sjukt bra", "sv") > score("bra", "sv")
    assert score("ganska bra", "sv") < score("bra", "sv")
    an = SentimentAnalyzer(model=())  # rules only: the compound's head carries its valence
    assert an.scan("kanonbra", "sv").pos > 0
    assert an.scan("präglad", "sv").pos == 0  # not "glad": heads shorter than five letters are not split off


def test_english_rules():
    assert score("good", "en") > 0 > score("not good", "en")
    assert score("very good", "en") > score("good", "en")
    assert score("GOOD day", "en") > score("good day", "en")
    assert score("soooo good", "en") > score("so good", "en") - 0.05
    assert score("good!!!", "en") > score("good", "en")
    assert label("The food was good but the service was terrible", "en") == "negative"
    assert label("No problem at all, thanks", "en") == "positive"


def test_emoji_and_emoticons_carry_sentiment_in_any_language():
    for lang in ("sv", "en", "unknown"):
        assert score("😍😍", lang) > 0 > score("😡😭", lang)
        assert score(":)", lang) > 0 > score(":(", lang)


def test_unknown_language_reads_both_lexicons():
    assert score("bra grejer", "unknown") > 0 and score("great stuff", "unknown") > 0


def test_the_enricher_uses_the_language_and_emoji_columns():
    posts = [MatchInput(1, None, "web", "Jättebra!"), MatchInput(2, None, "web", "hemskt")]
    out = SentimentEnricher().enrich(posts, {"lang": ["sv", "sv"], "emoji": [[], []]})
    assert out["sentiment"] == ["positive", "negative"]
    assert out["sentiment_score"][0] > 0 > out["sentiment_score"][1]


def test_long_text_is_bounded():
    assert label("bra " * 100_000, "sv") == "positive"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["sv", "en", "da", "unknown", None]))
def test_any_text_gives_a_label_and_a_score_in_range(text, lang):
    s = analyzer().score(text, lang)
    assert s.label in LABELS and -1.0 <= s.score <= 1.0


# -- measured on real data (skips when ../shared/data is absent) ----------------------------------------


def test_shipped_weights_are_what_the_training_script_fits():
    data = shared_data_dir()
    if not (data / "vader_tweets_groundtruth").exists():
        pytest.skip("no training data")
    done = subprocess.run([sys.executable, "-m", "bench.sentiment_train", "--check", "--data", str(data)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_beats_vader_on_held_out_english_sets():
    from bench import sentiment_eval

    data = shared_data_dir()
    if not (data / "vader_tweets_groundtruth").exists():
        pytest.skip("no labelled data")
    result = sentiment_eval.measure(data, sets=["vader_test", "airline", "amazonhelp"], speed_runs=0)
    for name in ("vader_test", "airline", "amazonhelp"):
        ours, vader = result["sets"][name]["lyssna"], result["sets"][name]["vader"]
        assert ours["macro_f1"] >= vader["macro_f1"] + 3.0, (name, ours, vader)


# -- a transformer model on disk (the option; transformers and torch are not installed by Lyssna) --------


def test_model_labels_are_read_as_three_classes():
    from lyssna.enrichers.base import EnricherError
    from lyssna.enrichers.transformer import three_classes

    assert three_classes({0: "negative", 1: "neutral", 2: "positive"}) == [0, 1, 2]
    assert three_classes({0: "NEG", 1: "POS"}) == [0, 2]
    assert three_classes({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"}) == [0, 0, 1, 2, 2]
    assert three_classes({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}) == [0, 1, 2]
    with pytest.raises(EnricherError, match="cannot be read"):
        three_classes({0: "joy", 1: "anger"})


def test_a_model_setting_that_is_not_a_model_folder_is_refused(tmp_path):
    from lyssna.config import Settings
    from lyssna.enrichers.base import EnricherError

    with pytest.raises(EnricherError, match="not a model folder"):
        SentimentEnricher().configure(Settings(sentiment_model=str(tmp_path)))
    SentimentEnricher().configure(Settings())  # empty: the built-in sentiment


def test_analyze_refuses_a_missing_model_clearly(tmp_path):
    done = subprocess.run([sys.executable, "-m", "lyssna", "analyze", "--sentiment-model", str(tmp_path / "nope")],
                          input='{"text": "hej"}\n', capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2 and "not a model folder" in done.stderr and "Traceback" not in done.stderr


def test_a_local_transformer_model_is_used(tmp_path):
    """Runs where transformers and torch are installed: a tiny model made here, never downloaded."""
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    from lyssna.config import Settings

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "bra", "dåligt", "hej"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                                     intermediate_size=8, num_labels=3,
                                     id2label={0: "negative", 1: "neutral", 2: "positive"},
                                     label2id={"negative": 0, "neutral": 1, "positive": 2})
    transformers.BertForSequenceClassification(config).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    enricher = SentimentEnricher()
    enricher.configure(Settings(sentiment_model=str(tmp_path)))
    assert enricher.version > 1
    out = enricher.enrich([MatchInput(1, None, "web", "bra"), MatchInput(2, None, "web", "dåligt")], {})
    assert all(label in LABELS for label in out["sentiment"])
    assert all(-1 <= s <= 1 for s in out["sentiment_score"])


def test_times_and_brackets_are_not_emoticons():
    for text in ("Elpriset idag (öre/kWh): 164", "Möte kl 14:30", "Results (Q3): revenue"):
        assert label(text, "sv") == "neutral", text


def test_negation_stops_at_an_exclamation_mark():
    assert label("No! Great job", "en") == "positive"
    assert label("Kanon! Inget att klaga på", "sv") == "positive"


def test_newer_emoji_and_english_idioms():
    assert score("Ännu en försening 🙄", "sv") < 0 and score("🥰", "sv") > 0
    assert label("Thanks for nothing", "en") == "negative"
    assert score("doesn't work", "en") < 0 and score("I don't like it", "en") < 0
