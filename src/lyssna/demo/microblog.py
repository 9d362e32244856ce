"""X and Mastodon: each day's posts — customers, the company, its competitors, influential voices — and
the reply threads that grow from them.

Before the dialogue opens the company posts but barely answers (one complaint in twenty, a day later, with
a link to the contact form). Once it opens, named staff answer most complaints and questions within
minutes in working hours, customers answer back, and threads run four or five replies deep.
"""

from __future__ import annotations

import math
import random
import re
from datetime import date, datetime, timedelta, timezone

from .messages import Clock, Message, poisson
from .people import MASTODON_HOME, STAFF, Cast, Persona
from .scenario import COMPANY, COMPETITORS, STOCKHOLM, Scenario
from .texts import TextMaker

__all__ = ["Microblog"]

_MENTION = re.compile(r"@([A-Za-z0-9_]+(?:@[A-Za-z0-9.-]*[A-Za-z0-9])?)")
# How likely the company is to answer each kind of post, relative to its response rate.
_ANSWERABLE = {"complaint": 1.0, "question": 1.05, "crisis_angry": 0.75, "crisis_question": 0.95, "pilot_user": 0.4}
_STAFF_INTENT = {"complaint": "staff_complaint", "question": "staff_question", "crisis_angry": "staff_crisis",
                 "crisis_question": "staff_crisis", "pilot_user": "staff_pilot"}
_TWITTER_SHARE = 0.8


class Microblog:
    """Draws the X and Mastodon messages of one scenario, a day at a time."""

    def __init__(self, scenario: Scenario, cast: Cast, rng: random.Random, texts: TextMaker, clock: Clock):
        self.s, self.cast, self.rng, self.texts, self.clock = scenario, cast, rng, texts, clock
        self.out: dict[str, list[Message]] = {"twitter": [], "mastodon": []}

    # --- a day ------------------------------------------------------------------------------------

    def day(self, day: date) -> None:
        s, rng = self.s, self.rng
        base = s.baseline(day)
        for _ in range(poisson(rng, base)):
            self._customer(day, self._intent(day), COMPANY)
        lift = s.campaign_lift(day)
        for _ in range(poisson(rng, base / (1 + 0.6 * s.growth(day)) * lift)):
            r = rng.random()
            self._customer(day, "campaign_user" if r < 0.72 else "complaint" if r < 0.88 else "question", COMPANY)
        crisis = s.crisis_lift(day)
        for _ in range(poisson(rng, base * crisis)):
            self._customer(day, self._crisis_intent(day), COMPANY, profile="storm" if day == s.crisis_day else "people")
        for _ in range(poisson(rng, s.pilot_rate(day))):
            self._customer(day, "pilot_user", COMPANY)
        for _ in range(poisson(rng, s.competitor_rate(day))):
            brand = COMPETITORS[0] if rng.random() < 0.6 else COMPETITORS[1]
            self._customer(day, rng.choices(("complaint", "question", "praise", "neutral"), (38, 22, 18, 22))[0], brand)
        for _ in range(poisson(rng, s.chatter_rate(day))):
            self._customer(day, "chatter", None)
        self._voices(day)
        self._company(day)
        self._competitors(day)

    def _intent(self, day: date) -> str:
        g = self.s.growth(day)
        return self.rng.choices(("complaint", "question", "praise", "neutral"),
                                (46 - 16 * g, 22, 8 + 18 * g, 24 - 2 * g))[0]

    def _crisis_intent(self, day: date) -> str:
        after = (day - self.s.crisis_day).days
        weights = ((62, 28, 10), (30, 20, 50), (20, 20, 60))[min(after, 2)]
        return self.rng.choices(("crisis_angry", "crisis_question", "crisis_after"), weights)[0]

    # --- making messages --------------------------------------------------------------------------

    def _platform(self) -> str:
        return "twitter" if self.rng.random() < _TWITTER_SHARE else "mastodon"

    def _customer(self, day: date, intent: str, brand: str | None, profile: str = "people") -> Message:
        if (intent == "praise" and brand == COMPANY and self.s.in_dialogue(day)
                and self.rng.random() < 0.6 * self.s.maturity(day)):
            intent = "praise_dialogue"  # praise for the answers themselves
        platform = self._platform()
        author = self.cast.pools[platform].pick(self.rng)
        root = self.post(platform, author, self.clock.moment(day, profile), intent, author.lang, brand)
        self._converse(root)
        return root

    def post(self, platform: str, author: Persona, at, intent: str, lang: str, brand: str | None, *,
             parent: Message | None = None, name: str = "", staff: str = "", link: str = "",
             casual: bool = True, given: dict[str, str] | None = None) -> Message:
        """A message, its text drawn for its intent; a reply starts with the @names it answers."""
        day = at.astimezone(STOCKHOLM).date()
        text, lang = self.texts.post(intent, lang, day=day, brand=brand or COMPANY, platform=platform, name=name,
                                     staff=staff, link=link, casual=casual, given=given)
        if parent is not None:
            text = self._prefix(parent, author) + text
        m = Message(platform, author, at, text, lang, intent, brand=brand, parent=parent,
                    likes=self._likes(author, intent))
        if parent is not None:
            parent.children.append(m)
        self.out[platform].append(m)
        return m

    @staticmethod
    def at_name(p: Persona) -> str:
        """How a persona is @-mentioned on its platform."""
        if p.platform == "mastodon" and p.instance and p.instance != MASTODON_HOME:
            return f"{p.handle}@{p.instance}"
        return p.handle

    def _prefix(self, parent: Message, author: Persona) -> str:
        names = [self.at_name(parent.author)]
        names += _MENTION.findall(parent.text)
        me = self.at_name(author).lower()
        seen: list[str] = []
        for n in names:
            if n.lower() != me and n.lower() not in (s.lower() for s in seen):
                seen.append(n)
        return "".join(f"@{n} " for n in seen[:3])

    def _likes(self, author: Persona, intent: str) -> int:
        rng = self.rng
        if author.own and intent.startswith("staff"):
            return poisson(rng, 0.6)
        mu = math.log1p(author.followers) * 0.5 - 1.4
        if intent.startswith(("crisis", "campaign", "voice")):
            mu += 0.8
        return int(math.exp(rng.gauss(mu, 0.9)))

    def repost(self, original: Message, mean: float) -> None:
        """Retweets (X) or boosts (Mastodon) of a message, by people of the pool."""
        pool = self.cast.pools[original.platform]
        for _ in range(poisson(self.rng, mean)):
            author = pool.pick(self.rng, avoid=original.author)
            m = Message(original.platform, author, self.clock.after(original.at, 80, 1.3), original.text,
                        original.lang, "repost", brand=original.brand, repost_of=original)
            original.reposts.append(m)
            self.out[original.platform].append(m)

    # --- threads ----------------------------------------------------------------------------------

    def _own(self, platform: str, day: date) -> Persona | None:
        """The own account that answers on a platform that day (Mastodon only once the dialogue opens)."""
        accounts = self.cast.own[platform]
        if platform == "mastodon":
            return accounts[0] if self.s.in_dialogue(day) else None
        if self.s.in_dialogue(day):
            return accounts[1] if self.rng.random() < 0.85 else accounts[0]
        return accounts[self.rng.randrange(2)]

    def _converse(self, root: Message) -> None:
        s, rng = self.s, self.rng
        day = root.local_day
        own = self._own(root.platform, day)
        intent = root.intent
        if root.brand == COMPANY and own is not None:
            if intent in _ANSWERABLE and rng.random() < s.response_rate(day) * _ANSWERABLE[intent]:
                self._staff_thread(root, own)
            elif (s.in_dialogue(day) and intent in ("praise", "praise_dialogue", "crisis_after", "campaign_user")
                  and rng.random() < 0.3 * s.maturity(day)):
                self.post(root.platform, own, self.clock.staff_answer(root.at), "staff_praise",
                          "en" if root.lang == "en" else "sv", COMPANY, parent=root,
                          name=root.author.first_name.capitalize(), staff=rng.choice(STAFF), casual=False)
        elif root.brand in COMPETITORS and root.platform == "twitter" and intent in ("complaint", "question"):
            if rng.random() < 0.12:
                rival = self.cast.competitors[COMPETITORS.index(root.brand)]
                self.post("twitter", rival, self.clock.after(root.at, 240, 1.0), "competitor_reply",
                          "en" if root.lang == "en" else "sv", root.brand, parent=root, casual=False)
        if intent in ("complaint", "crisis_angry", "question") and rng.random() < 0.14:
            self._bystanders(root, own)

    def _bystanders(self, root: Message, own: Persona | None) -> None:
        rng = self.rng
        pool = self.cast.pools[root.platform]
        parent = root
        for _ in range(rng.randint(1, 3)):
            by = pool.pick(rng, avoid=root.author)
            reply = self.post(root.platform, by, self.clock.after(parent.at, 45, 1.2), "bystander", by.lang,
                              root.brand, parent=root if rng.random() < 0.7 else parent)
            if rng.random() < 0.3:
                self.post(root.platform, root.author, self.clock.after(reply.at, 20, 1.0), "agree", root.lang,
                          root.brand, parent=reply)
            if (own is not None and root.brand == COMPANY and self.s.in_dialogue(root.local_day)
                    and rng.random() < 0.25):
                self.post(root.platform, own, self.clock.staff_answer(reply.at), "staff_complaint",
                          "en" if by.lang == "en" else "sv", COMPANY, parent=reply,
                          name=by.first_name.capitalize(), staff=rng.choice(STAFF), casual=False)
            parent = reply

    def _staff_thread(self, root: Message, own: Persona) -> None:
        """The company answers; in the dialogue the customer answers back and the thread goes on."""
        rng, clock = self.rng, self.clock
        customer, platform = root.author, root.platform
        lang = "en" if root.lang == "en" else "sv"
        name, staff = customer.first_name.capitalize(), rng.choice(STAFF)

        def say(parent: Message, who: Persona, intent: str, at) -> Message:
            staffed = who.own
            return self.post(platform, who, at, intent, lang if staffed else customer.lang, COMPANY, parent=parent,
                             name=name, staff=staff, casual=not staffed)

        answer_at = clock.staff_answer(root.at)
        if not self.s.in_dialogue(root.local_day):
            reply = say(root, own, "staff_megaphone", answer_at)
            if rng.random() < 0.45:
                say(reply, customer, "retort", clock.after(reply.at, 30, 1.2))
            return
        reply = say(root, own, _STAFF_INTENT[root.intent], answer_at)
        if rng.random() >= 0.65:
            return
        if rng.random() < 0.68:
            thanks = say(reply, customer, "thanks", clock.after(reply.at, 12, 1.1))
            if rng.random() < 0.25:
                say(thanks, own, "staff_praise", clock.staff_answer(thanks.at))
            return
        still = say(reply, customer, "still", clock.after(reply.at, 60 * 8, 1.0))
        if rng.random() < 0.9:
            again = say(still, own, "staff_again", clock.staff_answer(still.at))
            if rng.random() < 0.6:
                close = say(again, customer, "close", clock.after(again.at, 30, 1.1))
                if rng.random() < 0.3:
                    say(close, own, "staff_praise", clock.staff_answer(close.at))

    # --- the company, its rivals and the loud voices -----------------------------------------------

    def _company(self, day: date) -> None:
        s, rng, clock = self.s, self.rng, self.clock
        corp = self.cast.own["twitter"][0]
        dialogue = s.in_dialogue(day)
        link = self.texts.company_link
        if day.weekday() < 5 and rng.random() < 0.7:
            m = self.post("twitter", corp, clock.moment(day, "office"), "corporate", "sv", COMPANY, link=link(),
                          casual=False)
            self.repost(m, 0.6 * s.scale)
        if dialogue and day.weekday() == 0 and rng.random() < 0.7:
            m = self.post("twitter", corp, clock.moment(day, "office"), "corporate_dialogue", "sv", COMPANY,
                          link=link(), casual=False)
            self.repost(m, 1.5 * s.scale)
        if dialogue and rng.random() < 0.3:
            self.post("mastodon", self.cast.own["mastodon"][0], clock.moment(day, "office"),
                      rng.choice(("corporate", "corporate_dialogue")), "sv", COMPANY, link=link(), casual=False)
        if day in s.campaign:
            for _ in range(2):
                m = self.post("twitter", corp, clock.moment(day, "office"), "campaign_corporate", "sv", COMPANY,
                              link=link(), casual=False)
                self.repost(m, 8 * s.scale)
                for _ in range(poisson(rng, 1.2 * s.scale)):
                    who = self.cast.pools["twitter"].pick(rng)
                    self.post("twitter", who, clock.after(m.at, 50, 1.2), rng.choice(("campaign_user", "complaint")),
                              who.lang, COMPANY, parent=m)
        after = (day - s.crisis_day).days
        if 0 <= after <= 1:
            for hour in ((5, 7, 9, 12, 15, 18, 21, 23) if after == 0 else (7, 12, 18)):
                self._crisis_update(day, hour)
        if day == s.pilot.start or (day in s.pilot and (day - s.pilot.start).days % 28 == 14):
            m = self.post("twitter", corp, clock.moment(day, "office"), "pilot_corporate", "sv", COMPANY, link=link(),
                          casual=False)
            self.repost(m, 2 * s.scale)

    def _crisis_update(self, day: date, hour: int) -> None:
        rng = self.rng
        local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 50), rng.randint(0, 59), tzinfo=STOCKHOLM)
        at = local.astimezone(timezone.utc)
        for platform in ("twitter", "mastodon"):
            corp = self.cast.own[platform][0]
            m = self.post(platform, corp, at + timedelta(seconds=rng.randint(0, 240)), "crisis_corporate", "sv",
                          COMPANY, link=self.texts.company_link(), casual=False, given={"hh": local.strftime("%H.%M")})
            self.repost(m, (16 if platform == "twitter" else 4) * self.s.scale)
            for _ in range(poisson(rng, (3.0 if platform == "twitter" else 1.0) * self.s.scale)):
                who = self.cast.pools[platform].pick(rng)
                q = self.post(platform, who, self.clock.after(m.at, 25, 1.0),
                              rng.choice(("crisis_angry", "crisis_question")), who.lang, COMPANY, parent=m)
                if rng.random() < 0.6:
                    self.post(platform, self.cast.own[platform][-1], self.clock.staff_answer(q.at), "staff_crisis",
                              "en" if q.lang == "en" else "sv", COMPANY, parent=q,
                              name=who.first_name.capitalize(), staff=rng.choice(STAFF), casual=False)

    def _competitors(self, day: date) -> None:
        for rival in self.cast.competitors:
            if self.rng.random() < 0.25:
                brand = COMPETITORS[self.cast.competitors.index(rival)]
                m = self.post("twitter", rival, self.clock.moment(day, "office"), f"corporate_{brand}", "sv", brand,
                              link=f"https://www.{rival.handle.lower()}.se/", casual=False)
                self.repost(m, 0.8 * self.s.scale)

    def _voices(self, day: date) -> None:
        s, rng = self.s, self.rng
        events = {s.campaign.start + timedelta(days=2), s.dialogue_start + timedelta(days=1), s.crisis_day,
                  s.crisis_day + timedelta(days=1), s.pilot.start + timedelta(days=3)}
        chances = {"journalist": 0.1 + (0.9 if day in events else 0.0), "consumer": 0.08, "expert": 0.05,
                   "influencer": 0.04 + (0.12 if day in s.pilot else 0.0)}
        for voice in self.cast.voices:
            if rng.random() >= chances[voice.role]:
                continue
            brand = COMPANY if rng.random() < 0.75 else rng.choice(COMPETITORS)
            m = self.post("twitter", voice, self.clock.moment(day), f"voice_{voice.role}", "sv", brand, casual=False)
            self.repost(m, (7 if voice.role == "journalist" else 3) * s.scale)
            for _ in range(poisson(rng, 2.5 * s.scale)):
                who = self.cast.pools["twitter"].pick(rng)
                self.post("twitter", who, self.clock.after(m.at, 40, 1.2),
                          rng.choice(("bystander", "complaint", "question")), who.lang, brand, parent=m)
            if brand == COMPANY and s.in_dialogue(day) and rng.random() < 0.5:
                self.post("twitter", self.cast.own["twitter"][0], self.clock.staff_answer(m.at), "staff_voice", "sv",
                          COMPANY, parent=m, name=voice.first_name, staff=rng.choice(STAFF), casual=False)
            if voice.role == "journalist" and rng.random() < 0.35:
                mirror = self.cast.mastodon_voices[0]
                text = m.text.replace("@NorrskenEnergi", "@norrskenenergi").replace("@NorrskenHjalp", "@norrskenenergi")
                copy = Message("mastodon", mirror, m.at + timedelta(minutes=rng.randint(1, 30)), text, m.lang,
                               m.intent, brand=brand, likes=self._likes(mirror, m.intent))
                self.out["mastodon"].append(copy)
                self.repost(copy, 2 * s.scale)
