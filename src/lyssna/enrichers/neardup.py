"""Near-duplicates: retweets, copy-paste and templated posts grouped, so that a campaign's copies can be
told apart from organic conversation and counted once.

Each post gets ``dup_group`` (the key of the earliest post of its group; its own key when nothing
before it is alike), ``dup_of`` (the earliest earlier post it is a near-copy of; None for an original)
and ``dup_similarity`` (the estimated Jaccard similarity to ``dup_of``). Groups are transitive through
the earliest post: if B copies A and C copies B, C's group is A's key.

How:

1. **Normalise** (:func:`normalise`): title + text, NFKC, lower case, leading ``RT @handle:`` markers
   removed, every URL one placeholder token (t.co links differ per copy), ``@mentions`` and ``#tags``
   kept as tokens, digits kept, other punctuation and emoji dropped.
2. **Enough content**: a post needs :data:`MIN_TOKENS` word tokens (URLs not counted) and
   :data:`MIN_CHARS` characters of them, or it is an original with no duplicate ("ja", "haha", "så sant")
   — otherwise every short reply would be one big group.
3. **Shingles**: the set of word 1-grams and 2-grams. Word 3-grams alone are too brittle for short
   posts: in a nine-word petition text a changed ``@mention`` at the end changes three of seven
   3-grams (Jaccard 0.4), but only 2 of 17 1- and 2-grams (Jaccard 0.7). Different posts sharing a
   hashtag and a few common words still share almost no 2-grams and stay far apart.
4. **MinHash**: each token gets a 64-bit blake2b hash (stable across processes, cached); shingle hashes
   are mixed from those in numpy; :data:`PERMUTATIONS` = 64 multiply-add-shift hashes give 64 32-bit
   minima per post, vectorised over the batch.
5. **LSH**: :data:`BANDS` = 16 bands of :data:`ROWS` = 4 minima, each hashed to a 64-bit band hash (a
   pair at Jaccard 0.5 becomes a candidate with probability 0.64, at 0.6 0.89, at 0.7 0.99). A
   candidate counts when its estimated Jaccard (share of equal minima) is at least :data:`THRESHOLD`.
6. **Buckets are capped**: only the :data:`BUCKET_CAP` posts of lowest key are kept per band hash. A
   post is compared with those members of its buckets that have a lower key. A big campaign's thousands
   of copies are thus compared with its first few posts (which are its originals), not with each other:
   the work per post is bounded by ``BANDS × BUCKET_CAP`` candidates.

State: the band index and the signatures live in DuckDB tables — the store's when :meth:`attach` was
called (table schema in :data:`SCHEMA`), otherwise a private in-memory DuckDB for the life of the
enricher — so both modes run the same code and give the same results. Lookups are one query per batch
(a semi-join of the batch's band hashes, passed as an Arrow table) and one for the candidates'
signatures. The results depend only on the posts with lower keys, never on how posts were split into
batches, and a re-run batch finds no post as a duplicate of itself and writes no new rows.

Measured (``python -m bench.neardup``: 100k synthetic posts, 20 % of them copies of 150 campaign
templates — exact, retweeted, or with another mention, emoji, link and 0–2 words changed — and
same-topic organic posts; one core, median of 3 runs): 32–36 µs a post in memory, 41–48 µs with the
index in a DuckDB store file (batches of 5,000 and 20,000), of which signatures are about 22 µs; pairwise
precision 1.000 and recall 0.998, the same groups in every mode and batch size. The store lookup scans
the band table, so it grows with the history: at 1M posts (16M band rows) the scan is about 150 ms a
batch (7.5 µs a post in batches of 20,000), and a 20,000-post batch took 45 µs a post in memory, and
in a store file 89 µs on average over the million (its last batches more, with DuckDB's checkpoints).
"""

from __future__ import annotations

import hashlib
import re
from itertools import chain
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from ..query.analysis import MatchInput
from .base import Column

__all__ = [
    "NearDuplicatesEnricher", "normalise", "signatures", "band_hashes", "PERMUTATIONS", "BANDS", "ROWS",
    "THRESHOLD", "MIN_TOKENS", "MIN_CHARS", "BUCKET_CAP", "MAX_TOKENS", "SCHEMA",
]

PERMUTATIONS = 64
BANDS = 16
ROWS = 4
#: A candidate is a near-duplicate when this share of its 64 minima (estimated Jaccard) is equal.
THRESHOLD = 0.5
MIN_TOKENS = 5
MIN_CHARS = 20
#: Members kept per band hash (the lowest keys).
BUCKET_CAP = 8
#: Tokens of a post compared (the rest of a long text is left out).
MAX_TOKENS = 5000
_URL_TOKEN = "\x00url"

#: The tables of the band index (created in the store by :meth:`NearDuplicatesEnricher.attach`).
SCHEMA = (
    # one row: the enricher version the rows below were made by (another version clears them)
    "CREATE TABLE IF NOT EXISTS dup_state (version INTEGER NOT NULL)",
    # a post with content: its group and its MinHash signature (64 little-endian uint32)
    "CREATE TABLE IF NOT EXISTS dup_posts (post_key BIGINT PRIMARY KEY, dup_group BIGINT NOT NULL, "
    "sig BLOB NOT NULL)",
    # band hash → the (at most BUCKET_CAP) lowest keys having it; no index (16 rows a post), rows are
    # written only when not present, in the batch's transaction
    "CREATE TABLE IF NOT EXISTS dup_bands (band_hash BIGINT NOT NULL, post_key BIGINT NOT NULL)",
)

# -- normalising ----------------------------------------------------------------------------------------

_RT = re.compile(r"^\s*(?:rt\s+@[\w.]+\s*:?\s*)+")
_TOKEN = re.compile(r"(?:https?://|www\.)\S+|[@#]?\w+")


def normalise(text: str) -> list[str]:
    """The tokens a post is compared by (URLs as one placeholder token)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _RT.sub("", text.lower())
    tokens = _TOKEN.findall(text)[:MAX_TOKENS]
    if "://" in text or "www." in text:
        return [_URL_TOKEN if ("/" in t or t.startswith("www.")) else t for t in tokens]
    return tokens


def _has_content(tokens: list[str]) -> bool:
    words = [t for t in tokens if t != _URL_TOKEN]
    return len(words) >= MIN_TOKENS and sum(map(len, words)) + len(words) - 1 >= MIN_CHARS


def _post_text(post: MatchInput) -> str:
    return f"{post.title}\n{post.text or ''}" if post.title else (post.text or "")


# -- hashing ----------------------------------------------------------------------------------------------

_M64 = (1 << 64) - 1


def _splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


# multiply-add-shift permutations, derived from fixed seeds (not from a random generator whose stream
# could change between numpy versions)
_A = np.array([_splitmix(2 * i + 1) | 1 for i in range(PERMUTATIONS)], dtype=np.uint64)
_B = np.array([_splitmix(2 * i + 2) for i in range(PERMUTATIONS)], dtype=np.uint64)
_BAND_SALT = np.array([_splitmix(1000 + b) for b in range(BANDS)], dtype=np.uint64)
_UNIGRAM = np.uint64(0x2545F4914F6CDD1D)
_BIGRAM = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = 1 << 15  # shingles a chunk of the MinHash (64 × 8 bytes each: 16 MiB)

_token_hashes: dict[str, int] = {}


def _token_hash_array(token_lists: list[list[str]]) -> np.ndarray:
    """The 64-bit hash of every token, post after post (blake2b, cached: stable across processes)."""
    flat = list(chain.from_iterable(token_lists))
    hashes = list(map(_token_hashes.get, flat))
    if None in hashes:
        if len(_token_hashes) > 1_000_000:
            _token_hashes.clear()
        for i, h in enumerate(hashes):
            if h is None:
                token = flat[i]
                h = int.from_bytes(hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                                   "little")
                _token_hashes[token] = hashes[i] = h
    return np.array(hashes, dtype=np.uint64)


def _shingles(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of the posts, post after post, and each post's first index. Each token gives
    two: its 1-gram and the 2-gram it starts (the last token of a post its 1-gram again, which leaves the
    minima unchanged), so no sorting is needed."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    h = _token_hash_array(token_lists)
    starts = np.cumsum(lengths) - lengths
    uni = _mix(h ^ _UNIGRAM)
    following = np.roll(h, -1)
    bi = _mix(h * _BIGRAM + ((following << np.uint64(31)) | (following >> np.uint64(33))))
    last = starts + lengths - 1
    bi[last] = uni[last]
    return np.stack([uni, bi], axis=1).ravel(), 2 * starts


def signatures(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (``uint32[n, 64]``) of texts, and which have enough content to be compared
    (the signature of one without is all zeros)."""
    token_lists = [normalise(t) for t in texts]
    ok = np.fromiter(map(_has_content, token_lists), dtype=bool, count=len(texts))
    sig = np.zeros((len(texts), PERMUTATIONS), dtype=np.uint32)
    index = np.flatnonzero(ok)
    if not len(index):
        return sig, ok
    shingles, starts = _shingles([token_lists[i] for i in index])
    bounds = np.append(starts, len(shingles))
    buffer = np.empty((PERMUTATIONS, min(_CHUNK, len(shingles))), dtype=np.uint64)
    first = 0
    while first < len(index):  # chunks of whole posts, about _CHUNK shingles each
        last = max(int(np.searchsorted(bounds, bounds[first] + _CHUNK, side="right")) - 1, first + 1)
        part = shingles[bounds[first]:bounds[last]]
        if len(part) > buffer.shape[1]:  # one long post
            buffer = np.empty((PERMUTATIONS, len(part)), dtype=np.uint64)
        hashed = buffer[:, :len(part)]  # permutations × shingles: the minima are taken along rows (5× faster)
        np.multiply(_A[:, None], part[None, :], out=hashed)
        hashed += _B[:, None]
        minima = np.minimum.reduceat(hashed, bounds[first:last] - bounds[first], axis=1)
        sig[index[first:last]] = (minima >> np.uint64(32)).T  # the top 32 bits: their minimum is the same
        first = last
    return sig, ok


def band_hashes(sig: np.ndarray) -> np.ndarray:
    """``int64[n, BANDS]``: each band of :data:`ROWS` minima hashed to 64 bits, the band number mixed in."""
    s = sig.astype(np.uint64).reshape(len(sig), BANDS, ROWS)
    h = _BAND_SALT[None, :]
    for r in range(0, ROWS, 2):
        h = _mix(h ^ ((s[:, :, r] << np.uint64(32)) | s[:, :, r + 1]))
    return h.view(np.int64)


# -- the band index ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Known:
    """Stored posts: keys (sorted), their groups and signatures."""

    keys: np.ndarray
    groups: np.ndarray
    sigs: np.ndarray


class _BandIndex:
    """The dup_* tables on a DuckDB connection (the store's, or a private in-memory one)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, version: int):
        self.con = con
        for statement in SCHEMA:
            con.execute(statement)
        recorded = con.execute("SELECT max(version) FROM dup_state").fetchall()[0][0]
        if recorded != version:  # rows made by another version (or none): start again
            # in this order, each statement on its own (in the caller's transaction if one is open): an
            # interruption leaves the old version recorded, so the next attach clears again
            for table in ("dup_bands", "dup_posts", "dup_state"):
                con.execute(f"DELETE FROM {table}")
            con.execute("INSERT INTO dup_state VALUES (?)", [version])

    def members(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stored (band hash, post key) rows of these band hashes."""
        if not len(hashes):
            return np.empty(0, np.int64), np.empty(0, np.int64)
        self.con.register("_dup_query", pa.table({"band_hash": pa.array(hashes, pa.int64())}))
        try:
            got = self.con.execute("SELECT band_hash, post_key FROM dup_bands "
                                   "WHERE band_hash IN (SELECT band_hash FROM _dup_query)").fetchnumpy()
        finally:
            self.con.unregister("_dup_query")
        return np.asarray(got["band_hash"], np.int64), np.asarray(got["post_key"], np.int64)

    def known(self, keys: np.ndarray) -> _Known:
        """Groups and signatures of stored posts."""
        if not len(keys):
            return _Known(np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, PERMUTATIONS), np.uint32))
        self.con.register("_dup_keys", pa.table({"post_key": pa.array(keys, pa.int64())}))
        try:
            rows = self.con.execute("SELECT post_key, dup_group, sig FROM dup_posts WHERE post_key IN "
                                    "(SELECT post_key FROM _dup_keys) ORDER BY post_key").fetchnumpy()
        finally:
            self.con.unregister("_dup_keys")
        sigs = np.frombuffer(b"".join(rows["sig"].tolist()), dtype="<u4").reshape(-1, PERMUTATIONS)
        return _Known(np.asarray(rows["post_key"], np.int64), np.asarray(rows["dup_group"], np.int64), sigs)

    def add(self, band_rows: tuple[np.ndarray, np.ndarray], posts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """New band rows and posts (posts already stored are left as they are)."""
        if not len(band_rows[0]) and not len(posts[0]):
            return
        keys, groups, sigs = posts
        sig_type = pa.binary(PERMUTATIONS * 4)
        sig_array = pa.FixedSizeBinaryArray.from_buffers(
            sig_type, len(keys), [None, pa.py_buffer(np.ascontiguousarray(sigs, dtype="<u4").tobytes())])
        self.con.register("_dup_bands_new", pa.table({"band_hash": pa.array(band_rows[0], pa.int64()),
                                                      "post_key": pa.array(band_rows[1], pa.int64())}))
        self.con.register("_dup_posts_new", pa.table({"post_key": pa.array(keys, pa.int64()),
                                                      "dup_group": pa.array(groups, pa.int64()),
                                                      "sig": sig_array}))
        try:
            # posts before their band rows: a band row never points at a missing post, and after an
            # interruption between the two the re-run batch adds the band rows (the posts are ignored)
            self.con.execute("INSERT OR IGNORE INTO dup_posts SELECT post_key, dup_group, sig::BLOB "
                             "FROM _dup_posts_new")
            self.con.execute("INSERT INTO dup_bands SELECT band_hash, post_key FROM _dup_bands_new")
        finally:
            self.con.unregister("_dup_bands_new")
            self.con.unregister("_dup_posts_new")


# -- grouping ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Buckets:
    """The rows of a batch's band hashes — the batch's own and the stored ones — sorted by (band hash,
    key), a (hash, key) once (the batch's row kept when both have it)."""

    keys: np.ndarray
    row: np.ndarray  # the post's row in the batch, -1 for a stored post not in the batch
    start: np.ndarray  # the position of the bucket's first row
    rank: np.ndarray  # the position in the bucket
    stored: np.ndarray  # the row is in the index already
    hashes: np.ndarray


def _buckets(q_hash: np.ndarray, q_key: np.ndarray, q_row: np.ndarray, s_hash: np.ndarray,
             s_key: np.ndarray) -> _Buckets:
    hashes = np.concatenate([q_hash, s_hash])
    keys = np.concatenate([q_key, s_key])
    row = np.concatenate([q_row, np.full(len(s_hash), -1, np.int64)])
    order = np.lexsort((row < 0, keys, hashes))  # the batch's row first among equal (hash, key)
    hashes, keys, row = hashes[order], keys[order], row[order]
    same = (hashes[1:] == hashes[:-1]) & (keys[1:] == keys[:-1])
    stored = row < 0
    stored[:-1] |= same  # a batch row followed by the stored copy of itself
    keep = np.concatenate([[True], ~same])
    hashes, keys, row, stored = hashes[keep], keys[keep], row[keep], stored[keep]
    positions = np.arange(len(hashes))
    first = np.concatenate([[True], hashes[1:] != hashes[:-1]])
    start = np.maximum.accumulate(np.where(first, positions, 0))
    return _Buckets(keys, row, start, positions - start, stored, hashes)


def _expand(start: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions start … start + count - 1 for each entry, and the entry each belongs to."""
    owner = np.repeat(np.arange(len(start)), counts)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(start, counts) + offsets, owner


class _Signatures:
    """Signatures of candidates: a batch row's from the batch, a stored post's from the index."""

    def __init__(self, sig: np.ndarray, known: _Known):
        self.sig, self.known = sig, known

    def of(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(keys), PERMUTATIONS), dtype=np.uint32)
        mine = rows >= 0
        out[mine] = self.sig[rows[mine]]
        out[~mine] = self.known.sigs[np.searchsorted(self.known.keys, keys[~mine])]
        return out


def group(keys: np.ndarray, sig: np.ndarray, ok: np.ndarray, index: _BandIndex
          ) -> tuple[list[int], list[int | None], list[float | None]]:
    """dup_group, dup_of and dup_similarity of a batch (keys unique), updating the index.

    A post's candidates are the members of its buckets (among the BUCKET_CAP lowest keys of the bucket)
    with a lower key; its ``dup_of`` is the lowest-keyed candidate at least THRESHOLD alike. The lowest
    candidate of all is tried first (for a copy of a campaign it is the campaign's first post); only the
    posts it does not settle have all their candidates compared."""
    n = len(keys)
    groups: list[int] = keys.tolist()
    dup_of: list[int | None] = [None] * n
    similarity: list[float | None] = [None] * n
    rows = np.flatnonzero(ok)
    if not len(rows):
        return groups, dup_of, similarity
    q_hash = band_hashes(sig[rows]).ravel()
    q_row = np.repeat(rows, BANDS)
    s_hash, s_key = index.members(q_hash)
    b = _buckets(q_hash, keys[q_row], q_row, s_hash, s_key)
    member = b.rank < BUCKET_CAP
    known = index.known(np.unique(b.keys[member & (b.row < 0)]))
    sigs = _Signatures(sig, known)

    # 1. each post against the lowest-keyed member of all its buckets
    asking = np.flatnonzero((b.row >= 0) & (b.rank > 0))
    lowest = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, b.row[asking], b.keys[b.start[asking]])
    first_pos = np.full(n, -1, dtype=np.int64)
    hit = b.keys[b.start[asking]] == lowest[b.row[asking]]
    first_pos[b.row[asking][hit]] = b.start[asking][hit]
    posts = np.flatnonzero(first_pos >= 0)
    cand = first_pos[posts]
    sim = (sig[posts] == sigs.of(b.keys[cand], b.row[cand])).mean(axis=1)
    found = {int(p): (int(b.keys[c]), float(s)) for p, c, s in zip(posts, cand, sim) if s >= THRESHOLD}

    # 2. the posts left: all their candidates, the lowest-keyed one alike enough
    unsettled = np.zeros(n, dtype=bool)
    unsettled[posts] = sim < THRESHOLD
    asking = asking[unsettled[b.row[asking]]]
    if len(asking):
        cand, owner = _expand(b.start[asking], np.minimum(b.rank[asking], BUCKET_CAP))
        post = b.row[asking][owner]
        order = np.lexsort((b.keys[cand], post))
        post, cand = post[order], cand[order]
        sim = (sig[post] == sigs.of(b.keys[cand], b.row[cand])).mean(axis=1)
        for p, c, s in zip(post[sim >= THRESHOLD].tolist(), cand[sim >= THRESHOLD].tolist(),
                           sim[sim >= THRESHOLD].tolist()):
            if p not in found:
                found[p] = (int(b.keys[c]), s)

    # 3. groups, in key order (a candidate in the batch has its group before the posts after it)
    known_group = dict(zip(known.keys.tolist(), known.groups.tolist()))
    in_batch: dict[int, int] = {}
    for i in np.argsort(keys, kind="stable").tolist():
        match = found.get(i)
        if match is not None:
            key, s = match
            dup_of[i], similarity[i] = key, round(s, 6)
            groups[i] = in_batch[key] if key in in_batch else known_group[key]
        in_batch[int(keys[i])] = groups[i]

    new = member & ~b.stored
    new_rows = np.unique(b.row[new])
    index.add((b.hashes[new], b.keys[new]),
              (keys[new_rows], np.array([groups[i] for i in new_rows.tolist()], dtype=np.int64), sig[new_rows]))
    return groups, dup_of, similarity


# -- the enricher ------------------------------------------------------------------------------------------

class NearDuplicatesEnricher:
    """Retweets, copies and templated posts grouped under their earliest post (see the module)."""

    name = "near_duplicates"
    version = 1
    requires: tuple[str, ...] = ()
    provides = (Column("dup_group", "BIGINT"), Column("dup_of", "BIGINT"), Column("dup_similarity", "DOUBLE"))

    def __init__(self) -> None:
        self._index: _BandIndex | None = None
        self._own: duckdb.DuckDBPyConnection | None = None

    def attach(self, store: Any) -> None:
        """Keep the band index in the store's own connection (tables ``dup_*``)."""
        self._index = _BandIndex(store.con, self.version)

    def _band_index(self) -> _BandIndex:
        if self._index is None:  # no store: a private in-memory database for the life of this object
            self._own = duckdb.connect(":memory:")
            self._index = _BandIndex(self._own, self.version)
        return self._index

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        if not posts:
            return {"dup_group": [], "dup_of": [], "dup_similarity": []}
        sig, ok = signatures([_post_text(p) for p in posts])
        keys = np.array([p.key for p in posts], dtype=np.int64)
        groups, dup_of, similarity = group(keys, sig, ok, self._band_index())
        return {"dup_group": groups, "dup_of": dup_of, "dup_similarity": similarity}
