"""The labelled sentiment sets in ``../shared/data``, read the same way by training and evaluation.

Each loader gives ``[(text, gold)]`` with gold one of ``negative``/``neutral``/``positive``, or raises
``FileNotFoundError`` when its folder is absent. How each set's labels become three classes:

* ``vader`` — the VADER tweet gold standard (4,200 tweets, mean of ≥20 raters on −4…+4, MIT):
  mean ≤ −0.5 negative, ≥ 0.5 positive, else neutral. Split by a hash of the text: ``train`` (70 %,
  the only data the decision layer is trained on) and ``test`` (30 %, reported).
* ``tweeteval`` — TweetEval sentiment *validation* (2,000 tweets; 0/1/2): the development set, used to
  design the rules; its figures are marked as such.
* ``airline`` — US airline tweets (14,640; ``airline_sentiment``); rows whose label is not one of the
  three (the shifted rows of the Kaggle copy) are counted and left out.
* ``amazonhelp`` — 300 inbound tweets to @AmazonHelp, 100 per class.
* ``absabank`` — ABSAbank-Imm (Swedish paragraphs; *stance toward immigration*, mean 1…5):
  < 2.5 negative, > 3.5 positive, else neutral; train and dev files (the test file is not in the data).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

__all__ = ["DEFAULT_DATA", "vader", "tweeteval", "airline", "amazonhelp", "absabank", "SETS", "in_train"]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def in_train(text: str) -> bool:
    """Whether a VADER gold tweet is in the 70 % the decision layer is trained on."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=2).digest()[0] % 10 < 7


def vader(data: Path, split: str = "test") -> list[tuple[str, str]]:
    out = []
    with open(data / "vader_tweets_groundtruth" / "tweets_GroundTruth.txt", encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 3 or not parts[2].strip():
                continue
            mean = float(parts[1])
            gold = "negative" if mean <= -0.5 else "positive" if mean >= 0.5 else "neutral"
            if (split == "all") or (in_train(parts[2]) == (split == "train")):
                out.append((parts[2], gold))
    return out


def tweeteval(data: Path) -> list[tuple[str, str]]:
    folder = data / "tweeteval_sentiment_val"
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "val_labels.txt").read_text(encoding="utf-8").split()
    names = ("negative", "neutral", "positive")
    return [(t.strip(), names[int(lab)]) for t, lab in zip(texts, labels)]


def airline(data: Path) -> list[tuple[str, str]]:
    with open(data / "twitter_us_airline_sentiment" / "Tweets.csv", encoding="utf-8", newline="") as f:
        return [(r["text"], r["airline_sentiment"]) for r in csv.DictReader(f)
                if r.get("text") and r.get("airline_sentiment") in ("negative", "neutral", "positive")]


def amazonhelp(data: Path) -> list[tuple[str, str]]:
    path = data / "twcs_customer_support" / "amazonhelp_inbound_sentiment_annotations.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f)
                if r.get("label") in ("negative", "neutral", "positive")]


def absabank(data: Path) -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 24)
    out = []
    for name in ("absabank-imm_train.tsv", "absabank-imm_dev.tsv"):
        with open(data / "swedish_absabank_imm" / name, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        for row in rows[1:]:
            mean = float(row[2])
            out.append((row[1], "negative" if mean < 2.5 else "positive" if mean > 3.5 else "neutral"))
    return out


#: name → (loader, language, what the figure is)
SETS = {
    "vader_test": (lambda d: vader(d, "test"), "en", "VADER tweet gold, held-out 30 %"),
    "airline": (airline, "en", "US airline tweets, all"),
    "amazonhelp": (amazonhelp, "en", "AmazonHelp inbound, all"),
    "tweeteval_val": (tweeteval, "en", "TweetEval validation (development set: rules designed on it)"),
    "absabank": (absabank, "sv", "ABSAbank-Imm, stance toward immigration (not general sentiment)"),
}
