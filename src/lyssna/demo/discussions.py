"""Reddit threads and forum posts: longer talk, deeper trees.

Reddit: submissions in r/sverige, r/privatekonomi, r/sundsvall and (in English) r/TillSverige and r/sweden, each with a
comment tree where replies to replies run several levels deep; once the dialogue opens, the company's
account joins threads about it. The forum: five long Flashback-style threads that fill up day by day,
where a post either answers the thread or quotes an earlier post (``Citat: Ursprungligen postat av …``).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from .longform import FORUM_SENTENCES, FORUM_THREADS, REDDIT_COMMENTS, REDDIT_EXTRA, REDDIT_TITLES
from .messages import Clock, Message, poisson
from .people import STAFF, Cast, Persona
from .scenario import COMPANY, COMPETITORS, Scenario
from .texts import TextMaker, typo

__all__ = ["Discussions"]

# What makes a forum post one the company's staff would answer.
_COMPLAINT_CUES = ("fel", "problem", "dyr", "kritik", "förbjudet", "monopol", "befogenheter", "strul", "Utan ström",
                   "14 gånger", "Varför", "nedgrävda")
_SUBMISSION_INTENT = {"complaint": "complaint", "question": "question", "praise": "praise", "crisis": "crisis_angry",
                      "campaign": "campaign_user", "pilot": "pilot_user"}


class Discussions:
    """Draws the Reddit and forum messages of one scenario, a day at a time."""

    def __init__(self, scenario: Scenario, cast: Cast, rng: random.Random, texts: TextMaker, clock: Clock):
        self.s, self.cast, self.rng, self.texts, self.clock = scenario, cast, rng, texts, clock
        self.out: dict[str, list[Message]] = {"reddit": [], "forum": []}
        self.forum_threads: dict[str, list[Message]] = {}

    def day(self, day: date) -> None:
        self._reddit(day)
        self._forum(day)

    # --- Reddit -----------------------------------------------------------------------------------

    def _reddit(self, day: date) -> None:
        s = self.s
        rate = s.scale * (0.17 * s.season(day) * (1 + 0.8 * s.growth(day)) + 0.08 * s.campaign_lift(day)
                          + 0.25 * s.crisis_lift(day) + (0.05 if day in s.pilot else 0.0))
        for _ in range(poisson(self.rng, rate)):
            self._submission(day)

    def _topic(self, day: date) -> str:
        s, r = self.s, self.rng.random
        if s.crisis_lift(day) and r() < 0.8:
            return "crisis"
        if s.campaign_lift(day) > 0.5 and r() < 0.6:
            return "campaign"
        if day in s.pilot and r() < 0.25:
            return "pilot"
        return self.rng.choices(("complaint", "question", "praise"), (45, 40, 15 * (1 + 2 * s.growth(day))))[0]

    def _fill(self, template: str, lang: str, day: date, brand: str, staff: str = "") -> str:
        return self.texts.fill(template, brand=brand, platform="reddit", lang=lang, day=day, staff=staff)

    def _submission(self, day: date) -> None:
        rng, s = self.rng, self.s
        topic = self._topic(day)
        lang = "en" if rng.random() < 0.22 else "sv"
        brand = COMPANY
        if topic in ("complaint", "question", "praise") and rng.random() < 0.15:
            brand = rng.choice(COMPETITORS)
        if lang == "en":
            sub = "TillSverige" if rng.random() < 0.7 else "sweden"
        elif topic in ("crisis", "pilot"):
            sub = "sundsvall" if rng.random() < 0.7 else "sverige"
        else:
            sub = rng.choices(("sverige", "privatekonomi", "sundsvall"), (55, 35, 10))[0]
        pool = self.cast.pools["reddit"]
        op = pool.pick(rng, lang)
        titles = REDDIT_TITLES[(lang, topic)]
        if topic == "praise" and brand == COMPANY and s.in_dialogue(day) and rng.random() < 0.6:
            titles = REDDIT_TITLES[(lang, "praise_dialogue")]
        title = self._fill(rng.choice(titles), lang, day, brand)
        body, lang = self.texts.post(_SUBMISSION_INTENT[topic], lang, day=day, brand=brand, platform="reddit",
                                     casual=False)
        extras = [self._fill(rng.choice(REDDIT_EXTRA[lang]), lang, day, brand) for _ in range(rng.randint(0, 2))]
        text = "\n\n".join([body] + extras)
        sub_msg = Message("reddit", op, self.clock.moment(day), text, lang, topic, brand=brand, title=title, site=sub,
                          likes=int(math.exp(rng.gauss(2.5, 1.3))))
        self.out["reddit"].append(sub_msg)
        comments: list[Message] = []
        if (brand == COMPANY and s.in_dialogue(day) and topic != "praise"
                and rng.random() < s.response_rate(day) * 0.7):
            self._staff_comments(sub_msg, comments, lang, topic)
        count = int(math.exp(rng.gauss(math.log(8), 0.7)) * (1.8 if topic == "crisis" else 1.0))
        for _ in range(count):
            self._comment(sub_msg, comments, lang, pool)

    def _comment(self, sub: Message, comments: list[Message], lang: str, pool) -> None:
        rng = self.rng
        r = rng.random()
        if not comments or r < 0.4:
            parent = sub
        elif r < 0.7:
            parent = comments[-1]
        else:
            parent = rng.choice(comments[-6:])
        if parent is not sub and parent.author is not sub.author and parent.parent is sub and rng.random() < 0.3:
            author, kind = sub.author, "op"
        else:
            author, kind = pool.pick(rng, lang, avoid=parent.author), "answer" if parent is sub else "reply"
        day = parent.local_day
        pool_key = (lang, kind)
        if (kind == "answer" and sub.brand == COMPANY and self.s.in_dialogue(day)
                and rng.random() < 0.3 * self.s.maturity(day)):
            pool_key = (lang, "answer_dialogue")
        said = {c.text for c in comments}
        text = ""
        for _ in range(6):  # people rarely repeat one another word for word in a thread
            text = self._fill(rng.choice(REDDIT_COMMENTS[pool_key]), lang, day, sub.brand or COMPANY)
            if kind == "reply" and rng.random() < 0.3:
                text += " " + self._fill(rng.choice(REDDIT_COMMENTS[(lang, "answer")]), lang, day, sub.brand or COMPANY)
            if text not in said:
                break
        at = self.clock.after(parent.at, 70, 1.2)
        self._add_comment(parent, author, at, text, lang, kind, sub, comments)

    def _add_comment(self, parent: Message, author: Persona, at, text: str, lang: str, kind: str, sub: Message,
                     comments: list[Message]) -> Message:
        score = int(math.exp(self.rng.gauss(1.3, 1.1)))
        if kind == "reply" and self.rng.random() < 0.1:
            score -= 3  # downvoted
        m = Message("reddit", author, at, text, lang, kind, brand=sub.brand, parent=parent, site=sub.site, likes=score)
        parent.children.append(m)
        comments.append(m)
        self.out["reddit"].append(m)
        return m

    def _staff_comments(self, sub: Message, comments: list[Message], lang: str, topic: str) -> None:
        rng = self.rng
        own = self.cast.own["reddit"][0]
        staff = rng.choice(STAFF)
        day = sub.local_day
        at = self.clock.staff_answer(sub.at)
        key = {"pilot": "staff_pilot", "crisis": "staff_crisis"}.get(topic, "staff")
        text = self._fill(rng.choice(REDDIT_COMMENTS[(lang, key)]), lang, day, COMPANY, staff)
        reply = self._add_comment(sub, own, at, text, lang, "staff", sub, comments)
        if rng.random() < 0.7:
            text = self._fill(rng.choice(REDDIT_COMMENTS[(lang, "op")]), lang, day, COMPANY)
            answer = self._add_comment(reply, sub.author, self.clock.after(reply.at, 30, 1.0), text, lang, "op", sub,
                                       comments)
            if rng.random() < 0.6:
                text = self._fill(rng.choice(REDDIT_COMMENTS[(lang, "staff_again")]), lang, day, COMPANY, staff)
                self._add_comment(answer, own, self.clock.staff_answer(answer.at), text, lang, "staff", sub, comments)

    # --- the forum --------------------------------------------------------------------------------

    def _thread_start(self, key: str) -> date:
        s = self.s
        return {"experiences": s.start, "prices": s.start + timedelta(days=2),
                "campaign": s.campaign.start + timedelta(days=1), "crisis": s.crisis_day,
                "pilot": s.pilot.start + timedelta(days=2)}[key]

    def _forum_rate(self, topic: str, day: date, start: date) -> float:
        s = self.s
        age = (day - start).days
        if topic == "company":
            return s.scale * (0.45 * s.season(day) * (1 + 0.8 * s.growth(day)) + 0.15 * s.campaign_lift(day)
                              + 0.5 * s.crisis_lift(day))
        if topic == "prices":
            return 0.5 * s.scale * s.season(day)
        if topic == "campaign":
            return 3.5 * s.scale * math.exp(-age / 10)
        if topic == "crisis":
            return 22 * s.scale * math.exp(-age / 1.5)
        if day in s.pilot:
            return s.scale * (0.15 + 0.8 * (day - s.pilot.start).days / max(1, s.pilot.days))
        return 0.1 * s.scale

    def _forum(self, day: date) -> None:
        rng = self.rng
        pool = self.cast.pools["forum"]
        for key, title, topic, opening in FORUM_THREADS:
            start = self._thread_start(key)
            if day < start or not (self.s.start <= start <= self.s.end):
                continue
            posts = self.forum_threads.setdefault(key, [])
            if day == start:
                at = self.clock.moment(day, "storm" if topic == "crisis" else "people")
                op = Message("forum", pool.pick(rng), at, opening, "sv", topic, brand=COMPANY, title=title, site=key)
                posts.append(op)
                self.out["forum"].append(op)
            for _ in range(poisson(rng, self._forum_rate(topic, day, start))):
                self._forum_post(posts, topic, day, pool.pick(rng))

    def _forum_post(self, posts: list[Message], topic: str, day: date, author: Persona, *,
                    staff: str = "", quote: Message | None = None) -> None:
        rng = self.rng
        op = posts[0]
        if staff:
            sentences = FORUM_SENTENCES[f"staff_{topic}"]
        elif topic == "company" and self.s.in_dialogue(day) and rng.random() < 0.2 * self.s.maturity(day):
            sentences = FORUM_SENTENCES["company_dialogue"]
        else:
            sentences = FORUM_SENTENCES[topic]
        if quote is None and len(posts) > 1 and rng.random() < 0.35:
            quote = rng.choice(posts[-10:])
        said = quote.text.rsplit("\n\n", 1)[-1] if quote is not None else ""
        fresh = [s for s in sentences if s[:25] not in said] or list(sentences)  # no echo of the quoted post
        n = 1 if staff else rng.choices((1, 2, 3), (50, 35, 15))[0]
        text = " ".join(self.texts.fill(s, brand=COMPANY, platform="forum", day=day, staff=staff)
                        for s in rng.sample(fresh, min(n, len(fresh))))
        if not staff and rng.random() < 0.05:
            text = typo(text, rng)
        at = self.clock.moment(day, "storm" if topic == "crisis" and day == op.local_day else "people")
        if staff and quote is not None:
            at = self.clock.staff_answer(quote.at)
        parent = quote or op
        if at <= parent.at:
            at = self.clock.after(parent.at, 40, 1.0)
        if quote is not None and quote is not op:
            snippet = said if len(said) <= 240 else said[:240].rsplit(" ", 1)[0] + " …"
            text = f"Citat:\nUrsprungligen postat av {quote.author.handle}\n{snippet}\n\n{text}"
        m = Message("forum", author, at, text, "sv", "staff" if staff else topic, brand=COMPANY, parent=parent,
                    title=op.title, site=op.site)
        parent.children.append(m)
        posts.append(m)
        self.out["forum"].append(m)
        complaint = any(cue in text for cue in _COMPLAINT_CUES)
        if (not staff and complaint and topic in ("company", "crisis", "pilot") and self.s.in_dialogue(day)
                and rng.random() < 0.3 * self.s.maturity(day)):
            self._forum_post(posts, topic, day, self.cast.own["forum"][0], staff=rng.choice(STAFF), quote=m)
