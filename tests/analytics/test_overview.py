"""The overview analytics: exact counts per bucket in the project's time zone, empty buckets filled,
shares of voice that sum to one, deterministic top lists, planted rising terms, and topic edits."""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

import lyssna
from lyssna.analytics import overview
from lyssna.errors import NotFound
from lyssna.models import Author, Post
from lyssna.store.duckdb import DuckStore

STHLM = ZoneInfo("Europe/Stockholm")
UTC = ZoneInfo("UTC")
COLUMNS = ["id", "author", "created_at", "text", "lang", "followers", "likes", "reposts", "platform", "site"]

#: (id, author, UTC time, text, followers, likes, reposts, platform, site)
POSTS = [
    ("v1", "anna", "2025-06-01T23:30:00", "Volvo levererade fantastiskt bra service idag #Volvo #elbil", 900, 4, 1,
     "twitter", ""),
    ("v2", "anna", "2025-06-01T10:00:00", "Ny Volvo XC40 på vägen, hälsa @VolvoCars https://www.volvocars.com/se "
     "#volvo", 900, 10, 2, "twitter", ""),
    ("v3", "bo", "2025-06-04T12:00:00", "Min volvo startar inte i kylan, hemskt dåligt och dyrt #elbil", 50, 0, 0,
     "reddit", "r/sweden"),
    ("s1", "cia", "2025-06-01T12:00:00", "Saab bygger stridsflygplan i Linköping #saab", 5000, 7, 3, "twitter", ""),
    ("s2", "bo", "2025-06-02T08:00:00", "Saab eller Volvo, vilken bil är bäst för familjen? #elbil", 50, 1, 0,
     "reddit", "r/bilar"),
    ("o1", "dan", "2025-06-03T09:00:00", "Kaffe på morgonen och en promenad i parken #fika", 10, 0, 0, "twitter", ""),
]


def write_csv(path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for pid, author, at, text, followers, likes, reposts, platform, site in rows:
            w.writerow([pid, author, at + "+00:00", text, "sv", followers, likes, reposts, platform, site])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overview")
    write_csv(folder / "posts.csv", POSTS)
    with lyssna.init(folder / "p") as p:
        p.import_paths([folder / "posts.csv"])
        p.add_topic("volvo", "volvo")
        p.add_topic("saab", "saab")
        yield p


def day(y: int, m: int, d: int, tz=STHLM) -> datetime:
    return datetime(y, m, d, tzinfo=tz)


def test_volume_per_day_in_the_project_time_zone_with_empty_days_filled(project):
    rows = overview.volume(project.store, ["volvo"], since=day(2025, 6, 1), until=day(2025, 6, 6), tz=STHLM)
    # v1 at 23:30 UTC on 1 June is 01:30 on 2 June in Stockholm
    assert [(r.start, r.posts) for r in rows] == [
        (day(2025, 6, 1), 1), (day(2025, 6, 2), 2), (day(2025, 6, 3), 0), (day(2025, 6, 4), 1), (day(2025, 6, 5), 0)]
    assert all(r.topic == "volvo" for r in rows)
    assert rows[1].authors == 2 and rows[1].engagement == 4 + 1 + 1
    assert rows[2].net_sentiment is None and rows[2].authors == 0
    utc = overview.volume(project.store, ["volvo"], since=day(2025, 6, 1, UTC), until=day(2025, 6, 3, UTC), tz=UTC)
    assert [r.posts for r in utc] == [2, 1]


def test_volume_sentiment_counts_agree_with_the_enrichments(project):
    rows = overview.volume(project.store, None, tz=STHLM, bucket="week")
    assert [r.start for r in rows] == [day(2025, 5, 26), day(2025, 6, 2)]  # ISO weeks from Monday
    labels = [project.store.enrichments_of(project.post(pid).key)["sentiment"] for pid, *_ in POSTS]
    assert sum(r.negative for r in rows) == labels.count("negative")
    assert sum(r.positive for r in rows) == labels.count("positive")
    assert sum(r.negative + r.neutral + r.positive for r in rows) == sum(r.posts for r in rows) == len(POSTS)
    for r in rows:
        assert r.net_sentiment == pytest.approx((r.positive - r.negative) / r.posts)


def test_volume_of_several_topics_gives_one_series_each_in_the_order_given(project):
    rows = overview.volume(project.store, ["saab", "volvo"], since=day(2025, 6, 1), until=day(2025, 6, 3),
                           tz=STHLM)
    assert [(r.start.day, r.topic, r.posts) for r in rows] == [
        (1, "saab", 1), (1, "volvo", 1), (2, "saab", 1), (2, "volvo", 2)]


def test_hour_buckets_and_months(project):
    rows = overview.volume(project.store, ["saab"], tz=STHLM, bucket="hour")
    # s1 at 14:00 and s2 at 10:00 the next day, Stockholm time: 21 hours, both ends included
    assert len(rows) == 21 and rows[0].start == datetime(2025, 6, 1, 14, tzinfo=STHLM)
    assert [r.posts for r in rows if r.posts] == [1, 1]
    assert [(r.start, r.posts) for r in overview.volume(project.store, None, tz=STHLM, bucket="month")] == [
        (day(2025, 6, 1), 6)]


def test_hours_keep_the_repeated_hour_when_clocks_go_back():
    first = datetime(2025, 10, 26, 0, 30, tzinfo=timezone.utc)  # 02:30 summer time
    starts = overview.bucket_starts(first, first + timedelta(hours=1), "hour", STHLM)  # 02:30 winter time
    assert len(starts) == 2 and starts[0].astimezone(timezone.utc).hour == 0
    assert starts[1].astimezone(timezone.utc).hour == 1
    days = overview.bucket_starts(datetime(2025, 3, 29, 12, tzinfo=STHLM), datetime(2025, 3, 31, tzinfo=STHLM),
                                  "day", STHLM)
    assert [d.day for d in days] == [29, 30, 31] and days[2] - days[1] == timedelta(hours=24)


def test_copies_once_counts_a_near_duplicate_group_once(tmp_path):
    campaign = "Skriv under uppropet för fler laddstolpar i Sundsvall på laddstolpar.se redan idag #ladda"
    rows = [(f"c{i}", f"fan{i}", f"2025-06-0{1 + i % 2}T10:0{i}:00", campaign, 1, 0, 0, "twitter", "")
            for i in range(6)]
    write_csv(tmp_path / "c.csv", rows)
    with lyssna.init(tmp_path / "p") as p:
        p.import_paths([tmp_path / "c.csv"])
        p.add_topic("ladda", "laddstolpar")
        window = dict(since=day(2025, 6, 1, UTC), until=day(2025, 6, 3, UTC), tz=UTC)
        every = overview.volume(p.store, ["ladda"], **window)
        once = overview.volume(p.store, ["ladda"], once_per_copy_group=True, **window)
        assert [r.posts for r in every] == [3, 3]
        assert [r.posts for r in once] == [1, 0]  # in the bucket of the group's first post


def test_share_of_voice_over_the_period_and_per_bucket(project):
    rows = overview.share_of_voice(project.store, ["saab", "volvo"])
    assert [(r.topic, r.posts) for r in rows] == [("volvo", 4), ("saab", 2)]
    assert [r.share for r in rows] == pytest.approx([4 / 6, 2 / 6])
    assert overview.share_of_voice(project.store) == rows  # every topic
    per_day = overview.share_of_voice(project.store, ["saab", "volvo"], tz=STHLM, bucket="day")
    by_day: dict = {}
    for r in per_day:
        by_day.setdefault(r.start, []).append(r)
    assert sorted(by_day) == [day(2025, 6, 1), day(2025, 6, 2), day(2025, 6, 4)]
    assert [(r.topic, r.posts) for r in by_day[day(2025, 6, 4)]] == [("volvo", 1), ("saab", 0)]
    for shares in by_day.values():
        assert sum(r.share for r in shares) == pytest.approx(1.0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5 * 24 - 1), st.sets(st.integers(0, 3), min_size=1)), min_size=1,
                max_size=40),
       st.sampled_from(["hour", "day", "week"]))
def test_shares_sum_to_one_and_buckets_add_up_to_the_total(assignments, bucket):
    start = datetime(2025, 3, 28, tzinfo=timezone.utc)  # spans the change to summer time
    names = ["a", "b", "c", "d"]
    with DuckStore(":memory:") as store:
        store.migrate()
        store.write_batch([Post("twitter", str(i), start + timedelta(hours=h), "text", Author("twitter", f"u{i % 3}"))
                           for i, (h, _) in enumerate(assignments)])
        keys = dict(store.con.execute("SELECT native_id, key FROM posts").fetchall())
        for n, name in enumerate(names):
            store.con.execute("INSERT INTO topics VALUES (?, ?, 'x', 1, now(), now())", [n + 1, name])
        store.add_matches([(t + 1, keys[str(i)], start + timedelta(hours=h))
                           for i, (h, topics) in enumerate(assignments) for t in topics], upto=len(assignments))
        mentions = sum(len(t) for _, t in assignments)
        total = overview.share_of_voice(store, names)
        assert sum(r.share for r in total) == pytest.approx(1.0)
        assert sum(r.posts for r in total) == mentions
        per_bucket = overview.share_of_voice(store, names, tz=STHLM, bucket=bucket)
        sums: dict = {}
        for r in per_bucket:
            sums[r.start] = sums.get(r.start, 0) + r.share
        assert all(s == pytest.approx(1.0) for s in sums.values())
        series = overview.volume(store, names, tz=STHLM, bucket=bucket)
        assert sum(r.posts for r in series) == mentions
        starts = sorted({r.start for r in series})
        assert all(b > a for a, b in zip(starts, starts[1:])) and len(series) == len(starts) * len(names)
        assert sum(r.posts for r in overview.volume(store, None, tz=STHLM, bucket=bucket)) == len(assignments)


def test_where_the_conversation_happens(project):
    rows = overview.where(project.store, ["volvo", "saab"])  # a post of both topics counts once
    assert [(r.platform, r.site, r.posts) for r in rows] == [
        ("twitter", "twitter.com", 3), ("reddit", "r/bilar", 1), ("reddit", "r/sweden", 1)]
    assert sum(r.share for r in rows) == pytest.approx(1.0)
    assert [(r.platform, r.site, r.posts) for r in overview.where(project.store, by="platform")] == [
        ("twitter", None, 4), ("reddit", None, 2)]


def test_top_authors_by_posts_and_by_reach_with_ties_by_handle(project):
    by_posts = overview.top_authors(project.store, ["volvo", "saab"])
    assert [(r.handle, r.posts) for r in by_posts] == [("anna", 2), ("bo", 2), ("cia", 1)]
    assert by_posts[0].engagement == 4 + 1 + 10 + 2 and by_posts[0].followers == 900
    by_reach = overview.top_authors(project.store, ["volvo", "saab"], by="reach", limit=2)
    assert [(r.handle, r.followers) for r in by_reach] == [("cia", 5000), ("anna", 900)]
    # every post (no topic: counted from the posts themselves), and a period
    everyone = overview.top_authors(project.store, None)
    assert [(r.handle, r.posts) for r in everyone] == [("anna", 2), ("bo", 2), ("cia", 1), ("dan", 1)]
    assert everyone[0].engagement == by_posts[0].engagement and everyone[2].followers == 5000
    june_2 = overview.top_authors(project.store, None, since=day(2025, 6, 2), until=day(2025, 6, 3))
    assert [(r.handle, r.posts) for r in june_2] == [("anna", 1), ("bo", 1)]  # v1 (01:30 local) and s2


def test_top_hashtags_mentions_and_domains(project):
    tags = overview.top_entities(project.store, ["volvo", "saab"], kind="hashtags")
    # case folded (#Volvo and #volvo are one), count desc, then name
    assert [(r.value, r.posts) for r in tags] == [("elbil", 3), ("volvo", 2), ("saab", 1)]
    assert tags[0].authors == 2 and tags[0].share == pytest.approx(3 / 5)
    assert [r.value for r in overview.top_entities(project.store, None, kind="hashtags", limit=2)] == ["elbil", "volvo"]
    assert [(r.value, r.posts) for r in overview.top_entities(project.store, ["volvo"], kind="mentions")] == [
        ("volvocars", 1)]
    assert [r.value for r in overview.top_entities(project.store, ["volvo"], kind="domains")] == ["volvocars.com"]
    assert [r.value for r in overview.top_entities(project.store, ["volvo"], kind="urls")] == [
        "https://www.volvocars.com/se"]
    assert overview.top_entities(project.store, ["volvo"], kind="hashtags",
                                 since=datetime(2025, 6, 5, tzinfo=UTC)) == []


def test_engagement_and_reach_per_topic(project):
    volvo, saab = overview.engagement(project.store, ["volvo", "saab"])
    assert (volvo.topic, volvo.posts, volvo.likes, volvo.reposts, volvo.engagement) == ("volvo", 4, 15, 3, 18)
    assert volvo.engagement_per_post == pytest.approx(18 / 4) and volvo.reach == 900 + 900 + 50 + 50
    assert (saab.posts, saab.likes, saab.reach) == (2, 8, 5050)
    (everything,) = overview.engagement(project.store)
    assert everything.topic is None and everything.posts == len(POSTS)


def test_an_unknown_topic_names_the_topics(project):
    with pytest.raises(NotFound, match="topics: saab, volvo"):
        overview.volume(project.store, ["volov"], tz=STHLM)


PLANTED = [
    "Laddstolpen vid Ica var trasig igen i morse #laddkaos",
    "Tre bilar köade i en timme för att ladda, ingen fungerade #laddkaos",
    "Appen visar ledigt men kabeln sitter fast i uttaget #laddkaos",
    "Hela parkeringen i Sundsvall saknar ström sedan måndag #laddkaos",
    "Kundtjänsten svarar inte och batteriet är nästan tomt nu #laddkaos",
    "Varför kostar snabbladdning dubbelt så mycket på helgerna? #laddkaos",
    "Fick köra tjugo mil extra för att hitta en fungerande station #laddkaos",
]


def test_rising_terms_finds_the_planted_hashtag_not_the_steady_one(tmp_path):
    rng = random.Random(5)
    end = datetime(2025, 6, 29, tzinfo=timezone.utc)
    words = ["tåget", "bussen", "elpriset", "vädret", "skolan", "maten", "jobbet", "helgen", "vintern", "cykeln"]
    rows = []
    for d in range(35):  # five steady posts a day with #elbil; a new #laddkaos in the last week
        for i in range(5):
            at = end - timedelta(days=35 - d, hours=-i * 3)
            a, b = rng.sample(words, 2)
            rows.append((f"p{d}-{i}", f"u{rng.randrange(40)}", at.strftime("%Y-%m-%dT%H:%M:%S"),
                         f"Inlägg {d} {i} om {a} och {b} #elbil", 10, 0, 0, "twitter", ""))
        if d >= 28:
            rows.append((f"r{d}", f"k{d}", (end - timedelta(days=35 - d, hours=-20)).strftime("%Y-%m-%dT%H:%M:%S"),
                         PLANTED[d - 28], 10, 0, 0, "twitter", ""))
    write_csv(tmp_path / "r.csv", rows)
    with lyssna.init(tmp_path / "p") as p:
        p.import_paths([tmp_path / "r.csv"])
        found = overview.rising_terms(p.store, until=end, min_recent=5)
        assert found and found[0].term == "#laddkaos" and found[0].kind == "hashtag"
        assert (found[0].recent, found[0].baseline) == (7, 0) and found[0].ratio > 2
        every_copy = overview.rising_terms(p.store, until=end, once_per_copy_group=False)
        assert [(t.term, t.recent) for t in every_copy if t.term == "#laddkaos"] == [("#laddkaos", 7)]
        assert "#elbil" not in {t.term for t in found}
        assert found == sorted(found, key=lambda t: (-t.score, t.term))
        assert overview.rising_terms(p.store, until=end, min_recent=8) == [t for t in found if t.recent >= 8]
        assert overview.rising_terms(p.store, until=end - timedelta(days=34)) == []  # no baseline: nothing rises


def test_topic_edits_are_listed_after_an_edit(tmp_path):
    write_csv(tmp_path / "posts.csv", POSTS)
    with lyssna.init(tmp_path / "p") as p:
        p.import_paths([tmp_path / "posts.csv"])
        p.add_topic("volvo", "volvo")
        p.add_topic("saab", "saab")
        assert overview.topic_edits(p.store, ["volvo"], tz=STHLM) == []
        p.edit_topic("volvo", "volvo OR xc40", note="the model too")
        (edit,) = overview.topic_edits(p.store, ["volvo"], tz=STHLM)
        assert (edit.topic, edit.version, edit.query, edit.note) == ("volvo", 2, "volvo OR xc40", "the model too")
        assert edit.at.tzinfo == STHLM
        assert overview.topic_edits(p.store, ["saab"], tz=STHLM) == []
        assert overview.topic_edits(p.store, None, tz=STHLM) == [edit]
        assert overview.topic_edits(p.store, ["volvo"], until=edit.at) == []


def test_bad_arguments_are_refused(project):
    with pytest.raises(ValueError, match="bucket"):
        overview.volume(project.store, None, bucket="fortnight")
    with pytest.raises(ValueError, match="kind"):
        overview.top_entities(project.store, None, kind="emoji")
    with pytest.raises(ValueError, match="by"):
        overview.top_authors(project.store, None, by="likes")


def test_the_repeated_autumn_hour_is_two_buckets_counted_apart():
    # 00:30 UTC is 02:30 summer time; 01:10–01:40 UTC are 02:xx again, winter time (2025-10-26, Stockholm)
    times = ["2025-10-26T00:30:00+00:00", "2025-10-26T01:10:00+00:00", "2025-10-26T01:20:00+00:00",
             "2025-10-26T01:40:00+00:00"]
    with DuckStore(":memory:") as store:
        store.migrate()
        store.write_batch([Post("twitter", str(i), datetime.fromisoformat(t), "text", Author("twitter", f"u{i}"))
                           for i, t in enumerate(times)])
        store.con.execute("INSERT INTO topics VALUES (1, 'a', 'x', 1, now(), now())")
        store.add_matches(store.con.execute("SELECT 1, key, created_at FROM posts").fetchall(), upto=len(times))
        rows = [r for r in overview.volume(store, ["a"], tz=STHLM, bucket="hour") if r.posts]
        assert [(r.start.utcoffset(), r.posts) for r in rows] == [(timedelta(hours=2), 1), (timedelta(hours=1), 3)]
        assert sum(r.posts for r in overview.volume(store, ["a"], tz=STHLM, bucket="hour")) == 4
        shares = overview.share_of_voice(store, ["a"], tz=STHLM, bucket="hour")
        assert [(r.start.utcoffset(), r.posts) for r in shares] == [(timedelta(hours=2), 1), (timedelta(hours=1), 3)]


def test_buckets_the_period_cuts_are_marked_partial(project):
    rows = overview.volume(project.store, None, since=day(2025, 3, 5), until=day(2025, 3, 20), tz=STHLM,
                           bucket="week")
    assert [r.complete for r in rows] == [False] + [True] * (len(rows) - 2) + [False]
    assert all(r.complete for r in overview.volume(project.store, None, tz=STHLM, bucket="week"))
