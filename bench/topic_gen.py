"""Synthetic topics and posts for the percolator and search benchmark (bench/topics.py): deterministic.

A social-listening customer with N topics tracks mostly *brands* — its own, its competitors', their
products — plus a few broad subjects. The generator makes:

- a **brand vocabulary** (:func:`brands`): pseudo-brand names made of Swedish and English word parts
  (``Norrsken``, ``Vindlux``, ``Brightvik`` …; all distinct and none a word of the post text), each with an
  industry (energy, bank, telecom, insurance, retail, cars, food) that gives it a second word for its
  full name (``Norrsken Energi``, ``Vindlux Bank``), product words, an official handle and a popularity;
- **topics** as query strings in Lyssna's query language (:func:`topics`): for brand *i* an OR group of
  its name and variants (full-name phrase, compound, hashtag, handle, ``{Exact}`` form, a wildcard on
  the name), often combined with product words (``AND`` or ``NEAR/n``, with wildcards such as
  ``laddbox*``), ``NOT`` exclusions (jobb, job, rea, sale …, the brand's own account), sometimes a
  ``lang:``/``platform:`` filter, a ``title:`` clause or a follower range; and about every 40th topic a
  broad subject (``elpriset OR elpris* OR #elpriset``) that matches many posts;
- **posts** as :class:`~lyssna.query.analysis.MatchInput` (:func:`posts`), streamed: the text of
  bench/generate.py (Swedish about 60 %, English, hashtags, mentions, t.co links, emoji), platforms
  (X/Twitter, Mastodon, news sites and Reddit with titles), lang, country, url, site, author handles,
  followers and engagement; about 4 % of posts mention one brand of the vocabulary and 1 % two (drawn
  by a heavy-tailed popularity that favours the first brands: the 1,000 of 1,000 topics get about 60 %
  of the mentions, the 10,000 of 10,000 all), in the ways people write them — ``Norrsken``, ``norrsken``, ``Norrsken
  Energi``, ``#Norrsken``, ``@norrsken_se``, ``Norrskens`` — often next to a product word, sometimes
  with a job ad or sale word, and a few posts come from the brands' own accounts.

The same seed gives the same brands, topics and posts; the first k of n topics or posts are the same
whatever n is (topics for 1,000 are the first 1,000 of the 10,000).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

from bench.generate import _EN, _FIRST, _LAST, _SV, _text
from lyssna.query.analysis import MatchInput, fold

__all__ = ["Brand", "Vocabulary", "brands", "topics", "posts", "search_queries", "BROAD_TOPICS", "EXCLUSIONS",
           "INDUSTRIES", "BRAND_POST_SHARE", "TWO_BRANDS_SHARE"]

BRAND_POST_SHARE = 0.04  # posts mentioning one tracked brand
TWO_BRANDS_SHARE = 0.01  # posts mentioning two
OWN_ACCOUNT_SHARE = 0.003  # posts written by a brand's own account
BROAD_EVERY = 40  # every 40th topic (while they last) is a broad subject

# Word parts of brand names: first and second halves, Swedish- and English-sounding.
_HEADS = (
    "norr", "syd", "väst", "öst", "nord", "sol", "vind", "berg", "dal", "lund", "vik", "fors", "ström", "ljus",
    "kraft", "våg", "sten", "gran", "björk", "ek", "lin", "hav", "sjö", "fjäll", "älv", "skog", "mål", "fyr",
    "ark", "bri", "nova", "lux", "volt", "zen", "brio", "axel", "orbi", "kvant", "pila", "tera", "vita", "alfa",
    "bright", "blue", "green", "silver", "north", "swift", "clear", "true", "prime", "smart", "flex", "spark",
    "peak", "iron", "oak", "star", "snö", "rim", "frost", "gläd", "mjöl", "hem", "by", "torp", "ham",
)
_TAILS = (
    "sken", "kraft", "vik", "berg", "lund", "dal", "holm", "ström", "gård", "fors", "näs", "ås", "sund",
    "lux", "tek", "tron", "gen", "ia", "ex", "ify", "ly", "io", "eon", "ova", "ium", "ix", "ara", "ello",
    "wave", "line", "point", "field", "way", "stone", "light", "bridge", "works", "hub", "gate", "nest",
    "mark", "by", "torp", "stad", "bo", "hus", "lid", "ö", "vall", "mo", "ljung", "tall", "ek", "rot",
)
_THIRDS = ("a", "o", "en", "ia", "is", "us", "er", "el", "ix", "on", "um")


@dataclass(frozen=True)
class Industry:
    name: str
    full_sv: tuple[str, ...]  # second words of a full name
    full_en: tuple[str, ...]
    products_sv: tuple[str, ...]  # words of posts about its products (some also in the post text)
    products_en: tuple[str, ...]
    wildcards: tuple[str, ...]  # product words with a wildcard, as customers write them


INDUSTRIES = (
    Industry("energi", ("Energi", "El", "Kraft", "Elnät"), ("Energy", "Power"),
             ("elpriset", "fakturan", "laddbox", "elbil", "solceller", "värmepump", "avtalet", "kundtjänst",
              "strömavbrott", "elräkningen"),
             ("price", "bill", "invoice", "charger", "solar", "outage", "contract", "support"),
             ("laddbox*", "elpris*", "faktur*", "solcell*", "värmepump*", "elavtal*", "strömavbrott*")),
    Industry("bank", ("Bank", "Sparbank", "Finans"), ("Bank", "Finance"),
             ("bolånet", "räntan", "kortet", "appen", "bankid", "swish", "kontot", "lånet", "kundtjänst"),
             ("mortgage", "rate", "card", "app", "account", "loan", "fees"),
             ("bolån*", "ränt*", "bankkort*", "kreditkort*", "sparkont*")),
    Industry("telekom", ("Mobil", "Tele", "Bredband"), ("Telecom", "Mobile", "Net"),
             ("täckningen", "bredbandet", "fiber", "abonnemanget", "mobilen", "routern", "5g", "kundtjänst"),
             ("coverage", "broadband", "plan", "signal", "router", "5G", "support"),
             ("abonnemang*", "bredband*", "täckning*", "mobilabonnemang*", "fiber*")),
    Industry("försäkring", ("Försäkring", "Försäkringar"), ("Insurance",),
             ("skadan", "premien", "ersättningen", "hemförsäkring", "bilförsäkring", "kundtjänst"),
             ("claim", "premium", "coverage", "policy", "support"),
             ("försäkring*", "skadeanmäl*", "ersättning*", "premie*")),
    Industry("handel", ("Handel", "Butik", "Shop"), ("Store", "Shop"),
             ("leveransen", "returen", "paketet", "ordern", "butiken", "priset", "kundservice"),
             ("delivery", "return", "parcel", "order", "store", "refund"),
             ("leverans*", "retur*", "paket*", "beställning*", "rabattkod*")),
    Industry("bil", ("Bil", "Motor"), ("Motors", "Cars"),
             ("elbil", "laddningen", "verkstaden", "servicen", "återkallelse", "leasing"),
             ("EV", "charging", "dealer", "recall", "service", "lease"),
             ("laddning*", "återkall*", "leasing*", "verkstad*", "elbil*")),
    Industry("mat", ("Livs", "Mat", "Bageri"), ("Foods", "Kitchen"),
             ("smaken", "receptet", "butiken", "priset", "förpackningen", "leveransen"),
             ("taste", "recipe", "package", "price", "store"),
             ("förpackning*", "recept*", "smak*", "glutenfri*")),
)
_INDUSTRY_WEIGHTS = (30, 14, 12, 10, 18, 8, 8)

EXCLUSIONS_SV = ("jobb", "tjänst", "rekryterar", "lediga", "rea", "rabatt", "tävling", "erbjudande")
EXCLUSIONS_EN = ("job", "hiring", "sale", "discount", "giveaway", "deal", "careers")
EXCLUSIONS = EXCLUSIONS_SV + EXCLUSIONS_EN

#: Broad subjects a customer tracks beside brands (every BROAD_EVERY-th topic while they last).
BROAD_TOPICS = (
    "elpriset OR elpris* OR #elpriset OR elräkningen",
    '(strömavbrott OR "power outage" OR #strömavbrott OR #poweroutage) NOT test',
    '(solceller OR "solar panels" OR #solenergi OR #solar) AND NOT (rea OR sale)',
    "värmepump* OR \"heat pump\"",
    '(elbil OR "EV" OR #elbil) NEAR/4 (laddbox* OR charger OR laddning*)',
    'klimat* AND (regeringen OR kommunen OR government)',
    '"fast pris" OR "rörligt pris" OR "fixed price"',
    '(vindkraft OR "wind power") AND lang:sv',
    'kärnkraft OR nuclear OR #kärnkraft',
    '(kundtjänst OR kundservice OR "customer service") NEAR/3 (dålig* OR katastrof OR skandal OR terrible OR bad)',
    '"district heating" OR fjärrvärme',
    '#svpol AND (elpriset OR kärnkraft OR vindkraft)',
    '(energibolaget OR leverantören OR supplier) AND (fakturan OR invoice OR bill) NOT jobb',
    '(elnätet OR elnät* OR grid) AND platform:twitter',
    '(Norrland OR glesbygden) AND (strömavbrott OR avbrott OR elpriset)',
    '"energy company" OR energibolag*',
    '(Kiruna OR Luleå OR Umeå) AND (vinter OR winter)',
    '#energi OR #energy OR #electricity',
    '(elpriset OR "electricity price") AND followers:[1000 TO *]',
    'title:(elpris* OR strömavbrott) OR "rekordhöga elpriser"',
)

_SITES = ("svt.se", "dn.se", "aftonbladet.se", "expressen.se", "gp.se", "sydsvenskan.se", "di.se",
          "omni.se", "bbc.co.uk", "theguardian.com", "reuters.com")
_PLATFORMS = (("twitter", 72), ("mastodon", 10), ("web", 12), ("reddit", 6))
_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
_SPAN_S = 365 * 24 * 3600  # a million posts span a year


@dataclass(frozen=True)
class Brand:
    """One tracked brand."""

    name: str  # as written, capitalised: "Norrsken"
    full: str  # the full name: "Norrsken Energi"
    handle: str  # its official account, without @
    industry: Industry
    english: bool

    @property
    def word(self) -> str:
        """The name as a query word (folded)."""
        return fold(self.name)

    @property
    def compound(self) -> str:
        """The full name written as one word: "norrskenenergi"."""
        return fold(self.full.replace(" ", ""))

    def products(self) -> tuple[str, ...]:
        ind = self.industry
        return ind.products_en if self.english else ind.products_sv


class Vocabulary:
    """Brands with a popularity to draw mentions from: heavy-tailed, and falling with the brand's place in
    the list (shuffled within blocks of 50) — a customer tracks the brands people talk about, so the
    first 1,000 get about 60 % of the mentions and all 10,000 every one."""

    def __init__(self, items: list[Brand], seed: int):
        self.brands = items
        rng = random.Random(seed * 7 + 1)
        order = list(range(len(items)))
        for start in range(0, len(order), 50):
            block = order[start:start + 50]
            rng.shuffle(block)
            order[start:start + 50] = block
        self.rank = [0] * len(items)  # 0 = most talked about
        weights = [0.0] * len(items)
        for rank, i in enumerate(order):
            self.rank[i] = rank
            weights[i] = 1.0 / (rank + 5) ** 0.9
        self.cum = list(itertools.accumulate(weights))

    def __len__(self) -> int:
        return len(self.brands)

    def draw(self, rng: random.Random) -> Brand:
        return self.brands[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def most_popular(self, n: int, among: int | None = None) -> list[Brand]:
        """The ``n`` most mentioned brands among the first ``among`` (default all)."""
        limit = len(self.brands) if among is None else among
        ranked = sorted(range(limit), key=lambda i: self.rank[i])
        return [self.brands[i] for i in ranked[:n]]


def _names(rng: random.Random) -> Iterator[str]:
    """Distinct pseudo-brand words (folded), never a word of the post text nor a product word."""
    taken = {fold(w) for w in _SV + _EN} | {fold(p) for ind in INDUSTRIES
                                             for p in ind.products_sv + ind.products_en}
    taken |= {fold(w) for w in EXCLUSIONS}
    pairs = [h + t for h in _HEADS for t in _TAILS if h != t and not h.endswith(t)]
    rng.shuffle(pairs)
    for word in pairs:  # two parts first, then three
        if word not in taken and len(word) >= 4:
            taken.add(word)
            yield word
    for _ in range(10**7):
        word = rng.choice(_HEADS) + rng.choice(_TAILS) + rng.choice(_THIRDS)
        if word not in taken:
            taken.add(word)
            yield word
    raise RuntimeError("out of brand names")


def brands(n: int, seed: int = 11) -> Vocabulary:
    """``n`` brands (the first k are the same whatever n is)."""
    rng = random.Random(seed)
    items: list[Brand] = []
    for word in itertools.islice(_names(random.Random(seed + 1)), n):
        industry = rng.choices(INDUSTRIES, weights=_INDUSTRY_WEIGHTS)[0]
        english = rng.random() < 0.3
        name = word[:1].upper() + word[1:]
        if rng.random() < 0.03:  # a few written all in capitals, like acronyms
            name = word.upper()
        second = rng.choice(industry.full_en if english else industry.full_sv)
        handle = rng.choice((word, f"{word}_se", f"{word}sverige", f"{word}{fold(second)}", f"{word}_{fold(second)}"))
        items.append(Brand(name, f"{name} {second}", handle, industry, english))
    return Vocabulary(items, seed)


# -- topics ------------------------------------------------------------------------------------------


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _brand_group(rng: random.Random, b: Brand) -> str:
    """The ways a brand is searched for, OR'ed: its name, full name, compound, hashtag, handle …"""
    word = b.word
    full = fold(b.full)
    parts = [word] if rng.random() < 0.85 else [f"{word}*"]
    extras = [f'"{full}"', b.compound, f"#{word}", f"@{b.handle}", "{" + b.name + "}", f"{word}s"]
    weights = (0.55, 0.2, 0.35, 0.3, 0.05, 0.1)
    for part, p in zip(extras, weights):
        if rng.random() < p:
            parts.append(part)
    if parts[0] == word and rng.random() < 0.12:  # only the case-sensitive form: a name that is also a word
        parts[0] = "{" + b.name + "}"
    if rng.random() < 0.08:  # the full name alone
        parts = [f'"{full}"']
    return _or(parts)


def _product_group(rng: random.Random, b: Brand) -> str:
    plain = list(b.products())
    k = rng.randint(1, min(4, len(plain)))
    parts = rng.sample(plain, k)
    if rng.random() < 0.6:
        parts.append(rng.choice(b.industry.wildcards))
    return _or([fold(p) for p in parts])


def _exclusions(rng: random.Random, b: Brand) -> str:
    words = EXCLUSIONS_EN if b.english else EXCLUSIONS_SV
    parts = rng.sample(words, rng.randint(1, 4))
    if rng.random() < 0.25:
        parts.append('"lediga tjänster"' if not b.english else '"we are hiring"')
    if rng.random() < 0.3:
        parts.append(f"author:{b.handle}")
    return _or(parts)


def _brand_topic(rng: random.Random, b: Brand) -> str:
    query = _brand_group(rng, b)
    shape = rng.random()
    if shape < 0.30:  # about the brand's products
        query = f"{query} AND {_product_group(rng, b)}"
    elif shape < 0.50:  # the brand near a product word
        n = rng.choice((3, 5, 5, 8, 10))
        op = f"NEAR/{n}f" if rng.random() < 0.2 else f"NEAR/{n}"
        near = f"{query} {op} {_product_group(rng, b)}"
        query = near if rng.random() < 0.6 else f"({near} OR \"{fold(b.full)}\")"
    elif shape < 0.55:  # a sloppy phrase of the full name and a product
        query = f'"{fold(b.name)} {fold(rng.choice(b.products()))}"~{rng.choice((2, 3, 4))}'
    if rng.random() < 0.45:
        query = f"{query} NOT {_exclusions(rng, b)}"
    extra = rng.random()
    if extra < 0.08:
        query = f"{query} AND lang:{'en' if b.english else 'sv'}"
    elif extra < 0.12:
        query = f"{query} AND platform:{rng.choice(('twitter', 'web', 'mastodon'))}"
    elif extra < 0.15:
        query = f"({query}) OR title:{b.word}"
    elif extra < 0.18:
        query = f"{query} AND followers:[{rng.choice((500, 1000, 5000))} TO *]"
    elif extra < 0.20:
        query = f"{query} AND NOT site:{rng.choice(_SITES)}"
    return query


def topics(n: int, vocabulary: Vocabulary, seed: int = 11) -> list[str]:
    """``n`` topics as query strings: topic i is about brand i, except every :data:`BROAD_EVERY`-th (while
    :data:`BROAD_TOPICS` last), a broad subject. The first k of n are the same whatever n is."""
    if n > len(vocabulary):
        raise ValueError(f"{n} topics need at least {n} brands (vocabulary of {len(vocabulary)})")
    out: list[str] = []
    broad = iter(BROAD_TOPICS)
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)  # each topic on its own: prefixes stay the same
        if i % BROAD_EVERY == 0:
            query = next(broad, None)
            if query is not None:
                out.append(query)
                continue
        out.append(_brand_topic(rng, vocabulary.brands[i]))
    return out


# -- posts -------------------------------------------------------------------------------------------


def _mention(rng: random.Random, b: Brand) -> list[str]:
    """How a post writes a brand (words to insert)."""
    r = rng.random()
    if r < 0.42:
        return [b.name]
    if r < 0.56:
        return [b.word]
    if r < 0.70:
        return b.full.split()
    if r < 0.78:
        return [f"#{b.name}"]
    if r < 0.86:
        return [f"@{b.handle}"]
    if r < 0.92:
        return [b.name + "s"]
    if r < 0.96:
        return [b.full.replace(" ", "")]
    return [b.name.upper()]


def _insert_brand(rng: random.Random, words: list[str], b: Brand) -> None:
    skip = 1 if words and words[0].startswith("@") else 0
    at = rng.randint(skip, max(skip, len(words) - 1))
    while at < len(words) and words[at].startswith(("http", "#")):  # not inside the links and tags at the end
        at -= 1
    mention = _mention(rng, b)
    if rng.random() < 0.5:  # a product word within a few words after it
        gap = [rng.choice(_SV if not b.english else _EN) for _ in range(rng.choice((0, 0, 1, 2, 3, 5)))]
        mention = mention + gap + [rng.choice(b.products())]
    if rng.random() < 0.08:  # a job ad or a sale
        mention = mention + [rng.choice(EXCLUSIONS_EN if b.english else EXCLUSIONS_SV)]
    words[max(at, skip):max(at, skip)] = mention


def posts(n: int, vocabulary: Vocabulary, seed: int = 2024, *, start_key: int = 1) -> Iterator[MatchInput]:
    """``n`` posts (keys from ``start_key``), streamed; the first k are the same whatever n is."""
    rng = random.Random(seed)
    authors = [(f"{rng.choice(_FIRST).lower()}_{rng.choice(_LAST).lower()}{i}", int(rng.paretovariate(1.2) * 40))
               for i in range(20_000)]
    platforms = [p for p, _ in _PLATFORMS]
    platform_w = list(itertools.accumulate(w for _, w in _PLATFORMS))
    step = _SPAN_S / 1_000_000  # a million posts a year, whatever n is
    for i in range(n):
        key = start_key + i
        platform = rng.choices(platforms, cum_weights=platform_w)[0]
        sv = rng.random() < 0.6
        handle, followers = authors[int(len(authors) * rng.random() ** 3)]
        mention = authors[rng.randrange(len(authors))][0] if rng.random() < 0.3 else None
        text = _text(rng, sv, mention)[0]
        title = None
        if platform in ("web", "reddit") or rng.random() < 0.02:
            title = _text(rng, sv, None)[0][: rng.randrange(30, 90)].rsplit(" ", 1)[0]
        r = rng.random()
        tracked = 2 if r < TWO_BRANDS_SHARE else 1 if r < BRAND_POST_SHARE + TWO_BRANDS_SHARE else 0
        if tracked:
            words = text.split(" ")
            for _ in range(tracked):
                b = vocabulary.draw(rng)
                if title is not None and rng.random() < 0.3:
                    twords = title.split(" ")
                    _insert_brand(rng, twords, b)
                    title = " ".join(twords)
                else:
                    _insert_brand(rng, words, b)
            text = " ".join(words)
            if platform == "twitter":
                text = text[:320]
        if rng.random() < OWN_ACCOUNT_SHARE:  # the brand's own account speaking
            b = vocabulary.draw(rng)
            handle, followers = b.handle, 5000 + int(rng.paretovariate(1.1) * 1000)
            words = text.split(" ")
            _insert_brand(rng, words, b)
            text = " ".join(words)
        if platform == "twitter":
            site, url = "twitter.com", f"https://twitter.com/{handle}/status/{10**17 + key}"
        elif platform == "mastodon":
            site, url = "mastodon.social", f"https://mastodon.social/@{handle}/{10**15 + key}"
        elif platform == "reddit":
            site, url = "reddit.com", f"https://www.reddit.com/r/sweden/comments/{key:x}/"
        else:
            site = rng.choice(_SITES)
            url = f"https://www.{site}/nyheter/{key}"
            handle = None if rng.random() < 0.5 else handle
        country = ("SE" if rng.random() < 0.8 else None) if sv else rng.choice(("GB", "US", None, None))
        engagement = int(rng.paretovariate(1.3)) - 1 + int(rng.paretovariate(1.5)) - 1
        yield MatchInput(
            key=key, created_at=_EPOCH + timedelta(seconds=int(i * step + rng.random() * step)),
            platform=platform, text=text, title=title, url=url, lang="sv" if sv else "en", site=site,
            author=handle, country=country,
            followers=None if platform == "web" else followers + rng.randrange(0, 50),
            engagement=None if platform == "web" else engagement)


# -- search queries ----------------------------------------------------------------------------------


def search_queries(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Realistic ad-hoc searches over the history: ``(label, query)``, about the most talked-about brands
    (so they hit something) and broad subjects."""
    b1, b2, b3, b4, b5 = vocabulary.most_popular(5)
    rivals = " OR ".join(b.word for b in vocabulary.most_popular(30)[5:])
    w1, w2, w3, w4, w5 = (b.word for b in (b1, b2, b3, b4, b5))
    p = [fold(x) for x in b1.products()]
    return [
        ("boolean, brand", f'("{fold(b1.full)}" OR {w1}) AND ({p[0]} OR {p[1]} OR {p[2]}) NOT (jobb OR job OR rea)'),
        ("phrase", f'"{fold(b2.full)}"'),
        ("NEAR", f"({w3} OR #{w3}) NEAR/5 ({' OR '.join(fold(x) for x in b3.products()[:3])})"),
        ("brand wildcard OR", f"{w4}* OR {w5}* OR @{b4.handle} OR @{b5.handle}"),
        ("broad wildcards", "elpris* OR faktur* OR elräkning*"),
        ("broad boolean, fields", "(elbil OR laddbox* OR charger) AND lang:sv AND platform:twitter NOT #svpol"),
        ("common phrase OR", '"customer service" OR kundtjänst OR kundservice'),
        ("brand, followers", f"({w1} OR {w2} OR {w3}) AND followers:[1000 TO *]"),
        ("25 rival brands OR, NOT", f"({rivals}) NOT (jobb OR job OR rea OR sale)"),
        ("common words NEAR", "(kundtjänst OR kundservice OR support) NEAR/3 (dålig* OR katastrof OR skandal OR bad)"),
    ]
