"""Posts before they are written in any platform's format, and the clock that times them.

A :class:`Message` is platform-neutral: who, when, what, and which message it answers. The exporters turn
messages into tweets, statuses, Reddit things and forum rows, giving them the platform's kind of id.
:class:`Clock` draws times: the hour of day (less at night, later at weekends), how long people take to
answer, and when the customer service is at work.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from .people import Persona
from .scenario import STOCKHOLM, Scenario

__all__ = ["Message", "Clock", "poisson"]


@dataclass(eq=False, slots=True)
class Message:
    """One post, platform-neutral."""

    platform: str  # twitter, mastodon, reddit, forum
    author: Persona
    at: datetime  # aware, UTC
    text: str
    lang: str  # sv, en, no, da (what the platform would declare)
    intent: str  # complaint, question, praise, staff_complaint, campaign_user, crisis_angry …
    brand: str | None = None  # the company it is about, when it is about one
    parent: "Message | None" = None
    repost_of: "Message | None" = None
    title: str | None = None  # Reddit submissions, forum threads
    site: str | None = None  # subreddit, forum thread key
    likes: int = 0
    native_id: str = ""  # given by the exporter
    children: list["Message"] = field(default_factory=list)
    reposts: list["Message"] = field(default_factory=list)

    @property
    def root(self) -> "Message":
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def depth(self) -> int:
        d, node = 0, self
        while node.parent is not None:
            d, node = d + 1, node.parent
        return d

    @property
    def local_day(self) -> date:
        return self.at.astimezone(STOCKHOLM).date()


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method for small means, a rounded normal for large ones)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


# Relative activity per local hour, 00–23.
_WEEKDAY_HOURS = _cumulative((0.6, 0.35, 0.2, 0.12, 0.12, 0.3, 0.9, 1.8, 2.4, 2.2, 2.0, 2.0, 2.3, 2.1, 2.0, 2.0,
                              2.1, 2.2, 2.3, 2.5, 2.6, 2.4, 1.8, 1.1))
_WEEKEND_HOURS = _cumulative((1.0, 0.7, 0.4, 0.22, 0.15, 0.15, 0.3, 0.6, 1.1, 1.7, 2.2, 2.3, 2.3, 2.2, 2.1, 2.0,
                              2.0, 2.1, 2.3, 2.5, 2.6, 2.4, 2.0, 1.4))
# The storm reaches the grid before dawn.
_STORM_HOURS = _cumulative((0.1, 0.1, 0.2, 0.4, 1.5, 3.0, 4.0, 4.2, 4.0, 3.6, 3.2, 3.0, 3.0, 2.9, 2.8, 2.8, 3.0,
                            3.2, 3.3, 3.1, 2.8, 2.5, 2.1, 1.6))
_OFFICE_HOURS = _cumulative(tuple(1.0 if 8 <= h < 17 else 0.0 for h in range(24)))


class Clock:
    """Draws times for one scenario."""

    def __init__(self, scenario: Scenario, rng: random.Random):
        self.s = scenario
        self.rng = rng

    def moment(self, day: date, profile: str = "people") -> datetime:
        """A time on a local day: ``people`` (daily rhythm), ``storm`` or ``office`` (company posts)."""
        rng = self.rng
        if profile == "office":
            cum = _OFFICE_HOURS
        elif profile == "storm":
            cum = _STORM_HOURS
        else:
            cum = _WEEKEND_HOURS if day.weekday() >= 5 else _WEEKDAY_HOURS
        hour = min(23, bisect_left(cum, rng.random() * cum[-1]))
        local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=STOCKHOLM)
        return local.astimezone(timezone.utc)

    def after(self, at: datetime, median_minutes: float, sigma: float = 1.0, *, night: bool = True) -> datetime:
        """Someone answering: a log-normal delay; people rarely answer between 01 and 06 (``night``)."""
        delay = median_minutes * math.exp(self.rng.gauss(0.0, sigma))
        out = at + timedelta(minutes=max(0.3, delay), seconds=self.rng.randint(0, 59))
        local = out.astimezone(STOCKHOLM)
        if night and 1 <= local.hour < 6 and self.rng.random() < 0.8:
            out += timedelta(hours=6 - local.hour, minutes=self.rng.randint(5, 90))
        return out

    def staff_answer(self, at: datetime) -> datetime:
        """When the company answers a post written at ``at``: days in the megaphone years, minutes (in
        working hours) once the dialogue has opened and matured."""
        day = at.astimezone(STOCKHOLM).date()
        if not self.s.in_dialogue(day):
            median = 60 * 20
        else:
            median = 55 - 40 * self.s.maturity(day)
        candidate = at + timedelta(minutes=max(1.0, median * math.exp(self.rng.gauss(0.0, 0.75))),
                                   seconds=self.rng.randint(0, 59))
        return self.next_staffed(candidate)

    def next_staffed(self, at: datetime) -> datetime:
        """``at`` if someone is at work then, else shortly after the next opening."""
        local = at.astimezone(STOCKHOLM)
        if self.s.staffed(local.date(), local.hour):
            return at
        hour = local.replace(minute=0, second=0)
        for _ in range(24 * 5):
            hour = (hour.astimezone(timezone.utc) + timedelta(hours=1)).astimezone(STOCKHOLM)
            if self.s.staffed(hour.date(), hour.hour):
                return (hour + timedelta(minutes=self.rng.randint(2, 45), seconds=self.rng.randint(0, 59))
                        ).astimezone(timezone.utc)
        return at
