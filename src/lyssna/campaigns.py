"""Campaigns and pilots: checking them when they are added, building their daily series from the store,
and reporting what they changed (:func:`lyssna.analytics.impact.analyse_impact` does the statistics).

The series
----------
Every series is daily, by the local day in the project's time zone (a post at 23:30 UTC on 10 March is
11 March in Stockholm). It runs from the first day with any post in the store — or one year before the
start, whichever is later — so a topic that appears with the campaign (a new hashtag, a storm, a pilot)
has zeros before it rather than no history; to the earliest of:

* ``end`` + 7 · ``after_weeks`` days (the after-period the report looks at);
* the day before ``today`` (today is not over: its count would be partial);
* the last complete day of data: the day of the last post in the store when that post is from 23:00
  local time or later, else the day before (an import made during a day holds only part of it, and an
  import that stopped is not a fall to zero).

When a control has no post before the campaign starts the report warns (it cannot explain anything
then); a topic with no post before the start can be measured on volume (its counterfactual is zero, with
the noise floor of counts) but not on a rate such as net sentiment, which then has no value before the
campaign.

The campaign's topics are taken together (a post two of them match counts once); each control topic
is a series of its own. Per KPI:

* ``volume`` — posts per day, zero on days without any; controls are their own volumes.
* ``net_sentiment`` — (positive − negative) / posts, from the sentiment enricher's labels;
  ``negative_share`` — negative / posts. A day without posts has no value (``NaN``): the analysis
  leaves such days out of the fit and out of the windows' means. A control needs a value every day,
  so its empty days carry the last value forward (its first days take its first value).
* ``share_of_voice`` — the topics' posts / (the topics' posts + the controls' posts): the controls are
  the denominator here, not regressors, so the counterfactual comes from the share's own history;
  a day on which nobody posted has no value.
* ``response_rate`` — of the topics' posts addressed to the organisation that day, the share its own
  accounts (the ``own_accounts`` setting) answered; ``response_time`` — the median minutes to their first
  answer, of the day's answered posts, analysed on the log scale (a change is a relative one). See
  :mod:`lyssna.analytics.dialogue`. A day with nothing addressed (answered) has no value; the controls
  are not regressors here (the organisation's own answering does not follow the market), so the
  counterfactual comes from the KPI's own history.

Each series is one SQL query over the matches (grouped by the local day), never a loop over posts.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Sequence
from zoneinfo import ZoneInfo

import numpy as np

from .analytics.dialogue import parse_accounts, responses
from .analytics.impact import MIN_PRE_DAYS, ImpactError, ImpactReport, analyse_impact
from .errors import CampaignError
from .models import Campaign, Topic
from .store.base import Store

__all__ = [
    "KPIS",
    "PLANNED_KPIS",
    "CampaignReport",
    "CampaignSeries",
    "build_series",
    "campaign_report",
    "new_campaign",
]

KPIS: dict[str, str] = {
    "volume": "posts per day",
    "net_sentiment": "(positive − negative) / posts per day",
    "share_of_voice": "the topics' share of the topics' and the controls' posts",
    "negative_share": "negative posts / posts per day",
    "response_rate": "posts addressed to the organisation that its own accounts answered / those addressed, per "
                     "day (needs the own_accounts setting)",
    "response_time": "median minutes to the own accounts' first answer, of the day's answered posts (needs "
                     "the own_accounts setting)",
}
"""The KPIs a campaign can be measured on, with what each means."""

PLANNED_KPIS: dict[str, str] = {}
"""KPIs that are named already but cannot be measured yet, with why."""

_HISTORY_DAYS = 365
_SENTIMENT_KPIS = ("net_sentiment", "negative_share")
_RESPONSE_KPIS = ("response_rate", "response_time")


# -- adding ----------------------------------------------------------------------------------------


def new_campaign(store: Store, name: str, *, start: date, end: date, topics: Sequence[str],
                 controls: Sequence[str] = (), kpi: str = "volume", pilot: bool = False,
                 hypothesis: str | None = None, decision_date: date | None = None,
                 note: str | None = None) -> Campaign:
    """Check a campaign (or pilot) against the store's topics and save it.

    Raises :class:`CampaignError` with a plain message: an empty name, a name in use, ``end`` before
    ``start``, no topics, a topic or control that does not exist (the message lists those that do), a
    control that is also a topic, an unknown KPI, share of voice without controls, a pilot without a
    hypothesis, a hypothesis or decision date given for a plain campaign, a decision before the start.
    """
    name = name.strip()
    if not name:
        raise CampaignError("a campaign needs a name")
    if end < start:
        raise CampaignError(f"the campaign ends ({end}) before it starts ({start})")
    wanted, against = _unique(topics), _unique(controls)
    if not wanted:
        raise CampaignError("a campaign needs at least one topic it should move (--topic NAME)")
    _check_topics(store, wanted + against)
    both = [c for c in against if c in wanted]
    if both:
        raise CampaignError(f"{_names(both)} cannot be both a topic and a control: a control is a topic the "
                            "campaign should not move (a competitor, the market)")
    _check_kpi(kpi, against)
    if pilot and not (hypothesis or "").strip():
        raise CampaignError("a pilot needs a hypothesis: what should it change, and by how much? "
                            "(--hypothesis TEXT)")
    if not pilot and (hypothesis or decision_date):
        raise CampaignError("a hypothesis and a decision date belong to a pilot; add --pilot")
    if decision_date is not None and decision_date < start:
        raise CampaignError(f"the decision date ({decision_date}) is before the pilot starts ({start})")
    campaign = Campaign(id=0, name=name, kind="pilot" if pilot else "campaign", start=start, end=end,
                        topics=tuple(wanted), controls=tuple(against), kpi=kpi,
                        hypothesis=(hypothesis or "").strip() or None, decision_date=decision_date,
                        note=(note or "").strip() or None)
    return store.add_campaign(campaign)


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def _names(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _check_topics(store: Store, names: Sequence[str]) -> dict[str, Topic]:
    """The named topics; a :class:`CampaignError` listing the topics there are when some are missing."""
    known = {t.name: t for t in store.topics()}
    missing = [n for n in names if n not in known]
    if missing:
        there = ", ".join(sorted(known)) or "none yet; add one with `lyssna topic add NAME QUERY`"
        raise CampaignError(f"no topic named {_names(missing)} (topics: {there})")
    return {n: known[n] for n in names}


def _check_kpi(kpi: str, controls: Sequence[str]) -> None:
    if kpi in PLANNED_KPIS:
        raise CampaignError(f"{kpi} is not measurable yet: {PLANNED_KPIS[kpi]}. Measure the campaign on "
                            f"one of: {', '.join(KPIS)}")
    if kpi not in KPIS:
        raise CampaignError(f"unknown KPI {kpi!r}; choose one of: {', '.join(KPIS)}")
    if kpi == "share_of_voice" and not controls:
        raise CampaignError("share of voice is the topics' share against the controls: name at least one "
                            "control topic (--control NAME), a competitor or the market")


# -- the series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSeries:
    """The daily series a report is computed on: ``treated`` is the KPI of the campaign's topics,
    ``controls`` the control series passed to the analysis (none for share of voice), ``posts`` the
    campaign topics' posts per day (whatever the KPI)."""

    kpi: str
    days: tuple[date, ...]
    treated: np.ndarray
    controls: dict[str, np.ndarray] = field(default_factory=dict)
    posts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``NaN`` as None)."""
        clean = lambda a: [None if not math.isfinite(v) else float(v) for v in a]  # noqa: E731
        return {"kpi": self.kpi, "days": [d.isoformat() for d in self.days], "treated": clean(self.treated),
                "controls": {k: clean(v) for k, v in self.controls.items()},
                "posts": [int(v) for v in self.posts]}


@dataclass(frozen=True)
class _Counts:
    """One group of topics' posts per day (zero-filled), with the positive and negative ones."""

    posts: np.ndarray
    positive: np.ndarray | None
    negative: np.ndarray | None


def build_series(store: Store, campaign: Campaign, zone: ZoneInfo, *, today: date,
                 after_weeks: int = 4, own_accounts: Sequence[str] = ()) -> CampaignSeries:
    """The campaign's daily series (see the module docstring for the span and the KPIs)."""
    topics = _check_topics(store, campaign.topics + campaign.controls)
    first_wanted = campaign.start - timedelta(days=_HISTORY_DAYS)
    last = _last_day(store, campaign, zone, today, after_weeks)
    if last < campaign.start:
        raise CampaignError(f"no data from the campaign's start ({campaign.start}) on yet: the data ends on "
                            f"{last} (the day before today, or the last complete day of the posts)")
    treated_ids = [topics[n].id for n in campaign.topics]
    rows = store.daily_matches(treated_ids, zone.key, _midnight(first_wanted, zone),
                               _midnight(last + timedelta(days=1), zone))
    if not rows:
        raise CampaignError(f"the topics {_names(campaign.topics)} match no posts between {first_wanted} "
                            f"and {last}")
    first_post, _ = store.post_span()
    assert first_post is not None  # _last_day checked that there are posts
    first = min(max(first_post.astimezone(zone).date(), first_wanted), campaign.start)
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    own = _fill(rows, days)
    others = {n: _fill(store.daily_matches([topics[n].id], zone.key, _midnight(first, zone),
                                           _midnight(last + timedelta(days=1), zone)), days)
              for n in campaign.controls}
    n_pre = (campaign.start - first).days
    warnings = []
    if n_pre > 0 and not own.posts[:n_pre].any() and campaign.kpi == "volume":
        warnings.append(f"the topics {_names(campaign.topics)} have no posts before {campaign.start}: the "
                        "counterfactual is zero mentions a day (with the noise of small counts)")
    for name, c in others.items():
        if n_pre > 0 and not c.posts[:n_pre].any():
            warnings.append(f"the control {name!r} has no posts before the campaign starts on {campaign.start}, "
                            "so it cannot explain anything about the campaign; drop it or pick another")
    if campaign.kpi != "volume" and n_pre > 0 and not own.posts[:n_pre].any():
        raise CampaignError(f"the topics {_names(campaign.topics)} have no posts before {campaign.start}, so "
                            f"{campaign.kpi} has no value before the campaign to build a counterfactual on; "
                            "measure volume (the counterfactual is then zero posts a day)")
    if campaign.kpi in _RESPONSE_KPIS:
        treated = _responses(store, campaign, zone, days, own_accounts)
        if campaign.controls:
            warnings.append("the controls are not used for a response KPI: the organisation's own answering is "
                            "not driven by the market, so the counterfactual comes from the KPI's own history")
        return CampaignSeries(campaign.kpi, days, treated, {}, own.posts, tuple(warnings))
    treated, controls = _kpi(campaign.kpi, own, others)
    return CampaignSeries(campaign.kpi, days, treated, controls, own.posts, tuple(warnings))


def _responses(store: Store, campaign: Campaign, zone: ZoneInfo, days: Sequence[date],
               own_accounts: Sequence[str]) -> np.ndarray:
    """The response rate or median response time (minutes) of the topics' posts per day; NaN on days
    with nothing addressed (rate) or nothing answered (time)."""
    if not parse_accounts(own_accounts):
        raise CampaignError(f"{campaign.kpi} needs the organisation's own accounts: set own_accounts in "
                            'lyssna.toml, e.g. own_accounts = ["twitter:yourbrand", "reddit:yourbrand"]')
    rows = responses(store, list(campaign.topics), own_accounts=own_accounts, since=_midnight(days[0], zone),
                     until=_midnight(days[-1] + timedelta(days=1), zone), tz=zone, bucket="day")
    index = {d: i for i, d in enumerate(days)}
    out = np.full(len(days), np.nan)
    for r in rows:
        i = index.get(r.start.date())
        value = r.response_rate if campaign.kpi == "response_rate" else r.median_minutes
        if i is not None and value is not None:
            out[i] = value
    n_pre = (campaign.start - days[0]).days
    valued = int(np.isfinite(out[:n_pre]).sum()) if n_pre > 0 else 0
    if n_pre > 0 and valued <= n_pre // 2:  # the analysis needs a value on most days before the start
        what = "an answered post" if campaign.kpi == "response_time" else "a post addressed to the organisation"
        advice = (" Measure response_rate instead: it has a value on every day with a post addressed to the "
                  "organisation, answered or not." if campaign.kpi == "response_time" else "")
        raise CampaignError(f"only {valued} of the {n_pre} days before {campaign.start} have {what} in the "
                            f"topics {_names(campaign.topics)}: {campaign.kpi} has too little history to build a "
                            f"counterfactual on.{advice}")
    return out


def _last_day(store: Store, campaign: Campaign, zone: ZoneInfo, today: date, after_weeks: int) -> date:
    last = min(campaign.end + timedelta(days=7 * after_weeks), today - timedelta(days=1))
    _, last_post = store.post_span()
    if last_post is None:
        raise CampaignError("the project has no posts yet; import some with `lyssna import`")
    return min(last, _last_complete_day(last_post, zone))


def _last_complete_day(last_post: datetime, zone: ZoneInfo) -> date:
    """The day of the last post when it is from 23:00 local time or later, else the day before: an import
    made during a day holds only part of it."""
    local = last_post.astimezone(zone)
    return local.date() if local.hour >= 23 else local.date() - timedelta(days=1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _fill(rows: Sequence[tuple[date, int, int | None, int | None]], days: Sequence[date]) -> _Counts:
    """Rows of (day, posts, positive, negative) spread over ``days``, zero where a day has no row."""
    index = {d: i for i, d in enumerate(days)}
    posts = np.zeros(len(days))
    positive = np.zeros(len(days))
    negative = np.zeros(len(days))
    sentiment = True
    for day, n, pos, neg in rows:
        i = index.get(day)
        if i is None:
            continue
        posts[i] = n
        if pos is None or neg is None:
            sentiment = False
        else:
            positive[i], negative[i] = pos, neg
    if not rows:  # nothing to say either way: zero posts have no sentiment to miss
        sentiment = True
    return _Counts(posts, positive if sentiment else None, negative if sentiment else None)


def _kpi(kpi: str, own: _Counts, others: dict[str, _Counts]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The treated KPI series and the control regressors for one KPI."""
    if kpi == "volume":
        return own.posts, {n: c.posts for n, c in others.items()}
    if kpi == "share_of_voice":
        total = own.posts + sum((c.posts for c in others.values()), np.zeros_like(own.posts))
        return _ratio(own.posts, total), {}
    if kpi in _SENTIMENT_KPIS:
        rate = _net_sentiment if kpi == "net_sentiment" else _negative_share
        controls = {}
        for name, c in others.items():
            series = _carry_forward(rate(c))
            if series is None:
                raise CampaignError(f"the control {name!r} has no post with a sentiment in the analysed period; "
                                    "drop it (or measure volume)")
            controls[name] = series
        return rate(own), controls
    raise CampaignError(f"unknown KPI {kpi!r}; choose one of: {', '.join(KPIS)}")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)


def _sentiment(c: _Counts) -> tuple[np.ndarray, np.ndarray]:
    if c.positive is None or c.negative is None:
        raise CampaignError("the posts have no sentiment yet (the sentiment enricher has not run on them); "
                            "run `lyssna analyze` or measure volume")
    return c.positive, c.negative


def _net_sentiment(c: _Counts) -> np.ndarray:
    positive, negative = _sentiment(c)
    return _ratio(positive - negative, c.posts)


def _negative_share(c: _Counts) -> np.ndarray:
    _, negative = _sentiment(c)
    return _ratio(negative, c.posts)


def _carry_forward(values: np.ndarray) -> np.ndarray | None:
    """NaN days take the last value before them (the first days the first value); None if all are NaN."""
    seen = np.isfinite(values)
    if not seen.any():
        return None
    index = np.where(seen, np.arange(values.size), 0)
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    filled[: int(np.argmax(seen))] = values[int(np.argmax(seen))]
    return filled


# -- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignReport:
    """What a campaign or pilot changed: the :class:`ImpactReport` of its KPI, what it was measured on
    and against, its pilot decision, and warnings about the data (edited topic queries, a short
    after-period, a campaign still running)."""

    campaign: Campaign
    impact: ImpactReport
    series: CampaignSeries
    today: date
    after_weeks: int
    warnings: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        return self.impact.verdict

    @property
    def decision_passed(self) -> bool | None:
        """Whether a pilot's decision date is before ``today`` (None without one)."""
        decision = self.campaign.decision_date
        return None if decision is None else decision < self.today

    def decision_text(self) -> str | None:
        """'decide on 2025-09-01 (in 12 days)' or 'the decision date 2025-09-01 passed 3 days ago'."""
        decision = self.campaign.decision_date
        if decision is None:
            return None
        days = (decision - self.today).days
        if days > 0:
            return f"decide on {decision} (in {days} day{'s' * (days != 1)})"
        if days == 0:
            return f"decide today ({decision})"
        return f"the decision date {decision} passed {-days} day{'s' * (days != 1)} ago"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the campaign, the impact report, the series and the warnings."""
        campaign = {k: (v.isoformat() if isinstance(v, (date, datetime)) else list(v) if isinstance(v, tuple)
                        else v) for k, v in asdict(self.campaign).items()}
        return {"campaign": campaign, "today": self.today.isoformat(), "after_weeks": self.after_weeks,
                "kpi": self.campaign.kpi, "kpi_meaning": KPIS.get(self.campaign.kpi),
                "verdict": self.impact.verdict, "explanation": self.impact.explanation,
                "decision": None if self.campaign.decision_date is None else {
                    "date": self.campaign.decision_date.isoformat(), "passed": self.decision_passed,
                    "text": self.decision_text()},
                "warnings": list(self.warnings), "impact": self.impact.to_dict(),
                "series": self.series.to_dict()}


def campaign_report(store: Store, campaign: Campaign, zone: ZoneInfo, *, today: date, after_weeks: int = 4,
                    seed: int = 0, level: float = 0.95, own_accounts: Sequence[str] = ()) -> CampaignReport:
    """Build the campaign's series and analyse them (deterministic for a ``seed``); ``own_accounts`` (the
    project's setting) for the response KPIs."""
    if after_weeks < 0:
        raise CampaignError(f"after_weeks must be 0 or more, not {after_weeks}")
    series = build_series(store, campaign, zone, today=today, after_weeks=after_weeks, own_accounts=own_accounts)
    warnings: list[str] = list(series.warnings)
    end = campaign.end
    if series.days[-1] < end:
        end = series.days[-1]
        warnings.append(f"the campaign runs until {campaign.end}; it is analysed up to {end}, where the data "
                        "ends (the day before today, or the last complete day of the posts), so there is "
                        "no after-period yet")
    try:
        impact = analyse_impact(series.days, series.treated, campaign.start, end,
                                controls=series.controls or None, after_weeks=after_weeks, level=level,
                                seed=seed, kpi=campaign.kpi, planned_end=campaign.end)
    except ImpactError as e:
        n_pre = (campaign.start - series.days[0]).days
        notes = list(series.warnings)
        if n_pre > 0 and not series.posts[:n_pre].any() and not any("have no posts before" in w for w in notes):
            notes.append(f"the topics {_names(campaign.topics)} have no posts before {campaign.start}")
        if n_pre < MIN_PRE_DAYS:
            notes.append(f"the project's data starts on {series.days[0]}")
        if notes:
            raise ImpactError(f"{e} ({'; '.join(notes)})") from None
        raise
    warnings += _after_warning(campaign, series, after_weeks)
    warnings += _edit_warnings(store, campaign, series.days[0], series.days[-1], zone)
    return CampaignReport(campaign, impact, series, today, after_weeks, tuple(warnings))


def _after_warning(campaign: Campaign, series: CampaignSeries, after_weeks: int) -> list[str]:
    have = (series.days[-1] - campaign.end).days
    wanted = 7 * after_weeks
    if 0 <= have < wanted:
        return [f"only {have} of the {wanted} days after the campaign are in the data (up to "
                f"{series.days[-1]}); the lasting change is judged on them"]
    return []


def _edit_warnings(store: Store, campaign: Campaign, first: date, last: date, zone: ZoneInfo) -> list[str]:
    """A warning for each edit of a topic's (or control's) query that took effect inside the period, in
    the order they were made."""
    found = []
    for topic in store.topics():
        if topic.name not in campaign.topics + campaign.controls:
            continue
        role = "topic" if topic.name in campaign.topics else "control"
        for v in store.topic_versions(topic.id):
            when = v.valid_from.astimezone(zone).date()
            if v.version > 1 and first <= when <= last:
                why = f": {v.note}" if v.note else ""
                found.append((v.valid_from, (
                    f"the {role} {topic.name!r} was edited on {when} (version {v.version}{why}); every day is "
                    f"counted with its current query (version {topic.version}), not the one in force at the "
                    "time — a query changed with the campaign in mind (its hashtag added, say) changes what "
                    "is measured")))
    return [text for _, text in sorted(found, key=lambda pair: pair[0])]
