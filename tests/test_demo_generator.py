"""The demo generator: deterministic, the story really in the data, and every file imported by the real
importers without loss.

The story's properties are measured on the exported files themselves (read here with plain ``json`` and
``csv``, independently of the importers), so they hold whatever the importers do; the import tests then
check that the importers take every post in.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lyssna.demo import DemoManifest, generate
from lyssna.pipeline import import_paths
from lyssna.plugins import BUILTIN_FORMAT_MODULES, Registry

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SCALE = 0.5
#: The importer module of each format the generator writes.
MODULES = {"twitter-v2": "lyssna.formats.twitter_v2", "mastodon": "lyssna.formats.mastodon",
           "reddit": "lyssna.formats.reddit", "feed": "lyssna.formats.feeds", "csv": "lyssna.formats.tabular",
           "webvtt": "lyssna.formats.transcripts"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, DemoManifest]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, generate(folder, scale=SCALE)


# ---------------------------------------------------------------------------------------------------
# Reading the exports (independently of the importers)


def _utc(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def _local_day(s: str) -> date:
    return _utc(s).astimezone(STOCKHOLM).date()


def _tweets(folder: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """Tweets of ``data`` by id, and users by id, from the twarc2 pages."""
    tweets: dict[str, dict] = {}
    users: dict[str, dict] = {}
    with (folder / "twitter" / "twarc2-search.jsonl").open(encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            assert set(page) == {"data", "includes", "meta", "__twarc"}
            assert page["meta"]["result_count"] == len(page["data"]) <= 100
            users.update((u["id"], u) for u in page["includes"]["users"])
            tweets.update((t["id"], t) for t in page["data"])
    return tweets, users


def _parent(tweet: dict) -> str | None:
    return next((r["id"] for r in tweet.get("referenced_tweets", ()) if r["type"] == "replied_to"), None)


def _statuses(folder: Path) -> list[dict]:
    return json.loads((folder / "mastodon" / "timeline.json").read_text(encoding="utf-8"))


class _Story:
    """The company's mentions on X, as a listener would count them."""

    def __init__(self, folder: Path, manifest: DemoManifest):
        self.m = manifest
        self.tweets, self.users = _tweets(folder)
        own = set(manifest.own_accounts["twitter"])
        self.own = {uid for uid, u in self.users.items() if u["username"] in own}
        self.mentions = [t for t in self.tweets.values()
                         if t["author_id"] not in self.own and "norrsken" in t["text"].lower()]
        self.children: dict[str, list[dict]] = defaultdict(list)
        for t in self.tweets.values():
            if _parent(t):
                self.children[_parent(t)].append(t)

    def week(self, day: date) -> int:
        return (day - self.m.start).days // 7

    def weekly(self) -> list[int]:
        counts = Counter(self.week(_local_day(t["created_at"])) for t in self.mentions)
        return [counts[w] for w in range(self.week(self.m.end) + 1)]

    def answers(self, first: date, last: date) -> tuple[float, float | None]:
        """Of customers' own posts naming the company in [first, last): the share an own account answered,
        and the median minutes to the first answer."""
        roots = [t for t in self.mentions
                 if not t.get("referenced_tweets") and first <= _local_day(t["created_at"]) < last]
        delays = []
        for t in roots:
            times = [_utc(c["created_at"]) for c in self.children[t["id"]] if c["author_id"] in self.own]
            if times:
                delays.append((min(times) - _utc(t["created_at"])).total_seconds() / 60)
        return len(delays) / len(roots), statistics.median(delays) if delays else None


@pytest.fixture(scope="module")
def story(demo) -> _Story:
    return _Story(*demo)


def _mean(xs: list[int]) -> float:
    return sum(xs) / len(xs)


# ---------------------------------------------------------------------------------------------------
# Determinism and the manifest


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = generate(tmp_path / "a", seed=3, scale=0.15)
    b = generate(tmp_path / "b", seed=3, scale=0.15)
    c = generate(tmp_path / "c", seed=4, scale=0.15)
    first, second, other = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert first and first == second
    assert replace(a, folder="") == replace(b, folder="")
    assert first["twitter/twarc2-search.jsonl"] != other["twitter/twarc2-search.jsonl"]
    assert first["mastodon/timeline.json"] != other["mastodon/timeline.json"]
    assert (a.campaign, a.crisis_day, a.pilot) == (c.campaign, c.crisis_day, c.pilot)  # the story's calendar


def test_generating_again_replaces_the_files(tmp_path):
    generate(tmp_path, seed=1, scale=0.15)
    manifest = generate(tmp_path, seed=2, scale=0.15)
    written = {f.path for f in manifest.files}
    assert set(_files(tmp_path)) == written


def test_manifest_describes_the_files_and_the_story(demo):
    folder, m = demo
    assert set(_files(folder)) == {f.path for f in m.files}
    assert m.total == sum(m.counts.values()) == sum(f.posts for f in m.files)
    assert 15_000 * SCALE <= m.total <= 30_000 * SCALE
    assert {f.format for f in m.files} == set(MODULES)
    assert m.start < m.campaign.start < m.campaign.end < m.dialogue_start < m.crisis_day < m.pilot.start
    assert m.pilot.end < m.end and m.campaign.start.month in (5, 6, 7) and m.crisis_day.month in (12, 1, 2)
    assert m.company not in m.competitors and len(m.competitors) >= 2
    assert set(m.own_accounts) >= {"twitter", "mastodon", "reddit", "forum"}
    for value in asdict(m).values():  # what the CLI prints must be plain data
        json.dumps(value, default=str)
    tweets = sum(f.posts for f in m.files if f.platform == "twitter")
    assert tweets == len(_tweets(folder)[0])
    assert m.counts["mastodon"] == len(_statuses(folder))


def test_spans_too_short_or_empty_volume_are_refused(tmp_path):
    with pytest.raises(ValueError, match="weeks"):
        generate(tmp_path, weeks=12)
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=0)


def test_dates_follow_the_span(tmp_path):
    m = generate(tmp_path, start=date(2024, 1, 1), weeks=52, scale=0.1)
    tweets, _ = _tweets(tmp_path)
    days = [_local_day(t["created_at"]) for t in tweets.values()]
    assert min(days) >= date(2024, 1, 1) and max(days) <= m.end == date(2024, 12, 29)
    assert m.start < m.campaign.start < m.dialogue_start < m.crisis_day < m.pilot.start < m.pilot.end < m.end


# ---------------------------------------------------------------------------------------------------
# The story is in the data


def test_campaign_is_a_spike_that_fades(story):
    m, weekly = story.m, story.weekly()
    first, last = story.week(m.campaign.start), story.week(m.campaign.end)
    before = _mean(weekly[first - 10:first])
    during = _mean(weekly[first:last + 1])
    assert during > 2.5 * before
    assert max(range(len(weekly[:story.week(m.crisis_day)])), key=weekly.__getitem__) in range(first, last + 1)
    after = _mean(weekly[last + 5:last + 10])  # five to nine weeks later, before the dialogue opens
    assert last + 10 <= story.week(m.dialogue_start)
    assert after < 1.35 * before


def test_dialogue_changes_last(story):
    m, weekly = story.m, story.weekly()
    campaign = story.week(m.campaign.start)
    before = _mean(weekly[campaign - 12:campaign])
    late = _mean(weekly[-12:])
    assert late > 1.3 * before
    crisis = story.week(m.crisis_day)
    assert _mean(weekly[crisis + 2:crisis + 8]) > 1.2 * before  # not an echo of the storm


def test_dialogue_answers_more_and_faster(story):
    m = story.m
    share_before, minutes_before = story.answers(m.start, m.dialogue_start)
    share_after, minutes_after = story.answers(m.dialogue_start, m.end + timedelta(days=1))
    assert share_before < 0.1 and minutes_before is not None and minutes_before > 6 * 60
    assert share_after > 5 * share_before and share_after > 0.4
    assert minutes_after < 60 and minutes_after < minutes_before / 10
    _, later = story.answers(m.dialogue_start + timedelta(weeks=12), m.end + timedelta(days=1))
    _, first = story.answers(m.dialogue_start, m.dialogue_start + timedelta(weeks=4))
    assert later < first  # the team gets faster


def test_staff_threads_run_deep_and_sign_their_names(story):
    def depth(t: dict) -> int:
        d = 0
        while _parent(t):
            t, d = story.tweets[_parent(t)], d + 1
        return d

    depths = Counter(depth(t) for t in story.tweets.values())
    assert depths[3] > 0 and depths[4] > 0
    staff = [t["text"] for t in story.tweets.values() if t["author_id"] in story.own and _parent(t)]
    assert sum(bool(re.search(r" /[A-ZÅÄÖ][a-zåäö]+$", s)) for s in staff) > 0.5 * len(staff)


def test_crisis_day_is_the_busiest_everywhere(demo, story):
    folder, m = demo
    days = Counter(_local_day(t["created_at"]) for t in story.tweets.values())
    days.update(_local_day(s["created_at"]) for s in _statuses(folder))
    assert days.most_common(1)[0][0] == m.crisis_day
    ordinary = max(n for day, n in days.items() if not 0 <= (day - m.crisis_day).days <= 2)
    assert days[m.crisis_day] > 2.5 * ordinary
    storm = [t["text"].lower() for t in story.tweets.values() if _local_day(t["created_at"]) == m.crisis_day]
    assert sum(any(w in s for w in ("ström", "avbrott", "power")) for s in storm) > 0.4 * len(storm)
    assert sum("#strömavbrott" in s or "#stormenvidar" in s for s in storm) > 0.15 * len(storm)


def test_pilot_is_small_and_grows(story):
    m = story.m
    tag = m.pilot_hashtag.lower()
    days = [_local_day(t["created_at"]) for t in story.tweets.values() if tag in t["text"].lower()]
    assert days and min(days) >= m.pilot.start
    third = m.pilot.days // 3
    early = sum(m.pilot.start <= d < m.pilot.start + timedelta(days=third) for d in days)
    late = sum(m.pilot.end - timedelta(days=third) < d <= m.pilot.end for d in days)
    assert late > 2 * early
    assert len(days) < 0.05 * len(story.tweets)


def test_competitors_are_talked_about(story):
    texts = [t["text"].lower() for t in story.tweets.values()]
    fjall = sum("fjällkraft" in s or "@fjallkraft" in s for s in texts)
    vindo = sum("vindö" in s or "@vindoel" in s for s in texts)
    norrsken = len(story.mentions)
    assert 0.1 * norrsken < fjall < norrsken and 0.05 * norrsken < vindo < norrsken


def test_mostly_swedish_some_english(demo, story):
    folder, _ = demo
    langs = Counter(t["lang"] for t in story.tweets.values())
    langs.update(s["language"] for s in _statuses(folder) if not s["reblog"])
    total = sum(langs.values())
    assert langs["sv"] > 0.6 * total
    assert 0.05 * total < langs["en"] < 0.3 * total
    assert langs["no"] + langs["da"] > 0  # the neighbours, not to be taken for Swedish


def test_daily_and_weekly_rhythm(story):
    local = [_utc(t["created_at"]).astimezone(STOCKHOLM) for t in story.tweets.values()]
    night = sum(2 <= t.hour < 5 for t in local)
    evening = sum(19 <= t.hour < 22 for t in local)
    assert night < 0.03 * len(local) and evening > 5 * night
    weekday = Counter(t.weekday() for t in local)
    assert (weekday[5] + weekday[6]) / 2 < 0.85 * sum(weekday[d] for d in range(5)) / 5


def test_followers_are_heavy_tailed_with_a_few_loud_voices(story):
    followers = sorted(u["public_metrics"]["followers_count"] for u in story.users.values())
    median = statistics.median(followers)
    assert statistics.mean(followers) > 2 * median
    assert followers[-1] > 100 * median
    top = followers[-len(followers) // 100:]
    assert sum(top) > 0.2 * sum(followers)
    own = story.m.own_accounts["twitter"]
    verified = [u for u in story.users.values() if u["verified"] and u["username"] not in own]
    assert any(u["public_metrics"]["followers_count"] > 20_000 for u in verified)


def test_text_looks_like_swedish_social_media(story):
    texts = [t["text"] for t in story.tweets.values()]
    joined = "\n".join(texts).lower()
    for word in ("#elpris", "#strömavbrott", "elavtal", "fjärrvärme", "kundtjänst", "laddbox"):
        assert word in joined, word
    assert sum(bool(re.search(r"[\U0001F300-\U0001FAFF]", s)) for s in texts) > 0.05 * len(texts)
    urls = []
    for t in story.tweets.values():  # entities point at what they name in the text
        entities = t.get("entities", {})
        for u in entities.get("urls", []):
            assert u["url"].startswith("https://t.co/") and t["text"][u["start"]:u["end"]] == u["url"]
            urls.append(u)
        for e in entities.get("mentions", []) + entities.get("hashtags", []):
            assert t["text"][e["start"]:e["end"]] in (f"@{e.get('username')}", f"#{e.get('tag')}")
    assert {re.sub(r"^https?://(www\.)?([^/]+)/.*$", r"\2", u["expanded_url"]) for u in urls} >= {"svt.se", "dn.se"}
    retweets = [t for t in story.tweets.values() if t["text"].startswith("RT @")]
    assert retweets and all(r["referenced_tweets"][0]["type"] == "retweeted" for r in retweets)


def test_sentiment_rises_slowly(story, shared_data):
    lexicon = shared_data / "swedish_sentiment_lexicons" / "AFINN-sv-165.txt"
    if not lexicon.exists():
        pytest.skip(f"{lexicon} is absent")
    scores: dict[str, int] = {}
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition("\t")
        if word and " " not in word:
            scores[word] = int(value)
    m = story.m

    def mean_score(first: date, last: date) -> float:
        posts = [t["text"] for t in story.mentions
                 if first <= _local_day(t["created_at"]) < last and not t["text"].startswith("RT @")]
        return _mean([sum(scores.get(w, 0) for w in re.findall(r"[a-zåäö]+", p.lower())) for p in posts])

    before = mean_score(m.campaign.start - timedelta(weeks=12), m.campaign.start)
    late = mean_score(m.end - timedelta(weeks=12), m.end + timedelta(days=1))
    assert late > before + 0.2


# ---------------------------------------------------------------------------------------------------
# The real importers take it all in


def _available() -> list[str]:
    return [m for m in BUILTIN_FORMAT_MODULES if importlib.util.find_spec(m) is not None]


def _parents(folder: Path, platform: str) -> dict[str, str | None]:
    """Post ref → parent ref, read from the platform's files (as the store names them)."""
    out: dict[str, str | None] = {}
    if platform == "twitter":
        for tid, t in _tweets(folder)[0].items():
            out[f"twitter:{tid}"] = f"twitter:{_parent(t)}" if _parent(t) else None
    elif platform == "mastodon":
        for s in _statuses(folder):
            reply = s["in_reply_to_id"]
            out[f"mastodon:mastodon.nu:{s['id']}"] = f"mastodon:mastodon.nu:{reply}" if reply else None
    elif platform == "reddit":
        def walk(children: list[dict]) -> None:
            for child in children:
                data = child["data"]
                out[f"reddit:{data['name']}"] = f"reddit:{data['parent_id']}" if "parent_id" in data else None
                if data.get("replies"):
                    walk(data["replies"]["data"]["children"])
        for path in sorted((folder / "reddit").glob("*.json")):
            for listing in json.loads(path.read_text(encoding="utf-8")):
                walk(listing["data"]["children"])
    elif platform == "forum":
        with (folder / "forum" / "kilowattforum-export.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                out[f"forum:{row['id']}"] = f"forum:{row['reply_to']}" if row["reply_to"] else None
    return out


def _deepest(parents: dict[str, str | None]) -> tuple[str, int]:
    def depth(ref: str) -> int:
        d = 0
        while parents.get(ref):
            ref, d = parents[ref], d + 1
        return d
    return max(((ref, depth(ref)) for ref in parents), key=lambda x: (x[1], x[0]))


def _max_depth(node) -> int:
    return max([node.depth] + [_max_depth(c) for c in node.children])


@pytest.mark.parametrize("fmt", sorted(MODULES))
def test_each_importer_takes_every_post(demo, store, fmt):
    pytest.importorskip(MODULES[fmt])
    folder, m = demo
    files = [f for f in m.files if f.format == fmt]
    reg = Registry(_available(), entry_point_group=None)
    report = import_paths(store, [folder / f.path for f in files], reg=reg)
    by_path = {Path(r.path).resolve(): r for r in report.files}
    for f in files:
        r = by_path[(folder / f.path).resolve()]
        assert (r.format, r.status, r.quarantined) == (fmt, "imported", 0), r
        assert r.imported == f.posts, f
    assert store.quarantine() == []
    stats = store.stats()
    assert stats.orphans == 0
    platform = files[0].platform
    if platform in ("twitter", "mastodon", "reddit", "forum"):
        ref, depth = _deepest(_parents(folder, platform))
        assert depth >= 4
        post = store.get_post(ref)
        assert post.depth == depth
        tree = store.thread(ref)
        assert tree.post is not None and tree.post.depth == 0 and _max_depth(tree) >= depth


def test_the_whole_folder_imports_without_loss(demo, store):
    missing = [m for m in BUILTIN_FORMAT_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"importers not written yet: {', '.join(missing)}")
    folder, m = demo
    report = import_paths(store, [folder])
    assert report.quarantined == 0 and store.quarantine() == []
    assert report.imported == m.total
    assert all(f.status == "imported" for f in report.files)
    stats = store.stats()
    assert dict(stats.by_platform) == m.counts
    assert stats.orphans == 0 and stats.max_depth >= 4
    assert m.start <= stats.first.astimezone(STOCKHOLM).date() <= stats.last.astimezone(STOCKHOLM).date() <= m.end
