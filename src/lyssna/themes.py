"""Themes over a set of posts — "what are they talking about?" — and how they carry on week by week.

Input: each post's keyphrases (the ``phrases`` column, :mod:`lyssna.enrichers.phrases`); a post given
as a plain string is run through :func:`~lyssna.enrichers.phrases.extract_phrases` first (both stop
word lists, up to 8 phrases).

Method:

1. **Terms.** Every phrase of a post, and every word of a multi-word phrase, is a term, keyed by a light
   normalisation of its words (:func:`term_key`: Swedish definite/plural endings and an s-genitive or
   English plural "s" are dropped when a stem of ≥ 5 letters is left, so "elbilar", "elbilarna" and
   "elbilarnas" count as one term; "bilar"/"bil" do not merge). A term is shown as its commonest
   surface form in the input.
2. **TF-IDF.** Sublinear tf (``1 + ln tf``), smooth idf (``ln((1+n)/(1+df)) + 1``), rows L2-normalised.
   Kept: terms in at least ``max(2, 0.0002·n)`` posts and (from 4 posts on) at most half of them (a term in most posts
   — typically the listening query itself — says nothing about which theme; it is kept only when
   nothing else would be left), then the :data:`MAX_TERMS` (20,000) most frequent.
3. **NMF** in numpy (no scikit-learn): HALS coordinate descent on ``‖X − WH‖²``, initialised by NNDSVD
   from a randomised SVD; deterministic for a given ``seed``. At most 200 sweeps, stopping when the
   error improves by less than 0.1 % over 10 sweeps (typically 15–40 sweeps). The products are
   written with ``np.einsum`` rather than BLAS (see :func:`_gram`).
4. **Themes.** Each post belongs to its strongest component (``argmax`` of its row of ``W`` with the
   rows of ``H`` scaled to unit length). A theme's ``terms`` are the top 10 terms of its ``H`` row; its
   ``label`` the first 2–3 of them that share no word with each other, multi-word phrases preferred (a
   third only when its weight is at least 0.2 of the first), joined with " · ". Components no post
   belongs to are dropped.
   Themes are ordered by size; ``share`` is ``size / len(docs)`` (all posts given, empty ones too).
5. **k** when not given: ``round(log2(n)) − 3`` clamped to 3–15 for ``n`` posts with terms (100 → 4,
   1,000 → 7, 10,000 → 10, 100,000 → 14), and never more than the posts or terms.

A post with no kept term (no phrase at all, or only phrases no other post has) belongs to no theme:
the themes' sizes add up to the posts with at least one kept term (:attr:`ThemeFit.unassigned` counts
the rest).

Bounded: the model is fitted on at most ``max_fit_docs`` (:data:`MAX_FIT_DOCS`, 50,000) posts, a
seeded sample when there are more (a sweep costs about 0.1 s per 50,000 posts; themes of 50,000 posts
are as clear as of more); the others are then assigned with ``H`` fixed (HALS on their rows of ``W``
only), in blocks of 100,000. The vocabulary is capped at :data:`MAX_TERMS`. Posts are held as term ids
in flat arrays, so memory grows with the posts' term occurrences, never with posts × terms.

Measured (``python -m bench.phrases``; one core, synthetic tweets' phrases, medians of 3): 10,000 posts
0.17 s, 100,000 posts 1.6 s (2.7 s on a busy machine); 1,000,000 posts 6.7 s, 250 MB above the
phrase lists themselves.

Tracking (:func:`track_themes`): each period is fitted with the previous period's themes as the first
rows of ``H`` (so a continuing theme tends to come back as itself), then its themes are matched to every
theme seen so far (latest vector of each id) by cosine similarity of their term vectors (top 50 terms),
greedily best pair first, at :data:`TRACK_THRESHOLD` (0.3) or more. A matched theme keeps its id; a new
one gets the next ``t<n>``. On synthetic weeks where the same 4 themes continue with other posts,
every id persists (tests/test_themes.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import numpy as np

from .enrichers.phrases import extract_phrases

__all__ = ["Theme", "ThemeFit", "PeriodThemes", "find_themes", "fit_themes", "track_themes", "term_key",
           "choose_k", "MAX_TERMS", "MAX_FIT_DOCS", "TRACK_THRESHOLD"]

MAX_TERMS = 20_000
MAX_FIT_DOCS = 50_000
TRACK_THRESHOLD = 0.3
MIN_DF_SHARE = 0.0002
MAX_DF_SHARE = 0.5
TEXT_PHRASES = 8  # phrases taken from a post given as text
TOP_TERMS = 10
TRACK_TERMS = 50
_MAX_SWEEPS = 200
_TOL = 1e-3
_WINDOW = 10
_ASSIGN_BLOCK = 100_000
_NNZ_BLOCK = 1 << 18  # term occurrences per block in sparse products (bounds the temporary)
_DTYPE = np.float32

Docs = Sequence[Sequence[str]] | Sequence[str]


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme: ``id`` (``t1``, ``t2`` … stable across periods in :func:`track_themes`), a readable
    ``label``, its top ``terms`` with weights (unit-length term vector), ``size`` (posts whose strongest
    theme it is), ``share`` (size / posts given) and ``members`` (indices of those posts)."""

    id: str
    label: str
    terms: tuple[tuple[str, float], ...]
    size: int
    share: float
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ThemeFit:
    """Themes with what tracking needs: ``vectors[i]`` is theme ``i``'s term vector (term key →
    weight, top 50); ``assignment[j]`` is post ``j``'s theme index or −1; ``unassigned`` counts posts
    with no kept term."""

    themes: tuple[Theme, ...]
    vectors: tuple[Mapping[str, float], ...]
    assignment: np.ndarray
    unassigned: int


@dataclass(frozen=True, slots=True)
class PeriodThemes:
    """One period's themes: ``new`` are ids first seen in this period, ``ended`` ids of the previous
    period that did not continue."""

    period: str
    posts: int
    themes: tuple[Theme, ...]
    new: tuple[str, ...]
    ended: tuple[str, ...]


# -- terms -------------------------------------------------------------------------------------------

_LONG_SUFFIXES = ("arna", "erna", "orna")
_SHORT_SUFFIXES = ("ar", "er", "or", "en", "et")
_MIN_STEM = 5


def _word_key(word: str) -> str:
    if len(word) > _MIN_STEM and word.endswith("s") and not word.endswith(("ss", "us", "is", "ys", "'s")):
        word = word[:-1]
    elif word.endswith("'s"):
        word = word[:-2]
    for suffix in _LONG_SUFFIXES:
        if word.endswith(suffix) and len(word) - 4 >= _MIN_STEM:
            return word[:-4]
    for suffix in _SHORT_SUFFIXES:
        if word.endswith(suffix) and len(word) - 2 >= _MIN_STEM:
            return word[:-2]
    return word


def term_key(phrase: str) -> str:
    """The key a phrase is counted under: each word lightly normalised (see the module docstring)."""
    return " ".join(_word_key(w) for w in phrase.split())


def _phrase_lists(docs: Docs) -> list[Sequence[str]]:
    return [extract_phrases(d, None, TEXT_PHRASES) if isinstance(d, str) else d for d in docs]


# -- sparse matrices ---------------------------------------------------------------------------------

class _Csr:
    """A sparse matrix in CSR form with its transpose kept alongside (for ``X @ D`` and ``X.T @ E``)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_cols: int):
        self.indptr, self.indices, self.data = indptr, indices, data
        self.shape = (len(indptr) - 1, n_cols)
        rows = np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(indptr))
        order = np.argsort(indices, kind="stable")
        self.t_indices = rows[order]
        self.t_data = data[order]
        self.t_indptr = np.searchsorted(indices[order], np.arange(n_cols + 1)).astype(np.int64)

    def dot_t(self, mt: np.ndarray) -> np.ndarray:
        """``(X @ mtᵀ)ᵀ``: ``mt`` is m × terms, the result m × posts."""
        return _spmm_t(self.indptr, self.indices, self.data, mt)

    def tdot_t(self, mt: np.ndarray) -> np.ndarray:
        """``(Xᵀ @ mtᵀ)ᵀ``: ``mt`` is m × posts, the result m × terms."""
        return _spmm_t(self.t_indptr, self.t_indices, self.t_data, mt)

    def sq_norm(self) -> float:
        return float(np.dot(self.data, self.data))


def _spmm_t(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, mt: np.ndarray) -> np.ndarray:
    """``(A @ mtᵀ)ᵀ`` for A given by (indptr, indices, data), in row blocks of about _NNZ_BLOCK
    entries. Factors are kept transposed (components × posts) so every access is contiguous."""
    n = len(indptr) - 1
    out = np.zeros((mt.shape[0], n), dtype=mt.dtype)
    start = 0
    while start < n:
        stop = int(np.searchsorted(indptr, indptr[start] + _NNZ_BLOCK, side="right")) - 1
        stop = min(n, max(stop, start + 1))
        lo, hi = indptr[start], indptr[stop]
        if hi > lo:
            prod = mt[:, indices[lo:hi]] * data[lo:hi]
            ptr = indptr[start:stop + 1] - lo
            nonempty = np.flatnonzero(ptr[1:] > ptr[:-1])
            out[:, start + nonempty] = np.add.reduceat(prod, ptr[:-1][nonempty], axis=1)
        start = stop
    return out


# -- NMF ---------------------------------------------------------------------------------------------

def choose_k(n: int) -> int:
    """The number of themes for ``n`` posts with terms when none is asked for (see the module docstring)."""
    if n <= 1:
        return 1
    return max(3, min(15, round(math.log2(n)) - 3))


def _orth_rows(y: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the rows of ``y`` (Cholesky-QR twice, through the small Gram matrix's
    eigenvectors so rank-deficient input is fine). Not ``np.linalg.qr``: with threaded OpenBLAS on a
    busy machine it took 0.2 s for 10,000 × 24."""
    for _ in range(2):
        e, v = np.linalg.eigh(_gram(y).astype(np.float64))
        keep = e > max(float(e.max()), 0.0) * 1e-10
        if not np.any(keep):
            return np.zeros((0, y.shape[1]), dtype=y.dtype)
        y = np.einsum("ij,jk->ik", (v[:, keep] / np.sqrt(e[keep])).T.astype(y.dtype), y)
    return y


def _rsvd(x: _Csr, k: int, rng: np.random.Generator, power: int = 2):
    """The top ``k`` singular triplets of X, roughly (randomised SVD with two power iterations: enough
    to start NMF from), as (Uᵀ, s, Vᵀ)."""
    p = min(k + 10, min(x.shape))
    qt = _orth_rows(x.dot_t(rng.standard_normal((p, x.shape[1])).astype(_DTYPE)))
    for _ in range(power):
        qt = _orth_rows(x.dot_t(_orth_rows(x.tdot_t(qt))))
    b = x.tdot_t(qt)  # r × terms: Qᵀ X
    e, v = np.linalg.eigh(_gram(b).astype(np.float64))  # b = Ub S Vᵀ, b bᵀ = Ub S² Ubᵀ
    order = np.argsort(-e, kind="stable")[:k]
    s = np.sqrt(np.maximum(e[order], 0.0))
    keep = s > (s[0] if len(s) else 0.0) * 1e-7
    ub, s = v[:, order][:, keep], s[keep]
    vt = np.einsum("ij,jk->ik", ub.T, b) / s[:, None]
    return np.einsum("ij,jk->ik", ub.T, qt), s, vt


def _nndsvd(x: _Csr, k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """NNDSVD (Boutsidis & Gallopoulos 2008), zeros kept (HALS can leave them): (Wᵀ, H)."""
    ut, s, vt = _rsvd(x, k, rng)
    wt = np.zeros((k, x.shape[0]), dtype=_DTYPE)
    h = np.zeros((k, x.shape[1]), dtype=_DTYPE)
    for j in range(len(s)):
        a, b = ut[j], vt[j]
        if j == 0:
            a, b = np.abs(a), np.abs(b)
            sigma = 1.0
        else:
            ap, an, bp, bn = np.maximum(a, 0), np.maximum(-a, 0), np.maximum(b, 0), np.maximum(-b, 0)
            mp = np.linalg.norm(ap) * np.linalg.norm(bp)
            mn = np.linalg.norm(an) * np.linalg.norm(bn)
            (a, b, sigma) = (ap, bp, mp) if mp >= mn else (an, bn, mn)
        na, nb = np.linalg.norm(a), np.linalg.norm(b)
        if na == 0 or nb == 0 or sigma == 0:
            continue
        scale = math.sqrt(s[j] * sigma)
        wt[j] = scale * a / na
        h[j] = scale * b / nb
    return wt, h


def _gram(m: np.ndarray) -> np.ndarray:
    """``m @ mᵀ``. The products of the NMF are written with ``np.einsum``, which does not call BLAS:
    threaded OpenBLAS made them 4× slower on a busy two-core machine (100k posts: 5.8 s against 1.4 s
    with one BLAS thread), and a library cannot choose the thread count for its caller."""
    return np.einsum("ij,kj->ik", m, m)


def _hals_rows(a: np.ndarray, gram: np.ndarray, m: np.ndarray) -> None:
    """One HALS sweep over the rows of ``m`` (in place), for the problem with ``a`` = the data times
    the other factor and ``gram`` its Gram matrix."""
    for j in range(m.shape[0]):
        if gram[j, j] > 0:
            m[j] = np.maximum(m[j] + (a[j] - np.einsum("i,ij->j", gram[j], m)) / gram[j, j], 0.0)


def _hals(x: _Csr, wt: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """HALS sweeps (W, then H) until ‖X − WH‖² improves by less than _TOL (relative) over _WINDOW
    sweeps, or _MAX_SWEEPS. The error comes free from X·Hᵀ, which each sweep needs anyway."""
    xx = x.sq_norm()
    history: list[float] = []
    for _ in range(_MAX_SWEEPS):
        xht, hht, wtw = x.dot_t(h), _gram(h), _gram(wt)
        history.append(xx - 2.0 * float(np.sum(xht * wt, dtype=np.float64))
                       + float(np.sum(wtw * hht, dtype=np.float64)))
        if len(history) > _WINDOW and history[-1 - _WINDOW] - history[-1] <= _TOL * history[-1 - _WINDOW]:
            break
        _hals_rows(xht, hht, wt)
        _hals_rows(x.tdot_t(wt), _gram(wt), h)
    return wt, h


def _initial(x: _Csr, k: int, rng: np.random.Generator, init: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NNDSVD, with the given rows (previous themes over this vocabulary) first when there are any: the
    NNDSVD rows most unlike them fill the rest. W then starts from zero and is solved for that H."""
    wt, h = _nndsvd(x, k, rng)
    init = init[np.linalg.norm(init, axis=1) > 0][:k]
    if not len(init):
        return wt, h
    prev = init / np.linalg.norm(init, axis=1, keepdims=True)
    norms = np.linalg.norm(h, axis=1)
    scale = float(norms[norms > 0].mean()) if np.any(norms > 0) else 1.0
    unit = h / np.where(norms > 0, norms, 1.0)[:, None]
    likeness = (unit @ prev.T).max(axis=1)
    order = [j for j in np.argsort(likeness, kind="stable") if norms[j] > 0]
    h = np.vstack([prev * scale] + [h[j][None] for j in order[: k - len(prev)]]).astype(_DTYPE)
    return _solve_w(x.dot_t(h), h, 5), h


def _solve_w(xht: np.ndarray, h: np.ndarray, sweeps: int) -> np.ndarray:
    """Wᵀ for a fixed H, from zero, by ``sweeps`` HALS sweeps."""
    wt = np.zeros_like(xht)
    hht = _gram(h)
    for _ in range(sweeps):
        _hals_rows(xht, hht, wt)
    return wt


def _strongest(wt: np.ndarray, xht: np.ndarray) -> np.ndarray:
    """Each post's strongest component; posts whose row of W is all zero fall back to X·Hᵀ."""
    best = np.argmax(wt, axis=0)
    dead = wt.max(axis=0) <= 0
    if np.any(dead):
        best[dead] = np.argmax(xht[:, dead], axis=0)
    return best


# -- the corpus --------------------------------------------------------------------------------------

class _Corpus:
    """Posts as term ids in flat arrays (compact for a million posts), with the surface forms seen."""

    def __init__(self, docs: Sequence[Sequence[str]]):
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []
        self._sids: dict[str, int] = {}
        self.surfaces: list[str] = []
        self.surface_term: list[int] = []
        self.surface_count: list[int] = []
        self._words: list[tuple[int, ...]] = []  # surface ids of a multi-word phrase's words
        flat: list[int] = []
        tfs: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        self.nonempty = np.zeros(len(docs), dtype=bool)
        for i, phrases in enumerate(docs):
            counts = self._add(phrases)
            if counts:
                flat.extend(counts.keys())
                tfs.extend(counts.values())
                lengths[i] = len(counts)
                self.nonempty[i] = True
        self.flat = np.asarray(flat, dtype=np.int64)
        self.tf = np.asarray(tfs, dtype=np.float64)
        self.lengths = lengths
        self.ptr = np.concatenate(([0], np.cumsum(lengths)))

    def _sid(self, surface: str) -> int:
        sid = self._sids.get(surface)
        if sid is not None:
            return sid
        parts = surface.split(" ")
        words = tuple(self._sid(p) for p in parts) if len(parts) > 1 else ()
        key = " ".join(self.terms[self.surface_term[s]] for s in words) if words else _word_key(surface)
        tid = self.term_ids.get(key)
        if tid is None:
            tid = self.term_ids[key] = len(self.terms)
            self.terms.append(key)
        sid = self._sids[surface] = len(self.surfaces)
        self.surfaces.append(surface)
        self.surface_term.append(tid)
        self.surface_count.append(0)
        self._words.append(words)
        return sid

    def _add(self, phrases: Sequence[str]) -> dict[int, int]:
        counts: dict[int, int] = {}
        seen: set[int] = set()
        for phrase in phrases:
            phrase = " ".join(phrase.lower().split())
            if not phrase:
                continue
            sid = self._sid(phrase)
            if sid in seen:
                continue
            seen.add(sid)
            self.surface_count[sid] += 1
            tid = self.surface_term[sid]
            counts[tid] = counts.get(tid, 0) + 1
            for ws in self._words[sid]:
                self.surface_count[ws] += 1
                wt = self.surface_term[ws]
                counts[wt] = counts.get(wt, 0) + 1
        return counts

    def positions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flat positions of the given posts' terms, and the row (0…len(rows)−1) of each."""
        lens = self.lengths[rows]
        total = int(lens.sum())
        offsets = np.repeat(self.ptr[rows] - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
        return offsets + np.arange(total), np.repeat(np.arange(len(rows)), lens)

    def labels(self, tids: np.ndarray) -> dict[int, str]:
        """The commonest surface form of each given term (ties: the first in alphabetical order)."""
        wanted = set(int(t) for t in tids)
        best: dict[int, tuple[int, str]] = {}
        for surface, tid, count in zip(self.surfaces, self.surface_term, self.surface_count):
            if tid in wanted and count > 0:
                old = best.get(tid)
                if old is None or count > old[0] or (count == old[0] and surface < old[1]):
                    best[tid] = (count, surface)
        return {t: best[t][1] if t in best else self.terms[t] for t in wanted}


def _tfidf(corpus: _Corpus, rows: np.ndarray, col_of: np.ndarray, idf: np.ndarray) -> tuple[_Csr, np.ndarray]:
    """The TF-IDF matrix of the given posts over the vocabulary, and which of them have a kept term
    (only those are rows of the matrix)."""
    pos, row = corpus.positions(rows)
    cols = col_of[corpus.flat[pos]]
    keep = cols >= 0
    cols, row, tf = cols[keep], row[keep], corpus.tf[pos][keep]
    data = (1.0 + np.log(tf)) * idf[cols]
    per_row = np.bincount(row, minlength=len(rows))
    has = per_row > 0
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=len(rows)))
    data = data / norms[row]
    indptr = np.concatenate(([0], np.cumsum(per_row[has])))
    return _Csr(indptr, cols, data.astype(_DTYPE), len(idf)), has


# -- public API --------------------------------------------------------------------------------------

def _empty(n: int, unassigned: int) -> ThemeFit:
    return ThemeFit((), (), np.full(n, -1, dtype=np.int64), unassigned)


def fit_themes(docs: Docs, *, k: int | None = None, seed: int = 0, max_fit_docs: int = MAX_FIT_DOCS,
               init: Sequence[Mapping[str, float]] = ()) -> ThemeFit:
    """Themes of ``docs`` (each post's phrases, or its text) with the details tracking needs; ``init``
    are term vectors (term key → weight) to start from, e.g. the previous period's
    :attr:`ThemeFit.vectors`. See the module docstring for the method."""
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    corpus = _Corpus(_phrase_lists(docs))
    n_posts = len(corpus.lengths)
    with_terms = np.flatnonzero(corpus.nonempty)
    if not len(with_terms):
        return _empty(n_posts, 0)
    rng = np.random.default_rng(seed)
    fit_rows = with_terms
    if len(with_terms) > max_fit_docs:
        fit_rows = np.sort(rng.choice(with_terms, size=max_fit_docs, replace=False))
    vocab = _vocabulary(corpus, fit_rows)
    if not len(vocab):
        return _empty(n_posts, len(with_terms))
    col_of = np.full(len(corpus.terms), -1, dtype=np.int64)
    col_of[vocab] = np.arange(len(vocab))
    pos, _ = corpus.positions(fit_rows)
    cols = col_of[corpus.flat[pos]]
    df = np.bincount(cols[cols >= 0], minlength=len(vocab))
    idf = np.log((1.0 + len(fit_rows)) / (1.0 + df)) + 1.0
    x, has = _tfidf(corpus, fit_rows, col_of, idf)
    k = min(k if k is not None else choose_k(x.shape[0]), x.shape[0], x.shape[1])
    prev = np.zeros((len(init), len(vocab)), dtype=_DTYPE)
    for i, vector in enumerate(init):
        for term, weight in vector.items():
            j = corpus.term_ids.get(term)
            if j is not None and col_of[j] >= 0:
                prev[i, col_of[j]] = weight
    wt, h = _hals(x, *_initial(x, k, rng, prev))
    norms = np.linalg.norm(h, axis=1)
    h = h / np.where(norms > 0, norms, 1.0)[:, None]
    wt = wt * norms[:, None]
    assignment = np.full(n_posts, -1, dtype=np.int64)
    assignment[fit_rows[has]] = _strongest(wt, x.dot_t(h))
    rest = np.setdiff1d(with_terms, fit_rows, assume_unique=True)
    for start in range(0, len(rest), _ASSIGN_BLOCK):
        block = rest[start:start + _ASSIGN_BLOCK]
        xb, hb = _tfidf(corpus, block, col_of, idf)
        xht = xb.dot_t(h)
        assignment[block[hb]] = _strongest(_solve_w(xht, h, 10), xht)
    return _themes(corpus, vocab, h, assignment, n_posts, len(with_terms))


def _vocabulary(corpus: _Corpus, rows: np.ndarray) -> np.ndarray:
    """Term ids kept (see the module docstring), most frequent first, ties by key."""
    pos, _ = corpus.positions(rows)
    df = np.bincount(corpus.flat[pos], minlength=len(corpus.terms))
    n = len(rows)
    common = np.flatnonzero(df >= max(2, math.ceil(MIN_DF_SHARE * n)))
    kept = common[df[common] <= MAX_DF_SHARE * n] if n >= 4 else common
    if not len(kept):
        kept = common
    ordered = sorted(kept.tolist(), key=lambda t: (-int(df[t]), corpus.terms[t]))
    return np.asarray(ordered[:MAX_TERMS], dtype=np.int64)


def _label(ranked: list[tuple[str, str, float]]) -> str:
    """The first 2–3 terms that share no word (key) with each other, multi-word phrases preferred (weight
    × 1.5 for two words, × 2 for three …, so "first home" comes before "first" and "home"); a third
    only when it weighs at least 0.2 of the first."""
    chosen: list[str] = []
    used: set[str] = set()
    ranked = sorted(((k, s, w * (1.0 + 0.5 * k.count(" "))) for k, s, w in ranked[:TOP_TERMS]),
                    key=lambda r: -r[2])
    for key, shown, weight in ranked:
        words = set(key.split(" "))
        if words & used:
            continue
        if len(chosen) == 2 and weight < 0.2 * ranked[0][2]:
            break
        chosen.append(shown)
        used |= words
        if len(chosen) == 3:
            break
    return " · ".join(chosen)


def _themes(corpus: _Corpus, vocab: np.ndarray, h: np.ndarray, assignment: np.ndarray, n_posts: int,
            n_with_terms: int) -> ThemeFit:
    sizes = np.bincount(assignment[assignment >= 0], minlength=len(h))
    live = [j for j in range(len(h)) if sizes[j] > 0]
    tops = {j: [int(c) for c in np.argsort(-h[j], kind="stable")[:TRACK_TERMS] if h[j, c] > 0] for j in live}
    shown = corpus.labels(vocab[[c for j in live for c in tops[j]]]) if live else {}
    drafts = []
    for j in live:
        ranked = [(corpus.terms[vocab[c]], shown[int(vocab[c])], float(h[j, c])) for c in tops[j]]
        terms = tuple((s, round(wt, 4)) for _, s, wt in ranked[:TOP_TERMS])
        vector = {key: wt for key, _, wt in ranked}
        drafts.append((-int(sizes[j]), _label(ranked), j, terms, vector))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    remap = np.full(len(h), -1, dtype=np.int64)
    themes, vectors = [], []
    for i, (neg_size, label, j, terms, vector) in enumerate(drafts):
        remap[j] = i
        members = tuple(int(m) for m in np.flatnonzero(assignment == j))
        themes.append(Theme(f"t{i + 1}", label, terms, -neg_size, -neg_size / n_posts, members))
        vectors.append(vector)
    out = np.where(assignment >= 0, remap[np.maximum(assignment, 0)], -1)
    return ThemeFit(tuple(themes), tuple(vectors), out, n_with_terms - int(sizes.sum()))


def find_themes(docs: Docs, *, k: int | None = None, seed: int = 0, max_fit_docs: int = MAX_FIT_DOCS) -> list[Theme]:
    """What ``docs`` talk about: themes, largest first, ids ``t1``, ``t2`` … (see the module docstring).

    ``docs`` holds each post's keyphrases (a list of strings, e.g. the ``phrases`` column) or its text
    (a string: phrases are extracted first). Empty input, or posts sharing no phrase, give ``[]``."""
    return list(fit_themes(docs, k=k, seed=seed, max_fit_docs=max_fit_docs).themes)


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def track_themes(periods: Sequence[tuple[str, Docs]], *, k: int | None = None, seed: int = 0,
                 threshold: float = TRACK_THRESHOLD, max_fit_docs: int = MAX_FIT_DOCS) -> list[PeriodThemes]:
    """Themes period by period (e.g. week by week), each ``(label, docs)``; a theme that continues keeps
    its id (see the module docstring for the matching)."""
    known: dict[str, Mapping[str, float]] = {}
    previous: list[tuple[str, Mapping[str, float]]] = []
    out: list[PeriodThemes] = []
    for period, docs in periods:
        fit = fit_themes(docs, k=k, seed=seed, max_fit_docs=max_fit_docs, init=[v for _, v in previous])
        pairs = sorted((-_cosine(v, kv), i, kid) for i, v in enumerate(fit.vectors) for kid, kv in known.items())
        ids: dict[int, str] = {}
        taken: set[str] = set()
        for neg, i, kid in pairs:
            if -neg < threshold:
                break
            if i not in ids and kid not in taken:
                ids[i] = kid
                taken.add(kid)
        new = []
        for i in range(len(fit.themes)):
            if i not in ids:
                ids[i] = f"t{len(known) + len(new) + 1}"
                new.append(ids[i])
        themes = tuple(replace(t, id=ids[i]) for i, t in enumerate(fit.themes))
        for i, v in enumerate(fit.vectors):
            known[ids[i]] = v
        ended = tuple(pid for pid, _ in previous if pid not in taken)
        previous = [(ids[i], v) for i, v in enumerate(fit.vectors)]
        out.append(PeriodThemes(period, len(docs), themes, tuple(new), ended))
    return out
