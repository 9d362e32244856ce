"""Train the sentiment decision layer: ``python -m bench.sentiment_train [--data DIR] [--check]``.

A multinomial logistic regression (numpy, balanced class weights, L2) over the language-independent
features of :func:`lyssna.enrichers.sentiment.features`, fitted on the *train* split (70 %, by a hash of
the text) of the VADER tweet gold standard (MIT; ``bench/sentiment_data.py`` says how its means become
three classes). No set the benchmark reports is used. The weights go to
``src/lyssna/enrichers/data/sentiment_model.tsv`` (one row a class, one column a feature), which ships
with the package: the project generates its own model, nothing is downloaded.

``--check`` refits and fails (exit 1) when the shipped weights differ from a fresh fit by more than
0.01 — run it after changing the rules, then run without ``--check`` to write the new weights.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(_REPO))

from bench import sentiment_data  # noqa: E402
from lyssna.enrichers import sentiment  # noqa: E402

__all__ = ["fit", "training_matrix", "main"]

L2 = 1e-3
ITERATIONS = 3000
STEP = 0.5


def training_matrix(data: Path) -> tuple[np.ndarray, np.ndarray]:
    an = sentiment.SentimentAnalyzer(model=())  # rules only
    items = sentiment_data.vader(data, "train")
    x = np.array([sentiment.features(an.scan(t, "en", sentiment._emoji_of(t))) for t, _ in items])
    y = np.array([sentiment.LABELS.index(g) for _, g in items])
    return x, y


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = ITERATIONS, step: float = STEP) -> np.ndarray:
    """Softmax regression by gradient descent, each class weighted by n / (3 · its count)."""
    n, d = x.shape
    w = np.zeros((3, d))
    onehot = np.eye(3)[y]
    weight = (n / (3 * np.bincount(y, minlength=3)))[y][:, None]
    for _ in range(iterations):
        z = x @ w.T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        w -= step * (((p - onehot) * weight).T @ x / n + l2 * w)
    return w


def write(w: np.ndarray, path: Path, n: int) -> None:
    lines = ["# Lyssna sentiment decision layer: softmax weights, one row a class, one column a feature.",
             f"# Trained by bench/sentiment_train.py on {n} tweets (VADER tweet gold standard, train split, MIT).",
             "# columns: label\t" + "\t".join(sentiment.FEATURES)]
    for label, row in zip(sentiment.LABELS, w):
        lines.append(label + "\t" + "\t".join(f"{v:.6f}" for v in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=sentiment_data.DEFAULT_DATA)
    ap.add_argument("--check", action="store_true", help="compare a fresh fit with the shipped weights")
    args = ap.parse_args(argv)
    try:
        x, y = training_matrix(args.data)
    except FileNotFoundError as e:
        print(f"the training data is not there ({e.filename}); nothing done")
        return 0
    w = fit(x, y)
    path = sentiment._DATA / "sentiment_model.tsv"
    if args.check:
        shipped = np.array(sentiment._load_model() or [])
        ok = shipped.shape == w.shape and float(np.abs(shipped - w).max()) <= 0.01
        print("shipped weights match a fresh fit" if ok else "shipped weights differ from a fresh fit: retrain")
        return 0 if ok else 1
    write(w, path, len(y))
    print(f"wrote {path} ({len(y)} training tweets, class counts {np.bincount(y).tolist()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
