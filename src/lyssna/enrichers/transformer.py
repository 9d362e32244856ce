"""Sentiment from a transformer model the user has on disk, in place of the built-in rules and lexicons.

Set ``sentiment_model`` in ``lyssna.toml`` (or ``LYSSNA_SENTIMENT_MODEL``, or ``lyssna analyze
--sentiment-model``) to a folder holding a Hugging Face sequence-classification model and its tokenizer —
for instance a download of ``cardiffnlp/twitter-xlm-roberta-base-sentiment`` (multilingual, Swedish
included) or ``KBLab/robust-swedish-sentiment-multiclass``. Nothing is ever downloaded: the folder is read
with ``local_files_only``. It needs the ``transformers`` and ``torch`` packages, which Lyssna does not
install (about 1.5 GB); without them the setting is refused with that message.

The model's labels are read from its ``id2label`` and mapped to three classes (:func:`three_classes`):
names with neg/neu/pos (any case or language prefix), star ratings (1–2 negative, 3 neutral, 4–5
positive), or, for the anonymous ``LABEL_0..2`` of a three-label model, the TweetEval order
negative/neutral/positive. The score is P(positive) − P(negative). Expect tens of posts per second on a
CPU core, against thousands for the built-in enricher.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Mapping, Sequence

from .base import EnricherError
from .sentiment import LABELS, MAX_CHARS, Sentiment

__all__ = ["TransformerSentiment", "three_classes", "model_version"]

_STARS = re.compile(r"^\s*([1-5])\s*(star|stars|stjärn)", re.IGNORECASE)
BATCH = 32
MAX_TOKENS = 256


def three_classes(id2label: Mapping[int, str]) -> list[int]:
    """For each of the model's label ids (in order), the index in :data:`LABELS` it counts towards."""
    ids = sorted(id2label)
    names = [str(id2label[i]).strip().lower() for i in ids]
    out = []
    for name in names:
        stars = _STARS.match(name)
        if stars:
            n = int(stars.group(1))
            out.append(0 if n <= 2 else 1 if n == 3 else 2)
        elif "neg" in name:
            out.append(0)
        elif "neu" in name or name in ("none", "mixed", "objective"):
            out.append(1)
        elif "pos" in name:
            out.append(2)
        else:
            out = []
            break
    if out and set(out) >= {0, 2}:
        return out
    if len(names) == 3 and all(re.fullmatch(r"label_\d+", n) for n in names):
        return [0, 1, 2]
    raise EnricherError(f"the model's labels {names} cannot be read as negative/neutral/positive "
                        "(expected names with neg/neu/pos, star ratings, or three LABEL_n)")


def model_version(folder: Path) -> int:
    """A version number that changes with the model (its files' names, sizes and times, and its config),
    so switching or retraining the model re-runs sentiment over the history."""
    h = hashlib.blake2b(digest_size=4)
    for name in sorted(p.name for p in folder.iterdir() if p.is_file()):
        stat = (folder / name).stat()
        h.update(name.encode())
        h.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())  # a retrained model is written anew
        if name == "config.json":
            h.update((folder / name).read_bytes())
    return 1_000_000 + int.from_bytes(h.digest(), "big") % 1_000_000_000


class TransformerSentiment:
    """A local model, loaded once; :meth:`many` scores texts in batches."""

    def __init__(self, folder: str | Path):
        path = Path(folder).expanduser()
        if not path.is_dir() or not (path / "config.json").exists():
            raise EnricherError(f"sentiment_model {path}: not a model folder (no config.json there)")
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError:
            raise EnricherError("sentiment_model needs the transformers and torch packages, which Lyssna does "
                                "not install: pip install transformers torch") from None
        self._torch = torch
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as e:
            raise EnricherError(f"sentiment_model {path}: cannot be loaded ({e})") from None
        self.model.eval()
        self.classes = three_classes(self.model.config.id2label)
        self.version = model_version(path)

    def many(self, texts: Sequence[str]) -> list[Sentiment]:
        out: list[Sentiment] = []
        torch = self._torch
        for start in range(0, len(texts), BATCH):
            chunk = [(t or "")[:MAX_CHARS] for t in texts[start:start + BATCH]]
            enc = self.tokenizer(chunk, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            with torch.no_grad():
                probs = torch.softmax(self.model(**enc).logits, dim=-1).tolist()
            for row in probs:
                three = [0.0, 0.0, 0.0]
                for p, c in zip(row, self.classes):
                    three[c] += p
                best = max(range(3), key=three.__getitem__)
                out.append(Sentiment(LABELS[best], round(three[2] - three[0], 4)))
        return out
