"""The demo scenario generator: :func:`generate` writes the story of :mod:`lyssna.demo.scenario` as
platform exports in a folder and returns a :class:`DemoManifest`.

What it writes (paths relative to the folder)::

    twitter/twarc2-search.jsonl      X API v2 search pages as twarc2 writes them      format twitter-v2
    mastodon/timeline.json           Mastodon Status entities, a JSON array           format mastodon
    reddit/SUB_ID.json               one Reddit comment page per thread               format reddit
    forum/kilowattforum-export.csv   a Flashback-like forum's posts                   format csv
    news/energibevakningen.rss       a trade news site's RSS 2.0 feed                 format feed
    news/norrsken-press.rss          the company's newsroom feed (its megaphone)      format feed
    transcripts/KEY.vtt              two interviews with the CEO, WebVTT              format webvtt

**Deterministic.** Everything is drawn from one ``random.Random(seed)`` in a fixed order; nothing reads
the clock, the environment or an unordered collection. The same arguments give byte-identical files.

**Times.** All times lie between ``start`` and the end of the span. The importers refuse posts dated in
the future, so a span that ends after today imports only partly.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from .discussions import Discussions
from .exports.feeds import write_feed
from .exports.forum import write_forum
from .exports.mastodon import write_mastodon
from .exports.reddit import write_reddit
from .exports.transcripts import write_transcript
from .exports.twitter import write_twitter
from .manifest import DemoFile, DemoManifest
from .media import interviews, news_articles, press_releases
from .messages import Clock, Message
from .microblog import Microblog
from .people import MASTODON_HOME, OWN_HANDLES, Cast
from .scenario import (CAMPAIGN_HASHTAG, COMPANY, COMPETITORS, CRISIS_HASHTAG, PILOT_HASHTAG, PILOT_TOWN, STOCKHOLM,
                       Scenario)
from .texts import TextMaker

__all__ = ["generate", "DemoManifest", "DemoFile"]

#: The sub-folders generate() owns inside its folder (emptied before writing).
OUTPUTS = ("twitter", "mastodon", "reddit", "forum", "news", "transcripts")


def generate(folder: Path, *, seed: int = 7, start: date = date(2025, 1, 6), weeks: int = 78,
             scale: float = 1.0) -> DemoManifest:
    """Write the demo scenario into ``folder`` (created if needed) and describe it.

    ``weeks`` (at least 40) is the span; the story's events fall at fixed fractions of it. ``scale``
    multiplies the volume (1.0 is about 25,000 posts). Files from an earlier run in the same folder are
    replaced; other files there are left alone.
    """
    folder = Path(folder)
    scenario = Scenario.build(start, weeks, scale)
    rng = random.Random(seed)
    cast = Cast.build(rng, scale)
    texts = TextMaker(rng)
    clock = Clock(scenario, rng)
    micro = Microblog(scenario, cast, rng, texts, clock)
    talk = Discussions(scenario, cast, rng, texts, clock)
    for day in scenario.days():
        micro.day(day)
        talk.day(day)
    first = datetime.combine(scenario.start, time(0), STOCKHOLM).astimezone(timezone.utc)
    last = datetime.combine(scenario.end + timedelta(days=1), time(0), STOCKHOLM).astimezone(timezone.utc)
    messages = {platform: _within(found, last) for platform, found in (micro.out | talk.out).items()}

    folder.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        if (folder / name).is_dir():
            shutil.rmtree(folder / name)
    files: list[DemoFile] = [
        write_twitter(folder, messages["twitter"], rng, start=first, end=last),
        write_mastodon(folder, messages["mastodon"], rng),
        *write_reddit(folder, messages["reddit"], rng),
        write_forum(folder, messages["forum"], rng),
        write_feed(folder, "energibevakningen", title="Energibevakningen – Nyheter",
                   link="https://www.energibevakningen.se/", description="Nyheter om energi, elpris och elnät",
                   base="https://www.energibevakningen.se/nyheter/", articles=news_articles(scenario, rng)),
        write_feed(folder, "norrsken-press", title="Norrsken Energi – Press",
                   link="https://www.norrskenenergi.se/press/", description="Pressmeddelanden från Norrsken Energi", base="https://www.norrskenenergi.se/press/",
                   articles=press_releases(scenario, rng)),
        *(write_transcript(folder, interview) for interview in interviews(scenario)),
    ]
    counts: dict[str, int] = {}
    for f in files:
        counts[f.platform] = counts.get(f.platform, 0) + f.posts
    own = {platform: tuple(f"{h}@{MASTODON_HOME}" if platform == "mastodon" else h for h in handles)
           for platform, handles in OWN_HANDLES.items()}
    return DemoManifest(
        folder=str(folder), seed=seed, scale=scale, start=scenario.start, end=scenario.end, company=COMPANY,
        competitors=COMPETITORS, own_accounts=own, campaign=scenario.campaign, campaign_hashtag=f"#{CAMPAIGN_HASHTAG}",
        dialogue_start=scenario.dialogue_start, crisis_day=scenario.crisis_day, crisis_hashtag=f"#{CRISIS_HASHTAG}",
        pilot=scenario.pilot, pilot_town=PILOT_TOWN, pilot_hashtag=f"#{PILOT_HASHTAG}", counts=counts,
        total=sum(counts.values()), files=tuple(files),
    )


def _within(messages: list[Message], last: datetime) -> list[Message]:
    """The messages written before the span ends (answers drawn past it are left out, with their own
    answers and reposts, which are always later still)."""
    kept = [m for m in messages if m.at < last]
    for m in kept:
        m.children = [c for c in m.children if c.at < last]
        m.reposts = [r for r in m.reposts if r.at < last]
    return kept
