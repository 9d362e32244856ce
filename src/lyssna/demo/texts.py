"""Making a post's text: a template of the right language and intent, its slots filled, and the small
habits of real people added — emoji, hashtags, slang, lower case, the occasional typo.
"""

from __future__ import annotations

import random
import re
from datetime import date

from . import vocabulary as v
from .phrases import TEMPLATES
from .scenario import COMPANY, COMPETITORS

__all__ = ["TextMaker", "typo", "news_slug"]

_NO_DIACRITICS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})
_POSITIVE = ("praise", "praise_dialogue", "thanks", "close", "crisis_after", "pilot_user", "campaign_user")
_WORD = re.compile(r"^[A-Za-zÅÄÖåäö]{5,}$")
_SLUGS = (
    "elpriset-stiger-infor-helgen", "natavgiften-hojs-igen", "norrsken-energi-investerar-i-elnatet",
    "sa-mycket-dyrare-blir-elen-i-vinter", "elbolagens-kundtjanst-granskad", "rekordlaga-elpriser-i-norr",
    "vindkraftsparken-far-klartecken", "fast-eller-rorligt-elpris", "elnatet-i-norrland-behover-byggas-om",
    "sa-funkar-effektavgiften", "tusentals-utan-strom-efter-stormen", "laddbox-pilot-i-sundsvall",
    "elbolagen-och-sociala-medier", "kundnojdheten-hos-elbolagen", "stormen-vidar-sa-gick-det-till",
)


def news_slug(rng: random.Random) -> str:
    """A plausible article slug about energy."""
    return f"{rng.choice(_SLUGS)}-{rng.randint(100, 999)}"


def typo(text: str, rng: random.Random) -> str:
    """One slip of the thumb in a longer plain word: two letters swapped, one dropped or doubled, or
    å/ä/ö typed without their dots (a phone without a Swedish keyboard)."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if _WORD.match(w)]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    kind = rng.randrange(4)
    j = rng.randrange(1, len(w) - 1)
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif kind == 1:
        w = w[:j] + w[j + 1:]
    elif kind == 2:
        w = w[:j] + w[j] + w[j:]
    else:
        w = w.translate(_NO_DIACRITICS)
    words[i] = w
    return " ".join(words)


class _Slots(dict):
    """Slot values made on demand, so a template only draws the random numbers it uses."""

    def __init__(self, maker: "TextMaker", brand: str, platform: str, lang: str, day: date, name: str,
                 staff: str, link: str, given: dict[str, str] | None = None):
        super().__init__(given or {})
        self.maker, self.brand, self.platform, self.lang, self.day = maker, brand, platform, lang, day
        self.name, self.staff, self.link = name, staff, link

    def __missing__(self, key: str) -> str:
        rng = self.maker.rng
        if key == "b":
            value = self.maker.brand(self.brand, "plain", self.platform)
        elif key == "bg":
            value = self.maker.brand(self.brand, "gen", self.platform)
        elif key == "c":
            others = [c for c in (COMPANY,) + COMPETITORS if c != self.brand]
            value = self.maker.brand(rng.choice(others), "plain", "forum")
        elif key == "ort":
            value = rng.choice(v.TOWNS)
        elif key == "gort":
            value = rng.choice(v.GRID_TOWNS)
        elif key == "n":
            value = str(rng.randint(2, 9))
        elif key == "mins":
            value = str(rng.choice((25, 35, 40, 45, 50, 55, 62, 75, 90, 110)))
        elif key == "short":
            value = str(rng.randint(4, 25))
        elif key == "kr":
            value = str(rng.randrange(300, 4200, 10))
        elif key == "ore":
            value = str(rng.randint(18, 340))
        elif key == "h":
            value = str(rng.randint(3, 31))
        elif key == "hh":
            value = f"{rng.randint(6, 23):02d}"
        elif key == "k":
            value = str(rng.randint(2, 12))
        elif key == "pct":
            value = str(rng.randint(58, 86))
        elif key == "month":
            months = v.MONTHS_EN if self.lang == "en" else v.MONTHS_SV
            value = months[(self.day.month - 1 - rng.randint(0, 1)) % 12]
        elif key == "memory":
            value = rng.choice(v.SUMMER_MEMORIES)
        elif key == "name":
            value = self.name
        elif key == "staff":
            value = self.staff
        elif key == "link":
            value = self.link or self.maker.news_link(self.day)
        else:
            raise KeyError(key)
        self[key] = value
        return value


class TextMaker:
    """Fills templates with one random generator, so that the same seed gives the same words."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def brand(self, company: str, form: str, platform: str) -> str:
        """How someone writes a company's name on a platform (handles only where the company has one)."""
        forms = v.BRAND_FORMS[company][form]
        if platform != "twitter":
            banned = ("@",) if platform == "mastodon" else ("@", "#")
            forms = tuple(f for f in forms if not f.startswith(banned)) or forms
            if platform == "mastodon" and company == COMPANY and self.rng.random() < 0.3:
                return "@norrskenenergi:s" if form == "gen" else "@norrskenenergi"
        return self.rng.choice(forms)

    def news_link(self, day: date) -> str:
        """A link to a news article (real outlets' address patterns, invented articles)."""
        rng = self.rng
        _, pattern = rng.choice(v.NEWS_SITES)
        return pattern.format(slug=news_slug(rng), mm=f"{day.month:02d}", dd=f"{day.day:02d}")

    def company_link(self) -> str:
        """A link to a page on the company's own site."""
        section = self.rng.choice(("nyheter", "press", "kundservice", "elnat", "sommar", "avbrott", "laddbox"))
        return f"https://www.norrskenenergi.se/{section}/{self.rng.randint(1000, 9999)}"

    def template(self, lang: str, intent: str) -> tuple[str, str]:
        """A template for a language and intent; falls back to English, then Swedish. Returns (lang, text)."""
        for candidate in (lang, "en", "sv"):
            options = TEMPLATES.get((candidate, intent))
            if options:
                return candidate, self.rng.choice(options)
        raise KeyError(f"no template for {intent!r}")

    def fill(self, template: str, *, brand: str = COMPANY, platform: str = "twitter", lang: str = "sv",
             day: date, name: str = "", staff: str = "", link: str = "", given: dict[str, str] | None = None) -> str:
        """A template with its slots filled (``given`` fixes some slots, e.g. the hour of an update)."""
        text = template.format_map(_Slots(self, brand, platform, lang, day, name, staff, link, given))
        return self.localise(text, platform)

    def localise(self, text: str, platform: str) -> str:
        """X handles written into templates, as they would be written on other platforms."""
        if platform == "twitter":
            return text
        if platform == "mastodon":
            return text.replace("@NorrskenEnergi", "@norrskenenergi").replace("@NorrskenHjalp", "@norrskenenergi")
        return text.replace("@NorrskenEnergi", "Norrsken Energi").replace("@NorrskenHjalp", "Norrsken Energi")

    def post(self, intent: str, lang: str, *, day: date, brand: str = COMPANY, platform: str = "twitter",
             name: str = "", staff: str = "", link: str = "", casual: bool = True,
             given: dict[str, str] | None = None) -> tuple[str, str]:
        """A whole post: template, slots and, when ``casual``, people's habits. Returns (text, language)."""
        lang, template = self.template(lang, intent)
        text = self.fill(template, brand=brand, platform=platform, lang=lang, day=day, name=name, staff=staff,
                         link=link, given=given)
        if casual:
            text = self.habits(text, intent, lang)
        return text, lang

    def habits(self, text: str, intent: str, lang: str) -> str:
        """Emoji, hashtags, slang, lower case and typos, in the proportions people use them."""
        rng = self.rng
        r = rng.random
        negative = intent in ("complaint", "crisis_angry", "retort", "still")
        positive = intent in _POSITIVE
        if lang == "sv" and negative and r() < 0.15:
            text = rng.choice(v.SLANG_OPENERS) + text[:1].lower() + text[1:]
        if lang == "sv" and r() < 0.08:
            text = text.rstrip(".") + rng.choice(v.SLANG_CLOSERS)
        if negative and r() < 0.4:
            text += " " + rng.choice(v.NEG_EMOJI)
        elif positive and r() < 0.5:
            text += " " + rng.choice(v.POS_EMOJI)
        elif r() < 0.08:
            text += " " + rng.choice(v.NEUTRAL_EMOJI)
        if intent.startswith("crisis") and "#" not in text and r() < 0.85:
            text += " " + " ".join(rng.sample(v.HASHTAGS["crisis"][1:], rng.randint(1, 2)))
        elif intent in v.HASHTAGS and "#" not in text and r() < 0.22:
            tags = v.HASHTAGS["en"] if lang == "en" and r() < 0.6 else v.HASHTAGS[intent]
            text += " " + rng.choice(tags)
        if lang == "sv" and r() < 0.08:
            text = text.lower()
        if r() < 0.05:
            text = typo(text, rng)
        if lang == "sv" and r() < 0.015:
            text = text.translate(_NO_DIACRITICS)
        return text
