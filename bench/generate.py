"""Synthetic X/Twitter API v1.1 statuses as JSON lines: deterministic, streamed to disk.

Each line is a status object shaped like what the v1.1 streaming/search API (and twarc 1) wrote: ``id`` and
``id_str`` (snowflake ids that grow with time), ``created_at`` in Twitter's own format, ``text`` of 60–280
characters in Swedish (about 60 %) or English, ``source``, ``entities`` (hashtags, mentions, urls with
indices), counts, ``lang``, ``timestamp_ms`` and a full ``user`` object (about 35 fields, as the API sends
it) from a pool of authors whose activity is heavy-tailed and whose follower counts drift over the year.
About 30 % are replies to an earlier post of the file (mostly recent ones, so reply chains grow deep, as in
real threads); one reply in twenty points at a post that is not in the file (a collection filtered by
keyword misses parents), so the store sees orphans too.

Only the author pool (serialised, about 1 KB an author) and a ring of recent posts are kept in memory; the
posts are written as they are made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import orjson

__all__ = ["GenStats", "generate", "copy_prefix"]

_TWEPOCH_MS = 1288834974657
_START = datetime(2023, 1, 1, tzinfo=timezone.utc)
_SPAN_MS = 365 * 24 * 3600 * 1000
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RECENT = 20_000  # the ring of recent posts replies are drawn from
REPLY_SHARE = 0.30
ORPHAN_SHARE = 0.05  # of replies: the parent is not in the file

_SV = (
    "jag du vi de det som inte att och en ett är var har hade kan ska vill måste bara också mycket "
    "elpriset elräkningen strömavbrott avbrott nätet kundtjänst kundservice fakturan avtalet fast rörligt "
    "pris kronor månad vinter sommar idag igår imorgon äntligen igen varför hur när vem tack hej svar "
    "snabbt långsamt dåligt bra jättebra katastrof skandal hoppas tror tycker känns verkar fungerar "
    "solceller laddbox elbil värmepump vindkraft kärnkraft fjärrvärme Stockholm Göteborg Malmö Kiruna "
    "Umeå Luleå Sundsvall Uppsala Norrland glesbygden hushållen företagen regeringen kommunen "
    "energibolaget leverantören elnätet kunderna priset räkningen timmar dagar veckor hela natten "
    "fortfarande ingen någon ingenting allt alla många några få mer mindre dyrare billigare "
    "åtminstone ändå kanske absolut verkligen faktiskt säkert helt väldigt ganska lite över under"
).split()
_EN = (
    "I you we they it that this not and a the is was has had can will must just also very much "
    "power outage electricity bill price contract fixed variable customer service support invoice "
    "winter summer today yesterday tomorrow finally again why how when who thanks hello answer fast "
    "slow bad good great terrible scandal hope think feel seems works solar panels charger EV heat "
    "pump wind nuclear district heating Sweden Stockholm Gothenburg households companies government "
    "energy company supplier grid customers hours days weeks all night still nobody nothing everyone "
    "many some few more less expensive cheaper at least anyway maybe absolutely really actually surely "
    "completely quite bit over under about after before during without because"
).split()
_TAGS_SV = ("elpriset", "strömavbrott", "energi", "klimat", "solenergi", "elbil", "svpol", "vinter")
_TAGS_EN = ("energy", "poweroutage", "climate", "solar", "EV", "Sweden", "electricity", "winter")
_EMOJI = ("👍", "😡", "🙏", "⚡", "😂", "❄️", "☀️", "💸")
_SOURCES = (
    '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
    '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
    '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>',
)
_FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per", "Lena",
          "Mikael", "Ida", "Nils", "Elin", "Oskar", "Sofia", "Jonas", "Alice", "Henrik", "John", "Mary")
_LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
         "Svensson", "Gustafsson", "Lindberg", "Berg", "Holm", "Smith", "Brown", "Taylor")
_PLACES = ("Stockholm", "Göteborg", "Malmö", "Kiruna", "Umeå", "Uppsala", "Sverige", "London", "", "")


@dataclass
class GenStats:
    posts: int
    replies: int
    orphans: int
    bytes: int
    authors: int


def _twitter_time(ms: int) -> str:
    dt = datetime.fromtimestamp(ms / 1000, timezone.utc)
    return (f"{_DAYS[dt.weekday()]} {_MONTHS[dt.month - 1]} {dt.day:02d} "
            f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} +0000 {dt.year}")


class _Author:
    """One author of the pool: the user object serialised in two halves around ``followers_count``."""

    __slots__ = ("id_str", "screen_name", "head", "tail", "followers", "growth")

    def __init__(self, rng: random.Random, index: int):
        self.id_str = str(10_000_000 + index * 7919)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        self.screen_name = f"{first.lower()}_{last.lower()}{index}"
        self.followers = int(rng.paretovariate(1.2) * 40)
        self.growth = rng.random() * 3  # followers a day
        sv = rng.random() < 0.65
        created = _START.timestamp() * 1000 - rng.randrange(10 * 365 * 24 * 3600 * 1000)
        user = {
            "id": int(self.id_str), "id_str": self.id_str, "name": f"{first} {last}",
            "screen_name": self.screen_name, "location": rng.choice(_PLACES),
            "description": " ".join(rng.choices(_SV if sv else _EN, k=rng.randrange(0, 16))),
            "url": None if rng.random() < 0.7 else f"https://t.co/{rng.getrandbits(40):x}",
            "entities": {"description": {"urls": []}}, "protected": False,
            "followers_count": 0, "friends_count": rng.randrange(0, 3000),
            "listed_count": rng.randrange(0, 50), "created_at": _twitter_time(int(created)),
            "favourites_count": rng.randrange(0, 20000), "utc_offset": None, "time_zone": None,
            "geo_enabled": rng.random() < 0.2, "verified": rng.random() < 0.01,
            "statuses_count": rng.randrange(1, 50000), "lang": None, "contributors_enabled": False,
            "is_translator": False, "is_translation_enabled": False,
            "profile_background_color": "C0DEED",
            "profile_background_image_url": "http://abs.twimg.com/images/themes/theme1/bg.png",
            "profile_background_image_url_https": "https://abs.twimg.com/images/themes/theme1/bg.png",
            "profile_background_tile": False,
            "profile_image_url": f"http://pbs.twimg.com/profile_images/{rng.getrandbits(60)}/a_normal.jpg",
            "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{rng.getrandbits(60)}/a_normal.jpg",
            "profile_link_color": "1DA1F2", "profile_sidebar_border_color": "C0DEED",
            "profile_sidebar_fill_color": "DDEEF6", "profile_text_color": "333333",
            "profile_use_background_image": True, "has_extended_profile": False, "default_profile": True,
            "default_profile_image": False, "following": None, "follow_request_sent": None,
            "notifications": None, "translator_type": "none",
        }
        head, tail = orjson.dumps(user).split(b'"followers_count":0', 1)
        self.head = head + b'"followers_count":'
        self.tail = tail


def _text(rng: random.Random, sv: bool, mention: str | None) -> tuple[str, list, list, list]:
    """A text of 60–280 characters with entities (hashtags, mentions, urls) and their indices."""
    target = rng.randrange(60, 281)
    words = _SV if sv else _EN
    parts: list[str] = []
    hashtags: list = []
    mentions: list = []
    urls: list = []
    length = 0
    if mention:
        parts.append(f"@{mention}")
        mentions.append({"screen_name": mention, "indices": [0, len(mention) + 1]})
        length = len(mention) + 1
    extras = rng.random()
    tag = rng.choice(_TAGS_SV if sv else _TAGS_EN) if extras < 0.35 else None
    url = f"https://t.co/{rng.getrandbits(40):x}" if 0.25 < extras < 0.45 else None
    emoji = rng.choice(_EMOJI) if extras > 0.8 else None
    reserve = (len(tag) + 2 if tag else 0) + (len(url) + 1 if url else 0) + (3 if emoji else 0)
    for w in rng.choices(words, k=60):
        if length + len(w) + 1 + reserve > target:
            break
        parts.append(w)
        length += len(w) + (1 if length else 0)
    if len(parts) > 1 and parts[1 if mention else 0][:1].islower():
        i = 1 if mention else 0
        parts[i] = parts[i][:1].upper() + parts[i][1:]
    text = " ".join(parts)
    if tag:
        start = len(text) + 1
        text += f" #{tag}"
        hashtags.append({"text": tag, "indices": [start, start + len(tag) + 1]})
    if url:
        start = len(text) + 1
        text += f" {url}"
        urls.append({"url": url, "expanded_url": f"https://example.se/{url[-6:]}",
                     "display_url": f"example.se/{url[-6:]}", "indices": [start, start + len(url)]})
    if emoji:
        text += f" {emoji}"
    while len(text) < 60:  # very short word draws: pad with words, still under 280
        text += " " + rng.choice(words)
    return text[:280], hashtags, mentions, urls


def generate(path: str | Path, n: int, *, seed: int = 2024, authors: int = 50_000) -> GenStats:
    """Write ``n`` statuses to ``path`` as JSON lines, spread over one year. The same arguments give the
    same bytes."""
    rng = random.Random(seed)
    pool = [_Author(random.Random(seed * 1_000_003 + i), i) for i in range(authors)]
    step = max(1, _SPAN_MS // max(n, 1))
    start_ms = int(_START.timestamp() * 1000)
    recent: list[tuple[int, str, _Author]] = []  # ring: (id, id_str, author)
    replies = orphans = written = 0
    dumps = orjson.dumps
    with open(path, "wb", buffering=1 << 20) as f:
        for i in range(n):
            ms = start_ms + i * step + rng.randrange(step)
            native = ((ms - _TWEPOCH_MS) << 22) | rng.getrandbits(22)
            author = pool[int(authors * rng.random() ** 3)]  # heavy-tailed: a few authors write a lot
            sv = rng.random() < 0.6
            parent: tuple[int, str, _Author] | None = None
            if recent and rng.random() < REPLY_SHARE:
                replies += 1
                if rng.random() < ORPHAN_SHARE:
                    orphans += 1
                    gone = native - ((rng.randrange(1, 10_000_000)) << 22)
                    ghost = pool[rng.randrange(authors)]
                    parent = (gone, str(gone), ghost)
                else:
                    back = int(len(recent) * rng.random() ** 4)  # mostly recent posts
                    parent = recent[(i - 1 - back) % len(recent)] if len(recent) == _RECENT else recent[-1 - back]
            text, hashtags, mentions, urls = _text(rng, sv, parent[2].screen_name if parent else None)
            retweets = int(rng.paretovariate(1.5)) - 1
            status = {
                "created_at": _twitter_time(ms), "id": native, "id_str": str(native), "text": text,
                "source": _SOURCES[i % 4 if rng.random() < 0.5 else 0], "truncated": False,
                "in_reply_to_status_id": parent[0] if parent else None,
                "in_reply_to_status_id_str": parent[1] if parent else None,
                "in_reply_to_user_id": int(parent[2].id_str) if parent else None,
                "in_reply_to_user_id_str": parent[2].id_str if parent else None,
                "in_reply_to_screen_name": parent[2].screen_name if parent else None,
                "geo": None, "coordinates": None, "place": None, "contributors": None,
                "is_quote_status": False, "quote_count": int(retweets * rng.random() * 0.2),
                "reply_count": int(rng.paretovariate(2.0)) - 1, "retweet_count": retweets,
                "favorite_count": int(rng.paretovariate(1.3)) - 1,
                "entities": {"hashtags": hashtags, "urls": urls, "user_mentions": mentions, "symbols": []},
                "favorited": False, "retweeted": False, "filter_level": "low", "lang": "sv" if sv else "en",
                "timestamp_ms": str(ms),
            }
            followers = author.followers + int(author.growth * (i * step) / 86_400_000)
            line = b"".join((dumps(status)[:-1], b',"user":', author.head, str(followers).encode(),
                             author.tail, b"}\n"))
            f.write(line)
            written += len(line)
            entry = (native, str(native), author)
            if len(recent) < _RECENT:
                recent.append(entry)
            else:
                recent[i % _RECENT] = entry
    return GenStats(posts=n, replies=replies, orphans=orphans, bytes=written, authors=authors)


def copy_prefix(src: str | Path, dst: str | Path, n: int) -> int:
    """The first ``n`` lines of ``src`` into ``dst`` (streamed); returns the lines copied."""
    copied = 0
    with open(src, "rb") as fin, open(dst, "wb", buffering=1 << 20) as fout:
        for line in fin:
            if copied >= n:
                break
            fout.write(line)
            copied += 1
    return copied
