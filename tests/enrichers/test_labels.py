"""Dialogue labels (question / complaint / request) for Swedish and English posts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lyssna.enrichers.base import Column, chain
from lyssna.enrichers.labels import LABELS, LabelsEnricher, labels_many, labels_of
from lyssna.query.analysis import MatchInput

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
NEG, NEUTRAL, POS = -0.6, 0.0, 0.6


def _posts(*texts: str) -> list[MatchInput]:
    when = datetime(2024, 5, 1, tzinfo=timezone.utc)
    return [MatchInput(key=i, created_at=when, platform="x", text=t) for i, t in enumerate(texts)]


@pytest.mark.parametrize("text, lang", [
    ("Hur gör man för att boka om en biljett", "sv"),
    ("När kommer tåget", "sv"),
    ("Vilken tid går sista bussen", "sv"),
    ("Finns det wifi på tåget", "sv"),
    ("Vet någon om SL kör som vanligt idag", "sv"),
    ("Varför är det alltid fullt", "sv"),
    ("@SJ är det inställt idag", "sv"),
    ("Tåget står still?!", "sv"),
    ("how do I change my seat", "en"),
    ("@united Why does it take so long", "en"),
    ("Thanks. Can anyone tell me where gate 5 is", "en"),
    ("Does anyone know when the store opens", "en"),
    ("Any update on my refund", "en"),
    ("What time does the lounge open", "en"),
    ("Who needs customer service anyway?", "en"),  # rhetorical: counts
])
def test_questions(text, lang):
    assert "question" in labels_of(text, lang, NEUTRAL)


@pytest.mark.parametrize("text, lang", [
    ("När jag kom hem var det kallt ute.", "sv"),
    ("Vad kul att ses igen!", "sv"),
    ("Vilken dag!", "sv"),
    ("Var på bio igår, bra film", "sv"),
    ("When I got home it was raining", "en"),
    ("What a day!", "en"),
    ("Read this https://example.com/page?id=3&x=1 great piece", "en"),
    ("Had a great flight, thanks", "en"),
])
def test_not_questions(text, lang):
    assert "question" not in labels_of(text, lang, NEUTRAL)


@pytest.mark.parametrize("text, lang", [
    ("Kan ni hjälpa mig med min beställning", "sv"),
    ("Snälla ring mig", "sv"),
    ("Jag vill ha pengarna tillbaka", "sv"),
    ("Behöver hjälp med mitt abonnemang", "sv"),
    ("Vänligen återkom snarast", "sv"),
    ("@Telia fixa nätet i Umeå", "sv"),
    ("DM:a mig ordernumret så kollar jag", "sv"),
    ("please help, my bag is missing", "en"),
    ("@united can you rebook me on the next flight", "en"),
    ("I want a refund", "en"),
    ("DM me the details", "en"),
    ("Let me know when it is fixed", "en"),
    ("@AmazonHelp send me a new charger", "en"),
    ("I need to speak to a manager", "en"),
])
def test_requests(text, lang):
    assert "request" in labels_of(text, lang, NEUTRAL)


@pytest.mark.parametrize("text, lang", [
    ("I'm so pleased with the new app", "en"),
    ("It was a pleasure to fly with you", "en"),
    ("Thanks for the help yesterday!", "en"),
    ("Got my refund today, all good", "en"),
    ("Med hjälp av appen gick det fort", "sv"),
    ("Tack för hjälpen!", "sv"),
])
def test_not_requests(text, lang):
    assert "request" not in labels_of(text, lang, POS)


@pytest.mark.parametrize("text, lang, score", [
    ("Tåget är försenat igen och ingen information", "sv", NEG),
    ("Väntat i två timmar på kundtjänst, ingen svarar", "sv", NEG),
    ("Appen fungerar inte, tredje gången denna vecka", "sv", NEG),
    ("Aldrig mer det här flygbolaget", "sv", NEUTRAL),  # strong cue alone
    ("Sämsta service jag varit med om", "sv", NEUTRAL),
    ("my flight was delayed 3 hours and nobody tells us anything", "en", NEG),
    ("@Delta customer service hung up on me", "en", NEG),
    ("worst airline ever", "en", NEUTRAL),
    ("Charged twice for the same order #fail", "en", NEUTRAL),
    ("Thanks @United for losing my bag, great job", "en", POS),  # sarcasm naming the failure: a complaint
])
def test_complaints(text, lang, score):
    assert "complaint" in labels_of(text, lang, score)


@pytest.mark.parametrize("text, lang, score", [
    ("Regnar igen, så trist väder idag", "sv", NEG),
    ("Tre personer omkom i en trafikolycka i natt, fruktansvärt", "sv", NEG),
    ("The weather is awful, freezing and raining again", "en", NEG),
    ("Terrible news today, a bus crash killed 12 people", "en", NEG),
    ("So sad to hear about the earthquake victims", "en", NEG),
    ("Great job @united, just great", "en", POS),  # sarcasm naming no failure: not recognised (documented)
    ("my flight was delayed but the crew were lovely", "en", POS),  # a problem cue without negative sentiment
])
def test_not_complaints(text, lang, score):
    assert "complaint" not in labels_of(text, lang, score)


def test_several_labels_on_one_post_sorted():
    text = "@delta my flight is delayed again, worst airline ever. Can you rebook me please?"
    assert labels_of(text, "en", NEG) == ["complaint", "question", "request"]
    assert labels_of("Varför är tåget inställt? Ring mig!", "sv", NEG) == ["complaint", "question", "request"]


def test_languages_unknown_and_neighbours():
    assert labels_of("Hvorfor er toget forsinket", "da", NEG) == ["question"]
    assert labels_of("Mitt tåg är inställt. Varför", "unknown", NEG) == ["complaint", "question"]
    assert labels_of("Mitt tåg är inställt. Varför", None, NEG) == ["complaint", "question"]
    assert labels_of("Kan ni hjälpa mig", "nb", NEUTRAL) == ["question", "request"]
    # English cues only for English posts: a Swedish cue in an English post is not read
    assert labels_of("Varför", "en", NEUTRAL) == []


def test_enricher_declares_itself_and_keeps_batch_length():
    enricher = LabelsEnricher()
    assert enricher.name == "labels" and enricher.version == 1
    assert enricher.requires == ("lang", "sentiment_score")
    assert [(c.name, c.type) for c in enricher.provides] == [("labels", "VARCHAR[]")]
    posts = _posts("Kan ni hjälpa mig?", "", "worst service ever, please refund me", "Fint väder idag")
    out = enricher.enrich(posts, {"lang": ["sv", "unknown", "en", "sv"], "sentiment_score": [0.0, 0.0, -0.8, 0.7]})
    assert list(out) == ["labels"] and len(out["labels"]) == len(posts)
    assert out["labels"] == [["question", "request"], [], ["complaint", "request"], []]
    assert all(lab == sorted(lab) for lab in out["labels"])


def test_enricher_takes_title_and_missing_scores():
    when = datetime(2024, 5, 1, tzinfo=timezone.utc)
    post = MatchInput(key=1, created_at=when, platform="rss", text="Någon som vet", title="Hur funkar det")
    assert LabelsEnricher().enrich([post], {"lang": ["sv"], "sentiment_score": [float("nan")]}) == {
        "labels": [["question"]]}


def test_enricher_chains_after_language_and_sentiment():
    class Lang:
        name, version, requires, provides = "language", 1, (), (Column("lang", "VARCHAR"),)

    class Sentiment:
        name, version, requires, provides = "sentiment", 1, (), (Column("sentiment_score", "DOUBLE"),)

    assert [e.name for e in chain([LabelsEnricher(), Sentiment(), Lang()])][-1] == "labels"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["sv", "en", "da", "nb", "unknown", "de", None, ""]),
       st.one_of(st.none(), st.floats(min_value=-1, max_value=1)))
def test_any_text_gives_a_sorted_subset(text, lang, score):
    out = labels_of(text, lang, score)
    assert out == sorted(set(out)) and set(out) <= set(LABELS)


def test_labels_many_matches_labels_of():
    texts = ["Hur?", "please fix", "worst ever service"]
    assert labels_many(texts, ["sv", "en", "en"], [0.0, 0.0, -0.9]) == [
        labels_of(t, lang, s) for t, lang, s in zip(texts, ["sv", "en", "en"], [0.0, 0.0, -0.9])]


def test_bench_evaluate_on_the_shared_data():
    if not (DATA / "twitter_us_airline_sentiment" / "Tweets.csv").exists():
        pytest.skip("no shared data")
    from bench.labels_eval import evaluate

    result = evaluate(DATA, runs=1)
    report = result["airline_complaint"]["report_half_odd_rows"]
    assert report["oracle"]["f1"] > 0.85 and report["oracle"]["precision"] > 0.9
    assert report["cue_only"]["precision"] > 0.9 and report["cue_only"]["recall"] > 0.1
    assert 200 < sum(result["airline_complaint"]["skipped_unparseable"].values()) < 1000
    assert result["questions_report_half"]["with_qmark_labelled_question"] > 0.99
    assert result["questions_report_half"]["without_qmark_labelled_question"] < 0.2
    amazon = result["customer_support"]["amazonhelp_oracle"]
    assert amazon["negative"]["complaint"] > amazon["positive"]["complaint"]
