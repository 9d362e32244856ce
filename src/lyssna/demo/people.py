"""Who talks in the demo: customers, a few influential voices, the company's own and its competitors'
accounts — one pool per platform, with heavy-tailed followers and activity (a few people write a lot,
most write once or twice; a few are heard by tens of thousands, most by a hundred or two).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from . import vocabulary as v

__all__ = ["Persona", "Pool", "Cast", "OWN_HANDLES", "MASTODON_HOME", "STAFF"]

#: The company's own accounts per platform (handles as each platform writes them).
OWN_HANDLES: dict[str, tuple[str, ...]] = {
    "twitter": ("NorrskenEnergi", "NorrskenHjalp"),
    "mastodon": ("norrskenenergi",),
    "reddit": ("Norrsken_Energi",),
    "forum": ("Norrsken_Kundservice",),
}
#: The instance the Mastodon export was fetched from (local accounts have no domain in their acct).
MASTODON_HOME = "mastodon.nu"
_MASTODON_ELSEWHERE = ("mastodon.social", "fikaverse.club", "mastodonsweden.se", "social.vivaldi.net",
                       "toot.community", "mastodon.online")
#: Customer-service staff who sign the company's replies in the dialogue period.
STAFF = ("Sara", "Ahmed", "Linnea", "Mikael", "Johanna", "Erik")


@dataclass(frozen=True, slots=True)
class Persona:
    """One account on one platform."""

    platform: str
    native_id: str  # the platform's account id (for Reddit and the forum: the name)
    handle: str  # username, without @ (Mastodon: without the domain)
    name: str  # display name
    lang: str  # the language it writes in: sv, en, no, da
    role: str  # customer, journalist, consumer, expert, own, competitor
    followers: int
    following: int
    posts: int  # statuses written in its life (for profile metrics)
    created: datetime
    verified: bool = False
    instance: str | None = None  # Mastodon: the account's home server
    bio: str = ""
    location: str = ""

    @property
    def own(self) -> bool:
        return self.role == "own"

    @property
    def first_name(self) -> str:
        return self.name.split()[0].strip(" _-.") or self.handle


class Pool:
    """Personas of one platform, drawn by activity weight (cumulative weights, bisect)."""

    def __init__(self, people: list[Persona], weights: list[float]):
        self.people = people
        self._cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self._cum.append(total)
        self._by_lang: dict[str, tuple[list[Persona], list[float]]] = {}
        for lang in ("sv", "en", "no", "da"):
            chosen = [(p, w) for p, w in zip(people, weights) if p.lang == lang]
            cum, t = [], 0.0
            for _, w in chosen:
                t += w
                cum.append(t)
            self._by_lang[lang] = ([p for p, _ in chosen], cum)

    def pick(self, rng: random.Random, lang: str | None = None, avoid: Persona | None = None) -> Persona:
        """A persona by activity weight (of one language when asked), never ``avoid``."""
        people, cum = (self.people, self._cum) if lang is None else self._by_lang[lang]
        if not people:
            people, cum = self.people, self._cum
        for _ in range(8):
            person = people[min(len(people) - 1, bisect_left(cum, rng.random() * cum[-1]))]
            if person is not avoid:
                return person
        return people[0] if people[0] is not avoid else people[-1]


@dataclass(frozen=True, slots=True)
class Cast:
    """Everyone, per platform: ``pools`` of customers, plus named accounts."""

    pools: dict[str, Pool]
    own: dict[str, tuple[Persona, ...]]
    competitors: tuple[Persona, ...]  # on X
    voices: tuple[Persona, ...]  # the journalist, the consumer-rights account, experts (on X)
    mastodon_voices: tuple[Persona, ...]

    @classmethod
    def build(cls, rng: random.Random, scale: float) -> "Cast":
        """Draw the cast. Pool sizes grow with the square root of ``scale`` (more posts, more repeat voices)."""
        grow = math.sqrt(scale)
        names = _Names(rng)
        pools = {
            "twitter": _pool(rng, names, "twitter", int(2600 * grow) + 50),
            "mastodon": _pool(rng, names, "mastodon", int(520 * grow) + 20),
            "reddit": _pool(rng, names, "reddit", int(900 * grow) + 30),
            "forum": _pool(rng, names, "forum", int(160 * grow) + 20),
        }
        own = {platform: tuple(_named(rng, platform, h, *v.OWN_PROFILES[h]) for h in handles)
               for platform, handles in OWN_HANDLES.items()}
        competitors = tuple(_named(rng, "twitter", h, *profile) for h, profile in v.COMPETITOR_PROFILES.items())
        voices = tuple(_named(rng, "twitter", h, *profile) for h, profile in v.VOICE_PROFILES.items())
        mastodon_voices = tuple(_named(rng, "mastodon", h, *profile) for h, profile in v.MASTODON_VOICES.items())
        return cls(pools, own, competitors, voices, mastodon_voices)

    def voice(self, role: str) -> Persona:
        """The first influential voice on X with this role."""
        return next(p for p in self.voices if p.role == role)


# ---------------------------------------------------------------------------------------------------


_EPOCH = datetime(2008, 1, 1, tzinfo=timezone.utc)


def _created(rng: random.Random, platform: str) -> datetime:
    earliest = {"twitter": 0, "mastodon": 3950, "reddit": 1200, "forum": 800}[platform]
    return _EPOCH + timedelta(days=rng.randint(earliest, 6150), seconds=rng.randint(0, 86399))


def _numeric_id(rng: random.Random, platform: str, created: datetime) -> str:
    if platform == "twitter":
        if created.year < 2014:
            return str(rng.randint(10_000_000, 2_400_000_000))
        ms = int(created.timestamp() * 1000) - 1288834974657
        return str((ms << 22) | rng.getrandbits(22))
    return str(rng.randint(100_000, 113_000_000_000_000_000) if created.year > 2022 else rng.randint(1, 900_000))


def _followers(rng: random.Random) -> int:
    """Log-normal: median about 150, one in a hundred above 5,000."""
    return max(0, int(math.exp(rng.gauss(5.0, 1.55))))


class _Names:
    """Unique handles from Swedish (and some foreign) names, in the styles people pick."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    def person(self, lang: str) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(v.FIRST_NAMES.get(lang, v.FIRST_NAMES["sv"]))
        last = rng.choice(v.LAST_NAMES.get(lang, v.LAST_NAMES["sv"]))
        style = rng.random()
        if style < 0.3:
            handle = f"{first}{last}"
        elif style < 0.5:
            handle = f"{first}_{last[0]}"
        elif style < 0.65:
            handle = f"{first}{rng.randint(1, 99)}"
        elif style < 0.8:
            handle = f"{rng.choice(v.HANDLE_WORDS)}{first.capitalize()}"
        else:
            handle = f"{first[:4]}{last[:3]}{rng.randint(70, 2009)}"
        handle = _ascii(handle)[:15]
        display = rng.choice((f"{first} {last}", f"{first} {last}", first.capitalize(), f"{first} {last[0]}.",
                              f"{first} {rng.choice(v.DISPLAY_EMOJI)}"))
        while handle.lower() in self.taken:
            handle = f"{handle[:13]}{rng.randint(10, 99)}"
        self.taken.add(handle.lower())
        return handle, display


def _ascii(s: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "é": "e", "ø": "o", "æ": "ae"})
    return s.translate(table)


def _pool(rng: random.Random, names: _Names, platform: str, size: int) -> Pool:
    people: list[Persona] = []
    weights: list[float] = []
    english = 0.13 if platform in ("twitter", "mastodon") else 0.2 if platform == "reddit" else 0.0
    nordic = 0.025 if platform in ("twitter", "mastodon") else 0.0
    for _ in range(size):
        r = rng.random()
        lang = "en" if r < english else ("no" if rng.random() < 0.6 else "da") if r < english + nordic else "sv"
        handle, display = names.person(lang)
        if platform == "reddit":
            handle = rng.choices((handle, f"{handle}_{rng.randint(1, 999)}", f"Throwaway{rng.randint(1000, 99999)}",
                                  f"{rng.choice(v.REDDIT_WORDS)}{rng.choice(v.REDDIT_WORDS)}{rng.randint(0, 99)}",
                                  f"{rng.choice(v.REDDIT_WORDS)}_{rng.choice(v.REDDIT_WORDS).lower()}"),
                                 (30, 20, 8, 27, 15))[0]
            while handle.lower() in names.taken:
                handle += str(rng.randint(0, 9))
            names.taken.add(handle.lower())
        elif platform == "forum":
            handle = rng.choice((handle, f"{rng.choice(v.FORUM_WORDS)}{rng.randint(1, 99)}",
                                 f"{rng.choice(v.FORUM_WORDS)}{rng.choice(v.FORUM_WORDS).lower()}"))
            while handle.lower() in names.taken:
                handle += str(rng.randint(0, 9))
            names.taken.add(handle.lower())
        created = _created(rng, platform)
        followers = _followers(rng)
        instance = None
        if platform == "mastodon":
            instance = MASTODON_HOME if rng.random() < 0.45 else rng.choice(_MASTODON_ELSEWHERE)
            followers = max(0, followers // 3)
        native = handle if platform in ("reddit", "forum") else _numeric_id(rng, platform, created)
        people.append(Persona(
            platform=platform, native_id=native, handle=handle, name=display, lang=lang, role="customer",
            followers=followers, following=max(0, int(followers * rng.uniform(0.3, 2.5)) + rng.randint(0, 300)),
            posts=int(math.exp(rng.gauss(7.0, 1.4))), created=created, instance=instance,
            bio=rng.choice(v.BIOS[lang if lang in v.BIOS else "sv"]), location=rng.choice(v.LOCATIONS),
        ))
        weights.append(math.exp(rng.gauss(0.0, 1.15)))  # activity: heavy-tailed
    return Pool(people, weights)


def _named(rng: random.Random, platform: str, handle: str, name: str, role: str, followers: int, bio: str,
           verified: bool = False) -> Persona:
    created = _EPOCH + timedelta(days=rng.randint(400, 2600), seconds=rng.randint(0, 86399))
    if platform == "mastodon":
        created = datetime(2022, 11, 1, tzinfo=timezone.utc) + timedelta(days=rng.randint(0, 400))
    native = handle if platform in ("reddit", "forum") else _numeric_id(rng, platform, created)
    return Persona(
        platform=platform, native_id=native, handle=handle, name=name, lang="sv", role=role,
        followers=followers, following=rng.randint(80, 1500), posts=rng.randint(2000, 40000), created=created,
        verified=verified, instance=MASTODON_HOME if platform == "mastodon" else None, bio=bio,
        location="Sundsvall" if role == "own" else rng.choice(v.LOCATIONS),
    )
