"""The demo's story: who the company is, when things happen, and how much people talk on each day.

Norrsken Energi, a (fictional) Swedish energy company with a grid in central Norrland and customers all
over the country, talks through a megaphone: its own posts, almost no answers to customers. In early
summer it runs a campaign (a spike in mentions that fades back to the baseline within weeks). After the
summer it opens a long-term dialogue: staff accounts answer complaints and questions quickly, and the
volume and tone of what people say rise slowly — and last. A winter storm cuts the power for a day
(the crisis spike), and in spring a small laddbox (home charger) pilot in one town starts, with its own
hashtag and a volume that grows. Competitors are talked about all along.

The key dates are placed at fixed fractions of the span (``weeks``), chosen so that with the default
start (Monday 6 January 2025) and 78 weeks the campaign is in June, the dialogue opens on 1 September,
the storm comes in January and the pilot runs through spring. Everything here is pure arithmetic on
dates; randomness lives in the modules that draw posts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

__all__ = [
    "STOCKHOLM", "COMPANY", "COMPETITORS", "PILOT_TOWN", "CAMPAIGN_HASHTAG", "PILOT_HASHTAG", "STORM",
    "CRISIS_HASHTAG", "MIN_WEEKS", "Period", "Scenario",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
COMPANY = "Norrsken Energi"
COMPETITORS = ("Fjällkraft", "Vindö El")
PILOT_TOWN = "Sundsvall"
CAMPAIGN_HASHTAG = "NorrskenSommar"
PILOT_HASHTAG = "LaddaSmartSundsvall"
STORM = "Vidar"
CRISIS_HASHTAG = "stormenVidar"
#: Fewer weeks than this leave no room between the campaign's fading and the dialogue.
MIN_WEEKS = 40

# Where the story's events fall, as fractions of the span.
_CAMPAIGN_AT = 0.27
_CAMPAIGN_WEEKS = 3
_DIALOGUE_AT = 0.436
_CRISIS_AT = 0.69
_PILOT_AT = 0.78
_PILOT_WEEKS = 16

# Company mentions per day (at scale 1) before growth, season and weekday.
_BASE_MENTIONS = 9.0
# How much higher the baseline is at the end of the dialogue period than before it (the lasting change).
_DIALOGUE_GROWTH = 0.6
# Extra volume during the campaign, per campaign week, as multiples of the baseline; then its decay.
_CAMPAIGN_LIFT = (2.6, 3.1, 2.4)
_CAMPAIGN_DECAY_DAYS = 5.0
# Extra volume on the crisis day and the days after it, as multiples of the baseline.
_CRISIS_LIFT = (14.0, 3.0, 1.2, 0.5)
# Monday .. Sunday.
_WEEKDAY = (1.12, 1.1, 1.05, 1.0, 0.92, 0.7, 0.76)


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, both ends included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Scenario:
    """The story's calendar and the expected daily volumes. Build it with :meth:`build`."""

    start: date
    weeks: int
    scale: float
    campaign: Period
    dialogue_start: date
    crisis_day: date
    pilot: Period

    @classmethod
    def build(cls, start: date, weeks: int, scale: float) -> "Scenario":
        """The calendar for a span of ``weeks`` weeks from ``start``."""
        if weeks < MIN_WEEKS:
            raise ValueError(f"weeks must be at least {MIN_WEEKS} for the story to fit (got {weeks})")
        if not scale > 0:
            raise ValueError(f"scale must be positive (got {scale})")
        end = start + timedelta(weeks=weeks, days=-1)
        campaign_start = start + timedelta(weeks=round(weeks * _CAMPAIGN_AT))
        campaign = Period(campaign_start, campaign_start + timedelta(weeks=_CAMPAIGN_WEEKS, days=-1))
        dialogue = start + timedelta(weeks=round(weeks * _DIALOGUE_AT))
        crisis_week = start + timedelta(weeks=round(weeks * _CRISIS_AT))
        crisis = crisis_week + timedelta(days=(3 - crisis_week.weekday()) % 7)  # that week's Thursday
        pilot_start = start + timedelta(weeks=round(weeks * _PILOT_AT))
        pilot = Period(pilot_start, min(end - timedelta(days=7), pilot_start + timedelta(weeks=_PILOT_WEEKS, days=-1)))
        return cls(start, weeks, scale, campaign, dialogue, crisis, pilot)

    @property
    def end(self) -> date:
        """The last day."""
        return self.start + timedelta(weeks=self.weeks, days=-1)

    def days(self) -> Iterator[date]:
        """Every day of the span, in order."""
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)

    # --- phases -----------------------------------------------------------------------------------

    def in_dialogue(self, day: date) -> bool:
        return day >= self.dialogue_start

    def maturity(self, day: date) -> float:
        """How well the dialogue works (0 before it, rising to 1 over its first ten weeks)."""
        if day < self.dialogue_start:
            return 0.0
        return min(1.0, 0.35 + 0.65 * (day - self.dialogue_start).days / 70)

    def growth(self, day: date) -> float:
        """The slow, lasting effect of the dialogue: 0 before it, 1 at the end of the span."""
        if day < self.dialogue_start:
            return 0.0
        span = max(1, (self.end - self.dialogue_start).days)
        x = (day - self.dialogue_start).days / span
        return 1 - (1 - x) ** 1.6  # rises early, keeps rising, never falls back

    # --- volumes ----------------------------------------------------------------------------------

    def season(self, day: date) -> float:
        """More talk about electricity in winter (prices, cold), less in July."""
        return 1 + 0.15 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)

    def baseline(self, day: date) -> float:
        """Expected customer mentions of the company on an ordinary day, at this scale."""
        return (_BASE_MENTIONS * self.scale * self.season(day) * _WEEKDAY[day.weekday()]
                * (1 + _DIALOGUE_GROWTH * self.growth(day)))

    def campaign_lift(self, day: date) -> float:
        """Extra campaign mentions as a multiple of the baseline (0 outside the campaign and its echo)."""
        if day < self.campaign.start:
            return 0.0
        if day in self.campaign:
            return _CAMPAIGN_LIFT[min(len(_CAMPAIGN_LIFT) - 1, (day - self.campaign.start).days // 7)]
        after = (day - self.campaign.end).days
        return _CAMPAIGN_LIFT[-1] * math.exp(-after / _CAMPAIGN_DECAY_DAYS) if after < 42 else 0.0

    def crisis_lift(self, day: date) -> float:
        """Extra storm-outage mentions as a multiple of the baseline."""
        after = (day - self.crisis_day).days
        return _CRISIS_LIFT[after] if 0 <= after < len(_CRISIS_LIFT) else 0.0

    def pilot_rate(self, day: date) -> float:
        """Expected posts a day about the pilot: a handful at first, growing as more homes join."""
        if day not in self.pilot:
            if self.pilot.end < day:
                return 1.5 * self.scale  # talked about after it ends, less
            return 0.0
        x = (day - self.pilot.start).days / max(1, self.pilot.days - 1)
        return self.scale * (0.3 + 3.2 * x * x)

    def competitor_rate(self, day: date) -> float:
        """Expected mentions a day of the competitors (all together)."""
        return 7.0 * self.scale * self.season(day) * _WEEKDAY[day.weekday()]

    def chatter_rate(self, day: date) -> float:
        """Expected posts a day about electricity in general (no company named)."""
        extra = 3.0 if self.crisis_lift(day) else 0.0
        return (2.5 + extra) * self.scale * self.season(day) * _WEEKDAY[day.weekday()]

    def response_rate(self, day: date) -> float:
        """Share of complaints and questions an own account answers."""
        if not self.in_dialogue(day):
            return 0.05
        return 0.45 + 0.45 * self.maturity(day)

    def staffed(self, day: date, hour: int) -> bool:
        """Whether the social customer service is at work (local hour). Around the clock in the crisis."""
        if not self.in_dialogue(day):
            return 8 <= hour < 16 and day.weekday() < 5
        if 0 <= (day - self.crisis_day).days <= 1:
            return True
        return 7 <= hour < 22 if day.weekday() < 5 else 9 <= hour < 18
